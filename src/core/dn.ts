/**
 * Distinguished names as strings (RFC 4514) and search-filter values (RFC 4515).
 *
 * Comparison and containment always go through a real parse: a DN is never matched as a plain string,
 * because `CN=x\,OU=Domain Controllers,…` ends with the same text as a DN under `OU=Domain Controllers`
 * while being a sibling of it.
 */
import { INVISIBLE_CLASS } from './normalise.js';
import { InternalError } from '../domain/errors.js';
import { coreMessages } from '../messages/directory-values.js';
import { flat } from './flat.js';

/** One relative distinguished name. `value` is unescaped; `type` is as written (case kept). */
export interface Rdn {
  type: string;
  value: string;
}

const DN_SPECIALS = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);
// Any character escapeDnValue would touch: a special, NUL, a leading '#' or space, a trailing space.
const NEEDS_DN_ESCAPE = /[,+"\\<>;=\0]|^[# ]| $/;

/** Escapes a value for use inside a DN: `CN=${escapeDnValue(name)},OU=…`. */
export function escapeDnValue(v: string): string {
  // Most names need nothing: answer without splitting them into characters (plans run this 10⁵ times).
  if (!NEEDS_DN_ESCAPE.test(v)) return v;
  const chars = Array.from(v);
  const last = chars.length - 1;
  return chars
    .map((c, i) => {
      if (c === '\0') return '\\00';
      if (DN_SPECIALS.has(c)) return `\\${c}`;
      if (i === 0 && (c === '#' || c === ' ')) return `\\${c}`;
      if (i === last && c === ' ') return '\\ ';
      return c;
    })
    .join('');
}

/**
 * escapeDnValue with every escaped character written as hex (`\2C`, `\5C`, `\20`…): the same value, for
 * code that finds the end of an RDN by looking for a comma with no backslash before it.
 */
export function hexEscapeDnValue(v: string): string {
  if (!NEEDS_DN_ESCAPE.test(v)) return v;
  const chars = Array.from(v);
  const last = chars.length - 1;
  const hex = (c: string): string => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  return chars
    .map((c, i) => (c === '\0' || DN_SPECIALS.has(c) || (i === 0 && (c === '#' || c === ' ')) || (i === last && c === ' ') ? hex(c) : c))
    .join('');
}

const FILTER_ESCAPES: Record<string, string> = { '*': '\\2a', '(': '\\28', ')': '\\29', '\\': '\\5c', '\0': '\\00' };

/** Escapes a value for use inside an LDAP filter: `(sAMAccountName=${escapeFilterValue(login)})`. */
export function escapeFilterValue(v: string): string {
  return v.replace(/[*()\\\0]/g, (c) => FILTER_ESCAPES[c] ?? c);
}

// Types as AD and RFC 4512 allow: a descriptor or a numeric OID.
const TYPE_RE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;
const HEX_RE = /^[0-9A-Fa-f]{2}$/;
// ignoreBOM: a decoder drops a byte-order mark at the start of each decode by default, and `\EF\BB\BF` would
// then vanish from a value the server keeps it in ("OU=\EF\BB\BFSEI Cidades" read as the managed root).
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses a DN into its RDNs, outermost last (as written). Returns null for anything it cannot read with
 * certainty; callers that decide scope treat null as "not ours".
 *
 * Deliberately refused: multi-valued RDNs (unescaped `+`, which AD does not support) and BER `#hex`
 * values, since guessing their meaning is worse than refusing them.
 */
export function tryParseDn(dn: string): Rdn[] | null {
  const rdns: Rdn[] = [];
  let i = 0;
  const n = dn.length;
  const skipSpaces = (): void => {
    while (i < n && dn[i] === ' ') i++;
  };
  skipSpaces();
  if (i === n) return rdns;
  for (;;) {
    const eq = dn.indexOf('=', i);
    if (eq < 0) return null;
    const type = dn.slice(i, eq).trim();
    if (!TYPE_RE.test(type)) return null;
    i = eq + 1;
    skipSpaces();
    if (dn[i] === '#') return null;
    // Text as it comes, except `\XX` escapes, gathered as bytes because `\C3\A7` is one character split
    // over two escapes; plain runs are never re-encoded (that made long plans slow).
    let value = '';
    let escaped: number[] = [];
    // Length of `value` up to the last character that counts: unescaped trailing spaces do not.
    let keep = 0;
    const flush = (): boolean => {
      if (escaped.length === 0) return true;
      try {
        value += utf8Decoder.decode(Uint8Array.from(escaped));
      } catch {
        return false;
      }
      escaped = [];
      keep = value.length;
      return true;
    };
    while (i < n) {
      // A run of plain characters is copied in one slice.
      let j = i;
      while (j < n) {
        const code = dn.charCodeAt(j);
        // , + " ; < > \ and space end a run (space only matters at the end of a value).
        if (code === 44 || code === 43 || code === 34 || code === 59 || code === 60 || code === 62 || code === 92 || code === 32) break;
        j++;
      }
      if (j > i) {
        if (!flush()) return null;
        value += dn.slice(i, j);
        keep = value.length;
        i = j;
        continue;
      }
      const c = dn[i] as string;
      if (c === ',') break;
      if (c === '+' || c === '"' || c === ';' || c === '<' || c === '>') return null;
      if (c === '\\') {
        const pair = dn.slice(i + 1, i + 3);
        if (HEX_RE.test(pair)) {
          escaped.push(parseInt(pair, 16));
          i += 3;
          continue;
        }
        if (!flush()) return null;
        const next = dn.codePointAt(i + 1);
        if (next === undefined) return null;
        const ch = String.fromCodePoint(next);
        value += ch;
        keep = value.length;
        i += 1 + ch.length;
        continue;
      }
      if (!flush()) return null;
      value += c;
      if (c !== ' ') keep = value.length;
      i++;
    }
    if (!flush()) return null;
    value = value.slice(0, keep);
    rdns.push({ type, value });
    if (i >= n) return rdns;
    i++; // the comma
    skipSpaces();
    if (i === n) return null; // trailing comma
  }
}

/** Characters no name the tool writes has (normaliseText drops them; a BOM is a space there) but that make two names look alike. */
const INVISIBLE_IN_NAME = new RegExp(`${INVISIBLE_CLASS}|\\uFEFF`);

/**
 * The part of `dn` that spells `root` (its last RDNs, as many as the root has) is written plainly: no
 * invisible character, no decomposed accent. Comparisons fold accents to NFC (a name typed decomposed meets
 * the server's), but the server keeps `OU=SEI Municípios` and its twins apart (decomposed, or behind a BOM):
 * a scope decision must not take one for the other. Only that part: below the root, whatever an account was
 * named by hand is the tool's to manage.
 */
export function spellsRootPlainly(dn: string, root: string): boolean {
  const rdns = tryParseDn(dn);
  const rootRdns = tryParseDn(root);
  if (rdns === null || rootRdns === null || rdns.length < rootRdns.length) return false;
  return rdns.slice(rdns.length - rootRdns.length).every((r) => !INVISIBLE_IN_NAME.test(r.value) && r.value === r.value.normalize('NFC'));
}

/** Parses a DN that must be well-formed (config, plan files); comparisons use tryParseDn and never throw. */
export function parseDn(dn: string): Rdn[] {
  const rdns = tryParseDn(dn);
  if (rdns === null) throw new InternalError(coreMessages.invalidDn(dn));
  return rdns;
}

/** Writes RDNs back as a DN string, escaping values. */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns.map((r) => `${r.type}=${escapeDnValue(r.value)}`).join(',');
}

// AD compares names case-insensitively; NFC so that a name typed decomposed in a CSV meets the server's.
const foldValue = (v: string): string => v.normalize('NFC').toLowerCase();
const foldRdn = (r: Rdn): Rdn => ({ type: r.type.toLowerCase(), value: foldValue(r.value) });

/**
 * A canonical string for comparing DNs: lowercase types and values, spaces around separators removed,
 * escapes rewritten the one way escapeDnValue writes them. A DN that does not parse is only trimmed and
 * lowercased, so it still equals itself but never anything spelled differently.
 */
export function normaliseDn(dn: string): string {
  let folded = normalised.get(dn);
  if (folded === undefined) {
    const rdns = tryParseDn(dn);
    folded = rdns === null ? dn.trim().toLowerCase() : formatDn(rdns.map(foldRdn));
    // A plan asks for the same few container DNs hundreds of thousands of times; the cache is bounded
    // (cleared when full), so it never grows with the size of the forms.
    if (normalised.size >= NORMALISED_CACHE_SIZE) normalised.clear();
    normalised.set(dn, folded);
  }
  return folded;
}

const NORMALISED_CACHE_SIZE = 4096;
const normalised = new Map<string, string>();

/**
 * normaliseDn of `${type}=${escapeDnValue(value)},${parentDn}` without parsing it back: for the DNs a plan
 * builds itself, one per new account.
 */
export function normaliseChildDn(type: string, value: string, parentDn: string): string {
  return `${type.toLowerCase()}=${escapeDnValue(foldValue(value))},${normaliseDn(parentDn)}`;
}

/** `${type}=${escapeDnValue(value)},${parentDn}` as one flat string (see flat): the DNs a plan builds. */
export function childDn(type: string, value: string, parentDn: string): string {
  return flat(type, '=', escapeDnValue(value), ',', parentDn);
}

export function dnEquals(a: string, b: string): boolean {
  return normaliseDn(a) === normaliseDn(b);
}

const rdnEquals = (a: Rdn, b: Rdn): boolean =>
  a.type.toLowerCase() === b.type.toLowerCase() && foldValue(a.value) === foldValue(b.value);

/** True when `dn` lies strictly below `parentDn`. False when either does not parse. */
export function isDnUnder(dn: string, parentDn: string): boolean {
  const child = tryParseDn(dn);
  const parent = tryParseDn(parentDn);
  if (child === null || parent === null || child.length <= parent.length) return false;
  const offset = child.length - parent.length;
  return parent.every((r, k) => rdnEquals(r, child[offset + k] as Rdn));
}

/** The first RDN and the DN of the container, or null for an empty or unreadable DN. */
export function splitDn(dn: string): { rdn: Rdn; parentDn: string } | null {
  const rdns = tryParseDn(dn);
  const first = rdns?.[0];
  if (rdns === null || first === undefined) return null;
  return { rdn: first, parentDn: formatDn(rdns.slice(1)) };
}

/**
 * The value of the first RDN (`Maria Silva` for `CN=Maria Silva,OU=…`), or null when that RDN does not
 * parse. The rest of the DN is not read: this names an entry for people (reports), it decides nothing.
 */
export function firstRdnValue(dn: string): string | null {
  let end = 0;
  while (end < dn.length && dn[end] !== ',') end += dn[end] === '\\' ? 2 : 1;
  const rdn = dn.slice(0, Math.min(end, dn.length));
  // A plain `type=value` (no escape, quote, space at either end of the value): its value as written, which is
  // what the parser would give. A report names 10⁵ members this way.
  if (PLAIN_RDN.test(rdn)) return rdn.slice(rdn.indexOf('=') + 1);
  const first = tryParseDn(rdn);
  return first !== null && first.length === 1 ? (first[0]?.value ?? null) : null;
}

/**
 * A type of letters (TYPE_RE's first form), "=", then a value tryParseDn takes as written: none of `\ " + ; < > ,`,
 * no white space or `#` first, no white space last. Anything else (an OID type, spaces around "=") goes to the parser.
 */
const PLAIN_RDN = /^[A-Za-z][A-Za-z0-9-]*=(?:[^\s#\\"+;<>,](?:[^\\"+;<>,]*[^\s\\"+;<>,])?)?$/;

/** Number of RDNs, used to create parents before children; unreadable DNs sort last. */
export function dnDepth(dn: string): number {
  return tryParseDn(dn)?.length ?? Number.MAX_SAFE_INTEGER;
}

/** Entries in DN order, as the directory compares DNs, locale aside: the same order on every machine. */
export function byDn(a: { dn: string }, b: { dn: string }): number {
  const x = normaliseDn(a.dn);
  const y = normaliseDn(b.dn);
  return x < y ? -1 : x > y ? 1 : 0;
}
