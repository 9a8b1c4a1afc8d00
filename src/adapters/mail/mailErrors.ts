import { MailError } from '../../domain/errors.js';
import { mailMessages as m } from '../../messages/mail.js';

/** The fields nodemailer puts on its errors (see nodemailer/lib/smtp-connection `_formatError`). */
interface NodemailerErrorFields {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

export interface MailFailure {
  error: MailError;
  /** Worth trying again within the same `send`: the server or the network may recover in seconds. */
  retry: boolean;
}

export interface MailFailureContext {
  /** `smtp://host:port`, never with credentials. */
  url: string;
  /** The recipient; absent for `verify()`. */
  to?: string | undefined;
  user?: string | undefined;
  timeoutMs: number;
}

/** Server replies can span lines; one line, bounded, is what an operator reads in a report. */
function clean(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

const CERTIFICATE_PROBLEM =
  /certificate|self[- ]signed|unable to (verify|get)|CERT_|Hostname\/IP does not match|altnames|wrong version number|handshake|ssl|tls/i;
/** The name did not resolve, or nothing answered there: the network's problem, whatever the name holds. */
const NETWORK_PROBLEM = /getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/i;

/** The text with the server's host name taken out, so "ssl" or "tls" in a name is not read as a TLS error. */
function withoutHost(text: string, url: string): string {
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    return text;
  }
  return host === '' ? text : text.split(host).join('');
}

/** A connection dropped while TLS was being set up: the network or the server, not the certificate. */
const DROPPED_DURING_TLS = /socket disconnected before secure TLS connection|ECONNRESET|Connection closed unexpectedly/i;

/**
 * The cause we keep is rebuilt from nodemailer's fields only: today none of them carries the message,
 * and copying field by field keeps it so if a future version attaches more to its errors.
 */
function sanitisedCause(fields: NodemailerErrorFields, detail: string): Error {
  const cause = new Error(detail);
  Object.assign(cause, {
    code: typeof fields.code === 'string' ? fields.code : undefined,
    command: typeof fields.command === 'string' ? fields.command : undefined,
    responseCode: typeof fields.responseCode === 'number' ? fields.responseCode : undefined,
  });
  return cause;
}

/**
 * Our error for a nodemailer failure. `permanent` only when the server refused this person for good (a
 * 5xx to RCPT TO). A 5xx to MAIL FROM, the greeting or the login refuses the sending itself (the relay does
 * not accept our sender): it is `serverWide`, and no address is to blame. A 5xx after the text (DATA) is
 * about this message (a full mailbox, a filter): it stays pending, tried again next run, the reply quoted. Failures of the set-up itself (TLS, no STARTTLS, login refused)
 * are not permanent for the person, since the message goes out once the operator fixes the
 * configuration, but retrying them within the same send cannot help.
 */
export function toMailFailure(e: unknown, ctx: MailFailureContext): MailFailure {
  if (e instanceof MailError) return { error: e, retry: false };
  const fields: NodemailerErrorFields = typeof e === 'object' && e !== null ? (e as NodemailerErrorFields) : { message: String(e) };
  const code = typeof fields.code === 'string' ? fields.code : '';
  const command = typeof fields.command === 'string' ? fields.command : '';
  const reply = typeof fields.response === 'string' && fields.response.trim() ? clean(fields.response) : undefined;
  const responseCode =
    typeof fields.responseCode === 'number' ? fields.responseCode : reply && /^\d{3}\b/.test(reply) ? Number(reply.slice(0, 3)) : undefined;
  const detail = clean(typeof fields.message === 'string' ? fields.message : String(e));
  const make = (message: string, permanent: boolean, retry: boolean, serverWide = false): MailFailure => ({
    error: new MailError(message, { permanent, serverResponse: reply, serverWide }, { cause: sanitisedCause(fields, detail) }),
    retry,
  });

  if (code === 'EAUTH' || code === 'ENOAUTH') return make(m.auth(ctx.url, ctx.user ?? '', reply ?? detail), false, false);
  // nodemailer sends STARTTLS even when not advertised (requireTLS): a 5xx to it means "no TLS here".
  if (code === 'ETLS' && command === 'STARTTLS' && reply) return make(m.noStartTls(ctx.url, reply), false, false);
  // Read without the server's own name ("relay-ssl.prefeitura") and never for a name that did not resolve or a
  // connection refused: those are the network's, retried, not a CA file to fix.
  const aboutTls = !NETWORK_PROBLEM.test(detail) && CERTIFICATE_PROBLEM.test(withoutHost(detail, ctx.url));
  if ((code === 'ETLS' || (!responseCode && aboutTls)) && !DROPPED_DURING_TLS.test(detail)) {
    return make(m.tls(ctx.url, detail), false, false);
  }
  if (responseCode !== undefined && responseCode >= 500 && /^DATA\b/i.test(command) && ctx.to) {
    return make(m.refusedAtData(ctx.to, reply ?? detail), false, false);
  }
  if (responseCode !== undefined && responseCode >= 500 && command !== '' && !/^(RCPT|DATA)\b/i.test(command)) {
    return make(m.sendingRefused(ctx.url, command, reply ?? detail), false, false, true);
  }
  if (responseCode !== undefined && responseCode >= 500) {
    const message = ctx.to ? m.rejected(ctx.to, reply ?? detail) : m.other(ctx.url, reply ?? detail);
    return make(message, true, false);
  }
  // A 4xx to the greeting, EHLO or MAIL FROM postpones the sending itself (too many connections, a sender
  // rate limit): no person's address is to blame, and trying each of them costs every one the same refusal.
  if (responseCode !== undefined && responseCode >= 400 && command !== '' && !/^(RCPT|DATA)\b/i.test(command)) {
    return make(m.sendingPostponed(ctx.url, command, reply ?? detail), false, false, true);
  }
  if (responseCode !== undefined && responseCode >= 400) {
    const message = ctx.to ? m.tempFailed(ctx.to, reply ?? detail) : m.other(ctx.url, reply ?? detail);
    return make(message, false, true);
  }
  // nodemailer's own envelope checks (no server reply): the address itself is unusable.
  if (code === 'EENVELOPE' && ctx.to) return make(m.rejected(ctx.to, detail), true, false);
  if (code === 'ETIMEDOUT' || /timeout|timed out|greeting never received/i.test(detail)) {
    return make(m.timeout(ctx.url, ctx.timeoutMs), false, true);
  }
  return make(m.connection(ctx.url, detail), false, true);
}
