import { expect } from 'chai';
import { checkBeforeWriting } from '../../../src/app/applyPlan.js';
import { DirectoryError, DirectoryUnavailableError, ExitCode, SeiError } from '../../../src/domain/errors.js';
import type { Plan } from '../../../src/domain/plan.js';
import type { Directory } from '../../../src/ports/Directory.js';
import { planOf } from './applyFakes.js';

const training: Plan = planOf([
  { kind: 'create-training-account', dn: 'CN=usuario01,OU=PMA,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local', orgao: 'PMA', login: 'usuario01.pma', upn: 'usuario01.pma@sei.local', cn: 'usuario01' },
]);
const timeout = new DirectoryError('tempo esgotado', { resultCode: 85, operation: 'read', transient: true });

async function stopOf(run: Promise<void>): Promise<unknown> {
  try {
    await run;
  } catch (e) {
    return e;
  }
  throw new Error('checkBeforeWriting did not stop the run');
}

describe('app/checkBeforeWriting: a stop before the first write says nothing was done (exit 2)', () => {
  it('a directory that fails to answer the PSO check is unavailable, not a failed action (exit 1)', async () => {
    const directory = { read: async () => Promise.reject(timeout) } as unknown as Directory; // read is all the check uses
    const e = await stopOf(checkBeforeWriting(training, { directory, trainingParentGroupDn: 'CN=SEI-Treinamento,DC=sei,DC=local' }));
    expect(e).to.be.instanceOf(DirectoryUnavailableError);
    expect((e as SeiError).exitCode).to.equal(ExitCode.unusable);
    expect((e as Error).message).to.contain('nada foi gravado');
  });

  it('a journal that cannot be read stops the run here, before pending credentials are settled', async () => {
    const unreadable = new SeiError('O diário de credenciais não pode ser lido', ExitCode.unusable);
    const journal = { pending: async () => Promise.reject(unreadable) };
    const directory = {} as Directory; // not reached
    const e = await stopOf(checkBeforeWriting(planOf([]), { directory, trainingParentGroupDn: '', journal }));
    expect(e).to.equal(unreadable);
  });
});
