/** One message to send. The password, when there is one, is only ever inside `text`/`html`. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The server accepted the message. */
export interface SentReceipt {
  messageId: string;
  /** The server's reply line, for the journal and reports. */
  response: string;
}

/**
 * A tiny transport contract (SMTP or an outbox folder). `send` rejects with MailError: `permanent` for 5xx
 * answers (unknown mailbox…), transient for 4xx, connection failures and timeouts.
 */
export interface Mailer {
  send(message: OutgoingMessage): Promise<SentReceipt>;
  verify(): Promise<void>;
  close(): Promise<void>;
}
