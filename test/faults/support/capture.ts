/**
 * What the whole fault suite saw, for the secrets check that runs after every suite (secrets.test.ts):
 * every stream of every run, every work folder the tool wrote into, every password that went out in a
 * message, every CPF that went into a form; and the figures for the closing note.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestSmtpServer } from '../../support/smtpServer.js';

export interface CapturedStream {
  label: string;
  text: string;
}

interface Captured {
  /** stdout and stderr of every CLI process and in-process run. */
  streams: CapturedStream[];
  /** Folders the tool ran in: its logs/, relatorios/, estado/ and anything else it made there. */
  workDirs: Set<string>;
  /** Files the tests wrote (forms, configs, hand-edited plans): inputs, not the tool's output. */
  inputs: Set<string>;
  /** Every SMTP server a suite started: their messages are harvested for passwords at the end. */
  smtpServers: TestSmtpServer[];
  /** Passwords seen anywhere (messages, outboxes, the directory's own), added as they are met. */
  passwords: Set<string>;
  /** Full CPFs (11 digits) of every person in a form given to the tool. */
  cpfs: Set<string>;
}

interface Figures {
  /** One label per SIGKILL that landed on a running apply. */
  crashPoints: string[];
  /** One label per injected fault the tool came through without losing anything. */
  faultsSurvived: string[];
  /** Generated hostile files given to the reader (in-process and through the CLI). */
  hostileInputs: number;
  /** Anything found lost (accounts, credentials, memberships); must stay empty. */
  lost: string[];
}

// Kept on globalThis: mocha may load one spec through require and another through import, and tsx then
// gives each its own copy of this module; the secrets check must see what every suite recorded.
const KEY = Symbol.for('sei-contas.faults.capture');
const store = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  captured: { streams: [], workDirs: new Set(), inputs: new Set(), smtpServers: [], passwords: new Set(), cpfs: new Set() },
  figures: { crashPoints: [], faultsSurvived: [], hostileInputs: 0, lost: [] },
}) as { captured: Captured; figures: Figures };

export const captured: Captured = store.captured;
export const figures: Figures = store.figures;

export function recordStreams(label: string, stdout: string, stderr: string): void {
  captured.streams.push({ label: `${label} (stdout)`, text: stdout }, { label: `${label} (stderr)`, text: stderr });
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const p = join(dir, name);
    const s = statSync(p);
    return s.isDirectory() ? filesUnder(p) : s.isFile() ? [p] : [];
  });
}
