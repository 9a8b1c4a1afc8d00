import { expect } from 'chai';
import { applyPlan } from '../../../src/app/applyPlan.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import type { AttributeChange, DisableUser } from '../../../src/domain/plan.js';
import type { Directory, Modification } from '../../../src/ports/Directory.js';
import type { Journal } from '../../../src/ports/Journal.js';
import { credentialDelivery, planOf, quiet } from './applyFakes.js';

const DN = 'CN=Rita Moraes,OU=PMIS,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';

/**
 * A directory holding one entry's attributes that applies modifies the way LDAP does (delete by value fails
 * with 16 when the value is not there), and can lose the answer of the first one: it goes through, and the
 * caller sees a timeout, as when a connection drops after the server wrote.
 */
function directoryHolding(values: Record<string, string>, opts: { loseFirstAnswer?: boolean } = {}): Directory {
  let lost = false;
  const stored = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  const apply = (mods: Modification[]): void => {
    const next = new Map(stored);
    for (const m of mods) {
      const key = m.attribute.toLowerCase();
      if (m.operation === 'delete') {
        if (next.get(key)?.toLowerCase() !== m.values[0]?.toLowerCase()) throw new DirectoryError('no such value', { resultCode: 16, operation: 'modify', transient: false });
        next.delete(key);
      } else if (m.operation === 'add') {
        if (next.has(key)) throw new DirectoryError('value exists', { resultCode: 20, operation: 'modify', transient: false });
        next.set(key, m.values[0] ?? '');
      } else {
        next.set(key, m.values[0] ?? '');
      }
    }
    stored.clear();
    for (const [k, v] of next) stored.set(k, v);
  };
  return {
    read: async (_dn: string, attributes: string[]) => ({
      dn: DN,
      attributes: Object.fromEntries(attributes.filter((a) => stored.has(a.toLowerCase())).map((a) => [a.toLowerCase(), [stored.get(a.toLowerCase()) as string]])),
    }),
    modify: async (_dn: string, mods: Modification[]) => {
      apply(mods);
      if (opts.loseFirstAnswer && !lost) {
        lost = true;
        // The retry the connection pool makes: the same modify again, on what the first one left.
        apply(mods);
      }
    },
  } as unknown as Directory; // only what an update reaches
}

async function applyOne(directory: Directory, change: Parameters<typeof planOf>[0][number]) {
  const journal: Journal = { append: async () => undefined, pending: async () => [], trainingNotified: async () => new Set<string>(), flush: async () => undefined };
  const credentials = credentialDelivery(directory, journal);
  return applyPlan(planOf([change]), { directory, credentials, logger: quiet, concurrency: 1, trainingParentGroupDn: '' });
}

const update = (directory: Directory, changes: AttributeChange[]) =>
  applyOne(directory, { kind: 'update-user', dn: DN, orgao: 'PMIS', cpf: '52998224725', login: 'rita.moraes', changes, expectUsn: '1', source: { file: 'f.csv', line: 2 } });

const NOTED = 'SEI Cidades — Itu — desativada em 26/11/2026';
const disable = (directory: Directory, extra: Partial<DisableUser> = { descriptionBefore: 'SEI Cidades — Itu' }) =>
  applyOne(directory, {
    kind: 'disable-user',
    dn: DN,
    orgao: 'PMIS',
    cpf: '52998224725',
    login: 'rita.moraes',
    reason: 'missing',
    description: NOTED,
    userAccountControl: 514,
    expectUsn: '1',
    ...extra,
  });

describe('app/applyPlan: an update written only over the values the plan saw', () => {
  it('writes the planned values when the directory still holds the ones the plan saw', async () => {
    const result = await update(directoryHolding({ title: 'Analista' }), [{ attribute: 'title', before: 'Analista', after: 'Coordenadora' }]);
    expect(result.outcomes).to.deep.equal([{ index: 0, status: 'done' }]);
  });

  it('refuses, naming only the attribute that changed, when someone changed a value since the plan', async () => {
    const result = await update(directoryHolding({ title: 'Chefe de Gabinete', department: 'Saúde' }), [
      { attribute: 'title', before: 'Analista', after: 'Coordenadora' },
      { attribute: 'department', before: 'Saúde', after: 'Educação' },
    ]);
    expect(result.outcomes).to.have.length(1);
    expect(result.outcomes[0]).to.include({ status: 'failed', resultCode: 16 });
    expect(result.outcomes[0]?.message).to.contain(': title mudou no diretório');
  });

  it('counts as done a modify that went through but whose answer was lost and retried', async () => {
    const result = await update(directoryHolding({ title: 'Analista' }, { loseFirstAnswer: true }), [
      { attribute: 'title', before: 'Analista', after: 'Coordenadora' },
      { attribute: 'telephoneNumber', before: null, after: '(11) 4000-0000' },
    ]);
    expect(result.outcomes).to.deep.equal([{ index: 0, status: 'done' }]);
  });
});

describe('app/applyPlan: a disable written only over the flags and description the plan saw', () => {
  const seen = { userAccountControl: '512', description: 'SEI Cidades — Itu' };

  it('disables the account and notes it when both are still what the plan saw', async () => {
    const directory = directoryHolding(seen);
    expect((await disable(directory)).outcomes).to.deep.equal([{ index: 0, status: 'done' }]);
    const now = await directory.read(DN, ['userAccountControl', 'description']);
    expect(now?.attributes).to.deep.equal({ useraccountcontrol: ['514'], description: [NOTED] });
  });

  it('leaves an account someone changed since the plan (a flag set, a note written), saying it was not disabled', async () => {
    for (const changed of [{ ...seen, userAccountControl: '66048' }, { ...seen, description: 'Afastada até março (RH)' }]) {
      const directory = directoryHolding(changed);
      const result = await disable(directory);
      expect(result.outcomes[0]).to.include({ status: 'failed', resultCode: 16 });
      expect(result.outcomes[0]?.message).to.contain('não foi desativada');
      const now = await directory.read(DN, ['userAccountControl', 'description']);
      expect(now?.attributes).to.deep.equal({ useraccountcontrol: [changed.userAccountControl], description: [changed.description] });
    }
  });

  it('writes a description where the plan saw none, and counts a retried disable as done', async () => {
    const bare = directoryHolding({ userAccountControl: '512' });
    expect((await disable(bare, { descriptionBefore: null })).outcomes).to.deep.equal([{ index: 0, status: 'done' }]);
    expect((await bare.read(DN, ['description']))?.attributes).to.deep.equal({ description: [NOTED] });
    const retried = directoryHolding(seen, { loseFirstAnswer: true });
    expect((await disable(retried)).outcomes).to.deep.equal([{ index: 0, status: 'done' }]);
  });

  it('replaces both, as before, for a plan saved without the description it saw', async () => {
    const directory = directoryHolding({ ...seen, description: 'Outra' });
    expect((await disable(directory, {})).outcomes).to.deep.equal([{ index: 0, status: 'done' }]);
    expect((await directory.read(DN, ['userAccountControl', 'description']))?.attributes).to.deep.equal({ useraccountcontrol: ['514'], description: [NOTED] });
  });
});
