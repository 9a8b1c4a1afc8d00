import { expect } from 'chai';
import {
  dnEquals,
  escapeDnValue,
  escapeFilterValue,
  firstRdnValue,
  normaliseChildDn,
  isDnUnder,
  normaliseDn,
  parseDn,
  splitDn,
  tryParseDn,
} from '../../../src/core/dn.js';
import { InternalError } from '../../../src/domain/errors.js';

describe('core/dn', () => {
  describe('escapeDnValue', () => {
    for (const c of [',', '+', '"', '\\', '<', '>', ';', '=']) {
      it(`escapes ${c} with a backslash`, () => {
        expect(escapeDnValue(`a${c}b`)).to.equal(`a\\${c}b`);
      });
    }
    it('escapes NUL as \\00', () => {
      expect(escapeDnValue('a\0b')).to.equal('a\\00b');
    });
    it('escapes a leading # or space, but not one inside', () => {
      expect(escapeDnValue('#1 a')).to.equal('\\#1 a');
      expect(escapeDnValue(' a#b')).to.equal('\\ a#b');
    });
    it('escapes a trailing space', () => {
      expect(escapeDnValue('a ')).to.equal('a\\ ');
      expect(escapeDnValue(' ')).to.equal('\\ ');
    });
    it('leaves accents and ordinary text alone', () => {
      expect(escapeDnValue('João da Conceição')).to.equal('João da Conceição');
    });
    it('round-trips through parseDn', () => {
      const nasty = ' #Silva, "Zé" + <Júnior>; a=b\\c ';
      expect(parseDn(`CN=${escapeDnValue(nasty)},DC=x`)[0]?.value).to.equal(nasty);
    });
  });

  describe('escapeFilterValue', () => {
    it('escapes * ( ) \\ and NUL as hex pairs', () => {
      expect(escapeFilterValue('a*(b)\\c\0')).to.equal('a\\2a\\28b\\29\\5cc\\00');
    });
    it('leaves other text alone', () => {
      expect(escapeFilterValue('jose.silva')).to.equal('jose.silva');
    });
  });

  describe('parseDn', () => {
    it('splits RDNs and unescapes values', () => {
      expect(parseDn('CN=Silva\\, José,OU=PREF,DC=sei,DC=local')).to.deep.equal([
        { type: 'CN', value: 'Silva, José' },
        { type: 'OU', value: 'PREF' },
        { type: 'DC', value: 'sei' },
        { type: 'DC', value: 'local' },
      ]);
    });
    it('decodes hex escapes as UTF-8', () => {
      expect(parseDn('CN=Jo\\C3\\A3o\\2C x,DC=a')[0]?.value).to.equal('João, x');
    });
    it('ignores spaces around separators but keeps escaped ones', () => {
      expect(parseDn(' CN = a b , OU= \\ c\\  ,DC=x')).to.deep.equal([
        { type: 'CN', value: 'a b' },
        { type: 'OU', value: ' c ' },
        { type: 'DC', value: 'x' },
      ]);
    });
    it('refuses what it cannot read with certainty', () => {
      for (const bad of ['CN', 'CN=a,', 'CN=a+OU=b,DC=x', 'CN=#0403,DC=x', 'CN=a\\', 'CN=a"b', '1x=a', 'CN=\\ZZ\\C3']) {
        expect(tryParseDn(bad), bad).to.equal(null);
      }
      expect(() => parseDn('CN=a,')).to.throw(InternalError);
    });
    it('reads the empty DN as no RDNs', () => {
      expect(parseDn('')).to.deep.equal([]);
    });
  });

  describe('normaliseDn and dnEquals', () => {
    it('ignore case of types and values and spaces around separators', () => {
      expect(dnEquals('CN=José Silva,OU=PREF, DC=sei,DC=local', 'cn=JOSÉ SILVA , ou = pref,dc=SEI,dc=LOCAL')).to.equal(true);
    });
    it('treat an escaped comma and its hex form alike, and keep it apart from a separator', () => {
      expect(dnEquals('CN=a\\,b,DC=x', 'CN=a\\2Cb,DC=x')).to.equal(true);
      expect(dnEquals('CN=a\\,b,DC=x', 'CN=a,CN=b,DC=x')).to.equal(false);
    });
    it('write one canonical form', () => {
      expect(normaliseDn('CN=A\\2cB , DC=X')).to.equal('cn=a\\,b,dc=x');
    });
    it('compare composed and decomposed accents alike', () => {
      expect(dnEquals('CN=Jose\u0301,DC=x', 'CN=Jos\u00e9,DC=x')).to.equal(true);
    });
    it('do not mistake different values for equal ones', () => {
      expect(dnEquals('CN=a,DC=x', 'CN=b,DC=x')).to.equal(false);
    });
  });

  describe('isDnUnder', () => {
    const root = 'OU=SEI Cidades,DC=sei,DC=local';
    it('is true for descendants, whatever the case and spacing', () => {
      expect(isDnUnder('CN=x,OU=PREF,ou=sei cidades, DC=SEI,DC=local', root)).to.equal(true);
    });
    it('is false for the DN itself and for siblings', () => {
      expect(isDnUnder(root, root)).to.equal(false);
      expect(isDnUnder('OU=Outra,DC=sei,DC=local', root)).to.equal(false);
    });
    it('does not count an escaped comma as a separator', () => {
      expect(isDnUnder('CN=x\\,OU=Domain Controllers,DC=sei,DC=local', 'OU=Domain Controllers,DC=sei,DC=local')).to.equal(false);
      expect(isDnUnder('CN=x\\2C OU=SEI Cidades,DC=sei,DC=local', root)).to.equal(false);
    });
    it('does not match a value that merely ends the same way', () => {
      expect(isDnUnder('CN=x,OU=Nova SEI Cidades,DC=sei,DC=local', root)).to.equal(false);
    });
    it('is false when either side does not parse', () => {
      expect(isDnUnder('CN=x+CN=y,' + root, root)).to.equal(false);
      expect(isDnUnder('CN=x,' + root, 'OU=a,')).to.equal(false);
    });
  });

  it('splitDn gives the first RDN and its container', () => {
    expect(splitDn('CN=a\\,b,OU=X,DC=y')).to.deep.equal({ rdn: { type: 'CN', value: 'a,b' }, parentDn: 'OU=X,DC=y' });
    expect(splitDn('')).to.equal(null);
  });

  it('normaliseChildDn equals normaliseDn of the DN escapeDnValue would build', () => {
    const parent = 'OU=São Paulo,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
    const values = ['Maria Silva', 'JOSÉ', 'a,b+c"d\\e<f>g;h=i', '#lead', ' both ', 'tail ', 'nul\0x', 'Ǆemal', 'e\u0301'];
    for (const v of values) {
      expect(normaliseChildDn('CN', v, parent), v).to.equal(normaliseDn(`CN=${escapeDnValue(v)},${parent}`));
    }
  });

  it('firstRdnValue reads the first value as splitDn does, escapes included', () => {
    for (const dn of ['CN=Maria Silva,OU=X,DC=sei', 'CN=a\\,b\\+c,OU=X', 'CN=Jos\\C3\\A9,OU=X', 'CN=só', 'CN=trail\\ ,OU=X']) {
      expect(firstRdnValue(dn), dn).to.equal(splitDn(dn)?.rdn.value);
    }
    expect(firstRdnValue('sem igual,OU=X')).to.equal(null);
    expect(firstRdnValue('CN=a+UID=b,OU=X')).to.equal(null);
  });

  it('firstRdnValue gives what the parser gives for plain and not-so-plain first RDNs alike', () => {
    const firsts = [
      'CN=Maria Silva', 'CN=', 'CN=a=b', 'CN=a#b', 'CN=#ab', 'CN= lead', 'CN=trail ', 'CN=in  side', 'CN=tab\tx',
      'CN=\u00a0nbsp', 'CN=nbsp\u00a0', 'CN =x', ' CN=x', 'cn-2=x', '1.2.3=x', '2cn=x', 'CN=a"b', 'CN=a;b', 'CN=a<b',
      'CN=a>b', 'CN=a+b', 'CN=nul\0x', 'CN=😀', 'CN=\ud800', 'CN=x\\\\y', 'C_N=x', '=x', 'CN=a b c ',
    ];
    for (const rdn of firsts) {
      for (const dn of [rdn, `${rdn},OU=X,DC=sei`]) {
        const parsed = tryParseDn(rdn);
        const expected = parsed !== null && parsed.length === 1 ? (parsed[0]?.value ?? null) : null;
        expect(firstRdnValue(dn), JSON.stringify(dn)).to.equal(expected);
      }
    }
  });
});
