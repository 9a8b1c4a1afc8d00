import type { Journal } from '../ports/Journal.js';
import type { RunContext } from './context.js';

/**
 * The journal on disk as a run ends (see Journal.flush). Called on every way out, so a failure is a warning,
 * never the run's error: every record is already in the file, only the fsync is missing.
 */
export async function flushJournal(ctx: RunContext, journal: Journal): Promise<void> {
  try {
    await journal.flush();
  } catch (e) {
    ctx.logger.warn(e instanceof Error ? e.message : String(e));
  }
}
