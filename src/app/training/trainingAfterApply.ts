import { resolve } from 'node:path';
import { openTrainingState } from '../../adapters/state/trainingState.js';
import { namingPolicyOf } from '../../config/loadConfig.js';
import { orgaosWithActivePeople } from '../../core/assemblePlan.js';
import { deriveTrainingAccounts, deriveTrainingGroup } from '../../core/desiredState.js';
import { normaliseDn } from '../../core/dn.js';
import { managedLayout } from '../../core/layout.js';
import { recordKey } from '../../core/trainingDrift.js';
import { SeiError } from '../../domain/errors.js';
import type { Person, ValidatedBatch } from '../../domain/form.js';
import type { Plan } from '../../domain/plan.js';
import type { NamingPolicy } from '../../domain/policy.js';
import type { ChangeOutcome } from '../../domain/report.js';
import type { Directory } from '../../ports/Directory.js';
import type { Journal } from '../../ports/Journal.js';
import type { Mailer } from '../../ports/Mailer.js';
import { trainingMessages as m } from '../../messages/training.js';
import type { RunContext } from '../context.js';
import { recordAppliedTraining } from './createTrainingAccounts.js';
import { notifyTraining, type NotifyTrainingResult } from './notifyTraining.js';
import { resetTraining, type ResetTrainingResult } from './resetTraining.js';
import { printReset } from './trainingCommand.js';

/** What apply and sync have at hand once the plan is applied (the shape of sync's `afterApply` hook). */
export interface TrainingAfterApplyInput {
  ctx: RunContext;
  directory: Directory;
  journal: Journal;
  mailer: Mailer;
  plan: Plan;
  /** The people of the forms: their órgãos get training, their interlocutors the notice. */
  people: Person[];
  /** The apply's outcomes, when at hand; without them the directory tells which passwords were set. */
  outcomes?: ChangeOutcome[];
}

export interface TrainingAfterApplyOptions {
  /** Also restore drifted training accounts (the nightly sync). */
  reset?: boolean;
  /** False when the plan did not include training (apply with training off): nothing to record or notify. */
  training?: boolean;
}

export interface TrainingAfterApplyResult {
  /** Counted into the exit code: accounts not restored, a reset that could not run, notices that reached no one. */
  failures: number;
  /** pt-BR, already printed; for the report's warnings. */
  warnings: string[];
  reset?: ResetTrainingResult;
  notices: NotifyTrainingResult;
}

/**
 * The training steps after an apply: record the passwords the apply set on new training accounts, restore
 * drifted ones (sync), and send the "training ready" notice to órgãos whose accounts all exist. A failure
 * here never loses the run's reports: it becomes a warning and a failure count.
 */
export async function trainingAfterApply(input: TrainingAfterApplyInput, options: TrainingAfterApplyOptions = {}): Promise<TrainingAfterApplyResult> {
  const { ctx, directory, plan, people } = input;
  const result: TrainingAfterApplyResult = { failures: 0, warnings: [], notices: { notified: [], undelivered: [], warnings: [] } };
  if (options.training === false) return result;
  const policy = namingPolicyOf(ctx.config);
  const store = openTrainingState(resolve(ctx.cwd, ctx.config.state.dir));
  const warn = (text: string) => {
    result.warnings.push(text);
    ctx.print(m.warning(text));
    ctx.logger.warn(text);
  };

  let recorded = new Set<string>();
  try {
    const r = await recordAppliedTraining(directory, store, plan, input.outcomes, {
      trainingDn: managedLayout(policy).trainingDn,
      now: ctx.clock().toISOString(),
    });
    recorded = r.recorded;
    r.warnings.forEach(warn);
  } catch (e) {
    // The accounts exist; without the record the next reset restores them all, with a warning.
    result.failures++;
    warn(e instanceof SeiError ? e.message : String(e));
  }

  if (options.reset) {
    try {
      const reset = await resetTraining({
        directory,
        store,
        policy,
        logger: ctx.logger,
        ...(ctx.progress ? { progress: ctx.progress } : {}),
        concurrency: ctx.config.directory.concurrency,
        clock: ctx.clock,
      });
      result.reset = reset;
      printReset(ctx, reset);
      result.warnings.push(...reset.warnings);
      // Each one named in the reports and the operators' mail too, not only on the terminal.
      for (const f of reset.failed) result.warnings.push(m.failureLine(f.dn, f.message).trim());
      // Accounts missing (deleted by hand) fail the run as they fail `training reset`: exit 1, the same night.
      // Those whose creation failed in this very run are counted once, as the failed change they are.
      const failedHere = new Set(
        (input.outcomes ?? [])
          .filter((o) => o.status === 'failed')
          .map((o) => plan.changes[o.index])
          .flatMap((c) => (c?.kind === 'create-training-account' ? [c.login.toLowerCase()] : [])),
      );
      result.failures += reset.failed.length + reset.missing.filter((login) => !failedHere.has(login.toLowerCase())).length;
    } catch (e) {
      // No PSO, directory gone: the reset did not run, and the rest of the run still reports.
      result.failures++;
      warn(e instanceof SeiError ? e.message : String(e));
    }
  }

  // An órgão is ready when none of its planned training accounts is left without a password, and its
  // accounts were either all made by this run or checked by this run's reset without a failure or a gap:
  // accounts made earlier may have drifted, and an apply (no reset) or a reset that did not run cannot tell.
  const notReady = new Set<string>();
  const createdHere = new Set<string>();
  for (const c of plan.changes) {
    if (c.kind !== 'create-training-account') continue;
    createdHere.add(c.orgao);
    if (!recorded.has(recordKey(c.login))) notReady.add(c.orgao);
  }
  if (result.reset !== undefined) for (const o of unreadyAfterReset(result.reset, policy)) notReady.add(o);
  const checked = new Set(result.reset?.orgaos ?? []);
  const ready = orgaosWithActivePeople(people).filter((o) => !notReady.has(o) && (createdHere.has(o) || checked.has(o)));
  const { mail, naming } = ctx.config;
  result.notices = await notifyTraining(
    {
      journal: input.journal,
      mailer: input.mailer,
      logger: ctx.logger,
      runId: ctx.runId,
      clock: ctx.clock,
      trainingCount: naming.trainingCount,
      trainingUrl: mail.trainingUrl,
      support: mail.support,
    },
    ready,
    people,
  );
  for (const w of result.notices.warnings) warn(w);
  result.failures += result.notices.undelivered.length;
  return result;
}

/** The batch with the training step's warnings added, so they reach the report files too. */
export function withWarnings(batch: ValidatedBatch, warnings: string[]): ValidatedBatch {
  return warnings.length === 0 ? batch : { ...batch, warnings: [...batch.warnings, ...warnings.map((message) => ({ message }))] };
}

/** Órgãos the reset left with an account it could not restore, a group it could not nest, or a missing account. */
function unreadyAfterReset(reset: ResetTrainingResult, policy: NamingPolicy): Set<string> {
  const byLogin = new Map<string, string>();
  const byGroup = new Map<string, string>();
  for (const o of reset.orgaos) {
    for (const t of deriveTrainingAccounts([o], policy)) byLogin.set(t.login.toLowerCase(), o);
    byGroup.set(normaliseDn(deriveTrainingGroup(o, policy).dn), o);
  }
  const unready = new Set<string>();
  const mark = (orgao: string | undefined): void => {
    if (orgao !== undefined) unready.add(orgao);
  };
  for (const f of reset.failed) mark(f.login !== '' ? byLogin.get(f.login.toLowerCase()) : byGroup.get(normaliseDn(f.dn)));
  for (const login of reset.missing) mark(byLogin.get(login.toLowerCase()));
  return unready;
}
