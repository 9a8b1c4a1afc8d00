import { constants } from 'node:fs';
import { access, mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadNodemailer } from './loadNodemailer.js';
import { MailError } from '../../domain/errors.js';
import { mailMessages as m } from '../../messages/mail.js';
import type { Mailer, OutgoingMessage, SentReceipt } from '../../ports/Mailer.js';
import { composeMessage } from './composeMessage.js';

export interface FileMailerSettings {
  outbox: string;
  from: string;
}

/** `20250131T142501123Z`: sorts by time and has no `:` (not allowed in Windows file names). */
function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

function safeRecipient(to: string): string {
  return to.toLowerCase().replace(/[^a-z0-9@._-]/g, '_').slice(0, 64);
}

function errorCode(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code
    : String(e);
}

/**
 * Writes each message as a real RFC 5322 `.eml` (built by nodemailer, CRLF line ends, so it opens in any
 * mail client) into the outbox. The demo and offline default: nothing leaves the machine. Files are 0600
 * and the folder 0700 because a new-account message carries a password.
 */
export function createFileMailer(settings: FileMailerSettings): Mailer {
  const outbox = resolve(settings.outbox);
  const transporter = loadNodemailer().createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  let counter = 0;
  /** Made once per run, not once per message; a failure is tried again by the next message. */
  let outboxReady: Promise<unknown> | undefined;

  async function writeNew(to: string, content: Buffer): Promise<string> {
    outboxReady ??= mkdir(outbox, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
      outboxReady = undefined;
      throw e;
    });
    await outboxReady;
    const stamp = fileStamp(new Date());
    let remade = false;
    // `wx` never overwrites: if two messages share a stamp and a recipient, the counter moves on.
    for (;;) {
      const file = join(outbox, `${stamp}-${safeRecipient(to)}-${++counter}.eml`);
      try {
        // On disk before the send resolves, as a relay's 250 is: the journal then records it as sent.
        const handle = await open(file, 'wx', 0o600);
        try {
          await handle.writeFile(content);
          await handle.sync();
        } finally {
          await handle.close();
        }
        return file;
      } catch (e) {
        // The outbox removed during the run: made again, once.
        if (errorCode(e) === 'ENOENT' && !remade) {
          remade = true;
          await mkdir(outbox, { recursive: true, mode: 0o700 });
          continue;
        }
        if (errorCode(e) !== 'EEXIST') throw e;
      }
    }
  }

  return {
    async send(message: OutgoingMessage): Promise<SentReceipt> {
      const mail = composeMessage(message, settings.from);
      try {
        const info = await transporter.sendMail(mail);
        // `buffer: true` makes `message` a Buffer; the type also allows the streaming variant.
        if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer did not return a buffer');
        const file = await writeNew(message.to, info.message);
        return { messageId: info.messageId, response: m.savedToOutbox(file) };
      } catch (e) {
        throw new MailError(m.outboxUnwritable(outbox, errorCode(e)), { permanent: false });
      }
    },
    async verify(): Promise<void> {
      try {
        await mkdir(outbox, { recursive: true, mode: 0o700 });
        await access(outbox, constants.W_OK);
      } catch (e) {
        throw new MailError(m.outboxUnwritable(outbox, errorCode(e)), { permanent: false });
      }
    },
    async close(): Promise<void> {},
  };
}
