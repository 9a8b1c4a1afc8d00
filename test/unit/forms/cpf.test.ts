import { expect } from 'chai';
import {
  cpfProblem,
  GENERATED_CPF_LIMIT,
  generateValidCpf,
  isValidCpf,
  looksLikeScientificNotation,
  maskCpf,
  maskCpfsInText,
  normaliseCpf,
} from '../../../src/core/cpf.js';

describe('forms / cpf', () => {
  describe('normaliseCpf', () => {
    it('takes the digits of a masked or unmasked CPF', () => {
      expect(normaliseCpf('529.982.247-25')).to.equal('52998224725');
      expect(normaliseCpf('52998224725')).to.equal('52998224725');
      expect(normaliseCpf(' 529 982 247 25 ')).to.equal('52998224725');
    });
    it('takes the dashes Word and Excel write instead of a hyphen', () => {
      for (const dash of ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014']) expect(normaliseCpf(`529.982.247${dash}25`), dash).to.equal('52998224725');
    });
    it('left-pads 9 or 10 digits, the leading zeros Excel drops from a numeric column', () => {
      expect(normaliseCpf('1234567890')).to.equal('01234567890');
      expect(normaliseCpf('123456789')).to.equal('00123456789');
      expect(normaliseCpf('1.234.567-89')).to.equal('00123456789');
    });
    it('refuses a punctuated CPF missing a digit instead of padding it into another person\'s', () => {
      for (const raw of ['786.295.228-6', '786 295 228 6', '7.862.952.286', '78.629.522-8']) expect(normaliseCpf(raw), raw).to.equal(null);
    });
    it('refuses what cannot be a CPF', () => {
      for (const raw of ['', '12345678', '123456789012', 'abc.def.ghi-jk', '529.982.247-2X', '1,23457E+10', 'CPF 52998224725']) {
        expect(normaliseCpf(raw), raw).to.equal(null);
      }
    });
  });

  it('recognises what Excel shows for a CPF it turned into a number', () => {
    expect(looksLikeScientificNotation('1,23457E+10')).to.equal(true);
    expect(looksLikeScientificNotation('5.29982E+10')).to.equal(true);
    expect(looksLikeScientificNotation('52998224725')).to.equal(false);
  });

  describe('isValidCpf / cpfProblem', () => {
    it('accepts CPFs whose check digits match', () => {
      expect(isValidCpf('52998224725')).to.equal(true);
      expect(isValidCpf('11144477735')).to.equal(true);
      expect(cpfProblem('52998224725')).to.equal(null);
    });
    it('rejects a wrong check digit, first or second', () => {
      expect(cpfProblem('52998224735')).to.equal('check-digits');
      expect(cpfProblem('52998224726')).to.equal('check-digits');
    });
    it('rejects all-equal digits even though their arithmetic checks out', () => {
      for (let d = 0; d <= 9; d++) expect(cpfProblem(String(d).repeat(11)), String(d)).to.equal('all-equal');
    });
    it('wants exactly 11 digits', () => {
      expect(cpfProblem('5299822472')).to.equal('format');
      expect(cpfProblem('529.982.247-25')).to.equal('format');
    });
  });

  describe('maskCpf', () => {
    it('shows digits 4 to 9 only', () => {
      expect(maskCpf('52998224725')).to.equal('***.982.247-**');
      expect(maskCpf('529.982.247-25')).to.equal('***.982.247-**');
    });
    it('hides everything when the input is not a CPF', () => {
      expect(maskCpf('123')).to.equal('***.***.***-**');
    });
  });

  describe('generateValidCpf', () => {
    it('is deterministic, valid, distinct and from São Paulo (9th digit 8)', () => {
      const seen = new Set<string>();
      for (let n = 0; n < 20_000; n++) {
        const cpf = generateValidCpf(n);
        expect(isValidCpf(cpf), cpf).to.equal(true);
        expect(cpf[8]).to.equal('8');
        seen.add(cpf);
      }
      expect(seen.size).to.equal(20_000);
      expect(generateValidCpf(42)).to.equal(generateValidCpf(42));
    });
    it('does not look sequential', () => {
      expect(generateValidCpf(1).slice(0, 3)).not.to.equal(generateValidCpf(2).slice(0, 3));
    });
    it('never yields 888.888.888-88 and stays distinct where it steps around it', () => {
      // White box: the n whose body would be 88888888 under (n * 61803399 + 31415926) mod 10^8.
      const m = 100_000_000n;
      const inverse = modInverse(61_803_399n, m);
      const n = Number((((88_888_888n - 31_415_926n) % m) + m) % m * inverse % m);
      const cpf = generateValidCpf(n);
      expect(cpf).not.to.equal('88888888888');
      expect(isValidCpf(cpf)).to.equal(true);
      expect(cpf).not.to.equal(generateValidCpf(n === 0 ? 1 : n - 1));
    });
    it('refuses n outside its range', () => {
      for (const n of [-1, 1.5, GENERATED_CPF_LIMIT, Number.NaN]) expect(() => generateValidCpf(n), String(n)).to.throw(RangeError);
      expect(() => generateValidCpf(GENERATED_CPF_LIMIT - 1)).not.to.throw();
    });
  });
});

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

describe('core/cpf: CPFs found inside text', () => {
  const valid = '52998224725';
  const zeroLed = '02998224784'; // Excel drops the 0: 2998224784
  it('with the known CPFs: a bare valid CPF is masked even when unknown, an invalid eleven-digit number (a phone) is not', () => {
    const known = new Set<string>();
    expect(maskCpfsInText(`joao.${valid}@pm.sp.gov.br`, known)).to.equal('joao.***.982.247-**@pm.sp.gov.br');
    expect(maskCpfsInText('Celular 11987654321', known)).to.equal('Celular 11987654321');
  });

  it('a CPF that lost its leading zero: masked when, padded, it is known, or (free text) valid', () => {
    expect(isValidCpf(zeroLed)).to.equal(true);
    const unpadded = zeroLed.replace(/^0/, '');
    expect(maskCpfsInText(`perfil "${unpadded}" desconhecido`, new Set([zeroLed]))).to.equal('perfil "***.982.247-**" desconhecido');
    expect(maskCpfsInText(`perfil "${unpadded}" desconhecido`)).to.equal('perfil "***.982.247-**" desconhecido');
    // Other nine- or ten-digit numbers stay: a protocol number, a CEP with its city code.
    expect(maskCpfsInText('protocolo 1234567890', new Set([zeroLed]))).to.equal('protocolo 1234567890');
  });

  it('a CPF grouped some other way: Excel pt-BR thousands dots, a slash, commas, a minus sign, fullwidth digits', () => {
    const masked = '***.982.247-**';
    for (const written of ['52.998.224.725', '529.982.247/25', '529,982,247-25', '529.982.247\u221225', '\uFF15\uFF12\uFF19\uFF19\uFF18\uFF12\uFF12\uFF14\uFF17\uFF12\uFF15']) {
      expect(maskCpfsInText(`perfil "${written}" desconhecido`), written).to.equal(`perfil "${masked}" desconhecido`);
      expect(maskCpfsInText(`perfil "${written}" desconhecido`, new Set()), written).to.equal(`perfil "${masked}" desconhecido`);
    }
    // In a list, each one: a comma or a slash and a space end a CPF.
    expect(maskCpfsInText('52.998.224.725, 11.144.477.735')).to.equal(`${masked}, ***.444.777-**`);
    expect(maskCpfsInText('52.998.224.725 / 11.144.477.735; corrigido 52.998.224.725, 1 dependente')).to.equal(`${masked} / ***.444.777-**; corrigido ${masked}, 1 dependente`);
    // Grouped that way, eleven digits without a CPF's check digits stay: a date and time, a list of phones.
    for (const other of ['52.998.224.726', 'em 26/11/2026 15:00', '(11) 4002-8922 / (11) 98765-4321', '1.234.567.890.123']) {
      expect(maskCpfsInText(other), other).to.equal(other);
    }
  });
});
