import { expect } from 'chai';
import { mailFailureCommand, untoldEnd } from '../../../src/app/mailFailureCommand.js';
import type { RunContext } from '../../../src/app/context.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { SeiError } from '../../../src/domain/errors.js';
import type { Mailer, OutgoingMessage } from '../../../src/ports/Mailer.js';

function contextWith(env: Record<string, string>, operators = ['op1@prodesp.sp.gov.br', 'op2@prodesp.sp.gov.br']) {
  const sent: OutgoingMessage[] = [];
  const printed: string[] = [];
  const mailer: Mailer = { send: async (msg) => (sent.push(msg), { messageId: '<x>', response: '250' }), verify: async () => undefined, close: async () => undefined };
  const config = loadConfig({ env: {} });
  const none = (): void => undefined;
  const ctx = {
    config: { ...config, mail: { ...config.mail, operators } },
    env,
    cwd: '/var/lib/sei-contas',
    logger: { info: none, warn: none, error: none, debug: none, audit: none },
    openMailer: () => mailer,
    print: (t: string) => printed.push(t),
  } as unknown as RunContext; // what the command reads
  return { ctx, sent, printed };
}

describe('mail failure (systemd ExecStopPost)', () => {
  it('tells apart the ends the tool reports itself from those it cannot', () => {
    for (const status of ['0', '1', '2', '3', '4']) expect(untoldEnd({ code: 'exited', status }), status).to.equal(null);
    for (const signal of ['TERM', 'INT', 'HUP']) expect(untoldEnd({ code: 'killed', status: signal }), signal).to.equal(null);
    expect(untoldEnd({ code: 'killed', status: 'KILL' })).to.contain('falta de memória');
    expect(untoldEnd({ code: 'dumped', status: 'SEGV' })).to.contain('SEGV');
    // Node's own fatal exits (7, 134 as an exit code) and systemd failing to start it (203/EXEC).
    for (const status of ['7', '134', '203']) expect(untoldEnd({ code: 'exited', status }), status).to.contain(status);
    // The tool's own last resort for an error nobody caught: it told nobody.
    expect(untoldEnd({ code: 'exited', status: '70' })).to.contain('70');
  });

  it('mails every operator when the run was killed, naming the unit, how it ended and where to look', async () => {
    const { ctx, sent } = contextWith({ EXIT_CODE: 'killed', EXIT_STATUS: 'KILL', SERVICE_RESULT: 'signal' });
    expect(await mailFailureCommand(ctx, { unit: 'sei-contas-sync.service' })).to.deep.equal({ exitCode: 0 });
    expect(sent.map((s) => s.to)).to.deep.equal(['op1@prodesp.sp.gov.br', 'op2@prodesp.sp.gov.br']);
    expect(sent[0]?.subject).to.contain('sei-contas-sync.service').and.to.contain('requer atenção');
    expect(sent[0]?.text).to.contain('KILL').and.to.contain('journalctl -u sei-contas-sync.service').and.to.contain('/var/lib/sei-contas/logs');
  });

  it('mails no one after an end the tool told about itself (an exit code of its own, or SIGTERM it handled)', async () => {
    for (const env of [{ EXIT_CODE: 'exited', EXIT_STATUS: '0' }, { EXIT_CODE: 'exited', EXIT_STATUS: '4' }, { EXIT_CODE: 'killed', EXIT_STATUS: 'TERM' }]) {
      const { ctx, sent, printed } = contextWith(env);
      expect(await mailFailureCommand(ctx, { unit: 'u' }), JSON.stringify(env)).to.deep.equal({ exitCode: 0 });
      expect(sent, JSON.stringify(env)).to.deep.equal([]);
      expect(printed.join(), JSON.stringify(env)).to.contain('nada a enviar');
    }
  });

  it('outside systemd (no EXIT_CODE) is a mistake of use, exit 2; with no operators configured, exit 1', async () => {
    let error: unknown;
    try {
      await mailFailureCommand(contextWith({}).ctx, { unit: 'u' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(SeiError);
    expect((error as SeiError).exitCode).to.equal(2);
    const { ctx, sent } = contextWith({ EXIT_CODE: 'dumped', EXIT_STATUS: 'ABRT' }, []);
    expect(await mailFailureCommand(ctx, { unit: 'u' })).to.deep.equal({ exitCode: 1 });
    expect(sent).to.deep.equal([]);
  });
});
