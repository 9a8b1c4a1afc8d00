import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
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
 * One run at a time per state folder: `<stateDir>/sei-contas.lock` holding PID and start time. A second run
 * fails at once naming the holder (exit 3); a lock whose process is gone is taken over with a warning.
 *
 * The lock appears whole or not at all: it is written to a file of our own and then hard-linked into place,
 * which fails if a lock exists (a run reading it never sees it half-written). A dead holder's lock is moved
 * aside by rename, which only one run can do to it; a run that finds it moved a live lock instead (another
 * run broke the stale one and made its own in between) puts it back.
 */
export async function acquireRunLock(stateDir: string, info: Omit<LockInfo, 'pid'>): Promise<HeldLock> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, 'sei-contas.lock');
  const mine: LockInfo = { pid: process.pid, ...info };
  const text = JSON.stringify(mine);
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await linkInto(file, text)) {
      const release = async () => {
        // Only remove the lock if it is still ours.
        const now = await readFile(file, 'utf8').catch(() => '');
        if (now === text) await rm(file, { force: true });
      };
      return tookOver ? { release, tookOver } : { release };
    }
    const raw = await readFile(file, 'utf8').catch(() => null);
    if (raw === null) continue; // released meanwhile: try again
    let holder: LockInfo | undefined;
    try {
      holder = JSON.parse(raw) as LockInfo;
    } catch {
      holder = undefined; // Damaged (a lock of an older version cut short by a crash): stale.
    }
    if (holder && isAlive(holder.pid)) throw new LockHeldError(m.held(holder.pid, holder.startedAt, holder.command, file));
    const aside = `${file}.${process.pid}.${randomUUID()}.stale`;
    try {
      await rename(file, aside);
    } catch {
      continue; // another run moved it first
    }
    const moved = await readFile(aside, 'utf8').catch(() => '');
    if (moved !== raw) {
      // A live lock made after the stale one was broken: back where it was, and it holds.
      await link(aside, file).catch(() => undefined);
      await rm(aside, { force: true });
      continue;
    }
    await rm(aside, { force: true });
    tookOver = holder ?? { pid: 0, startedAt: '?', command: '?', runId: '?' };
  }
  throw new LockHeldError(m.contended(file));
}

/** Creates `file` holding `text`, whole, unless it exists (then false). */
async function linkInto(file: string, text: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    await rm(tmp, { force: true });
  }
}
