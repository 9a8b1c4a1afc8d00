import type { SendMailOptions } from 'nodemailer';
import { MailError } from '../../domain/errors.js';
import { mailMessages as m } from '../../messages/mail.js';
import type { OutgoingMessage } from '../../ports/Mailer.js';
import { isSingleAddress } from '../../core/mailbox.js';

/** The nodemailer message for one of ours; refuses, as a permanent failure, anything but one mailbox. */
export function composeMessage(message: OutgoingMessage, from: string): SendMailOptions {
  if (!isSingleAddress(message.to)) {
    throw new MailError(m.invalidAddress(message.to), { permanent: true });
  }
  return {
    from,
    to: { name: '', address: message.to },
    subject: message.subject,
    text: message.text,
    html: message.html,
    // RFC 3834: tells the recipient's server not to answer with vacation or auto-replies.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}
