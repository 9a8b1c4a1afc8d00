import { expect } from 'chai';
import { resendCommand, resendFilter } from '../../../src/app/resendCommand.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import type { RawEntry } from '../../../src/ports/Directory.js';
import { runContext } from './runContext.js';

describe('resend: whom it finds', () => {
  it('takes nine or ten digits for a CPF only when, padded, they have a CPF\'s check digits', () => {
    expect(resendFilter(generateValidCpf(7))).to.contain('(employeeID=');
    expect(resendFilter('2236320825')).to.contain('(employeeID=02236320825)'); // a valid CPF short of its leading zero
    // A CPF typed with a digit missing, whose padding has no CPF's check digits (97 in 100 of such typos):
    // looked up as the login it could be, never as someone's padded CPF.
    expect(resendFilter('5299822472')).to.equal('(&(objectClass=user)(sAMAccountName=5299822472))');
  });

  it('with two accounts of one CPF (logins 52998224725 and 52998224725.2), the login typed exactly names one', async () => {
    const account = (login: string): RawEntry => ({
      dn: `CN=${login},OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`,
      attributes: { samaccountname: [login], mail: [`${login}@pmc.sp.gov.br`], displayname: ['Ana Lima'] },
    });
    const reset: string[] = [];
    const { ctx, sent } = runContext({
      search: async (_base: string, filter: string) => (filter.includes('employeeID=52998224725') ? [account('52998224725'), account('52998224725.2')] : []),
      setPassword: async (dn: string) => void reset.push(dn),
      read: async () => null,
    });
    const outcome = await resendCommand(ctx, { who: '52998224725', pending: false });
    expect(outcome.exitCode).to.equal(0);
    expect(reset).to.deep.equal(['CN=52998224725,OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local']);
    expect(sent.map((m) => m.to)).to.deep.equal(['52998224725@pmc.sp.gov.br']);
  });
});
