import { expect } from 'chai';
import { buildHeaderIndex, DEFAULT_HEADER_ALIASES, mapHeaders, matchHeader } from '../../../src/core/headers.js';
import { FIELD_KEYS, type FieldKey } from '../../../src/domain/form.js';

describe('forms / headers', () => {
  const index = buildHeaderIndex();

  it('accepts the spellings the issue lists for each column', () => {
    const listed: Record<FieldKey, string[]> = {
      municipio: ['Município', 'Cidade'],
      orgao: ['Órgão', 'Sigla do órgão', 'Sigla', 'Sigla da prefeitura'],
      nome: ['Nome', 'Nome completo'],
      nome_social: ['Nome social'],
      cpf: ['CPF'],
      email: ['E-mail', 'Email', 'E-mail institucional'],
      cargo: ['Cargo', 'Função', 'Cargo/Função'],
      unidade: ['Unidade', 'Setor', 'Secretaria', 'Lotação', 'Unidade/Setor'],
      telefone: ['Telefone', 'Celular'],
      perfil: ['Perfil'],
      acao: ['Ação', 'Solicitação'],
    };
    for (const key of FIELD_KEYS) {
      for (const header of listed[key]) expect(matchHeader(header, index), header).to.equal(key);
      for (const header of DEFAULT_HEADER_ALIASES[key]) expect(matchHeader(header, index), header).to.equal(key);
    }
  });

  it('ignores case, accents, spaces, "_", "-" and "/"', () => {
    const cases: [string, FieldKey][] = [
      ['MUNICIPIO', 'municipio'],
      ['  município ', 'municipio'],
      ['SIGLA_DO_ORGAO', 'orgao'],
      ['sigla-da-prefeitura', 'orgao'],
      ['e_mail', 'email'],
      ['E MAIL INSTITUCIONAL', 'email'],
      ['unidade / setor', 'unidade'],
      ['NOME_SOCIAL', 'nome_social'],
      ['acao', 'acao'],
      ['LOTACAO', 'unidade'],
    ];
    for (const [header, key] of cases) expect(matchHeader(header, index), header).to.equal(key);
  });

  it('sees through the decorations forms add to questions', () => {
    expect(matchHeader('CPF (somente números)', index)).to.equal('cpf');
    expect(matchHeader('Nome completo*', index)).to.equal('nome');
    expect(matchHeader('Perfil:', index)).to.equal('perfil');
  });

  it('reads the ordinal of "Nº do CPF" however it was typed: a degree sign, N.º, No', () => {
    for (const header of ['Nº do CPF', 'N° do CPF', 'N.º do CPF', 'N.° do CPF', 'No. do CPF', 'N.o do CPF', 'Nº do CPF:']) {
      expect(matchHeader(header, index), header).to.equal('cpf');
    }
  });

  it('does not take the form respondent\'s e-mail, or an unknown header, for a field', () => {
    expect(matchHeader('Endereço de e-mail', index)).to.equal(null);
    expect(matchHeader('Carimbo de data/hora', index)).to.equal(null);
    expect(matchHeader('x'.repeat(100_000), index)).to.equal(null);
  });

  describe('mapHeaders', () => {
    it('maps columns in order and lists unknown and unnamed ones apart', () => {
      const m = mapHeaders(['Carimbo de data/hora', 'Município', 'Órgão', 'Nome', 'CPF', 'E-mail', '', 'Observações']);
      expect(m.columns).to.deep.equal([null, 'municipio', 'orgao', 'nome', 'cpf', 'email', null, null]);
      expect(m.missing).to.deep.equal([]);
      expect(m.ignored.map((c) => [c.index, c.header])).to.deep.equal([[0, 'Carimbo de data/hora'], [7, 'Observações']]);
      expect(m.unnamed).to.deep.equal([6]);
    });

    it('names every required column that is missing', () => {
      const m = mapHeaders(['Município', 'Nome', 'Cargo']);
      expect(m.missing).to.deep.equal(['orgao', 'cpf', 'email']);
    });

    it('reads the first of two columns for the same field and reports the second', () => {
      const m = mapHeaders(['Município', 'Órgão', 'Nome', 'CPF', 'E-mail', 'Unidade', 'Secretaria']);
      expect(m.columns[5]).to.equal('unidade');
      expect(m.columns[6]).to.equal(null);
      expect(m.ignored).to.deep.equal([{ index: 6, header: 'Secretaria', duplicateOf: { key: 'unidade', index: 5, header: 'Unidade' } }]);
    });

    it('reads the sigla when a form has both the órgão by name and its sigla, whichever comes first', () => {
      const m = mapHeaders(['Município', 'Órgão', 'Sigla do órgão', 'Nome', 'CPF', 'E-mail']);
      expect(m.columns.slice(0, 3)).to.deep.equal(['municipio', null, 'orgao']);
      expect(m.ignored).to.deep.equal([{ index: 1, header: 'Órgão', duplicateOf: { key: 'orgao', index: 2, header: 'Sigla do órgão' } }]);
      expect(mapHeaders(['Município', 'Sigla', 'Órgão', 'Nome', 'CPF', 'E-mail']).columns.slice(1, 3)).to.deep.equal(['orgao', null]);
    });

    it('doubts an unrecognised title that names the ação or the perfil when no column gives them', () => {
      const base = ['Município', 'Órgão', 'Nome', 'CPF', 'E-mail'];
      expect(mapHeaders([...base, 'Ação solicitada', 'Perfil do usuário']).doubtful.map((d) => [d.header, d.key])).to.deep.equal([
        ['Ação solicitada', 'acao'],
        ['Perfil do usuário', 'perfil'],
      ]);
      // Not when the key has its column, nor for words that only contain the letters ("Observação").
      expect(mapHeaders([...base, 'Ação', 'Tipo de ação']).doubtful).to.deep.equal([]);
      expect(mapHeaders([...base, 'Observação', 'Carimbo de data/hora']).doubtful).to.deep.equal([]);
      expect(mapHeaders([...base, 'Qual a ação?']).doubtful.map((d) => d.key)).to.deep.equal(['acao']);
      expect(mapHeaders([...base, 'Nível de perfil']).doubtful.map((d) => d.key)).to.deep.equal(['perfil']);
      // A title that starts by saying it is about something else.
      expect(mapHeaders([...base, 'Data da solicitação', 'Link do perfil profissional']).doubtful).to.deep.equal([]);
    });

    it('merges configured aliases with the defaults', () => {
      const m = mapHeaders(['Cidade', 'Órgão', 'Servidor', 'CPF', 'E-mail', 'Departamento'], {
        nome: ['Servidor'],
        unidade: ['Departamento'],
      });
      expect(m.columns).to.deep.equal(['municipio', 'orgao', 'nome', 'cpf', 'email', 'unidade']);
      expect(m.missing).to.deep.equal([]);
    });

    it('lets a configured alias take a spelling from another field', () => {
      const m = mapHeaders(['Município', 'Órgão', 'Nome', 'CPF', 'E-mail', 'Secretaria'], { cargo: ['Secretaria'] });
      expect(m.columns[5]).to.equal('cargo');
    });
  });
});
