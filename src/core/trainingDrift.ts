/**
 * Which training accounts the nightly reset must write, and why. Pure: the observation, the record of what
 * the tool itself last set, and the desired accounts come in; nothing is read or written here.
 *
 * The point is cost: an unchanged account is only read. A password is "ours" while `pwdLastSet` still
 * equals the value the tool read back after its own last set; any other value means someone set it since.
 */
import type { ObservedTrainingAccount } from '../domain/directory.js';
import type { NamingPolicy } from '../domain/policy.js';
import { deriveTrainingGroup, type DesiredTrainingAccount } from './desiredState.js';
import { isDnUnder, normaliseDn, splitDn } from './dn.js';

/** NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD: enabled, never expiring, no change required at logon. */
export const TRAINING_UAC = 66048;
const ACCOUNTDISABLE = 0x2;

/**
 * Why an account is written:
 * - `password-changed`: `pwdLastSet` differs from what the tool recorded after its own last set;
 * - `no-record`: the tool has no record for it (record file lost, or the account was not made by it);
 * - `locked`: `lockoutTime` is not 0;
 * - `disabled`: ACCOUNTDISABLE is set;
 * - `flags`: other `userAccountControl` flags than 66048 (e.g. 512: the password would expire);
 * - `attributes`: the UPN is not the desired one;
 * - `restrictions`: an expiry date (`accountExpires`), logon hours or a list of workstations set by hand: the
 *   password works, and still the trainee cannot log on (or not at class time, or not from the lab);
 * - `moved`: renamed, or moved to another OU of the branch: SIP finds a trainee by CN in the órgão's OU,
 *   so it goes back to `CN=usuarioNN,OU=<ORGAO>` first.
 */
export const TRAINING_DRIFT_REASONS = ['password-changed', 'no-record', 'locked', 'disabled', 'flags', 'attributes', 'restrictions', 'moved'] as const;
export type TrainingDriftReason = (typeof TRAINING_DRIFT_REASONS)[number];

/** What the reset reads of each training account: the snapshot's fields, plus UPN and groups when read. */
export interface TrainingAccountView extends ObservedTrainingAccount {
  userPrincipalName?: string;
  /** DNs of its groups; undefined when not read (then membership is not checked). */
  memberOf?: string[];
  /** Logon restrictions, when read: `accountExpires` as the server has it, and which of the other two are set. */
  restrictions?: { accountExpires: string | undefined; logonHours: boolean; userWorkstations: boolean };
}

/** Attribute values as the directory port takes them (the same shape, without the core depending on it). */
type AttributeValues = Record<string, string | string[]>;

/** `accountExpires` values that mean "never": 0, the largest FILETIME, or none at all. */
const NEVER_EXPIRES = new Set([undefined, '0', '9223372036854775807']);

/** The attributes a reset writes to lift the restrictions found: never expires, any hour, any workstation. */
function liftRestrictions(r: NonNullable<TrainingAccountView['restrictions']>): AttributeValues {
  const lift: AttributeValues = {};
  if (!NEVER_EXPIRES.has(r.accountExpires)) lift.accountExpires = '0';
  // A replace with no values removes the attribute: logon allowed at any hour, from any workstation.
  if (r.logonHours) lift.logonHours = [];
  if (r.userWorkstations) lift.userWorkstations = [];
  return lift;
}

export interface TrainingRestore {
  /** The account's DN as the server spells it. */
  dn: string;
  orgao: string;
  login: string;
  /** Its password: the user name. */
  cn: string;
  reasons: TrainingDriftReason[];
  /** Written in the same modify as the password (an empty list removes the attribute). */
  replace: AttributeValues;
  /** Where it goes back to before the password is set (renamed or moved by hand); its password is set there. */
  moveTo?: string;
}

export interface TrainingDrift {
  /** Desired accounts found in the directory. */
  checked: number;
  /** Accounts to write (password = cn, unlocked, enabled), in the order of the desired accounts. */
  restore: TrainingRestore[];
  /** Desired accounts that do not exist: the reset does not create them (`sei-contas training` does). */
  missing: DesiredTrainingAccount[];
  /** Accounts that left their órgão's training group: one add per group, before any password is set. */
  memberships: { groupDn: string; memberDns: string[] }[];
  /**
   * Groups other than their órgão's training group that training accounts were put in by hand: an account
   * whose password everyone knows must grant nothing else. One entry per group.
   */
  otherGroups: { groupDn: string; memberDns: string[] }[];
  /** Accounts per reason (an account with two reasons counts in both). */
  byReason: Record<TrainingDriftReason, number>;
  /**
   * Training accounts of these órgãos past the configured count (usuario51… after 99 became 50): no longer
   * restored, and still enabled with whatever password a trainee gave them. Logins, sorted.
   */
  surplus: string[];
}

export interface TrainingDriftInput {
  desired: DesiredTrainingAccount[];
  observed: TrainingAccountView[];
  /** pwdLastSet recorded after the tool's own last set, by recordKey; null when the record is lost. */
  recorded: ReadonlyMap<string, string> | null;
  policy: NamingPolicy;
}

/**
 * The record is keyed by login (lowercased): unique in the domain, how training accounts are correlated,
 * unchanged if an account is moved, and cheap — normalising 63,855 DNs costs seconds, a lowercase does not.
 */
export const recordKey = (sAMAccountName: string): string => sAMAccountName.toLowerCase();

export const emptyByReason = (): Record<TrainingDriftReason, number> =>
  Object.fromEntries(TRAINING_DRIFT_REASONS.map((r) => [r, 0])) as Record<TrainingDriftReason, number>;

/** The órgão OU a training account sits in (the RDN right under the training branch), or undefined. */
export function orgaoOfTrainingDn(dn: string, trainingDn: string): string | undefined {
  const target = normaliseDn(trainingDn);
  const account = splitDn(dn);
  // From the account's container upwards: an account right under the branch belongs to no órgão.
  for (let cur = account ? splitDn(account.parentDn) : null; cur; cur = splitDn(cur.parentDn)) {
    if (normaliseDn(cur.parentDn) === target) return cur.rdn.value;
  }
  return undefined;
}

/** Órgãos that have at least one account under the training branch, sorted. */
export function orgaosInTrainingTree(observed: readonly { dn: string }[], trainingDn: string): string[] {
  const found = new Set<string>();
  const suffix = `,${trainingDn.toLowerCase()}`;
  for (const o of observed) {
    // Fast path for `CN=usuarioNN,OU=<ORGAO>,<branch>` as the server writes it; anything else is parsed.
    if (o.dn.toLowerCase().endsWith(suffix)) {
      const parts = o.dn.slice(0, o.dn.length - suffix.length).split(',');
      const ou = parts[1]?.trim();
      if (parts.length === 2 && ou !== undefined && !o.dn.includes('\\') && /^ou=[^=]+$/i.test(ou)) {
        found.add(ou.slice(3).trim());
        continue;
      }
    }
    if (!isDnUnder(o.dn, trainingDn)) continue;
    const orgao = orgaoOfTrainingDn(o.dn, trainingDn);
    if (orgao !== undefined) found.add(orgao);
  }
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Of the OUs found under the training branch, those that are an órgão's training: at least one account in
 * the tree has a login the tool gives that órgão's training accounts. An OU an administrator made there for
 * something else (instructors, say) is not an órgão whose 99 accounts are missing every night.
 */
export function trainingOrgaosAmong(
  candidates: readonly string[],
  observed: readonly { sAMAccountName: string }[],
  loginsOf: (orgao: string) => readonly string[],
): { orgaos: string[]; others: string[] } {
  const logins = new Set(observed.map((o) => o.sAMAccountName.toLowerCase()));
  const orgaos: string[] = [];
  const others: string[] = [];
  for (const c of candidates) (loginsOf(c).some((l) => logins.has(l.toLowerCase())) ? orgaos : others).push(c);
  return { orgaos, others };
}

/** The reasons one observed account needs writing; empty when it is as the tool left it. */
export function trainingDriftReasons(
  observed: TrainingAccountView,
  desired: DesiredTrainingAccount,
  recorded: ReadonlyMap<string, string> | null,
): TrainingDriftReason[] {
  const reasons: TrainingDriftReason[] = [];
  const mine = recorded?.get(recordKey(observed.sAMAccountName));
  if (mine === undefined) reasons.push('no-record');
  // Not "newer than": any other value (0 = must change at logon, an older one after a restore) is not ours.
  else if (mine !== observed.pwdLastSet) reasons.push('password-changed');
  if (observed.lockoutTime !== '' && observed.lockoutTime !== '0') reasons.push('locked');
  if ((observed.userAccountControl & ACCOUNTDISABLE) !== 0) reasons.push('disabled');
  if ((observed.userAccountControl & ~ACCOUNTDISABLE) !== TRAINING_UAC) reasons.push('flags');
  if (observed.userPrincipalName !== undefined && observed.userPrincipalName.toLowerCase() !== desired.upn.toLowerCase()) {
    reasons.push('attributes');
  }
  if (observed.restrictions !== undefined && Object.keys(liftRestrictions(observed.restrictions)).length > 0) reasons.push('restrictions');
  return reasons;
}

/**
 * Compares each desired account with what was observed (correlated by login, as assemblePlan does, so an
 * account moved within the training branch is still found, and put back). Observed accounts that are not desired (another
 * órgão, or a number above the configured count) are left alone.
 */
export function diffTrainingAccounts(input: TrainingDriftInput): TrainingDrift {
  const { desired, observed, recorded, policy } = input;
  const byLogin = new Map<string, TrainingAccountView>();
  for (const o of observed) byLogin.set(recordKey(o.sAMAccountName), o);
  // One group per órgão: its DN and the forms it may come back in, computed once, not per account.
  const groups = new Map<string, { dn: string; lower: string; key: string }>();
  const groupOf = (orgao: string) => {
    let g = groups.get(orgao);
    if (!g) {
      const dn = deriveTrainingGroup(orgao, policy).dn;
      g = { dn, lower: dn.toLowerCase(), key: normaliseDn(dn) };
      groups.set(orgao, g);
    }
    return g;
  };
  // The server spells a DN the same way every time: a plain comparison settles nearly all; parse only the rest.
  const isMemberOf = (memberOf: string[], g: { lower: string; key: string }) =>
    memberOf.some((dn) => dn.toLowerCase() === g.lower) || memberOf.some((dn) => normaliseDn(dn) === g.key);

  const restore: TrainingRestore[] = [];
  const missing: DesiredTrainingAccount[] = [];
  const memberships = new Map<string, { groupDn: string; memberDns: string[] }>();
  const otherGroups = new Map<string, { groupDn: string; memberDns: string[] }>();
  const byReason = emptyByReason();
  let checked = 0;

  for (const d of desired) {
    const o = byLogin.get(recordKey(d.login));
    if (!o) {
      missing.push(d);
      continue;
    }
    checked++;
    if (o.memberOf !== undefined) {
      const group = groupOf(d.orgao);
      if (!isMemberOf(o.memberOf, group)) {
        const entry = memberships.get(group.key) ?? { groupDn: group.dn, memberDns: [] };
        entry.memberDns.push(o.dn);
        memberships.set(group.key, entry);
      }
      for (const g of o.memberOf) {
        if (g.toLowerCase() === group.lower || isMemberOf([g], group)) continue;
        const key = normaliseDn(g);
        const entry = otherGroups.get(key) ?? { groupDn: g, memberDns: [] };
        entry.memberDns.push(o.dn);
        otherGroups.set(key, entry);
      }
    }
    const reasons = trainingDriftReasons(o, d, recorded);
    // The server spells a DN the same way every time: a plain comparison settles nearly all.
    const moved = o.dn.toLowerCase() !== d.dn.toLowerCase() && normaliseDn(o.dn) !== normaliseDn(d.dn);
    if (moved) reasons.push('moved');
    if (reasons.length === 0) continue;
    for (const r of reasons) byReason[r]++;
    const replace: AttributeValues = { lockoutTime: '0', userAccountControl: String(TRAINING_UAC) };
    if (reasons.includes('attributes')) replace.userPrincipalName = d.upn;
    if (reasons.includes('restrictions') && o.restrictions !== undefined) Object.assign(replace, liftRestrictions(o.restrictions));
    restore.push({ dn: o.dn, orgao: d.orgao, login: d.login, cn: d.cn, reasons, replace, ...(moved ? { moveTo: d.dn } : {}) });
  }
  // Named like an órgão's training account (usuarioNN.<sigla>) but not one of those wanted now.
  const wanted = new Set(desired.map((d) => recordKey(d.login)));
  const siglas = new Set(desired.map((d) => d.orgao.toLowerCase()));
  const surplus: string[] = [];
  for (const o of observed) {
    const login = recordKey(o.sAMAccountName);
    const m = /^usuario\d{2,}\.([a-z0-9]+)$/.exec(login);
    // A disabled one is what the warning asks for: named no more.
    if (m && siglas.has(m[1] ?? '') && !wanted.has(login) && (o.userAccountControl & ACCOUNTDISABLE) === 0) surplus.push(login);
  }
  surplus.sort();
  return { checked, restore, missing, memberships: [...memberships.values()], otherGroups: [...otherGroups.values()], byReason, surplus };
}
