import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateValidCpf } from '../../../src/core/cpf.js';
import type { FieldKey, FormRow } from '../../../src/domain/form.js';
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
