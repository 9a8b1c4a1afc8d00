import { isSingleAddress } from '../core/mailbox.js';
import { ExitCode, MailError, SeiError, type ExitCodeValue } from '../domain/errors.js';
import { testMessage } from '../messages/mail.js';
import { resendMessages as m } from '../messages/resend.js';
import type { RunContext } from './context.js';

/**
 * `sei-contas mail test <address>`: one harmless message, to check the settings. Whatever stops it is a
 * setting or an argument to fix (exit 2), never a partial run.
 */
export async function mailTestCommand(ctx: RunContext, options: { to: string }): Promise<{ exitCode: ExitCodeValue }> {
  if (!isSingleAddress(options.to)) throw new SeiError(m.mailTestBadAddress(options.to), ExitCode.unusable);
  const mailer = ctx.openMailer();
  try {
    const receipt = await mailer.send({ to: options.to, ...testMessage() });
    ctx.print(m.mailTestSent(options.to, receipt.messageId));
    return { exitCode: ExitCode.ok };
  } catch (e) {
    if (e instanceof MailError) throw new SeiError(e.message, ExitCode.unusable, { cause: e });
    throw e;
  } finally {
    await mailer.close();
  }
}
