import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeWindows1252, parseFormBytes } from '../../../src/adapters/csv/readForms.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import { validateRows } from '../../../src/core/validateRows.js';
import type { FieldKey, FormBatch, FormRow, ValidatedBatch } from '../../../src/domain/form.js';
import { InputError } from '../../../src/domain/errors.js';

/** A row that validates, with `values` overriding (undefined removes the key). */
export function formRow(values: Partial<Record<FieldKey, string | undefined>> = {}, line = 2, file = 'forms.csv'): FormRow {
  const base: Partial<Record<FieldKey, string>> = {
    municipio: 'Vila Rica do Tietê',
    orgao: 'PMVRT',
    nome: 'Ana Paula Teixeira',
    cpf: generateValidCpf(1),
    email: 'ana.teixeira@vilarica.sp.gov.br',
  };
  const merged: Partial<Record<FieldKey, string>> = { ...base };
  for (const [key, value] of Object.entries(values) as [FieldKey, string | undefined][]) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return { file, line, values: merged };
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A header line with the five required columns plus the ones given, joined by `d`. */
export const HEADER = ['Município', 'Órgão', 'Nome', 'CPF', 'E-mail'];

/** One valid data line for HEADER, person `n`. */
export function dataLine(n: number, d = ';'): string {
  return ['Vila Rica do Tietê', 'PMVRT', `Pessoa ${n}`, generateValidCpf(n), `pessoa${n}@vilarica.sp.gov.br`].join(d);
}

/** A temporary folder removed after the suite. */
export function tempDir(): { path: (name: string) => string; write: (name: string, bytes: Uint8Array | string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sei-forms-'));
  return {
    path: (name) => join(dir, name),
    write: (name, bytes) => {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `fn`, expecting an InputError; returns it for further checks. */
export function expectInputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return err as InputError;
  }
  expect.fail('expected an InputError');
}

export async function expectInputErrorAsync(fn: () => Promise<unknown>): Promise<InputError> {
  try {
    await fn();
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return err as InputError;
  }
  expect.fail('expected an InputError');
}

/** Mask-free CPF digits found in a text: none may appear in a message. */
export function fullCpfsIn(text: string): string[] {
  return text.match(/\d{3}\.?\d{3}\.?\d{3}-?\d{2}/g) ?? [];
}

/** The file name every parsed text is read as. */
export const FILE = 'forms.csv';

/** A form's text (UTF-8) or bytes, read as the tool reads a file. */
export function parseForm(text: string | Uint8Array, options = {}): FormBatch {
  return parseFormBytes(typeof text === 'string' ? utf8(text) : text, FILE, options);
}

/** Windows-1252 bytes for text whose characters are all in Latin-1 or the 0x80–0x9F table. */
export function cp1252(text: string): Uint8Array {
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(decodeWindows1252(Uint8Array.of(b)), b);
  return Uint8Array.from([...text].map((ch) => {
    const b = byChar.get(ch);
    if (b === undefined) throw new Error(`not in cp1252: ${ch}`);
    return b;
  }));
}

export function validate(...rows: FormRow[]): ValidatedBatch {
  return validateRows(rows, []);
}

/** The single rejection of a one-row batch. */
export function onlyRejection(values: Partial<Record<FieldKey, string | undefined>>): { field: FieldKey | null; reason: string } {
  const result = validate(formRow(values));
  expect(result.people).to.have.length(0);
  expect(result.rejected, JSON.stringify(result.rejected)).to.have.length(1);
  const [r] = result.rejected;
  if (r === undefined) throw new Error('unreachable');
  return { field: r.field, reason: r.reason };
}

/** A CPF written with its dots and dash. */
export function masked(cpf: string): string {
  return `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
}

/** CPFs the validation tests use. */
export const CPF_A = generateValidCpf(11);
export const CPF_B = generateValidCpf(12);
export const CPF_C = generateValidCpf(13);
