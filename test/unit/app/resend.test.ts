import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunContext } from '../../../src/app/context.js';
import { resendCommand, resendFilter } from '../../../src/app/resendCommand.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import type { Directory, RawEntry } from '../../../src/ports/Directory.js';
import type { Mailer, OutgoingMessage } from '../../../src/ports/Mailer.js';

describe('resend: whom it finds', () => {
  it('takes nine or ten digits for a CPF only when, padded, they have a CPF\'s check digits', () => {
    expect(resendFilter(generateValidCpf(7))).to.contain('(employeeID=');
    expect(resendFilter('2236320825')).to.contain('(employeeID=02236320825)'); // a valid CPF short of its leading zero
    // A CPF typed with a digit missing, whose padding has no CPF's check digits (97 in 100 of such typos):
    // looked up as the login it could be, never as someone's padded CPF.
    expect(resendFilter('5299822472')).to.equal('(&(objectClass=user)(sAMAccountName=5299822472))');
  });

  it('with two accounts of one CPF (logins 52998224725 and 52998224725.2), the login typed exactly names one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sei-resend-'));
    const config = JSON.parse(readFileSync(new URL('../../../config/default.json', import.meta.url), 'utf8')) as RunContext['config'];
    const account = (login: string): RawEntry => ({
      dn: `CN=${login},OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`,
      attributes: { samaccountname: [login], mail: [`${login}@pmc.sp.gov.br`], displayname: ['Ana Lima'] },
    });
    const reset: string[] = [];
    const directory = {
      search: async (_base: string, filter: string) => (filter.includes('employeeID=52998224725') ? [account('52998224725'), account('52998224725.2')] : []),
      setPassword: async (dn: string) => void reset.push(dn),
      read: async () => null,
      close: async () => undefined,
    } as unknown as Directory; // what a resend of one person uses
    const sent: OutgoingMessage[] = [];
    const mailer: Mailer = { send: async (m) => (sent.push(m), { messageId: '<m>', response: '250' }), verify: async () => undefined, close: async () => undefined };
    const none = (): void => undefined;
    const ctx = {
      config,
      env: {},
      cwd,
      clock: () => new Date(),
      runId: 'r',
      logger: { info: none, warn: none, error: none, debug: none, audit: none },
      openDirectory: async () => directory,
      openMailer: () => mailer,
      print: none,
      color: false,
    } as unknown as RunContext; // what resendCommand reads
    const outcome = await resendCommand(ctx, { who: '52998224725', pending: false });
    expect(outcome.exitCode).to.equal(0);
    expect(reset).to.deep.equal(['CN=52998224725,OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local']);
    expect(sent.map((m) => m.to)).to.deep.equal(['52998224725@pmc.sp.gov.br']);
  });
});
