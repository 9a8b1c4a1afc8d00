import { expect } from 'chai';
import { formatDatePtBr } from '../../../src/core/disables.js';
import type { DirectorySnapshot } from '../../../src/domain/directory.js';
import { InternalError } from '../../../src/domain/errors.js';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import { renderReportHtml } from '../../../src/adapters/report/renderHtml.js';
import { maskCpf } from '../../../src/core/cpf.js';
import { USERS_DN, aPerson, aSnapshot, groupDn, orgaoOu } from './builders.js';
import { plan, creates, updates, disables, adds, groupsCreated, provisionedPref, accountFor, membersOf } from './planFixtures.js';

describe('core/assemblePlan against a directory that already holds accounts', () => {
  describe('matching by CPF', () => {
    it('updates differing attributes in one change, with before and after', () => {
      const p0 = aPerson({ nome: 'Maria Souza', cargo: 'Diretora', email: 'maria@campinas.sp.gov.br' });
      const account = accountFor(p0, 'msouza');
      account.attributes = { ...account.attributes, title: 'Analista', department: 'Antiga', mail: 'velho@x.br' };
      const snap = provisionedPref().withUser(account).build();
      const p = plan([p0], snap);
      expect(updates(p)).to.deep.equal([
        {
          kind: 'update-user',
          dn: account.dn,
          orgao: 'PREF',
          cpf: p0.cpf,
          login: 'msouza',
          changes: [
            { attribute: 'mail', before: 'velho@x.br', after: 'maria@campinas.sp.gov.br' },
            { attribute: 'title', before: 'Analista', after: 'Diretora' },
            { attribute: 'department', before: 'Antiga', after: null },
          ],
          expectUsn: '4711',
          source: { file: p0.file, line: p0.line },
        },
      ]);
      expect(creates(p)).to.deep.equal([]);
      expect(p.unchanged).to.deep.equal([]);
    });

    it('sets an attribute the account lacks (before: null)', () => {
      const p0 = aPerson({ telefone: '(19) 3333-4444' });
      const snap = provisionedPref().withUser(accountFor(p0, 'maria.souza')).build();
      expect(updates(plan([p0], snap))[0]?.changes).to.deep.equal([
        { attribute: 'telephoneNumber', before: null, after: '(19) 3333-4444' },
      ]);
    });

    it('lists a person with nothing to do as unchanged', () => {
      const p0 = aPerson();
      const snap = provisionedPref().withUser(accountFor(p0, 'maria.souza')).build();
      const p = plan([p0], snap);
      expect(p.changes).to.deep.equal([]);
      expect(p.unchanged).to.deep.equal([{ dn: `CN=Maria Souza,${orgaoOu('PREF')}`, orgao: 'PREF', cpf: p0.cpf, login: 'maria.souza' }]);
    });

    it('ignores a difference of case in mail', () => {
      const p0 = aPerson({ email: 'maria@x.br' });
      const account = accountFor(p0, 'maria.souza');
      account.attributes.mail = 'Maria@X.br';
      expect(plan([p0], provisionedPref().withUser(account).build()).changes).to.deep.equal([]);
    });

    it('keeps the login of the account under another name; the CN follows the name, and the account moves to its órgão OU', () => {
      const p0 = aPerson({ nome: 'Carla Mendes', orgao: 'PREF' });
      const account = { ...accountFor(p0, 'carlos.souza', 'Carlos Souza'), dn: `CN=Carlos Souza,OU=Antigo,${USERS_DN}` };
      account.attributes.displayName = 'Carlos Souza';
      const p = plan([p0], provisionedPref().withUser(account).build());
      expect(creates(p)).to.deep.equal([]);
      expect(updates(p)).to.have.length(1);
      expect(updates(p)[0]).to.include({ dn: account.dn, login: 'carlos.souza', moveTo: `CN=Carla Mendes,${orgaoOu('PREF')}`, fromOrgao: 'Antigo' });
      expect(updates(p)[0]?.changes).to.deep.equal([{ attribute: 'displayName', before: 'Carlos Souza', after: 'Carla Mendes' }]);
    });

    it('never matches by name: a namesake with another CPF gets a new account', () => {
      const existing = accountFor(aPerson({ nome: 'José Silva' }), 'jose.silva', 'José Silva');
      const p = plan([aPerson({ nome: 'José Silva' })], provisionedPref().withUser(existing).build());
      expect(creates(p).map((c) => [c.login, c.dn])).to.deep.equal([
        ['jose.silva2', `CN=José Silva (jose.silva2),${orgaoOu('PREF')}`],
      ]);
    });

    it('adds a matched account to groups it is missing, and only those', () => {
      const p0 = aPerson({ perfil: 'interlocutor' });
      const snap = provisionedPref().withUser(accountFor(p0, 'maria.souza')).build();
      const p = plan([p0], snap);
      expect(groupsCreated(p).map((g) => g.name)).to.deep.equal(['SEI-Interlocutores']);
      expect(adds(p)).to.deep.equal([
        { kind: 'add-member', groupDn: groupDn('SEI-Interlocutores'), memberDns: [`CN=Maria Souza,${orgaoOu('PREF')}`] },
      ]);
      expect(p.unchanged).to.deep.equal([]);
    });

    it('takes membership seen on the group side into account too', () => {
      const p0 = aPerson();
      const account = { ...accountFor(p0, 'maria.souza'), memberOf: [] };
      const snap = aSnapshot()
        .withManagedOus('PREF')
        .withGroup(groupDn('SEI-PREF'), [`cn=maria souza,ou=pref,ou=usuarios,ou=sei cidades,dc=sei,dc=local`])
        .withUser(account)
        .build();
      expect(adds(plan([p0], snap, { training: false }))).to.deep.equal([]);
    });

    it('does not add a new account to a group that already lists its DN (a member value left by an entry since removed)', () => {
      const p0 = aPerson();
      const snap = aSnapshot()
        .withManagedOus('PREF')
        .withGroup(groupDn('SEI-PREF'), [`cn=maria souza,ou=pref,ou=usuarios,ou=sei cidades,dc=sei,dc=local`, `CN=Outra Pessoa,${orgaoOu('PREF')}`])
        .build();
      const p = plan([p0, aPerson({ nome: 'Bia Lima', cpf: '52998224725', email: 'bia@pref.sp.gov.br' })], snap, { training: false });
      expect(creates(p).map((c) => c.dn)).to.deep.equal([`CN=Maria Souza,${orgaoOu('PREF')}`, `CN=Bia Lima,${orgaoOu('PREF')}`]);
      expect(membersOf(p, groupDn('SEI-PREF'))).to.deep.equal([`CN=Bia Lima,${orgaoOu('PREF')}`]);
    });

    it('leaves a disabled account disabled when a row says incluir or alterar', () => {
      const p0 = aPerson({ acao: 'alterar', cargo: 'Chefe' });
      const snap = provisionedPref().withUser({ ...accountFor(p0, 'maria.souza'), userAccountControl: 514 }).build();
      const p = plan([p0], snap);
      expect(p.changes.map((c) => c.kind)).to.deep.equal(['update-user']);
      expect(JSON.stringify(p)).to.not.contain('userAccountControl');
      // Listed, so the report says the account stays disabled instead of looking done.
      expect(p.disabledAsked).to.deep.equal([
        { dn: `CN=Maria Souza,${orgaoOu('PREF')}`, orgao: 'PREF', cpf: p0.cpf, login: 'maria.souza', source: { file: p0.file, line: p0.line } },
      ]);
      const enabled = plan([p0], provisionedPref().withUser(accountFor(p0, 'maria.souza')).build());
      expect(enabled.disabledAsked).to.deep.equal([]);
      const desativar = plan([{ ...p0, acao: 'desativar' }], snap);
      expect(desativar.disabledAsked).to.deep.equal([]);
    });

    it('keeps the note a disable wrote on an account that stays disabled, and changes the rest under it', () => {
      const p0 = aPerson({ acao: 'alterar' });
      const noted = (municipio: string) => `SEI Cidades — ${municipio} — desativada em 01/01/2025`;
      const account = accountFor(p0, 'maria.souza');
      const disabled = { ...account, userAccountControl: 514, attributes: { ...account.attributes, description: noted(p0.municipio) } };
      const same = plan([p0], provisionedPref().withUser(disabled).build(), { training: false });
      expect(updates(same)).to.deep.equal([]);
      const moved = plan([{ ...p0, municipio: 'Sorocaba' }], provisionedPref().withUser(disabled).build(), { training: false });
      const description = updates(moved)[0]?.changes.find((c) => c.attribute === 'description');
      expect(description).to.deep.equal({ attribute: 'description', before: noted(p0.municipio), after: noted('Sorocaba') });
    });

    it('picks the same account whatever the server order when two share a CPF', () => {
      const p0 = aPerson({ cargo: 'Chefe' });
      const snap = provisionedPref()
        .withUser(accountFor(p0, 'maria.souza', 'Maria Souza'))
        .withUser(accountFor(p0, 'maria.antiga', 'Maria Antiga'))
        .build();
      const first = updates(plan([p0], snap))[0]?.dn;
      snap.users.reverse();
      expect(updates(plan([p0], snap))[0]?.dn).to.equal(first).and.to.equal(`CN=Maria Antiga,${orgaoOu('PREF')}`);
    });

    it('with two accounts for one CPF, desativar reaches the one still enabled', () => {
      const p0 = aPerson({ acao: 'desativar' });
      const snap = provisionedPref()
        .withUser({ ...accountFor(p0, 'maria.antiga', 'Maria Antiga'), userAccountControl: 514 })
        .withUser(accountFor(p0, 'maria.souza', 'Maria Souza'))
        .build();
      expect(disables(plan([p0], snap)).map((d) => d.dn)).to.deep.equal([`CN=Maria Souza,${orgaoOu('PREF')}`]);
    });

    it('correlates an employeeID written without its leading zeros: no second account, nobody disabled as missing', () => {
      const p0 = aPerson({ cpf: '01234567890' });
      const account = { ...accountFor(p0, 'maria.souza'), employeeID: '1234567890' };
      const p = plan([p0], provisionedPref().withUser(account).build(), { disableMissing: true });
      expect(creates(p)).to.deep.equal([]);
      expect(disables(p)).to.deep.equal([]);
    });

    it('correlates on the digits of employeeID', () => {
      const p0 = aPerson();
      const account = accountFor(p0, 'maria.souza');
      account.employeeID = `${p0.cpf.slice(0, 3)}.${p0.cpf.slice(3, 6)}.${p0.cpf.slice(6, 9)}-${p0.cpf.slice(9)}`;
      expect(creates(plan([p0], provisionedPref().withUser(account).build()))).to.deep.equal([]);
    });
  });

  describe('desativar', () => {
    it('disables an enabled account, keeping its other flags and noting the date', () => {
      const p0 = aPerson({ acao: 'desativar', municipio: 'Campinas' });
      const snap = provisionedPref()
        .withUser({ ...accountFor(p0, 'maria.souza'), userAccountControl: 512 + 0x10000 })
        .build();
      const p = plan([p0], snap);
      expect(p.changes).to.deep.equal([
        {
          kind: 'disable-user',
          dn: `CN=Maria Souza,${orgaoOu('PREF')}`,
          orgao: 'PREF',
          cpf: p0.cpf,
          login: 'maria.souza',
          reason: 'form',
          description: 'SEI Cidades — Campinas — desativada em 26/11/2026',
          userAccountControl: 514 + 0x10000,
          // What apply writes over: an account changed since the plan is left as it is.
          descriptionBefore: 'SEI Cidades — Campinas',
          expectUsn: '4711',
          source: { file: p0.file, line: p0.line },
        },
      ]);
    });

    it('names a desativar row whose CPF has no account (a CPF typed wrong leaves the real account active), masked in the report', () => {
      const p0 = aPerson({ acao: 'desativar', municipio: 'Campinas' });
      const p = plan([p0], provisionedPref().build());
      expect(p.changes.filter((c) => c.kind === 'disable-user' || c.kind === 'create-user')).to.deep.equal([]);
      expect(p.disableWithoutAccount).to.deep.equal([{ cpf: p0.cpf, orgao: p0.orgao, source: { file: p0.file, line: p0.line } }]);
      const model = summarisePlan(p, { rowsRead: 1, people: [p0], rejected: [], superseded: [], warnings: [], rejectedCpfs: [] });
      const warning = model.warnings.find((w) => w.message.includes('Pedido de desativação'));
      expect(warning).to.include({ file: p0.file, line: p0.line });
      // The renderings put the file and line beside the message: the message does not repeat them.
      expect(warning?.message).to.not.contain(`${p0.file}:${p0.line}`);
      expect(warning?.message).to.contain(maskCpf(p0.cpf)).and.not.contain(p0.cpf);
    });

    it('disables every enabled account of the CPF when a manual mistake left two, so none keeps working', () => {
      const p0 = aPerson({ acao: 'desativar', municipio: 'Campinas' });
      const snap = provisionedPref()
        .withUser(accountFor(p0, 'maria.souza'))
        .withUser({ ...accountFor(p0, 'm.souza'), dn: `CN=M Souza,${orgaoOu('PREF')}` })
        .withUser({ ...accountFor(p0, 'maria.antiga'), dn: `CN=Maria Antiga,${orgaoOu('PREF')}`, userAccountControl: 514 })
        .build();
      const p = plan([p0], snap);
      expect(disables(p).map((d) => [d.login, d.reason])).to.have.deep.members([
        ['maria.souza', 'form'],
        ['m.souza', 'form'],
      ]);
      const model = summarisePlan(p, { rowsRead: 1, people: [p0], rejected: [], superseded: [], warnings: [], rejectedCpfs: [] });
      expect(model.summary.disable).to.equal(2);
    });

    it('writes 514 for a plain enabled account', () => {
      const p0 = aPerson({ acao: 'desativar' });
      const snap = provisionedPref().withUser(accountFor(p0, 'maria.souza')).build();
      expect(disables(plan([p0], snap))[0]?.userAccountControl).to.equal(514);
    });

    it('leaves an already disabled account as unchanged', () => {
      const p0 = aPerson({ acao: 'desativar' });
      const snap = provisionedPref().withUser({ ...accountFor(p0, 'maria.souza'), userAccountControl: 514 }).build();
      const p = plan([p0], snap);
      expect(p.changes).to.deep.equal([]);
      expect(p.unchanged).to.have.length(1);
    });

    it('dates the note in São Paulo time', () => {
      expect(formatDatePtBr('2026-11-27T01:30:00Z')).to.equal('26/11/2026');
      expect(formatDatePtBr('2026-01-05T12:00:00-03:00')).to.equal('05/01/2026');
      expect(() => formatDatePtBr('ontem')).to.throw(InternalError);
    });
  });

  describe('disableMissing', () => {
    const kept = aPerson();
    const gone = aPerson({ nome: 'Pedro Lima' });
    const leaving = aPerson({ nome: 'Ana Reis', acao: 'desativar' });
    const snapshot = (): DirectorySnapshot =>
      provisionedPref()
        .withUser(accountFor(kept, 'maria.souza'))
        .withUser({
          ...accountFor(gone, 'pedro.lima'),
          attributes: { description: 'SEI Cidades — Campinas — desativada em 01/01/2025' },
        })
        .withUser({ ...accountFor(leaving, 'ana.reis'), userAccountControl: 514 })
        .withUser({ ...accountFor(aPerson({ nome: 'Rui Dias' }), 'rui.dias'), userAccountControl: 514 })
        .withUser({ sAMAccountName: 'svc.sei', dn: `CN=svc.sei,${USERS_DN}` })
        .build();

    it('disables enabled accounts whose CPF is in no form', () => {
      const p = plan([kept, leaving], snapshot(), { disableMissing: true });
      expect(disables(p)).to.deep.equal([
        {
          kind: 'disable-user',
          dn: `CN=Pedro Lima,${orgaoOu('PREF')}`,
          orgao: 'PREF',
          cpf: gone.cpf,
          login: 'pedro.lima',
          reason: 'missing',
          description: 'SEI Cidades — Campinas — desativada em 26/11/2026',
          userAccountControl: 514,
          descriptionBefore: 'SEI Cidades — Campinas — desativada em 01/01/2025',
          expectUsn: '4711',
        },
      ]);
    });

    it('never disables someone whose row was rejected for another field: they are still in the forms', () => {
      const p = plan([kept, leaving], snapshot(), { disableMissing: true, rejectedCpfs: [gone.cpf] });
      expect(disables(p)).to.deep.equal([]);
    });

    it('leaves enabled, and names, an account whose e-mail a row gives while its CPF cell could not be read or is another', () => {
      // Pedro's row was refused for its CPF (typed wrong): his e-mail still says who the row is.
      const withMail = (): DirectorySnapshot => provisionedPref().withUser(accountFor(kept, 'maria.souza')).withUser(accountFor(gone, 'pedro.lima')).build();
      const refused = plan([kept, leaving], withMail(), { disableMissing: true, rejectedEmails: [{ email: gone.email.toUpperCase(), source: { file: 'f.csv', line: 9 } }] });
      expect(disables(refused)).to.deep.equal([]);
      expect(refused.keptByEmail).to.deep.equal([{ dn: `CN=Pedro Lima,${orgaoOu('PREF')}`, login: 'pedro.lima', cpf: gone.cpf, source: { file: 'f.csv', line: 9 } }]);
      // His row valid, with another CPF: a new account, and the old one is not disabled behind the operator's back.
      const other = aPerson({ nome: 'Pedro Lima', email: gone.email });
      const corrected = plan([kept, leaving, other], withMail(), { disableMissing: true });
      expect(disables(corrected)).to.deep.equal([]);
      expect(corrected.keptByEmail?.map((k) => k.login)).to.deep.equal(['pedro.lima']);
      const model = summarisePlan(refused, { rowsRead: 3, people: [kept, leaving], rejected: [], superseded: [], warnings: [], rejectedCpfs: [] });
      const warning = model.warnings.find((w) => w.message.includes('não foi desativada por ausência'));
      expect(warning?.message).to.contain('f.csv:9').and.contain(maskCpf(gone.cpf)).and.not.contain(gone.cpf);
    });

    it('reports a missing account in an OU made by hand as "Pmsp" under the sigla as the forms write it, and one outside any órgão OU apart', () => {
      const pmsp = aPerson({ nome: 'Lia Prado' });
      const loose = aPerson({ nome: 'Rui Sem' });
      const snap = provisionedPref()
        .withUser({ ...accountFor(pmsp, 'lia.prado'), dn: `CN=Lia Prado,OU=Pmsp,${USERS_DN}` })
        .withUser({ ...accountFor(loose, 'rui.sem'), dn: `CN=Rui Sem,${USERS_DN}` })
        .build();
      const p = plan([], snap, { disableMissing: true, training: false });
      expect(disables(p).map((d) => [d.login, d.orgao])).to.have.deep.members([
        ['lia.prado', 'PMSP'],
        ['rui.sem', ''],
      ]);
      const html = renderReportHtml(summarisePlan(p, { rowsRead: 0, people: [], rejected: [], superseded: [], warnings: [], rejectedCpfs: [] }));
      expect(html).to.contain('Contas fora das UOs de órgão').and.contain('Órgão PMSP').and.not.contain('Órgão Pmsp');
    });

    it('does nothing of the kind unless asked', () => {
      expect(disables(plan([kept, leaving], snapshot()))).to.deep.equal([]);
    });

    it('comes after the disables asked for by the forms', () => {
      const p0 = aPerson({ acao: 'desativar' });
      const snap = provisionedPref()
        .withUser({ ...accountFor(gone, 'pedro.lima') })
        .withUser(accountFor(p0, 'maria.souza'))
        .build();
      expect(disables(plan([p0], snap, { disableMissing: true })).map((d) => d.reason)).to.deep.equal(['form', 'missing']);
    });
  });

  describe('two enabled accounts for one CPF (a manual mistake)', () => {
    const ze = aPerson({ nome: 'Zé Lima', orgao: 'PREF' });
    const twoAccounts = (anaDn: string, biaDn: string) =>
      aSnapshot()
        .withManagedOus('PREF', 'PMC')
        .withGroup(groupDn('SEI-PREF'))
        .withUser({ sAMAccountName: 'ana.lima', dn: anaDn, employeeID: ze.cpf })
        .withUser({ sAMAccountName: 'bia.lima', dn: biaDn, employeeID: ze.cpf })
        .build();
    const touched = (p: ReturnType<typeof plan>) => updates(p).map((u) => u.login);

    it('keeps to the same one run after run, whatever the rename it got does to its DN (by login, never by DN)', () => {
      // Before: Ana's DN sorts first. After the first run renamed it to "Zé Lima" it sorts last.
      expect(touched(plan([ze], twoAccounts(`CN=Ana Lima,${orgaoOu('PREF')}`, `CN=Bia Lima,${orgaoOu('PREF')}`)))).to.deep.equal(['ana.lima']);
      expect(touched(plan([ze], twoAccounts(`CN=Zé Lima,${orgaoOu('PREF')}`, `CN=Bia Lima,${orgaoOu('PREF')}`)))).to.deep.equal(['ana.lima']);
    });

    it('takes the one already in the órgão the forms give, rather than moving the other one there', () => {
      const p = plan([ze], twoAccounts(`CN=Ana Lima,${orgaoOu('PMC')}`, `CN=Bia Lima,${orgaoOu('PREF')}`));
      expect(touched(p)).to.deep.equal(['bia.lima']);
      expect(updates(p)[0]?.fromOrgao).to.equal(undefined);
    });
  });

  it('--disable-missing leaves alone an account whose employeeID is no CPF (an employee number given by hand)', () => {
    const maria = aPerson({ nome: 'Maria Souza' });
    const snapshot = aSnapshot()
      .withManagedOus('PREF')
      .withUser({ sAMAccountName: 'maria.souza', dn: `CN=Maria Souza,${orgaoOu('PREF')}`, employeeID: maria.cpf })
      .withUser({ sAMAccountName: 'svc-sei-pref', dn: `CN=svc-sei-pref,${orgaoOu('PREF')}`, employeeID: 'MAT-00778' })
      .withUser({ sAMAccountName: 'jsilva', dn: `CN=Joao Silva,${orgaoOu('PREF')}`, employeeID: '0' })
      .withUser({ sAMAccountName: 'rui.gone', dn: `CN=Rui Gone,${orgaoOu('PREF')}`, employeeID: aPerson().cpf })
      .build();
    expect(disables(plan([maria], snapshot, { disableMissing: true })).map((d) => d.login)).to.deep.equal(['rui.gone']);
  });
});
