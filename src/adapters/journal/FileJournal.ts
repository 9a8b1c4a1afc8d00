import { chmod, mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { normaliseDn } from '../../core/dn.js';
import { memo } from '../../core/memo.js';
import { maskCpfsInText } from '../../core/cpf.js';
import { join } from 'node:path';
import { ExitCode, InternalError, SeiError } from '../../domain/errors.js';
import { journalMessages as m } from '../../messages/journal.js';
import type { Journal, JournalRecord, PendingCredential } from '../../ports/Journal.js';

export const JOURNAL_FILE = 'credenciais.jsonl';

/** Keys that would mean a secret is being written; the journal's own keys never match. */
const SECRET_KEY = /pass|senha|secret|segredo|pwd/i;

/** The dotted path of the first key that looks like a secret, at any depth. */
export function findSecretKey(value: unknown, path: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const here = [...path, k];
    if (SECRET_KEY.test(k)) return here.join('.');
    const deeper = findSecretKey(v, here);
    if (deeper) return deeper;
  }
  return undefined;
}

function detailOf(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code
    : String(e);
}

function isRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { type?: unknown; dn?: unknown; orgao?: unknown };
  if (typeof r.type !== 'string') return false;
  if (r.type.startsWith('credential-')) return typeof r.dn === 'string';
  if (r.type === 'training-notified') return typeof r.orgao === 'string';
  // A type from a newer version: kept as a record, ignored by the folds.
  return true;
}

/**
 * Committed records, in order. A record is committed once its line ends with a newline (it is written
 * in one piece with its newline; a "pending" one is fsync'd before its append resolves): an unterminated
 * last line is a write cut short by a crash, whose `append` never resolved, and is not part of the
 * journal. Any other unreadable line is
 * damage, and is refused rather than skipped, because skipping it could forget an undelivered password.
 */
export function parseJournal(text: string, file: string): JournalRecord[] {
  const lines = text.split('\n');
  lines.pop(); // '' after the final newline, or the unterminated tail
  const records: JournalRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new SeiError(m.corrupt(file, i + 1), ExitCode.unusable);
    }
    if (!isRecord(value)) throw new SeiError(m.corrupt(file, i + 1), ExitCode.unusable);
    records.push(value);
  });
  return records;
}

/**
 * Accounts whose latest `credential-pending` has no later `credential-sent` or `credential-dropped`.
 * Records are matched by DN as the directory compares them (case and spacing aside): a DN written as the
 * plan built it (`dc=sei`) and as the directory returns it (`DC=sei`, by resend) is one account, and a
 * record left open under the other spelling would have its password changed again by the next run.
 */
export function foldPending(records: readonly JournalRecord[]): PendingCredential[] {
  const pending = new Map<string, PendingCredential>();
  const keyOf = memo(normaliseDn);
  for (const r of records) {
    switch (r.type) {
      case 'credential-pending': {
        const key = keyOf(r.dn);
        // Delete first so the order of the result follows the latest pending record.
        pending.delete(key);
        pending.set(key, { dn: r.dn, login: r.login, email: r.email, name: r.name });
        break;
      }
      case 'credential-sent':
      case 'credential-dropped':
        pending.delete(keyOf(r.dn));
        break;
      case 'credential-failed': {
        const p = pending.get(keyOf(r.dn));
        if (p) p.lastFailure = { permanent: r.permanent, reason: r.reason, time: r.time };
        break;
      }
      default:
        break;
    }
  }
  return [...pending.values()];
}

/**
 * Records that must be on disk (fsync'd) before `append` resolves: a "pending" record precedes the password
 * it announces, so a crash of the machine itself can never leave a password nobody knows is undelivered.
 * Every other record is written at once (a killed process loses nothing the kernel has) and reaches the disk
 * with the next fsync: the next "pending", or `flush` at the end of the run. Losing one to a power cut before
 * then can only make the next run send a credential again, never lose one. On this machine an fsync per sent message cost Samba, which shares
 * the disk, ~2 % of an apply's time.
 */
const FSYNC_BEFORE_RESOLVING: ReadonlySet<JournalRecord['type']> = new Set(['credential-pending']);

/** A record waiting for the next write, and the caller waiting for it to be written (fsync'd if it must be). */
interface Queued {
  line: string;
  durable: boolean;
  resolve: () => void;
  reject: (e: unknown) => void;
}

class FileJournal implements Journal {
  /**
   * Group commit: records appended while a write is under way wait for it to end, then all go in one write,
   * fsync'd when one of them must be (FSYNC_BEFORE_RESOLVING). Lines never interleave and land in call
   * order; each `append` resolves only once its own line is written (and on disk, for a "pending"), so
   * "pending" precedes the password and "sent" follows the server's answer.
   */
  private queue: Queued[] = [];
  private writing = false;
  /** The drain under way (it never rejects: each caller gets its own batch's error). */
  private draining: Promise<void> = Promise.resolve();
  private tornTailChecked = false;
  /** Records written since the last fsync. */
  private unsynced = false;

  constructor(private readonly file: string) {}

  append(record: JournalRecord): Promise<void> {
    const secret = findSecretKey(record);
    if (secret) return Promise.reject(new InternalError(m.secretKey(secret)));
    // A reason is free text (a relay's reply quoting the address, a DN): no CPF in it is needed to deliver.
    // The DN, login and e-mail a delivery needs are kept as they are (see the README on the journal).
    const line = `${JSON.stringify('reason' in record && typeof record.reason === 'string' ? { ...record, reason: maskCpfsInText(record.reason) } : record)}\n`;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, durable: FSYNC_BEFORE_RESOLVING.has(record.type), resolve, reject });
      if (!this.writing) this.draining = this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.write(
            batch.map((q) => q.line).join(''),
            batch.some((q) => q.durable),
          );
          for (const q of batch) q.resolve();
        } catch (e) {
          for (const q of batch) q.reject(e);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(text: string, sync: boolean): Promise<void> {
    try {
      const handle = await open(this.file, 'a', 0o600);
      try {
        if (!this.tornTailChecked) {
          await this.dropTornTail(handle);
          this.tornTailChecked = true;
        }
        await handle.appendFile(text, 'utf8');
        this.unsynced = true;
        if (sync) {
          await handle.sync();
          this.unsynced = false;
        }
      } finally {
        await handle.close();
      }
    } catch (e) {
      // A write that failed part way may have left an unterminated line: look again before the next one.
      this.tornTailChecked = false;
      throw new SeiError(m.unwritable(this.file, detailOf(e)), ExitCode.unusable, { cause: e });
    }
  }

  /**
   * A crash mid-append leaves an unterminated line; appending after it would glue the next record onto
   * it and damage both. That fragment was never committed (see parseJournal), so it is cut off. Only the
   * writer does this, once, and the run lock makes it the only writer.
   */
  private async dropTornTail(handle: Awaited<ReturnType<typeof open>>): Promise<void> {
    const text = await readFile(this.file);
    if (text.length === 0 || text[text.length - 1] === 0x0a) return;
    await handle.truncate(text.lastIndexOf(0x0a) + 1);
    await handle.sync();
  }

  private async records(): Promise<JournalRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if (detailOf(e) === 'ENOENT') return [];
      throw new SeiError(m.unreadable(this.file, detailOf(e)), ExitCode.unusable, { cause: e });
    }
    return parseJournal(text, this.file);
  }

  async pending(): Promise<PendingCredential[]> {
    return foldPending(await this.records());
  }

  async flush(): Promise<void> {
    // Records appended before this call and still being written are part of what must be on disk.
    await this.draining;
    if (!this.unsynced) return;
    // Cleared before the fsync, so a record written while it runs marks the journal unsynced again.
    this.unsynced = false;
    try {
      const handle = await open(this.file, 'a', 0o600);
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (e) {
      this.unsynced = true;
      throw new SeiError(m.unwritable(this.file, detailOf(e)), ExitCode.unusable, { cause: e });
    }
  }

  async trainingNotified(): Promise<Set<string>> {
    const notified = new Set<string>();
    for (const r of await this.records()) if (r.type === 'training-notified') notified.add(r.orgao);
    return notified;
  }
}

/**
 * The credentials journal in `<stateDir>/credenciais.jsonl`. The folder is created 0700 and the file
 * 0600: the journal names people and their e-mail addresses, though never a password.
 */
export async function openJournal(stateDir: string): Promise<Journal> {
  const file = join(stateDir, JOURNAL_FILE);
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const handle = await open(file, 'a', 0o600);
    await handle.close();
    // The journal's own name is on disk too (its folder synced), not only the records fsync'd into it.
    await syncFolder(stateDir);
    // A journal copied in or restored from a backup may carry looser permissions.
    await chmod(file, 0o600).catch(() => undefined);
  } catch (e) {
    throw new SeiError(m.unwritable(file, detailOf(e)), ExitCode.unusable, { cause: e });
  }
  return new FileJournal(file);
}

/** fsync of a folder, so the names created in it survive a power cut. Where a folder cannot be opened for it, nothing. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder (EINVAL, EISDIR): the records themselves are still synced.
  } finally {
    await handle?.close();
  }
}
