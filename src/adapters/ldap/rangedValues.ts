import { DirectoryError } from '../../domain/errors.js';
import { directoryMessages } from '../../messages/directory.js';
import type { RawEntry } from '../../ports/Directory.js';

/**
 * Active Directory answers a multi-valued attribute holding more values than its MaxValRange (1,500 by
 * default) with the first slice only, named `member;range=0-1499`; the rest must be asked for by range,
 * `member;range=1500-*`, until a slice ends in `*`. Read as it comes, a group of 5,000 people would look
 * like a group with no `member` at all, and every one of them would be added again. (Samba gives every
 * value unless asked for a range, so only a production controller shows it.)
 */
const RANGED = /^(.+);range=(\d+)-(\d+|\*)$/;

/** Reads one entry's `request` (`<attribute>;range=<low>-*`) at base scope; null when the entry is gone. */
export type ReadRange = (dn: string, request: string) => Promise<RawEntry | null>;

interface Slice {
  key: string;
  name: string;
  low: number;
  high: number | '*';
}

function sliceOf(key: string): Slice | undefined {
  const m = RANGED.exec(key);
  if (!m) return undefined;
  return { key, name: m[1] as string, low: Number(m[2]), high: m[3] === '*' ? '*' : Number(m[3]) };
}

/**
 * Completes, in place, every attribute of `entries` that came back as a first slice: its values end up under
 * the attribute's plain name (`member`), as if the server had sent them all. A slice that does not go on
 * where the last one ended (the entry lost values or vanished meanwhile) fails the read: a transient error,
 * so the whole search is tried again rather than planning from a partial list.
 */
export async function completeRangedValues(entries: RawEntry[], readRange: ReadRange): Promise<RawEntry[]> {
  for (const entry of entries) {
    for (const key of Object.keys(entry.attributes)) {
      const first = sliceOf(key);
      if (!first) continue;
      const values = entry.attributes[key] ?? [];
      delete entry.attributes[key];
      let slice = first;
      while (slice.high !== '*') {
        const next = slice.high + 1;
        const answer = await readRange(entry.dn, `${first.name};range=${next}-*`);
        const found = answer && Object.keys(answer.attributes).map(sliceOf).find((s) => s?.name === first.name);
        if (!answer || !found || found.low !== next || (found.high !== '*' && found.high < next)) {
          throw new DirectoryError(directoryMessages.incompleteValues(entry.dn, first.name, values.length), {
            resultCode: 0,
            dn: entry.dn,
            operation: 'search',
            transient: true,
          });
        }
        for (const v of answer.attributes[found.key] ?? []) values.push(v);
        slice = found;
      }
      entry.attributes[first.name] = values;
    }
  }
  return entries;
}
