import { maskCpf, maskCpfsInText } from '../core/cpf.js';
import {
  createsOfCpfsElsewhere,
  disableLimit,
  duplicateLimit,
  groupLeaves,
  missingDisables,
  moveLimit,
  orgaosMostlyDisabled,
  plannedMoves,
  removalLimit,
  thresholdBase,
} from '../core/safetyThresholds.js';
import { namingPolicyOf } from '../config/loadConfig.js';
import { managedLayout } from '../core/layout.js';
import type { DirectorySnapshot } from '../domain/directory.js';
import { ThresholdError } from '../domain/errors.js';
import type { Plan } from '../domain/plan.js';
import { syncMessages as m } from '../messages/sync.js';
import type { RunContext } from './context.js';

/** assertSafetyThresholds with the base counted from the directory the plan was made against: what apply and sync call. */
export function assertSafetyThresholdsFor(ctx: RunContext, plan: Plan, snapshot: DirectorySnapshot, force: boolean): void {
  const usersDn = managedLayout(namingPolicyOf(ctx.config)).usersDn;
  assertSafetyThresholds(ctx, plan, thresholdBase(snapshot.users, usersDn), force, snapshot.cpfsElsewhere);
}

/**
 * Stops a run, before anything is written, whose plan creates accounts for more people who already have one
 * elsewhere in the domain, disables more accounts missing from the forms, moves or
 * renames more accounts, or takes more accounts out of groups, than the safety limits allow (`--force` lets it through). Every
 * command that applies a plan calls it: a plan made from a truncated file or a form with a mistyped sigla,
 * saved for later, is as dangerous as a nightly sync.
 */
export function assertSafetyThresholds(
  ctx: RunContext,
  plan: Plan,
  /**
   * The accounts under the users branch, and those of them a run could disable (enabled, with the CPF the
   * tool matches by): disabled accounts pile up (the tool never deletes), and counted in the base of the
   * disable limit they would let a truncated form disable a larger share of the people still active.
   */
  accounts: { managed: number; active: number; activeByOrgao?: ReadonlyMap<string, number> },
  force: boolean,
  cpfsElsewhere: readonly { cpf: string; dn: string }[] = [],
): void {
  if (force) return;
  const managedAccounts = accounts.managed;
  const duplicates = createsOfCpfsElsewhere(plan, cpfsElsewhere);
  const duplicatesAllowed = duplicateLimit(managedAccounts, ctx.config.safety);
  if (duplicates.length > duplicatesAllowed) {
    const sample = duplicates.slice(0, 20).map((d) => maskCpfsInText(m.duplicateSample(maskCpf(d.create.cpf), d.create.dn, d.holder)));
    throw new ThresholdError(m.duplicateThreshold(duplicates.length, duplicatesAllowed, managedAccounts, sample));
  }
  const disables = missingDisables(plan);
  const limit = disableLimit(accounts.active, ctx.config.safety);
  if (disables.length > limit) {
    throw new ThresholdError(m.threshold(disables.length, limit, accounts.active, disables.slice(0, 20).map((d) => `${d.login} (${maskCpf(d.cpf)}) ${d.dn}`)));
  }
  const mostly = orgaosMostlyDisabled(disables, accounts.activeByOrgao ?? new Map(), ctx.config.safety);
  const worst = mostly[0];
  if (worst !== undefined) {
    const sample = worst.sample.map((d) => `${d.login} (${maskCpf(d.cpf)}) ${maskCpfsInText(d.dn)}`);
    throw new ThresholdError(m.orgaoDisableThreshold(worst.orgao, worst.disabled, worst.active, ctx.config.safety.orgaoDisableMaxPercent, mostly.slice(1).map((o) => o.orgao), sample));
  }
  const moves = plannedMoves(plan);
  const movesAllowed = moveLimit(managedAccounts, ctx.config.safety);
  if (moves.length > movesAllowed) {
    const sample = moves
      .slice(0, 20)
      .map((u) => `${u.login} (${maskCpf(u.cpf)}) ${u.fromOrgao !== undefined ? m.moveSample(u.fromOrgao, u.orgao) : m.renameSample(maskCpfsInText(u.moveTo ?? ''))}`);
    throw new ThresholdError(m.moveThreshold(moves.length, movesAllowed, managedAccounts, sample));
  }
  const leaves = groupLeaves(plan);
  const leavesAllowed = removalLimit(managedAccounts, ctx.config.safety);
  if (leaves.length > leavesAllowed) {
    const sample = leaves.slice(0, 20).map((l) => maskCpfsInText(m.leaveSample(l.member, l.group)));
    throw new ThresholdError(m.removalThreshold(leaves.length, leavesAllowed, managedAccounts, sample));
  }
}
