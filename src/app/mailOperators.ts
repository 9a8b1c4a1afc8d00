import { renderTerminalSummary } from '../adapters/report/renderTerminal.js';
import { operatorSummaryMessage } from '../messages/mail.js';
import { syncMessages as m } from '../messages/sync.js';
import type { Mailer } from '../ports/Mailer.js';
import type { RunContext } from './context.js';
import type { FinishedRun } from './finishRun.js';

/** The summary to the configured operators after apply and sync. Its failure is logged, never fatal: the reports exist. */
export async function mailOperators(ctx: RunContext, mailer: Mailer, command: string, run: FinishedRun): Promise<void> {
  if (ctx.config.mail.operators.length === 0) return;
  const s = run.model.summary;
  const content = operatorSummaryMessage({
    runId: ctx.runId,
    command: m.commandWithExit(command, run.exitCode),
    summaryText: renderTerminalSummary(run.model, { color: false }),
    counts: {
      created: s.create,
      updated: s.update,
      disabled: s.disable,
      rejectedRows: s.rejected,
      failed: (run.model.results?.failed ?? 0) + run.otherFailures,
      credentialsPending: run.pendingCredentials,
    },
  });
  for (const to of ctx.config.mail.operators) {
    try {
      await mailer.send({ to, ...content });
    } catch (e) {
      ctx.logger.warn(m.summaryMailFailed(e instanceof Error ? e.message : String(e)));
    }
  }
}
