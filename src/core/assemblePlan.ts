/**
 * From validated people and an observed directory to a Plan: pure, synchronous, deterministic.
 * The same inputs give the same plan, byte for byte, so a saved plan can be reviewed and then applied.
 */
import { MANAGED_USER_ATTRIBUTES, type DirectorySnapshot, type ObservedUser } from '../domain/directory.js';
import { InternalError } from '../domain/errors.js';
import type { Person, SourceRef } from '../domain/form.js';
import type { NamingPolicy } from '../domain/policy.js';
import {
  PLAN_VERSION,
  type AttributeChange,
  type CreateGroup,
  type CreateOu,
  type CreateTrainingAccount,
  type CreateUser,
  type DisableUser,
  type DisabledAsked,
  type Plan,
  type Unchanged,
  type UpdateUser,
} from '../domain/plan.js';
import { coreMessages, directoryValues } from '../messages/directory-values.js';
import { ContainerNames } from './ContainerNames.js';
import { cpfKey } from './cpf.js';
import { MemberAdditions } from './MemberAdditions.js';
import { MemberRemovals } from './MemberRemovals.js';
import { ExistingAccounts } from './ExistingAccounts.js';
import { accountsByCpf } from './accountsByCpf.js';
import { disableChange, formatDatePtBr, isEnabled, missingAccountDisables } from './disables.js';
import {
  desiredAccountDeriver,
  deriveTrainingAccounts,
  deriveTrainingGroup,
  managedDescription,
  perfilGroupFor,
  trainingLoginTest,
  type DesiredAccount,
  type DesiredGroup,
} from './desiredState.js';
import { byDn, childDn, dnDepth, isDnUnder, normaliseChildDn, normaliseDn, splitDn } from './dn.js';
import { flat } from './flat.js';
import { managedLayout } from './layout.js';
import { AD_LIMITS, cnFitsName, deriveCn, foldCn, resolveLogin, truncateChars } from './names.js';

export interface AssemblePlanInput {
  people: Person[];
  snapshot: DirectorySnapshot;
  policy: NamingPolicy;
  inputs: { file: string; sha256: string }[];
  /** ISO time: the plan's createdAt and the date noted on disabled accounts. */
  now: string;
  /** Disable enabled accounts whose CPF is in no form. */
  disableMissing?: boolean;
  /** CPFs named by rejected rows: in the forms, so never disabled as missing. */
  rejectedCpfs?: string[];
  /** E-mails of rejected rows whose CPF could not be read: the account with that address is not disabled as missing. */
  rejectedEmails?: { email: string; source: SourceRef }[];
  /** Plan training accounts for every órgão in the forms (default true). */
  training?: boolean;
  /** Plan training accounts for exactly these órgãos instead (`sei-contas training <ORGAO>...`). */
  trainingOrgaos?: string[];
}

/**
 * A training account is added disabled without a password and gets both only at the end of its creation:
 * one still disabled with pwdLastSet 0 is a creation cut short (a crash, an outage), not an account someone
 * disabled. It is planned again: the add answers "already exists" and the creation goes on from there.
 */
export const isHalfCreatedTraining = (t: { userAccountControl: number; pwdLastSet: string }): boolean =>
  !isEnabled(t.userAccountControl) && t.pwdLastSet === '0';



// Locale-independent, so the order does not change with the machine the plan runs on.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const absent = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/** The desired attributes of a disabled account, its description ending with the note its disable wrote. */
function keepDisabledNote(desired: DesiredAccount['attributes'], observed: ObservedUser['attributes']): DesiredAccount['attributes'] {
  const note = observed.description === undefined ? null : directoryValues.disabledNotePattern.exec(observed.description);
  if (note === null || desired.description === undefined) return desired;
  return { ...desired, description: truncateChars(`${desired.description}${note[0]}`, AD_LIMITS.description) };
}

/** Managed attributes that differ; mail is compared ignoring case, as AD and mail servers do. */
export function diffAttributes(desired: DesiredAccount['attributes'], observed: ObservedUser['attributes']): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const attribute of MANAGED_USER_ATTRIBUTES) {
    const before = absent(observed[attribute]);
    const after = absent(desired[attribute]);
    const same = attribute === 'mail' ? before?.toLowerCase() === after?.toLowerCase() : before === after;
    if (!same) changes.push({ attribute, before, after });
  }
  return changes;
}

export function assemblePlan(input: AssemblePlanInput): Plan {
  const { people, snapshot, policy, now } = input;
  const layout = managedLayout(policy);
  const date = formatDatePtBr(now);
  const desiredOf = desiredAccountDeriver(policy);

  const { usersByCpf, alsoEnabled } = accountsByCpf(snapshot.users, people, layout.usersDn);
  const lower = (s: string): string => s.toLowerCase();
  // Names the directory holds, folded as AD compares them (foldCn: case, accents and width aside): a login
  // "joão.silva" made by hand takes "joao.silva". The tool's own candidates are lowercase ASCII already.
  const takenLogins = new Set([
    ...snapshot.takenLogins.map(foldCn),
    ...snapshot.users.map((u) => foldCn(u.sAMAccountName)),
    ...snapshot.trainingAccounts.map((t) => foldCn(t.sAMAccountName)),
  ]);
  const takenUpns = new Set(snapshot.takenUpns.map(foldCn));
  const upnOf = (login: string): string => flat(login, '@', policy.upnSuffix);
  const names = new ContainerNames([
    ...snapshot.users.map((u) => u.dn),
    ...snapshot.trainingAccounts.map((t) => t.dn),
    ...snapshot.groups.map((g) => g.dn),
    ...snapshot.ous,
  ]);
  const existingOus = new Set(snapshot.ous.map(normaliseDn));
  const existingGroups = new Set(snapshot.groups.map((g) => normaliseDn(g.dn)));
  const members = new MemberAdditions(snapshot.groups);
  const removals = new MemberRemovals();
  const accounts = new ExistingAccounts(policy, snapshot, () => people.map((x) => x.orgao));

  /** The perfil groups an account holds, as the groups that give the same perfils in `orgao`. */
  const carriedPerfilGroups = (memberOf: readonly string[], orgao: string): DesiredGroup[] => {
    const groups = new Map<string, DesiredGroup>();
    for (const dn of memberOf) {
      const perfil = accounts.perfilOf(dn);
      const g = perfil === undefined ? undefined : perfilGroupFor(policy, orgao, perfil);
      if (g !== undefined) groups.set(normaliseDn(g.dn), g);
    }
    return [...groups.values()];
  };
  const neededOus = new Map<string, string>();
  // Every person asks for the same few OUs: each DN string is looked at once.
  const ousSeen = new Set<string>();
  const needOus = (...dns: string[]): void => {
    for (const dn of dns) {
      if (ousSeen.has(dn)) continue;
      ousSeen.add(dn);
      const key = normaliseDn(dn);
      if (!existingOus.has(key)) neededOus.set(key, dn);
    }
  };
  const neededGroups = new Map<string, DesiredGroup>();
  const needGroup = (g: DesiredGroup): void => {
    const key = normaliseDn(g.dn);
    if (!existingGroups.has(key) && !neededGroups.has(key)) neededGroups.set(key, g);
  };

  const orgaosInTraining = input.trainingOrgaos ?? (input.training === false ? [] : orgaosWithActivePeople(people));
  const trainingAccounts = deriveTrainingAccounts(orgaosInTraining, policy);
  // Training logins are fixed names: reserved, so no person's login can take one first.
  const isTrainingLogin = trainingLoginTest(orgaosInTraining, policy);

  const nextSuffix = new Map<string, number>();
  const groupDnLists = new Map<DesiredGroup[], string[]>();
  const groupDns = (groups: DesiredGroup[]): string[] => {
    let dns = groupDnLists.get(groups);
    if (dns === undefined) {
      dns = groups.map((g) => g.dn);
      groupDnLists.set(groups, dns);
    }
    return dns;
  };
  const creates: CreateUser[] = [];
  const updates: UpdateUser[] = [];
  const disables: DisableUser[] = [];
  const unchanged: Unchanged[] = [];
  const disabledAsked: DisabledAsked[] = [];
  const disableWithoutAccount: NonNullable<Plan['disableWithoutAccount']> = [];
  const keptByEmail: NonNullable<Plan['keptByEmail']> = [];
  // CPFs planned so far: validation keeps one person per CPF, and a second one here is a bug, named at once.
  const seen = new Set<string>();

  for (const given of people) {
    // An offline plan (an empty directory) has nobody to match.
    const match = usersByCpf.size > 0 ? usersByCpf.get(cpfKey(given.cpf)) : undefined;
    // A blank perfil keeps the one the account has, carried to its new órgão when it moves.
    const held = given.perfilAssumed && match ? accounts.perfilHeld(match) : undefined;
    const keepPerfilGroups = given.perfilAssumed === true && match !== undefined && held === undefined;
    const person = held !== undefined ? { ...given, perfil: held } : given;
    const d = desiredOf(person);
    const p = d.person;
    if (seen.has(p.cpf)) {
      const earlier = people.find((x) => x.cpf === p.cpf) ?? p;
      throw new InternalError(coreMessages.duplicatePerson(p.file, p.line, earlier.file, earlier.line));
    }
    seen.add(p.cpf);

    if (!match) {
      // Nobody to deactivate: a desativar row for an unknown CPF must never create an account. It is named.
      if (p.acao === 'desativar') {
        disableWithoutAccount.push({ cpf: p.cpf, orgao: p.orgao, source: d.source });
        continue;
      }
      // New UPNs are `login@suffix` with distinct logins, so they never meet each other: only the
      // directory's own UPNs can be in the way (none in an offline plan, where the check is skipped).
      const login = resolveLogin(
        d.loginBase,
        (l) => takenLogins.has(l) || isTrainingLogin(l) || (takenUpns.size > 0 && takenUpns.has(lower(upnOf(l)))),
        nextSuffix,
      );
      takenLogins.add(login);
      let folded = '';
      const cn = deriveCn(d.displayName, login, (f) => names.has(d.ouDn, (folded = f)));
      names.add(d.ouDn, cn, folded);
      const dn = childDn('CN', cn, d.ouDn);
      const key = (): string => normaliseChildDn('CN', cn, d.ouDn);
      needOus(layout.rootDn, layout.usersDn, d.ouDn);
      for (const g of d.groups) {
        needGroup(g);
        members.addNew(g.dn, dn, key);
      }
      // Keys in order, so the plan's JSON needs no re-sorting; people of one órgão share their group list.
      creates.push({
        attributes: d.attributes,
        cpf: p.cpf,
        dn,
        email: p.email,
        groups: groupDns(d.groups),
        kind: 'create-user',
        login,
        municipio: p.municipio,
        orgao: p.orgao,
        perfil: p.perfil,
        source: d.source,
        upn: upnOf(login),
      });
      continue;
    }

    const same: Unchanged = { dn: match.dn, orgao: p.orgao, cpf: p.cpf, login: match.sAMAccountName };
    if (p.acao === 'desativar') {
      // Every enabled account of the CPF (two for one person is a manual mistake): none may keep working.
      const enabled = [match, ...(alsoEnabled.get(cpfKey(p.cpf)) ?? [])].filter((u) => isEnabled(u.userAccountControl));
      const description = managedDescription(p.municipio);
      for (const u of enabled) disables.push(disableChange(u, { orgao: p.orgao, cpf: p.cpf, reason: 'form', description, date, source: d.source }));
      if (enabled.length === 0) unchanged.push(same);
      continue;
    }

    // A disabled account named in an incluir/alterar row stays disabled: re-enabling is an operator's call.
    // Someone who changed órgão moves to the new órgão's OU, keeping login and password. An account outside
    // every órgão OU was put there by hand and stays where it is.
    const split = splitDn(match.dn);
    const parentDn = split?.parentDn;
    const fromOrgao = accounts.orgaoOf(match);
    const moving = fromOrgao !== '' && fromOrgao.toUpperCase() !== p.orgao.toUpperCase();
    // The CN follows the name the person uses (a nome social given later): renamed where it is, or as it moves.
    const currentCn = split?.rdn.value ?? match.sAMAccountName;
    const renaming = !cnFitsName(currentCn, d.displayName, match.sAMAccountName) && parentDn !== undefined && isDnUnder(match.dn, layout.usersDn);
    let moveTo: string | undefined;
    if (moving || renaming) {
      const targetOu = moving ? d.ouDn : (parentDn as string);
      // Moving under the same name keeps the CN when it is free there; otherwise it is made from the name, as
      // for a new account (never a tag on a tag, which the next run would take for a change of name).
      const taken = (folded: string): boolean => names.has(targetOu, folded);
      const cn = !renaming && !taken(foldCn(currentCn)) ? currentCn : deriveCn(d.displayName, match.sAMAccountName, taken);
      names.add(targetOu, cn);
      if (moving) needOus(layout.rootDn, layout.usersDn, d.ouDn);
      moveTo = childDn('CN', cn, targetOu);
    }
    const memberDn = moveTo ?? match.dn;
    if (!isEnabled(match.userAccountControl)) disabledAsked.push({ dn: memberDn, orgao: p.orgao, cpf: p.cpf, login: match.sAMAccountName, source: d.source });
    // A disabled account keeps the note its disable wrote: it stays disabled, and the note says since when.
    const changes = diffAttributes(isEnabled(match.userAccountControl) ? d.attributes : keepDisabledNote(d.attributes, match.attributes), match.attributes);
    if (changes.length > 0 || moveTo !== undefined) {
      updates.push({
        kind: 'update-user',
        dn: match.dn,
        orgao: p.orgao,
        cpf: p.cpf,
        login: match.sAMAccountName,
        changes,
        ...(moveTo !== undefined ? { moveTo } : {}),
        ...(moving ? { fromOrgao } : {}),
        expectUsn: match.uSNChanged,
        source: d.source,
      });
    }
    let joins = false;
    const wanted = new Set<string>();
    // A blank perfil the account's groups do not settle (more than one perfil): each perfil group it holds
    // is kept, but carried to its órgão's spelling — one that names the old órgão (a per-órgão template such
    // as SEI-{ORGAO}-Admin) would leave it administrator there after a move, and no perfil in the new órgão.
    const keptPerfilGroups = keepPerfilGroups ? carriedPerfilGroups(match.memberOf, p.orgao) : [];
    for (const g of [...d.groups, ...keptPerfilGroups]) {
      needGroup(g);
      wanted.add(normaliseDn(g.dn));
      if (members.add(g.dn, memberDn, match.memberOf)) joins = true;
    }
    // Out of the people's groups the forms no longer give them: the old órgão's, a perfil taken away.
    let leaves = false;
    for (const groupDn of match.memberOf) {
      if (!accounts.isPersonGroup(groupDn) || wanted.has(normaliseDn(groupDn))) continue;
      removals.remove(groupDn, memberDn);
      leaves = true;
    }
    if (changes.length === 0 && !joins && !leaves && moveTo === undefined) unchanged.push(same);
  }

  if (input.disableMissing) {
    const missing = missingAccountDisables({
      users: snapshot.users,
      cpfsInForms: [...people.map((p) => p.cpf), ...(input.rejectedCpfs ?? [])],
      rejectedEmails: input.rejectedEmails ?? [],
      creates,
      usersDn: layout.usersDn,
      date,
    });
    disables.push(...missing.disables);
    keptByEmail.push(...missing.keptByEmail);
  }

  const trainingCreates: CreateTrainingAccount[] = [];
  if (orgaosInTraining.length > 0) {
    const existingTraining = new Map(snapshot.trainingAccounts.map((t) => [lower(t.sAMAccountName), t]));
    const parentDn = policy.trainingParentGroupDn.trim();
    const trainingGroups = new Map<string, DesiredGroup>();
    for (const orgao of orgaosInTraining) {
      const group = deriveTrainingGroup(orgao, policy);
      trainingGroups.set(orgao, group);
      needGroup(group);
      // The parent group is the administrator's: it is joined, never created.
      if (parentDn) members.add(parentDn, group.dn);
    }
    // An órgão none of whose training accounts exists yet gets 99 distinct new DNs in its own group: no key is
    // needed to add each once (64 k keys with 645 órgãos, ~8 MB held to the end of planning).
    const withExisting = new Set<string>();
    if (existingTraining.size > 0) for (const t of trainingAccounts) if (existingTraining.has(lower(t.login))) withExisting.add(t.orgao);
    for (const t of trainingAccounts) {
      const existing = existingTraining.get(lower(t.login));
      if (!existing || isHalfCreatedTraining(existing)) {
        needOus(layout.rootDn, layout.trainingDn, t.ouDn);
        trainingCreates.push({ cn: t.cn, dn: existing?.dn ?? t.dn, kind: 'create-training-account', login: t.login, orgao: t.orgao, upn: t.upn });
      }
      // A planned DN's key is built, not parsed back: 10⁴ DNs parsed one by one push the few container
      // DNs every other lookup needs out of normaliseDn's cache.
      const group = trainingGroups.get(t.orgao) ?? deriveTrainingGroup(t.orgao, policy);
      if (existing) members.add(group.dn, existing.dn);
      else if (withExisting.has(t.orgao)) members.add(group.dn, t.dn, [], normaliseChildDn('CN', t.cn, t.ouDn));
      else members.addNew(group.dn, t.dn, () => normaliseChildDn('CN', t.cn, t.ouDn));
    }
  }

  const groupCreates: CreateGroup[] = [...neededGroups.values()].sort(byDn).map((g) => {
    const change: CreateGroup = { kind: 'create-group', dn: g.dn, name: g.name };
    if (g.orgao !== undefined) change.orgao = g.orgao;
    return change;
  });
  if (groupCreates.length > 0) needOus(layout.rootDn, layout.groupsDn);

  const ouCreates: CreateOu[] = [...neededOus.entries()]
    .sort(([ka, a], [kb, b]) => dnDepth(a) - dnDepth(b) || compare(ka, kb))
    .map(([, dn]) => ({ kind: 'create-ou', dn }));

  return {
    version: PLAN_VERSION,
    createdAt: now,
    inputs: input.inputs.map((i) => ({ file: i.file, sha256: i.sha256 })),
    observed: {
      source: snapshot.source,
      observedAt: snapshot.observedAt,
      baseDN: snapshot.baseDN,
      users: snapshot.users.length,
      trainingAccounts: snapshot.trainingAccounts.length,
    },
    changes: [...ouCreates, ...groupCreates, ...creates, ...updates, ...disables, ...trainingCreates, ...members.changes(), ...removals.changes()],
    unchanged,
    disabledAsked,
    ...(disableWithoutAccount.length > 0 ? { disableWithoutAccount } : {}),
    ...(keptByEmail.length > 0 ? { keptByEmail } : {}),
  };
}

/**
 * Órgãos that get training accounts: those with someone to train, i.e. at least one incluir/alterar row.
 * Sorted, so input order does not reorder the plan.
 */
export function orgaosWithActivePeople(people: Person[]): string[] {
  return [...new Set(people.filter((p) => p.acao !== 'desativar').map((p) => p.orgao))].sort(compare);
}
