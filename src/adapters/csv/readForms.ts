import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { hasContent } from '../../core/normalise.js';
import { containsCpf, CPF_IN_TEXT } from '../../core/cpf.js';
import { mapHeaders, type HeaderMapping } from '../../core/headers.js';
import type { FieldKey, FormBatch, FormRow, InputWarning } from '../../domain/form.js';
import { InputError } from '../../domain/errors.js';
import type { HeaderAliases } from '../../domain/policy.js';
import { fsErrorDetail, inputErrors, readWarnings } from '../../messages/forms.js';
import { countBreaks, decode, lineAt, MOJIBAKE, notCsvSignature, rejectBinary, SNIFF_CHARS, type FormEncoding } from './decodeForm.js';

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
/** The form has 11 columns plus whatever a platform adds; hundreds mean it is not the form. */
export const MAX_HEADER_COLUMNS = 300;
/** How much of the text the binary and mojibake checks look at: thousands of rows, a few ms. */
/** Named unknown columns reported one by one; the rest are summed up in one warning. */
const MAX_COLUMN_WARNINGS = 50;

/** Read several form files into one batch, in the order given. The first unusable file stops the read. */
export async function readForms(paths: readonly string[], options: ReadFormsOptions = {}): Promise<FormBatch> {
  const batch: FormBatch = { inputs: [], rows: [], warnings: [] };
  const seen = new Map<string, string>();
  for (const path of paths) {
    const one = await readFormFile(path, options);
    const input = one.inputs[0];
    if (input === undefined) continue;
    batch.inputs.push(input);
    const earlier = seen.get(input.sha256);
    if (earlier !== undefined) {
      // Reading a copy again would only turn every row into a "correction" of itself.
      batch.warnings.push({ file: path, message: readWarnings.sameContent(path, earlier) });
      continue;
    }
    seen.set(input.sha256, path);
    append(batch.rows, one.rows);
    append(batch.warnings, one.warnings);
  }
  return batch;
}

/** push(...items) overflows the call stack past ~100,000 items; a form file can hold more rows. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Read one form file. Throws InputError when the file cannot be used at all. */
export async function readFormFile(path: string, options: ReadFormsOptions = {}): Promise<FormBatch> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    // A device or a pipe could stream forever; a form is always a regular file.
    if (!info.isFile()) throw new InputError(inputErrors.unreadable(path, fsErrorDetail(info.isDirectory() ? 'EISDIR' : 'ENOTREG')), path);
    if (info.size > MAX_FILE_BYTES) throw new InputError(inputErrors.tooLarge(path, info.size, MAX_FILE_BYTES), path);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(inputErrors.unreadable(path, fsErrorDetail(errorCode(err))), path, undefined, { cause: err });
  }
  return parseFormBytes(bytes, path, options);
}

/**
 * The file-independent part of `readFormFile`: bytes in, rows out. No I/O; `file` only names the
 * source in rows and messages.
 */
export function parseFormBytes(bytes: Uint8Array, file: string, options: ReadFormsOptions = {}): FormBatch {
  if (bytes.length > MAX_FILE_BYTES) throw new InputError(inputErrors.tooLarge(file, bytes.length, MAX_FILE_BYTES), file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
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

  const rows = parseFormText(text, file, options.headerAliases ?? {}, warnings);
  return { inputs: [{ file, sha256 }], rows, warnings };
}

// ---------------------------------------------------------------------------------------------
// Text → rows

function parseFormText(text: string, file: string, aliases: HeaderAliases, warnings: InputWarning[]): FormRow[] {
  const start = firstContentLine(text);
  if (start === null) {
    warnings.push({ file, message: readWarnings.emptyFile(file) });
    return [];
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
    return [];
  }
  if (first.count > MAX_HEADER_COLUMNS) {
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
  const rows: FormRow[] = [];
  const width = header.fields.length;
  for (let record = nextRecord(cursor, width); record !== null; record = nextRecord(cursor, width)) {
    if (!isFilled(record)) continue;
    if (rows.length >= MAX_ROWS_PER_FILE) {
      throw new InputError(inputErrors.tooManyRows(file, MAX_ROWS_PER_FILE), file, record.line);
    }
    const values: FormRow['values'] = {};
    for (const { index, key } of mapped) {
      const value = record.fields[index];
      if (value !== undefined) values[key] = value;
    }
    const overflow = overflowOf(record, width, cursor.delimiter, mapping);
    rows.push(overflow === undefined ? { file, line: record.line, values } : { file, line: record.line, values, overflow });
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
  if (rows.length === 0) warnings.push({ file, message: readWarnings.noDataRows(file) });
  return rows;
}

/** Title rows a form may carry above its header ("Formulário de cadastro", the prefeitura's name). */
const MAX_TITLE_ROWS = 5;

/**
 * The header: the first filled record, unless it names no column at all and one of the next few names
 * every required one (title rows above the header). Otherwise the first, left for checkHeader to refuse.
 * The delimiter was guessed from the first line, a title's: a candidate that names no column that way is
 * read again with the delimiter its own line uses ("Prefeitura de Águas, SP" above a `;` header).
 */
function headerBelowTitles(cursor: CsvCursor, first: CsvRecord, firstMapping: HeaderMapping, aliases: HeaderAliases): { header: CsvRecord; mapping: HeaderMapping } {
  if (firstMapping.columns.some((key) => key !== null)) return { header: first, mapping: firstMapping };
  const saved = savePlace(cursor);
  for (let i = 0; i < MAX_TITLE_ROWS; i++) {
    const start = nextFilledStart(cursor);
    const next = nextFilledRecord(cursor, MAX_HEADER_COLUMNS);
    if (next === null || next.count > MAX_HEADER_COLUMNS) break;
    const mapping = mapHeaders(next.fields, aliases);
    if (mapping.missing.length === 0) return { header: next, mapping };
    const own = detectDelimiter(cursor.text, start.pos);
    if (own === cursor.delimiter) continue;
    const after = savePlace(cursor);
    restorePlace(cursor, { ...start, delimiter: own });
    const again = nextFilledRecord(cursor, MAX_HEADER_COLUMNS);
    const remapped = again === null || again.count > MAX_HEADER_COLUMNS ? null : mapHeaders(again.fields, aliases);
    if (again !== null && remapped !== null && remapped.missing.length === 0) return { header: again, mapping: remapped };
    restorePlace(cursor, after);
  }
  restorePlace(cursor, saved);
  return { header: first, mapping: firstMapping };
}

type CursorPlace = Pick<CsvCursor, 'pos' | 'line' | 'delimiter'>;

function savePlace(c: CsvCursor): CursorPlace {
  return { pos: c.pos, line: c.line, delimiter: c.delimiter };
}

/** Back to a place; the searches cached ahead are dropped (they may lie past it, or be for another delimiter). */
function restorePlace(c: CsvCursor, place: CursorPlace): void {
  Object.assign(c, place, { nextDelimiter: -1, nextLf: -1, nextCr: -1 });
}

/** Where the next filled record starts; the cursor is left there. */
function nextFilledStart(c: CsvCursor): CursorPlace {
  for (;;) {
    const place = savePlace(c);
    const record = nextRecord(c, MAX_HEADER_COLUMNS);
    if (record === null || isFilled(record)) {
      restorePlace(c, place);
      return place;
    }
  }
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
    if (record.extraFilled > 0 || value.split(delimiter).length >= width || containsCpf(value)) {
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

function nextFilledRecord(c: CsvCursor, keep: number): CsvRecord | null {
  let record = nextRecord(c, keep);
  while (record !== null && !isFilled(record)) record = nextRecord(c, keep);
  return record;
}

/** A record is blank when no cell has content: empty lines and Excel's trailing ";;;;" rows. */
function isFilled(record: CsvRecord): boolean {
  return record.extraFilled > 0 || record.fields.some(hasContent);
}

// ---------------------------------------------------------------------------------------------
// The CSV reader.
//
// Hand-written rather than csv-parse (v6), for three measured reasons: csv-parse/sync took 0.4–0.7 s
// to parse 100,000 rows, most of the whole run's one-second budget, where this loop takes about a
// fifth of that; with relax_column_count it builds an Error with a stack trace for every row of
// another width (~20 µs each: a hostile file of a million short lines took ~20 s); and its line
// count takes a CRLF inside quotes for two lines, so record start lines would drift.
// The dialect is Excel's: fields optionally quoted, "" for a quote, line breaks allowed inside quotes,
// any of \r\n, \n, \r ending a record. Like Excel, text after a closing quote joins the field and a
// quote in the middle of an unquoted field is an ordinary character; only an unclosed quote is fatal.

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SEMICOLON = 59;
const COMMA = 44;
const TAB = 9;
const DOUBLED_QUOTES = /""/g;
const SEP_LINE = /^sep=([;,\t])[ \t]*(?:\r\n|\n|\r|$)/i;

interface CsvCursor {
  readonly text: string;
  readonly file: string;
  /** Changed only while looking for the header under title rows (headerBelowTitles). */
  delimiter: string;
  pos: number;
  /** Physical line at `pos`. */
  line: number;
  /**
   * Where the next delimiter, LF and CR are, as last found (text.length when there is none). Native
   * indexOf is several times faster than a character loop; keeping the answers makes each search
   * start where the previous one stopped, so the whole text is scanned once per character.
   */
  nextDelimiter: number;
  nextLf: number;
  nextCr: number;
}

function createCursor(text: string, file: string, delimiter: string): CsvCursor {
  return { text, file, delimiter, pos: 0, line: 1, nextDelimiter: -1, nextLf: -1, nextCr: -1 };
}

interface CsvRecord {
  /** Physical line where the record starts. */
  line: number;
  /** The first `keep` fields. */
  fields: string[];
  /** How many fields the record has, kept or not. */
  count: number;
  /** Fields past `keep` with content. */
  extraFilled: number;
}

/** Offset of the start of the first line with something besides spaces and delimiters, or null. */
function firstContentLine(text: string): number | null {
  const m = /[^\s;,\p{Cc}]/u.exec(text);
  if (m === null) return null;
  return Math.max(text.lastIndexOf('\n', m.index), text.lastIndexOf('\r', m.index)) + 1;
}

/** The delimiter used most, outside quotes, in the record starting at `from`; ";" when none is used. */
function detectDelimiter(text: string, from: number): string {
  let semicolons = 0;
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (c === LF || c === CR) break;
    else if (c === SEMICOLON) semicolons++;
    else if (c === COMMA) commas++;
    else if (c === TAB) tabs++;
  }
  // Ties go to ";", the pt-BR Excel default, then tab, which never appears inside a typed value.
  if (semicolons >= commas && semicolons >= tabs) return ';';
  return tabs >= commas ? '\t' : ',';
}

/** The next record, or null at the end of the text. Throws InputError on a quote never closed. */
function nextRecord(c: CsvCursor, keep: number): CsvRecord | null {
  const { text } = c;
  const delimiter = c.delimiter.charCodeAt(0);
  const n = text.length;
  if (c.pos >= n) return null;
  const line = c.line;
  const fields: string[] = [];
  let count = 0;
  let extraFilled = 0;
  let i = c.pos;
  for (;;) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      // Find the closing quote first and unescape once: appending piece by piece would build one
      // string object per "" and a hostile field of millions of them would exhaust memory.
      let from = i + 1;
      let escaped = false;
      let close = text.indexOf('"', from);
      for (; close >= 0 && text.charCodeAt(close + 1) === QUOTE; close = text.indexOf('"', from)) {
        escaped = true;
        from = close + 2;
      }
      if (close < 0) throw new InputError(inputErrors.unterminatedQuote(c.file, line), c.file, line);
      c.line += countBreaks(text, i + 1, close);
      value = text.slice(i + 1, close);
      if (escaped) value = value.replace(DOUBLED_QUOTES, '"');
      i = close + 1;
      const end = endOfField(c, i);
      if (end > i) value += text.slice(i, end);
      i = end;
    } else {
      const end = endOfField(c, i);
      value = text.slice(i, end);
      i = end;
    }
    count++;
    if (fields.length < keep) fields.push(value);
    else if (hasContent(value)) extraFilled++;

    if (i >= n) break;
    const ch = text.charCodeAt(i);
    // After a delimiter comes another field, even at the very end of the text (an empty one).
    if (ch === delimiter) {
      i++;
      continue;
    }
    // A line break ends the record.
    i += ch === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    c.line++;
    break;
  }
  c.pos = i;
  return { line, fields, count, extraFilled };
}

/** Offset of the delimiter or line break that ends an unquoted field starting at `from`. */
function endOfField(c: CsvCursor, from: number): number {
  if (c.nextDelimiter < from) c.nextDelimiter = indexOrEnd(c.text, c.delimiter, from);
  if (c.nextLf < from) c.nextLf = indexOrEnd(c.text, '\n', from);
  if (c.nextCr < from) c.nextCr = indexOrEnd(c.text, '\r', from);
  return Math.min(c.nextDelimiter, c.nextLf, c.nextCr);
}

function indexOrEnd(text: string, search: string, from: number): number {
  const i = text.indexOf(search, from);
  return i < 0 ? text.length : i;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
