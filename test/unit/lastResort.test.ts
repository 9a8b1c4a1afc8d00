import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const module = fileURLToPath(new URL('../../src/cli/lastResort.ts', import.meta.url));

/** A process that installs the last resort and then fails the way a socket callback would. */
function failing(how: string) {
  const script = `import { installLastResort } from ${JSON.stringify(module)};
installLastResort(process.stderr);
${how}
setTimeout(() => {}, 5000);`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('the last resort for errors nobody caught', () => {
  it('ends an uncaught exception with exit 70 and one masked sentence, not Node exit 1 and a stack', () => {
    const r = failing(`setTimeout(() => { throw new Error('entrada CN=52998224725 inválida'); }, 10);`);
    expect(r.status).to.equal(70);
    expect(r.stderr).to.contain('Erro interno inesperado').and.to.contain('***.982.247-**');
    expect(r.stderr).not.to.contain('52998224725').and.not.to.contain('    at ');
  });

  it('does the same for a promise nobody awaited', () => {
    const r = failing(`void Promise.reject(new Error('CPF 529.982.247-25'));`);
    expect(r.status).to.equal(70);
    expect(r.stderr).to.contain('Erro interno inesperado').and.not.to.contain('529.982.247-25');
  });
});
