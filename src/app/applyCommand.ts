import { resolve } from 'node:path';
import { whenInterrupted } from './interruption.js';
import { openJournal } from '../adapters/journal/FileJournal.js';
import { renderTerminalSummary } from '../adapters/report/renderTerminal.js';
import { namingPolicyOf } from '../config/loadConfig.js';
import { assertPlanInScope } from '../core/scope.js';
import { summarisePlan } from '../core/summarisePlan.js';
import { ExitCode, ScopeError, SeiError, StalePlanError, type ExitCodeValue } from '../domain/errors.js';
import type { ValidatedBatch } from '../domain/form.js';
import type { Plan } from '../domain/plan.js';
import type { ReportModel } from '../domain/report.js';
import { cliMessages as m } from '../messages/cli.js';
import { scopeMessages } from '../messages/scope.js';
import type { Directory } from '../ports/Directory.js';
import type { DirectorySnapshot } from '../domain/directory.js';
import { applyDepsOf, applyPlan, checkBeforeWriting } from './applyPlan.js';
import { computePlan, observeBeforeWriting, type PlanInputOptions } from './computePlan.js';
import type { RunContext } from './context.js';
import { afterFirstWrite } from './afterFirstWrite.js';
import { createCredentialDelivery } from './credentialDeliveryFactory.js';
import { plannedMailOf, type CredentialDelivery } from './credentials.js';
import { findStaleness, readSavedPlan } from './savedPlan.js';
import { withRunLock } from './withRunLock.js';
import { finishWithTraining } from './finishRun.js';
import { mailOperators } from './mailOperators.js';
import { assertSafetyThresholdsFor } from './safetyGuard.js';
import { flushJournal } from './flushJournal.js';

export interface ApplyOptions extends PlanInputOptions {
  /** Apply a saved plan instead of reading forms. */
  planFile?: string;
  yes: boolean;
  reportDir?: string;
  /** Past the safety limit of disables (a saved plan made with --disable-missing). */
  force?: boolean;
}

export interface ApplyOutcome {
  exitCode: ExitCodeValue;
  plan: Plan;
  model: ReportModel;
  reportDir: string;
  pendingCredentials: number;
}

const EMPTY_BATCH: ValidatedBatch = { rowsRead: 0, people: [], rejected: [], superseded: [], warnings: [], rejectedCpfs: [] };

async function planToApply(ctx: RunContext, options: ApplyOptions, directory: Directory): Promise<{ plan: Plan; validated: ValidatedBatch; snapshot: DirectorySnapshot }> {
  if (!options.planFile) {
    const { plan, validated, snapshot } = await computePlan(ctx, options, directory);
    return { plan, validated, snapshot };
  }
  const plan = await readSavedPlan(resolve(ctx.cwd, options.planFile));
  // A file edited to write outside is refused as such, before asking whether it is also out of date.
  refuseOutOfScope(ctx, plan);
  const now = await observeBeforeWriting(directory, namingPolicyOf(ctx.config), ctx.clock().toISOString());
  const problems = findStaleness(plan, now);
  if (problems.length > 0) throw new StalePlanError(problems.slice(0, 5).join(' '));
  return { plan, validated: EMPTY_BATCH, snapshot: now };
}

function refuseOutOfScope(ctx: RunContext, plan: Plan): void {
  const violations = assertPlanInScope(plan, namingPolicyOf(ctx.config));
  if (violations.length > 0) throw new ScopeError(scopeMessages.planOutOfScope(violations.length, violations[0] ?? ''), '');
}

/**
 * `sei-contas apply`: settle pending credentials, then plan (or load a saved plan), check scope, confirm,
 * apply, mail the passwords, write the reports with the outcome of every change.
 */
export async function applyCommand(ctx: RunContext, options: ApplyOptions): Promise<ApplyOutcome> {
  return withRunLock(ctx, 'apply', (held) => applyUnlocked(ctx, options, held.interruptedRun));
}

async function applyUnlocked(ctx: RunContext, options: ApplyOptions, interruptedRun: string | undefined): Promise<ApplyOutcome> {
  const directory = await ctx.openDirectory();
  const journal = await openJournal(resolve(ctx.cwd, ctx.config.state.dir));
  // Interrupted, the run still puts on disk the records of the messages that went out.
  const forgetJournal = whenInterrupted(() => journal.flush());
  const mailer = ctx.openMailer();
  let credentials: CredentialDelivery | undefined;
  try {
    const { plan, validated, snapshot } = await planToApply(ctx, options, directory);
    if (interruptedRun !== undefined) validated.warnings.push({ message: interruptedRun });
    refuseOutOfScope(ctx, plan);
    assertSafetyThresholdsFor(ctx, plan, snapshot, options.force ?? false);

    const preview = summarisePlan(plan, validated);
    ctx.print(renderTerminalSummary(preview, { color: ctx.color }));
    // Confirmed before anything is written: a declined or unconfirmable run has changed nothing at all,
    // not even the passwords of credentials left pending by earlier runs.
    if (plan.changes.length > 0 && !options.yes) {
      if (!ctx.confirm) throw new SeiError(m.needYes, ExitCode.unusable);
      if (!(await ctx.confirm(m.confirm))) {
        ctx.print(m.cancelled);
        return { exitCode: ExitCode.ok, plan, model: preview, reportDir: '', pendingCredentials: 0 };
      }
    }

    // Then what earlier runs left pending: a fresh password, set and mailed.
    await checkBeforeWriting(plan, { directory, trainingParentGroupDn: ctx.config.naming.trainingParentGroupDn, journal });
    credentials = createCredentialDelivery(ctx, directory, journal, mailer);
    const delivery = credentials;
    // From here on the directory may have been written to (see afterFirstWrite).
    return await afterFirstWrite(async () => {
      const settled = await delivery.settlePending(ctx.config.directory.concurrency, plannedMailOf(plan));
      let outcomes: Awaited<ReturnType<typeof applyPlan>>['outcomes'] = [];
      if (plan.changes.length === 0) {
        ctx.print(m.nothingToDo);
      } else {
        const result = await applyPlan(plan, applyDepsOf(ctx, directory, delivery));
        outcomes = result.outcomes;
      }
      const finished = await finishWithTraining(
        ctx,
        { plan, validated, outcomes, credentials: delivery, journal, reportDir: options.reportDir, settleFailures: settled.failed },
        { directory, mailer },
        { training: options.training !== false },
      );
      if (outcomes.length > 0) await mailOperators(ctx, mailer, 'apply', finished);
      return { ...finished, plan };
    });
  } finally {
    // A run stopped by an error still lets the passwords it set go out before the mailer closes.
    await credentials?.settle().catch(() => undefined);
    forgetJournal();
    await flushJournal(ctx, journal);
    await mailer.close();
    await directory.close();
  }
}
