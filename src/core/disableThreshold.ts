import type { DisableUser, Plan } from '../domain/plan.js';

/**
 * How many accounts missing from the forms a run may disable without `--force`: the smaller of a
 * percentage of the managed accounts (rounded down) and a fixed count. A header-only or truncated forms
 * file makes every account "missing" and so always trips it.
 */
export function disableLimit(managedAccounts: number, policy: { disableMaxPercent: number; disableMaxCount: number }): number {
  return Math.min(Math.floor((managedAccounts * policy.disableMaxPercent) / 100), policy.disableMaxCount);
}

export function missingDisables(plan: Plan): DisableUser[] {
  return plan.changes.filter((c): c is DisableUser => c.kind === 'disable-user' && c.reason === 'missing');
}
