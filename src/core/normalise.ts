/**
 * Text clean-up shared by the form reader and the validator. Spreadsheets and web forms bring
 * non-breaking spaces, line breaks inside cells, decomposed accents (macOS), invisible characters
 * pasted from e-mails and stray control characters; each would make equal values compare different.
 */

// \s already covers NBSP, U+2000–U+200A, U+2028/9, U+3000 and U+FEFF (a BOM left mid-file);
// \p{Cc} adds the control characters that old exports leave behind (e.g. Ctrl-Z at the end).
const SPACE_RUNS = /[\s\p{Cc}]+/gu;
// Zero-width and soft-hyphen characters come from copy-paste and are invisible to whoever fixes the row.
// Direction marks, embeddings, overrides and isolates are invisible too, and worse: in a name they make
// the AD console, the reports and the e-mails show the letters in another order than they are stored.
// The Mongolian vowel separator, invisible operators and the deprecated format characters are as invisible.
const INVISIBLE_CHARS = '\\u00AD\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F';
export const INVISIBLE_CLASS = `[${INVISIBLE_CHARS}]`;
const INVISIBLE = new RegExp(INVISIBLE_CLASS, 'g');
const NON_ASCII = /[^\x00-\x7F]/;
// Printable ASCII and precomposed Latin-1 letters (no NBSP, no soft hyphen) are already NFC and need no
// collapsing unless spaces are doubled or at an end: most cells of a real form, so worth skipping.
const NEEDS_WORK = /[^\x20-\x7E\u00A1-\u00AC\u00AE-\u00FF]|^ | $|  /;
const MARKS = /\p{M}/gu;
// Dashes of every width: Word and some forms turn "E-mail" into "E–mail".
const HEADER_NOISE = /[\s_\-/\u2010-\u2015]+/g;
// The degree sign typed for the ordinal "º" ("N° do CPF"); a dot after "N" ("N.º") is a header's decoration too.
const NUMERO_SIGN = /^n(?:\.?°\.?|\.o\.?|o\.)/;
// [^()] rather than [^)]: a run of unmatched '(' must stay linear, not quadratic.
const PARENTHESISED = /\([^()]*\)/g;
const HAS_CONTENT = new RegExp(`[^\\s\\p{Cc}${INVISIBLE_CHARS}]`, 'u');

/**
 * What follows "Ã" when UTF-8 was read as Windows-1252 and saved again: "ã" becomes "Ã£", "É" becomes "Ã‰".
 * WORD_END is what also follows a capital Ã legitimately at a word's end (a closing quote, an ellipsis:
 * "CIDADÃ”", "CIDADÃ…"); it would come from Ô, Ò, Å and û, which no form's Portuguese needs.
 */
const GARBLED = '\\u0080-\\u00BA\\u00BC-\\u00BF\\u0152\\u0153\\u0160\\u0161\\u0178\\u017D\\u017E\\u0192\\u02C6\\u02DC\\u2013\\u2014\\u2018\\u201A-\\u201C\\u201E\\u2020-\\u2022\\u2030\\u2039\\u203A\\u20AC\\u2122';
const WORD_END = '\\u00BB\\u2019\\u201D\\u2026';
/** No Portuguese word has "Ã" followed by these: one hit is enough to warn about the file. */
export const MOJIBAKE = new RegExp(`Ã[${GARBLED}${WORD_END}]`);
/**
 * A cell that has it is refused: a Windows-1252 file with one row pasted in UTF-8 reads that row this way, and
 * an account named "JoÃ£o" keeps it. WORD_END is left out: the file warning still names those.
 */
export const MOJIBAKE_IN_CELL = new RegExp(`Ã[${GARBLED}]`);

/** Trim, collapse every run of spaces/line breaks/control characters to one space, drop invisibles, NFC. */
export function normaliseText(raw: string): string {
  if (!NEEDS_WORK.test(raw)) return raw;
  let s = raw;
  // normalize() is the costly step on 100k-row files; ASCII needs none of it.
  if (NON_ASCII.test(s)) s = s.normalize('NFC').replace(INVISIBLE, '');
  return s.replace(SPACE_RUNS, ' ').trim();
}

/** Lowercase without accents; NFKD also turns "º"/"ª" into "o"/"a" so "Nº do CPF" matches. */
export function foldAccents(s: string): string {
  return s.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The form used to compare headers: no case, accents, spaces, `_`, `-` or `/`; "N°", "N.º" read as "Nº". */
export function foldForMatch(s: string): string {
  return foldAccents(normaliseText(s)).replace(HEADER_NOISE, '').replace(NUMERO_SIGN, 'no');
}

/**
 * The form used to compare a chosen option such as "Usuário(a)" or "Desativação": no case, accents,
 * parenthesised suffixes, or anything but letters and digits.
 */
export function foldKeyword(s: string): string {
  return foldAccents(normaliseText(s))
    .replace(PARENTHESISED, '')
    .replace(/[^a-z0-9]+/g, '');
}

/** True when the text holds something other than spaces, control or invisible characters. */
export function hasContent(s: string): boolean {
  return HAS_CONTENT.test(s);
}
