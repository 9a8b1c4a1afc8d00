import { readFile } from 'node:fs/promises';
import { StalePlanError } from '../domain/errors.js';
import type { DirectorySnapshot } from '../domain/directory.js';
import { PLAN_VERSION, type Plan } from '../domain/plan.js';
import { isHalfCreatedTraining } from '../core/assemblePlan.js';
import { ACCOUNTDISABLE } from '../core/disables.js';
import { cpfKey, maskCpf } from '../core/cpf.js';
import { normaliseDn } from '../core/dn.js';
import { applyMessages as m } from '../messages/apply.js';

/** Reads a saved plan, refusing another version or something that is not a plan. */
export async function readSavedPlan(file: string): Promise<Plan> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    throw new StalePlanError(m.planUnreadable(file));
  }
  const plan = value as Partial<Plan> | null;
  if (!plan || typeof plan !== 'object' || !Array.isArray(plan.changes)) throw new StalePlanError(m.planUnreadable(file));
  if (plan.version !== PLAN_VERSION) throw new StalePlanError(m.planVersion(plan.version, PLAN_VERSION));
  return plan as Plan;
}

/**
 * Pure: the problems that make a saved plan stale against what the directory holds now. An entry the plan
 * updates or disables must carry the uSNChanged seen at plan time; what it creates must not exist yet.
 */
export function findStaleness(plan: Plan, now: DirectorySnapshot): string[] {
  const users = new Map(now.users.map((u) => [normaliseDn(u.dn), u]));
  const training = new Map(now.trainingAccounts.map((t) => [normaliseDn(t.dn), t]));
  const logins = new Set(now.takenLogins);
  // Correlation is by CPF: an account made for the same person since (another run, a corrected name) means
  // this plan would give them a second one.
  const byCpf = new Map<string, string>();
  for (const u of now.users) if (u.employeeID) byCpf.set(cpfKey(u.employeeID), u.dn);
  const problems: string[] = [];
  for (const c of plan.changes) {
    if (c.kind === 'update-user' || c.kind === 'disable-user') {
      const u = users.get(normaliseDn(c.dn));
      if (!u || u.uSNChanged !== c.expectUsn) problems.push(m.staleEntry(c.dn));
      // The new órgão OU got an entry of that name since: the move would fail, or land on someone else's.
      else if (c.kind === 'update-user' && c.moveTo !== undefined && users.has(normaliseDn(c.moveTo))) problems.push(m.staleCreate(c.moveTo));
      // A disable writes the account's own flags plus "disabled", nothing else: a plan edited to slip in
      // another flag (password not required, never expires…) is refused, not applied.
      else if (c.kind === 'disable-user' && c.userAccountControl !== (u.userAccountControl | ACCOUNTDISABLE)) {
        problems.push(m.disableFlagsEdited(c.dn, c.userAccountControl, u.userAccountControl | ACCOUNTDISABLE));
      }
    } else if (c.kind === 'create-user') {
      const holder = byCpf.get(cpfKey(c.cpf));
      if (users.has(normaliseDn(c.dn))) problems.push(m.staleCreate(c.dn));
      else if (holder !== undefined) problems.push(m.staleCpf(maskCpf(c.cpf), holder));
      else if (logins.has(c.login.toLowerCase())) problems.push(m.staleLogin(c.login));
    } else if (c.kind === 'create-training-account') {
      // A half-created one is what the plan means to finish, not a sign the directory moved on.
      const t = training.get(normaliseDn(c.dn));
      if (t && !isHalfCreatedTraining(t)) problems.push(m.staleCreate(c.dn));
    }
  }
  return problems;
}
