import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULE = fileURLToPath(new URL('../../../src/app/interruption.ts', import.meta.url));

describe('app/interruption: a run told to stop (SIGTERM, Ctrl-C)', () => {
  it('lets what is registered at that moment finish, and still ends by the signal (not by the end of its work)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-signal-'));
    const script = join(dir, 'run.mts');
    const log = join(dir, 'log.txt');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
       import { installInterruptHandlers, onInterrupt, whenInterrupted } from ${JSON.stringify(MODULE)};
       const note = (s) => appendFileSync(${JSON.stringify(log)}, s + '\\n');
       installInterruptHandlers((signal) => note('said ' + signal));
       const forget = whenInterrupted(async () => note('outer'));
       whenInterrupted(async () => note('gone'))();
       await onInterrupt(async (signal) => { await new Promise((r) => setTimeout(r, 200)); note('inner ' + signal); }, async () => {
         process.kill(process.pid, 'SIGTERM');
         await new Promise((r) => setTimeout(r, 10_000));
         note('body went on to its end');
       });
       forget();`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    expect(ended).to.deep.equal({ code: null, signal: 'SIGTERM' });
    expect(readFileSync(log, 'utf8').trim().split('\n')).to.deep.equal(['said SIGTERM', 'outer', 'inner SIGTERM']);
  });
});
