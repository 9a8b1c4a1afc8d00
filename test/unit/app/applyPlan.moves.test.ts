import { expect } from 'chai';
import { applyPlan } from '../../../src/app/applyPlan.js';
import { CredentialDelivery } from '../../../src/app/credentials.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import type { Plan } from '../../../src/domain/plan.js';
import type { Directory, Modification } from '../../../src/ports/Directory.js';
import type { Journal, JournalRecord, PendingCredential } from '../../../src/ports/Journal.js';
import type { Logger } from '../../../src/ports/Logger.js';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, audit: () => undefined };
const USERS = 'OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
const GROUPS = 'OU=Grupos,OU=SEI Cidades,DC=sei,DC=local';
const FROM = `CN=Rui Barros,OU=PMC,${USERS}`;
const TO = `CN=Rui Barros,OU=PMV,${USERS}`;

/** A directory that records writes and refuses those `refuse` names (`move <dn>`, `modify <dn>`). */
function fakeDirectory(refuse: Set<string>): { directory: Directory; sent: string[] } {
  const sent: string[] = [];
  const fail = (what: string) => {
    if (refuse.has(what)) throw new DirectoryError(`recusado: ${what}`, { resultCode: 50, operation: 'x', transient: false });
  };
  const directory = {
    actor: 'CN=svc',
    source: 'fake',
    read: async () => null,
    move: async (dn: string, newDn: string) => {
      fail(`move ${dn}`);
      sent.push(`move ${dn} -> ${newDn}`);
    },
    modify: async (dn: string, mods: Modification[]) => {
      fail(`modify ${dn}`);
      sent.push(`modify ${dn} ${mods.map((m) => `${m.operation} ${m.attribute} ${m.values.join('|')}`).join('; ')}`);
    },
  } as unknown as Directory; // only what applyPlan reaches for these changes
  return { directory, sent };
}

function journalWith(pending: PendingCredential[]): Journal & { records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  return {
    records,
    append: async (r) => void records.push(r),
    pending: async () => pending,
    trainingNotified: async () => new Set<string>(),
    flush: async () => undefined,
  };
}

function run(refuse: string[], pending: PendingCredential[] = []) {
  const { directory, sent } = fakeDirectory(new Set(refuse));
  const journal = journalWith(pending);
  const credentials = new CredentialDelivery({
    directory,
    journal,
    mailer: { send: async () => ({ messageId: '<m>', response: 'ok' }), verify: async () => undefined, close: async () => undefined },
    logger: quiet,
    runId: 'r1',
    clock: () => new Date(0),
    newPassword: () => 'Xk7#pQ2=mN9?tR4@',
    compose: (t) => ({ to: t.email, subject: 's', text: 't', html: '<p>t</p>' }),
    mailConcurrency: 1,
  });
  const plan: Plan = {
    version: 2,
    createdAt: '2026-11-26T00:00:00Z',
    inputs: [],
    observed: { source: 'fake', observedAt: '2026-11-26T00:00:00Z', baseDN: 'DC=sei,DC=local', users: 1, trainingAccounts: 0 },
    changes: [
      { kind: 'update-user', dn: FROM, orgao: 'PMV', cpf: '52998224725', login: 'rui.barros', changes: [], moveTo: TO, fromOrgao: 'PMC', expectUsn: '1', source: { file: 'f.csv', line: 2 } },
      { kind: 'add-member', groupDn: `CN=SEI-PMV,${GROUPS}`, memberDns: [TO] },
      { kind: 'remove-member', groupDn: `CN=SEI-PMC,${GROUPS}`, memberDns: [TO] },
    ],
    unchanged: [],
  };
  return applyPlan(plan, { directory, credentials, logger: quiet, concurrency: 2, trainingParentGroupDn: '' }).then((r) => ({ ...r, sent, journal }));
}

describe('app/applyPlan: a change of órgão', () => {
  it('moves, then joins the new group, then leaves the old one', async () => {
    const { sent, failed } = await run([]);
    expect(failed).to.equal(0);
    expect(sent).to.deep.equal([
      `move ${FROM} -> ${TO}`,
      `modify CN=SEI-PMV,${GROUPS} add member ${TO}`,
      `modify CN=SEI-PMC,${GROUPS} delete member ${TO}`,
    ]);
  });

  it('keeps the old group when the new one could not be joined', async () => {
    const { sent, outcomes } = await run([`modify CN=SEI-PMV,${GROUPS}`]);
    expect(sent).to.deep.equal([`move ${FROM} -> ${TO}`]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['done', 'failed', 'skipped']);
  });

  it('touches no group with a DN the account never reached when the move failed', async () => {
    const { sent, outcomes } = await run([`move ${FROM}`]);
    expect(sent).to.deep.equal([]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['failed', 'skipped', 'skipped']);
  });

  it('carries a pending credential to the new DN around the move', async () => {
    const pending: PendingCredential = { dn: FROM, login: 'rui.barros', email: 'rui@x.br', name: 'Rui Barros' };
    const { journal } = await run([], [pending]);
    expect(journal.records.map((r) => [r.type, 'dn' in r ? r.dn : ''])).to.deep.equal([
      ['credential-pending', TO],
      ['credential-dropped', FROM],
    ]);
  });
});
