/**
 * The pure side of what the fault suites found, pinned without a server: a training account left half
 * created by a crash is planned again (and a saved plan that finishes it is not stale), while one an
 * administrator disabled is left to the reset; a hand-edited plan that writes attributes the tool never
 * manages, or a "disable" that does not disable, is out of scope.
 */
import { expect } from 'chai';
import { findStaleness } from '../../src/app/savedPlan.js';
import { assemblePlan } from '../../src/core/assemblePlan.js';
import { assertPlanInScope } from '../../src/core/scope.js';
import type { DirectorySnapshot } from '../../src/domain/directory.js';
import type { CreateTrainingAccount, Plan } from '../../src/domain/plan.js';
import { NOW, aPerson, aPolicy, aSnapshot, trainingOu } from '../unit/core/builders.js';

const training = (p: Plan): CreateTrainingAccount[] => p.changes.filter((c): c is CreateTrainingAccount => c.kind === 'create-training-account');

function withTraining(uac: number, pwdLastSet: string): DirectorySnapshot {
  const s = aSnapshot().withTrainingAccount('usuario01.pref', `CN=usuario01,${trainingOu('PREF')}`).build();
  s.trainingAccounts[0]!.userAccountControl = uac;
  s.trainingAccounts[0]!.pwdLastSet = pwdLastSet;
  return s;
}

const plan = (snapshot: DirectorySnapshot) => assemblePlan({ people: [aPerson()], snapshot, policy: aPolicy(), inputs: [], now: NOW });

describe('plan guards found by the fault suites (pure)', () => {
  it('plans again a training account a crash left disabled without a password, at its DN', () => {
    const p = plan(withTraining(66050, '0'));
    expect(training(p).map((t) => t.login)).to.deep.equal(['usuario01.pref', 'usuario02.pref']);
    expect(training(p)[0]!.dn).to.equal(`CN=usuario01,${trainingOu('PREF')}`);
    // …and a saved plan finishing it is not stale for that reason.
    expect(findStaleness(p, withTraining(66050, '0'))).to.deep.equal([]);
  });

  it('leaves alone a training account someone disabled after it got its password', () => {
    const p = plan(withTraining(66050, '134400000000000001'));
    expect(training(p).map((t) => t.login)).to.deep.equal(['usuario02.pref']);
    expect(findStaleness(plan(withTraining(66050, '0')), withTraining(66050, '134400000000000001'))).to.have.length(1);
  });

  it('refuses a plan whose changes write attributes the tool does not manage, or a disable that enables', () => {
    const p = plan(aSnapshot().build());
    expect(assertPlanInScope(p, aPolicy())).to.deep.equal([]);
    const create = p.changes.find((c) => c.kind === 'create-user');
    if (create?.kind !== 'create-user') throw new Error('no create-user');
    (create.attributes as Record<string, string>).primaryGroupID = '512';
    p.changes.push({
      kind: 'update-user',
      dn: create.dn,
      orgao: 'PREF',
      cpf: create.cpf,
      login: create.login,
      changes: [{ attribute: 'userAccountControl' as 'title', before: '512', after: '66048' }],
      expectUsn: '1',
      source: create.source,
    });
    p.changes.push({ kind: 'disable-user', dn: create.dn, orgao: 'PREF', cpf: create.cpf, login: create.login, reason: 'form', description: 'x', userAccountControl: 512 | 0x80000, expectUsn: '1' });
    const v = assertPlanInScope(p, aPolicy());
    expect(v).to.have.length(3);
    expect(v.join('\n')).to.contain('primaryGroupID').and.contain('userAccountControl').and.contain('não desativa');
  });
});
