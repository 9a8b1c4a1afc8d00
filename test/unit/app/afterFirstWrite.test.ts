import { expect } from 'chai';
import { afterFirstWrite } from '../../../src/app/afterFirstWrite.js';
import { ExitCode, InputError, SeiError } from '../../../src/domain/errors.js';

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('no error');
}

describe('afterFirstWrite: a stop once the directory may have been written to', () => {
  it('returns what the writing part returns', async () => {
    expect(await afterFirstWrite(async () => 42)).to.equal(42);
  });

  it('turns any other error (a full disk writing the reports) into exit 1, saying accounts may have changed', async () => {
    const disk = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const e = await caught(() => afterFirstWrite(async () => Promise.reject(disk)));
    expect(e).to.be.instanceOf(SeiError);
    expect((e as SeiError).exitCode).to.equal(ExitCode.partial);
    expect((e as Error).message).to.contain('ENOSPC').and.contain('depois de começar a gravar no diretório');
    const input = await caught(() => afterFirstWrite(async () => Promise.reject(new InputError('arquivo sumiu', 'x.csv'))));
    expect((input as SeiError).exitCode).to.equal(ExitCode.partial);
  });

  it('lets an error that already says "finished with failures" through as it is', async () => {
    const partial = new SeiError('falhou', ExitCode.partial);
    expect(await caught(() => afterFirstWrite(async () => Promise.reject(partial)))).to.equal(partial);
  });
});
