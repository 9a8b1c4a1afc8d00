import { expect } from 'chai';
import { maskCpf } from '../../../src/core/cpf.js';
import { countRejectedRows, MAX_FIELD_LENGTH } from '../../../src/core/validateRows.js';
import { REQUIRED_FIELDS, type FieldKey } from '../../../src/domain/form.js';
import { formatRejection } from '../../../src/messages/forms.js';
import { CPF_A, CPF_B, formRow, fullCpfsIn, masked, onlyRejection, validate } from './helpers.js';

describe('forms / validateRows: rejections', () => {
  it('an empty required field, each one, including blanks and a missing column value', () => {
    for (const key of REQUIRED_FIELDS) {
      for (const value of ['', '   ', undefined]) {
        const r = onlyRejection({ [key]: value });
        expect(r.field, `${key}=${String(value)}`).to.equal(key);
        expect(r.reason).to.contain('obrigatório');
      }
    }
  });

  it('a CPF with a wrong check digit, quoting it masked only', () => {
    const bad = CPF_A.slice(0, 10) + String((Number(CPF_A[10]) + 1) % 10);
    const r = onlyRejection({ cpf: bad });
    expect(r.field).to.equal('cpf');
    expect(r.reason).to.contain('dígitos verificadores').and.contain(maskCpf(bad));
    expect(fullCpfsIn(r.reason)).to.deep.equal([]);
  });

  it('keeps the e-mail of a row refused for its CPF (mistyped, or Excel\'s scientific notation): it still says who the row is', () => {
    const result = validate(formRow({ cpf: '529.982.247-52', email: 'Ana@PM.sp.gov.br' }), formRow({ cpf: '5,29982E+10', email: 'bia@pm.sp.gov.br' }), formRow({ cpf: 'x', email: 'não é e-mail' }));
    expect(result.rejectedEmails?.map((r) => r.email)).to.deep.equal(['ana@pm.sp.gov.br', 'bia@pm.sp.gov.br']);
    expect(result.rejectedEmails?.[0]?.source.line).to.equal(result.rejected.find((r) => r.field === 'cpf')?.line);
  });

  it('a field that swallowed the rows after it (a quote opened and never closed), naming the field, with no CPF of the swallowed rows', () => {
    const swallowed = `Ana Souza;${masked(CPF_A)};ana@pm.sp.gov.br\r\nSP;PMSP;José Lima;${masked(CPF_B)};jose@pm.sp.gov.br\r\nSP;PMSP;Bia `;
    // The reader marks the record: a quote opened in nome carried two more rows, their CPFs with them.
    const result = validate({ ...formRow({ nome: swallowed }), overflow: { field: 'nome', cpfs: [CPF_A, CPF_B] } });
    expect(result.people).to.deep.equal([]);
    const [r] = result.rejected;
    expect(r?.field).to.equal('nome');
    expect(r?.reason).to.contain('aspas').and.contain('não fechada');
    expect(r?.reason).not.to.contain(CPF_B).and.not.to.contain(masked(CPF_B));
    // Everyone in it counts as named by the forms: nobody there is disabled as missing.
    expect(result.rejectedCpfs).to.have.members([CPF_A, CPF_B]);
    expect(result.swallowedIn).to.deep.equal([r?.file]);
    // A name typed on two lines, with a comma, in a file whose delimiter is another: one name.
    expect(validate(formRow({ nome: 'Silva,\nMaria' })).people.map((p) => p.nome)).to.deep.equal(['Silva, Maria']);
  });

  it('a CPF typed with the apostrophe that keeps a spreadsheet from reading it as a number is read', () => {
    const result = validate(formRow({ cpf: `'${masked(CPF_A)}` }), formRow({ cpf: `'${CPF_B}`, email: 'b@pm.sp.gov.br' }));
    expect(result.rejected).to.deep.equal([]);
    expect(result.people.map((p) => p.cpf)).to.deep.equal([CPF_A, CPF_B]);
  });

  it('a CPF with all digits equal', () => {
    const r = onlyRejection({ cpf: '111.111.111-11' });
    expect(r.field).to.equal('cpf');
    expect(r.reason).to.contain('todos os dígitos são iguais');
  });

  it('a CPF that is not 11 digits, or that Excel turned into scientific notation', () => {
    expect(onlyRejection({ cpf: '1234567' }).reason).to.contain('11 dígitos');
    expect(onlyRejection({ cpf: 'não sei' }).reason).to.contain('11 dígitos');
    expect(onlyRejection({ cpf: '5,29982E+10' }).reason).to.contain('notação científica');
  });

  it('an e-mail that is not an address, saying why', () => {
    const cases: [string, string][] = [
      ['ana.teixeira.vilarica.sp.gov.br', 'exatamente um @'],
      ['ana@teixeira@vilarica.sp.gov.br', 'exatamente um @'],
      ['ana@vilarica', 'domínio completo'],
      ['ana teixeira@vilarica.sp.gov.br', 'espaços'],
      ['joão@vilarica.sp.gov.br', 'não é um endereço válido'],
      ['.ana@vilarica.sp.gov.br', 'não é um endereço válido'],
      ['ana..t@vilarica.sp.gov.br', 'não é um endereço válido'],
      // The domain's own message: the problem is after the @.
      ['ana@vilarica..sp.gov.br', 'domínio inválido depois do @'],
      ['ana@-vilarica.sp.gov.br', 'domínio inválido depois do @'],
      ['ana@vilarica.sp.gov.b', 'domínio inválido depois do @'],
      ['ana@vilarica.sp.gov.br.', 'sem ponto no fim'],
      ['ana@prefeitura.são-paulo.br', 'letras sem acento, dígitos, hífens e pontos'],
      // RFC 5321's limits: the relay would refuse them, and the password would never arrive.
      [`${'a'.repeat(65)}@vilarica.sp.gov.br`, 'mais de 64 caracteres antes do @'],
      [`ana@${'setor.'.repeat(40)}a.sp.gov.br`, 'mais de 254 caracteres'],
    ];
    for (const [email, why] of cases) {
      const r = onlyRejection({ email });
      expect(r.field, email).to.equal('email');
      expect(r.reason, email).to.contain(why);
    }
  });

  it('accepts sensible addresses', () => {
    for (const email of ["maria.d'avila@x.sp.gov.br", 'ana+sei@camara-x.sp.leg.br', 'a_b-c@saude.x.sp.gov.br', 'Ana@X.COM']) {
      expect(validate(formRow({ email })).rejected, email).to.deep.equal([]);
    }
  });

  it('an órgão that is not 2–10 ASCII letters or digits', () => {
    // "ß" and the dotless "ı" become ASCII only once uppercased ("SS", "I"): the órgão is tested as typed.
    for (const orgao of ['P', 'PREFEITURAX', 'PM SP', 'P.M.S.P.', 'PM-SP', 'SÃOPAULO', 'Straße', 'pmı']) {
      const r = onlyRejection({ orgao });
      expect(r.field, orgao).to.equal('orgao');
      expect(r.reason, orgao).to.contain('2 a 10');
    }
    for (const orgao of ['PM', 'PREFEITURA', 'saae2', 'Cmsbj']) {
      expect(validate(formRow({ orgao })).rejected, orgao).to.deep.equal([]);
    }
  });

  it('a nome, nome social, unidade or e-mail starting like a spreadsheet formula (they go to SIP verbatim)', () => {
    const cases: [FieldKey, string][] = [
      ['nome', '=HYPERLINK("http://evil.example","x")'],
      ['nome', '+Fabio Mais'],
      ['nome_social', '-2+3'],
      ['unidade', '@SUM(A1:A2)'],
      ['email', '-x@vilarica.sp.gov.br'],
      ['email', '=cmd@vilarica.sp.gov.br'],
      ['email', '+ana@vilarica.sp.gov.br'],
    ];
    for (const [field, value] of cases) {
      const r = onlyRejection({ [field]: value });
      expect(r.field, value).to.equal(field);
      expect(r.reason, value).to.contain(`"${value[0]}"`).and.to.contain('fórmula');
    }
    // Only the start counts, and only in what SIP receives: a phone with +55, a formula-looking cargo or
    // município (neutralised by every report) and such characters inside a name are accepted.
    expect(onlyRejection({ nome: '\uFF1DSOMA(1;2)' }).reason).to.contain('fórmula');
    const fine = formRow({ nome: 'Ana Souza-Lima + Cia', unidade: 'Saúde - UBS', telefone: '+55 11 4035-1200', cargo: '=1+1', municipio: '-Vila' });
    expect(validate(fine).rejected).to.deep.equal([]);
  });

  it(`a field over ${MAX_FIELD_LENGTH} characters, without echoing it`, () => {
    const huge = 'A'.repeat(MAX_FIELD_LENGTH + 1);
    const r = onlyRejection({ cargo: huge });
    expect(r.field).to.equal('cargo');
    expect(r.reason).to.contain('1.001 caracteres').and.not.contain('AAAA');
    // A required field that is too long is one problem, not also "empty".
    expect(onlyRejection({ nome: huge }).field).to.equal('nome');
    expect(validate(formRow({ cargo: 'A'.repeat(MAX_FIELD_LENGTH) })).rejected).to.deep.equal([]);
  });

  it('every problem of a row, each its own rejection on the same line, in column order', () => {
    const result = validate(formRow({ orgao: 'X', nome: '', cpf: '11111111111', email: 'nope', perfil: 'chefe', acao: 'mudar' }, 9));
    expect(result.rejected.map((r) => [r.line, r.field])).to.deep.equal([
      [9, 'orgao'],
      [9, 'nome'],
      [9, 'cpf'],
      [9, 'email'],
      [9, 'perfil'],
      [9, 'acao'],
    ]);
    expect(countRejectedRows(result.rejected)).to.equal(1);
  });

  it('render as one line naming the file, the line and the field', () => {
    const [r] = validate(formRow({ email: 'x' }, 14, 'cidade.csv')).rejected;
    expect(r && formatRejection(r)).to.match(/^cidade\.csv, linha 14 \(E-mail\): o e-mail "x" /);
  });

  it('never block the good rows', () => {
    const result = validate(formRow({ cpf: CPF_A }, 2), formRow({ email: 'x' }, 3), formRow({ cpf: CPF_B, email: 'b@x.sp.gov.br' }, 4));
    expect(result.people.map((p) => p.line)).to.deep.equal([2, 4]);
    expect(countRejectedRows(result.rejected)).to.equal(1);
  });

  it('counts rejected rows per file and line', () => {
    const rows = [formRow({ nome: '', email: 'x' }, 3, 'a.csv'), formRow({ nome: '' }, 3, 'b.csv'), formRow({ nome: '' }, 4, 'a.csv')];
    const result = validate(...rows);
    expect(result.rejected).to.have.length(4);
    expect(countRejectedRows(result.rejected)).to.equal(3);
  });
});
