import { expect } from 'chai';
import { normaliseTrainingOrgaos, planTraining } from '../../../src/core/planTraining.js';
import type { Change, ChangeKind, Plan } from '../../../src/domain/plan.js';
import { GROUPS_DN, NOW, ROOT_DN, TRAINING_DN, TRAINING_PARENT_DN, aPolicy, aSnapshot, groupDn, orgaoOu, trainingOu } from '../core/builders.js';

const ofKind = <K extends ChangeKind>(p: Plan, kind: K): Extract<Change, { kind: K }>[] =>
  p.changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);

describe('training plan for named órgãos', () => {
  it('normalises siglas as the forms do: trimmed, uppercased, once each; the unusable ones apart', () => {
    expect(normaliseTrainingOrgaos([' pmc', 'SMS', 'PMC', 'x', 'AB-C', '12345678901', 'sp2'])).to.deep.equal({
      orgaos: ['PMC', 'SMS', 'SP2'],
      invalid: ['x', 'AB-C', '12345678901'],
    });
  });

  it('plans only the training environment of those órgãos on an empty directory', () => {
    const policy = aPolicy({ trainingCount: 2 });
    const plan = planTraining({ orgaos: ['SMS', 'PMC'], snapshot: aSnapshot().withOus(ROOT_DN, TRAINING_DN).build(), policy, now: NOW });
    expect(ofKind(plan, 'create-user')).to.deep.equal([]);
    expect(ofKind(plan, 'create-ou').map((c) => c.dn)).to.deep.equal([GROUPS_DN, trainingOu('PMC'), trainingOu('SMS')]);
    expect(plan.changes.some((c) => 'dn' in c && c.dn === orgaoOu('PMC'))).to.equal(false);
    expect(ofKind(plan, 'create-group').map((c) => c.name)).to.deep.equal(['SEI-Treinamento-PMC', 'SEI-Treinamento-SMS']);
    // Sorted by órgão whatever the order typed, so the same command gives the same plan.
    expect(ofKind(plan, 'create-training-account').map((c) => c.login)).to.deep.equal([
      'usuario01.pmc',
      'usuario02.pmc',
      'usuario01.sms',
      'usuario02.sms',
    ]);
    const adds = ofKind(plan, 'add-member');
    expect(adds.find((a) => a.groupDn === TRAINING_PARENT_DN)?.memberDns).to.deep.equal([
      groupDn('SEI-Treinamento-PMC'),
      groupDn('SEI-Treinamento-SMS'),
    ]);
    expect(adds.find((a) => a.groupDn === groupDn('SEI-Treinamento-PMC'))?.memberDns).to.deep.equal([
      `CN=usuario01,${trainingOu('PMC')}`,
      `CN=usuario02,${trainingOu('PMC')}`,
    ]);
    expect(plan.inputs).to.deep.equal([]);
  });

  it('plans nothing when the órgão is complete', () => {
    const policy = aPolicy({ trainingCount: 2 });
    const snapshot = aSnapshot()
      .withManagedOus('PMC')
      .withGroup(groupDn('SEI-Treinamento-PMC'), [`CN=usuario01,${trainingOu('PMC')}`, `CN=usuario02,${trainingOu('PMC')}`])
      .withGroup(TRAINING_PARENT_DN, [groupDn('SEI-Treinamento-PMC')])
      .withTrainingAccount('usuario01.pmc', `CN=usuario01,${trainingOu('PMC')}`)
      .withTrainingAccount('usuario02.pmc', `CN=usuario02,${trainingOu('PMC')}`)
      .build();
    expect(planTraining({ orgaos: ['PMC'], snapshot, policy, now: NOW }).changes).to.deep.equal([]);
  });

  it('creates only the accounts that are missing when the count grew', () => {
    const policy = aPolicy({ trainingCount: 3 });
    const snapshot = aSnapshot()
      .withManagedOus('PMC')
      .withGroup(groupDn('SEI-Treinamento-PMC'), [`CN=usuario01,${trainingOu('PMC')}`])
      .withGroup(TRAINING_PARENT_DN, [groupDn('SEI-Treinamento-PMC')])
      .withTrainingAccount('usuario01.pmc', `CN=usuario01,${trainingOu('PMC')}`)
      .build();
    const plan = planTraining({ orgaos: ['PMC'], snapshot, policy, now: NOW });
    expect(ofKind(plan, 'create-training-account').map((c) => c.cn)).to.deep.equal(['usuario02', 'usuario03']);
    expect(ofKind(plan, 'create-ou')).to.deep.equal([]);
    expect(ofKind(plan, 'create-group')).to.deep.equal([]);
  });
});
