/**
 * Names derived from a person: login (sAMAccountName), CN, givenName/sn.
 *
 * Logins come from the name people are called by (nome social when given): a login is shown to
 * colleagues in SEI, and deriving it from a legal name the person does not use would expose it.
 */
import { InternalError } from '../domain/errors.js';
import { coreMessages } from '../messages/directory-values.js';

/** AD's rangeUpper for the attributes the core fills, in characters. */
export const AD_LIMITS = {
  sAMAccountName: 20,
  cn: 64,
  givenName: 64,
  sn: 64,
  displayName: 256,
  title: 128,
  department: 64,
  company: 64,
  description: 1024,
} as const;

export const MAX_LOGIN = AD_LIMITS.sAMAccountName;

/** Portuguese connectives that are never a surname on their own. */
export const NAME_PARTICLES: ReadonlySet<string> = new Set(['da', 'de', 'do', 'das', 'dos', 'e']);

/**
 * Generational suffixes: "João da Silva Filho" is known as João Silva, and `joao.filho` would collide
 * across every family. Skipped only when another surname remains.
 */
const GENERATIONAL: ReadonlySet<string> = new Set([
  'filho',
  'filha',
  'junior',
  'jr',
  'neto',
  'neta',
  'sobrinho',
  'sobrinha',
]);

// Letters NFD does not decompose into an ASCII base plus marks.
const NON_DECOMPOSABLE: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/**
 * Lowercase ASCII: diacritics dropped (ç→c, ã→a, ü→u…), ligatures spelled out; other characters kept.
 * Compatibility forms become their plain letters first (NFKD): "ﬁ" from a name copied out of a PDF is f+i,
 * "ª" in "Mª" is a, fullwidth "Ｍａｒｉａ" is maria.
 */
export function toAsciiLower(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (c) => NON_DECOMPOSABLE[c] ?? '');
}

/**
 * The words of a name as login material: ASCII, `[a-z0-9]` only. Hyphens and apostrophes join rather
 * than split ("Souza-Lima" → souzalima, "D'Ávila" → davila), so a compound surname stays one surname.
 */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  // Split first (names share their words, Maria, Silva…, so each distinct word is transliterated once); a
  // space transliteration makes inside a word (NFKD of "¨") is stripped with every other non-letter.
  for (const raw of name.split(/\s+/)) {
    if (raw === '') continue;
    let word = loginWords.get(raw);
    if (word === undefined) {
      word = toAsciiLower(raw).replace(/[^a-z0-9]/g, '');
      if (loginWords.size >= LOGIN_WORDS_CACHE_SIZE) loginWords.clear();
      loginWords.set(raw, word);
    }
    if (word.length > 0) words.push(word);
  }
  return words;
}

/** Bounded (cleared when full): it never grows with the size of the forms. */
const LOGIN_WORDS_CACHE_SIZE = 65_536;
const loginWords = new Map<string, string>();

/** First name and last surname, particles ignored. `last` is '' for a one-word name. */
export function firstAndLast(name: string): { first: string; last: string } {
  const words = nameWords(name).filter((w) => !NAME_PARTICLES.has(w));
  const [first = '', ...rest] = words;
  while (rest.length > 1 && GENERATIONAL.has(rest[rest.length - 1] as string)) rest.pop();
  return { first, last: rest[rest.length - 1] ?? '' };
}

type Token = { kind: 'literal'; text: string } | { kind: 'first' | 'last' | 'f' | 'l' };

const PLACEHOLDERS: Record<string, 'first' | 'last' | 'f' | 'l'> = {
  '{first}': 'first',
  '{last}': 'last',
  '{f}': 'f',
  '{l}': 'l',
};

function parseTemplate(template: string): Token[] | null {
  const tokens: Token[] = [];
  for (const piece of template.split(/(\{[^}]*\})/)) {
    if (piece === '') continue;
    const kind = PLACEHOLDERS[piece];
    if (kind) tokens.push({ kind });
    else if (/^[a-z0-9.]+$/.test(piece)) tokens.push({ kind: 'literal', text: piece });
    else return null;
  }
  return tokens.some((t) => t.kind !== 'literal') ? tokens : null;
}

const templateOf = (strategy: string): string => (strategy === 'first.last' ? '{first}.{last}' : strategy);

/** A parsed template with what renderTemplate counts in it: how many of each placeholder, the literals' length. */
interface Template {
  tokens: Token[];
  literals: number;
  cF: number;
  cL: number;
  cf: number;
  cl: number;
}

function counted(tokens: Token[]): Template {
  const count = (k: Token['kind']): number => tokens.filter((t) => t.kind === k).length;
  const literals = tokens.reduce((n, t) => n + (t.kind === 'literal' ? t.text.length : 0), 0);
  return { tokens, literals, cF: count('first'), cL: count('last'), cf: count('f'), cl: count('l') };
}

/** parseTemplate of a strategy, read and counted once: a plan asks for every person's login. Never modified. */
const parsedTemplates = new Map<string, Template | null>();
function templateOfStrategy(strategy: string): Template | null {
  let template = parsedTemplates.get(strategy);
  if (template === undefined) {
    const tokens = parseTemplate(templateOf(strategy));
    template = tokens === null ? null : counted(tokens);
    // A config holds one strategy; the bound only guards against a caller trying thousands.
    if (parsedTemplates.size >= 64) parsedTemplates.clear();
    parsedTemplates.set(strategy, template);
  }
  return template;
}

/** For config validation: 'first.last', 'cpf', or a template of {first} {last} {f} {l} and `[a-z0-9.]`. */
export function isValidLoginStrategy(strategy: string): boolean {
  return strategy === 'cpf' || parseTemplate(templateOf(strategy)) !== null;
}

/** Dots only between characters, never doubled; the login never starts or ends with one. */
const tidyDots = (s: string): string =>
  // Nearly every login has one dot, in the middle: nothing to tidy, and no copy made.
  s.includes('..') || s.startsWith('.') || s.endsWith('.') ? s.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '') : s;

/**
 * The least a shortened surname keeps, so `first.last` still says whose account it is
 * ("maximilianogus.vasco" rather than "maximilianogustavo.v").
 */
const MIN_LAST = 5;

/**
 * Renders a template within MAX_LOGIN. The first name is kept whole when it can be; the surname gives
 * way first, down to MIN_LAST characters; then the first name is cut.
 */
function renderTemplate({ tokens, literals, cF, cL, cf, cl }: Template, first: string, last: string): string {
  const budget = MAX_LOGIN - literals - cf * Math.min(1, first.length) - cl * Math.min(1, last.length);
  let lLen = last.length;
  let fLen = first.length;
  if (cF * fLen + cL * lLen > budget) {
    if (cF === 0) lLen = Math.max(0, Math.floor(budget / cL));
    else if (cL === 0) fLen = Math.max(0, Math.floor(budget / cF));
    else {
      lLen = Math.min(last.length, Math.max(Math.floor((budget - cF * first.length) / cL), Math.min(last.length, MIN_LAST)));
      fLen = Math.min(first.length, Math.max(0, Math.floor((budget - cL * lLen) / cF)));
    }
  }
  const text = tokens
    .map((t) => {
      switch (t.kind) {
        case 'literal':
          return t.text;
        case 'first':
          return first.slice(0, fLen);
        case 'last':
          return last.slice(0, lLen);
        case 'f':
          return first.slice(0, 1);
        case 'l':
          return last.slice(0, 1);
      }
    })
    .join('');
  // The slice is a guard for templates whose literals alone exceed the limit.
  return tidyDots(tidyDots(text).slice(0, MAX_LOGIN));
}

/**
 * The login a person would get if nobody had it yet: lowercase `[a-z0-9.]`, at most 20 characters.
 *
 * - 'cpf': the 11 CPF digits.
 * - 'first.last' or a template: from nome social if given, else nome. A one-word name gives that word
 *   alone (a template would otherwise render "maria.maria" or "mmaria"); a name with no Latin letters
 *   falls back to the CPF digits, the only other identifier the form guarantees.
 */
export function deriveLoginBase(person: { nome: string; nomeSocial?: string; cpf: string }, strategy: string): string {
  const cpf = person.cpf.replace(/\D/g, '');
  if (strategy === 'cpf') return cpf;
  const template = templateOfStrategy(strategy);
  if (template === null) throw new InternalError(coreMessages.invalidLoginStrategy(strategy));
  const { first, last } = firstAndLast(displayNameOf(person));
  if (first === '') return cpf;
  if (last === '') return first.slice(0, MAX_LOGIN);
  return renderTemplate(template, first, last);
}

/**
 * The first free login from `base`: base, then base2, base3… Characters are taken off the base (never
 * the suffix) to stay within 20, and a dot left in front of the suffix goes too (`…abc.2` → `…abc2`).
 * `isTaken` receives lowercase candidates.
 */
export function resolveLogin(
  base: string,
  isTaken: (login: string) => boolean,
  /**
   * Where the last search for each base ended. Logins only ever become taken, so the next search for the
   * same base may start there: 500 namesakes then cost 500 checks, not 125,000. Pass the same map for
   * one set of taken logins only.
   */
  nextSuffix?: Map<string, number>,
): string {
  const b = base.toLowerCase();
  // A base searched before was taken then, and stays so: the search goes on from where it ended.
  if (!nextSuffix?.has(b) && !isTaken(b)) return b;
  // A login made of a CPF keeps its eleven digits apart from the suffix (52998224725.2, not 529982247252):
  // in a run of twelve digits no masking of logs and reports would find the CPF.
  const apart = /^\d{11}$/.test(b) ? '.' : '';
  for (let n = nextSuffix?.get(b) ?? 2; ; n++) {
    const suffix = apart + String(n);
    const candidate = b.slice(0, MAX_LOGIN - suffix.length).replace(/\.+$/, '') + suffix;
    if (!isTaken(candidate)) {
      nextSuffix?.set(b, n + 1);
      return candidate;
    }
  }
}

/** Spaces collapsed; the name the person uses (nome social when given). */
export function displayNameOf(person: { nome: string; nomeSocial?: string }): string {
  const social = person.nomeSocial?.trim();
  const name = (social ? social : person.nome).trim();
  // A validated name has single spaces already: replacing each by itself cost a new string per person.
  return SPACES_TO_COLLAPSE.test(name) ? name.replace(/\s+/g, ' ') : name;
}

const SPACES_TO_COLLAPSE = /\s\s|[^\S ]/;

/**
 * Cuts to `max` UTF-16 units, as AD and Samba count a value's length (Samba refuses a value whose UTF-16
 * size / 2 passes rangeUpper: a character outside the BMP, "𝐌", counts two), without splitting a character
 * in two or leaving a trailing space.
 */
export function truncateChars(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  // A high surrogate at the cut would leave half a character: it goes with its other half.
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return s.slice(0, end).trimEnd();
}

/**
 * How names (CNs in a container, logins and UPNs in the domain) are compared for uniqueness, as AD
 * compares them: case, accents and width aside ("José Silva" and "Jose Silva", "Ｍａｒｉａ" and "Maria",
 * "Meißner" and "Meissner" are one name to it, and the second add would be refused). Folding more than the server does only costs a tag, never an add.
 */
export function foldCn(cn: string): string {
  // Lowercase and accents off, the common way (10⁵ names: the full NFKD fold cost 0.15 s, and a fold built
  // character by character kept a tree of pieces per name in the sets of names, tens of megabytes); the
  // full fold only for what is left outside ASCII (ß, full-width forms, other scripts).
  const lower = cn.toLowerCase();
  if (ASCII.test(lower)) return lower;
  const plain = lower.normalize('NFD').replace(COMBINING_MARKS, '');
  return ASCII.test(plain) ? plain : toAsciiLower(cn);
}

const ASCII = /^[\x00-\x7f]*$/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * A CN unique in its container. The display name when free; otherwise the display name followed by the
 * login in parentheses, "José Silva (jose.silva2)": the login is domain-unique, so this is unique too,
 * and it tells homonyms apart in the AD console without depending on who was created first. Only if even
 * that is taken does a counter follow, " (2)", " (3)"…. Always within AD's 64 characters, by shortening
 * the name and never the tag. `isTaken` receives CNs folded with foldCn; the last one it receives is the
 * CN returned, folded (a caller that records the name need not fold it again).
 */
export function deriveCn(displayName: string, login: string, isTaken: (foldedCn: string) => boolean): string {
  const withTag = (tag: string): string => truncateChars(displayName, AD_LIMITS.cn - tag.length) + tag;
  const plain = truncateChars(displayName, AD_LIMITS.cn);
  if (!isTaken(foldCn(plain))) return plain;
  const tagged = withTag(` (${login})`);
  if (!isTaken(foldCn(tagged))) return tagged;
  for (let n = 2; ; n++) {
    const numbered = withTag(` (${n})`);
    if (!isTaken(foldCn(numbered))) return numbered;
  }
}

/** A name as people compare it: case, accents and spacing aside. */
const foldName = (s: string): string => toAsciiLower(s).replace(/\s+/g, ' ').trim();

/**
 * Whether `cn` is a CN deriveCn could have given `displayName` (plain, tagged with the login or a counter,
 * shortened to AD's limit), case and accents aside. When it is not, the person's name changed (a nome social,
 * a corrected name) and the CN should follow; an accent dropped by a form export changes no DN.
 */
export function cnFitsName(cn: string, displayName: string, login: string): boolean {
  const name = foldName(displayName);
  const tag = / \(([^()]*)\)$/.exec(cn);
  const bases = [cn];
  if (tag && (tag[1]?.toLowerCase() === login.toLowerCase() || /^\d+$/.test(tag[1] ?? ''))) bases.push(cn.slice(0, tag.index));
  // A CN at (or next to) AD's limit was shortened: the name only has to start with it.
  const shortened = cn.length >= AD_LIMITS.cn - 2;
  return bases.some((base) => {
    const b = foldName(base);
    return b === name || (shortened && b.length > 0 && name.startsWith(b));
  });
}

/** givenName is the first word of the display name, sn the rest (absent for a one-word name). */
export function splitGivenSn(displayName: string): { givenName: string; sn?: string } {
  // Cut at the first space: the same words as split(' ') and join(' ') of the rest, without the array and copy.
  const space = displayName.indexOf(' ');
  const given = space < 0 ? displayName : displayName.slice(0, space);
  const rest = space < 0 ? '' : displayName.slice(space + 1);
  const givenName = truncateChars(given, AD_LIMITS.givenName);
  const sn = truncateChars(rest, AD_LIMITS.sn);
  return sn ? { givenName, sn } : { givenName };
}
