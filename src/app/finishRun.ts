import { join, resolve } from 'node:path';
import { defaultReportDir, writeReports } from '../adapters/report/writeReports.js';
import { renderTerminalSummary } from '../adapters/report/renderTerminal.js';
import { summarisePlan } from '../core/summarisePlan.js';
import { maskCpfsInText } from '../core/cpf.js';
import { ExitCode, type ExitCodeValue } from '../domain/errors.js';
import type { ValidatedBatch } from '../domain/form.js';
import type { Plan } from '../domain/plan.js';
import type { ChangeOutcome, ReportModel } from '../domain/report.js';
import { cliMessages as m } from '../messages/cli.js';
import { credentialMessages } from '../messages/credentials.js';
import type { Journal } from '../ports/Journal.js';
import type { RunContext } from './context.js';
import type { CredentialDelivery, UndeliveredCredential } from './credentials.js';
import type { Directory } from '../ports/Directory.js';
import type { Mailer } from '../ports/Mailer.js';
import { trainingAfterApply, withWarnings, type TrainingAfterApplyOptions } from './training/trainingAfterApply.js';

/** Training after apply (record, optional reset, notices), then the end of the run with its warnings. */
export async function finishWithTraining(
  ctx: RunContext,
  input: {
    plan: Plan;
    validated: ValidatedBatch;
    outcomes: ChangeOutcome[];
    credentials: CredentialDelivery;
    journal: Journal;
    reportDir?: string | undefined;
    /** Credentials of earlier runs that could not be settled at the start of this one. */
    settleFailures?: UndeliveredCredential[];
  },
  io: { directory: Directory; mailer: Mailer },
  trainingOptions: TrainingAfterApplyOptions,
): Promise<FinishedRun> {
  const training = await trainingAfterApply(
    { ctx, directory: io.directory, journal: input.journal, mailer: io.mailer, plan: input.plan, people: input.validated.people, outcomes: input.outcomes },
    trainingOptions,
  );
  const settleFailures = input.settleFailures ?? [];
  const settleWarnings = settleFailures.map((u) => credentialMessages.undeliveredLine(u.login, u.email, u.reason, u.permanent).trim());
  return finishRun(ctx, {
    ...input,
    validated: withWarnings(input.validated, [...settleWarnings, ...training.warnings]),
    extraFailures: training.failures + settleFailures.length,
  });
}

export interface FinishedRun {
  exitCode: ExitCodeValue;
  model: ReportModel;
  reportDir: string;
  pendingCredentials: number;
  /** Failures outside the plan's changes (training reset and notices, earlier credentials not settled). */
  otherFailures: number;
}

/**
 * The end of every writing run: wait for the mail, write the reports with the outcome of every change,
 * name each undelivered credential, and choose the exit code (1 for rejected rows, failed changes or
 * pending credentials).
 */
export async function finishRun(
  ctx: RunContext,
  input: { plan: Plan; validated: ValidatedBatch; outcomes: ChangeOutcome[]; credentials: CredentialDelivery; journal: Journal; reportDir?: string | undefined; extraFailures?: number },
): Promise<FinishedRun> {
  await input.credentials.settle();
  const pending = (await input.journal.pending()).length;
  // This run's undelivered credentials are named in the reports and the operators' mail too, not only on
  // the terminal: unattended, nobody reads it. (Those of earlier runs come in as settle warnings.)
  const undelivered = input.credentials.undelivered.map((u) => credentialMessages.undeliveredLine(u.login, u.email, u.reason, u.permanent).trim());
  const model = summarisePlan(input.plan, withWarnings(input.validated, undelivered), { outcomes: input.outcomes });
  const reportDir = resolve(ctx.cwd, input.reportDir ?? defaultReportDir(join(ctx.cwd, ctx.config.reports.dir), ctx.clock()));
  await writeReports(reportDir, input.plan, model);
  if (input.outcomes.length > 0) ctx.print(renderTerminalSummary(model, { color: ctx.color }));
  // Printed to the terminal or the job's mail: a login or address made of a CPF is masked, as in the reports.
  for (const u of input.credentials.undelivered) ctx.print(maskCpfsInText(credentialMessages.undeliveredLine(u.login, u.email, u.reason, u.permanent)));
  if (pending > 0) ctx.print(credentialMessages.pendingSummary(pending));
  ctx.print(m.reportWritten(reportDir));
  const failed = input.outcomes.some((o) => o.status === 'failed') || (input.extraFailures ?? 0) > 0;
  const exitCode = failed || pending > 0 || model.summary.rejected > 0 ? ExitCode.partial : ExitCode.ok;
  return { exitCode, model, reportDir, pendingCredentials: pending, otherFailures: input.extraFailures ?? 0 };
}
