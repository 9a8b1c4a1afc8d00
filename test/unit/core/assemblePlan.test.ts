import { expect } from 'chai';
import { assemblePlan, formatDatePtBr, type AssemblePlanInput } from '../../../src/core/assemblePlan.js';
import { dnDepth, isDnUnder, parseDn, splitDn } from '../../../src/core/dn.js';
import type { DirectorySnapshot, ObservedUser } from '../../../src/domain/directory.js';
import { InternalError } from '../../../src/domain/errors.js';
import type { Person } from '../../../src/domain/form.js';
import type {
  AddMember,
  Change,
  ChangeKind,
  CreateGroup,
  CreateOu,
  CreateTrainingAccount,
  CreateUser,
  DisableUser,
  Plan,
  UpdateUser,
} from '../../../src/domain/plan.js';
import {
  BASE_DN,
  GROUPS_DN,
  NOW,
  ROOT_DN,
  TRAINING_DN,
  TRAINING_PARENT_DN,
  USERS_DN,
  aPerson,
  aPolicy,
  aSnapshot,
  groupDn,
  orgaoOu,
  trainingOu,
} from './builders.js';

function plan(people: Person[], snapshot: DirectorySnapshot = aSnapshot().build(), extra: Partial<AssemblePlanInput> = {}): Plan {
  return assemblePlan({
    people,
    snapshot,
    policy: aPolicy(),
    inputs: [{ file: 'formulario.csv', sha256: 'ab'.repeat(32) }],
    now: NOW,
    ...extra,
  });
}

// Type guards so tests read the fields of one kind without casts.
const ofKind = <K extends ChangeKind>(p: Plan, kind: K): Extract<Change, { kind: K }>[] =>
  p.changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);
const creates = (p: Plan): CreateUser[] => ofKind(p, 'create-user');
const updates = (p: Plan): UpdateUser[] => ofKind(p, 'update-user');
const disables = (p: Plan): DisableUser[] => ofKind(p, 'disable-user');
const adds = (p: Plan): AddMember[] => ofKind(p, 'add-member');
const ous = (p: Plan): string[] => ofKind(p, 'create-ou').map((c: CreateOu) => c.dn);
const groupsCreated = (p: Plan): CreateGroup[] => ofKind(p, 'create-group');
const training = (p: Plan): CreateTrainingAccount[] => ofKind(p, 'create-training-account');
const membersOf = (p: Plan, group: string): string[] | undefined => adds(p).find((a) => a.groupDn === group)?.memberDns;

/** Everything a previous run left for PREF: OUs, groups, training accounts, nesting. */
function provisionedPref() {
  return aSnapshot()
    .withManagedOus('PREF')
    .withGroup(groupDn('SEI-PREF'))
    .withGroup(groupDn('SEI-Treinamento-PREF'), [`CN=usuario01,${trainingOu('PREF')}`, `CN=usuario02,${trainingOu('PREF')}`])
    .withGroup(TRAINING_PARENT_DN, [groupDn('SEI-Treinamento-PREF')])
    .withTrainingAccount('usuario01.pref', `CN=usuario01,${trainingOu('PREF')}`)
    .withTrainingAccount('usuario02.pref', `CN=usuario02,${trainingOu('PREF')}`);
}

/** An account exactly as the tool would have made it for `p`. */
function accountFor(p: Person, login: string, cn = p.nome): ObservedUser & { employeeID: string } {
  const [givenName = '', ...rest] = p.nome.split(' ');
  return {
    userAccountControl: 512,
    uSNChanged: '4711',
    dn: `CN=${cn},${orgaoOu(p.orgao)}`,
    sAMAccountName: login,
    userPrincipalName: `${login}@sei.local`,
    employeeID: p.cpf,
    attributes: {
      displayName: p.nome,
      givenName,
      sn: rest.join(' '),
      mail: p.email,
      company: p.municipio,
      description: `SEI Cidades — ${p.municipio}`,
    },
    memberOf: [groupDn(`SEI-${p.orgao}`)],
  };
}

describe('core/assemblePlan', () => {
  describe('on an empty directory', () => {
    const maria = aPerson({ nome: 'Maria da Conceição', orgao: 'PREF', municipio: 'Campinas', cargo: 'Analista' });
    const p = plan([maria]);

    it('creates the OUs it needs, parents first', () => {
      expect(ous(p)).to.deep.equal([
        ROOT_DN,
        GROUPS_DN,
        TRAINING_DN,
        USERS_DN,
        trainingOu('PREF'),
        orgaoOu('PREF'),
      ]);
      const created = ous(p);
      created.forEach((dn, i) => {
        const parent = splitDn(dn)?.parentDn ?? '';
        if (parent !== BASE_DN) expect(created.indexOf(parent), dn).to.be.within(0, i - 1);
      });
    });

    it('creates the órgão group and the training group, but never the training parent group', () => {
      expect(groupsCreated(p)).to.deep.equal([
        { kind: 'create-group', dn: groupDn('SEI-PREF'), name: 'SEI-PREF', orgao: 'PREF' },
        { kind: 'create-group', dn: groupDn('SEI-Treinamento-PREF'), name: 'SEI-Treinamento-PREF', orgao: 'PREF' },
      ]);
      expect(p.changes.some((c) => 'dn' in c && c.dn === TRAINING_PARENT_DN)).to.equal(false);
    });

    it('creates the person with login, UPN, attributes, groups and the row it came from', () => {
      expect(creates(p)).to.deep.equal([
        {
          kind: 'create-user',
          dn: `CN=Maria da Conceição,${orgaoOu('PREF')}`,
          orgao: 'PREF',
          municipio: 'Campinas',
          cpf: maria.cpf,
          login: 'maria.conceicao',
          upn: 'maria.conceicao@sei.local',
          email: maria.email,
          perfil: 'usuario',
          attributes: {
            displayName: 'Maria da Conceição',
            givenName: 'Maria',
            sn: 'da Conceição',
            mail: maria.email,
            title: 'Analista',
            company: 'Campinas',
            description: 'SEI Cidades — Campinas',
          },
          groups: [groupDn('SEI-PREF')],
          source: { file: maria.file, line: maria.line },
        },
      ]);
    });

    it('creates the training accounts and nests them', () => {
      expect(training(p)).to.deep.equal([
        {
          kind: 'create-training-account',
          dn: `CN=usuario01,${trainingOu('PREF')}`,
          orgao: 'PREF',
          login: 'usuario01.pref',
          upn: 'usuario01.pref@sei.local',
          cn: 'usuario01',
        },
        {
          kind: 'create-training-account',
          dn: `CN=usuario02,${trainingOu('PREF')}`,
          orgao: 'PREF',
          login: 'usuario02.pref',
          upn: 'usuario02.pref@sei.local',
          cn: 'usuario02',
        },
      ]);
      expect(membersOf(p, groupDn('SEI-Treinamento-PREF'))).to.deep.equal([
        `CN=usuario01,${trainingOu('PREF')}`,
        `CN=usuario02,${trainingOu('PREF')}`,
      ]);
      expect(membersOf(p, TRAINING_PARENT_DN)).to.deep.equal([groupDn('SEI-Treinamento-PREF')]);
    });

    it('orders changes by kind', () => {
      const order: ChangeKind[] = [
        'create-ou',
        'create-group',
        'create-user',
        'update-user',
        'disable-user',
        'create-training-account',
        'add-member',
      ];
      const ranks = p.changes.map((c) => order.indexOf(c.kind));
      expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));
      expect(new Set(p.changes.map((c) => c.kind)).size).to.equal(5);
    });

    it('records what it planned against and when', () => {
      expect(p.version).to.equal(1);
      expect(p.createdAt).to.equal(NOW);
      expect(p.inputs).to.deep.equal([{ file: 'formulario.csv', sha256: 'ab'.repeat(32) }]);
      expect(p.observed).to.deep.equal({
        source: 'ldaps://dc.sei.local',
        observedAt: '2026-11-26T14:59:00Z',
        baseDN: BASE_DN,
        users: 0,
        trainingAccounts: 0,
      });
    });

    it('never carries a password', () => {
      expect(JSON.stringify(p)).to.not.match(/password|senha|unicodePwd/i);
    });
  });

  it('creates for acao alterar when the person is not in the directory', () => {
    expect(creates(plan([aPerson({ acao: 'alterar' })]))).to.have.length(1);
  });

  it('does nothing for acao desativar when the person is not in the directory', () => {
    const p = plan([aPerson({ acao: 'desativar', orgao: 'SMS' })]);
    expect(p.changes).to.deep.equal([]);
    expect(p.unchanged).to.deep.equal([]);
  });

  it('skips OUs and groups that already exist, whatever their spelling', () => {
    const snap = aSnapshot()
      .withOus('ou=sei cidades,dc=sei,dc=local', USERS_DN.toUpperCase(), GROUPS_DN, TRAINING_DN, orgaoOu('PREF'), trainingOu('PREF'))
      .withGroup(groupDn('sei-pref'))
      .withGroup(groupDn('SEI-Treinamento-PREF'))
      .build();
    const p = plan([aPerson({ orgao: 'PREF' })], snap);
    expect(ous(p)).to.deep.equal([]);
    expect(groupsCreated(p)).to.deep.equal([]);
    expect(creates(p)).to.have.length(1);
  });

  it('creates only the missing órgão OU and group next to existing ones', () => {
    const p = plan([aPerson({ orgao: 'SMS' })], provisionedPref().build());
    expect(ous(p)).to.deep.equal([trainingOu('SMS'), orgaoOu('SMS')]);
    expect(groupsCreated(p).map((g) => g.name)).to.deep.equal(['SEI-SMS', 'SEI-Treinamento-SMS']);
  });

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

    it('keeps the login and DN of the account, even in another OU and under another name', () => {
      const p0 = aPerson({ nome: 'Carla Mendes', orgao: 'PREF' });
      const account = { ...accountFor(p0, 'carlos.souza', 'Carlos Souza'), dn: `CN=Carlos Souza,OU=Antigo,${USERS_DN}` };
      account.attributes.displayName = 'Carlos Souza';
      const p = plan([p0], provisionedPref().withUser(account).build());
      expect(creates(p)).to.deep.equal([]);
      expect(updates(p)).to.have.length(1);
      expect(updates(p)[0]).to.include({ dn: account.dn, login: 'carlos.souza' });
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

    it('leaves a disabled account disabled when a row says incluir or alterar', () => {
      const p0 = aPerson({ acao: 'alterar', cargo: 'Chefe' });
      const snap = provisionedPref().withUser({ ...accountFor(p0, 'maria.souza'), userAccountControl: 514 }).build();
      const p = plan([p0], snap);
      expect(p.changes.map((c) => c.kind)).to.deep.equal(['update-user']);
      expect(JSON.stringify(p)).to.not.contain('userAccountControl');
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
          expectUsn: '4711',
          source: { file: p0.file, line: p0.line },
        },
      ]);
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
          expectUsn: '4711',
        },
      ]);
    });

    it('never disables someone whose row was rejected for another field: they are still in the forms', () => {
      const p = plan([kept, leaving], snapshot(), { disableMissing: true, rejectedCpfs: [gone.cpf] });
      expect(disables(p)).to.deep.equal([]);
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

  describe('collisions', () => {
    it('gives two namesakes in one órgão two logins and two CNs', () => {
      const p = plan([aPerson({ nome: 'José Silva' }), aPerson({ nome: 'José Silva' })]);
      expect(creates(p).map((c) => [c.login, c.dn])).to.deep.equal([
        ['jose.silva', `CN=José Silva,${orgaoOu('PREF')}`],
        ['jose.silva2', `CN=José Silva (jose.silva2),${orgaoOu('PREF')}`],
      ]);
      expect(membersOf(p, groupDn('SEI-PREF'))).to.have.length(2);
    });

    it('keeps the plain CN for namesakes in different órgãos', () => {
      const p = plan([aPerson({ nome: 'José Silva', orgao: 'PREF' }), aPerson({ nome: 'José Silva', orgao: 'SMS' })]);
      expect(creates(p).map((c) => c.dn)).to.deep.equal([`CN=José Silva,${orgaoOu('PREF')}`, `CN=José Silva,${orgaoOu('SMS')}`]);
    });

    it('avoids logins taken anywhere in the domain, ignoring case', () => {
      const snap = aSnapshot().withTakenLogins('Jose.Silva', 'JOSE.SILVA2').build();
      expect(creates(plan([aPerson({ nome: 'José Silva' })], snap))[0]?.login).to.equal('jose.silva3');
    });

    it('avoids a UPN taken in the domain even when the login is free', () => {
      const snap = aSnapshot().withTakenUpns('jose.silva@sei.local').build();
      expect(creates(plan([aPerson({ nome: 'José Silva' })], snap))[0]).to.include({
        login: 'jose.silva2',
        upn: 'jose.silva2@sei.local',
      });
    });

    it('avoids CNs already in the OU, ignoring case', () => {
      const snap = aSnapshot()
        .withManagedOus('PREF')
        .withUser({ sAMAccountName: 'outro', dn: `CN=JOSÉ SILVA,${orgaoOu('PREF')}`, employeeID: '11111111111' })
        .build();
      expect(creates(plan([aPerson({ nome: 'José Silva' })], snap))[0]?.dn).to.equal(`CN=José Silva (jose.silva),${orgaoOu('PREF')}`);
    });

    it('reserves training logins before people take them', () => {
      const p = plan([aPerson({ nome: 'Usuario01 Pref', orgao: 'PREF' })]);
      expect(creates(p)[0]?.login).to.equal('usuario01.pref2');
      expect(training(p).map((t) => t.login)).to.include('usuario01.pref');
    });

    it('refuses two people with one CPF (validation keeps one)', () => {
      const a = aPerson();
      expect(() => plan([a, { ...a, line: 99 }])).to.throw(InternalError);
    });
  });

  describe('DNs', () => {
    it('escapes special characters in names', () => {
      const nome = '#Zé "Bom", Silva + <Cia>; a=b\\c';
      const p = plan([aPerson({ nome })]);
      const dn = creates(p)[0]?.dn ?? '';
      expect(parseDn(dn)[0]).to.deep.equal({ type: 'CN', value: nome });
      expect(isDnUnder(dn, orgaoOu('PREF'))).to.equal(true);
      expect(membersOf(p, groupDn('SEI-PREF'))).to.deep.equal([dn]);
    });

    it('escapes leading and trailing spaces in configured OU names', () => {
      const p = plan([aPerson({ nome: 'x', nomeSocial: undefined })], aSnapshot().build(), {
        policy: aPolicy({ rootOu: ' SEI Cidades ' }),
      });
      expect(ous(p)[0]).to.equal('OU=\\ SEI Cidades\\ ,DC=sei,DC=local');
    });
  });

  describe('memberships', () => {
    it('batches new members per group and leaves out those already present', () => {
      const a = aPerson({ nome: 'Ana Reis', perfil: 'interlocutor' });
      const b = aPerson({ nome: 'Bia Lima', perfil: 'interlocutor' });
      const c = aPerson({ nome: 'Caio Dias' });
      const present = aPerson({ nome: 'Davi Melo' });
      const snap = provisionedPref()
        .withUser({ ...accountFor(present, 'davi.melo'), memberOf: [] })
        .withGroup(groupDn('SEI-Interlocutores'))
        .build();
      const group = snap.groups.find((g) => g.dn === groupDn('SEI-PREF'));
      group?.members.push(`CN=Davi Melo,${orgaoOu('PREF')}`.toUpperCase());
      const p = plan([a, b, c, present], snap);
      expect(adds(p)).to.deep.equal([
        {
          kind: 'add-member',
          groupDn: groupDn('SEI-Interlocutores'),
          memberDns: [`CN=Ana Reis,${orgaoOu('PREF')}`, `CN=Bia Lima,${orgaoOu('PREF')}`],
        },
        {
          kind: 'add-member',
          groupDn: groupDn('SEI-PREF'),
          memberDns: [`CN=Ana Reis,${orgaoOu('PREF')}`, `CN=Bia Lima,${orgaoOu('PREF')}`, `CN=Caio Dias,${orgaoOu('PREF')}`],
        },
      ]);
    });
  });

  describe('training', () => {
    it('creates only the missing accounts and nests the ones left out of the group', () => {
      const snap = aSnapshot()
        .withManagedOus('PREF')
        .withGroup(groupDn('SEI-PREF'))
        .withGroup(groupDn('SEI-Treinamento-PREF'))
        .withGroup(TRAINING_PARENT_DN)
        .withTrainingAccount('USUARIO01.PREF', `CN=usuario01,${trainingOu('PREF')}`)
        .build();
      const p = plan([aPerson()], snap);
      expect(training(p).map((t) => t.login)).to.deep.equal(['usuario02.pref']);
      expect(membersOf(p, groupDn('SEI-Treinamento-PREF'))).to.deep.equal([
        `CN=usuario01,${trainingOu('PREF')}`,
        `CN=usuario02,${trainingOu('PREF')}`,
      ]);
      expect(membersOf(p, TRAINING_PARENT_DN)).to.deep.equal([groupDn('SEI-Treinamento-PREF')]);
    });

    it('does not join the parent group again', () => {
      const p = plan([aPerson()], provisionedPref().build());
      expect(membersOf(p, TRAINING_PARENT_DN)).to.equal(undefined);
      expect(training(p)).to.deep.equal([]);
    });

    it('covers every órgão with someone to train, and none with only desativar rows', () => {
      const p = plan([aPerson({ orgao: 'SMS' }), aPerson({ orgao: 'CAM', acao: 'desativar' }), aPerson({ orgao: 'PREF' })]);
      expect([...new Set(training(p).map((t) => t.orgao))]).to.deep.equal(['PREF', 'SMS']);
      expect(ous(p)).to.not.include(trainingOu('CAM'));
    });

    it('is left out entirely with training: false', () => {
      const p = plan([aPerson()], aSnapshot().build(), { training: false });
      expect(training(p)).to.deep.equal([]);
      expect(ous(p)).to.not.include(TRAINING_DN);
      expect(groupsCreated(p).map((g) => g.name)).to.deep.equal(['SEI-PREF']);
      expect(membersOf(p, TRAINING_PARENT_DN)).to.equal(undefined);
    });
  });

  describe('determinism', () => {
    const people = [
      aPerson({ nome: 'José Silva', orgao: 'SMS', perfil: 'administrador' }),
      aPerson({ nome: 'José Silva', orgao: 'SMS' }),
      aPerson({ nome: 'Ana Reis', orgao: 'PREF', acao: 'desativar' }),
      aPerson({ nome: 'Bia Lima', orgao: 'PREF' }),
    ];
    const rui = aPerson({ nome: 'Rui Dias' });
    const lia = aPerson({ nome: 'Lia Paz' });
    const build = (reverse: boolean): DirectorySnapshot => {
      const s = provisionedPref()
        .withUser(accountFor(people[2] as Person, 'ana.reis'))
        .withUser(accountFor(rui, 'rui.dias'))
        .withUser(accountFor(lia, 'lia.paz'))
        .build();
      if (reverse) {
        s.users.reverse();
        s.groups.reverse();
        s.ous.reverse();
        s.trainingAccounts.reverse();
      }
      return s;
    };

    it('gives the same plan for the same input, whatever order the server listed entries in', () => {
      const a = plan(people, build(false), { disableMissing: true });
      const b = plan(people, build(true), { disableMissing: true });
      expect(JSON.stringify(b.changes)).to.equal(JSON.stringify(a.changes));
      expect(a.changes.map((c) => c.kind)).to.include.members([
        'create-ou',
        'create-group',
        'create-user',
        'disable-user',
        'create-training-account',
        'add-member',
      ]);
      expect(ous(a).map(dnDepth)).to.deep.equal([...ous(a).map(dnDepth)].sort((x, y) => x - y));
    });

    it('processes people in input order', () => {
      const p = plan(people);
      expect(creates(p).map((c) => c.login)).to.deep.equal(['jose.silva', 'jose.silva2', 'bia.lima']);
    });
  });
});
