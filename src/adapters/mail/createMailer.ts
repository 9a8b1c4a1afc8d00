import { resolve } from 'node:path';
import { readSecret } from '../../config/loadConfig.js';
import type { Config } from '../../config/schema.js';
import type { Env } from '../../config/validateConfig.js';
import type { Mailer } from '../../ports/Mailer.js';
import { createFileMailer } from './FileMailer.js';
import { createSmtpMailer } from './SmtpMailer.js';

/**
 * The configured mailer. Relative paths (outbox, CA file) are taken from `cwd`, like every other path
 * in the config. The SMTP password is read only when it will be used: smtp with a user.
 */
export function createMailer(config: Config['mail'], env: Env, cwd: string = process.cwd()): Mailer {
  if (config.transport === 'file') return createFileMailer({ outbox: resolve(cwd, config.outbox), from: config.from });
  return createSmtpMailer({
    url: config.url,
    user: config.user,
    password: config.user ? readSecret(env, 'SEI_SMTP_PASSWORD') : undefined,
    caFile: config.caFile ? resolve(cwd, config.caFile) : '',
    allowPlainLoopback: config.allowPlainLoopback,
    from: config.from,
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
  });
}
