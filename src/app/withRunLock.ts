import { resolve } from 'node:path';
import { acquireRunLock } from '../adapters/state/runLock.js';
import { lockMessages } from '../messages/lock.js';
import type { RunContext } from './context.js';

/** Every command that writes runs under the state folder's lock: a second one exits 3 at once. */
export async function withRunLock<T>(ctx: RunContext, command: string, body: () => Promise<T>): Promise<T> {
  const lock = await acquireRunLock(resolve(ctx.cwd, ctx.config.state.dir), {
    startedAt: ctx.clock().toISOString(),
    command,
    runId: ctx.runId,
  });
  if (lock.tookOver) ctx.logger.warn(lockMessages.tookOver(lock.tookOver.pid, lock.tookOver.startedAt));
  try {
    return await body();
  } finally {
    await lock.release();
  }
}
