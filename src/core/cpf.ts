/**
 * CPF handling. A CPF is personal data (LGPD): only `maskCpf` output may reach logs, reports or messages.
 */

// Dashes as Word and Excel write them (‐ ‑ ‒ – —) count as the hyphen they replace.
const ALLOWED_CPF_CHARS = /^[\d.\- \u2010-\u2014]+$/;
// Excel turns an unformatted CPF column into a number and may show it as "1,23457E+10".
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e\+?\d+$/i;

/**
 * The 11 digits of a CPF typed masked ("123.456.789-09") or not. Excel drops leading zeros when the
 * column is numeric, so 9 or 10 digits are left-padded. Null when it cannot be a CPF.
 */
export function normaliseCpf(raw: string): string | null {
  // A leading apostrophe is how a spreadsheet is told to keep a number as text: not part of the CPF.
  const s = raw.trim().replace(/^['\u2019]/, '');
  if (!ALLOWED_CPF_CHARS.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  if (digits.length < 9 || digits.length > 11) return null;
  // Leading zeros are lost by a number, never by typing: a punctuated value short of 11 digits is padded
  // only when its groups are the CPF mask's counted from the right (1.234.567-89), not when a digit is
  // missing in the middle or at the end (786.295.228-6), where padding would name another person.
  if (digits.length < 11 && digits !== s && !SHORT_MASKED.test(s)) return null;
  return digits.padStart(11, '0');
}

/** A CPF mask applied to a number that lost its leading zeros: 1 or 2 digits, then .ddd.ddd-dd. */
const SHORT_MASKED = /^\d{1,2}\.\d{3}\.\d{3}[-\u2010-\u2014]\d{2}$/;

/** True when the input is what Excel shows for a CPF it turned into a number ("1,23457E+10"). */
export function looksLikeScientificNotation(raw: string): boolean {
  return SCIENTIFIC.test(raw.trim());
}

export type CpfProblem = 'format' | 'all-equal' | 'check-digits';

/** Why 11 digits are not a valid CPF, or null when they are. */
export function cpfProblem(digits: string): CpfProblem | null {
  if (!/^\d{11}$/.test(digits)) return 'format';
  // All-equal CPFs pass the check-digit arithmetic but were never issued; forms get them as placeholders.
  if (/^(\d)\1{10}$/.test(digits)) return 'all-equal';
  const base = digits.slice(0, 9);
  if (checkDigits(base) !== digits.slice(9)) return 'check-digits';
  return null;
}

export function isValidCpf(digits: string): boolean {
  return cpfProblem(digits) === null;
}

/** `***.456.789-**`: digits 4–9 only, the LGPD mask used in every log and report. */
/**
 * A CPF inside text, written any way normaliseCpf takes one: 3-3-3-2 digits, each gap empty or holding
 * up to three separators (dots, spaces, a hyphen or Word's dashes: "123 . 456"), not inside a longer
 * number (no digit right before it, nor a digit and a dot or dash; a space does separate two numbers).
 * After a letter and a dot it is still one: "joao.52998224725@…". Global: reset `lastIndex` or use it with `replace`.
 */
export const CPF_IN_TEXT =
  /(?<!\d)(?<!\d[.\u2010-\u2014-])(\d{3})[.\s\u2010-\u2014-]{0,3}(\d{3})[.\s\u2010-\u2014-]{0,3}(\d{3})[.\s\u2010-\u2014-]{0,3}(\d{2})(?!\d)/g;

/** CPF_IN_TEXT without the lookarounds: a string without this shape cannot match it. */
const CPF_SHAPED = /\d{3}[.\s\u2010-\u2014-]{0,3}\d{3}[.\s\u2010-\u2014-]{0,3}\d{3}[.\s\u2010-\u2014-]{0,3}\d{2}/;
/** CPF_IN_TEXT for a yes or no (not global: no `lastIndex` to carry). */
const CPF_IN_TEXT_ONCE = new RegExp(CPF_IN_TEXT.source);

/** Whether a CPF, written any way CPF_IN_TEXT finds one, is somewhere in the text. */
export function containsCpf(s: string): boolean {
  return CPF_SHAPED.test(s) && CPF_IN_TEXT_ONCE.test(s);
}

/**
 * CPFs inside a text masked (`***.456.789-**`). Without `known` (free text: messages, errors, logs) every
 * CPF-shaped run is; with it, a punctuated CPF always is, but bare eleven digits only when they are a known
 * CPF or have a CPF's check digits, because an attribute such as a mobile phone with area code also has
 * eleven digits (one in a hundred passes the check digits, and is masked: a CPF shown costs more).
 * A CPF that lost its leading zeros (nine or ten digits, as Excel writes 029.982.247-84) is masked when,
 * padded, it is a known CPF, or (free text) has valid check digits.
 */
export function maskCpfsInText(s: string, known?: { has(digits: string): boolean }): string {
  // Every way of writing a CPF found below has nine digits at least. Most strings that reach here have fewer
  // (a DN or an e-mail naming órgão PM0001), and counting is cheaper than the first of the tests that follow.
  const digits = digitsUpTo(s, 11);
  if (digits < 9) return s;
  // Nearly every string has neither nine digits in a row nor a CPF's shape: plain tests answer those
  // without building a copy. Both shapes have eleven digits (an e-mail with nine or ten needs no look).
  const nine = NINE_DIGITS.test(s);
  if (!nine && (digits < 11 || (!CPF_SHAPED.test(s) && !ELEVEN_DIGITS_ANYHOW.test(s)))) return s;
  const isCpf = (digits: string): boolean => (known !== undefined && known.has(digits)) || cpfProblem(digits) === null;
  const unpadded = !nine
    ? s
    : s.replace(CPF_WITHOUT_ZEROS, (run: string) => {
        const padded = run.padStart(11, '0');
        return (known === undefined ? cpfProblem(padded) === null : known.has(padded)) ? maskCpf(padded) : run;
      });
  if (!CPF_SHAPED.test(unpadded)) return maskOddlyWrittenCpfs(unpadded, isCpf);
  const masked = unpadded.replace(CPF_IN_TEXT, (match: string, a: string, b: string, c: string, d: string) => {
    const digits = a + b + c + d;
    return known === undefined || match.length > 11 || isCpf(digits) ? maskCpf(digits) : match;
  });
  // A CPF followed by a suffix of one or two digits: a CPF login made before suffixes took a dot. Known, or
  // (free text) with valid check digits.
  const suffixed = masked.replace(CPF_WITH_SUFFIX, (run: string) => {
    const cpf = run.slice(0, 11);
    return (known === undefined ? cpfProblem(cpf) === null : known.has(cpf)) ? maskCpf(cpf) + run.slice(11) : run;
  });
  return maskOddlyWrittenCpfs(suffixed, isCpf);
}

/** How many digits, ASCII or fullwidth (ANY_DIGIT), `s` has, counting no further than `n`. */
function digitsUpTo(s: string, n: number): number {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (((c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19)) && ++digits >= n) return digits;
  }
  return digits;
}

/**
 * Separators a CPF gets in the wild past CPF_IN_TEXT's: Excel's thousands dots (52.998.224.725), a slash, a
 * comma, U+2212. A comma or a slash only alone: followed by a space they end a list ("52.998.224.725, 11.144…").
 */
const ODD_SEPARATOR = '(?:[.\\s_\\u2010-\\u2015\\u2212-]{0,3}|[,/])';
/** ASCII and fullwidth digits (a CPF typed on a phone keyboard set to Japanese, or pasted from a PDF). */
const ANY_DIGIT = '[0-9\\uFF10-\\uFF19]';
/** Eleven digits with up to three of those separators between any two, alone (no digit close on either side). */
const CPF_ODDLY_WRITTEN = new RegExp(
  `(?<!${ANY_DIGIT}${ODD_SEPARATOR})${ANY_DIGIT}(?:${ODD_SEPARATOR}${ANY_DIGIT}){10}(?!${ODD_SEPARATOR}${ANY_DIGIT})`,
  'g',
);
const ELEVEN_DIGITS_ANYHOW = new RegExp(`${ANY_DIGIT}(?:${ODD_SEPARATOR}${ANY_DIGIT}){10}`);

/**
 * What CPF_IN_TEXT leaves: eleven digits grouped some other way ("52.998.224.725", "529.982.247/25",
 * fullwidth digits). Masked only when they are a CPF (known, or with its check digits): grouped any way,
 * eleven digits are also a phone list or a date and time, and most of those are not.
 */
function maskOddlyWrittenCpfs(s: string, isCpf: (digits: string) => boolean): string {
  if (!ELEVEN_DIGITS_ANYHOW.test(s)) return s;
  return s.replace(CPF_ODDLY_WRITTEN, (run: string) => {
    // NFKC writes fullwidth digits as ASCII ones.
    const digits = run.normalize('NFKC').replace(/\D/g, '');
    return isCpf(digits) ? maskCpf(digits) : run;
  });
}

const CPF_WITH_SUFFIX = /(?<!\d)\d{12,13}(?!\d)/g;
/** A bare run of nine or ten digits, alone: a CPF whose leading zeros were lost. */
const CPF_WITHOUT_ZEROS = /(?<![\d.\u2010-\u2014-])\d{9,10}(?![\d.\u2010-\u2014-]?\d)/g;
const NINE_DIGITS = /\d{9}/;

/**
 * A CPF as the correlation key: its digits, left-padded to 11 when 9 or 10 remain (an employeeID written
 * by hand or by another tool without the leading zeros, as a person's CPF is padded when read).
 */
export const cpfKey = (s: string | undefined): string => {
  const d = (s ?? '').replace(/\D/g, '');
  return d.length === 9 || d.length === 10 ? d.padStart(11, '0') : d;
};

export function maskCpf(cpf: string): string {
  const d = cpf.replace(/\D/g, '');
  if (d.length !== 11) return '***.***.***-**';
  return `***.${d.slice(3, 6)}.${d.slice(6, 9)}-**`;
}

/** The two check digits of a 9-digit CPF base. */
function checkDigits(base: string): string {
  const first = checkDigit(base, 10);
  const second = checkDigit(base + first, 11);
  return `${first}${second}`;
}

function checkDigit(digits: string, firstWeight: number): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (firstWeight - i);
  const rest = (sum * 10) % 11;
  return rest === 10 ? 0 : rest;
}

const GENERATOR_RANGE = 100_000_000;
/** The one 8-digit body that, with region 8, gives 888.888.888-88 (all digits equal). */
const ALL_EIGHTS = 88_888_888;
/** Largest accepted `n` + 1: the last body is kept to stand in for ALL_EIGHTS. */
export const GENERATED_CPF_LIMIT = GENERATOR_RANGE - 1;

/**
 * A valid CPF that is a deterministic function of `n` (0 ≤ n < GENERATED_CPF_LIMIT), distinct for
 * distinct `n`: for fixtures, tests and benchmarks. Consecutive `n` are spread over the range so the
 * CPFs do not look sequential, and the 9th digit is 8, the fiscal region of São Paulo.
 */
export function generateValidCpf(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= GENERATED_CPF_LIMIT) {
    // A programming error, not an operator message: hence English and not in src/messages.
    throw new RangeError(`generateValidCpf: n must be an integer in [0, ${GENERATED_CPF_LIMIT})`);
  }
  let body = spread(n);
  // spread() is a bijection on [0, 10^8): the body of the excluded last n replaces the all-eights one.
  if (body === ALL_EIGHTS) body = spread(GENERATED_CPF_LIMIT);
  const base = `${String(body).padStart(8, '0')}8`;
  return base + checkDigits(base);
}

function spread(n: number): number {
  // The multiplier is coprime with 10^8 (odd, not a multiple of 5), so this permutes the range; it is
  // large so that consecutive n differ from the first digit. n * multiplier stays below 2^53.
  return (n * 61_803_399 + 31_415_926) % GENERATOR_RANGE;
}
