import { expect } from 'chai';
import { foldAccents, foldForMatch, foldKeyword, hasContent, normaliseText } from '../../../src/core/normalise.js';

describe('forms / normalise', () => {
  describe('normaliseText', () => {
    it('trims and collapses every kind of inner space, including line breaks from a multi-line cell', () => {
      expect(normaliseText('  João   da\tSilva \r\n Souza  ')).to.equal('João da Silva Souza');
      expect(normaliseText('Maria\u00A0da\u2003Conceição')).to.equal('Maria da Conceição');
    });
    it('composes decomposed accents (NFC), as typed on a Mac', () => {
      const nfd = 'José Conceição'.normalize('NFD');
      expect(nfd).not.to.equal('José Conceição');
      expect(normaliseText(nfd)).to.equal('José Conceição');
    });
    it('drops invisible characters pasted from e-mails and turns control characters into spaces', () => {
      expect(normaliseText('ana\u200B.silva@x.sp.gov.br')).to.equal('ana.silva@x.sp.gov.br');
      expect(normaliseText('Fá\u00ADbio')).to.equal('Fábio');
      expect(normaliseText('Ana\u000BPaula\u001A')).to.equal('Ana Paula');
      // Invisible operators, the Mongolian vowel separator and the deprecated format characters too.
      expect(normaliseText('Maria\u2063Souza \u180ELima\u206A')).to.equal('MariaSouza Lima');
    });
    it('drops direction controls, which would show a name in another order than it is stored', () => {
      // "Maria \u202Eavlis" shows as "Maria silva" and is stored as "avlis".
      expect(normaliseText('Maria \u202Eavlis\u202C')).to.equal('Maria avlis');
      expect(normaliseText('\u2067Ana\u2069 \u200FLima\u200E')).to.equal('Ana Lima');
      expect(hasContent('\u202E\u2066\u200F')).to.equal(false);
    });
    it('leaves clean text as it is', () => {
      expect(normaliseText('Secretaria de Saúde')).to.equal('Secretaria de Saúde');
      expect(normaliseText('')).to.equal('');
    });
  });

  describe('foldForMatch', () => {
    it('ignores case, accents, spaces, "_", "-" and "/"', () => {
      expect(foldForMatch('Sigla do Órgão')).to.equal('sigladoorgao');
      for (const h of ['E-mail', 'EMAIL', 'e_mail', 'E - Mail', 'E–mail']) expect(foldForMatch(h), h).to.equal('email');
      expect(foldForMatch('Cargo/Função')).to.equal(foldForMatch('cargo funcao'));
    });
    it('reads "º" as "o"', () => {
      expect(foldForMatch('Nº do CPF')).to.equal('nodocpf');
    });
  });

  it('foldKeyword keeps only letters and digits and drops a parenthesised suffix', () => {
    expect(foldKeyword('Usuário(a)')).to.equal('usuario');
    expect(foldKeyword(' DESATIVAÇÃO ')).to.equal('desativacao');
  });

  it('foldKeyword stays linear on a run of unmatched parentheses', () => {
    const start = performance.now();
    foldKeyword('('.repeat(200_000));
    expect(performance.now() - start).to.be.below(500);
  });

  it('foldAccents lowercases without accents', () => {
    expect(foldAccents('SÃO PAULO')).to.equal('sao paulo');
  });

  it('hasContent sees through spaces, control and invisible characters', () => {
    expect(hasContent(' \t\u00A0\u200B\u001A')).to.equal(false);
    expect(hasContent(' x ')).to.equal(true);
  });
});
