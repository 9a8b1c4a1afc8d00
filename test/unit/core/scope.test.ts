import { expect } from 'chai';
import { assemblePlan } from '../../../src/core/assemblePlan.js';
import { assertPlanInScope, checkScope, isPrivilegedGroup } from '../../../src/core/scope.js';
import type { Change, Plan } from '../../../src/domain/plan.js';
import { BASE_DN, GROUPS_DN, NOW, ROOT_DN, TRAINING_PARENT_DN, aPerson, aPolicy, aSnapshot, groupDn, orgaoOu } from './builders.js';

const fullPlan = (policy = aPolicy()): Plan =>
  assemblePlan({
    people: [aPerson({ perfil: 'administrador' }), aPerson({ nome: 'José, "Zé" Silva', orgao: 'SMS' })],
    snapshot: aSnapshot().build(),
    policy,
    inputs: [],
    now: NOW,
  });

const withChanges = (...changes: Change[]): Plan => ({ ...fullPlan(), changes });

describe('core/scope', () => {
  describe('checkScope', () => {
    it('accepts a root and anything under it', () => {
      expect(checkScope(ROOT_DN, [ROOT_DN])).to.equal(true);
      expect(checkScope(`CN=x,${orgaoOu('PREF')}`, [ROOT_DN])).to.equal(true);
      expect(checkScope('cn=x,ou=sei cidades,dc=SEI,dc=local', [ROOT_DN])).to.equal(true);
    });
    it('refuses the parent, siblings and look-alikes', () => {
      expect(checkScope(BASE_DN, [ROOT_DN])).to.equal(false);
      expect(checkScope(`CN=Administrator,CN=Users,${BASE_DN}`, [ROOT_DN])).to.equal(false);
      expect(checkScope(`CN=x\\,OU=SEI Cidades,${BASE_DN}`, [ROOT_DN])).to.equal(false);
      expect(checkScope(`CN=x,OU=Outra SEI Cidades,${BASE_DN}`, [ROOT_DN])).to.equal(false);
    });
    it('refuses a twin of the root the server keeps apart: behind a BOM or a zero-width, or with its accents decomposed', () => {
      // Escaped or typed, a byte-order mark once vanished at decoding and the twin read as the root itself.
      expect(checkScope(`CN=x,OU=\\EF\\BB\\BFSEI Cidades,${BASE_DN}`, [ROOT_DN])).to.equal(false);
      expect(checkScope(`OU=\\EF\\BB\\BFSEI Cidades,${BASE_DN}`, [ROOT_DN])).to.equal(false);
      expect(checkScope(`CN=x,OU=SEI\u200B Cidades,${BASE_DN}`, [ROOT_DN])).to.equal(false);
      const accented = `OU=SEI Municípios,${BASE_DN}`;
      expect(checkScope(`CN=x,${accented}`, [accented])).to.equal(true);
      expect(checkScope(`CN=x,${accented.normalize('NFD')}`, [accented])).to.equal(false);
    });
    it('but below the root, takes a name made by hand with a decomposed accent or a soft hyphen for what it is: in scope', () => {
      expect(checkScope(`CN=${'José Souza'.normalize('NFD')},${orgaoOu('PREF')}`, [ROOT_DN])).to.equal(true);
      expect(checkScope(`CN=Sou\u00ADza,OU=Pr\u200Bef,OU=Usuarios,${ROOT_DN}`, [ROOT_DN])).to.equal(true);
    });
    it('refuses what does not parse, and accepts any of several roots', () => {
      expect(checkScope(`CN=a+CN=b,${ROOT_DN}`, [ROOT_DN])).to.equal(false);
      expect(checkScope(`CN=x,${ROOT_DN}`, ['OU=,', ROOT_DN])).to.equal(true);
      expect(checkScope(`CN=x,${ROOT_DN}`, [])).to.equal(false);
    });
  });

  describe('isPrivilegedGroup', () => {
    it('recognises built-in administrative groups by CN, ignoring case', () => {
      for (const cn of [
        'Domain Admins',
        'enterprise admins',
        'ADMINISTRATORS',
        'Schema Admins',
        'Account Operators',
        'Backup Operators',
        'Server Operators',
        'Print Operators',
        'Domain Controllers',
        'Group Policy Creator Owners',
        'Key Admins',
        'Enterprise Key Admins',
      ]) {
        expect(isPrivilegedGroup(`CN=${cn},CN=Users,${BASE_DN}`), cn).to.equal(true);
      }
    });
    it('recognises them wherever they are, even inside the managed root', () => {
      expect(isPrivilegedGroup(`CN=Domain Admins,${GROUPS_DN}`)).to.equal(true);
    });
    it('recognises pt-BR names with or without accents, and anything in CN=Builtin', () => {
      expect(isPrivilegedGroup(`CN=Admins. do domínio,CN=Users,${BASE_DN}`)).to.equal(true);
      expect(isPrivilegedGroup(`CN=admins. do dominio,CN=Users,${BASE_DN}`)).to.equal(true);
      expect(isPrivilegedGroup(`CN=Remote Desktop Users,CN=Builtin,${BASE_DN}`)).to.equal(true);
    });
    it('leaves the tool’s own groups alone', () => {
      expect(isPrivilegedGroup(groupDn('SEI-Administradores'))).to.equal(false);
      expect(isPrivilegedGroup(groupDn('SEI-PREF'))).to.equal(false);
      expect(isPrivilegedGroup(`CN=Domain Admins Helpers,${GROUPS_DN}`)).to.equal(false);
    });
  });

  describe('assertPlanInScope', () => {
    it('passes a plan the core assembled', () => {
      expect(assertPlanInScope(fullPlan(), aPolicy())).to.deep.equal([]);
    });

    it('reports every DN outside the root, one sentence each', () => {
      const outside = `CN=x,CN=Users,${BASE_DN}`;
      const v = assertPlanInScope(
        withChanges(
          { kind: 'create-ou', dn: `OU=Outra,${BASE_DN}` },
          {
            kind: 'update-user',
            dn: outside,
            orgao: 'PREF',
            cpf: '1',
            login: 'x',
            changes: [],
            expectUsn: '1',
            source: { file: 'f', line: 2 },
          },
          { kind: 'add-member', groupDn: groupDn('SEI-PREF'), memberDns: [`CN=ok,${orgaoOu('PREF')}`, outside] },
        ),
        aPolicy(),
      );
      expect(v).to.have.length(3);
      expect(v[0]).to.contain(`OU=Outra,${BASE_DN}`).and.contain(ROOT_DN);
      expect(v[1]).to.contain('update-user').and.contain(outside);
      expect(v[2]).to.contain('add-member').and.contain(outside);
    });

    it('lets a change of órgão move a person only between places under the users branch', () => {
      const update = (dn: string, moveTo: string): Change => ({
        kind: 'update-user',
        dn,
        orgao: 'CAM',
        cpf: '1',
        login: 'x',
        changes: [],
        moveTo,
        expectUsn: '1',
        source: { file: 'f', line: 2 },
      });
      const person = `CN=x,${orgaoOu('PREF')}`;
      expect(assertPlanInScope(withChanges(update(person, `CN=x,${orgaoOu('CAM')}`)), aPolicy())).to.deep.equal([]);
      for (const [from, to] of [
        [person, `CN=x,OU=Treinamento,${ROOT_DN}`],
        [person, `CN=x,${GROUPS_DN}`],
        [`CN=usuario01,OU=PREF,OU=Treinamento,${ROOT_DN}`, `CN=usuario01,${orgaoOu('CAM')}`],
        [person, `CN=x,CN=Users,${BASE_DN}`],
      ] as const) {
        const v = assertPlanInScope(withChanges(update(from, to)), aPolicy());
        expect(v.some((s) => s.includes('mudança de órgão')), `${from} -> ${to}`).to.equal(true);
      }
    });

    it('checks the group and every member of a removal: never a privileged group, never from outside', () => {
      const admins = `CN=Domain Admins,${GROUPS_DN}`;
      const outside = `CN=x,CN=Users,${BASE_DN}`;
      const ok = { kind: 'remove-member', groupDn: groupDn('SEI-PREF'), memberDns: [`CN=x,${orgaoOu('PREF')}`] } as const;
      expect(assertPlanInScope(withChanges({ ...ok, memberDns: [...ok.memberDns] }), aPolicy())).to.deep.equal([]);
      const v = assertPlanInScope(
        withChanges({ kind: 'remove-member', groupDn: admins, memberDns: [`CN=x,${orgaoOu('PREF')}`] }, { ...ok, memberDns: [outside] }),
        aPolicy(),
      );
      expect(v).to.have.length(4);
      expect(v[0]).to.contain('privilegiado');
      expect(v[1]).to.contain(admins).and.contain('grupo de pessoas');
      expect(v[2]).to.contain(outside).and.contain('fora da UO gerenciada');
      expect(v[3]).to.contain(outside).and.contain('conta de pessoa');
    });

    it('lets a saved plan take members only out of people\'s groups, and only people', () => {
      const training = `CN=SEI-Treinamento-PREF,${GROUPS_DN}`;
      const cases: [string, string][] = [
        // A training group out of the PSO group: the PSO would no longer reach its accounts.
        [TRAINING_PARENT_DN, training],
        [training, `CN=usuario01,OU=PREF,OU=Treinamento,${ROOT_DN}`],
        [`CN=SEI-PREF,OU=Outros,${ROOT_DN}`, `CN=x,${orgaoOu('PREF')}`],
        [groupDn('SEI Gestores Especiais'), `CN=x,${orgaoOu('PREF')}`],
        [groupDn('SEI-PREF'), groupDn('SEI-Interlocutores')],
      ];
      for (const [group, member] of cases) {
        const v = assertPlanInScope(withChanges({ kind: 'remove-member', groupDn: group, memberDns: [member] }), aPolicy());
        expect(v, `${member} out of ${group}`).to.not.deep.equal([]);
      }
    });

    it('reports a change moved outside by an escaped comma', () => {
      const plan = fullPlan();
      const sneaky = `CN=x\\,OU=SEI Cidades,${BASE_DN}`;
      plan.changes.push({
        kind: 'disable-user',
        dn: sneaky,
        orgao: 'PREF',
        cpf: '1',
        login: 'x',
        reason: 'missing',
        description: '',
        userAccountControl: 514,
        expectUsn: '1',
      });
      expect(assertPlanInScope(plan, aPolicy())).to.have.length(1);
    });

    it('reports privileged groups, even under the root', () => {
      const admins = `CN=Domain Admins,${GROUPS_DN}`;
      const v = assertPlanInScope(
        withChanges(
          { kind: 'create-group', dn: admins, name: 'Domain Admins' },
          { kind: 'add-member', groupDn: admins, memberDns: [`CN=x,${orgaoOu('PREF')}`] },
        ),
        aPolicy(),
      );
      expect(v).to.have.length(2);
      expect(v.every((s) => s.includes('privilegiado'))).to.equal(true);
    });

    it('checks the groups a new account is meant to join', () => {
      const plan = fullPlan();
      const create = plan.changes.find((c) => c.kind === 'create-user');
      if (create?.kind !== 'create-user') throw new Error('no create-user');
      create.groups.push(`CN=Administradores,CN=Builtin,${BASE_DN}`);
      const v = assertPlanInScope(plan, aPolicy());
      expect(v).to.have.length(2); // outside, and privileged
    });

    it('allows joining the training parent group only because it lies under the root', () => {
      expect(assertPlanInScope(fullPlan(), aPolicy())).to.deep.equal([]);
      expect(fullPlan().changes.some((c) => c.kind === 'add-member' && c.groupDn === TRAINING_PARENT_DN)).to.equal(true);
      const outsideParent = `CN=SEI-Treinamento,CN=Users,${BASE_DN}`;
      const policy = aPolicy({ trainingParentGroupDn: outsideParent });
      const v = assertPlanInScope(fullPlan(policy), policy);
      expect(v).to.have.length(1);
      expect(v[0]).to.contain(outsideParent);
    });

    it('refuses a training account anywhere but the training branch, even under the root (its password is its name)', () => {
      const plan = fullPlan();
      const training = plan.changes.find((c) => c.kind === 'create-training-account');
      const person = plan.changes.find((c) => c.kind === 'create-user');
      if (training?.kind !== 'create-training-account' || person?.kind !== 'create-user') throw new Error('fixture');
      training.dn = person.dn;
      const v = assertPlanInScope(plan, aPolicy());
      expect(v).to.have.length(1);
      expect(v[0]).to.contain(person.dn).and.contain('treinamento');
    });

    it('uses the root from the policy', () => {
      const other = aPolicy({ rootOu: 'Outra' });
      expect(assertPlanInScope(fullPlan(), other).length).to.be.greaterThan(0);
    });
  });
});
