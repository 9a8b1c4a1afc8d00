import { expect } from 'chai';
import { mailOperators, mailOperatorsStopped } from '../../../src/app/mailOperators.js';
import { MailError, ThresholdError } from '../../../src/domain/errors.js';
import type { RunContext } from '../../../src/app/context.js';
import type { FinishedRun } from '../../../src/app/finishRun.js';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import type { OutgoingMessage } from '../../../src/ports/Mailer.js';
import { aBatch, aPerson, aPlan, createUser, disableUser } from '../report/builders.js';

describe('operators summary mail', () => {
  it('counts failures outside the plan (training reset, earlier credentials) and names them', async () => {
    const sent: OutgoingMessage[] = [];
    const ctx = {
      runId: 'r1',
      config: { mail: { operators: ['op@prodesp.sp.gov.br'] } },
      logger: { warn: () => undefined },
      mailer: undefined,
    } as unknown as RunContext; // mailOperators reads only these
    const mailer = { send: async (m: OutgoingMessage) => (sent.push(m), { messageId: '<m>', response: '250' }), verify: async () => undefined, close: async () => undefined };
    const model = summarisePlan(aPlan([]), aBatch({ warnings: [{ message: 'falha em CN=usuario02,OU=PMC: senha recusada' }] }), { outcomes: [] });
    const run: FinishedRun = { exitCode: 1, model, reportDir: '/r', pendingCredentials: 0, otherFailures: 2 };
    await mailOperators(ctx, mailer, 'sync', run);
    expect(sent).to.have.length(1);
    expect(sent[0]?.subject).to.contain('requer atenção');
    expect(sent[0]?.text).to.contain('falha em CN=usuario02,OU=PMC');
  });

  it('counts what was done, not what the plan asked for: creates that failed are not "criadas"', async () => {
    const sent: OutgoingMessage[] = [];
    const ctx = { runId: 'r2', config: { mail: { operators: ['op@prodesp.sp.gov.br'] } }, logger: { warn: () => undefined } } as unknown as RunContext; // mailOperators reads only these
    const mailer = { send: async (m: OutgoingMessage) => (sent.push(m), { messageId: '<m>', response: '250' }), verify: async () => undefined, close: async () => undefined };
    const [a, b, c] = [aPerson({ nome: 'Ana Lima' }), aPerson({ nome: 'Bia Lima' }), aPerson({ nome: 'Cid Lima' })];
    const plan = aPlan([createUser(a), createUser(b), disableUser(c)]);
    const outcomes = [
      { index: 0, status: 'done' as const },
      { index: 1, status: 'failed' as const, message: 'servidor indisponível' },
      { index: 2, status: 'failed' as const, message: 'servidor indisponível' },
    ];
    const model = summarisePlan(plan, aBatch({ people: [a, b, c] }), { outcomes });
    await mailOperators(ctx, mailer, 'sync', { exitCode: 1, model, reportDir: '/r', pendingCredentials: 0, otherFailures: 0 });
    expect(sent[0]?.text).to.match(/contas criadas: 1\b/).and.match(/contas desativadas: 0\b/).and.match(/com falha: 2\b/);
  });

  it('a stop notice refused for one operator\'s mailbox still goes to the others; no answer at all stops it', async () => {
    const operators = ['removido@prodesp.sp.gov.br', 'op2@prodesp.sp.gov.br', 'op3@prodesp.sp.gov.br'];
    const ctx = { runId: 'r3', config: { mail: { operators } }, logger: { warn: () => undefined } } as unknown as RunContext; // mailOperatorsStopped reads only these
    const tried = async (failFirst: Error): Promise<string[]> => {
      const reached: string[] = [];
      const mailer = {
        send: async (msg: OutgoingMessage) => {
          // The first mailbox is refused; without a network, every send fails.
          if (msg.to === operators[0] || failFirst.message === 'sem rede') throw failFirst;
          reached.push(msg.to);
          return { messageId: '<m>', response: '250' };
        },
        verify: async () => undefined,
        close: async () => undefined,
      };
      await mailOperatorsStopped(ctx, mailer, 'sync', new ThresholdError('Limite de segurança: nada foi gravado.'));
      return reached;
    };
    const mailboxGone = new MailError('caixa inexistente', { permanent: true, serverResponse: '550 5.1.1 user unknown' });
    expect(await tried(mailboxGone)).to.deep.equal(['op2@prodesp.sp.gov.br', 'op3@prodesp.sp.gov.br']);
    const noNetwork = new MailError('sem rede', { permanent: false });
    expect(await tried(noNetwork)).to.deep.equal([]);
  });
});
