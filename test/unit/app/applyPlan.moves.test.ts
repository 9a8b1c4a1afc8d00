import { expect } from 'chai';
import { applyPlan } from '../../../src/app/applyPlan.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import type { Directory, Modification } from '../../../src/ports/Directory.js';
import type { Journal, JournalRecord, PendingCredential } from '../../../src/ports/Journal.js';
import { acceptingMailer, credentialDelivery, planOf, quiet } from './applyFakes.js';

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
  let at = FROM;
  const directory = {
    actor: 'CN=svc',
    source: 'fake',
    read: async (dn: string) => (dn.toLowerCase() === at.toLowerCase() ? { dn: at, attributes: { samaccountname: ['rui.barros'], mail: ['rui@x.br'] } } : null),
    setPassword: async (dn: string) => void sent.push(`password ${dn}`),
    move: async (dn: string, newDn: string) => {
      fail(`move ${dn}`);
      sent.push(`move ${dn} -> ${newDn}`);
      at = newDn;
      // The server moved it, and the answer never came back (a dropped connection).
      if (refuse.has(`lose answer of move ${dn}`)) throw new DirectoryError('conexão perdida', { resultCode: 80, operation: 'move', transient: true });
    },
    modify: async (dn: string, mods: Modification[]) => {
      fail(`modify ${dn}`);
      sent.push(`modify ${dn} ${mods.map((m) => `${m.operation} ${m.attribute} ${m.values.join('|')}`).join('; ')}`);
    },
  } as unknown as Directory; // only what applyPlan reaches for these changes
  return { directory, sent };
}

/** A journal whose pending() is `initial` as later records leave it (sent or dropped closes a DN, pending opens one). */
function journalWith(initial: PendingCredential[]): Journal & { records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  return {
    records,
    append: async (r) => void records.push(r),
    pending: async () => {
      const open = new Map(initial.map((p) => [p.dn, p]));
      for (const r of records) {
        if (r.type === 'credential-pending') open.set(r.dn, { dn: r.dn, login: r.login, email: r.email, name: r.name });
        if (r.type === 'credential-sent' || r.type === 'credential-dropped') open.delete(r.dn);
      }
      return [...open.values()];
    },
    trainingNotified: async () => new Set<string>(),
    flush: async () => undefined,
  };
}

async function run(refuse: string[], pending: PendingCredential[] = [], opts: { settleFirst?: boolean; mailMs?: number } = {}) {
  const { directory, sent } = fakeDirectory(new Set(refuse));
  const journal = journalWith(pending);
  const credentials = credentialDelivery(directory, journal, {
    ...acceptingMailer,
    send: async () => {
      await new Promise((r) => setTimeout(r, opts.mailMs ?? 0));
      sent.push('mail');
      return { messageId: '<m>', response: 'ok' };
    },
  });
  const plan = planOf([
    { kind: 'update-user', dn: FROM, orgao: 'PMV', cpf: '52998224725', login: 'rui.barros', changes: [], moveTo: TO, fromOrgao: 'PMC', expectUsn: '1', source: { file: 'f.csv', line: 2 } },
    { kind: 'add-member', groupDn: `CN=SEI-PMV,${GROUPS}`, memberDns: [TO] },
    { kind: 'remove-member', groupDn: `CN=SEI-PMC,${GROUPS}`, memberDns: [TO] },
  ]);
  if (opts.settleFirst) await credentials.settlePending(1);
  const result = await applyPlan(plan, { directory, credentials, logger: quiet, concurrency: 2, trainingParentGroupDn: '' });
  return { ...result, sent, journal };
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

  const pendingAt = (dn: string): PendingCredential => ({ dn, login: 'rui.barros', email: 'rui@x.br', name: 'Rui Barros' });

  it('carries a pending credential to the new DN around the move, closing the old record under its own spelling', async () => {
    const { journal } = await run([], [pendingAt(FROM.replace('OU=PMC', 'OU=pmc'))]);
    expect(journal.records.map((r) => [r.type, 'dn' in r ? r.dn : ''])).to.deep.equal([
      ['credential-pending', TO],
      ['credential-dropped', FROM.replace('OU=PMC', 'OU=pmc')],
    ]);
    expect((await journal.pending()).map((p) => p.dn)).to.deep.equal([TO]);
  });

  it('does not carry a credential the same run delivered a moment before the move (mail still in flight)', async () => {
    const { journal, sent } = await run([], [pendingAt(FROM)], { settleFirst: true, mailMs: 30 });
    expect(sent.slice(0, 3)).to.deep.equal([`password ${FROM}`, 'mail', `move ${FROM} -> ${TO}`]);
    expect(await journal.pending()).to.deep.equal([]);
  });

  it('leaves the credential where the account stayed when the move failed', async () => {
    const { journal } = await run([`move ${FROM}`], [pendingAt(FROM)]);
    expect((await journal.pending()).map((p) => p.dn)).to.deep.equal([FROM]);
  });

  it('carries the credential to where the account is when the move went through but its answer was lost', async () => {
    const { journal, outcomes } = await run([`lose answer of move ${FROM}`], [pendingAt(FROM)]);
    expect(outcomes.find((o) => o.index === 0)?.status).to.equal('failed');
    expect((await journal.pending()).map((p) => p.dn)).to.deep.equal([TO]);
  });
});
