import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ExitCode, SeiError } from '../../domain/errors.js';
import { trainingMessages as m } from '../../messages/training.js';

export const TRAINING_STATE_FILE = 'treinamento.json';
const VERSION = 1;

/**
 * What the tool last saw of its own password sets: `pwdLastSet` per training account, keyed by its login
 * lowercased (see recordKey in core/trainingDrift.ts), read back right after the set. The nightly reset
 * writes only the accounts whose `pwdLastSet` moved since. No secret here: a training account's password
 * is its public user name anyway.
 */
interface TrainingStateFile {
  version: typeof VERSION;
  updatedAt: string;
  pwdLastSet: Record<string, string>;
}

export type TrainingRecord =
  | { status: 'ok'; pwdLastSet: Map<string, string> }
  /** No file: never written, or lost. */
  | { status: 'missing'; file: string }
  /** A file that is not ours to trust (damaged, another version). */
  | { status: 'unreadable'; file: string; detail: string };

export interface TrainingStateStore {
  readonly file: string;
  read(): Promise<TrainingRecord>;
  /** Replaces the whole record, atomically: either the old file or the new one survives a crash. */
  write(pwdLastSet: ReadonlyMap<string, string>, updatedAt: string): Promise<void>;
}

const codeOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : String(e);

function parse(text: string): Map<string, string> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  const v = value as Partial<TrainingStateFile> | null;
  if (typeof v !== 'object' || v === null || v.version !== VERSION || typeof v.pwdLastSet !== 'object' || v.pwdLastSet === null) {
    return `version ${String(v?.version)}`;
  }
  const out = new Map<string, string>();
  for (const [login, value] of Object.entries(v.pwdLastSet)) {
    if (typeof value !== 'string' || !/^\d+$/.test(value)) return `pwdLastSet de ${login}`;
    out.set(login, value);
  }
  return out;
}

/** `<stateDir>/treinamento.json`, 0600 in a 0700 folder, like the rest of the state. */
export function openTrainingState(stateDir: string): TrainingStateStore {
  const file = join(stateDir, TRAINING_STATE_FILE);
  return {
    file,
    async read(): Promise<TrainingRecord> {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if (codeOf(e) === 'ENOENT') return { status: 'missing', file };
        return { status: 'unreadable', file, detail: codeOf(e) };
      }
      const parsed = parse(text);
      return typeof parsed === 'string' ? { status: 'unreadable', file, detail: parsed } : { status: 'ok', pwdLastSet: parsed };
    },
    async write(pwdLastSet: ReadonlyMap<string, string>, updatedAt: string): Promise<void> {
      const body: TrainingStateFile = {
        version: VERSION,
        updatedAt,
        pwdLastSet: Object.fromEntries([...pwdLastSet.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      };
      const tmp = `${file}.tmp-${process.pid}`;
      try {
        await mkdir(stateDir, { recursive: true, mode: 0o700 });
        const handle = await open(tmp, 'w', 0o600);
        try {
          await handle.writeFile(`${JSON.stringify(body)}\n`, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        // An umask never widens 0600, but a tmp left by a crashed run could carry other bits.
        await chmod(tmp, 0o600);
        await rename(tmp, file);
        // The rename itself is durable only once the folder is.
        const dir = await open(dirname(file), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch (e) {
        await rm(tmp, { force: true }).catch(() => undefined);
        throw new SeiError(m.recordUnwritable(file, codeOf(e)), ExitCode.partial, { cause: e });
      }
    },
  };
}
