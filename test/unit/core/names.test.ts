import { expect } from 'chai';
import { maskCpfsInText } from '../../../src/core/cpf.js';
import {
  deriveCn,
  displayNameOf,
  truncateChars,
  deriveLoginBase,
  firstAndLast,
  foldCn,
  isValidLoginStrategy,
  resolveLogin,
  splitGivenSn,
  toAsciiLower,
} from '../../../src/core/names.js';
import { InternalError } from '../../../src/domain/errors.js';

const CPF = '52998224725';
const login = (nome: string, strategy = 'first.last', nomeSocial?: string): string =>
  deriveLoginBase(nomeSocial === undefined ? { nome, cpf: CPF } : { nome, nomeSocial, cpf: CPF }, strategy);
const takenIn =
  (...logins: string[]) =>
  (l: string): boolean =>
    logins.includes(l);

describe('core/names', () => {
  describe('transliteration', () => {
    it('drops diacritics: ç ã õ é ê í ó ú ü ñ à â', () => {
      expect(toAsciiLower('ÇçÃãÕõÉéÊêÍíÓóÚúÜüÑñÀàÂâ')).to.equal('ccaaooeeeeiioouuuunnaaaa');
    });
    it('spells out letters NFD leaves alone', () => {
      expect(toAsciiLower('Strauß Æsir Øster Łukasz')).to.equal('strauss aesir oster lukasz');
    });
    it('turns compatibility forms into their letters: a ligature from a PDF, ordinal ª, fullwidth', () => {
      expect(login('Soﬁa Souza')).to.equal('sofia.souza');
      expect(login('Mª Aparecida da Silva')).to.equal('ma.silva');
      expect(login('Ｍａｒｉａ Ｓｉｌｖａ')).to.equal('maria.silva');
    });
    it('makes a login of ASCII letters only', () => {
      expect(login('João Conceição')).to.equal('joao.conceicao');
      expect(login('Ñandú Müller')).to.equal('nandu.muller');
    });
    it('joins hyphens and apostrophes instead of splitting', () => {
      expect(login("Ana D'Ávila")).to.equal('ana.davila');
      expect(login('Ana Souza-Lima')).to.equal('ana.souzalima');
    });
  });

  describe('first and last name', () => {
    it('takes the last surname and ignores particles', () => {
      expect(login('Maria Aparecida da Silva')).to.equal('maria.silva');
      expect(login('José dos Santos')).to.equal('jose.santos');
      expect(login('Ana Lima e Silva')).to.equal('ana.silva');
      expect(login('Pedro Alves de')).to.equal('pedro.alves');
      expect(firstAndLast('da Costa Rui')).to.deep.equal({ first: 'costa', last: 'rui' });
    });
    it('skips a generational suffix while another surname remains', () => {
      expect(login('João da Silva Filho')).to.equal('joao.silva');
      expect(login('João Neto Júnior')).to.equal('joao.neto');
      expect(login('João Filho')).to.equal('joao.filho');
    });
    it('uses the nome social when given', () => {
      expect(login('Carlos Alberto Souza', 'first.last', 'Carla Souza Mendes')).to.equal('carla.mendes');
    });
    it('uses a one-word name alone, and the CPF when the name has no Latin letters', () => {
      expect(login('Xuxa')).to.equal('xuxa');
      expect(login('Xuxa', '{f}{last}')).to.equal('xuxa');
      expect(login('王 小明')).to.equal(CPF);
    });
  });

  describe('length', () => {
    it('never exceeds 20 characters', () => {
      for (const nome of [
        'Francisco Albuquerque',
        'Maximiliano Bittencourt',
        'Wellington Albuquerque-Cavalcanti',
        'Maria-Antonieta-Clotilde Souza',
        'Anacletocristovaoferreiramarques',
      ]) {
        const l = login(nome);
        expect(l.length, `${nome} → ${l}`).to.be.at.most(20);
        expect(l).to.match(/^[a-z0-9]+(\.[a-z0-9]+)*$/);
      }
    });
    it('keeps the first name whole and shortens the surname', () => {
      expect(login('Maximiliano Bittencourt')).to.equal('maximiliano.bittenco');
      expect(login('Francisco Albuquerque')).to.equal('francisco.albuquerqu');
    });
    it('keeps at least part of both when the first name alone is too long', () => {
      expect(login('Maria-Antonieta-Clotilde Souza')).to.equal('mariaantonieta.souza');
      expect(login('Maximilianogustavo Vasconcelos')).to.equal('maximilianogus.vasco');
    });
    it('cuts a one-word name at 20', () => {
      expect(login('Anacletocristovaoferreiramarques')).to.equal('anacletocristovaofer');
    });
  });

  describe('strategies', () => {
    it('cpf: the 11 CPF digits', () => {
      expect(login('Maria Souza', 'cpf')).to.equal(CPF);
    });
    it('templates {first}{last}, {f}{last}, {first}_… and {f}.{l}', () => {
      expect(login('Maria da Silva', '{first}{last}')).to.equal('mariasilva');
      expect(login('Maria da Silva', '{f}{last}')).to.equal('msilva');
      expect(login('Maria da Silva', '{last}.{first}')).to.equal('silva.maria');
      expect(login('Maria da Silva', 'sei.{f}{l}')).to.equal('sei.ms');
    });
    it('shortens templates within 20 too', () => {
      expect(login('Maximiliano Bittencourt', '{f}{last}')).to.equal('mbittencourt');
      expect(login('Maximiliano Bittencourtvasconcelos', '{f}{last}').length).to.be.at.most(20);
      expect(login('Maximiliano Bittencourt', '{first}{last}')).to.equal('maximilianobittencou');
    });
    it('refuses an unknown strategy', () => {
      expect(isValidLoginStrategy('first.last')).to.equal(true);
      expect(isValidLoginStrategy('cpf')).to.equal(true);
      expect(isValidLoginStrategy('{f}{last}')).to.equal(true);
      expect(isValidLoginStrategy('{middle}.{last}')).to.equal(false);
      expect(isValidLoginStrategy('fixo')).to.equal(false);
      expect(isValidLoginStrategy('{first}_{last}')).to.equal(false);
      expect(() => login('Maria Souza', 'nome')).to.throw(InternalError);
    });
  });

  describe('collisions', () => {
    it('adds 2, 3… until free', () => {
      expect(resolveLogin('jose.silva', takenIn())).to.equal('jose.silva');
      expect(resolveLogin('jose.silva', takenIn('jose.silva'))).to.equal('jose.silva2');
      expect(resolveLogin('jose.silva', takenIn('jose.silva', 'jose.silva2'))).to.equal('jose.silva3');
    });
    it('keeps a CPF login apart from its suffix, so the eleven digits stay a CPF every masking finds', () => {
      expect(resolveLogin('52998224725', takenIn('52998224725'))).to.equal('52998224725.2');
      expect(resolveLogin('52998224725', takenIn('52998224725', '52998224725.2'))).to.equal('52998224725.3');
      expect(maskCpfsInText(resolveLogin('52998224725', takenIn('52998224725')))).to.equal('***.982.247-**.2');
    });
    it('with a shared suffix map, gives namesakes the same logins in far fewer checks', () => {
      const run = (hint?: Map<string, number>): { logins: string[]; checks: number } => {
        const taken = new Set<string>(['maria.silva3']);
        let checks = 0;
        const logins: string[] = [];
        for (let i = 0; i < 200; i++) {
          const login = resolveLogin('maria.silva', (l) => (checks++, taken.has(l)), hint);
          taken.add(login);
          logins.push(login);
        }
        return { logins, checks };
      };
      const plain = run();
      const hinted = run(new Map());
      expect(hinted.logins).to.deep.equal(plain.logins);
      expect(plain.logins.slice(0, 4)).to.deep.equal(['maria.silva', 'maria.silva2', 'maria.silva4', 'maria.silva5']);
      expect(plain.checks).to.be.greaterThan(20_000);
      expect(hinted.checks).to.be.lessThan(500);
    });
    it('keeps the suffix within 20 by trimming the base, never the suffix', () => {
      const base = 'francisco.albuquerqu';
      expect(resolveLogin(base, takenIn(base))).to.equal('francisco.albuquerq2');
      const taken = [base, ...Array.from({ length: 8 }, (_, i) => `francisco.albuquerq${i + 2}`)];
      expect(resolveLogin(base, takenIn(...taken))).to.equal('francisco.albuquer10');
    });
    it('never leaves a dot before the suffix', () => {
      const base = 'abcdefghijklmnopqr.s';
      expect(resolveLogin(base, takenIn(base))).to.equal('abcdefghijklmnopqr2');
    });
    it('does not ask again about a base it found taken before: logins only become taken', () => {
      const taken = new Set(['ana.lima']);
      const asked: string[] = [];
      const isTaken = (l: string): boolean => (asked.push(l), taken.has(l));
      const next = new Map<string, number>();
      taken.add(resolveLogin('ana.lima', isTaken, next));
      expect([...taken]).to.deep.equal(['ana.lima', 'ana.lima2']);
      asked.length = 0;
      expect(resolveLogin('Ana.Lima', isTaken, next)).to.equal('ana.lima3');
      expect(asked).to.deep.equal(['ana.lima3']);
    });
    it('works in lowercase', () => {
      const seen: string[] = [];
      resolveLogin('Jose.Silva', (l) => (seen.push(l), false));
      expect(seen).to.deep.equal(['jose.silva']);
    });
  });

  describe('CN', () => {
    const none = (): boolean => false;
    it('is the display name when free', () => {
      expect(deriveCn('José Silva', 'jose.silva', none)).to.equal('José Silva');
    });
    it('adds the login in parentheses when the name is taken, ignoring case', () => {
      const taken = new Set([foldCn('JOSÉ SILVA')]);
      expect(deriveCn('José Silva', 'jose.silva2', (c) => taken.has(c))).to.equal('José Silva (jose.silva2)');
    });
    it('falls back to a counter if even that is taken', () => {
      const taken = new Set([foldCn('José Silva'), foldCn('José Silva (jose.silva2)')]);
      expect(deriveCn('José Silva', 'jose.silva2', (c) => taken.has(c))).to.equal('José Silva (2)');
    });
    it('fits AD’s 64 characters, shortening the name and keeping the tag', () => {
      const long = 'Maria Aparecida Conceição dos Santos Albuquerque Cavalcanti de Oliveira Neto';
      expect(Array.from(deriveCn(long, 'maria.oliveira', none)).length).to.equal(64);
      const tagged = deriveCn(long, 'maria.oliveira', (c) => c === foldCn(deriveCn(long, 'x', none)));
      expect(Array.from(tagged).length).to.be.at.most(64);
      expect(tagged).to.match(/ \(maria\.oliveira\)$/);
    });
    it('asks last about the CN it returns, folded: the caller records it without folding again', () => {
      for (const taken of [new Set<string>(), new Set([foldCn('José Silva')]), new Set([foldCn('José Silva'), foldCn('José Silva (jose.silva2)')])]) {
        let last = '';
        const cn = deriveCn('José Silva', 'jose.silva2', (c) => taken.has((last = c)));
        expect(last).to.equal(foldCn(cn));
      }
    });
  });

  it('uses the nome social when given, with every run of spaces, tab or line break made one space', () => {
    expect(displayNameOf({ nome: 'Maria da Silva' })).to.equal('Maria da Silva');
    expect(displayNameOf({ nome: ' Maria  da\tSilva\n' })).to.equal('Maria da Silva');
    expect(displayNameOf({ nome: 'Maria\u00a0da Silva' })).to.equal('Maria da Silva');
    expect(displayNameOf({ nome: 'João Souza', nomeSocial: ' Ana\r\nPaula ' })).to.equal('Ana Paula');
    expect(displayNameOf({ nome: 'João Souza', nomeSocial: '  ' })).to.equal('João Souza');
  });

  it('splits givenName and sn', () => {
    expect(splitGivenSn('Maria Aparecida da Silva')).to.deep.equal({ givenName: 'Maria', sn: 'Aparecida da Silva' });
    expect(splitGivenSn('Xuxa')).to.deep.equal({ givenName: 'Xuxa' });
    const sn = splitGivenSn(`A ${'b'.repeat(70)}`).sn ?? '';
    expect(sn.length).to.equal(64);
  });
});

describe('core/names: lengths as AD counts them (UTF-16 units)', () => {
  const styled = '𝐌𝐚𝐫𝐢𝐚 𝐝𝐚 𝐒𝐢𝐥𝐯𝐚 𝐝𝐞 𝐎𝐥𝐢𝐯𝐞𝐢𝐫𝐚 𝐒𝐚𝐧𝐭𝐨𝐬 𝐏𝐞𝐫𝐞𝐢𝐫𝐚 𝐝𝐚 𝐂𝐨𝐬𝐭𝐚';
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it('cuts a name of characters outside the BMP to 64 UTF-16 units, never half a character', () => {
    expect(styled.length).to.be.greaterThan(64);
    const cn = deriveCn(styled, 'maria.silva', () => false);
    expect(cn.length).to.be.at.most(64);
    expect(loneSurrogate.test(cn)).to.equal(false);
    for (const max of [63, 64, 65]) {
      const cut = truncateChars(styled, max);
      expect(cut.length).to.be.at.most(max);
      expect(loneSurrogate.test(cut)).to.equal(false);
    }
  });

  it('keeps the tag whole within the limit when the plain CN is taken', () => {
    const cn = deriveCn(styled, 'maria.silva2', (folded) => !folded.includes('('));
    expect(cn.endsWith(' (maria.silva2)')).to.equal(true);
    expect(cn.length).to.be.at.most(64);
    expect(loneSurrogate.test(cn)).to.equal(false);
  });
});
