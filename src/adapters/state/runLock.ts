import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LockHeldError } from '../../domain/errors.js';
import { lockMessages as m } from '../../messages/lock.js';

export interface LockInfo {
  pid: number;
  startedAt: string;
  command: string;
  runId: string;
}

export interface HeldLock {
  release(): Promise<void>;
  /** Set when a stale lock (its process gone) was taken over. */
  tookOver?: LockInfo;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One run at a time per state folder: `O_EXCL` creation of `<stateDir>/sei-contas.lock` holding PID and
 * start time. A second run fails at once naming the holder (exit 3); a lock whose process is gone is taken
 * over with a warning.
 */
export async function acquireRunLock(stateDir: string, info: Omit<LockInfo, 'pid'>): Promise<HeldLock> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, 'sei-contas.lock');
  const mine: LockInfo = { pid: process.pid, ...info };
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(JSON.stringify(mine));
      await handle.sync();
      await handle.close();
      const release = async () => {
        // Only remove the lock if it is still ours.
        const now = await readFile(file, 'utf8').catch(() => '');
        if (now.includes(`"pid":${mine.pid},`) && now.includes(mine.runId)) await rm(file, { force: true });
      };
      return tookOver ? { release, tookOver } : { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: LockInfo | undefined;
    try {
      holder = JSON.parse(await readFile(file, 'utf8')) as LockInfo;
    } catch {
      holder = undefined; // Half-written by a run that died while writing it: stale.
    }
    if (holder && isAlive(holder.pid)) throw new LockHeldError(m.held(holder.pid, holder.startedAt, holder.command, file));
    tookOver = holder ?? { pid: 0, startedAt: '?', command: '?', runId: '?' };
    await rm(file, { force: true });
  }
  throw new LockHeldError(m.contended(file));
}
