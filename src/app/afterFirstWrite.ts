import { ExitCode, SeiError } from '../domain/errors.js';
import { syncMessages as m } from '../messages/sync.js';

/**
 * Runs the part of a command that writes to the directory. Whatever stops it there (a full disk while the
 * reports are written, a bug) has come after accounts may have been created or changed: the run ends with
 * exit 1 ("finished, with failures"), never 2, which says nothing was done.
 */
export async function afterFirstWrite<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof SeiError && e.exitCode === ExitCode.partial) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw new SeiError(m.stoppedAfterWrites(detail), ExitCode.partial, { cause: e });
  }
}
