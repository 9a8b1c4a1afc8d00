import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunContext } from '../../../src/app/context.js';
import { syncCommand } from '../../../src/app/syncCommand.js';
import { applyCommand } from '../../../src/app/applyCommand.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import { DirectoryUnavailableError, SeiError } from '../../../src/domain/errors.js';
import { runContext } from './runContext.js';

/** A run's context in a folder of its own, its mail to the operators recorded, its directory down. */
function syncContext(stateDir = 'estado', unreadable: Error = new DirectoryUnavailableError('O diretório não respondeu (dc1).')) {
  const run = runContext(
    {
      observe: async () => {
        throw unreadable;
      },
    },
    {
      runId: 'noite-2',
      adjust: (config) => {
        config.mail.operators = ['op@prodesp.sp.gov.br'];
        config.state.dir = stateDir;
      },
    },
  );
  writeFileSync(join(run.cwd, 'f.csv'), 'Município;Órgão;Nome;CPF;E-mail\nCampinas;PMC;Ana Lima;529.982.247-25;ana@pmc.sp.gov.br\n');
  return run;
}

async function stopOf(ctx: RunContext): Promise<SeiError> {
  try {
    await syncCommand(ctx, { files: ['f.csv'], disableMissing: false, force: false });
  } catch (e) {
    expect(e).to.be.instanceOf(SeiError);
    return e as SeiError;
  }
  expect.fail('the sync should have stopped');
}

describe('sync: stops the operators hear of', () => {
  it('a state folder that cannot take the lock (a full disk, a file in its place): exit 2, named, and mailed', async () => {
    const { ctx, sent, cwd } = syncContext('bloqueado/estado');
    writeFileSync(join(cwd, 'bloqueado'), 'não é uma pasta');
    const stop = await stopOf(ctx);
    expect(stop.exitCode).to.equal(2);
    expect(stop.message).to.contain(join(cwd, 'bloqueado/estado')).and.to.contain('ENOTDIR').and.to.contain('Nada foi feito');
    expect(sent).to.have.length(1);
    expect(sent[0]?.text).to.contain('trava de execução');
  });

  it('a run that stops early after taking over the lock of one that died also says that one was interrupted', async () => {
    const { ctx, sent, cwd } = syncContext();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(cwd, 'estado'));
    writeFileSync(join(cwd, 'estado', 'sei-contas.lock'), JSON.stringify({ pid: dead, startedAt: '2026-11-26T02:07:00.000Z', command: 'sync', runId: 'noite-1' }));
    const stop = await stopOf(ctx);
    expect(stop.exitCode).to.equal(2);
    expect(sent).to.have.length(1);
    expect(sent[0]?.text).to.contain('O diretório não respondeu').and.to.contain('terminou sem liberar a trava').and.to.contain('2026-11-26T02:07:00.000Z');
  });
});

describe('apply --plan: stops before writing', () => {
  it('a directory that cannot be read (a failed or incomplete search) is exit 2, nothing done, not exit 1', async () => {
    const incomplete = new DirectoryError('A leitura de OU=Usuarios veio incompleta.', { resultCode: 0, operation: 'search', transient: true });
    const { ctx, cwd } = syncContext('estado', incomplete);
    const plan = { version: 2, createdAt: '2026-11-26T00:00:00Z', inputs: [], observed: { source: 'f', observedAt: 'x', baseDN: 'DC=sei,DC=local', users: 0, trainingAccounts: 0 }, changes: [], unchanged: [] };
    writeFileSync(join(cwd, 'plano.json'), JSON.stringify(plan));
    let error: unknown;
    try {
      await applyCommand(ctx, { files: [], planFile: 'plano.json', yes: true });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(SeiError);
    expect((error as SeiError).exitCode).to.equal(2);
    expect((error as SeiError).message).to.contain('veio incompleta').and.to.contain('nada foi gravado');
  });
});
