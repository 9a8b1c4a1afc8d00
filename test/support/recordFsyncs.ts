import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Records each fsync any file handle makes, as 'sync', into `events` (FileHandle's prototype is shared by
 * every handle, so one probe reaches them all) until `restore` is called.
 */
export async function recordFsyncs(): Promise<{ events: string[]; restore: () => void }> {
  const probe = await open(join(mkdtempSync(join(tmpdir(), 'sei-fsync-')), 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const original = proto.sync;
  const events: string[] = [];
  proto.sync = function (this: unknown) {
    events.push('sync');
    return original.call(this);
  };
  return { events, restore: () => void (proto.sync = original) };
}
