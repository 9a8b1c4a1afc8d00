/**
 * What a run does when it is told to stop (SIGTERM from systemd's timeout or a shutdown, Ctrl-C): the
 * signal would end Node at once, with no word to anyone. Each part of a run that has something to say or
 * to put on disk registers it here while it runs; on the signal they all get a short grace, and then the
 * signal is raised again, so the process still ends by it (a scheduler sees a killed run, not a success).
 */
type Cleanup = (signal: NodeJS.Signals) => Promise<void>;

const cleanups = new Set<Cleanup>();

/** The grace given to the cleanups; systemd waits 90 s (TimeoutStopSec) before SIGKILL. */
const GRACE_MS = 20_000;

export const INTERRUPTING_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Runs `body` with `cleanup` to be called if the process is interrupted meanwhile. */
export async function onInterrupt<T>(cleanup: Cleanup, body: () => Promise<T>): Promise<T> {
  const forget = whenInterrupted(cleanup);
  try {
    return await body();
  } finally {
    forget();
  }
}

/** Registers `cleanup` until the function returned is called (for code whose end is a `finally` already). */
export function whenInterrupted(cleanup: Cleanup): () => void {
  // A wrapper of its own: the same function registered twice is two registrations.
  const entry: Cleanup = (signal) => cleanup(signal);
  cleanups.add(entry);
  return () => cleanups.delete(entry);
}

let stopSignal: NodeJS.Signals | undefined;

/** The signal the process was told to stop by, once it was: from then on no new write starts (guardDirectory). */
export const stoppingBy = (): NodeJS.Signals | undefined => stopSignal;

/** Set by the handlers when the signal comes; `undefined` lets writes start again (for tests only). */
export function markStopping(signal: NodeJS.Signals | undefined): void {
  stopSignal = signal;
}

/** Calls every registered cleanup, all at once, and waits for them for at most `graceMs`. */
export async function runInterruptCleanups(signal: NodeJS.Signals, graceMs = GRACE_MS): Promise<void> {
  const running = [...cleanups].map((c) => c(signal).catch(() => undefined));
  const grace = new Promise<void>((r) => setTimeout(r, graceMs).unref());
  await Promise.race([Promise.all(running), grace]);
}

/**
 * Installs the handlers (once per process, by the CLI). `said` tells the operator (stderr) why the run
 * ends; then the cleanups, and the signal again, now with Node's own handling: the process ends by it.
 */
export function installInterruptHandlers(said: (signal: NodeJS.Signals) => void): void {
  for (const signal of INTERRUPTING_SIGNALS) {
    process.once(signal, () => {
      markStopping(signal);
      said(signal);
      void runInterruptCleanups(signal).finally(() => process.kill(process.pid, signal));
    });
  }
}
