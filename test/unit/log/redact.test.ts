import { expect } from 'chai';
import { redact } from '../../../src/adapters/log/createLogger.js';

describe('log redaction', () => {
  it('masks a CPF however the forms may write it, and leaves other numbers alone', () => {
    for (const written of ['52998224725', '529.982.247-25', '529 982 247 25', '529-982-247-25', '529.982.247–25', 'CPF52998224725']) {
      const out = String(redact(`linha com ${written} no meio`));
      expect(out, written).not.to.match(/529.?982.?247.?25|52998224725/);
      expect(out, written).to.contain('***.982.247-**');
    }
    expect(redact('telefone (11) 98765-4321, protocolo 123456789012')).to.equal('telefone (11) 98765-4321, protocolo 123456789012');
    // After a letter and a dot (an e-mail's local part), with three separators, or a login with a suffix.
    expect(redact('joao.52998224725@pm.sp.gov.br')).to.equal('joao.***.982.247-**@pm.sp.gov.br');
    expect(redact('CPF 529 . 982 . 247 - 25')).to.equal('CPF ***.982.247-**');
    expect(redact('login 52998224725.2')).to.equal('login ***.982.247-**.2');
    // A CPF login with a suffix made before suffixes took a dot: masked when its check digits are a CPF's.
    expect(redact('CN=529982247252,OU=PMC')).to.equal('CN=***.982.247-**2,OU=PMC');
    // Still not inside a longer dotted or dashed number.
    expect(redact('versão 1.52998224725')).to.equal('versão 1.52998224725');
  });

  it('drops secret fields at any depth', () => {
    expect(redact({ user: 'ana', detail: { password: 'x', senha: 'y' } })).to.deep.equal({ user: 'ana', detail: { password: '[omitido]', senha: '[omitido]' } });
  });
});
