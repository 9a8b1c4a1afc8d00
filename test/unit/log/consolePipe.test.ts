import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const logger = fileURLToPath(new URL('../../../src/adapters/log/createLogger.ts', import.meta.url));
const lastResort = fileURLToPath(new URL('../../../src/cli/lastResort.ts', import.meta.url));

describe('the console of a run whose reader went away (a closed pipe)', () => {
  it('goes quiet, and the run goes on to its end instead of dying on EPIPE', async () => {
    // Logs a line every 20 ms, 40 of them, then says so on stdout and ends with 0.
    const script = `import { createLogger } from ${JSON.stringify(logger)};
import { installLastResort } from ${JSON.stringify(lastResort)};
installLastResort(process.stderr);
const log = createLogger({ level: 'info', retentionDays: 1, console: 'normal', color: false, runId: 'r' });
let i = 0;
const t = setInterval(() => { log.info('linha ' + i++); if (i === 40) { clearInterval(t); process.stdout.write('chegou ao fim'); } }, 20);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // The reader of its stderr goes away after the first line.
    child.stderr.once('data', () => child.stderr.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).to.equal('chegou ao fim');
    expect(code).to.equal(0);
  });
});
