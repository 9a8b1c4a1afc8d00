import pLimit from 'p-limit';
import { MailError, DirectoryError } from '../domain/errors.js';
import type { Plan } from '../domain/plan.js';
import type { Directory, RawEntry } from '../ports/Directory.js';
import type { Journal, JournalRecord, PendingCredential } from '../ports/Journal.js';
import type { Logger } from '../ports/Logger.js';
import type { Mailer, OutgoingMessage } from '../ports/Mailer.js';
import { credentialMessages as m } from '../messages/credentials.js';
import { escapeFilterValue, normaliseDn } from '../core/dn.js';

/** Who receives a credential. No secret here: the password is made at the moment it is set. */
export interface CredentialTarget {
  dn: string;
  login: string;
  email: string;
  name: string;
}

/** A credential that did not reach its person in this run, for the report and the exit code. */
export interface UndeliveredCredential extends CredentialTarget {
  permanent: boolean;
  reason: string;
}

export interface CredentialDeps {
  directory: Directory;
  journal: Journal;
  mailer: Mailer;
  logger: Logger;
  runId: string;
  clock: () => Date;
  /** A fresh temporary password for this account. */
  newPassword: (target: CredentialTarget) => string;
  /** The new-account message carrying the password (its body only). */
  compose: (target: CredentialTarget, password: string) => OutgoingMessage;
  mailConcurrency: number;
  /**
   * The managed users branch: a pending account no longer at its DN is looked for there by login (moved or
   * renamed by hand between runs), and its credential follows it.
   */
  usersDn?: string;
}

/**
 * Delivery is at least once and the latest message always carries the valid password:
 * `credential-pending` is fsync'd before the password is set, `credential-sent` once the server accepted
 * the message. Whatever happens between the two, the next run finds it pending and sets a fresh one.
 */
export class CredentialDelivery {
  private readonly mailLimit;
  private readonly sends: Promise<void>[] = [];
  readonly sent: CredentialTarget[] = [];
  readonly undelivered: UndeliveredCredential[] = [];

  constructor(private readonly deps: CredentialDeps) {
    this.mailLimit = pLimit(deps.mailConcurrency);
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }

  /** Accounts announced by `expect`, by DN: their place in `ahead`. */
  private readonly aheadIndex = new Map<string, number>();
  private ahead: CredentialTarget[] = [];
  /** The first announced account whose pending record is not yet asked for. */
  private nextAhead = 0;
  private batchSize = 1;
  /** Pending records written ahead with an earlier account's: the write each one waits for. */
  private readonly markedAhead = new Map<string, Promise<void>>();
  /** What the journal held as pending when this run first moved an account (after settling earlier ones). */
  private pendingByDn: Promise<Map<string, PendingCredential>> | undefined;
  /** The messages settlePending queued: a credential being delivered right now is not pending any more. */
  private settleSends: Promise<unknown> = Promise.resolve();

  /**
   * Announces the accounts `create` will be called for, in that order, so that their `credential-pending`
   * records go to the journal `batchSize` at a time (one write, one fsync) instead of one fsync each.
   * Each record is still on disk before its account's password is set. A batch is written when its first
   * account is created, so a crash leaves at most `batchSize` records of accounts not yet tried: the next
   * run finds them absent and drops them.
   */
  expect(targets: readonly CredentialTarget[], batchSize: number): void {
    this.ahead = [...targets];
    this.aheadIndex.clear();
    this.ahead.forEach((t, i) => this.aheadIndex.set(t.dn, i));
    this.nextAhead = 0;
    this.batchSize = Math.max(1, batchSize);
  }

  private pendingRecord(target: CredentialTarget): JournalRecord {
    return { type: 'credential-pending', dn: target.dn, login: target.login, email: target.email, name: target.name, runId: this.deps.runId, time: this.now() };
  }

  private async markPending(target: CredentialTarget): Promise<void> {
    const written = this.markedAhead.get(target.dn);
    if (written) {
      this.markedAhead.delete(target.dn);
      return written;
    }
    const index = this.aheadIndex.get(target.dn);
    const batch = [target];
    if (index !== undefined) {
      this.nextAhead = Math.max(this.nextAhead, index + 1);
      while (batch.length < this.batchSize && this.nextAhead < this.ahead.length) {
        const next = this.ahead[this.nextAhead++];
        if (next && !this.markedAhead.has(next.dn)) batch.push(next);
      }
    }
    // Appended in the same tick, so the journal commits them together.
    const all = Promise.all(batch.map((t) => this.deps.journal.append(this.pendingRecord(t)))).then(() => undefined);
    for (const t of batch.slice(1)) this.markedAhead.set(t.dn, all);
    await all;
  }

  /**
   * Creates an account with its password in one write (`write` does the add), then mails the password.
   * Resolves once the account exists; the mail goes on in the background until `settle()`.
   */
  async create(target: CredentialTarget, write: (password: string) => Promise<void>): Promise<void> {
    const password = this.deps.newPassword(target);
    await this.markPending(target);
    try {
      await write(password);
    } catch (e) {
      // Drop the pending record only when the account surely does not exist; if it does (or we cannot
      // tell), it stays pending and the next run sets a fresh password and mails it.
      const exists = await this.deps.directory.read(target.dn, ['1.1']).then(
        (entry) => entry !== null,
        () => true,
      );
      if (!exists) {
        await this.deps.journal.append({
          type: 'credential-dropped',
          dn: target.dn,
          reason: e instanceof Error ? e.message : String(e),
          runId: this.deps.runId,
          time: this.now(),
        });
      }
      throw e;
    }
    this.queueSend(target, password);
  }

  /** Sets a fresh temporary password (change required at logon) on an existing account and mails it. */
  async reset(target: CredentialTarget): Promise<void> {
    const password = this.deps.newPassword(target);
    await this.markPending(target);
    await this.deps.directory.setPassword(target.dn, password, { pwdLastSet: '0' });
    this.queueSend(target, password);
  }

  /**
   * Closes the records `expect` wrote ahead for accounts `create` was never called for (the run stopped
   * before them: an outage, an interruption). No password was set for those, so the journal must not
   * count them as credentials to deliver.
   */
  async releaseUnused(): Promise<number> {
    const unused = [...this.markedAhead.keys()];
    this.markedAhead.clear();
    await Promise.all(
      unused.map(async (dn) => {
        await this.deps.journal.append({ type: 'credential-dropped', dn, reason: m.notTried, runId: this.deps.runId, time: this.now() });
      }),
    );
    return unused.length;
  }

  /**
   * Moves an account this run is moving (a change of órgão), carrying a credential still pending for it to
   * the new DN. The records go around the move: pending at the new DN before it, the old one closed after
   * it. A crash anywhere leaves one record that names where the account is (the other is dropped as gone).
   */
  async followMove(from: string, to: string, move: () => Promise<void>, newName?: string): Promise<void> {
    // Read once the credentials settled earlier in the run have gone out (or failed): one mailed a moment ago
    // must not be carried to the new DN and mailed again tomorrow.
    if (this.pendingByDn === undefined) {
      const reading = this.settleSends.then(async () => new Map((await this.deps.journal.pending()).map((p) => [normaliseDn(p.dn), p])));
      this.pendingByDn = reading;
      // A journal that could not be read once is read again by the next move, not failed for the whole run.
      reading.catch(() => {
        if (this.pendingByDn === reading) this.pendingByDn = undefined;
      });
    }
    const pending = (await this.pendingByDn).get(normaliseDn(from));
    if (!pending) {
      await move();
      return;
    }
    await this.deps.journal.append(this.pendingRecord({ dn: to, login: pending.login, email: pending.email, name: newName ?? pending.name }));
    try {
      await move();
    } catch (e) {
      // A move whose answer was lost may have gone through: the record goes where the account is. When the
      // directory cannot tell, both stay pending, and the next run settles the one whose DN holds the account.
      const where = await this.deps.directory.read(to, ['sAMAccountName']).then(
        (entry) => (entry?.attributes.samaccountname?.[0]?.toLowerCase() === pending.login.toLowerCase() ? 'moved' : 'stayed'),
        () => 'unknown' as const,
      );
      if (where === 'moved') {
        await this.deps.journal.append({ type: 'credential-dropped', dn: pending.dn, reason: m.accountMoved(to), runId: this.deps.runId, time: this.now() });
      } else if (where === 'stayed') {
        await this.deps.journal.append({ type: 'credential-dropped', dn: to, reason: m.moveFailed, runId: this.deps.runId, time: this.now() });
      }
      throw e;
    }
    // The journal matches DNs as written: the old record is closed under its own spelling.
    await this.deps.journal.append({ type: 'credential-dropped', dn: pending.dn, reason: m.accountMoved(to), runId: this.deps.runId, time: this.now() });
  }

  /**
   * Settles everything the journal holds as pending: accounts that no longer exist are dropped.
   * `plannedMail`: the address this run's plan writes to an account (by login, lowercase). A form that
   * corrects a mistyped address is applied after the settling: the mail goes to the corrected one, never to
   * the address the directory still holds, which may be someone else's mailbox.
   */
  async settlePending(concurrency: number, plannedMail: ReadonlyMap<string, string> = new Map()): Promise<{ settled: number; failed: UndeliveredCredential[] }> {
    const all: PendingCredential[] = await this.deps.journal.pending();
    // One account, one new password: two records open for one login (a move whose outcome the directory could
    // not tell, a crash between carrying a record and closing the old one) are settled once, by the latest;
    // the others are closed. Reset both at once, and the password that holds need not be the last one mailed.
    const latest = new Map<string, PendingCredential>();
    for (const p of all) latest.set(p.login.toLowerCase(), p);
    const pending = [...latest.values()];
    for (const p of all) {
      if (latest.get(p.login.toLowerCase()) !== p) {
        await this.deps.journal.append({ type: 'credential-dropped', dn: p.dn, reason: m.sameAccountPending, runId: this.deps.runId, time: this.now() });
      }
    }
    const limit = pLimit(concurrency);
    const failed: UndeliveredCredential[] = [];
    await Promise.all(
      pending.map((p) =>
        limit(async () => {
          let target: CredentialTarget = { dn: p.dn, login: p.login, email: p.email, name: p.name };
          try {
            const entry = await this.whereNow(p);
            if (entry && entry.dn !== p.dn) target = { ...target, dn: entry.dn };
            if (!entry) {
              await this.deps.journal.append({ type: 'credential-dropped', dn: p.dn, reason: m.accountGone, runId: this.deps.runId, time: this.now() });
              return;
            }
            // The entry at that DN must be the account the credential was made for: an add answered
            // "already exists" may have met someone else's entry, whose password is not ours to change.
            const login = entry.attributes.samaccountname?.[0] ?? '';
            if (login.toLowerCase() !== p.login.toLowerCase()) {
              const reason = m.notOurAccount(target.dn, login);
              await this.deps.journal.append({ type: 'credential-dropped', dn: target.dn, reason, runId: this.deps.runId, time: this.now() });
              failed.push({ ...target, permanent: true, reason });
              this.deps.logger.warn(m.settleFailed(p.login, reason), { dn: p.dn });
              return;
            }
            // The person already chose a password (pwdLastSet is 0 from the tool's set until they change it):
            // a mail reached them after all (its "sent" record lost, or a resend). Setting a new temporary
            // one would take away the password they use.
            const changedAt = entry.attributes.pwdlastset?.[0];
            if (changedAt !== undefined && changedAt !== '0') {
              // Closed where the record now is (carried by whereNow when the account was moved by hand).
              await this.deps.journal.append({ type: 'credential-dropped', dn: target.dn, reason: m.alreadyChanged, runId: this.deps.runId, time: this.now() });
              this.deps.logger.info(m.settleSkipped(p.login, m.alreadyChanged), { dn: p.dn });
              return;
            }
            // The address the directory holds now: a corrected e-mail reaches the account before the retry.
            const mail = plannedMail.get(p.login.toLowerCase()) ?? entry.attributes.mail?.[0];
            if (mail) target = { ...target, email: mail };
            await this.reset(target);
          } catch (e) {
            const reason = e instanceof DirectoryError ? e.message : m.unexpected;
            failed.push({ ...target, permanent: false, reason });
            this.deps.logger.warn(m.settleFailed(p.login, reason), { dn: p.dn });
          }
        }),
      ),
    );
    this.settleSends = Promise.allSettled([...this.sends]);
    return { settled: pending.length - failed.length, failed };
  }

  /**
   * The pending account's entry: at its DN, or else (moved or renamed by hand since) the one account with its
   * login in the users branch, to which its record is carried (pending there first, then closed here).
   */
  private async whereNow(p: PendingCredential): Promise<RawEntry | null> {
    const attributes = ['sAMAccountName', 'mail', 'pwdLastSet'];
    const there = await this.deps.directory.read(p.dn, attributes);
    if (there || this.deps.usersDn === undefined) return there;
    const found = await this.deps.directory.search(this.deps.usersDn, `(&(objectClass=user)(sAMAccountName=${escapeFilterValue(p.login)}))`, attributes);
    const moved = found.length === 1 ? found[0] : undefined;
    if (!moved) return null;
    await this.deps.journal.append({ type: 'credential-pending', dn: moved.dn, login: p.login, email: p.email, name: p.name, runId: this.deps.runId, time: this.now() });
    await this.deps.journal.append({ type: 'credential-dropped', dn: p.dn, reason: m.movedByHand(moved.dn), runId: this.deps.runId, time: this.now() });
    return moved;
  }

  /**
   * Set once the server could not be reached at all (no SMTP reply): the remaining messages of the run are
   * left pending at once instead of each waiting out its timeouts and retries.
   */
  private mailDown: string | undefined;

  private queueSend(target: CredentialTarget, password: string): void {
    const sending = this.mailLimit(async () => {
      if (this.mailDown !== undefined) {
        await this.recordFailure(target, false, this.mailDown);
        return;
      }
      let receipt: Awaited<ReturnType<Mailer['send']>>;
      try {
        // Composed when its turn comes, so thousands of queued messages do not sit in memory at once.
        receipt = await this.deps.mailer.send(this.deps.compose(target, password));
      } catch (e) {
        const permanent = e instanceof MailError && e.permanent;
        const reason = e instanceof Error ? e.message : String(e);
        // No reply at all (the server unreachable), or one that refuses the sending itself: the rest would fail alike.
        if (!permanent && (!(e instanceof MailError && e.serverResponse !== undefined) || (e instanceof MailError && e.serverWide))) this.mailDown = reason;
        await this.recordFailure(target, permanent, reason);
        return;
      }
      // The message went out. A journal that cannot record it (a full disk) is the journal's failure,
      // not the mail's: it stops the run (its pending record is on disk, so the next run sends again).
      await this.deps.journal.append({ type: 'credential-sent', dn: target.dn, messageId: receipt.messageId, runId: this.deps.runId, time: this.now() });
      this.sent.push(target);
    });
    // Handled now, thrown by settle: a rejection waiting for settle at the end of a long run would otherwise
    // be an unhandled one, and Node would end the run on the spot (no reports, lock left, exit 1).
    sending.catch(() => undefined);
    this.sends.push(sending);
  }

  private async recordFailure(target: CredentialTarget, permanent: boolean, reason: string): Promise<void> {
    await this.deps.journal.append({ type: 'credential-failed', dn: target.dn, permanent, reason, runId: this.deps.runId, time: this.now() });
    this.undelivered.push({ ...target, permanent, reason });
    this.deps.logger.warn(m.sendFailed(target.login, reason), { dn: target.dn, permanent });
  }

  /** Waits for every queued message, all of them, even when one failed; then throws the first failure. */
  async settle(): Promise<void> {
    const results = await Promise.allSettled(this.sends);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** The addresses a plan writes, by login (lowercase): for settlePending, which runs before the plan is applied. */
export function plannedMailOf(plan: Plan): Map<string, string> {
  const planned = new Map<string, string>();
  for (const c of plan.changes) {
    if (c.kind !== 'update-user') continue;
    const mail = c.changes.find((a) => a.attribute === 'mail')?.after;
    if (mail) planned.set(c.login.toLowerCase(), mail);
  }
  return planned;
}
