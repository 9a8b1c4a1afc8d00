import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, now. V8 collects its old generation rarely once a run has grown it: with 10⁵
 * rows it let the raw rows, dead once validated, lie until the process exited, and put the plan, the report
 * model and every later allocation on fresh pages beside them (50–70 MB of the run's peak). A step that has
 * just dropped a large structure calls this, so the next one reuses that memory instead of asking the system
 * for more. It costs a pause proportional to what is alive: worth it only where little is.
 *
 * V8's own `gc()` is only exposed with a command-line flag: it is taken once, from a context made while
 * the flag is on, and the flag turned off again, so no code of this process (or a library's) sees a
 * global `gc`.
 */
let gcFunction: (() => void) | undefined;

export function collectGarbage(): void {
  gcFunction ??= takeGc();
  gcFunction();
}

/**
 * V8's gc, or a function that does nothing where it cannot be had (a runtime that ignores the flag once
 * started): collecting early saves memory, and must never be what stops a run. `evaluate` is for the tests.
 */
export function takeGc(evaluate: (code: string) => unknown = (code) => runInNewContext(code)): () => void {
  // Started with --expose-gc (someone profiling): the flag is theirs, left on, and its global gc is the one.
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return global as () => void;
  setFlagsFromString('--expose-gc');
  try {
    const gc = evaluate('typeof gc === "function" ? gc : undefined');
    // The new context's global gc, a function of no arguments, or undefined without the flag.
    return typeof gc === 'function' ? (gc as () => void) : () => undefined;
  } catch {
    return () => undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
