/**
 * The floor under phase e): how long Node takes on this machine just to serialise and write the files an
 * offline plan must produce, with every object already built and no planning at all. Run on the report
 * folder phase e) just wrote; prints `key=value` lines for the bench's figures file.
 *
 *   npx tsx scripts/bench/offline-floor.ts <report-dir>
 *
 * - stringify: JSON.stringify of every change of plano.json and relatorio.json (parsed back first, not
 *   timed), one line each, as the tool writes them;
 * - write: the four files, already as strings, encoded to UTF-8 and written (fsync-free, like the tool).
 * Their sum is time the tool cannot avoid for these outputs whatever its design; the rest of its run is
 * reading, validating, planning, the report model and garbage collection.
 */
import { readFileSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILES = ['plano.json', 'relatorio.json', 'relatorio.csv', 'relatorio.html'] as const;

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('uso: offline-floor.ts <pasta-do-relatório>\n');
  process.exit(2);
}

const texts = FILES.map((f) => readFileSync(join(dir, f), 'utf8'));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);

// Parsed outside the clock: only the serialisation is the floor.
const changeLists = [texts[0], texts[1]].map((t) => (JSON.parse(t ?? '{}') as { changes?: unknown[] }).changes ?? []);
let started = performance.now();
let chars = 0;
for (const list of changeLists) for (const c of list) chars += JSON.stringify(c).length;
const stringifySeconds = (performance.now() - started) / 1000;

const out = mkdtempSync(join(tmpdir(), 'sei-floor-'));
try {
  started = performance.now();
  texts.forEach((t, i) => writeFileSync(join(out, String(i)), t, 'utf8'));
  const writeSeconds = (performance.now() - started) / 1000;
  const lines = {
    'offline.floor.stringifySeconds': stringifySeconds.toFixed(3),
    'offline.floor.stringifyChars': chars,
    'offline.floor.writeSeconds': writeSeconds.toFixed(3),
    'offline.outputBytes': bytes,
    'offline.outputChanges': changeLists.reduce((n, l) => n + l.length, 0),
  };
  for (const [k, v] of Object.entries(lines)) process.stdout.write(`${k}=${v}\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
