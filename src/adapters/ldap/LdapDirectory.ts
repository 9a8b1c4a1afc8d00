import { Attribute, Change, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, type Client, type Entry } from 'ldapts';
import type { DirectorySnapshot } from '../../domain/directory.js';
import type { NamingPolicy } from '../../domain/policy.js';
import type { AttributeValues, Directory, Modification, RawEntry } from '../../ports/Directory.js';
import { ConnectionPool, type ConnectionSettings } from './ConnectionPool.js';
import { bindSubCodeOf, toDirectoryError } from './ldapErrors.js';
import { buildSnapshot } from './observeSnapshot.js';
import { followAllPages } from './followAllPages.js';
import { completeRangedValues } from './rangedValues.js';
import { hexEscapeDnValue, splitDn } from '../../core/dn.js';
import { DirectoryUnavailableError, InternalError } from '../../domain/errors.js';
import { directoryMessages } from '../../messages/directory.js';
import { coreMessages } from '../../messages/directory-values.js';

/** Operations in a row with no answer from the directory, after their retries, before the run stops trying. */
const STALL_LIMIT = 5;

// Every paged search of this adapter reads to the last page (see followAllPages).
followAllPages();

export interface LdapDirectorySettings extends ConnectionSettings {
  pageSize: number;
  /** Bounded retries, with backoff, of answers 51 (busy) and 52 (unavailable). */
  retries: number;
}

function toStrings(value: Entry[string] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

export function toRawEntry(entry: Entry): RawEntry {
  const attributes: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'dn') continue;
    attributes[k.toLowerCase()] = toStrings(v);
  }
  return { dn: entry.dn, attributes };
}

/** One entry at base scope, or null when it does not exist. */
async function readEntry(c: Client, dn: string, attributes: string[]): Promise<RawEntry | null> {
  try {
    const res = await c.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes });
    const first = res.searchEntries[0];
    return first ? toRawEntry(first) : null;
  } catch (e) {
    if (e instanceof NoSuchObjectError) return null;
    throw e;
  }
}

/** `unicodePwd` is the password in double quotes, UTF-16LE; AD accepts it only over TLS. */
function passwordAttribute(password: string): Attribute {
  return new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${password}"`, 'utf16le')] });
}

function toAttributes(values: AttributeValues): Attribute[] {
  return Object.entries(values).map(
    ([type, v]) => new Attribute({ type, values: Array.isArray(v) ? v : [v] }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LdapDirectory implements Directory {
  private readonly pool: ConnectionPool;
  readonly actor: string;

  constructor(private readonly settings: LdapDirectorySettings) {
    this.pool = new ConnectionPool(settings);
    this.actor = settings.bindDN;
  }

  get source(): string {
    return this.pool.activeUrl;
  }

  /** Operations in a row that got no answer at all (timeouts, dropped connections), retries included. */
  private silentInARow = 0;
  /** Set once STALL_LIMIT operations in a row got no answer: the rest of the run fails at once. */
  private stalled: DirectoryUnavailableError | undefined;

  /** Runs an operation with bounded retries on busy/unavailable, mapping failures to DirectoryError. */
  private async run<T>(operation: string, dn: string, fn: (c: Client) => Promise<T>, lane: 'default' | 'search' = 'default'): Promise<T> {
    // A controller that takes connections but answers nothing (a stalled database) would cost every change its
    // timeouts and retries — minutes each, the night's window gone on a few dozen changes.
    if (this.stalled) throw this.stalled;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.pool.with(fn, lane);
        this.silentInARow = 0;
        return result;
      } catch (e) {
        if (!(e instanceof ResultCodeError) && e instanceof Error && e.name === 'DirectoryUnavailableError') throw e;
        const err = toDirectoryError(e, operation, dn);
        if (!err.transient || attempt >= this.settings.retries) {
          if (!(e instanceof ResultCodeError) && ++this.silentInARow >= STALL_LIMIT) {
            this.stalled = new DirectoryUnavailableError(directoryMessages.stalled(this.pool.activeUrl, STALL_LIMIT), { cause: err });
          }
          throw err;
        }
        await sleep(200 * 2 ** attempt);
      }
    }
  }

  async search(base: string, filter: string, attributes: string[]): Promise<RawEntry[]> {
    return this.run('search', base, async (c) => {
      try {
        const res = await c.search(base, {
          scope: 'sub',
          filter,
          attributes,
          paged: { pageSize: this.settings.pageSize },
        });
        return await completeRangedValues(res.searchEntries.map(toRawEntry), (dn, request) => readEntry(c, dn, [request]));
      } catch (e) {
        if (e instanceof NoSuchObjectError) return [];
        throw e;
      }
    }, 'search');
  }

  async read(dn: string, attributes: string[]): Promise<RawEntry | null> {
    return this.run('read', dn, async (c) => {
      const entry = await readEntry(c, dn, attributes);
      return entry ? ((await completeRangedValues([entry], (at, request) => readEntry(c, at, [request])))[0] ?? null) : null;
    });
  }

  async observe(policy: NamingPolicy, now: string, onSearchDone?: () => void): Promise<DirectorySnapshot> {
    return buildSnapshot((base, filter, attributes) => this.search(base, filter, attributes), policy, now, this.source, onSearchDone);
  }

  async add(dn: string, attributes: AttributeValues, password?: string): Promise<void> {
    const attrs = toAttributes(attributes);
    if (password !== undefined) attrs.push(passwordAttribute(password));
    await this.run('add', dn, (c) => c.add(dn, attrs));
  }

  async modify(dn: string, modifications: Modification[]): Promise<void> {
    const changes = modifications.map(
      (mod) => new Change({ operation: mod.operation, modification: new Attribute({ type: mod.attribute, values: mod.values }) }),
    );
    await this.run('modify', dn, (c) => c.modify(dn, changes));
  }

  async move(dn: string, newDn: string): Promise<void> {
    const split = splitDn(newDn);
    if (!split) throw new InternalError(coreMessages.invalidDn(newDn));
    // ldapts cuts newDN into the new RDN and the new parent at the first comma with no backslash before it,
    // so a value ending in an escaped backslash would be cut in the wrong place: the RDN goes hex-escaped,
    // with no comma or backslash left in front of the real separator.
    const rdn = `${split.rdn.type}=${hexEscapeDnValue(split.rdn.value)}`;
    await this.run('move', dn, (c) => c.modifyDN(dn, `${rdn},${split.parentDn}`));
  }

  async setPassword(dn: string, password: string, alsoReplace: AttributeValues = {}): Promise<void> {
    const changes = [
      new Change({ operation: 'replace', modification: passwordAttribute(password) }),
      ...toAttributes(alsoReplace).map((modification) => new Change({ operation: 'replace', modification })),
    ];
    await this.run('set-password', dn, (c) => c.modify(dn, changes));
  }

  async tryBind(dnOrUpn: string, password: string): Promise<{ ok: true } | { ok: false; resultCode: number; adCode?: string }> {
    try {
      const client = await this.pool.open(this.source, dnOrUpn, password);
      await client.unbind().catch(() => undefined);
      return { ok: true };
    } catch (e) {
      if (e instanceof InvalidCredentialsError || e instanceof ResultCodeError) {
        const adCode = bindSubCodeOf(e.message);
        return adCode ? { ok: false, resultCode: e.code, adCode } : { ok: false, resultCode: e.code };
      }
      throw toDirectoryError(e, 'bind', dnOrUpn);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
