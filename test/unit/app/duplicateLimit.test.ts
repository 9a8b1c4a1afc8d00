import { expect } from 'chai';
import type { RunContext } from '../../../src/app/context.js';
import { assertSafetyThresholds } from '../../../src/app/safetyGuard.js';
import { assemblePlan } from '../../../src/core/assemblePlan.js';
import { createsOfCpfsElsewhere, duplicateLimit } from '../../../src/core/safetyThresholds.js';
import { ThresholdError } from '../../../src/domain/errors.js';
import { aPerson, aPolicy, aSnapshot, NOW } from '../core/builders.js';

const safety = { disableMaxPercent: 5, disableMaxCount: 50, moveMaxPercent: 5, moveMaxCount: 50, removalMaxPercent: 5, removalMaxCount: 50, duplicateMaxPercent: 5, duplicateMaxCount: 50 };
const ctx = { config: { safety } } as unknown as RunContext; // the guard reads only the limits

/** Ten people the forms name, planned against a directory whose managed users branch shows none of them. */
function planForTen() {
  const people = Array.from({ length: 10 }, (_, i) => aPerson({ nome: `Pessoa ${String.fromCharCode(65 + i)} Lima` }));
  const plan = assemblePlan({ people, snapshot: aSnapshot().build(), policy: aPolicy(), inputs: [], now: NOW, training: false });
  return { people, plan };
}

describe('safety limit: new accounts for people who already have one elsewhere in the domain', () => {
  it('is 5 % of the managed accounts (at least 1), at most 50', () => {
    expect(duplicateLimit(0, safety)).to.equal(1);
    expect(duplicateLimit(10_000, safety)).to.equal(50);
  });

  it('finds the new accounts whose CPF an account outside the managed users branch carries (CPF written any way)', () => {
    const { people, plan } = planForTen();
    const elsewhere = [{ cpf: people[0]?.cpf ?? '', dn: 'CN=Pessoa A,OU=Antiga,DC=sei,DC=local' }];
    expect(createsOfCpfsElsewhere(plan, elsewhere).map((d) => d.holder)).to.deep.equal(['CN=Pessoa A,OU=Antiga,DC=sei,DC=local']);
    expect(createsOfCpfsElsewhere(plan, [])).to.deep.equal([]);
  });

  it('stops, naming who already has an account and where, when the managed OU cannot be found (everyone looks new); --force lets it through', () => {
    const { people, plan } = planForTen();
    // The managed users OU was renamed: every account is still in the domain, under another DN.
    const elsewhere = people.map((p) => ({ cpf: p.cpf, dn: `CN=${p.nome},OU=PREF,OU=Usuarios-antigo,OU=SEI Cidades,DC=sei,DC=local` }));
    let error: unknown;
    try {
      assertSafetyThresholds(ctx, plan, { managed: 0, active: 0 }, false, elsewhere);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ThresholdError);
    expect((error as ThresholdError).exitCode).to.equal(4);
    const message = (error as Error).message;
    expect(message).to.contain('criaria 10 conta(s)').and.contain('OU=Usuarios-antigo').and.contain('naming.rootOu');
    for (const p of people) expect(message).not.to.contain(p.cpf);
    expect(() => assertSafetyThresholds(ctx, plan, { managed: 0, active: 0 }, true, elsewhere)).to.not.throw();
    // One person with another account elsewhere (another system's) goes through.
    expect(() => assertSafetyThresholds(ctx, plan, { managed: 0, active: 0 }, false, elsewhere.slice(0, 1))).to.not.throw();
  });
});
