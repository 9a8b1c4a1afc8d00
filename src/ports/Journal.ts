/**
 * The credentials journal: append-only JSON lines, no secrets; a "pending" record is fsync'd before the
 * password it announces is set. It is how the tool knows, after a
 * crash or an outage, which accounts have a password nobody received.
 */
export type JournalRecord =
  | { type: 'credential-pending'; dn: string; login: string; email: string; name: string; runId: string; time: string }
  | { type: 'credential-sent'; dn: string; messageId: string; runId: string; time: string }
  | { type: 'credential-failed'; dn: string; permanent: boolean; reason: string; runId: string; time: string }
  /** The account does not exist (its add failed): nothing to deliver any more. */
  | { type: 'credential-dropped'; dn: string; reason: string; runId: string; time: string }
  | { type: 'training-notified'; orgao: string; to: string[]; runId: string; time: string };

export interface PendingCredential {
  dn: string;
  login: string;
  email: string;
  name: string;
  /** The last failure, when a send was tried and failed. */
  lastFailure?: { permanent: boolean; reason: string; time: string };
}

export interface Journal {
  append(record: JournalRecord): Promise<void>;
  /** Accounts whose latest `credential-pending` has no later `credential-sent` or `credential-dropped`. */
  pending(): Promise<PendingCredential[]>;
  /** Órgãos whose "training ready" notice went out. */
  trainingNotified(): Promise<Set<string>>;
  /**
   * Puts every record appended so far on disk (one fsync, only if some record is not there yet). A run
   * calls it as it ends, so a power cut can only lose the "sent" records of the run under way.
   */
  flush(): Promise<void>;
}
