import { expect } from 'chai';
import { mailTestCommand } from '../../../src/app/mailTestCommand.js';
import type { RunContext } from '../../../src/app/context.js';
import { MailError, SeiError } from '../../../src/domain/errors.js';
import type { Mailer } from '../../../src/ports/Mailer.js';

/** A context whose mailer records what it was asked to send and answers with `send`. */
function contextWith(send: Mailer['send']): { ctx: RunContext; sent: string[] } {
  const sent: string[] = [];
  const mailer: Mailer = { send: (msg) => (sent.push(msg.to), send(msg)), verify: async () => undefined, close: async () => undefined };
  const ctx = { openMailer: () => mailer, print: () => undefined } as unknown as RunContext; // only these two are used
  return { ctx, sent };
}

async function exitCodeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(SeiError);
    return (e as SeiError).exitCode;
  }
  return 0;
}

describe('mail test command', () => {
  it('an argument that is not one mailbox is unusable input (exit 2), and nothing is sent', async () => {
    const { ctx, sent } = contextWith(async () => ({ messageId: '<x>', response: '250' }));
    expect(await exitCodeOf(mailTestCommand(ctx, { to: 'nao-e-email' }))).to.equal(2);
    expect(sent).to.deep.equal([]);
  });

  it('a relay that refuses (TLS, authentication) is a setting to fix: exit 2, not a partial run', async () => {
    const { ctx } = contextWith(async () => {
      throw new MailError('autenticação recusada', { permanent: false });
    });
    expect(await exitCodeOf(mailTestCommand(ctx, { to: 'op@prodesp.sp.gov.br' }))).to.equal(2);
  });

  it('a message accepted is exit 0', async () => {
    const { ctx, sent } = contextWith(async () => ({ messageId: '<x>', response: '250' }));
    expect(await mailTestCommand(ctx, { to: 'op@prodesp.sp.gov.br' })).to.deep.equal({ exitCode: 0 });
    expect(sent).to.deep.equal(['op@prodesp.sp.gov.br']);
  });
});
