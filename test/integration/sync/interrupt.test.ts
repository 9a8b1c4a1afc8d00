import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInterruptCleanups } from '../../../src/app/interruption.js';
import { syncCommand } from '../../../src/app/syncCommand.js';
import type { Directory } from '../../../src/ports/Directory.js';
import { cpfFor, newRun, newWorkDir, readOutbox, writeForm } from '../harness.js';

const OPERATOR = 'operador@prodesp.sp.gov.br';

describe('sync interrupted (SIGTERM at its timeout, a shutdown)', () => {
  it('mails the operators that it stopped, and why, before the process ends', async () => {
    const work = newWorkDir('sei-signal-');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ mail: { operators: [OPERATOR] } }));
    const run = newRun(work, { flags: { config: join(work, 'config.json') } });
    // A directory that hangs while it is read: the run is stuck where a slow DC leaves it, and the timeout hits.
    let reading!: () => void;
    const reached = new Promise<void>((r) => (reading = r));
    run.ctx.openDirectory = async () =>
      ({
        source: 'fake',
        observe: () => (reading(), new Promise(() => undefined)),
        close: async () => undefined,
      }) as unknown as Directory; // observe is where this run stops
    const form = writeForm(work, 'f.csv', [['Itu', 'PMIS', 'Rita Moraes', cpfFor(901), 'rita@itu.sp.gov.br']]);
    void syncCommand(run.ctx, { files: [form], disableMissing: false, force: false });
    await reached;
    await runInterruptCleanups('SIGTERM', 10_000);
    const mails = await readOutbox(join(work, 'outbox'));
    const toOperator = mails.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === OPERATOR);
    expect(toOperator).to.have.length(1);
    expect(toOperator[0]?.text).to.contain('interrompida pelo sinal SIGTERM');
    // It ends by the signal, not with an exit code of its own.
    expect(`${toOperator[0]?.subject} ${toOperator[0]?.text}`).to.contain('encerrada pelo sinal SIGTERM').and.not.contain('código de saída');
  });
});
