import { expect } from 'chai';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePlan } from '../../../src/app/computePlan.js';
import type { RunContext } from '../../../src/app/context.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { DirectoryError, DirectoryUnavailableError } from '../../../src/domain/errors.js';
import type { Directory } from '../../../src/ports/Directory.js';

describe('computePlan', () => {
  it('a directory that fails while being read leaves the run unusable (exit 2): nothing was written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-compute-'));
    const form = join(dir, 'f.csv');
    writeFileSync(form, 'Município;Órgão;Nome;CPF;E-mail\nA;PMA;Ana Lima;529.982.247-25;ana@a.sp.gov.br\n');
    const none = (): void => undefined;
    const logger = { info: none, warn: none, error: none, debug: none, audit: none };
    const ctx = { config: loadConfig({ env: {} }), cwd: dir, clock: () => new Date(), logger } as unknown as RunContext; // what computePlan reads
    const directory = {
      observe: async () => {
        throw new DirectoryError('tempo esgotado', { resultCode: 52, operation: 'search', transient: true });
      },
    } as unknown as Directory; // observe is all a plan reads
    let error: unknown;
    try {
      await computePlan(ctx, { files: [form] }, directory);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DirectoryUnavailableError);
    expect((error as DirectoryUnavailableError).exitCode).to.equal(2);
    expect((error as Error).message).to.contain('tempo esgotado').and.contain('nada foi gravado');
  });
});
