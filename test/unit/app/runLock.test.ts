import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock } from '../../../src/adapters/state/runLock.js';
import { LockHeldError } from '../../../src/domain/errors.js';
import { withRunLock } from '../../../src/app/withRunLock.js';
import type { RunContext } from '../../../src/app/context.js';

const info = (runId: string) => ({ startedAt: new Date().toISOString(), command: 'sync', runId });

describe('run lock', () => {
  it('a second acquire fails at once with exit 3 naming the holder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
    const lock = await acquireRunLock(dir, info('a'));
    try {
      await acquireRunLock(dir, info('b'));
      expect.fail('second lock acquired');
    } catch (e) {
      expect(e).to.be.instanceOf(LockHeldError);
      expect((e as LockHeldError).exitCode).to.equal(3);
      expect((e as Error).message).to.contain(String(process.pid));
    }
    await lock.release();
    expect(existsSync(join(dir, 'sei-contas.lock'))).to.equal(false);
    const again = await acquireRunLock(dir, info('c'));
    await again.release();
  });

  describe('a holder elsewhere (another machine on a shared folder, another container)', () => {
    const foreign = (over: Record<string, unknown>) => JSON.stringify({ pid: process.pid, startedAt: '2026-11-26T02:00:00.000Z', command: 'sync', runId: 'ali', ...over });
    const lockIn = (dir: string, text: string, minutesAgo: number) => {
      const file = join(dir, 'sei-contas.lock');
      writeFileSync(file, text);
      const at = new Date(Date.now() - minutesAgo * 60_000);
      utimesSync(file, at, at);
    };

    it('is alive while it keeps its lock fresh, though its PID means nothing here: exit 3 naming the machine', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
      // Our own PID, alive here: without the machine's name the lock would be judged by it.
      lockIn(dir, foreign({ host: 'outra-maquina', pid: 1 }), 2);
      const e = await acquireRunLock(dir, info('b')).then(() => null, (err: unknown) => err);
      expect(e).to.be.instanceOf(LockHeldError);
      expect((e as Error).message).to.contain('outra-maquina').and.to.contain('10 minutos');
      lockIn(dir, foreign({ host: hostname(), pidns: 'pid:[1]' }), 2);
      const other = await acquireRunLock(dir, info('c')).then(() => null, (err: unknown) => err);
      expect(other).to.be.instanceOf(LockHeldError);
      expect((other as Error).message).to.contain('outro contêiner');
    });

    it('is gone once its lock went ten minutes untouched: taken over, and said', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
      lockIn(dir, foreign({ host: 'outra-maquina', pid: 1 }), 11);
      const lock = await acquireRunLock(dir, info('d'));
      expect(lock.tookOver?.runId).to.equal('ali');
      await lock.release();
    });

    it('records its own machine and PID namespace in the lock it takes', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
      const lock = await acquireRunLock(dir, info('e'));
      const held = JSON.parse(readFileSync(join(dir, 'sei-contas.lock'), 'utf8')) as { host?: string; pidns?: string };
      expect(held.host).to.equal(hostname());
      expect(held.pidns).to.match(/^pid:\[\d+\]$/);
      await lock.release();
    });
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid ?? 0)));
    writeFileSync(join(dir, 'sei-contas.lock'), JSON.stringify({ pid: deadPid, startedAt: 'ontem', command: 'sync', runId: 'old' }));
    const lock = await acquireRunLock(dir, info('new'));
    expect(lock.tookOver?.pid).to.equal(deadPid);
    expect(readFileSync(join(dir, 'sei-contas.lock'), 'utf8')).to.contain('"runId":"new"');
    await lock.release();
  });

  it('tells the run that took over a dead holder\'s lock what to report: which run died, and since when', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid ?? 0)));
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, audit: () => undefined };
    const ctx = { cwd: dir, config: { state: { dir: 'estado' } }, clock: () => new Date(), logger: quiet, runId: 'r-new' } as unknown as RunContext; // withRunLock reads only these
    mkdirSync(join(dir, 'estado'));
    writeFileSync(join(dir, 'estado', 'sei-contas.lock'), JSON.stringify({ pid: deadPid, startedAt: '2026-11-26T02:07:00.000Z', command: 'sync', runId: 'old' }));
    const seen = await withRunLock(ctx, 'sync', async (held) => held.interruptedRun);
    expect(seen).to.contain('"sync", iniciada em 2026-11-26T02:07:00.000Z').and.contain('interrompida');
    expect(await withRunLock(ctx, 'sync', async (held) => held.interruptedRun)).to.equal(undefined);
    // A lock cut short by the crash names no run: said so, not as run "?" started at "?".
    writeFileSync(join(dir, 'estado', 'sei-contas.lock'), '{"pid": 12');
    const damaged = await withRunLock(ctx, 'sync', async (held) => held.interruptedRun);
    expect(damaged).to.contain('danificada').and.not.contain('"?"');
  });

  /** How many of `n` acquisitions started together get the lock (each tried in its own promise). */
  async function winners(dir: string, n: number): Promise<number> {
    const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => acquireRunLock(dir, info(`run${i}`))));
    for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(LockHeldError);
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  it('runs started together: exactly one holds the lock (a lock file is never seen half-written)', async () => {
    for (let round = 0; round < 20; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
      expect(await winners(dir, 8), `round ${round}`).to.equal(1);
    }
  });

  it('runs that all find the same dead holder: exactly one takes it over', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid ?? 0)));
    for (let round = 0; round < 20; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
      writeFileSync(join(dir, 'sei-contas.lock'), JSON.stringify({ pid: deadPid, startedAt: 'ontem', command: 'sync', runId: 'old' }));
      expect(await winners(dir, 8), `round ${round}`).to.equal(1);
    }
  });

  it('a run whose new lock was displaced in its first moments (another run breaking a stale lock) does not go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
    const file = join(dir, 'sei-contas.lock');
    const taking = acquireRunLock(dir, info('a'));
    // What a racing breaker and a third run do between A's link and A's check: A's lock moved aside, C's in.
    for (let waited = 0; !existsSync(file) && waited < 150; waited += 5) await new Promise((r) => setTimeout(r, 5));
    expect(readFileSync(file, 'utf8')).to.contain('"runId":"a"');
    renameSync(file, `${file}.aside`);
    writeFileSync(file, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), command: 'sync', runId: 'c' }));
    let error: unknown;
    try {
      await taking;
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(LockHeldError);
  });

  it('a live PID that started after the lock was taken is not its holder (a reused PID, PID 1 in a container): taken over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
    // This very process, under a lock taken an hour before it started: what a restarted container sees.
    const anHourBefore = new Date(Date.now() - process.uptime() * 1000 - 3_600_000).toISOString();
    writeFileSync(join(dir, 'sei-contas.lock'), JSON.stringify({ pid: process.pid, startedAt: anHourBefore, command: 'sync', runId: 'old' }));
    const lock = await acquireRunLock(dir, info('new'));
    expect(lock.tookOver?.runId).to.equal('old');
    await lock.release();
    // The same PID under a lock taken after it started is a live holder.
    writeFileSync(join(dir, 'sei-contas.lock'), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), command: 'sync', runId: 'live' }));
    let error: unknown;
    try {
      await acquireRunLock(dir, info('other'));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(LockHeldError);
  });

  describe('who holds it, told by boot id and start tick rather than by clocks', () => {
    const bootNow = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const myTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const lockWith = (dir: string, over: Record<string, unknown>) =>
      writeFileSync(join(dir, 'sei-contas.lock'), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), command: 'sync', runId: 'held', ...over }));
    const acquireOrError = async (dir: string) => {
      try {
        const lock = await acquireRunLock(dir, info('new'));
        await lock.release();
        return lock;
      } catch (e) {
        return e;
      }
    };

    it('records them in the lock it takes', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
      const lock = await acquireRunLock(dir, info('a'));
      expect(JSON.parse(readFileSync(join(dir, 'sei-contas.lock'), 'utf8'))).to.include({ pid: process.pid, boot: bootNow, ticks: myTicks });
      await lock.release();
    });

    it('a live holder keeps its lock even when the clock jumped forward since it took it (NTP at boot)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
      // Stamped ten minutes "before" this process started, by a clock that was behind: the tick says it is this process.
      const tenMinutesBefore = new Date(Date.now() - process.uptime() * 1000 - 600_000).toISOString();
      lockWith(dir, { startedAt: tenMinutesBefore, boot: bootNow, ticks: myTicks });
      expect(await acquireOrError(dir)).to.be.instanceOf(LockHeldError);
    });

    it('a lock of another boot, or of another process under the same PID, is stale, whatever its time says', async () => {
      for (const over of [{ boot: '00000000-0000-0000-0000-000000000000', ticks: myTicks }, { boot: bootNow, ticks: myTicks - 1 }]) {
        const dir = mkdtempSync(join(tmpdir(), 'sei-lock-'));
        lockWith(dir, over);
        const lock = await acquireOrError(dir);
        expect(lock).to.not.be.instanceOf(Error);
        expect((lock as { tookOver?: { runId: string } }).tookOver?.runId).to.equal('held');
      }
    });
  });
});
