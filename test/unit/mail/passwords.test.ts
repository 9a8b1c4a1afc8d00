import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import {
  forbiddenFragments,
  generateTemporaryPassword,
  PASSWORD_ALPHABET,
  PASSWORD_CLASSES,
} from '../../../src/core/passwords.js';
import { InternalError } from '../../../src/domain/errors.js';

/** A random source that first spells `script` (one draw's worth), then is truly random. */
function scripted(script: string): { randomInt: (max: number) => number; picks: () => number } {
  const queue = [...script].map((c) => {
    const i = PASSWORD_ALPHABET.indexOf(c);
    if (i < 0) throw new Error(`"${c}" is not in the alphabet`);
    return i;
  });
  let picks = 0;
  return {
    randomInt: (max) => {
      picks++;
      return queue.shift() ?? randomInt(max);
    },
    picks: () => picks,
  };
}

const SAMPLES = 2000;
const samples = Array.from({ length: SAMPLES }, () => generateTemporaryPassword({ login: 'maria.souza' }));

describe('core/passwords', () => {
  it('is 16 characters by default and honours the configured length', () => {
    expect(samples.every((p) => p.length === 16)).to.equal(true);
    expect(generateTemporaryPassword({ login: 'x', length: 24 })).to.have.length(24);
    expect(generateTemporaryPassword({ login: 'x', length: 64 })).to.have.length(64);
  });

  it('refuses a length below 12', () => {
    expect(() => generateTemporaryPassword({ login: 'x', length: 8 })).to.throw(InternalError);
  });

  it('always has upper and lower case, a digit and a symbol', () => {
    for (const chars of Object.values(PASSWORD_CLASSES)) {
      expect(samples.every((p) => [...p].some((c) => chars.includes(c))), chars).to.equal(true);
    }
  });

  it('never uses look-alike or troublesome characters', () => {
    const banned = [...'0Oo1lI|`\'" \\$&<>^~.,;:'];
    for (const c of banned) expect(PASSWORD_ALPHABET, `alphabet has ${c}`).not.to.include(c);
    const seen = new Set(samples.join(''));
    for (const c of seen) expect(PASSWORD_ALPHABET).to.include(c);
    for (const c of banned) expect(seen.has(c), `sample has ${c}`).to.equal(false);
  });

  it('uses the whole alphabet (draws are uniform, not skewed to a subset)', () => {
    const seen = new Set(samples.join(''));
    expect(seen.size).to.equal(PASSWORD_ALPHABET.length);
  });

  it('gives a different password each time', () => {
    expect(new Set(samples).size).to.equal(SAMPLES);
  });

  it('keeps a draw that breaks no rule (proves the scripted source is honoured)', () => {
    const draw = 'Maria#7Kxyzabcde';
    const source = scripted(draw);
    expect(generateTemporaryPassword({ login: 'pedro.souza', randomInt: source.randomInt })).to.equal(draw);
    expect(source.picks()).to.equal(16);
  });

  it('draws again when the draw contains the login, or a token of it, in any case', () => {
    const draw = 'Maria#7Kxyzabcde';
    const source = scripted(draw);
    const password = generateTemporaryPassword({ login: 'maria.souza', randomInt: source.randomInt });
    expect(password).not.to.equal(draw);
    expect(password.toLowerCase()).not.to.include('maria');
    expect(source.picks()).to.be.greaterThan(16);
  });

  it('draws again when the draw contains the whole sAMAccountName of 3 characters', () => {
    const draw = 'xyzABC7#Kmnpqrst';
    const source = scripted(draw);
    expect(generateTemporaryPassword({ login: 'abc', randomInt: source.randomInt })).not.to.equal(draw);
  });

  it('allows a login of under 3 characters, as AD does', () => {
    const draw = 'xyzAB7#Kmnpqrstu';
    expect(generateTemporaryPassword({ login: 'ab', randomInt: scripted(draw).randomInt })).to.equal(draw);
  });

  it('draws again when the draw contains a displayName token of 3+ characters, accents folded', () => {
    for (const displayName of ['Ana Beatriz da Cruz', 'Cruz, Beatriz', 'ana_BEATRIZ#cruz']) {
      const draw = 'xBeatriz7#Kmnpqr';
      expect(generateTemporaryPassword({ login: 'ana.cruz', displayName, randomInt: scripted(draw).randomInt }), displayName).not.to.equal(draw);
    }
    const tania = 'xTaNiA7#Kmnpqrst';
    expect(generateTemporaryPassword({ login: 'x.y', displayName: 'Tânia Reis', randomInt: scripted(tania).randomInt })).not.to.equal(tania);
    const shortToken = 'Da7#Kmnpqrstuvwx';
    expect(generateTemporaryPassword({ login: 'ana.cruz', displayName: 'Ana da Cruz', randomInt: scripted(shortToken).randomInt })).to.equal(shortToken);
  });

  it('draws again when a class is missing', () => {
    const noSymbol = 'Maria7Kxyzabcdef';
    expect(generateTemporaryPassword({ login: 'z.w', randomInt: scripted(noSymbol).randomInt })).not.to.equal(noSymbol);
  });

  it('lists what AD forbids: the login, its tokens and displayName tokens of 3+ characters', () => {
    expect(forbiddenFragments('joao.silva', 'João da Silva')).to.have.members(['joao.silva', 'joao', 'silva']);
    expect(forbiddenFragments('ab')).to.deep.equal([]);
  });

  it('gives up, bounded, when the random source can never satisfy the rules', () => {
    expect(() => generateTemporaryPassword({ login: 'x', randomInt: () => 0 })).to.throw(InternalError);
    expect(() => generateTemporaryPassword({ login: 'x', randomInt: () => PASSWORD_ALPHABET.length })).to.throw(InternalError);
  });
});
