import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockHeldError } from '../../domain/errors.js';
import { lockMessages as m } from '../../messages/lock.js';

export interface LockInfo {
  pid: number;
  startedAt: string;
  command: string;
  runId: string;
  /**
   * Who the holder is, without any clock: the kernel's boot id and the holder's start time in clock ticks
   * since boot (/proc/<pid>/stat). Absent where /proc does not tell, and in locks of earlier builds.
   */
  boot?: string;
  ticks?: number;
  /**
   * Where the holder runs: the machine's name and its PID namespace (/proc/self/ns/pid). A holder elsewhere
   * (another host on a shared folder, another container) cannot be looked up in this process table: it is
   * alive while it keeps touching the lock (see HEARTBEAT_MS).
   */
  host?: string;
  pidns?: string;
}

/** How often a holder touches its lock, and how long a holder elsewhere may go without it before its lock is stale. */
const HEARTBEAT_MS = 60_000;
const FOREIGN_STALE_MS = 10 * 60_000;

/** Where the holder runs when not here: its machine's name, or another container of this one; undefined when here. */
function whereElse(holder: LockInfo): string | undefined {
  if (holder.host !== undefined && holder.host !== hostname()) return holder.host;
  const ns = pidNamespace();
  return holder.pidns !== undefined && ns !== undefined && holder.pidns !== ns ? m.otherContainer(hostname()) : undefined;
}

/** This process's PID namespace (`pid:[4026531836]`); undefined where /proc does not tell. */
function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
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

/** Clock ticks per second of /proc/<pid>/stat's start time; 100 on every Linux the tool runs on. */
const CLOCK_TICKS = 100;

/** When process `pid` started, in clock ticks since boot (/proc/<pid>/stat, field 22); undefined where /proc does not tell. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** This boot of the machine (a new one at every boot); undefined where the kernel does not tell. */
function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * When the process now holding `pid` started (ms since the epoch), from /proc; undefined where /proc does
 * not tell (another OS), and then the PID alone decides.
 */
function processStart(pid: number): number | undefined {
  try {
    const ticks = startTicks(pid);
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    if (ticks === undefined || boot === undefined) return undefined;
    return Number(boot) * 1000 + (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * The holder still runs: its PID is alive and is the same process that took the lock. A PID is reused —
 * after a reboot, or in a container where every run is PID 1 — so the PID alone does not tell. Where the
 * lock has no boot id and start tick (another OS, a lock of an earlier build), a process that started after
 * the lock was taken is someone else, and the lock is stale. A minute of slack: a clock stepped back a little must never let
 * a second run in beside a live one (a holder that restarts within the minute waits for the next run).
 */
function holderRuns(holder: LockInfo, touchedAt: number): boolean {
  // Elsewhere: its PID means nothing here. Alive while its heartbeat keeps the lock fresh (a wall-clock
  // comparison, with minutes of slack for clocks that differ between machines).
  if (whereElse(holder) !== undefined) return Date.now() - touchedAt < FOREIGN_STALE_MS;
  if (!isAlive(holder.pid)) return false;
  // By identity where the lock records it: the same boot, and the process with that PID started at the same
  // tick. No wall clock is involved, so a clock stepped at boot (NTP) can neither free a live holder's lock
  // nor keep a dead one's.
  const boot = bootId();
  if (holder.boot !== undefined && holder.ticks !== undefined && boot !== undefined) {
    return holder.boot === boot && startTicks(holder.pid) === holder.ticks;
  }
  const taken = Date.parse(holder.startedAt);
  const started = processStart(holder.pid);
  if (Number.isNaN(taken) || started === undefined) return true;
  return started <= taken + 60_000;
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
  const boot = bootId();
  const ticks = startTicks(process.pid);
  const ns = pidNamespace();
  const mine: LockInfo = {
    pid: process.pid,
    ...info,
    ...(boot !== undefined && ticks !== undefined ? { boot, ticks } : {}),
    host: hostname(),
    ...(ns !== undefined ? { pidns: ns } : {}),
  };
  const text = JSON.stringify(mine);
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await linkInto(file, text)) && (await stillMine(file, text))) {
      // The heartbeat a run elsewhere reads this lock's life by.
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(file, now, now).catch(() => undefined);
      }, HEARTBEAT_MS);
      heartbeat.unref();
      const release = async () => {
        clearInterval(heartbeat);
        // Only remove the lock if it is still ours.
        const now = await readFile(file, 'utf8').catch(() => '');
        if (now === text) await rm(file, { force: true });
      };
      return tookOver ? { release, tookOver } : { release };
    }
    const raw = await readFile(file, 'utf8').catch(() => null);
    if (raw === null) continue; // released meanwhile: try again
    const touchedAt = await stat(file).then((st) => st.mtimeMs, () => Date.now());
    let holder: LockInfo | undefined;
    try {
      holder = JSON.parse(raw) as LockInfo;
    } catch {
      holder = undefined; // Damaged (a lock of an older version cut short by a crash): stale.
    }
    if (holder && holderRuns(holder, touchedAt)) {
      const elsewhere = whereElse(holder);
      throw new LockHeldError(elsewhere !== undefined ? m.heldElsewhere(elsewhere, holder.pid, holder.startedAt, holder.command, file) : m.held(holder.pid, holder.startedAt, holder.command, file));
    }
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

/**
 * How long a new lock must stay in place before the run trusts it. A run that read a stale lock a moment
 * earlier may move ours aside, taking it for that stale one, and fail to put it back because a third run
 * got in meanwhile: every run that got the lock checks, after this pause, that the lock is still its own.
 */
const SETTLE_MS = 200;

async function stillMine(file: string, text: string): Promise<boolean> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return (await readFile(file, 'utf8').catch(() => '')) === text;
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
