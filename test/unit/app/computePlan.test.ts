import { expect } from 'chai';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePlan } from '../../../src/app/computePlan.js';
import type { RunContext } from '../../../src/app/context.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { DirectoryError, DirectoryUnavailableError } from '../../../src/domain/errors.js';
import type { Directory } from '../../../src/ports/Directory.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import { aSnapshot } from '../core/builders.js';

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

  it('disables nobody as missing when a quote left open swallowed rows of a form, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-compute-'));
    const form = join(dir, 'f.csv');
    const [ana, bia] = [generateValidCpf(1), generateValidCpf(2)];
    // Bia's row is inside Ana's nome: her account must not look missing.
    writeFileSync(form, `Município;Órgão;Nome;CPF;E-mail\nA;PREF;"Ana Lima;${ana};ana@a.sp.gov.br\nA;PREF;Bia Reis;${bia};bia@a.sp.gov.br\nA;PREF;Caio";${generateValidCpf(3)};c@a.sp.gov.br\n`);
    const none = (): void => undefined;
    const logger = { info: none, warn: none, error: none, debug: none, audit: none };
    const ctx = { config: loadConfig({ env: {} }), cwd: dir, clock: () => new Date(), logger } as unknown as RunContext; // what computePlan reads
    const snapshot = aSnapshot()
      .withManagedOus('PREF')
      .withUser({ sAMAccountName: 'bia.reis', employeeID: bia })
      .withUser({ sAMAccountName: 'rui.gone', employeeID: generateValidCpf(9) })
      .build();
    const directory = { observe: async () => snapshot } as unknown as Directory; // observe is all a plan reads
    const { plan, validated } = await computePlan(ctx, { files: [form], disableMissing: true, training: false }, directory);
    expect(plan.changes.filter((c) => c.kind === 'disable-user')).to.deep.equal([]);
    expect(validated.warnings.map((w) => w.message).join('\n')).to.contain('Nenhuma conta foi desativada por ausência');
    // Without the broken quote, the one really missing is disabled: the test can tell the two apart.
    writeFileSync(form, `Município;Órgão;Nome;CPF;E-mail\nA;PREF;Bia Reis;${bia};bia@a.sp.gov.br\n`);
    const clean = await computePlan(ctx, { files: [form], disableMissing: true, training: false }, directory);
    expect(clean.plan.changes.filter((c) => c.kind === 'disable-user').map((c) => (c.kind === 'disable-user' ? c.login : ''))).to.deep.equal(['rui.gone']);
  });

  it('warns, in the plan the operators read, about a group or training login another object of the domain holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-compute-'));
    const form = join(dir, 'f.csv');
    writeFileSync(form, `Município;Órgão;Nome;CPF;E-mail\nA;PMA;Ana Lima;${generateValidCpf(1)};ana@a.sp.gov.br\n`);
    const none = (): void => undefined;
    const logger = { info: none, warn: none, error: none, debug: none, audit: none };
    const ctx = { config: loadConfig({ env: {} }), cwd: dir, clock: () => new Date(), logger } as unknown as RunContext; // what computePlan reads
    const snapshot = aSnapshot().withTakenLogins('usuario07.pma').build();
    const directory = { observe: async () => snapshot } as unknown as Directory; // observe is all a plan reads
    const { validated } = await computePlan(ctx, { files: [form] }, directory);
    const warnings = validated.warnings.map((w) => w.message).filter((m) => m.includes('não poderá ser criada'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('usuario07.pma').and.to.contain('CN=usuario07,OU=PMA');
  });
});
