import { expect } from 'chai';
import { buildSnapshot } from '../../../src/adapters/ldap/observeSnapshot.js';
import { OBSERVE_SEARCHES, type RawEntry } from '../../../src/ports/Directory.js';
import { aPolicy } from '../core/builders.js';
import { DirectoryError } from '../../../src/domain/errors.js';

describe('observation of the directory', () => {
  it('makes a fixed number of searches whatever the number of people, reporting each for progress', async () => {
    const bases: string[] = [];
    let done = 0;
    const user = (i: number): RawEntry => ({
      dn: `CN=P${i},OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`,
      attributes: { samaccountname: [`p${i}`], employeeid: [String(10_000_000_000 + i)], useraccountcontrol: ['512'], usnchanged: ['9'], title: ['Agente'] },
    });
    const snapshot = await buildSnapshot(
      async (base, filter) => {
        bases.push(`${base} ${filter}`);
        // The users branch, and the same accounts again in the domain-wide search of logins.
        const people = base.startsWith('OU=Usuarios') && filter.includes('person');
        return people || filter.includes('sAMAccountName=*') ? Array.from({ length: 3000 }, (_, i) => user(i)) : [];
      },
      aPolicy(),
      '2026-11-26T00:00:00Z',
      'ldaps://test',
      () => done++,
    );
    expect(bases).to.have.length(OBSERVE_SEARCHES);
    expect(done).to.equal(OBSERVE_SEARCHES);
    expect(snapshot.users).to.have.length(3000);
    expect(snapshot.users[0]?.attributes.title).to.equal('Agente');
    expect(snapshot.users[0]?.employeeID).to.equal('10000000000');
  });

  it('lists the CPF of accounts this tool made that are outside the managed users branch, from the domain-wide search', async () => {
    const snapshot = await buildSnapshot(
      async (base, filter, attributes): Promise<RawEntry[]> => {
        if (base.startsWith('OU=Usuarios') && filter.includes('person')) {
          return [{ dn: 'CN=Bia,OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local', attributes: { samaccountname: ['bia'], employeeid: ['11144477735'] } }];
        }
        if (base !== 'DC=sei,DC=local' || !filter.includes('sAMAccountName=*')) return [];
        expect(attributes).to.include('employeeID');
        return [
          // Ours, moved out with its OU (its description says so).
          { dn: 'CN=Ana,OU=Antiga,DC=sei,DC=local', attributes: { samaccountname: ['ana'], employeeid: ['529.982.247-25'], description: ['SEI Cidades — Campinas'] } },
          // Ours, under the managed root but not under the users OU (the users OU renamed).
          { dn: 'CN=Caio,OU=PMC,OU=Usuarios-renomeada,OU=SEI Cidades,DC=sei,DC=local', attributes: { samaccountname: ['caio'], employeeid: ['39053344705'] } },
          // In the users branch: observed as a managed account, not here.
          { dn: 'CN=Bia,OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local', attributes: { samaccountname: ['bia'], employeeid: ['11144477735'], description: ['SEI Cidades — Campinas'] } },
          // Another system's account with a CPF in employeeID, and one without a CPF: not counted.
          { dn: 'CN=Rui,OU=RH,DC=sei,DC=local', attributes: { samaccountname: ['rui'], employeeid: ['52998224725'], description: ['Servidor da Prodesp'] } },
          { dn: 'CN=Svc,CN=Users,DC=sei,DC=local', attributes: { samaccountname: ['svc'], employeeid: ['RH-1234'] } },
        ];
      },
      aPolicy(),
      '2026-11-26T00:00:00Z',
      'ldaps://test',
    );
    expect(snapshot.cpfsElsewhere).to.deep.equal([
      { cpf: '52998224725', dn: 'CN=Ana,OU=Antiga,DC=sei,DC=local' },
      { cpf: '39053344705', dn: 'CN=Caio,OU=PMC,OU=Usuarios-renomeada,OU=SEI Cidades,DC=sei,DC=local' },
    ]);
  });

  it('refuses a read where the users search and the domain search disagree about the users branch (one came back short)', async () => {
    const person = (name: string, cpf: string): RawEntry => ({
      dn: `CN=${name},OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`,
      attributes: { samaccountname: [name.toLowerCase()], employeeid: [cpf] },
    });
    const ana = person('Ana', '52998224725');
    const bia = person('Bia', '11144477735');
    const observe = (users: RawEntry[], names: RawEntry[]) =>
      buildSnapshot(
        async (base, filter) => (base.startsWith('OU=Usuarios') && filter.includes('person') ? users : filter.includes('sAMAccountName=*') ? names : []),
        aPolicy(),
        '2026-11-26T00:00:00Z',
        'ldaps://test',
      ).then(
        () => 'read',
        (e: unknown) => (e instanceof DirectoryError ? e.message : String(e)),
      );
    expect(await observe([ana, bia], [ana, bia])).to.equal('read');
    expect(await observe([ana], [ana, bia])).to.contain('veio incompleta').and.contain('CN=Bia');
    expect(await observe([ana, bia], [bia])).to.contain('veio incompleta').and.contain('CN=Ana');
    // A group or a computer there (no CPF) is no sign of a short read.
    expect(await observe([ana], [ana, { dn: 'CN=Grupo,OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local', attributes: { samaccountname: ['grupo'] } }])).to.equal('read');
  });
});
