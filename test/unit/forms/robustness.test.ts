import { expect } from 'chai';
import { MAX_ROWS_PER_FILE, parseFormBytes, readFormFile, readForms } from '../../../src/adapters/csv/readForms.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import { validateRows } from '../../../src/core/validateRows.js';
import { InputError } from '../../../src/domain/errors.js';
import type { FormBatch } from '../../../src/domain/form.js';
import { dataLine, expectInputError, HEADER, tempDir, utf8 } from './helpers.js';
import { prng } from '../../support/prng.js';


/** Reads and validates; only an InputError may come out. */
function survive(bytes: Uint8Array): FormBatch | InputError {
  try {
    const batch = parseFormBytes(bytes, 'hostil.csv');
    validateRows(batch.rows, batch.warnings);
    return batch;
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

const GOOD = [HEADER.join(';'), ...Array.from({ length: 20 }, (_, i) => dataLine(i)), 'A;PMA;"multi\r\nlinha";x;y'].join('\r\n') + '\r\n';

describe('forms / robustness against hostile files', () => {
  it('1,000 generated hostile inputs end in rows or an InputError, never anything else', () => {
    const rand = prng(20_240_311);
    const int = (n: number): number => Math.floor(rand() * n);
    const good = utf8(GOOD);
    const tokens = ['"', '""', ';', ',', '\t', '\n', '\r\n', '\r', 'a', 'É', ' ', '\u0000', 'Município;Órgão;Nome;CPF;E-mail\n'];
    const makers: (() => Uint8Array)[] = [
      () => Uint8Array.from({ length: int(4096) }, () => int(256)),
      () => good.subarray(0, int(good.length + 1)),
      () => {
        const b = Uint8Array.from(good);
        for (let i = int(8); i >= 0; i--) b[int(b.length)] = int(256);
        return b;
      },
      () => {
        const d = [';', ',', '\t'];
        const lines = [HEADER.join(d[int(3)]), ...Array.from({ length: int(30) }, (_, i) => dataLine(i).split(';').join(d[int(3)]))];
        return utf8(lines.join(int(2) ? '\n' : '\r\n'));
      },
      () => utf8(Array.from({ length: int(300) }, () => tokens[int(tokens.length)]).join('')),
      () => {
        const b = Uint8Array.from(good);
        for (let i = int(4); i >= 0; i--) b[int(b.length)] = 0xc0 + int(0x40); // a lead byte without continuation
        return b;
      },
    ];
    const outcomes = { rows: 0, inputError: 0 };
    for (let i = 0; i < 1000; i++) {
      const maker = makers[i % makers.length];
      if (maker === undefined) continue;
      const result = survive(maker());
      if (result instanceof InputError) {
        expect(result.file).to.equal('hostil.csv');
        outcomes.inputError++;
      } else outcomes.rows++;
    }
    // Both paths exercised, so the generator is not trivially one-sided.
    expect(outcomes.rows).to.be.greaterThan(100);
    expect(outcomes.inputError).to.be.greaterThan(100);
  });

  it('a 10 MB field is a rejected row, read in linear time', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    for (const cell of [huge, `"${huge}"`]) {
      const { value: batch, ms } = timed(() => parseFormBytes(utf8(`${HEADER.join(';')};Cargo\n${dataLine(1)};${cell}\n${dataLine(2)};ok\n`), 'f.csv'));
      const result = validateRows(batch.rows, batch.warnings);
      expect(result.people.map((p) => p.line)).to.deep.equal([3]);
      expect(result.rejected.map((r) => [r.line, r.field])).to.deep.equal([[2, 'cargo']]);
      expect(result.rejected[0]?.reason.length).to.be.below(200);
      expect(ms).to.be.below(3000);
    }
  });

  it('a quoted field of millions of doubled quotes is read in linear time and memory', () => {
    const cell = `"${'""'.repeat(3_000_000)}"`;
    const { value: batch, ms } = timed(() => parseFormBytes(utf8(`${HEADER.join(';')};Cargo\n${dataLine(1)};${cell}\n`), 'f.csv'));
    expect(batch.rows[0]?.values.cargo?.length).to.equal(3_000_000);
    expect(ms).to.be.below(3000);
  });

  it('a 10 MB header cell is an ignored column whose warning stays short', () => {
    const batch = parseFormBytes(utf8(`${HEADER.join(';')};${'y'.repeat(10 * 1024 * 1024)}\n${dataLine(1)}\n`), 'f.csv');
    expect(batch.rows).to.have.length(1);
    expect(batch.warnings).to.have.length(1);
    expect(batch.warnings[0]?.message.length).to.be.below(200);
  });

  it('a million empty lines are skipped quickly and still counted', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = `${HEADER.join(';')}${eol}${eol.repeat(1_000_000)}${dataLine(1)}${eol}`;
      const { value: batch, ms } = timed(() => parseFormBytes(utf8(text), 'f.csv'));
      expect(batch.rows.map((r) => r.line)).to.deep.equal([1_000_002]);
      expect(ms).to.be.below(3000);
    }
  });

  it('a million short lines of another width stop at the row cap, quickly', () => {
    const text = `${HEADER.join(';')}\n${'x\n'.repeat(MAX_ROWS_PER_FILE + 10)}`;
    const { value: err, ms } = timed(() => expectInputError(() => parseFormBytes(utf8(text), 'f.csv')));
    expect(err.message).to.contain('linhas de dados');
    expect(ms).to.be.below(5000);
  });

  it('many quoted fields with CR-only line ends stay linear', () => {
    const row = `"Vila";"PMV";"Ana";"${generateValidCpf(1)}";"a@x.sp.gov.br"`;
    const text = `${HEADER.join(';')}\r${`${row}\r`.repeat(100_000)}`;
    const { value: batch, ms } = timed(() => parseFormBytes(utf8(text), 'f.csv'));
    expect(batch.rows).to.have.length(100_000);
    expect(batch.rows[99_999]?.line).to.equal(100_001);
    expect(ms).to.be.below(3000);
  });

  it('an unterminated quote at the start of a big file fails fast', () => {
    const text = `${HEADER.join(';')}\n"${'z'.repeat(10 * 1024 * 1024)}`;
    const { value: err, ms } = timed(() => expectInputError(() => parseFormBytes(utf8(text), 'f.csv')));
    expect(err.line).to.equal(2);
    expect(ms).to.be.below(3000);
  });

  it('100,000 rows are read and validated well within the run budget', () => {
    const lines = ['Município;Órgão;Nome;Nome social;CPF;E-mail;Cargo;Unidade;Telefone;Perfil;Ação'];
    for (let i = 0; i < 100_000; i++) {
      lines.push(
        `São José dos Campos;PMSJC;João da Silva ${i};;${generateValidCpf(i)};joao.silva${i}@sjc.sp.gov.br;` +
          'Assistente Administrativo;Secretaria de Saúde;(12) 3947-8000;Usuário;Inclusão',
      );
    }
    const bytes = utf8(lines.join('\r\n'));
    const { value: result, ms } = timed(() => {
      const batch = parseFormBytes(bytes, 'f.csv');
      return validateRows(batch.rows, batch.warnings);
    });
    expect(result.people).to.have.length(100_000);
    // The budget is one second for the whole run on a developer machine; the bound here is loose
    // because CI shares cores. It still catches anything quadratic (that would take minutes).
    expect(ms).to.be.below(3000);
  });

  it('150,000 warnings do not overflow the stack either', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => ({
      file: 'w.csv',
      line: i + 2,
      values: { municipio: `M${i % 2}`, orgao: `O${Math.floor(i / 2)}`, nome: 'N', cpf: generateValidCpf(i), email: `e${i}@x.sp.gov.br` },
    }));
    expect(validateRows(rows, []).warnings).to.have.length(150_000);
  });

  describe('through readFormFile, as the fault suite calls it', () => {
    const dir = tempDir();
    after(() => dir.remove());

    it('readForms merges a file of 200,000 rows (more than push(...rows) can take)', async () => {
      const lines = [HEADER.join(';')];
      for (let i = 0; i < 200_000; i++) lines.push(`A;PMA;P${i};${generateValidCpf(i)};p${i}@x.sp.gov.br`);
      const path = dir.write('grande.csv', lines.join('\n'));
      const batch = await readForms([path]);
      expect(batch.rows).to.have.length(200_000);
      const result = validateRows(batch.rows, batch.warnings);
      expect(result.people).to.have.length(200_000);
    });

    it('random bytes, NULs and invalid UTF-8 end in rows or an InputError', async () => {
      const rand = prng(7);
      for (let i = 0; i < 30; i++) {
        const bytes = Uint8Array.from({ length: 1 + Math.floor(rand() * 2048) }, () => Math.floor(rand() * 256));
        const path = dir.write(`junk-${i}.csv`, bytes);
        try {
          const batch = await readFormFile(path);
          validateRows(batch.rows, batch.warnings);
        } catch (err) {
          expect(err).to.be.instanceOf(InputError);
        }
      }
    });
  });
});
