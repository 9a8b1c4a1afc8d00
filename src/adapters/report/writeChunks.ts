import { open, type FileHandle } from 'node:fs/promises';

/** Bytes gathered before each write. */
const BATCH_BYTES = 4 << 20;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;

/**
 * Writes text produced piece by piece (a renderer's generator) to `file`, each piece encoded straight
 * into a fixed buffer that is written when full: a report of any size costs a few megabytes of memory,
 * never its own size. `private`: only the owner may read the file, from before the first byte (plano.json
 * holds full CPFs); `mode` applies only when a file is created, so an existing one is chmod-ed too,
 * after truncating.
 */
export async function writeChunks(file: string, chunks: Iterable<string>, opts: { private?: boolean } = {}): Promise<void> {
  const handle = await open(file, 'w', opts.private ? 0o600 : 0o666);
  try {
    if (opts.private) await handle.chmod(0o600);
    const buffer = Buffer.allocUnsafe(BATCH_BYTES);
    let used = 0;
    for (const piece of chunks) {
      const worst = piece.length * MAX_UTF8_PER_UNIT;
      if (used + worst > BATCH_BYTES) {
        await writeAll(handle, buffer.subarray(0, used));
        used = 0;
      }
      if (worst > BATCH_BYTES) await writeAll(handle, Buffer.from(piece, 'utf8'));
      else used += buffer.write(piece, used, 'utf8');
    }
    if (used > 0) await writeAll(handle, buffer.subarray(0, used));
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}
