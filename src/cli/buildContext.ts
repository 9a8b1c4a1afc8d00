import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createLogger } from '../adapters/log/createLogger.js';
import { createProgress } from '../adapters/log/createProgress.js';
import { createMailer } from '../adapters/mail/createMailer.js';
import { loadConfig } from '../config/loadConfig.js';
import type { Env } from '../config/validateConfig.js';
import type { RunContext } from '../app/context.js';
import { askOnTerminal } from './confirm.js';

export interface GlobalFlags {
  config?: string;
  verbose?: boolean;
  quiet?: boolean;
}

/** Wires config, logs, progress and adapters for one run of a command. */
/** The process streams a run talks to; tests pass their own. */
export interface RunIo {
  env: Env;
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function buildContext(flags: GlobalFlags, io: RunIo) {
  const config = loadConfig({ configFile: flags.config ? resolve(io.cwd, flags.config) : undefined, env: io.env });
  const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomUUID().slice(0, 8)}`;
  const clock = () => new Date();
  const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
  const logger = createLogger({
    dir: resolve(io.cwd, config.logs.dir),
    level: config.logs.level,
    retentionDays: config.logs.retentionDays,
    console: flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal',
    color: Boolean(io.stderr.isTTY) && !io.env.NO_COLOR,
    runId,
    stream: io.stderr,
  });
  const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  const ctx: RunContext = {
    config,
    env: io.env,
    cwd: io.cwd,
    clock,
    runId,
    logger,
    ...(flags.quiet ? {} : { progress: createProgress({ tty: Boolean(io.stderr.isTTY), logger, stream: io.stderr }) }),
    // Loaded when a command first needs it: an offline plan or --help never pays for the LDAP client.
    openDirectory: async () => (await import('../app/openDirectory.js')).openDirectory(config, io.env, logger, runId, clock),
    openMailer: () => createMailer(config.mail, io.env, io.cwd),
    print: (text) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    color,
    ...(interactive
      ? {
          confirm: (question: string) => askOnTerminal(question, io.stdin, io.stdout),
        }
      : {}),
  };
  return { ctx, close: () => logger.close() };
}
