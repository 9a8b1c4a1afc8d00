import cliProgress from 'cli-progress';
import type { Logger, Progress } from '../../ports/Logger.js';
import { progressMessages as m } from '../../messages/progress.js';

/**
 * A bar on a terminal; without one (cron, CI), one plain line every `everyMs` so a mailed log shows the run
 * moving without a line per account.
 */
export function createProgress(options: { tty: boolean; logger: Logger; stream?: NodeJS.WritableStream; everyMs?: number }): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let lastLine = 0;
  let bar: cliProgress.SingleBar | undefined;
  const everyMs = options.everyMs ?? 10_000;
  return {
    start(l: string, t: number) {
      label = l;
      total = t;
      done = 0;
      lastLine = Date.now();
      if (t === 0) return;
      if (options.tty) {
        bar = new cliProgress.SingleBar(
          { format: `${l} [{bar}] {value}/{total} ({percentage}%) {eta_formatted}`, stream: options.stream ?? process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(t, 0);
      } else {
        options.logger.info(m.started(l, t));
      }
    },
    tick(n = 1) {
      done += n;
      if (bar) bar.update(done);
      else if (Date.now() - lastLine >= everyMs) {
        lastLine = Date.now();
        options.logger.info(m.progress(label, done, total));
      }
    },
    stop() {
      if (bar) {
        bar.stop();
        bar = undefined;
      } else if (total > 0) {
        options.logger.info(m.finished(label, done, total));
      }
    },
  };
}
