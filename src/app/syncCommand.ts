import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openJournal } from '../adapters/journal/FileJournal.js';
import { renderTerminalSummary } from '../adapters/report/renderTerminal.js';
import { writeSipExport } from '../adapters/report/writeSipExport.js';
import { namingPolicyOf } from '../config/loadConfig.js';
import { assertPlanInScope } from '../core/scope.js';
import { summarisePlan } from '../core/summarisePlan.js';
import { ExitCode, InputError, ScopeError, SeiError, type ExitCodeValue } from '../domain/errors.js';
import { onInterrupt, whenInterrupted } from './interruption.js';
import type { CreateUser, Plan } from '../domain/plan.js';
import type { ChangeOutcome, ReportModel } from '../domain/report.js';
import { cliMessages } from '../messages/cli.js';
import { scopeMessages } from '../messages/scope.js';
import { syncMessages as m } from '../messages/sync.js';
import { applyDepsOf, applyPlan, checkBeforeWriting } from './applyPlan.js';
import { computePlan } from './computePlan.js';
import type { RunContext } from './context.js';
import { afterFirstWrite } from './afterFirstWrite.js';
import { createCredentialDelivery } from './credentialDeliveryFactory.js';
import { finishWithTraining } from './finishRun.js';
import { withRunLock } from './withRunLock.js';
import { mailOperators, mailOperatorsStopped } from './mailOperators.js';
import type { Mailer } from '../ports/Mailer.js';
import type { Journal } from '../ports/Journal.js';
import { plannedMailOf, type CredentialDelivery } from './credentials.js';
import { assertSafetyThresholdsFor } from './safetyGuard.js';
import { flushJournal } from './flushJournal.js';

export interface SyncOptions {
  files: string[];
  formsDir?: string;
  disableMissing: boolean;
  force: boolean;
  exportSip?: string;
  reportDir?: string;
  encoding?: 'auto' | 'utf-8' | 'windows-1252';
}

export interface SyncOutcome {
  exitCode: ExitCodeValue;
  plan: Plan;
  model: ReportModel;
  reportDir: string;
  pendingCredentials: number;
}

/**
 * The forms: the files named, then the `.csv` files of `--forms-dir` in name order. Not forms, and skipped:
 * what Excel leaves beside a file it has open (`~$nome.csv`), hidden files (`.nome.csv`, macOS `._nome.csv`)
 * and anything that is not a file — one of them must not stop the night's whole run.
 */
export async function formFiles(options: Pick<SyncOptions, 'files' | 'formsDir'>, cwd: string): Promise<string[]> {
  const files = options.files.map((f) => resolve(cwd, f));
  if (!options.formsDir) return files;
  const dir = resolve(cwd, options.formsDir);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(m.formsDirUnreadable(dir), dir, undefined, { cause: e });
  }
  const isForm = (e: Dirent): boolean =>
    (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.csv') && !e.name.startsWith('.') && !e.name.startsWith('~$');
  const csv = entries
    .filter(isForm)
    .map((e) => e.name)
    .sort();
  if (csv.length === 0 && files.length === 0) throw new InputError(m.noFormsInDir(dir), dir);
  return [...files, ...csv.map((n) => join(dir, n))];
}

/**
 * `sei-contas sync`: the nightly job. read → observe → plan → safety checks (nothing written before
 * them) → settle pending credentials → apply → training → reports → summary to operators.
 */
export async function syncCommand(ctx: RunContext, options: SyncOptions): Promise<SyncOutcome> {
  const reached = { lockedBody: false };
  try {
    return await syncLocked(ctx, options, reached);
  } catch (e) {
    // No lock to run under: another run holds it (an apply left at its confirmation, a run that hangs), or
    // the state folder cannot take one (a full disk). The night passes without a sync, and the operators must
    // hear of it like of any other stop (the locked part mails its own).
    if (!reached.lockedBody) {
      const mailer = ctx.openMailer();
      try {
        await mailOperatorsStopped(ctx, mailer, 'sync', e).catch(() => undefined);
      } finally {
        await mailer.close().catch(() => undefined);
      }
    }
    throw e;
  }
}

async function syncLocked(ctx: RunContext, options: SyncOptions, reached: { lockedBody: boolean }): Promise<SyncOutcome> {
  return withRunLock(ctx, 'sync', async (held) => {
    reached.lockedBody = true;
    const mailer = ctx.openMailer();
    const progress = { summarised: false, interruptedRun: held.interruptedRun };
    // The previous run that died holding the lock is told with this run's stop too: its report never said
    // so, and this one's will not exist either.
    const also = held.interruptedRun !== undefined ? { note: held.interruptedRun } : {};
    // Killed at its timeout or by a shutdown, the run still tells the operators why it stops.
    const interrupted = async (signal: NodeJS.Signals) => {
      ctx.logger.error(cliMessages.interrupted(signal));
      if (!progress.summarised) await mailOperatorsStopped(ctx, mailer, 'sync', new SeiError(cliMessages.interrupted(signal), ExitCode.partial), signal, also);
    };
    try {
      return await onInterrupt(interrupted, () => syncWith(ctx, options, mailer, progress));
    } catch (e) {
      // Whatever stopped the run before its summary (no forms, the directory unreachable, a safety limit),
      // the operators hear of it: unattended, the exit code alone reaches nobody.
      // The mail must never replace the error (and its exit code) the run stopped with.
      if (!progress.summarised) await mailOperatorsStopped(ctx, mailer, 'sync', e, undefined, also).catch(() => undefined);
      throw e;
    } finally {
      await mailer.close();
    }
  });
}

async function syncWith(
  ctx: RunContext,
  options: SyncOptions,
  mailer: Mailer,
  progress: { summarised: boolean; interruptedRun?: string | undefined },
): Promise<SyncOutcome> {
  const files = await formFiles(options, ctx.cwd);
  const directory = await ctx.openDirectory();
  let journal: Journal | undefined;
  let credentials: CredentialDelivery | undefined;
  let forgetJournal: (() => void) | undefined;
  try {
    journal = await openJournal(resolve(ctx.cwd, ctx.config.state.dir));
    const toFlush = journal;
    forgetJournal = whenInterrupted(() => toFlush.flush());
    const { plan, validated, snapshot } = await computePlan(
      ctx,
      { files, disableMissing: options.disableMissing, ...(options.encoding ? { encoding: options.encoding } : {}) },
      directory,
    );
    if (progress.interruptedRun !== undefined) validated.warnings.push({ message: progress.interruptedRun });
    // Unattended, a set-up that mails nobody is worth a line in every report: nothing else would show it.
    if (ctx.config.mail.transport === 'file') validated.warnings.push({ message: m.mailToFiles(resolve(ctx.cwd, ctx.config.mail.outbox)) });
    if (ctx.config.mail.operators.length === 0) validated.warnings.push({ message: m.noOperators });
    const violations = assertPlanInScope(plan, namingPolicyOf(ctx.config));
    if (violations.length > 0) throw new ScopeError(scopeMessages.planOutOfScope(violations.length, violations[0] ?? ''), '');
    assertSafetyThresholdsFor(ctx, plan, snapshot, options.force);

    await checkBeforeWriting(plan, { directory, trainingParentGroupDn: ctx.config.naming.trainingParentGroupDn, journal });
    credentials = createCredentialDelivery(ctx, directory, journal, mailer);
    const delivery = credentials;
    const opened = journal;
    // From here on the directory may have been written to (see afterFirstWrite).
    return await afterFirstWrite(async () => {
      const settled = await delivery.settlePending(ctx.config.directory.concurrency, plannedMailOf(plan));
      ctx.print(renderTerminalSummary(summarisePlan(plan, validated), { color: ctx.color }));
      let outcomes: ChangeOutcome[] = [];
      if (plan.changes.length > 0) {
        const result = await applyPlan(plan, applyDepsOf(ctx, directory, delivery));
        outcomes = result.outcomes;
      } else {
        ctx.print(cliMessages.nothingToDo);
      }
      // Training: record what apply created, bring drifted accounts back, tell the órgãos it is ready.
      const finished = await finishWithTraining(
        ctx,
        { plan, validated, outcomes, credentials: delivery, journal: opened, reportDir: options.reportDir, settleFailures: settled.failed },
        { directory, mailer },
        { reset: true },
      );
      let run = finished;
      if (options.exportSip) {
        const done = new Set(outcomes.filter((o) => o.status === 'done').map((o) => o.index));
        const created = plan.changes.filter((c, i): c is CreateUser => c.kind === 'create-user' && done.has(i));
        const file = resolve(ctx.cwd, options.exportSip);
        try {
          await writeSipExport(file, created, validated.people);
          ctx.print(m.sipWritten(file, created.length));
        } catch (e) {
          // The accounts exist by now: the run still reports, mails the operators and exits 1, naming the
          // report where the accounts created are listed.
          const message = m.sipFailed(file, (e as NodeJS.ErrnoException).code ?? String(e), finished.reportDir);
          ctx.logger.error(message);
          ctx.print(message);
          run = { ...finished, exitCode: ExitCode.partial, otherFailures: finished.otherFailures + 1 };
        }
      }
      progress.summarised = true;
      await mailOperators(ctx, mailer, 'sync', run);
      return { ...run, plan };
    });
  } finally {
    // A run stopped by an error still lets the passwords it set go out before the mailer closes.
    await credentials?.settle().catch(() => undefined);
    forgetJournal?.();
    if (journal) await flushJournal(ctx, journal);
    await directory.close();
  }
}
