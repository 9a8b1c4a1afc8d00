/**
 * The real command line as a child process (source through tsx, like test/integration/harness.ts runCli),
 * with two additions the fault suites need: every run's streams go into the shared capture, and a run can
 * be SIGKILLed the moment a condition on the outside world becomes true (journal lines, audit records,
 * messages received), or have a fault injected at that moment.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TSX_IMPORT } from '../../integration/harness.js';
import { localAdEnv } from '../../integration/localAd.js';
import { captured, recordStreams } from './capture.js';

const CLI = new URL('../../../src/cli/main.ts', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time from spawn to exit. */
  ms: number;
  /** The condition fired and the child was sent SIGKILL. */
  killed: boolean;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Polled every `pollMs` while the child runs; true → SIGKILL (unless `onTrigger` is given). */
  killWhen?: () => boolean;
  /** Instead of killing: run this once when `killWhen` first holds (e.g. stop the directory). */
  onTrigger?: () => Promise<void> | void;
  pollMs?: number;
  /** Hard limit: a run still alive after this is killed and reported as hung. */
  hangMs?: number;
  label?: string;
}

/** Runs `sei-contas <args>` in `cwd`, pointed at the local AD; resolves when the process is gone. */
export function runCliWith(cwd: string, args: string[], options: CliOptions = {}): Promise<CliRun> {
  captured.workDirs.add(cwd);
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', TSX_IMPORT, CLI, ...args], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', SEI_MAIL_TRANSPORT: 'file', SEI_MAIL_OUTBOX: join(cwd, 'outbox'), ...localAdEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let killed = false;
  let triggered = false;
  let hung = false;
  const poll = options.killWhen
    ? setInterval(() => {
        if (triggered || child.exitCode !== null) return;
        let fire = false;
        try {
          fire = options.killWhen!();
        } catch {
          fire = false;
        }
        if (!fire) return;
        triggered = true;
        if (options.onTrigger) {
          void Promise.resolve(options.onTrigger()).catch(() => undefined);
        } else {
          killed = child.kill('SIGKILL');
        }
      }, options.pollMs ?? 15)
    : undefined;
  const hangTimer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.hangMs ?? 240_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll);
      clearTimeout(hangTimer);
      recordStreams(options.label ?? `sei-contas ${args.join(' ')}`, stdout, stderr);
      if (hung) {
        reject(new Error(`sei-contas ${args.join(' ')} still running after ${options.hangMs ?? 240_000} ms: hung`));
        return;
      }
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, killed: killed || signal === 'SIGKILL' });
    });
  });
}

// ------------------------------------------------------------------------------------------------------
// What the triggers look at: files the tool writes and fsyncs (the journal), or writes as it goes (logs).
// Read incrementally: a trigger is polled every few milliseconds while the tool and Samba share 2 CPUs.

/** Complete lines appended to the files `list()` names, read from where the last call stopped. */
class LineTail {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();
  constructor(private readonly list: () => string[]) {}

  read(): string[] {
    const lines: string[] = [];
    for (const file of this.list()) {
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        continue;
      }
      const from = this.offsets.get(file) ?? 0;
      if (size <= from) continue;
      const fd = openSync(file, 'r');
      try {
        const buf = Buffer.alloc(size - from);
        readSync(fd, buf, 0, buf.length, from);
        this.offsets.set(file, size);
        const text = (this.partial.get(file) ?? '') + buf.toString('utf8');
        const parts = text.split('\n');
        this.partial.set(file, parts.pop() ?? '');
        for (const p of parts) if (p) lines.push(p);
      } finally {
        closeSync(fd);
      }
    }
    return lines;
  }
}

export interface AuditLine {
  runId: string;
  action: string;
  dn: string;
  attributes: string[];
  result: string;
}

/** The audit records of the work folder's logs as they are written; `all` keeps growing. */
export function watchAudit(work: string): { all: AuditLine[]; poll: () => AuditLine[] } {
  const dir = join(work, 'logs');
  const tail = new LineTail(() => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort().map((n) => join(dir, n)) : []));
  const all: AuditLine[] = [];
  return {
    all,
    poll() {
      for (const line of tail.read()) {
        if (!line.includes('"audit":true')) continue;
        try {
          all.push(JSON.parse(line) as AuditLine);
        } catch {
          // not a record
        }
      }
      return all;
    },
  };
}

/** Journal records (credential-pending, -sent, -failed, -dropped) as they are fsync'd. */
export function watchJournal(work: string): { count: (type: string) => number; poll: () => void } {
  const file = join(work, 'estado', 'credenciais.jsonl');
  const tail = new LineTail(() => [file]);
  const counts = new Map<string, number>();
  const poll = () => {
    for (const line of tail.read()) {
      const type = /"type":"([a-z-]+)"/.exec(line)?.[1];
      if (type) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
  };
  return {
    poll,
    count: (type) => {
      poll();
      return counts.get(type) ?? 0;
    },
  };
}
