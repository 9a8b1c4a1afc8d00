import { expect } from 'chai';
import { generateValidCpf, maskCpf } from '../../../src/core/cpf.js';
import { RowValidator, validateRows } from '../../../src/core/validateRows.js';
import type { FormRow } from '../../../src/domain/form.js';
import { CPF_A, CPF_B, CPF_C, formRow, fullCpfsIn, masked, onlyRejection, validate } from './helpers.js';

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

    it('row by row (RowValidator), keeps nothing of a row but what it made of it: the reader may drop each one', () => {
      const rows = [formRow({ cpf: CPF_A }, 2), formRow({ cpf: CPF_A, email: 'errado' }, 6), formRow({ cpf: CPF_B }, 7)];
      const validator = new RowValidator();
      for (const row of rows) validator.add(row);
      // The reader's rows are gone (or reused) by the time the batch is finished.
      for (const row of rows) Object.assign(row, { file: 'outro.csv', line: 99, values: {} });
      const result = validator.finish([]);
      expect(result.rowsRead).to.equal(3);
      expect(result.people.map((p) => [p.file, p.line])).to.deep.equal([
        ['forms.csv', 2],
        ['forms.csv', 7],
      ]);
      const w = result.warnings.find((x) => x.message.includes('corrigiria'));
      expect([w?.file, w?.line]).to.deep.equal(['forms.csv', 6]);
      expect(w?.message).to.contain('linha 6').and.contain('linha 2');
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
