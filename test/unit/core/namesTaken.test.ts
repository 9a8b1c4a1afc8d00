import { expect } from 'chai';
import { namesTakenElsewhere } from '../../../src/core/namesTaken.js';
import { validationWarnings } from '../../../src/messages/forms.js';
import { aPerson, aSnapshot, groupDn, trainingOu } from './builders.js';
import { plan } from './planFixtures.js';

describe('names the plan would create that the domain holds elsewhere', () => {
  const people = [aPerson({ orgao: 'PMC' })];

  it('names a group whose sAMAccountName another object has, and a training login or UPN of another account', () => {
    const snapshot = aSnapshot().withTakenLogins('sei-pmc', 'USUARIO01.PMC', 'joao.silva').withTakenUpns('usuario02.pmc@sei.local').build();
    const taken = namesTakenElsewhere(plan(people, snapshot), snapshot);
    expect(taken).to.deep.equal([
      { kind: 'group', name: 'SEI-PMC', dn: groupDn('SEI-PMC') },
      { kind: 'training-login', name: 'usuario01.pmc', dn: `CN=usuario01,${trainingOu('PMC')}` },
      { kind: 'training-upn', name: 'usuario02.pmc@sei.local', dn: `CN=usuario02,${trainingOu('PMC')}` },
    ]);
    expect(validationWarnings.nameTaken('group', 'SEI-PMC', groupDn('SEI-PMC'))).to.contain('SEI-PMC').and.to.contain('antes de aplicar');
  });

  it('names nothing in a domain without those names, nor for a half-made training account created again at its DN', () => {
    const free = aSnapshot().withTakenLogins('sei-outro', 'usuario01.pmx').build();
    expect(namesTakenElsewhere(plan(people, free), free)).to.deep.equal([]);
    const halfMade = aSnapshot().withTrainingAccount('usuario01.pmc', `CN=usuario01,${trainingOu('PMC')}`).build();
    // Added disabled, the password never set: a creation cut short, planned again.
    halfMade.trainingAccounts[0]!.userAccountControl = 514;
    const p = plan(people, halfMade);
    expect(p.changes.some((c) => c.kind === 'create-training-account' && c.login === 'usuario01.pmc')).to.equal(true);
    expect(namesTakenElsewhere(p, halfMade)).to.deep.equal([]);
  });
});
