import { expect } from 'chai';
import { shownWho } from '../../../src/app/resendCommand.js';

describe('resend: the person asked for, as messages show it', () => {
  it('masks a CPF however it was typed, even short of its leading zeros', () => {
    expect(shownWho('529.982.247-25')).to.equal('***.982.247-**');
    expect(shownWho('52998224725')).to.equal('***.982.247-**');
    // A CPF that lost its leading zero (typed from a spreadsheet number): still the person's CPF.
    expect(shownWho('2345678909')).to.equal('***.456.789-**');
  });

  it('leaves a login or an e-mail as typed, unless a CPF hides in it', () => {
    expect(shownWho('maria.silva')).to.equal('maria.silva');
    expect(shownWho('maria@pm.sp.gov.br')).to.equal('maria@pm.sp.gov.br');
    expect(shownWho('maria.52998224725@pm.sp.gov.br')).to.equal('maria.***.982.247-**@pm.sp.gov.br');
  });
});
