/**
 * A form's bytes as text: the encoding detected (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252),
 * files that are no CSV at all recognised, and line numbers of a text offset. The first half of reading a form.
 */
import { InputError } from '../../domain/errors.js';
import type { InputWarning } from '../../domain/form.js';
import { inputErrors, readWarnings, type NotCsvKind } from '../../messages/forms.js';

export type FormEncoding = 'auto' | 'utf-8' | 'windows-1252';

/** How much of a text the checks that look for binary junk or mojibake read: enough to see it, no more. */
export const SNIFF_CHARS = 256 * 1024;
const LF = 10;
const CR = 13;

/** Moved to the core, where the validator refuses cells that have it; the reader warns about the file. */
export { MOJIBAKE } from '../../core/normalise.js';

export function notCsvSignature(b: Uint8Array): NotCsvKind | null {
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'xls';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) return 'pdf';
  return null;
}

/**
 * The characters Windows-1252 puts at 0x80–0x9F (WHATWG index); the other 224 bytes are Latin-1.
 * Node's own TextDecoder('windows-1252') cannot be used: since 20.18.3 it decodes as Latin-1 and turns
 * ’ “ ” – € into control characters (nodejs/node#60888). 0x81, 0x8D, 0x8F, 0x90 and 0x9D are
 * unassigned and stay as the control characters the standard maps them to.
 */
const WINDOWS_1252_HIGH = new Map<string, string>(
  [
    [0x80, 0x20ac], [0x82, 0x201a], [0x83, 0x0192], [0x84, 0x201e], [0x85, 0x2026], [0x86, 0x2020],
    [0x87, 0x2021], [0x88, 0x02c6], [0x89, 0x2030], [0x8a, 0x0160], [0x8b, 0x2039], [0x8c, 0x0152],
    [0x8e, 0x017d], [0x91, 0x2018], [0x92, 0x2019], [0x93, 0x201c], [0x94, 0x201d], [0x95, 0x2022],
    [0x96, 0x2013], [0x97, 0x2014], [0x98, 0x02dc], [0x99, 0x2122], [0x9a, 0x0161], [0x9b, 0x203a],
    [0x9c, 0x0153], [0x9e, 0x017e], [0x9f, 0x0178],
  ].map(([byte, code]) => [String.fromCharCode(byte ?? 0), String.fromCharCode(code ?? 0)]),
);

/** Windows-1252 bytes as text. Every byte sequence decodes, so this never fails. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (ch) => WINDOWS_1252_HIGH.get(ch) ?? ch);
}

export function decode(bytes: Uint8Array, encoding: FormEncoding, file: string, warnings: InputWarning[]): string {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  // Excel's "Texto Unicode" export is UTF-16 with a BOM; without one it would be caught as binary.
  if (encoding === 'auto' && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (encoding === 'auto' && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    // Windows-1252 decodes any byte sequence, so a mistake there shows as odd letters, never as a crash.
    // But a UTF-8 file with a stray byte or two (a row pasted from a Windows-1252 file) is still UTF-8:
    // read as Windows-1252, every accent of every other row would turn into "Ã£".
    if (encoding === 'auto' && !hasBom && !mostlyUtf8(bytes)) return decodeWindows1252(bytes);
    // UTF-8 (declared by option or BOM, or by its own sequences): keep what is readable and say so. The
    // rows with "�" are refused at validation, naming the field.
    warnings.push({ file, message: readWarnings.invalidUtf8Replaced(file) });
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * True when well-formed UTF-8 multi-byte sequences outnumber the bytes that fit none. Windows-1252 text has
 * almost none of the first (an accented letter is one byte, followed by a plain one); a UTF-8 file with a
 * few stray bytes has many. Stops early once Windows-1252 is plain.
 */
function mostlyUtf8(b: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const follow = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    let ok = follow > 0 && i + follow < b.length;
    for (let k = 1; ok && k <= follow; k++) ok = ((b[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += follow + 1;
    } else {
      invalid++;
      i++;
      if (invalid >= 64 && invalid > 4 * valid) return false;
    }
  }
  return valid > invalid;
}

/** C0 controls other than tab/LF/CR, DEL, and C1 controls (what stray Windows-1252 bytes become). */
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g;

/**
 * Text files hold no NUL and almost no control characters; binaries, UTF-16 without BOM and random
 * bytes are full of them. A handful is tolerated: old exports end with Ctrl-Z, cells carry a stray \v.
 */
export function rejectBinary(text: string, file: string): void {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = lineAt(text, nul);
    throw new InputError(inputErrors.binary(file, line), file, line);
  }
  // Binary junk shows from the start; past the sample, stray controls only make bad rows, never a crash.
  const sample = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  const limit = Math.max(8, sample.length / 100);
  let count = 0;
  let first = -1;
  CONTROL.lastIndex = 0;
  for (let m = CONTROL.exec(sample); m !== null; m = CONTROL.exec(sample)) {
    if (first < 0) first = m.index;
    if (++count > limit) {
      const line = lineAt(text, first);
      throw new InputError(inputErrors.binary(file, line), file, line);
    }
  }
}

/** 1-based physical line of a text offset; \r\n, \n and a lone \r each end a line. */
export function lineAt(text: string, offset: number): number {
  return 1 + countBreaks(text, 0, offset);
}

export function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}
