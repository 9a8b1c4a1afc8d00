import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadNodemailer } from './loadNodemailer.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { isLoopbackHost, withoutCredentials } from '../../config/validateConfig.js';
import { ConfigError, MailError } from '../../domain/errors.js';
import { configMessages } from '../../messages/config.js';
import { mailMessages as m } from '../../messages/mail.js';
import type { Mailer, OutgoingMessage, SentReceipt } from '../../ports/Mailer.js';
import { composeMessage } from './composeMessage.js';
import { toMailFailure, type MailFailureContext } from './mailErrors.js';

export interface SmtpMailerSettings {
  /** `smtps://host[:465]` (implicit TLS) or `smtp://host[:587]` (STARTTLS, required). */
  url: string;
  /** Empty: no authentication. */
  user: string;
  password?: string | undefined;
  /** PEM file of the CA that signed the relay's certificate; empty: the system's CAs. */
  caFile: string;
  /** Lets `smtp://` to 127.0.0.1/localhost go without TLS (a local relay or a test catcher). */
  allowPlainLoopback: boolean;
  from: string;
  concurrency: number;
  timeoutMs: number;
  /** Extra attempts of a transient failure within one `send`. */
  retries: number;
  /** First backoff delay; doubles on each retry. Tests shorten it. Default 500 ms. */
  retryBaseMs?: number;
}

interface SmtpTarget {
  secure: boolean;
  host: string;
  port: number;
  /** For messages: scheme, host and port only. */
  display: string;
}

function parseSmtpUrl(raw: string): SmtpTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError([{ key: 'mail.url', message: m.badUrl(withoutCredentials(raw)) }]);
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname || url.username || url.password) {
    throw new ConfigError([{ key: 'mail.url', message: m.badUrl(withoutCredentials(raw)) }]);
  }
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  return { secure, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, display: `${url.protocol}//${url.host}${url.port ? '' : `:${port}`}` };
}

/** How many `timeoutMs` one attempt may take in all (see attemptDeadlineMs). */
const ATTEMPT_STEPS = 6;

/**
 * `work`, or the error `late` makes if it has not settled within `ms`. The late attempt is left to end on
 * its own (closing the mailer ends it); whatever it ends with then is nobody's to handle.
 */
async function withinDeadline<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(late()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Backoff doubles from `base` and stops growing at 8×base, so `retries` bounds the wait. */
function backoffMs(base: number, attempt: number): number {
  return base * 2 ** Math.min(attempt, 3);
}

/**
 * A pooled SMTP mailer. Encryption is never optional except towards loopback with `allowPlainLoopback`:
 * `smtps://` is TLS from the first byte, `smtp://` must upgrade with STARTTLS or the send fails; the
 * certificate is always checked.
 */
export function createSmtpMailer(settings: SmtpMailerSettings): Mailer {
  const target = parseSmtpUrl(settings.url);
  const plain = !target.secure && settings.allowPlainLoopback && isLoopbackHost(new URL(settings.url).hostname);
  if (settings.user && !settings.password) {
    throw new ConfigError([{ key: 'SEI_SMTP_PASSWORD', message: configMessages.secretMissing('SEI_SMTP_PASSWORD') }]);
  }
  let ca: Buffer | undefined;
  if (settings.caFile) {
    try {
      ca = readFileSync(settings.caFile);
    } catch {
      throw new ConfigError([{ key: 'mail.caFile', message: m.caUnreadable(settings.caFile) }]);
    }
  }

  // `maxRequeues` is honoured by nodemailer's pool but missing from @types/nodemailer.
  const options: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    // nodemailer asks DNS before the hosts file: "localhost" could be answered with any address, and the
    // plain connection (login and passwords in clear) would go there. Without TLS, the loopback address itself.
    host: plain && target.host.toLowerCase() === 'localhost' ? '127.0.0.1' : target.host,
    port: target.port,
    secure: target.secure,
    requireTLS: !target.secure && !plain,
    ignoreTLS: plain,
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(ca ? { ca: [ca] } : {}) },
    maxConnections: settings.concurrency,
    // A connection dropped mid-send is re-queued once inside the pool (a stale idle connection);
    // anything longer is our own bounded retry below.
    maxRequeues: 1,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    dnsTimeout: settings.timeoutMs,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    // nodemailer's logger could print the SMTP transcript; the message carries a password.
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const transporter = loadNodemailer().createTransport(options);
  const retryBaseMs = settings.retryBaseMs ?? 500;
  // nodemailer's timeouts are each "no traffic for so long": a relay that drips a line every few seconds (a
  // tarpit) never trips them. One attempt as a whole gets the time of its steps: connect, greeting, TLS,
  // login, envelope, text.
  const attemptDeadlineMs = ATTEMPT_STEPS * settings.timeoutMs;
  const context = (to?: string): MailFailureContext => ({ url: target.display, to, user: settings.user, timeoutMs: settings.timeoutMs });
  let closed = false;

  return {
    async send(message: OutgoingMessage): Promise<SentReceipt> {
      if (closed) throw new MailError(m.closed, { permanent: false });
      const mail = composeMessage(message, settings.from);
      for (let attempt = 0; ; attempt++) {
        try {
          const info = await withinDeadline(transporter.sendMail(mail), attemptDeadlineMs, () => new MailError(m.timeout(target.display, attemptDeadlineMs), { permanent: false }));
          return { messageId: info.messageId, response: info.response };
        } catch (e) {
          const failure = toMailFailure(e, context(message.to));
          if (!failure.retry || attempt >= settings.retries || closed) throw failure.error;
          await sleep(backoffMs(retryBaseMs, attempt));
        }
      }
    },
    async verify(): Promise<void> {
      try {
        await transporter.verify();
      } catch (e) {
        throw toMailFailure(e, context()).error;
      }
    },
    async close(): Promise<void> {
      closed = true;
      transporter.close();
    },
  };
}
