import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { readFormFile, readForms } from '../../../src/adapters/csv/readForms.js';
import { countRejectedRows, validateRows } from '../../../src/core/validateRows.js';
import type { Person } from '../../../src/domain/form.js';

const EXCEL = 'fixtures/formulario-excel.csv';
const PLATFORM = 'fixtures/formulario-plataforma.csv';
const ERRORS = 'fixtures/formulario-com-erros.csv';

function interlocutorsByOrgao(people: readonly Person[]): Record<string, number> {
  const count: Record<string, number> = {};
  for (const p of people) {
    count[p.orgao] ??= 0;
    if (p.perfil === 'interlocutor') count[p.orgao] = (count[p.orgao] ?? 0) + 1;
  }
  return count;
}

describe('forms / fixtures', () => {
  describe(EXCEL, () => {
    it('has the bytes Excel pt-BR writes: Windows-1252, ";" and CRLF', () => {
      const bytes = readFileSync(EXCEL);
      expect(bytes.includes(0x92), 'a ’ in Windows-1252').to.equal(true);
      expect(bytes.includes(Buffer.from('ã')), 'no UTF-8').to.equal(false);
      expect(bytes.toString('latin1').split('\r\n').length).to.equal(bytes.toString('latin1').split('\n').length);
    });

    it('reads as 12 valid people of three órgãos, one interlocutor each', async () => {
      const batch = await readFormFile(EXCEL);
      const result = validateRows(batch.rows, batch.warnings);
      expect(result.rejected).to.deep.equal([]);
      expect(result.warnings).to.deep.equal([]);
      expect(result.rowsRead).to.equal(12);
      expect(result.people.map((p) => p.line)).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
      expect(interlocutorsByOrgao(result.people)).to.deep.equal({ PMSBJ: 1, CMSBJ: 1, PMCPA: 1 });
      const byLine = new Map(result.people.map((p) => [p.line, p]));
      expect(byLine.get(5)?.nome).to.equal('Ana Cláudia D’Ávila Nogueira');
      expect(byLine.get(5)?.cpf).to.match(/^0\d{10}$/);
      expect(byLine.get(6)?.unidade).to.equal('Secretaria de Finanças; Tributação');
      expect(byLine.get(6)?.email).to.equal('luiz.araujo@saobentodojaguari.sp.gov.br');
      expect(byLine.get(6)?.acao).to.equal('alterar');
      expect(byLine.get(7)?.orgao).to.equal('CMSBJ');
      expect(byLine.get(11)?.nomeSocial).to.equal('Rafaela Lima Brandão');
      expect(byLine.get(13)?.acao).to.equal('desativar');
      expect(byLine.get(4)?.perfil).to.equal('administrador');
    });
  });

  describe(PLATFORM, () => {
    it('has the bytes of a web form export: UTF-8 with BOM, "," and LF', () => {
      const bytes = readFileSync(PLATFORM);
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      expect(bytes.includes(0x0d)).to.equal(false);
    });

    it('reads 8 people, ignoring the timestamp column with one warning', async () => {
      const batch = await readFormFile(PLATFORM);
      const result = validateRows(batch.rows, batch.warnings);
      expect(result.rejected).to.deep.equal([]);
      expect(result.warnings.map((w) => w.message)).to.have.length(1);
      expect(result.warnings[0]?.message).to.contain('Carimbo de data/hora').and.contain(PLATFORM);
      expect(result.rowsRead).to.equal(8);
      // The second record spans lines 3–4, so the third starts on line 5.
      expect(result.people.map((p) => p.line)).to.deep.equal([2, 3, 5, 6, 7, 8, 9, 10]);
      const byLine = new Map(result.people.map((p) => [p.line, p]));
      expect(byLine.get(3)?.cargo).to.equal('Coordenadora do Programa "Escola da Família"');
      expect(byLine.get(3)?.unidade).to.equal('Secretaria Municipal de Educação EMEF Profª Zulmira de Almeida');
      expect(byLine.get(5)?.cargo).to.equal('Diretor, Departamento de Obras');
      expect(byLine.get(6)?.nome).to.equal('José Antônio Rezende');
      expect(byLine.get(6)?.nome).to.equal(byLine.get(6)?.nome.normalize('NFC'));
      expect(interlocutorsByOrgao(result.people)).to.deep.equal({ PMSLP: 1, SAAESLP: 1 });
    });
  });

  describe(ERRORS, () => {
    it('rejects one row per mistake, keeps the good ones, supersedes the corrected one and warns about the shared e-mail', async () => {
      const batch = await readFormFile(ERRORS);
      const result = validateRows(batch.rows, batch.warnings);
      // Lines 2–11 and 13; line 12 is blank.
      expect(result.rowsRead).to.equal(11);
      expect(result.rejected.map((r) => [r.line, r.field])).to.deep.equal([
        [3, 'nome'],
        [4, 'cpf'],
        [5, 'cpf'],
        [6, 'email'],
        [7, 'orgao'],
        [8, 'perfil'],
        [9, 'acao'],
      ]);
      expect(result.rejected[1]?.reason).to.contain('verificadores');
      expect(result.rejected[2]?.reason).to.contain('iguais');
      expect(countRejectedRows(result.rejected)).to.equal(7);
      expect(result.people.map((p) => p.line)).to.deep.equal([2, 11, 13]);
      expect(result.superseded.map((s) => [s.line, s.by.line])).to.deep.equal([[10, 13]]);
      expect(result.warnings).to.have.length(1);
      expect(result.warnings[0]?.message).to.contain('ana.teixeira@').and.contain('linha 2').and.contain('linha 11');
    });
  });

  it('reads all three together', async () => {
    const batch = await readForms([EXCEL, PLATFORM, ERRORS]);
    expect(batch.inputs.map((i) => i.file)).to.deep.equal([EXCEL, PLATFORM, ERRORS]);
    expect(validateRows(batch.rows, batch.warnings).people).to.have.length(12 + 8 + 3);
  });
});
