import { maskCpf } from '../core/cpf.js';
import { disableLimit, missingDisables } from '../core/disableThreshold.js';
import { ThresholdError } from '../domain/errors.js';
import type { Plan } from '../domain/plan.js';
import { syncMessages as m } from '../messages/sync.js';
import type { RunContext } from './context.js';

/**
 * Stops a run, before anything is written, whose plan disables more accounts missing from the forms than
 * the safety limit allows (`--force` lets it through). Every command that applies a plan calls it: a plan
 * made with --disable-missing from a truncated file and saved for later is as dangerous as a nightly sync.
 */
export function assertDisableThreshold(ctx: RunContext, plan: Plan, managedAccounts: number, force: boolean): void {
  const disables = missingDisables(plan);
  const limit = disableLimit(managedAccounts, ctx.config.safety);
  if (disables.length > limit && !force) {
    throw new ThresholdError(m.threshold(disables.length, limit, managedAccounts, disables.slice(0, 20).map((d) => `${d.login} (${maskCpf(d.cpf)}) ${d.dn}`)));
  }
}
