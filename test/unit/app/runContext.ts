/** A command's context for unit tests: the default config, a folder of its own, a faked directory, mail recorded. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunContext } from '../../../src/app/context.js';
import type { Directory } from '../../../src/ports/Directory.js';
import type { Mailer, OutgoingMessage } from '../../../src/ports/Mailer.js';

export function runContext(directory: Partial<Directory>, over: { runId?: string; adjust?: (config: RunContext['config']) => void } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'sei-run-'));
  const config = JSON.parse(readFileSync(new URL('../../../config/default.json', import.meta.url), 'utf8')) as RunContext['config'];
  over.adjust?.(config);
  const sent: OutgoingMessage[] = [];
  const mailer: Mailer = { send: async (m) => (sent.push(m), { messageId: '<m>', response: '250' }), verify: async () => undefined, close: async () => undefined };
  const none = (): void => undefined;
  const ctx = {
    config,
    env: {},
    cwd,
    clock: () => new Date(),
    runId: over.runId ?? 'r',
    logger: { info: none, warn: none, error: none, debug: none, audit: none },
    openDirectory: async () => ({ close: async () => undefined, ...directory }) as unknown as Directory, // only what the test gives is used
    openMailer: () => mailer,
    print: none,
    color: false,
  } as unknown as RunContext; // what the commands read
  return { ctx, sent, cwd };
}
