import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ExitCode, SeiError, type ExitCodeValue } from '../domain/errors.js';
import { serviceFailureMessage } from '../messages/mail.js';
import { syncMessages as m } from '../messages/sync.js';
import type { RunContext } from './context.js';
import { sendToOperators } from './mailOperators.js';

/** How systemd says the service's main process ended, in ExecStopPost's environment. */
export interface ServiceEnd {
  /** `exited`, `killed` or `dumped`. */
  code: string;
  /** The exit status, or the signal's name without SIG. */
  status: string;
}

/** Signals the tool handles itself: it mails its own reason (or summary) before it ends by them. */
const HANDLED_SIGNALS = new Set(['TERM', 'INT', 'HUP']);
/** Exit codes the tool gives itself, each after telling whom it had to (see the exit codes in the README). */
const OWN_EXIT_CODES = new Set(['0', '1', '2', '3', '4']);

/**
 * Whether the run ended without a chance to tell the operators, and how (pt-BR, a few words); null when it
 * ended on its own terms. Killed (SIGKILL: the OOM killer, the timeout's last resort), crashed (a core dump)
 * or an exit code no path of the tool gives (Node's own fatal errors, systemd unable to start it).
 */
export function untoldEnd(end: ServiceEnd): string | null {
  if (end.code === 'exited' && end.status === String(ExitCode.crashed)) return m.endedHow.crashed;
  if (end.code === 'exited') return OWN_EXIT_CODES.has(end.status) ? null : m.endedHow.exited(end.status);
  if (end.code === 'killed') return HANDLED_SIGNALS.has(end.status) ? null : m.endedHow.killed(end.status);
  if (end.code === 'dumped') return m.endedHow.dumped(end.status);
  return m.endedHow.exited(`${end.code} ${end.status}`.trim());
}

/**
 * `sei-contas mail failure <unit>`: run by systemd right after the nightly unit (ExecStopPost), it mails the
 * operators when the run could not: the tool mails its own stops and summaries, but a killed or crashed
 * process says nothing to anyone. Outside systemd (no EXIT_CODE) it is a mistake of use: exit 2.
 */
export async function mailFailureCommand(ctx: RunContext, options: { unit: string }): Promise<{ exitCode: ExitCodeValue }> {
  const code = ctx.env.EXIT_CODE;
  if (code === undefined || code === '') throw new SeiError(m.failureNotFromSystemd, ExitCode.unusable);
  const end: ServiceEnd = { code, status: ctx.env.EXIT_STATUS ?? '' };
  const how = untoldEnd(end);
  if (how === null) {
    ctx.print(m.failureNothingToTell(end.code === 'exited' ? m.endedHow.exited(end.status) : m.endedHow.killed(end.status)));
    return { exitCode: ExitCode.ok };
  }
  if (ctx.config.mail.operators.length === 0) {
    ctx.logger.warn(m.noOperators);
    return { exitCode: ExitCode.partial };
  }
  const content = serviceFailureMessage({ unit: options.unit, how, host: hostname(), logsDir: resolve(ctx.cwd, ctx.config.logs.dir) });
  const mailer = ctx.openMailer();
  let sent: number;
  try {
    sent = await sendToOperators(ctx, mailer, content);
  } finally {
    await mailer.close();
  }
  if (sent === 0) {
    ctx.logger.error(m.failureNotMailed(options.unit, how));
    return { exitCode: ExitCode.partial };
  }
  ctx.print(m.failureMailed(options.unit, how, sent));
  return { exitCode: ExitCode.ok };
}
