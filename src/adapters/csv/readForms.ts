import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { hasContent } from '../../core/normalise.js';
import { containsCpf, CPF_IN_TEXT } from '../../core/cpf.js';
import { mapHeaders, type HeaderMapping } from '../../core/headers.js';
import type { FieldKey, FormBatch, FormRow, InputWarning } from '../../domain/form.js';
import { InputError } from '../../domain/errors.js';
import type { HeaderAliases } from '../../domain/policy.js';
import { fsErrorDetail, inputErrors, readWarnings } from '../../messages/forms.js';
import {
  createCursor,
  detectDelimiter,
  firstContentLine,
  isFilled,
  MAX_HEADER_COLUMNS,
  nextFilledRecord,
  nextFilledStart,
  nextRecord,
  restorePlace,
  savePlace,
  SEP_LINE,
  type CsvCursor,
  type CsvRecord,
} from './csvRecords.js';
import { decode, lineAt, MOJIBAKE, notCsvSignature, rejectBinary, SNIFF_CHARS, type FormEncoding } from './decodeForm.js';

export { decodeWindows1252, type FormEncoding } from './decodeForm.js';

export interface ReadFormsOptions {
  /** 'auto' (default): UTF-8 (with or without BOM), UTF-16 with BOM, otherwise Windows-1252. */
  encoding?: FormEncoding;
  headerAliases?: HeaderAliases;
}

/** Real forms are a few MB; the cap keeps a wrong file from exhausting memory. */
export const MAX_FILE_BYTES = 100 * 1_048_576;
/** São Paulo has 645 municípios; no form batch comes near this. */
export const MAX_ROWS_PER_FILE = 500_000;
export { MAX_HEADER_COLUMNS } from './csvRecords.js';
/** How much of the text the binary and mojibake checks look at: thousands of rows, a few ms. */
/** Named unknown columns reported one by one; the rest are summed up in one warning. */
const MAX_COLUMN_WARNINGS = 50;

/** Read several form files into one batch, in the order given. The first unusable file stops the read. */
export async function readForms(paths: readonly string[], options: ReadFormsOptions = {}): Promise<FormBatch> {
  const rows: FormRow[] = [];
  const read = await readFormsInto(paths, options, (row) => rows.push(row));
  return { ...read, rows };
}

/**
 * readForms handing each row to `onRow` as it is read, in the order of the forms, instead of keeping them:
 * a caller that validates as it goes never holds 10⁵ raw rows. A file with the same content as one read
 * before gives no rows (reading it again would only turn every row into a "correction" of itself). A file
 * that turns out unusable midway throws after some of its rows were handed over: the caller drops them all.
 */
export async function readFormsInto(
  paths: readonly string[],
  options: ReadFormsOptions,
  onRow: (row: FormRow) => void,
): Promise<Omit<FormBatch, 'rows'>> {
  const batch: Omit<FormBatch, 'rows'> = { inputs: [], warnings: [] };
  const seen = new Map<string, string>();
  for (const path of paths) {
    const bytes = await readFormBytes(path);
    const sha256 = sha256Of(bytes);
    batch.inputs.push({ file: path, sha256 });
    const earlier = seen.get(sha256);
    if (earlier !== undefined) {
      batch.warnings.push({ file: path, message: readWarnings.sameContent(path, earlier) });
      continue;
    }
    seen.set(sha256, path);
    append(batch.warnings, parseFormBytesInto(bytes, path, options, onRow));
  }
  return batch;
}

/** push(...items) overflows the call stack past ~100,000 items; a form file can hold more rows. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Read one form file. Throws InputError when the file cannot be used at all. */
export async function readFormFile(path: string, options: ReadFormsOptions = {}): Promise<FormBatch> {
  return parseFormBytes(await readFormBytes(path), path, options);
}

async function readFormBytes(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    // A device or a pipe could stream forever; a form is always a regular file.
    if (!info.isFile()) throw new InputError(inputErrors.unreadable(path, fsErrorDetail(info.isDirectory() ? 'EISDIR' : 'ENOTREG')), path);
    if (info.size > MAX_FILE_BYTES) throw new InputError(inputErrors.tooLarge(path, info.size, MAX_FILE_BYTES), path);
    return await readFile(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(inputErrors.unreadable(path, fsErrorDetail(errorCode(err))), path, undefined, { cause: err });
  }
}

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The file-independent part of `readFormFile`: bytes in, rows out. No I/O; `file` only names the
 * source in rows and messages.
 */
export function parseFormBytes(bytes: Uint8Array, file: string, options: ReadFormsOptions = {}): FormBatch {
  const rows: FormRow[] = [];
  const warnings = parseFormBytesInto(bytes, file, options, (row) => rows.push(row));
  return { inputs: [{ file, sha256: sha256Of(bytes) }], rows, warnings };
}

/** parseFormBytes handing each row to `onRow`; returns the file's warnings. */
function parseFormBytesInto(bytes: Uint8Array, file: string, options: ReadFormsOptions, onRow: (row: FormRow) => void): InputWarning[] {
  if (bytes.length > MAX_FILE_BYTES) throw new InputError(inputErrors.tooLarge(file, bytes.length, MAX_FILE_BYTES), file);
  const kind = notCsvSignature(bytes);
  if (kind !== null) throw new InputError(inputErrors.notCsv(file, kind), file);

  const warnings: InputWarning[] = [];
  const text = decode(bytes, options.encoding ?? 'auto', file, warnings);
  rejectBinary(text, file);
  const mojibake = MOJIBAKE.exec(text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text);
  if (mojibake !== null) {
    const line = lineAt(text, mojibake.index);
    warnings.push({ file, line, message: readWarnings.suspectedMojibake(file, line, mojibake[0]) });
  }

  parseFormText(text, file, options.headerAliases ?? {}, warnings, onRow);
  return warnings;
}

// ---------------------------------------------------------------------------------------------
// Text → rows

function parseFormText(text: string, file: string, aliases: HeaderAliases, warnings: InputWarning[], onRow: (row: FormRow) => void): void {
  const start = firstContentLine(text);
  if (start === null) {
    warnings.push({ file, message: readWarnings.emptyFile(file) });
    return;
  }
  const sep = SEP_LINE.exec(text.slice(start, start + 8));
  const cursor = createCursor(text, file, sep?.[1] ?? detectDelimiter(text, start));
  // Start where the content starts: the lines before it are blank by any delimiter's standard.
  cursor.pos = start;
  cursor.line = lineAt(text, start);

  // Excel honours a first line "sep=;" and some exports write one: it is not the header.
  if (sep !== null) nextFilledRecord(cursor, MAX_HEADER_COLUMNS);
  const first = nextFilledRecord(cursor, MAX_HEADER_COLUMNS);
  if (first === null) {
    warnings.push({ file, message: readWarnings.emptyFile(file) });
    return;
  }
  // Empty cells past the last title do not count: Excel writes a header row as wide as the widest row.
  if (first.extraFilled > 0) {
    throw new InputError(inputErrors.tooManyColumns(file, first.line, first.count, MAX_HEADER_COLUMNS), file, first.line);
  }
  const { header, mapping } = headerBelowTitles(cursor, first, mapHeaders(first.fields, aliases), aliases);
  if (header !== first) warnings.push({ file, line: first.line, message: readWarnings.titleRowsSkipped(file, first.line, header.line) });
  checkHeader(mapping, header, file);
  append(warnings, columnWarnings(mapping, file, header.line));

  const mapped: { index: number; key: FieldKey }[] = [];
  mapping.columns.forEach((key, index) => {
    if (key !== null) mapped.push({ index, key });
  });
  const unnamedWithData = new Map<number, number>();
  const extraFieldLines: number[] = [];
  let count = 0;
  const width = header.fields.length;
  for (let record = nextRecord(cursor, width); record !== null; record = nextRecord(cursor, width)) {
    if (!isFilled(record)) continue;
    if (count >= MAX_ROWS_PER_FILE) {
      throw new InputError(inputErrors.tooManyRows(file, MAX_ROWS_PER_FILE), file, record.line);
    }
    const values: FormRow['values'] = {};
    for (const { index, key } of mapped) {
      const value = record.fields[index];
      if (value !== undefined) values[key] = value;
    }
    const overflow = overflowOf(record, width, cursor.delimiter, mapping);
    count++;
    onRow(overflow === undefined ? { file, line: record.line, values } : { file, line: record.line, values, overflow });
    if (record.extraFilled > 0) extraFieldLines.push(record.line);
    for (const index of mapping.unnamed) {
      const value = record.fields[index];
      if (!unnamedWithData.has(index) && value !== undefined && hasContent(value)) unnamedWithData.set(index, record.line);
    }
  }

  for (const [index, line] of [...unnamedWithData].sort((a, b) => a[0] - b[0])) {
    warnings.push({ file, line, message: readWarnings.unnamedColumnWithData(file, index + 1, line) });
  }
  if (extraFieldLines.length > 0) {
    warnings.push({ file, line: extraFieldLines[0], message: readWarnings.rowsWithExtraFields(file, extraFieldLines) });
  }
  if (count === 0) warnings.push({ file, message: readWarnings.noDataRows(file) });
}

/** Title rows a form may carry above its header ("Formulário de cadastro", the prefeitura's name). */
const MAX_TITLE_ROWS = 5;
/** Columns a line below the titles must name to be taken for a header that lacks some (a data row names none). */
const MIN_NAMED_FOR_HEADER = 2;

/**
 * The header: the first filled record, unless it names no column at all and one of the next few names
 * every required one (title rows above the header). Otherwise the first, left for checkHeader to refuse.
 * The delimiter was guessed from the first line, a title's: a candidate that names no column that way is
 * read again with the delimiter its own line uses ("Prefeitura de Águas, SP" above a `;` header).
 */
function headerBelowTitles(cursor: CsvCursor, first: CsvRecord, firstMapping: HeaderMapping, aliases: HeaderAliases): { header: CsvRecord; mapping: HeaderMapping } {
  if (firstMapping.columns.some((key) => key !== null)) return { header: first, mapping: firstMapping };
  const saved = savePlace(cursor);
  // A header below titles that lacks a column is still the header: checkHeader then names what it lacks,
  // instead of saying the title line is no header.
  let best: { header: CsvRecord; mapping: HeaderMapping; named: number } | undefined;
  const consider = (header: CsvRecord, mapping: HeaderMapping) => {
    const named = mapping.columns.filter((key) => key !== null).length;
    if (named >= MIN_NAMED_FOR_HEADER && named > (best?.named ?? 0)) best = { header, mapping, named };
  };
  for (let i = 0; i < MAX_TITLE_ROWS; i++) {
    const start = nextFilledStart(cursor);
    const next = nextFilledRecord(cursor, MAX_HEADER_COLUMNS);
    if (next === null || next.extraFilled > 0) break;
    const mapping = mapHeaders(next.fields, aliases);
    if (mapping.missing.length === 0) return { header: next, mapping };
    consider(next, mapping);
    const own = detectDelimiter(cursor.text, start.pos);
    if (own === cursor.delimiter) continue;
    const after = savePlace(cursor);
    restorePlace(cursor, { ...start, delimiter: own });
    const again = nextFilledRecord(cursor, MAX_HEADER_COLUMNS);
    const remapped = again === null || again.extraFilled > 0 ? null : mapHeaders(again.fields, aliases);
    if (again !== null && remapped !== null && remapped.missing.length === 0) return { header: again, mapping: remapped };
    if (again !== null && remapped !== null) consider(again, remapped);
    restorePlace(cursor, after);
  }
  restorePlace(cursor, saved);
  return best ?? { header: first, mapping: firstMapping };
}

/**
 * A record a quote opened and never closed made of several rows: one of its values runs over a line break
 * and holds what rows hold (a whole row's delimiters, or a CPF), or the record ended up with more fields
 * than the header. A value typed on two lines ("Silva,\nMaria", two phone numbers) is none of these.
 */
function overflowOf(record: CsvRecord, width: number, delimiter: string, mapping: HeaderMapping): FormRow['overflow'] {
  let at = -1;
  for (let i = 0; i < record.fields.length; i++) {
    const value = record.fields[i] as string;
    if (!value.includes('\n') && !value.includes('\r')) continue;
    if (record.extraFilled > 0 || value.split(delimiter).length >= width || holdsARow(value, delimiter)) {
      at = i;
      break;
    }
  }
  if (at < 0) return undefined;
  const cpfs = new Set<string>();
  for (const value of record.fields) {
    for (const m of value.matchAll(CPF_IN_TEXT)) cpfs.add(m.slice(1, 5).join(''));
  }
  return { field: mapping.columns[at] ?? null, cpfs: [...cpfs] };
}

/**
 * What follows the value's first line break reads like a row of its own: a CPF and a delimiter. A CPF
 * typed with Alt+Enter after it ("111.444.777-35⏎"), or a second phone number alone on its line, is not.
 */
function holdsARow(value: string, delimiter: string): boolean {
  const rest = value.slice(value.search(/[\r\n]/));
  return rest.includes(delimiter) && containsCpf(rest);
}

function checkHeader(mapping: HeaderMapping, header: CsvRecord, file: string): void {
  const found = header.fields.filter(hasContent);
  if (mapping.columns.every((key) => key === null)) {
    throw new InputError(inputErrors.noRecognisableHeader(file, header.line, found), file, header.line);
  }
  if (mapping.missing.length > 0) {
    throw new InputError(inputErrors.missingColumns(file, header.line, mapping.missing, found), file, header.line);
  }
  const doubtful = mapping.doubtful[0];
  if (doubtful !== undefined) throw new InputError(inputErrors.doubtfulColumn(file, header.line, doubtful.header, doubtful.key), file, header.line);
}

function columnWarnings(mapping: HeaderMapping, file: string, line: number): InputWarning[] {
  const warnings = mapping.ignored.slice(0, MAX_COLUMN_WARNINGS).map((col) => ({
    file,
    line,
    message:
      col.duplicateOf === undefined
        ? readWarnings.ignoredColumn(file, col.header)
        : readWarnings.duplicateColumn(file, col.header, col.duplicateOf.key, col.duplicateOf.header),
  }));
  const rest = mapping.ignored.length - MAX_COLUMN_WARNINGS;
  if (rest > 0) warnings.push({ file, line, message: readWarnings.moreIgnoredColumns(file, rest) });
  return warnings;
}


function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
