import { expect } from 'chai';
import { CredentialDelivery, type CredentialTarget } from '../../../src/app/credentials.js';
import { MailError } from '../../../src/domain/errors.js';
import { foldPending } from '../../../src/adapters/journal/FileJournal.js';
import type { Directory } from '../../../src/ports/Directory.js';
import type { Journal, JournalRecord } from '../../../src/ports/Journal.js';
import type { Logger } from '../../../src/ports/Logger.js';
import type { Mailer } from '../../../src/ports/Mailer.js';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, audit: () => undefined };

/** A journal that records what was appended and when each append resolved ("committed"). */
function recordingJournal(events: string[]): Journal & { records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  return {
    records,
    async append(record) {
      events.push(`append ${record.type} ${'dn' in record ? record.dn : ''}`);
      await new Promise((r) => setImmediate(r));
      records.push(record);
      events.push(`committed ${record.type} ${'dn' in record ? record.dn : ''}`);
    },
    pending: async () => [],
    trainingNotified: async () => new Set<string>(),
    flush: async () => undefined,
  };
}

const accepting: Mailer = { send: async () => ({ messageId: '<m@x>', response: 'ok' }), verify: async () => undefined, close: async () => undefined };

/** A delivery over `journal`, the same fixed password and plain message each time; `over` replaces any part. */
function deliveryWith(journal: Journal, over: Partial<ConstructorParameters<typeof CredentialDelivery>[0]> = {}): CredentialDelivery {
  return new CredentialDelivery({
    directory: {} as Directory, // never reached unless `over` gives one
    journal,
    mailer: accepting,
    logger: quiet,
    runId: 'r1',
    clock: () => new Date(Date.UTC(2025, 0, 31)),
    newPassword: () => 'Xk7#pQ2=mN9?tR4@',
    compose: (t) => ({ to: t.email, subject: 's', text: 't', html: '<p>t</p>' }),
    mailConcurrency: 2,
    ...over,
  });
}

const delivery = (journal: Journal): CredentialDelivery => deliveryWith(journal);

const target = (i: number): CredentialTarget => ({ dn: `CN=u${i},OU=SMADS,DC=sei,DC=local`, login: `u${i}`, email: `u${i}@example.org`, name: `U ${i}` });

describe('app/credentials: pending records written ahead, a batch at a time', () => {
  it('writes the pending records of a batch together, each committed before its password is set', async () => {
    const events: string[] = [];
    const journal = recordingJournal(events);
    const credentials = delivery(journal);
    const targets = Array.from({ length: 10 }, (_, i) => target(i));
    credentials.expect(targets, 4);
    for (const t of targets) {
      await credentials.create(t, async () => {
        events.push(`set ${t.dn}`);
      });
    }
    await credentials.settle();
    for (const t of targets) {
      const committed = events.indexOf(`committed credential-pending ${t.dn}`);
      expect(committed, t.dn).to.be.greaterThan(-1);
      expect(committed, t.dn).to.be.lessThan(events.indexOf(`set ${t.dn}`));
    }
    // Batches of 4: u0–u3 appended before u0's password, u4–u7 before u4's, u8–u9 before u8's.
    const appendedBefore = (dn: string) => events.slice(0, events.indexOf(`set ${dn}`)).filter((e) => e.startsWith('append credential-pending')).length;
    expect([0, 1, 3, 4, 7, 8, 9].map((i) => appendedBefore(target(i).dn))).to.deep.equal([4, 4, 4, 8, 8, 10, 10]);
    expect(journal.records.filter((r) => r.type === 'credential-pending')).to.have.length(10);
    expect(journal.records.filter((r) => r.type === 'credential-sent')).to.have.length(10);
  });

  it('an account not announced (a reset) gets its own record, and announced ones are not written twice', async () => {
    const events: string[] = [];
    const journal = recordingJournal(events);
    const credentials = delivery(journal);
    credentials.expect([target(1), target(2)], 8);
    await credentials.create(target(9), async () => undefined);
    await credentials.create(target(1), async () => undefined);
    await credentials.create(target(2), async () => undefined);
    await credentials.settle();
    const pendingDns = journal.records.filter((r) => r.type === 'credential-pending').map((r) => r.dn);
    expect(pendingDns).to.deep.equal([target(9).dn, target(1).dn, target(2).dn]);
  });

  it('closes the records written ahead for accounts the run never reached', async () => {
    const events: string[] = [];
    const journal = recordingJournal(events);
    const credentials = delivery(journal);
    const targets = Array.from({ length: 10 }, (_, i) => target(i));
    credentials.expect(targets, 4);
    // The run stops after two accounts: the first batch also wrote pending records for u2 and u3.
    for (const t of targets.slice(0, 2)) await credentials.create(t, async () => undefined);
    expect(await credentials.releaseUnused()).to.equal(2);
    await credentials.settle();
    const dropped = journal.records.filter((r) => r.type === 'credential-dropped').map((r) => ('dn' in r ? r.dn : ''));
    expect(dropped).to.deep.equal([targets[2]!.dn, targets[3]!.dn]);
    const pendingDns = journal.records.filter((r) => r.type === 'credential-pending').map((r) => ('dn' in r ? r.dn : ''));
    expect(pendingDns).to.deep.equal(targets.slice(0, 4).map((t) => t.dn));
    expect(await credentials.releaseUnused()).to.equal(0);
  });
});

describe('app/credentials: settling what earlier runs left pending', () => {
  it('never sets a new temporary password for a person who already chose their own; the record is closed', async () => {
    const [a, b] = [target(1), target(2)];
    const events: string[] = [];
    const journal = recordingJournal(events);
    journal.pending = async () => [a, b];
    const set: string[] = [];
    const directory = {
      // Ana never logged on (pwdLastSet 0, as the tool left it); Bia changed the password a mail brought her.
      read: async (dn: string) => ({ dn, attributes: { samaccountname: [dn === a.dn ? a.login : b.login], pwdlastset: [dn === a.dn ? '0' : '134081236450000000'] } }),
      setPassword: async (dn: string) => void set.push(dn),
    } as unknown as Directory; // read and setPassword are all settlePending reaches
    const mailer: Mailer = { send: async () => ({ messageId: '<m@x>', response: 'ok' }), verify: async () => undefined, close: async () => undefined };
    const credentials = deliveryWith(journal, { directory, mailer, runId: 'r2', mailConcurrency: 1 });
    const result = await credentials.settlePending(2);
    await credentials.settle();
    expect(set).to.deep.equal([a.dn]);
    expect(result.failed).to.deep.equal([]);
    const closed = journal.records.filter((r) => r.type === 'credential-dropped');
    expect(closed.map((r) => r.dn)).to.deep.equal([b.dn]);
    expect(closed[0]?.type === 'credential-dropped' ? closed[0].reason : '').to.contain('já trocou a senha');
  });
});

describe('app/credentials: a relay that refuses the sending itself', () => {
  it('leaves the rest of the run\'s messages pending at once, each with the relay\'s reason, none blamed on its address', async () => {
    const journal = recordingJournal([]);
    let attempts = 0;
    const refusal = new MailError('recusou o envio em MAIL FROM', { permanent: false, serverResponse: '550 5.7.1 not authorized', serverWide: true });
    const mailer: Mailer = { send: async () => (attempts++, Promise.reject(refusal)), verify: async () => undefined, close: async () => undefined };
    const credentials = deliveryWith(journal, {
      directory: { setPassword: async () => undefined } as unknown as Directory, // reset reaches setPassword only
      mailer,
      runId: 'r3',
      mailConcurrency: 1,
    });
    for (const i of [1, 2, 3]) await credentials.reset(target(i));
    await credentials.settle();
    expect(attempts).to.equal(1);
    const failures = journal.records.filter((r) => r.type === 'credential-failed');
    expect(failures.map((r) => (r.type === 'credential-failed' ? [r.permanent, r.reason] : []))).to.deep.equal([1, 2, 3].map(() => [false, refusal.message]));
  });
});

describe('app/credentials: a journal that fails after a message went out', () => {
  it('is the journal\'s failure, not the mail\'s: the other messages still go, and settle waits for all before throwing it', async () => {
    const journal = recordingJournal([]);
    const full = new Error('ENOSPC: no space left on device');
    const append = journal.append.bind(journal);
    let sentRecords = 0;
    journal.append = async (record) => {
      if (record.type === 'credential-sent' && sentRecords++ === 0) throw full;
      return append(record);
    };
    const delivered: string[] = [];
    const mailer: Mailer = { send: async (m) => (delivered.push(m.to), { messageId: '<m@x>', response: 'ok' }), verify: async () => undefined, close: async () => undefined };
    const credentials = deliveryWith(journal, {
      directory: { setPassword: async () => undefined } as unknown as Directory, // reset reaches setPassword only
      mailer,
      runId: 'r4',
      mailConcurrency: 1,
    });
    // The run goes on with other work before it settles: the failure must wait for settle, never be an
    // unhandled rejection (Node ends the process on one).
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      for (const i of [1, 2, 3]) await credentials.reset(target(i));
      await new Promise((r) => setTimeout(r, 30));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).to.deep.equal([]);
    let thrown: unknown;
    await credentials.settle().catch((e: unknown) => (thrown = e));
    expect(thrown).to.equal(full);
    expect(delivered).to.deep.equal([1, 2, 3].map((i) => target(i).email));
    expect(journal.records.filter((r) => r.type === 'credential-failed')).to.deep.equal([]);
    expect(journal.records.filter((r) => r.type === 'credential-sent').map((r) => r.dn)).to.deep.equal([target(2).dn, target(3).dn]);
  });
});

describe('app/credentials: two records open for one account', () => {
  const old = { dn: 'CN=Ana,OU=PMC,OU=Usuarios,DC=sei,DC=local', login: 'ana.lima', email: 'ana@x.sp.gov.br', name: 'Ana Lima' };
  const moved = { ...old, dn: 'CN=Ana,OU=PMV,OU=Usuarios,DC=sei,DC=local' };
  function settleWith(pending: CredentialTarget[], pwdLastSet: string) {
    const journal = recordingJournal([]);
    journal.pending = async () => pending;
    const set: string[] = [];
    const sent: string[] = [];
    const directory = {
      read: async (dn: string) => (dn === moved.dn ? { dn, attributes: { samaccountname: [old.login], pwdlastset: [pwdLastSet] } } : null),
      search: async () => [{ dn: moved.dn, attributes: { samaccountname: [old.login], pwdlastset: [pwdLastSet] } }],
      setPassword: async (dn: string) => void set.push(dn),
    } as unknown as Directory; // read, search and setPassword are all settlePending reaches
    const mailer: Mailer = { send: async (m) => (sent.push(m.to), { messageId: '<m@x>', response: 'ok' }), verify: async () => undefined, close: async () => undefined };
    const credentials = deliveryWith(journal, { directory, mailer, runId: 'r5', mailConcurrency: 1, usersDn: 'OU=Usuarios,DC=sei,DC=local' });
    return { journal, set, sent, run: async () => (await credentials.settlePending(2), await credentials.settle()) };
  }

  it('sets one new password and sends one message, not one per record (a move whose outcome was unknown left both)', async () => {
    const { journal, set, sent, run } = settleWith([old, moved], '0');
    await run();
    expect(set).to.deep.equal([moved.dn]);
    expect(sent).to.deep.equal([old.email]);
    expect(foldPending(journal.records)).to.deep.equal([]);
  });

  it('closes the record where it was carried when the person moved by hand already changed the password', async () => {
    const { journal, set, run } = settleWith([old], '134081236450000000');
    await run();
    expect(set).to.deep.equal([]);
    expect(foldPending(journal.records)).to.deep.equal([]);
  });
});

