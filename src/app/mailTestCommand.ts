import { ExitCode, type ExitCodeValue } from '../domain/errors.js';
import { testMessage } from '../messages/mail.js';
import { resendMessages as m } from '../messages/resend.js';
import type { RunContext } from './context.js';

/** `sei-contas mail test <address>`: one harmless message, to check the settings. */
export async function mailTestCommand(ctx: RunContext, options: { to: string }): Promise<{ exitCode: ExitCodeValue }> {
  const mailer = ctx.openMailer();
  try {
    const receipt = await mailer.send({ to: options.to, ...testMessage() });
    ctx.print(m.mailTestSent(options.to, receipt.messageId));
    return { exitCode: ExitCode.ok };
  } finally {
    await mailer.close();
  }
}
