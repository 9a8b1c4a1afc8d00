import { expect } from 'chai';
import { generateValidCpf, maskCpf } from '../../../src/core/cpf.js';
import { countRejectedRows, MAX_FIELD_LENGTH, validateRows } from '../../../src/core/validateRows.js';
import { REQUIRED_FIELDS, type FieldKey, type FormRow, type ValidatedBatch } from '../../../src/domain/form.js';
import { formatRejection } from '../../../src/messages/forms.js';
import { formRow, fullCpfsIn } from './helpers.js';

const CPF_A = generateValidCpf(11);
const CPF_B = generateValidCpf(12);
const CPF_C = generateValidCpf(13);

function validate(...rows: FormRow[]): ValidatedBatch {
  return validateRows(rows, []);
}

/** The single rejection of a one-row batch. */
function onlyRejection(values: Partial<Record<FieldKey, string | undefined>>): { field: FieldKey | null; reason: string } {
  const result = validate(formRow(values));
  expect(result.people).to.have.length(0);
  expect(result.rejected, JSON.stringify(result.rejected)).to.have.length(1);
  const [r] = result.rejected;
  if (r === undefined) throw new Error('unreachable');
  return { field: r.field, reason: r.reason };
}

function masked(cpf: string): string {
  return `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
}

describe('forms / validateRows', () => {
  describe('a valid row', () => {
    it('becomes a normalised person: spaces collapsed, NFC, CPF digits, e-mail lowercased, órgão uppercased', () => {
      const result = validate(
        formRow({
          municipio: '  São   Bento do Jaguari ',
          orgao: ' pmsbj ',
          nome: 'José  Conceição\nRamos'.normalize('NFD'),
          cpf: masked(CPF_A),
          email: ' Jose.Ramos@SaoBento.SP.gov.br ',
          cargo: 'Diretor',
          unidade: 'Secretaria de Saúde',
          telefone: '(11) 4035-1200',
        }, 7, 'a.csv'),
      );
      expect(result.rejected).to.deep.equal([]);
      expect(result.people).to.deep.equal([
        {
          file: 'a.csv',
          line: 7,
          municipio: 'São Bento do Jaguari',
          orgao: 'PMSBJ',
          nome: 'José Conceição Ramos',
          cpf: CPF_A,
          email: 'jose.ramos@saobento.sp.gov.br',
          cargo: 'Diretor',
          unidade: 'Secretaria de Saúde',
          telefone: '(11) 4035-1200',
          perfil: 'usuario',
          perfilAssumed: true,
          acao: 'incluir',
        },
      ]);
    });

    it('leaves empty optional fields out and keeps the nome social', () => {
      const [p] = validate(formRow({ nome_social: 'Rafaela Brandão', cargo: '  ', unidade: '' })).people;
      expect(p?.nomeSocial).to.equal('Rafaela Brandão');
      expect(p).not.to.have.property('cargo');
      expect(p).not.to.have.property('unidade');
      expect(p).not.to.have.property('telefone');
    });

    it('restores the leading zero Excel removed from the CPF', () => {
      let n = 0;
      while (!generateValidCpf(n).startsWith('0')) n++;
      const cpf = generateValidCpf(n);
      const [p] = validate(formRow({ cpf: cpf.slice(1) })).people;
      expect(p?.cpf).to.equal(cpf);
    });

    it('counts every row read', () => {
      expect(validate(formRow({}, 2), formRow({ nome: '' }, 3)).rowsRead).to.equal(2);
      expect(validate().rowsRead).to.equal(0);
    });
  });

  describe('perfil and ação', () => {
    it('default to usuario and incluir', () => {
      const [p] = validate(formRow({ perfil: ' ', acao: undefined })).people;
      expect([p?.perfil, p?.acao]).to.deep.equal(['usuario', 'incluir']);
      // Assumed, not asked for: the account keeps any perfil group it already has.
      expect(p?.perfilAssumed).to.equal(true);
      expect(validate(formRow({ perfil: 'usuario' })).people[0]?.perfilAssumed).to.equal(undefined);
    });

    it('accept the spellings people type, with any case and accents', () => {
      const perfis: [string, string][] = [
        ['Usuário', 'usuario'],
        ['USUARIO', 'usuario'],
        ['Usuário(a)', 'usuario'],
        ['Interlocutor', 'interlocutor'],
        ['interlocutora', 'interlocutor'],
        ['Administrador', 'administrador'],
        ['ADMINISTRADORA', 'administrador'],
      ];
      for (const [raw, perfil] of perfis) expect(validate(formRow({ perfil: raw })).people[0]?.perfil, raw).to.equal(perfil);
      const acoes: [string, string][] = [
        ['Inclusão', 'incluir'],
        ['INCLUIR', 'incluir'],
        ['Alteração', 'alterar'],
        ['alterar', 'alterar'],
        ['Desativação', 'desativar'],
        ['Exclusão', 'desativar'],
        ['excluir', 'desativar'],
      ];
      for (const [raw, acao] of acoes) expect(validate(formRow({ acao: raw })).people[0]?.acao, raw).to.equal(acao);
    });

    it('reject an unknown perfil', () => {
      const r = onlyRejection({ perfil: 'Gestor' });
      expect(r.field).to.equal('perfil');
      expect(r.reason).to.contain('Gestor').and.contain('interlocutor');
    });

    it('reject an unknown ação', () => {
      const r = onlyRejection({ acao: 'Transferência' });
      expect(r.field).to.equal('acao');
      expect(r.reason).to.contain('Transferência').and.contain('desativar');
    });
  });

  describe('rejections', () => {
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
      for (const orgao of ['P', 'PREFEITURAX', 'PM SP', 'P.M.S.P.', 'PM-SP', 'SÃOPAULO']) {
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

  describe('cells that only say "none"', () => {
    it('a dash or dots is an empty field: absent when optional, "required" when not', () => {
      const ok = validate(formRow({ nome_social: '-', unidade: '—', cargo: '...', telefone: '…' }));
      expect(ok.rejected).to.deep.equal([]);
      expect(ok.people[0]).to.not.have.any.keys('nomeSocial', 'unidade', 'cargo', 'telefone');
      const r = onlyRejection({ nome: '-' });
      expect(r.field).to.equal('nome');
      expect(r.reason).to.contain('obrigatório');
      // Only a whole cell of them: a name or unit that merely starts or ends with one keeps it.
      expect(validate(formRow({ unidade: 'Saúde - UBS' })).people[0]?.unidade).to.equal('Saúde - UBS');
    });
  });

  describe('values AD would refuse as too long', () => {
    it('an e-mail over 256 characters or a telephone over 64 is refused here, naming the field, not shortened', () => {
      const email = `${'a'.repeat(250)}@pref.sp.gov.br`;
      const long = onlyRejection({ email });
      expect(long.field).to.equal('email');
      expect(long.reason).to.contain('265 caracteres').and.to.contain('256');
      const phone = '(11) 4002-8922 ramal 2231 / (11) 98765-4321 (WhatsApp) – falar com Ana';
      expect(onlyRejection({ telefone: phone }).field).to.equal('telefone');
      expect(validate(formRow({ telefone: '(11) 4002-8922 ramal 2231' })).people[0]?.telefone).to.equal('(11) 4002-8922 ramal 2231');
    });
  });

  describe('rows rejected with a valid CPF', () => {
    it('list that CPF, so --disable-missing never takes them for people who left', () => {
      const result = validate(formRow({ cpf: CPF_A, email: 'sem-arroba' }), formRow({ cpf: '123', nome: 'X Y' }, 3), formRow({ cpf: CPF_B }, 4));
      expect(result.people.map((p) => p.cpf)).to.deep.equal([CPF_B]);
      expect(result.rejectedCpfs).to.deep.equal([CPF_A]);
    });
  });

  describe('the same CPF more than once', () => {
    it('keeps the last row and lists the earlier ones as superseded by it', () => {
      const result = validate(
        formRow({ cpf: CPF_A, cargo: 'primeiro' }, 2, 'a.csv'),
        formRow({ cpf: CPF_B, email: 'b@x.sp.gov.br' }, 3, 'a.csv'),
        formRow({ cpf: masked(CPF_A), cargo: 'segundo' }, 5, 'a.csv'),
        formRow({ cpf: CPF_A, cargo: 'terceiro' }, 2, 'b.csv'),
      );
      expect(result.people.map((p) => [p.file, p.line, p.cargo])).to.deep.equal([
        ['a.csv', 3, undefined],
        ['b.csv', 2, 'terceiro'],
      ]);
      expect(result.superseded).to.deep.equal([
        { file: 'a.csv', line: 2, cpf: CPF_A, by: { file: 'b.csv', line: 2 } },
        { file: 'a.csv', line: 5, cpf: CPF_A, by: { file: 'b.csv', line: 2 } },
      ]);
      expect(result.rejected).to.deep.equal([]);
    });

    it('warns when the correcting row is rejected, so the earlier row still counts', () => {
      const result = validate(formRow({ cpf: CPF_A }, 2), formRow({ cpf: CPF_A, email: 'errado' }, 6));
      expect(result.people.map((p) => p.line)).to.deep.equal([2]);
      const w = result.warnings.find((x) => x.message.includes('corrigiria'));
      expect(w, JSON.stringify(result.warnings)).to.not.equal(undefined);
      expect(w?.line).to.equal(6);
      expect(w?.message).to.contain(maskCpf(CPF_A)).and.contain('linha 6').and.contain('linha 2');
      expect(fullCpfsIn(w?.message ?? '')).to.deep.equal([]);
    });

    it('does not warn when a rejected row comes before the valid one', () => {
      const result = validate(formRow({ cpf: CPF_A, email: 'errado' }, 2), formRow({ cpf: CPF_A }, 6));
      expect(result.warnings).to.deep.equal([]);
      expect(result.superseded).to.deep.equal([]);
    });
  });

  describe('warnings', () => {
    it('one e-mail under several CPFs, naming the lines and masking the CPFs', () => {
      const result = validate(
        formRow({ cpf: CPF_A, email: 'setor@x.sp.gov.br' }, 2),
        formRow({ cpf: CPF_B, email: 'SETOR@x.sp.gov.br' }, 4),
        formRow({ cpf: CPF_C, email: 'outro@x.sp.gov.br' }, 5),
      );
      expect(result.people).to.have.length(3);
      expect(result.warnings).to.have.length(1);
      const [w] = result.warnings;
      expect(w?.file).to.equal('forms.csv');
      expect(w?.line).to.equal(2);
      expect(w?.message).to.contain('setor@x.sp.gov.br').and.contain('linha 2').and.contain('linha 4');
      expect(w?.message).to.contain(maskCpf(CPF_A)).and.contain(maskCpf(CPF_B));
      expect(fullCpfsIn(w?.message ?? '')).to.deep.equal([]);
    });

    it('not for an e-mail a correction of the same CPF repeats', () => {
      const result = validate(formRow({ cpf: CPF_A }, 2), formRow({ cpf: CPF_A }, 3));
      expect(result.warnings).to.deep.equal([]);
    });

    it('one órgão under several municípios, naming them and the lines', () => {
      const result = validate(
        formRow({ cpf: CPF_A, municipio: 'São Bento', orgao: 'PMSB' }, 2),
        formRow({ cpf: CPF_B, email: 'b@x.sp.gov.br', municipio: 'SAO BENTO', orgao: 'pmsb' }, 3),
        formRow({ cpf: CPF_C, email: 'c@x.sp.gov.br', municipio: 'Santa Branca', orgao: 'PMSB' }, 8),
      );
      expect(result.warnings).to.have.length(1);
      const [w] = result.warnings;
      expect(w?.message).to.contain('PMSB').and.contain('São Bento').and.contain('Santa Branca');
      expect(w?.message).to.contain('linha 2').and.contain('linha 8').and.not.contain('linha 3');
    });

    it('keeps the reader\'s warnings first', () => {
      const result = validateRows([formRow({ cpf: CPF_A, email: 'a@x.sp.gov.br' }), formRow({ cpf: CPF_B, email: 'a@x.sp.gov.br' }, 3)], [
        { file: 'forms.csv', line: 1, message: 'do leitor' },
      ]);
      expect(result.warnings.map((w) => w.message)[0]).to.equal('do leitor');
      expect(result.warnings).to.have.length(2);
    });
  });

  it('no reason or warning ever carries a full CPF', () => {
    const rows: FormRow[] = [];
    for (let n = 0; n < 40; n++) {
      const cpf = generateValidCpf(n);
      rows.push(formRow({ cpf, email: `p${n % 3}@x.sp.gov.br`, orgao: n % 2 ? 'PMA' : 'x' }, n + 2));
      rows.push(formRow({ cpf: cpf.slice(0, 10) + String((Number(cpf[10]) + 1) % 10) }, n + 100));
      rows.push(formRow({ cpf, email: 'bad' }, n + 200));
    }
    const result = validate(...rows);
    const texts = [...result.rejected.map((r) => r.reason), ...result.warnings.map((w) => w.message)].join('\n');
    expect(result.rejected.length).to.be.greaterThan(40);
    expect(result.warnings.length).to.be.greaterThan(0);
    expect(fullCpfsIn(texts)).to.deep.equal([]);
  });
});
