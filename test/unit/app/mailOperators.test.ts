import { expect } from 'chai';
import { mailOperators } from '../../../src/app/mailOperators.js';
import type { RunContext } from '../../../src/app/context.js';
import type { FinishedRun } from '../../../src/app/finishRun.js';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import type { OutgoingMessage } from '../../../src/ports/Mailer.js';
import { aBatch, aPlan } from '../report/builders.js';

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
});
