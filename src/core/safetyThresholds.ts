import type { CreateUser, DisableUser, Plan, UpdateUser } from '../domain/plan.js';
import { disableableCpf, isEnabled } from './disables.js';
import { orgaoUnder } from './ExistingAccounts.js';
import { cpfKey } from './cpf.js';
import { firstRdnValue, normaliseDn, splitDn } from './dn.js';

/**
 * How many accounts missing from the forms a run may disable without `--force`: the smaller of a
 * percentage of the managed accounts (rounded down) and a fixed count. A header-only or truncated forms
 * file makes every account "missing" and so always trips it.
 */
/**
 * The base of the safety limits: the accounts under the users branch, those a run could disable, and those
 * by the órgão OU they sit in (at any depth below it, as the disables name it; given `usersDn`).
 */
export function thresholdBase(
  users: readonly { dn?: string; employeeID?: string; userAccountControl: number }[],
  usersDn?: string,
): {
  managed: number;
  active: number;
  activeByOrgao: Map<string, number>;
} {
  let active = 0;
  const activeByOrgao = new Map<string, number>();
  for (const u of users) {
    if (disableableCpf(u.employeeID) === undefined || !isEnabled(u.userAccountControl)) continue;
    active++;
    const orgao = usersDn === undefined || u.dn === undefined ? '' : orgaoUnder(splitDn(u.dn)?.parentDn ?? '', usersDn).toUpperCase();
    if (orgao !== '') activeByOrgao.set(orgao, (activeByOrgao.get(orgao) ?? 0) + 1);
  }
  return { managed: users.length, active, activeByOrgao };
}

/** The normalised DN of the container an entry sits in. */
function ouOf(dn: string): string | undefined {
  const parent = splitDn(dn)?.parentDn;
  return parent === undefined ? undefined : normaliseDn(parent);
}

/**
 * The órgãos whose accounts a run would disable as missing from the forms in too large a share: more than
 * `orgaoDisableMaxPercent` of the active accounts of an OU that holds at least `orgaoDisableMinAccounts`.
 * The whole-directory limit lets a small city go entirely (40 accounts of 1,000 is under 5 % and 50): one
 * city's form left out of the folder, or saved as .xlsx, would disable all of its people in one night.
 */
export function orgaosMostlyDisabled(
  disables: readonly DisableUser[],
  activeByOrgao: ReadonlyMap<string, number>,
  policy: { orgaoDisableMaxPercent: number; orgaoDisableMinAccounts: number },
): { orgao: string; disabled: number; active: number; sample: DisableUser[] }[] {
  // By órgão, with the accounts in its sub-OUs (Saúde, Educação…): per immediate OU, a city whose people sit
  // in sub-OUs of four would never trip it.
  const byOrgao = new Map<string, DisableUser[]>();
  for (const d of disables) {
    const orgao = d.orgao.toUpperCase();
    if (orgao !== '') byOrgao.set(orgao, [...(byOrgao.get(orgao) ?? []), d]);
  }
  const found: { orgao: string; disabled: number; active: number; sample: DisableUser[] }[] = [];
  for (const [orgao, list] of byOrgao) {
    const active = activeByOrgao.get(orgao) ?? 0;
    if (active < policy.orgaoDisableMinAccounts) continue;
    if (list.length * 100 > active * policy.orgaoDisableMaxPercent) found.push({ orgao, disabled: list.length, active, sample: list.slice(0, 10) });
  }
  return found.sort((a, b) => b.disabled - a.disabled);
}

export function disableLimit(managedAccounts: number, policy: { disableMaxPercent: number; disableMaxCount: number }): number {
  return Math.min(Math.floor((managedAccounts * policy.disableMaxPercent) / 100), policy.disableMaxCount);
}

/**
 * How many accounts a run may move to another órgão or rename without `--force`: a percentage of the managed
 * accounts (rounded down, but at least one, so a single change in a small directory goes through), at most a
 * fixed count. A form with a mistyped sigla for a whole city, or with the nome and nome social columns
 * swapped, changes the DN of every one of its people and trips it.
 */
export function moveLimit(managedAccounts: number, policy: { moveMaxPercent: number; moveMaxCount: number }): number {
  return Math.min(Math.max(Math.floor((managedAccounts * policy.moveMaxPercent) / 100), 1), policy.moveMaxCount);
}

export function plannedMoves(plan: Plan): UpdateUser[] {
  // Every change of DN, read from the DNs themselves (a saved plan's labels could be edited away).
  return plan.changes.filter((c): c is UpdateUser => c.kind === 'update-user' && c.moveTo !== undefined);
}

/**
 * How many accounts a run may take out of groups without `--force` (a perfil taken away, an extra órgão
 * group), besides the accounts it moves, whose old groups go with the move: as for moves, a percentage of the
 * managed accounts, at least one, at most a fixed count. A form whose Perfil column slid one place says
 * "usuario" for everyone and trips it.
 */
export function removalLimit(managedAccounts: number, policy: { removalMaxPercent: number; removalMaxCount: number }): number {
  return Math.min(Math.max(Math.floor((managedAccounts * policy.removalMaxPercent) / 100), 1), policy.removalMaxCount);
}

/** The accounts the plan takes out of a group without moving them, once each, with one group each named. */
export function groupLeaves(plan: Plan): { member: string; group: string }[] {
  // Only accounts that change OU: one renamed where it is takes no group with it, and its leaves count.
  const moved = new Set(
    plannedMoves(plan)
      .filter((u) => ouOf(u.moveTo ?? '') !== ouOf(u.dn))
      .map((u) => normaliseDn(u.moveTo ?? '')),
  );
  const leaves = new Map<string, { member: string; group: string }>();
  for (const c of plan.changes) {
    if (c.kind !== 'remove-member') continue;
    for (const dn of c.memberDns) {
      const key = normaliseDn(dn);
      if (!moved.has(key) && !leaves.has(key)) leaves.set(key, { member: firstRdnValue(dn) ?? dn, group: firstRdnValue(c.groupDn) ?? c.groupDn });
    }
  }
  return [...leaves.values()];
}

/**
 * How many people a run may create although an account of the domain outside the managed users branch
 * already carries their CPF, without `--force`: as for moves, a percentage of the managed accounts, at
 * least one, at most a fixed count. A managed OU renamed or moved, or a mistyped naming.rootOu or base DN,
 * makes every account look absent: the plan would give everyone a second account and a new password.
 */
export function duplicateLimit(managedAccounts: number, policy: { duplicateMaxPercent: number; duplicateMaxCount: number }): number {
  return Math.min(Math.max(Math.floor((managedAccounts * policy.duplicateMaxPercent) / 100), 1), policy.duplicateMaxCount);
}

/** The plan's new accounts whose CPF an account outside the managed users branch already carries. */
export function createsOfCpfsElsewhere(plan: Plan, elsewhere: readonly { cpf: string; dn: string }[]): { create: CreateUser; holder: string }[] {
  if (elsewhere.length === 0) return [];
  const holders = new Map(elsewhere.map((e) => [e.cpf, e.dn]));
  const found: { create: CreateUser; holder: string }[] = [];
  for (const c of plan.changes) {
    if (c.kind !== 'create-user') continue;
    const holder = holders.get(cpfKey(c.cpf));
    if (holder !== undefined) found.push({ create: c, holder });
  }
  return found;
}

export function missingDisables(plan: Plan): DisableUser[] {
  return plan.changes.filter((c): c is DisableUser => c.kind === 'disable-user' && c.reason === 'missing');
}
