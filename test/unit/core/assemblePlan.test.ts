import { expect } from 'chai';
import { dnDepth, isDnUnder, parseDn, splitDn } from '../../../src/core/dn.js';
import type { DirectorySnapshot } from '../../../src/domain/directory.js';
import { InternalError } from '../../../src/domain/errors.js';
import type { Person } from '../../../src/domain/form.js';
import type { ChangeKind } from '../../../src/domain/plan.js';
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
import {
  plan,
  creates,
  adds,
  ous,
  groupsCreated,
  training,
  membersOf,
  provisionedPref,
  accountFor,
} from './planFixtures.js';

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
      expect(p.version).to.equal(2);
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

    it('takes CNs and logins that differ only by accents, width or ß for the same name, as AD does', () => {
      const p = plan([aPerson({ nome: 'José Silva' }), aPerson({ nome: 'Jose Silva' }), aPerson({ nome: 'Ｍａｒｉａ Souza' }), aPerson({ nome: 'Maria Souza' }), aPerson({ nome: 'Ana Meißner' }), aPerson({ nome: 'Ana Meissner' })]);
      expect(creates(p).map((c) => splitDn(c.dn)?.rdn.value)).to.deep.equal([
        'José Silva',
        'Jose Silva (jose.silva2)',
        'Ｍａｒｉａ Souza',
        'Maria Souza (maria.souza2)',
        'Ana Meißner',
        'Ana Meissner (ana.meissner2)',
      ]);
      const existing = aSnapshot()
        .withManagedOus('PREF')
        .withUser({ sAMAccountName: 'outro', dn: `CN=Joao Silva,${orgaoOu('PREF')}`, employeeID: '11111111111' })
        .withTakenLogins('joão.silva')
        .build();
      expect(creates(plan([aPerson({ nome: 'João Silva' })], existing)).map((c) => [c.login, splitDn(c.dn)?.rdn.value])).to.deep.equal([['joao.silva2', 'João Silva (joao.silva2)']]);
    });

    it('reserves training logins before people take them', () => {
      const p = plan([aPerson({ nome: 'Usuario01 Pref', orgao: 'PREF' })]);
      expect(creates(p)[0]?.login).to.equal('usuario01.pref2');
      expect(training(p).map((t) => t.login)).to.include('usuario01.pref');
    });

    it('refuses two people with one CPF (validation keeps one)', () => {
      const a = aPerson();
      expect(() => plan([a, { ...a, line: 99 }])).to.throw(InternalError, new RegExp(`linha 99 .* da linha ${a.line} `));
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

    it('joins a perfil group that is the órgão\'s own group under another spelling once, not twice', () => {
      const admin = aPerson({ nome: 'Ana Reis', orgao: 'ADM', perfil: 'administrador' });
      const p = plan([admin], aSnapshot().build(), { training: false, policy: aPolicy({ perfilGroups: { administrador: 'sei-adm' } }) });
      expect(creates(p)[0]?.groups).to.deep.equal([groupDn('SEI-ADM')]);
      expect(adds(p)).to.deep.equal([{ kind: 'add-member', groupDn: groupDn('SEI-ADM'), memberDns: [`CN=Ana Reis,${orgaoOu('ADM')}`] }]);
    });
  });

  describe('training', () => {
    /** Órgão PREF provisioned with its groups, the parent training group and one training account. */
    const prefWithTrainingAccount = (login: string, dn: string): DirectorySnapshot =>
      aSnapshot()
        .withManagedOus('PREF')
        .withGroup(groupDn('SEI-PREF'))
        .withGroup(groupDn('SEI-Treinamento-PREF'))
        .withGroup(TRAINING_PARENT_DN)
        .withTrainingAccount(login, dn)
        .build();

    it('creates only the missing accounts and nests the ones left out of the group', () => {
      const p = plan([aPerson()], prefWithTrainingAccount('USUARIO01.PREF', `CN=usuario01,${trainingOu('PREF')}`));
      expect(training(p).map((t) => t.login)).to.deep.equal(['usuario02.pref']);
      expect(membersOf(p, groupDn('SEI-Treinamento-PREF'))).to.deep.equal([
        `CN=usuario01,${trainingOu('PREF')}`,
        `CN=usuario02,${trainingOu('PREF')}`,
      ]);
      expect(membersOf(p, TRAINING_PARENT_DN)).to.deep.equal([groupDn('SEI-Treinamento-PREF')]);
    });

    it('names each member once when an account was moved by hand onto another one\'s DN', () => {
      // usuario02.pref sits at CN=usuario01 (renamed in the console); usuario01.pref is missing and is planned
      // at CN=usuario01 too. The group's one modify must not list that DN twice (AD refuses the whole modify).
      const snap = prefWithTrainingAccount('usuario02.pref', `CN=usuario01,${trainingOu('PREF')}`);
      const members = membersOf(plan([aPerson()], snap), groupDn('SEI-Treinamento-PREF')) ?? [];
      expect(members).to.deep.equal([`CN=usuario01,${trainingOu('PREF')}`]);
    });

    it('names every new account of an órgão with none yet, in order, once each', () => {
      const p = plan([aPerson({ orgao: 'SMS' }), aPerson({ orgao: 'PREF' })]);
      expect(membersOf(p, groupDn('SEI-Treinamento-SMS'))).to.deep.equal([`CN=usuario01,${trainingOu('SMS')}`, `CN=usuario02,${trainingOu('SMS')}`]);
      expect(membersOf(p, groupDn('SEI-Treinamento-PREF'))).to.deep.equal([`CN=usuario01,${trainingOu('PREF')}`, `CN=usuario02,${trainingOu('PREF')}`]);
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
