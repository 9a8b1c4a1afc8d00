import { expect } from 'chai';
import { formRow } from './helpers.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import { validateRows } from '../../../src/core/validateRows.js';
import { cp1252, dataLine, HEADER, parseForm as parse, utf8 } from './helpers.js';

const H = HEADER.join(';');

/** How a form's bytes become text (src/adapters/csv/decodeForm.ts), seen through the reader. */
describe('forms / encodings', () => {
  const name = 'Ana Cláudia D’Ávila Conceição';
  const text = `${H}\r\nSão João;PMSJ;${name};${generateValidCpf(1)};ana@x.sp.gov.br\r\n`;

  it('reads UTF-8 without BOM', () => {
    const batch = parse(text);
    expect(batch.rows[0]?.values.nome).to.equal(name);
    expect(batch.rows[0]?.values.municipio).to.equal('São João');
  });

  it('reads UTF-8 with BOM, and the first header still matches', () => {
    const batch = parse(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]));
    expect(batch.rows[0]?.values.municipio).to.equal('São João');
    expect(batch.warnings).to.deep.equal([]);
  });

  it('detects Windows-1252 by itself, including ’ (0x92), which Node 20 TextDecoder gets wrong', () => {
    const bytes = cp1252(text);
    expect([...bytes]).to.include(0x92);
    const batch = parse(bytes);
    expect(batch.rows[0]?.values.nome).to.equal(name);
    expect(batch.warnings).to.deep.equal([]);
  });

  it('reads ISO-8859-1 bytes (the same letters)', () => {
    const latin1 = Buffer.from(text.replace('’', "'"), 'latin1');
    expect(parse(latin1).rows[0]?.values.nome).to.equal("Ana Cláudia D'Ávila Conceição");
  });

  it('reads UTF-16 with BOM, as Excel saves "Texto Unicode" (tab-separated)', () => {
    const tsv = text.replace(/;/g, '\t');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]);
    expect(parse(le).rows[0]?.values.nome).to.equal(name);
    const be = Buffer.from(le);
    for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1] ?? 0, be[i] ?? 0];
    expect(parse(be).rows[0]?.values.nome).to.equal(name);
  });

  it('obeys the encoding option over detection', () => {
    const ascii = text.replace(H, 'Municipio;Orgao;Nome;CPF;E-mail');
    const forced1252 = parse(utf8(ascii), { encoding: 'windows-1252' });
    expect(forced1252.rows[0]?.values.municipio).to.equal('SÃ£o JoÃ£o');
    const forcedUtf8 = parse(cp1252(ascii), { encoding: 'utf-8' });
    expect(forcedUtf8.rows[0]?.values.municipio).to.equal('S\uFFFDo Jo\uFFFDo');
    expect(forcedUtf8.warnings.map((w) => w.message).join()).to.contain('UTF-8');
  });

  it('reads a UTF-8 file with one stray Windows-1252 byte as UTF-8: the other rows keep their accents, that row is refused', () => {
    const good = `São João;PMSJ;João Conceição;${generateValidCpf(1)};joao@x.sp.gov.br\n`;
    const bytes = new Uint8Array([...utf8(`${H}\n${good}`), ...cp1252(`São João;PMSJ;José Lima;${generateValidCpf(2)};jose@x.sp.gov.br\n`)]);
    const batch = parse(bytes);
    expect(batch.rows[0]?.values.nome).to.equal('João Conceição');
    expect(batch.warnings.map((w) => w.message).join()).to.contain('UTF-8');
    const validated = validateRows(batch.rows, batch.warnings);
    expect(validated.people.map((p) => p.nome)).to.deep.equal(['João Conceição']);
    expect(validated.rejected.map((r) => [r.line, r.field])).to.deep.equal([
      [3, 'municipio'],
      [3, 'nome'],
    ]);
    expect(validated.rejected[0]?.reason).to.contain('ilegíveis');
  });

  it('warns about text converted twice (mojibake), naming the line', () => {
    const batch = parse(`${H}\n${dataLine(1)}\nSÃ£o JoÃ£o;PMSJ;JoÃ£o;${generateValidCpf(2)};j@x.sp.gov.br\n`);
    expect(batch.warnings).to.have.length(1);
    expect(batch.warnings[0]?.line).to.equal(3);
    expect(batch.warnings[0]?.message).to.contain('Ã£');
  });

  it('refuses a row of a Windows-1252 file pasted in as UTF-8, naming each garbled field, and keeps the others', () => {
    const good = `São João;PMSJ;José Conceição;${generateValidCpf(1)};jose@x.sp.gov.br\n`;
    const pasted = `São João;PMSJ;João Araújo;${generateValidCpf(2)};joao@x.sp.gov.br\n`;
    const bytes = new Uint8Array([...cp1252(`${H}\n${good}`), ...utf8(pasted), ...cp1252(good.replace('José', 'Ana').replace(generateValidCpf(1), generateValidCpf(3)))]);
    const batch = parse(bytes);
    const validated = validateRows(batch.rows, batch.warnings);
    expect(validated.people.map((p) => p.nome)).to.deep.equal(['José Conceição', 'Ana Conceição']);
    expect(validated.rejected.map((r) => [r.line, r.field])).to.deep.equal([
      [3, 'municipio'],
      [3, 'nome'],
    ]);
    expect(validated.rejected[1]?.reason).to.contain('acentos corrompidos').and.to.contain('Ã£');
  });

  it('accepts a capital Ã before a closing quote or an ellipsis, and still refuses Ó and É garbled', () => {
    const rows = ['PROGRAMA “ESCOLA CIDADÃ”', 'MULHER CIDADÃ…', 'SÃ“NIA', 'JOSÃ‰'].map((unidade, i) =>
      formRow({ unidade, cpf: generateValidCpf(40 + i), email: `p${i}@x.sp.gov.br` }, i + 2),
    );
    const validated = validateRows(rows, []);
    expect(validated.people.map((p) => p.unidade)).to.deep.equal(['PROGRAMA “ESCOLA CIDADÃ”', 'MULHER CIDADÃ…']);
    expect(validated.rejected.map((r) => [r.line, r.field])).to.deep.equal([
      [4, 'unidade'],
      [5, 'unidade'],
    ]);
  });
});
