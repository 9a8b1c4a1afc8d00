import type { Logger } from '../ports/Logger.js';
import { progressMessages, type PlanPhase } from '../messages/progress.js';

/**
 * Runs one step of a plan and logs how long it took, at debug level (`--verbose`, or the log file when its
 * level is debug): where a slow run spends its time, without a profiler. `ms` is the field to read.
 */
export async function timePhase<T>(logger: Logger, phase: PlanPhase, run: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    const ms = Math.round(performance.now() - started);
    // Memory as the step ends: which step holds what, when a run comes near its memory bound.
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 2 ** 20);
    logger.debug(progressMessages.phase(phase, ms), { phase, ms, rssMb: mb(rss), heapMb: mb(heapUsed), heapTotalMb: mb(heapTotal), externalMb: mb(external) });
  }
}
