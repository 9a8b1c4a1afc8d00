/**
 * Child process of hostile-input.test.ts: generates hostile form files (deterministic, by seed) and feeds
 * each to the reader (`parseFormBytes`) and the validator, printing one JSON line per case. It runs apart
 * so that a hang (a synchronous loop never returns) is caught by the parent's watchdog instead of freezing
 * the test process.
 *
 *   node --import tsx fuzzReader.ts <seed> [only-kind]
 *
 * Before each case it prints {"start": i, ...}; after it {"i": i, outcome, ...}.
 */
import { parseFormBytes } from '../../../src/adapters/csv/readForms.js';
import { countRejectedRows, validateRows } from '../../../src/core/validateRows.js';
import { InputError } from '../../../src/domain/errors.js';
import { hostileCases } from './hostileCases.js';

const seed = Number(process.argv[2] ?? 1);
const only = process.argv[3];

function write(line: unknown): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

let i = 0;
for (const c of hostileCases(seed)) {
  if (only && c.kind !== only) continue;
  const file = `hostil-${i}-${c.kind}.csv`;
  write({ start: i, kind: c.kind, bytes: c.bytes.length });
  const t0 = performance.now();
  try {
    const batch = parseFormBytes(c.bytes, file);
    const validated = validateRows(batch.rows, batch.warnings);
    const rejectedRows = countRejectedRows(validated.rejected);
    const accounted = validated.people.length + validated.superseded.length + rejectedRows;
    const badRejections = validated.rejected.filter((r) => !r.reason || r.file !== file || !(r.line >= 1)).length;
    const badWarnings = validated.warnings.filter((w) => !w.message || /undefined|NaN|\[object /.test(w.message)).length;
    write({
      i,
      kind: c.kind,
      note: c.note,
      ms: performance.now() - t0,
      outcome: 'rows',
      rows: batch.rows.length,
      people: validated.people.length,
      rejectedRows,
      accounted,
      badRejections,
      badWarnings,
      expect: c.expect ?? null,
      firstReason: validated.rejected[0]?.reason.slice(0, 200) ?? null,
    });
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof InputError) {
      write({ i, kind: c.kind, note: c.note, ms, outcome: 'input-error', message: e.message.slice(0, 400), namesFile: e.message.includes(file), expect: c.expect ?? null });
    } else {
      write({ i, kind: c.kind, note: c.note, ms, outcome: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}`.slice(0, 2000) : String(e) });
    }
  }
  i++;
}
write({ done: i });
