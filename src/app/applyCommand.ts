import { join, resolve } from 'node:path';
import { openJournal } from '../adapters/journal/FileJournal.js';
import { defaultReportDir, writeReports } from '../adapters/report/writeReports.js';
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
import { credentialMessages } from '../messages/credentials.js';
import type { Directory } from '../ports/Directory.js';
import { applyPlan } from './applyPlan.js';
import { computePlan, type PlanInputOptions } from './computePlan.js';
import type { RunContext } from './context.js';
import { createCredentialDelivery } from './credentialDeliveryFactory.js';
import { findStaleness, readSavedPlan } from './savedPlan.js';
import { withRunLock } from './withRunLock.js';

export interface ApplyOptions extends PlanInputOptions {
  /** Apply a saved plan instead of reading forms. */
  planFile?: string;
  yes: boolean;
  reportDir?: string;
}

export interface ApplyOutcome {
  exitCode: ExitCodeValue;
  plan: Plan;
  model: ReportModel;
  reportDir: string;
  pendingCredentials: number;
}

const EMPTY_BATCH: ValidatedBatch = { rowsRead: 0, people: [], rejected: [], superseded: [], warnings: [] };

async function planToApply(ctx: RunContext, options: ApplyOptions, directory: Directory): Promise<{ plan: Plan; validated: ValidatedBatch }> {
  if (!options.planFile) return computePlan(ctx, options, directory);
  const plan = await readSavedPlan(resolve(ctx.cwd, options.planFile));
  const now = await directory.observe(namingPolicyOf(ctx.config), ctx.clock().toISOString());
  const problems = findStaleness(plan, now);
  if (problems.length > 0) throw new StalePlanError(problems.slice(0, 5).join(' '));
  return { plan, validated: EMPTY_BATCH };
}

/**
 * `sei-contas apply`: settle pending credentials, then plan (or load a saved plan), check scope, confirm,
 * apply, mail the passwords, write the reports with the outcome of every change.
 */
export async function applyCommand(ctx: RunContext, options: ApplyOptions): Promise<ApplyOutcome> {
  return withRunLock(ctx, 'apply', () => applyUnlocked(ctx, options));
}

async function applyUnlocked(ctx: RunContext, options: ApplyOptions): Promise<ApplyOutcome> {
  const directory = await ctx.openDirectory();
  const journal = await openJournal(resolve(ctx.cwd, ctx.config.state.dir));
  const mailer = ctx.openMailer();
  try {
    const credentials = createCredentialDelivery(ctx, directory, journal, mailer);
    // First what earlier runs left pending: a fresh password, set and mailed.
    await credentials.settlePending(ctx.config.directory.concurrency);

    const { plan, validated } = await planToApply(ctx, options, directory);
    const violations = assertPlanInScope(plan, namingPolicyOf(ctx.config));
    if (violations.length > 0) throw new ScopeError(scopeMessages.planOutOfScope(violations.length, violations[0] ?? ''), '');

    const preview = summarisePlan(plan, validated);
    ctx.print(renderTerminalSummary(preview, { color: ctx.color }));
    let outcomes: Awaited<ReturnType<typeof applyPlan>>['outcomes'] = [];
    if (plan.changes.length === 0) {
      ctx.print(m.nothingToDo);
    } else {
      if (!options.yes) {
        if (!ctx.confirm) throw new SeiError(m.needYes, ExitCode.unusable);
        if (!(await ctx.confirm(m.confirm))) {
          ctx.print(m.cancelled);
          return { exitCode: ExitCode.ok, plan, model: preview, reportDir: '', pendingCredentials: 0 };
        }
      }
      const result = await applyPlan(plan, {
        directory,
        credentials,
        logger: ctx.logger,
        ...(ctx.progress ? { progress: ctx.progress } : {}),
        concurrency: ctx.config.directory.concurrency,
        trainingParentGroupDn: ctx.config.naming.trainingParentGroupDn,
      });
      outcomes = result.outcomes;
    }
    await credentials.settle();
    const pending = (await journal.pending()).length;
    const model = summarisePlan(plan, validated, { outcomes });
    const reportDir = resolve(ctx.cwd, options.reportDir ?? defaultReportDir(join(ctx.cwd, ctx.config.reports.dir), ctx.clock()));
    await writeReports(reportDir, plan, model);
    if (outcomes.length > 0) ctx.print(renderTerminalSummary(model, { color: ctx.color }));
    for (const u of credentials.undelivered) ctx.print(credentialMessages.undeliveredLine(u.login, u.email, u.reason, u.permanent));
    if (pending > 0) ctx.print(credentialMessages.pendingSummary(pending));
    ctx.print(m.reportWritten(reportDir));
    const failed = outcomes.some((o) => o.status === 'failed');
    const exitCode = failed || pending > 0 || model.summary.rejected > 0 ? ExitCode.partial : ExitCode.ok;
    return { exitCode, plan, model, reportDir, pendingCredentials: pending };
  } finally {
    await mailer.close();
    await directory.close();
  }
}
