import { createHash } from 'node:crypto';
import { truncateSync } from 'node:fs';
import { expect } from 'chai';
import { MAX_FILE_BYTES, MAX_HEADER_COLUMNS, readFormFile, readForms, readFormsInto } from '../../../src/adapters/csv/readForms.js';
import type { FormRow } from '../../../src/domain/form.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import { validateRows } from '../../../src/core/validateRows.js';
import { ExitCode } from '../../../src/domain/errors.js';
import { dataLine, expectInputError, expectInputErrorAsync, FILE, HEADER, parseForm as parse, tempDir, utf8 } from './helpers.js';

const H = HEADER.join(';');

describe('forms / readForms', () => {
  describe('delimiters and line endings', () => {
    for (const [label, d] of [['";"', ';'], ['","', ','], ['tab', '\t']] as const) {
      it(`detects ${label} from the header line`, () => {
        const batch = parse(`${HEADER.join(d)}\n${dataLine(1, d)}\n${dataLine(2, d)}\n`);
        expect(batch.rows.map((r) => r.values.nome)).to.deep.equal(['Pessoa 1', 'Pessoa 2']);
      });
    }

    it('counts delimiters outside quotes only', () => {
      const header = `"Município; ou cidade; ou vila",Órgão,Nome,CPF,E-mail`;
      const batch = parse(`${header}\nVila Rica,PMVR,"Silva; Ana",${generateValidCpf(1)},a@x.sp.gov.br\n`, {
        headerAliases: { municipio: ['Município; ou cidade; ou vila'] },
      });
      expect(batch.rows[0]?.values.nome).to.equal('Silva; Ana');
    });

    it('honours a first "sep=" line as Excel does', () => {
      const batch = parse(`sep=,\n${HEADER.join(',')}\n${dataLine(1, ',')}\n`);
      expect(batch.rows[0]?.values.nome).to.equal('Pessoa 1');
      expect(batch.rows[0]?.line).to.equal(3);
    });

    for (const [label, eol] of [['CRLF', '\r\n'], ['LF', '\n'], ['CR (old Mac)', '\r']] as const) {
      it(`reads ${label} line endings with the right line numbers`, () => {
        const batch = parse([H, dataLine(1), '', dataLine(2)].join(eol) + eol);
        expect(batch.rows.map((r) => [r.line, r.values.nome])).to.deep.equal([
          [2, 'Pessoa 1'],
          [4, 'Pessoa 2'],
        ]);
      });
    }

    it('reads mixed line endings and a last line without a line break', () => {
      const batch = parse(`${H}\r\n${dataLine(1)}\n${dataLine(2)}\r\n${dataLine(3)}`);
      expect(batch.rows.map((r) => r.line)).to.deep.equal([2, 3, 4]);
    });
  });

  describe('quoting', () => {
    it('keeps delimiters and doubled quotes inside quoted fields', () => {
      const batch = parse(`${H};Cargo\nA;PMA;"Souza; Ana";${generateValidCpf(1)};a@x.sp.gov.br;"Coordenadora do ""Escola da Família"""\n`);
      expect(batch.rows[0]?.values.nome).to.equal('Souza; Ana');
      expect(batch.rows[0]?.values.cargo).to.equal('Coordenadora do "Escola da Família"');
    });

    it('keeps line breaks inside quoted fields and numbers each record by the line where it starts', () => {
      const text = [
        `${H};Unidade`,
        `A;PMA;Ana;${generateValidCpf(1)};a@x.sp.gov.br;"Secretaria de Educação`,
        `EMEF Centro`,
        `Sala 2"`,
        ``,
        `B;PMB;"Bruno`,
        `Lima";${generateValidCpf(2)};b@x.sp.gov.br;Saúde`,
        dataLine(3) + ';x',
      ].join('\r\n');
      const batch = parse(text);
      expect(batch.rows.map((r) => r.line)).to.deep.equal([2, 6, 8]);
      expect(batch.rows[0]?.values.unidade).to.equal('Secretaria de Educação\r\nEMEF Centro\r\nSala 2');
      const people = validateRows(batch.rows, batch.warnings).people;
      expect(people.map((p) => p.unidade)).to.deep.equal(['Secretaria de Educação EMEF Centro Sala 2', 'Saúde', 'x']);
      expect(people[1]?.nome).to.equal('Bruno Lima');
    });

    it('treats a quote inside an unquoted field as text, and text after a closing quote as part of the field', () => {
      const batch = parse(`${H}\nA;PMA;Maria "Cida" Souza;${generateValidCpf(1)};"a"@x.sp.gov.br\n`);
      expect(batch.rows[0]?.values.nome).to.equal('Maria "Cida" Souza');
      expect(batch.rows[0]?.values.email).to.equal('a@x.sp.gov.br');
    });

    it('reads a quoted empty field and a delimiter at the very end', () => {
      const batch = parse(`${H};Cargo\nA;PMA;"";${generateValidCpf(1)};a@x.sp.gov.br;`);
      expect(batch.rows[0]?.values.nome).to.equal('');
      expect(batch.rows[0]?.values.cargo).to.equal('');
    });
  });

  describe('records', () => {
    it('skips blank lines and delimiter-only rows but counts them for line numbers', () => {
      const batch = parse(`\n\n${H}\n\n${dataLine(1)}\n;;;;\n  \n${dataLine(2)}\n;;;;\n\n`);
      expect(batch.rows.map((r) => r.line)).to.deep.equal([5, 8]);
      expect(validateRows(batch.rows, batch.warnings).rowsRead).to.equal(2);
    });

    it('leaves missing trailing fields unset, so validation reports them', () => {
      const batch = parse(`${H}\nA;PMA;Ana\n`);
      expect(batch.rows[0]?.values).to.deep.equal({ municipio: 'A', orgao: 'PMA', nome: 'Ana' });
      const result = validateRows(batch.rows, batch.warnings);
      expect(result.rejected.map((r) => r.field)).to.deep.equal(['cpf', 'email']);
    });

    it('warns once about rows with more filled fields than the header, naming the lines', () => {
      const batch = parse(`${H}\n${dataLine(1)};extra\n${dataLine(2)};;\n${dataLine(3)};;mais\n`);
      expect(batch.rows).to.have.length(3);
      expect(batch.warnings).to.have.length(1);
      expect(batch.warnings[0]?.message).to.contain(FILE).and.contain('2 e 4').and.not.contain(' 3');
    });

    it('warns about an unnamed column that holds data', () => {
      const batch = parse(`${H};;\n${dataLine(1)};;\n${dataLine(2)};;perdido\n`);
      expect(batch.warnings).to.have.length(1);
      expect(batch.warnings[0]?.message).to.contain('coluna 7').and.contain('linha 3');
      expect(parse(`${H};;\n${dataLine(1)};;\n`).warnings).to.deep.equal([]);
    });

    it('carries file and line on every row', () => {
      const batch = parse(`${H}\n${dataLine(1)}\n`);
      expect(batch.rows[0]).to.include({ file: FILE, line: 2 });
    });
  });

  describe('headers', () => {
    it('ignores each extra column with one warning naming the file and the header', () => {
      const batch = parse(`Carimbo de data/hora;${H};Observações\n01/01/2024;${dataLine(1)};ok\n${'x;'}${dataLine(2)};ok\n`);
      expect(batch.rows).to.have.length(2);
      expect(batch.warnings.map((w) => w.message)).to.have.length(2);
      expect(batch.warnings[0]?.message).to.contain(FILE).and.contain('Carimbo de data/hora');
      expect(batch.warnings[1]?.message).to.contain('Observações');
      expect(batch.warnings[0]?.line).to.equal(1);
    });

    it('sums up past 50 unknown columns', () => {
      const extra = Array.from({ length: 60 }, (_, i) => `Extra ${i}`);
      const batch = parse(`${H};${extra.join(';')}\n${dataLine(1)}\n`);
      expect(batch.warnings).to.have.length(51);
      expect(batch.warnings[50]?.message).to.contain('mais 10');
    });

    it('reports a repeated field column', () => {
      const batch = parse(`${H};Setor;Secretaria\n${dataLine(1)};A;B\n`);
      expect(batch.rows[0]?.values.unidade).to.equal('A');
      expect(batch.warnings[0]?.message).to.contain('Secretaria').and.contain('Unidade');
    });

    it('takes configured header aliases', () => {
      const batch = parse(`Cidade;Órgão;Servidor;CPF;Correio\n${dataLine(1)}\n`, { headerAliases: { nome: ['Servidor'], email: ['Correio'] } });
      expect(batch.rows[0]?.values.nome).to.equal('Pessoa 1');
      expect(batch.warnings).to.deep.equal([]);
    });
  });

  describe('empty input is zero rows, not an error', () => {
    for (const [label, bytes] of [
      ['an empty file', new Uint8Array()],
      ['a BOM only', Uint8Array.of(0xef, 0xbb, 0xbf)],
      ['blank lines only', utf8('\r\n\n  \n')],
      ['delimiters only', utf8(';;;;\n;;;;\n')],
    ] as const) {
      it(label, () => {
        const batch = parse(bytes);
        expect(batch.rows).to.deep.equal([]);
        expect(batch.warnings.map((w) => w.message).join()).to.contain('vazio');
        expect(validateRows(batch.rows, batch.warnings).rowsRead).to.equal(0);
      });
    }

    it('a header-only file', () => {
      const batch = parse(`${H}\r\n\r\n`);
      expect(batch.rows).to.deep.equal([]);
      expect(batch.warnings.map((w) => w.message).join()).to.contain('só tem o cabeçalho');
    });
  });

  describe('a quote left open', () => {
    it('marks the record, naming the column it opened in and every CPF it swallowed', () => {
      const [ana, bia, caio] = [generateValidCpf(1), generateValidCpf(2), generateValidCpf(4)];
      const open = parse(`${H}\nA;PMA;"Ana Souza;${ana};ana@a.sp.gov.br\nA;PMA;Bia;${bia};bia@a.sp.gov.br\n"Fim;${caio};c@a.sp.gov.br\n`);
      expect(open.rows).to.have.length(1);
      expect(open.rows[0]?.overflow?.field).to.equal('nome');
      expect(open.rows[0]?.overflow?.cpfs).to.have.members([ana, bia, caio]);
    });

    it('in a column the tool ignores, or in the last column of a file where every field is quoted', () => {
      const ignored = parse(`Município;Órgão;Nome;CPF;E-mail;Observações\nA;PMA;Ana;${generateValidCpf(1)};a@a.sp.gov.br;"nota\nA;PMA;Bia;${generateValidCpf(2)};b@a.sp.gov.br;x"\n`);
      expect(ignored.rows[0]?.overflow?.field).to.equal(null);
      const quoted = (cells: string[]) => cells.map((c) => `"${c}"`).join(',');
      const lastColumn = parse(
        `${quoted(['Município', 'Órgão', 'Nome', 'CPF', 'E-mail', 'Ação'])}\n` +
          `${quoted(['A', 'PMA', 'Ana', generateValidCpf(1), 'a@a.sp.gov.br'])},"Inclusão\n${quoted(['A', 'PMA', 'Bia', generateValidCpf(2), 'b@a.sp.gov.br', 'Inclusão'])}\n`,
      );
      expect(lastColumn.rows[0]?.overflow?.field).to.equal('acao');
    });

    it('leaves a value typed on two lines alone: a name with a comma, two phone numbers, in a comma file too', () => {
      const twoLines = parse(`${H}\nA;PMA;"Silva,\nMaria";${generateValidCpf(3)};m@a.sp.gov.br\n`);
      expect(twoLines.rows[0]?.overflow).to.equal(undefined);
      const comma = parse(`Município,Órgão,Nome,CPF,E-mail,Telefone\nA,PMA,"Silva,\nMaria",${generateValidCpf(3)},m@a.sp.gov.br,"(11) 9999-0000,\n(11) 3333-0000"\n`);
      expect(comma.rows.map((r) => r.overflow)).to.deep.equal([undefined]);
    });

    it('leaves alone a CPF typed with a line break after it, or a value whose second line is CPF-like digits alone', () => {
      const cpf = generateValidCpf(3);
      // Eleven digits with a CPF's check digits, as one mobile number in a hundred has.
      const phoneLikeCpf = generateValidCpf(5);
      const typed = parse(
        `Município;Órgão;Nome;CPF;E-mail;Telefone;Observações\n` +
          `A;PMA;Maria;"${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}\n";m@a.sp.gov.br;"11999990000\n${phoneLikeCpf}";"CPF antigo:\n${generateValidCpf(6)}"\n` +
          `A;PMA;Bia;${generateValidCpf(2)};b@a.sp.gov.br;;\n`,
      );
      expect(typed.rows.map((r) => r.overflow)).to.deep.equal([undefined, undefined]);
    });
  });

  describe('title rows above the header', () => {
    it('are skipped with a warning, and every line keeps its number', () => {
      const batch = parse(`Formulário de cadastro SEI;;;;\nPrefeitura Municipal de Águas;;;;\n${H}\n${dataLine(1)}\n${dataLine(2)}\n`);
      expect(batch.rows.map((r) => r.line)).to.deep.equal([4, 5]);
      const warning = batch.warnings.find((w) => w.message.includes('título'));
      expect(warning?.line).to.equal(1);
      expect(warning?.message).to.contain('linhas 1 a 2').and.contain('o cabeçalho é a linha 3');
    });

    it('are skipped when a title line uses another delimiter than the header (the delimiter is guessed again)', () => {
      const semicolons = parse(`Prefeitura de Águas, SP\n\n${H}\n${dataLine(1)}\n${dataLine(2)}\n`);
      expect(semicolons.rows.map((r) => [r.line, r.values.nome, r.values.email])).to.deep.equal(
        parse(`${H}\n${dataLine(1)}\n${dataLine(2)}\n`).rows.map((r) => [r.line + 2, r.values.nome, r.values.email]),
      );
      const commas = parse(`Formulário; versão 2\n${H.replaceAll(';', ',')}\n${dataLine(1).replaceAll(';', ',')}\n`);
      expect(commas.rows.map((r) => [r.line, r.values.cpf])).to.deep.equal([[3, generateValidCpf(1)]]);
      expect(commas.warnings.some((w) => w.line === 1 && w.message.includes('título'))).to.equal(true);
    });

    it('that sit above a header lacking a column: the error names the missing column at the header line', () => {
      const error = expectInputError(() => parse(`Formulário de cadastro SEI\nMunicípio;Órgão;Nome;E-mail\nA;PMA;Ana;a@a.sp.gov.br\n`));
      expect(error.line).to.equal(2);
      expect(error.message).to.contain('CPF').and.not.to.contain('sem cabeçalho reconhecível');
    });
  });

  describe('unusable files throw one InputError', () => {
    it('an unterminated quote, at the line where the record starts', () => {
      const err = expectInputError(() => parse(`${H}\n${dataLine(1)}\n\nA;PMA;"Ana\nB;${generateValidCpf(2)};x\n${dataLine(3)}\n`));
      expect(err.file).to.equal(FILE);
      expect(err.line).to.equal(4);
      expect(err.exitCode).to.equal(ExitCode.unusable);
      expect(err.message).to.contain(FILE).and.contain('linha 4').and.contain('aspas');
    });

    it('NUL bytes', () => {
      const err = expectInputError(() => parse(new Uint8Array([...utf8(`${H}\n${dataLine(1)}\n`), 0, 0, 0x41])));
      expect(err.message).to.contain(FILE).and.contain('linha 3');
    });

    it('many control characters', () => {
      const junk = Array.from({ length: 200 }, (_, i) => String.fromCharCode(1 + (i % 8))).join('a');
      expectInputError(() => parse(`${H}\n${junk}\n`));
    });

    it('but a few stray control characters are tolerated', () => {
      expect(parse(`${H}\n${dataLine(1)}\u000B\n\u001A`).rows).to.have.length(1);
    });

    it('a spreadsheet or PDF saved under .csv', () => {
      expect(expectInputError(() => parse(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 1, 2))).message).to.contain('.xlsx');
      expect(expectInputError(() => parse(Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1))).message).to.contain('.xls');
      expect(expectInputError(() => parse('%PDF-1.7\n...')).message).to.contain('PDF');
    });

    it('a first line that names no column, with no header in the lines below it either', () => {
      const err = expectInputError(() => parse(`Formulário de cadastro SEI;;;\nPrefeitura;;;\nSem cabeçalho;x;y\n${dataLine(1)}\n`));
      expect(err.line).to.equal(1);
    });

    it('a column that seems to be the ação (or the perfil) under a title not recognised, naming it and the way out', () => {
      const err = expectInputError(() => parse(`Município;Órgão;Nome;CPF;E-mail;Ação solicitada\nA;PMA;Ana Lima;${generateValidCpf(1)};ana@a.sp.gov.br;Desativar\n`));
      expect(err.exitCode).to.equal(ExitCode.unusable);
      expect(err.line).to.equal(1);
      expect(err.message).to.contain(FILE).and.contain('"Ação solicitada"').and.contain('incluir').and.contain('forms.headerAliases.acao');
    });

    it('a header with no recognisable column, listing the headers found', () => {
      const err = expectInputError(() => parse('foo;bar;baz\n1;2;3\n'));
      expect(err.line).to.equal(1);
      expect(err.message).to.contain(FILE).and.contain('"foo"').and.contain('"baz"');
    });

    it('a missing required column, naming it and the headers found', () => {
      const err = expectInputError(() => parse(`Município;Nome;CPF;Telefone\n${dataLine(1)}\n`));
      expect(err.message).to.contain(FILE).and.contain('Órgão').and.contain('E-mail').and.contain('"Telefone"');
      expect(err.line).to.equal(1);
    });

    it('a header with hundreds of columns', () => {
      const err = expectInputError(() => parse(`${H};${'x;'.repeat(MAX_HEADER_COLUMNS)}\n`));
      expect(err.message).to.contain(String(MAX_HEADER_COLUMNS));
    });

    it('but empty cells after the last title do not count toward that limit', () => {
      const wide = parse(`${H}${';'.repeat(MAX_HEADER_COLUMNS + 50)}\n${dataLine(1)}${';'.repeat(MAX_HEADER_COLUMNS + 50)}\n${dataLine(2)}\n`);
      expect(wide.rows.map((r) => r.values.cpf)).to.deep.equal([generateValidCpf(1), generateValidCpf(2)]);
    });
  });

  describe('readFormFile and readForms', () => {
    const dir = tempDir();
    after(() => dir.remove());

    it('records the sha256 of the raw bytes', async () => {
      const bytes = utf8(`${H}\n${dataLine(1)}\n`);
      const path = dir.write('a.csv', bytes);
      const batch = await readFormFile(path, {});
      expect(batch.inputs).to.deep.equal([{ file: path, sha256: createHash('sha256').update(bytes).digest('hex') }]);
      expect(batch.rows[0]?.file).to.equal(path);
    });

    it('throws InputError for a missing file or a folder', async () => {
      const missing = await expectInputErrorAsync(() => readFormFile(dir.path('nao-existe.csv')));
      expect(missing.message).to.contain('não encontrado');
      const folder = await expectInputErrorAsync(() => readFormFile(dir.path('')));
      expect(folder.message).to.contain('pasta');
    });

    it('refuses a file over the size limit without reading it', async () => {
      const path = dir.write('enorme.csv', '');
      truncateSync(path, MAX_FILE_BYTES + 1);
      const err = await expectInputErrorAsync(() => readFormFile(path));
      expect(err.message).to.contain('MB');
    });

    it('merges files in order, and reads a second copy of the same content only once', async () => {
      const a = dir.write('m1.csv', `${H}\n${dataLine(1)}\n`);
      const b = dir.write('m2.csv', `${H.replace(/;/g, ',')}\n${dataLine(2, ',')}\n`);
      const c = dir.write('m3.csv', `${H}\n${dataLine(1)}\n`);
      const batch = await readForms([a, b, c], {});
      expect(batch.inputs.map((i) => i.file)).to.deep.equal([a, b, c]);
      expect(batch.rows.map((r) => [r.file, r.values.nome])).to.deep.equal([
        [a, 'Pessoa 1'],
        [b, 'Pessoa 2'],
      ]);
      expect(batch.warnings).to.have.length(1);
      expect(batch.warnings[0]?.message).to.contain(c).and.contain(a);
    });

    it('hands each row over as it is read (readFormsInto), the rows readForms returns, keeping none itself', async () => {
      const a = dir.write('s1.csv', `${H}\n${dataLine(1)}\n${dataLine(2)}\n`);
      const b = dir.write('s2.csv', `${H}\n${dataLine(3)}\n`);
      const c = dir.write('s3.csv', `${H}\n${dataLine(1)}\n${dataLine(2)}\n`); // a copy of s1
      const handed: FormRow[] = [];
      const read = await readFormsInto([a, b, c], {}, (row) => handed.push(row));
      const whole = await readForms([a, b, c]);
      expect(handed).to.deep.equal(whole.rows);
      expect(handed.map((r) => [r.file, r.line])).to.deep.equal([
        [a, 2],
        [a, 3],
        [b, 2],
      ]);
      expect(read).to.deep.equal({ inputs: whole.inputs, warnings: whole.warnings });
      expect(read).to.not.have.property('rows');
    });

    it('stops at the first unusable file', async () => {
      const good = dir.write('ok.csv', `${H}\n${dataLine(1)}\n`);
      const bad = dir.write('bad.csv', 'foo;bar\n');
      const err = await expectInputErrorAsync(() => readForms([good, bad]));
      expect(err.file).to.equal(bad);
    });

    it('reads nothing from no files', async () => {
      expect(await readForms([])).to.deep.equal({ inputs: [], rows: [], warnings: [] });
    });
  });
});
