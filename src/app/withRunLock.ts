import { resolve } from 'node:path';
import { acquireRunLock } from '../adapters/state/runLock.js';
import { lockMessages } from '../messages/lock.js';
import { codeOrMessage, ExitCode, SeiError } from '../domain/errors.js';
import type { RunContext } from './context.js';

export interface RunLockHeld {
  /**
   * Set when the lock was left by a run that died holding it (killed, out of memory, a power cut): the
   * sentence that run's report never carried, for this run's report and the operators' mail.
   */
  interruptedRun?: string;
}

/** Every command that writes runs under the state folder's lock: a second one exits 3 at once. */
export async function withRunLock<T>(ctx: RunContext, command: string, body: (held: RunLockHeld) => Promise<T>): Promise<T> {
  const stateDir = resolve(ctx.cwd, ctx.config.state.dir);
  const lock = await acquireRunLock(stateDir, { startedAt: ctx.clock().toISOString(), command, runId: ctx.runId }).catch((e: unknown) => {
    // A full disk, a read-only mount, a file in the folder's place: said as such, exit 2, not as a bug.
    if (e instanceof SeiError) throw e;
    throw new SeiError(lockMessages.unusable(stateDir, codeOrMessage(e)), ExitCode.unusable, { cause: e });
  });
  const was = lock.tookOver;
  if (was) ctx.logger.warn(lockMessages.tookOver(was.pid, was.startedAt));
  try {
    // A damaged lock names no run ("?", see acquireRunLock): said as such, not as run "?" started at "?".
    const which = was === undefined ? undefined : was.command === '?' ? lockMessages.interruptedUnknownRun : lockMessages.interruptedRun(was.command, was.startedAt);
    return await body(which !== undefined ? { interruptedRun: which } : {});
  } finally {
    await lock.release();
  }
}
