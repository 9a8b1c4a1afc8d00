import { renderTerminalSummary } from '../adapters/report/renderTerminal.js';
import { operatorSummaryMessage, type MailContent } from '../messages/mail.js';
import { syncMessages as m } from '../messages/sync.js';
import type { Mailer } from '../ports/Mailer.js';
import type { RunContext } from './context.js';
import type { FinishedRun } from './finishRun.js';
import { ExitCode, MailError, SeiError } from '../domain/errors.js';
import { maskCpfsInText } from '../core/cpf.js';

/** The summary to the configured operators after apply and sync. Its failure is logged, never fatal: the reports exist. */
export async function mailOperators(ctx: RunContext, mailer: Mailer, command: string, run: FinishedRun): Promise<void> {
  if (ctx.config.mail.operators.length === 0) return;
  const s = run.model.summary;
  // After an apply, what was done: the summary's counts are what the plan asked for, failed or not.
  const applied = run.model.results !== undefined;
  const done = (kind: 'create-user' | 'update-user' | 'disable-user'): number =>
    run.model.changes.filter((c) => c.kind === kind && c.outcome?.status === 'done').length;
  const content = operatorSummaryMessage({
    runId: ctx.runId,
    command: m.commandWithExit(command, run.exitCode),
    summaryText: renderTerminalSummary(run.model, { color: false }),
    counts: {
      created: applied ? done('create-user') : s.create,
      updated: applied ? done('update-user') : s.update,
      disabled: applied ? done('disable-user') : s.disable,
      rejectedRows: s.rejected,
      failed: (run.model.results?.failed ?? 0) + run.otherFailures,
      credentialsPending: run.pendingCredentials,
    },
  });
  await sendToOperators(ctx, mailer, content);
}

/**
 * The operators hear of a run that stopped before its summary (a safety limit, the directory unreachable, a
 * bad form): unattended, the exit code alone reaches nobody. The error's own sentence is what they read; an
 * unexpected error is named only as such (its details are in the log).
 */
export async function mailOperatorsStopped(
  ctx: RunContext,
  mailer: Mailer,
  command: string,
  error: unknown,
  endedBy?: NodeJS.Signals,
  also: { note?: string } = {},
): Promise<void> {
  if (ctx.config.mail.operators.length === 0) return;
  const known = error instanceof SeiError;
  const reason = known ? error.message : m.stoppedUnexpectedly;
  const content = operatorSummaryMessage({
    runId: ctx.runId,
    command: endedBy !== undefined ? m.commandEndedBySignal(command, endedBy) : m.commandWithExit(command, known ? error.exitCode : ExitCode.unusable),
    // An error may quote a form's cells or a DN: no CPF leaves in a mail.
    summaryText: maskCpfsInText(also.note !== undefined ? `${reason}\n\n${also.note}` : reason),
    counts: {},
    attention: true,
  });
  // The run is failing already, often with the network down: one failed send is enough to stop trying.
  await sendToOperators(ctx, mailer, content, { stopAtFirstFailure: true });
}

/**
 * The server answered, and refused this one address (a mailbox removed, full, a 4xx for it): the next
 * operator may well get the notice. No answer at all (the network down, a timeout) or a refusal of the
 * sending itself would only cost each of the others the same wait.
 */
function aboutThisAddressOnly(e: unknown): boolean {
  return e instanceof MailError && e.serverResponse !== undefined && !e.serverWide;
}

/** One message to each configured operator; a failed send is logged. How many went out. */
export async function sendToOperators(
  ctx: RunContext,
  mailer: Mailer,
  content: MailContent,
  opts: { stopAtFirstFailure?: boolean } = {},
): Promise<number> {
  let sent = 0;
  for (const to of ctx.config.mail.operators) {
    try {
      await mailer.send({ to, ...content });
      sent++;
    } catch (e) {
      ctx.logger.warn(m.summaryMailFailed(e instanceof Error ? e.message : String(e)));
      if (opts.stopAtFirstFailure && !aboutThisAddressOnly(e)) return sent;
    }
  }
  return sent;
}
