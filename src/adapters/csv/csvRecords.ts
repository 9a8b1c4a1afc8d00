/**
 * Records out of a form's text: a cursor moving over it, Excel's CSV dialect (see below), and the places
 * readForms goes back to while it looks for the header under title rows.
 */
import { flat } from '../../core/flat.js';
import { hasContent } from '../../core/normalise.js';
import { InputError } from '../../domain/errors.js';
import { inputErrors } from '../../messages/forms.js';
import { countBreaks } from './decodeForm.js';

/** The form has 11 columns plus whatever a platform adds; hundreds mean it is not the form. */
export const MAX_HEADER_COLUMNS = 300;

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
export const SEP_LINE = /^sep=([;,\t])[ \t]*(?:\r\n|\n|\r|$)/i;

export interface CsvCursor {
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

export function createCursor(text: string, file: string, delimiter: string): CsvCursor {
  return { text, file, delimiter, pos: 0, line: 1, nextDelimiter: -1, nextLf: -1, nextCr: -1 };
}

export interface CsvRecord {
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
export function firstContentLine(text: string): number | null {
  const m = /[^\s;,\p{Cc}]/u.exec(text);
  if (m === null) return null;
  return Math.max(text.lastIndexOf('\n', m.index), text.lastIndexOf('\r', m.index)) + 1;
}

/** The delimiter used most, outside quotes, in the record starting at `from`; ";" when none is used. */
export function detectDelimiter(text: string, from: number): string {
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

/**
 * `text.slice(start, end)` as a string of its own. V8 makes a slice of 13 characters or more a view that keeps
 * the whole text alive: the people of a 19 MB form held all of it (outside the heap: Node decodes a large
 * Latin-1 text into an external string), plus a 32-byte view per value, until the end of the run. join()
 * copies into a new string; shorter slices are copies already.
 */
export function ownText(text: string, start: number, end: number): string {
  return end - start < 13 ? text.slice(start, end) : [text.slice(start, start + 1), text.slice(start + 1, end)].join('');
}

/** The next record, or null at the end of the text. Throws InputError on a quote never closed. */
export function nextRecord(c: CsvCursor, keep: number): CsvRecord | null {
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
      value = escaped ? text.slice(i + 1, close).replace(DOUBLED_QUOTES, '"') : ownText(text, i + 1, close);
      i = close + 1;
      const end = endOfField(c, i);
      if (end > i) value = flat(value, text.slice(i, end));
      i = end;
    } else {
      const end = endOfField(c, i);
      value = ownText(text, i, end);
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


export type CursorPlace = Pick<CsvCursor, 'pos' | 'line' | 'delimiter'>;

export function savePlace(c: CsvCursor): CursorPlace {
  return { pos: c.pos, line: c.line, delimiter: c.delimiter };
}

/** Back to a place; the searches cached ahead are dropped (they may lie past it, or be for another delimiter). */
export function restorePlace(c: CsvCursor, place: CursorPlace): void {
  Object.assign(c, place, { nextDelimiter: -1, nextLf: -1, nextCr: -1 });
}

/** Where the next filled record starts; the cursor is left there. */
export function nextFilledStart(c: CsvCursor): CursorPlace {
  for (;;) {
    const place = savePlace(c);
    const record = nextRecord(c, MAX_HEADER_COLUMNS);
    if (record === null || isFilled(record)) {
      restorePlace(c, place);
      return place;
    }
  }
}

export function nextFilledRecord(c: CsvCursor, keep: number): CsvRecord | null {
  let record = nextRecord(c, keep);
  while (record !== null && !isFilled(record)) record = nextRecord(c, keep);
  return record;
}

/** A record is blank when no cell has content: empty lines and Excel's trailing ";;;;" rows. */
export function isFilled(record: CsvRecord): boolean {
  return record.extraFilled > 0 || record.fields.some(hasContent);
}
