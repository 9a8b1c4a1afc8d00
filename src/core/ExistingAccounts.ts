import type { DirectorySnapshot, ObservedUser } from '../domain/directory.js';
import type { Perfil } from '../domain/form.js';
import type { NamingPolicy } from '../domain/policy.js';
import { perfilOfGroup, personGroupMatcher } from './desiredState.js';
import { normaliseDn, splitDn } from './dn.js';
import { managedLayout } from './layout.js';
import { memo } from './memo.js';

/** A name a form could give as órgão (what validation accepts): only such OUs have groups of ours. */
const ORGAO_SHAPED = /^[A-Za-z0-9]{2,10}$/;

/**
 * What an existing account's place and groups say about it: the órgão OU it sits in, the perfil its groups
 * give it, and which of its groups are the people's groups the tool manages. Accounts share a few parent
 * OUs and groups, so each DN is parsed once; the group lists are built at the first question (never for an
 * offline plan, which has no account to ask about).
 */
export class ExistingAccounts {
  private readonly usersDn: string;
  readonly isPersonGroup: (groupDn: string) => boolean;
  /** The perfil a group gives (by the perfil group templates), or undefined for any other group. */
  readonly perfilOf: (groupDn: string) => Perfil | undefined;
  private readonly orgaoOfParent: (parentDn: string) => string;

  /** `formOrgaos`: the órgãos of the forms; with the órgão OUs under the users branch, the órgãos known. */
  constructor(policy: NamingPolicy, snapshot: DirectorySnapshot, formOrgaos: () => string[]) {
    this.usersDn = managedLayout(policy).usersDn;
    let matcher: ((dn: string) => boolean) | undefined;
    this.isPersonGroup = memo((dn) => {
      matcher ??= personGroupMatcher(policy, [...formOrgaos(), ...orgaoOus(snapshot.ous, this.usersDn)]);
      return matcher(dn);
    });
    this.perfilOf = memo(perfilOfGroup(policy));
    this.orgaoOfParent = memo((parentDn) => orgaoUnder(parentDn, this.usersDn));
  }

  /** The órgão OU the account sits in (at any depth below it), or '' when outside every órgão OU. */
  orgaoOf(u: { dn: string }): string {
    const parentDn = splitDn(u.dn)?.parentDn;
    return parentDn === undefined ? '' : this.orgaoOfParent(parentDn);
  }

  isPerfilGroup(groupDn: string): boolean {
    return this.perfilOf(groupDn) !== undefined;
  }

  /**
   * The perfil the account's perfil groups give it, whichever órgão they name; usuario with none. Undefined
   * when they give more than one: then a blank perfil decides nothing, and no perfil group is taken away.
   */
  perfilHeld(u: ObservedUser): Perfil | undefined {
    const held = new Set(u.memberOf.map(this.perfilOf).filter((x): x is Perfil => x !== undefined));
    if (held.size > 1) return undefined;
    return [...held][0] ?? 'usuario';
  }
}

/** The names of the órgão OUs right under `usersDn`. */
function orgaoOus(ous: string[], usersDn: string): string[] {
  const parent = normaliseDn(usersDn);
  const names: string[] = [];
  for (const ou of ous) {
    const split = splitDn(ou);
    if (split && normaliseDn(split.parentDn) === parent && ORGAO_SHAPED.test(split.rdn.value)) names.push(split.rdn.value);
  }
  return names;
}

/** The RDN value right under the users branch on the way up from `dn` (itself included), or '' if elsewhere. */
export function orgaoUnder(dn: string, usersDn: string): string {
  const target = normaliseDn(usersDn);
  for (let cur = splitDn(dn); cur; cur = splitDn(cur.parentDn)) {
    if (normaliseDn(cur.parentDn) === target) return cur.rdn.value;
  }
  return '';
}
