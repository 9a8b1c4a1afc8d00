import { expect } from 'chai';
import { assemblePlan } from '../../../src/core/assemblePlan.js';
import { findStaleness } from '../../../src/app/savedPlan.js';
import { aPerson, aPolicy, aSnapshot, NOW, orgaoOu } from '../core/builders.js';

describe('saved plan staleness', () => {
  const cpf = aPerson().cpf;
  const dn = `CN=Maria Souza,${orgaoOu('PREF')}`;
  const observed = () =>
    aSnapshot()
      .withManagedOus('PREF')
      .withUser({ sAMAccountName: 'maria.souza', dn, employeeID: cpf, attributes: { title: 'Analista' }, uSNChanged: '500' });

  it('a plan is fresh against the directory it was made from', () => {
    const snapshot = observed().build();
    const plan = assemblePlan({ people: [aPerson({ cpf, cargo: 'Diretora' })], snapshot, policy: aPolicy(), inputs: [], now: NOW });
    expect(plan.changes.some((c) => c.kind === 'update-user')).to.equal(true);
    expect(findStaleness(plan, snapshot)).to.deep.equal([]);
  });

  it('is stale when an entry it updates changed since (uSNChanged moved)', () => {
    const plan = assemblePlan({ people: [aPerson({ cpf, cargo: 'Diretora' })], snapshot: observed().build(), policy: aPolicy(), inputs: [], now: NOW });
    const later = observed().build();
    later.users[0]!.uSNChanged = '501';
    const problems = findStaleness(plan, later);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain('Maria Souza');
  });

  it('is stale when the new órgão OU got an entry of the name a move would take', () => {
    const snapshot = observed().build();
    const plan = assemblePlan({ people: [aPerson({ cpf, orgao: 'CAM' })], snapshot, policy: aPolicy(), inputs: [], now: NOW });
    const moveTo = `CN=Maria Souza,${orgaoOu('CAM')}`;
    expect(plan.changes.find((c) => c.kind === 'update-user')).to.include({ moveTo });
    expect(findStaleness(plan, snapshot)).to.deep.equal([]);
    const later = observed().withUser({ sAMAccountName: 'outra.maria', dn: moveTo, employeeID: aPerson().cpf, uSNChanged: '600' }).build();
    const problems = findStaleness(plan, later);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain(moveTo);
  });

  it('is stale when what it creates exists now, or its login was taken meanwhile', () => {
    const empty = aSnapshot().build();
    const plan = assemblePlan({ people: [aPerson({ nome: 'João Silva' })], snapshot: empty, policy: aPolicy(), inputs: [], now: NOW });
    const create = plan.changes.find((c) => c.kind === 'create-user');
    expect(create).to.not.equal(undefined);
    expect(findStaleness(plan, aSnapshot().withTakenLogins('joao.silva').build())[0]).to.contain('joao.silva');
    const training = plan.changes.find((c) => c.kind === 'create-training-account');
    expect(training).to.not.equal(undefined);
    const withTraining = aSnapshot().withTrainingAccount('usuario01.pref', training!.dn).build();
    expect(findStaleness(plan, withTraining).length).to.be.greaterThan(0);
  });

  it('is stale when the person it creates an account for got one since, under another name', () => {
    const plan = assemblePlan({ people: [aPerson({ cpf, nome: 'Maria Souza' })], snapshot: aSnapshot().build(), policy: aPolicy(), inputs: [], now: NOW });
    expect(plan.changes.some((c) => c.kind === 'create-user')).to.equal(true);
    // A corrected form ("Maria da Silva Souza") made her account elsewhere before this plan was applied.
    const later = aSnapshot()
      .withManagedOus('PREF')
      .withUser({ sAMAccountName: 'maria.dsouza', dn: `CN=Maria da Silva Souza,${orgaoOu('PREF')}`, employeeID: cpf, attributes: {}, uSNChanged: '600' })
      .build();
    const problems = findStaleness(plan, later);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain('Maria da Silva Souza').and.not.to.contain(cpf);
  });

  it('is refused when a disable was edited to write other flags than the account\'s own plus "disabled"', () => {
    const snapshot = observed().build();
    snapshot.users[0]!.userAccountControl = 512;
    const plan = assemblePlan({ people: [aPerson({ cpf, acao: 'desativar' })], snapshot, policy: aPolicy(), inputs: [], now: NOW });
    const disable = plan.changes.find((c) => c.kind === 'disable-user');
    expect(disable?.kind === 'disable-user' && disable.userAccountControl).to.equal(514);
    expect(findStaleness(plan, snapshot)).to.deep.equal([]);
    // PASSWD_NOTREQD and DONT_EXPIRE_PASSWORD slipped in beside the disable bit.
    if (disable?.kind === 'disable-user') disable.userAccountControl = 514 | 0x20 | 0x10000;
    const problems = findStaleness(plan, snapshot);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain('Maria Souza').and.contain('66082').and.contain('514');
  });
});
