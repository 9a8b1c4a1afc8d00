import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { JOURNAL_FILE, openJournal } from '../../../src/adapters/journal/FileJournal.js';
import { recordFsyncs } from '../../support/recordFsyncs.js';
import { InternalError, SeiError } from '../../../src/domain/errors.js';
import type { JournalRecord } from '../../../src/ports/Journal.js';

const stateDir = () => join(mkdtempSync(join(tmpdir(), 'sei-journal-')), 'estado');
const lines = (dir: string) => readFileSync(join(dir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean);

let clock = 0;
const time = () => new Date(Date.UTC(2025, 0, 31, 12, 0, clock++)).toISOString();
type PendingRecord = Extract<JournalRecord, { type: 'credential-pending' }>;
const pending = (dn: string, runId = 'r1'): PendingRecord => ({
  type: 'credential-pending',
  dn,
  login: dn.slice(3, dn.indexOf(',')),
  email: `${dn.slice(3, dn.indexOf(','))}@example.org`,
  name: 'Fulano',
  runId,
  time: time(),
});
const sent = (dn: string): JournalRecord => ({ type: 'credential-sent', dn, messageId: '<m@x>', runId: 'r1', time: time() });
const failed = (dn: string, permanent: boolean, reason: string): JournalRecord => ({ type: 'credential-failed', dn, permanent, reason, runId: 'r1', time: time() });
const dropped = (dn: string): JournalRecord => ({ type: 'credential-dropped', dn, reason: 'conta não existe', runId: 'r1', time: time() });

const A = 'CN=ana,OU=SMADS,DC=sei,DC=local';
const B = 'CN=bia,OU=SMADS,DC=sei,DC=local';
const C = 'CN=caio,OU=SMADS,DC=sei,DC=local';


describe('adapters/journal/FileJournal', () => {
  it('matches records of one account written with the DN spelled two ways (as the plan built it, as the directory returns it)', async () => {
    const journal = await openJournal(stateDir());
    const planned = 'CN=ana,OU=SMADS,dc=sei,dc=local';
    await journal.append(pending(planned));
    await journal.append(pending(A, 'r2')); // a resend: the DN as the directory spells it
    await journal.append(sent(A));
    await journal.append(pending(B));
    await journal.append(failed('cn=bia, ou=smads, dc=sei, dc=local', true, 'caixa inexistente'));
    const open = await journal.pending();
    expect(open.map((p) => p.dn)).to.deep.equal([B]);
    expect(open[0]?.lastFailure?.reason).to.equal('caixa inexistente');
  });

  it('masks a CPF a failure\'s reason quotes (a relay\'s reply with the address), keeping the record whole', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    await journal.append(pending(A));
    await journal.append(failed(A, true, 'recusada para maria.52998224725@x.sp.gov.br (resposta: 550 <maria.529.982.247-25@x>)'));
    await journal.flush();
    const written = lines(dir).map((l) => JSON.parse(l) as { reason?: string });
    expect(written[1]?.reason).to.equal('recusada para maria.***.982.247-**@x.sp.gov.br (resposta: 550 <maria.***.982.247-**@x>)');
    const [p] = await journal.pending();
    expect(p?.lastFailure?.reason).to.contain('***.982.247-**');
  });

  it('creates the state folder 0700 and the journal 0600', async () => {
    const dir = stateDir();
    await openJournal(dir);
    expect(statSync(dir).mode & 0o777).to.equal(0o700);
    expect(statSync(join(dir, JOURNAL_FILE)).mode & 0o777).to.equal(0o600);
  });

  it('puts the journal\'s own name on disk when it creates it (its folder fsync\'d), not only the records in it', async () => {
    const dir = stateDir();
    const { events, restore } = await recordFsyncs();
    try {
      await openJournal(join(dir, 'outro'));
    } finally {
      restore();
    }
    expect(events).to.deep.equal(['sync']);
  });

  it('tightens a journal found with looser permissions', async () => {
    const dir = stateDir();
    await openJournal(dir);
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, JOURNAL_FILE), 0o644);
    await openJournal(dir);
    expect(statSync(join(dir, JOURNAL_FILE)).mode & 0o777).to.equal(0o600);
  });

  it('appends one JSON line per record; a pending one is fsync\'d before its append resolves, the others are written at once', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    const { events, restore } = await recordFsyncs();
    try {
      await journal.append(pending(A));
      events.push('resolved');
      await journal.append(sent(A));
      events.push('resolved');
      // Written, not held back: a killed process loses nothing that append reported done.
      expect(lines(dir)).to.have.length(2);
      await journal.append(failed(B, false, 'timeout'));
      events.push('resolved');
      await journal.append(pending(B));
      events.push('resolved');
    } finally {
      restore();
    }
    expect(events).to.deep.equal(['sync', 'resolved', 'resolved', 'resolved', 'sync', 'resolved']);
    expect(lines(dir).map((l) => (JSON.parse(l) as JournalRecord).type)).to.deep.equal([
      'credential-pending',
      'credential-sent',
      'credential-failed',
      'credential-pending',
    ]);
  });

  it('a batch holding a pending record among others is fsync\'d once, before any of them resolves', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    await journal.append(sent(C)); // the file is open and its tail checked
    const { events, restore } = await recordFsyncs();
    try {
      // A write under way (not waited for) makes the next three wait and go out together, the pending in the middle.
      const busy = journal.append(sent(C));
      const appends = [journal.append(sent(A)), journal.append(pending(B)), journal.append(failed(A, false, 'x'))];
      appends.forEach((a, i) => void a.then(() => events.push(`resolved ${i}`)));
      await busy;
      events.length = 0; // the busy write was a sent record: no fsync, nothing to see
      await Promise.all(appends);
    } finally {
      restore();
    }
    expect(events[0]).to.equal('sync');
    expect(events.filter((e) => e === 'sync')).to.have.length(1);
    expect(events.slice(1).sort()).to.deep.equal(['resolved 0', 'resolved 1', 'resolved 2']);
  });

  it('flush puts the records written since the last fsync on disk, once, and does nothing when there are none', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    const { events, restore } = await recordFsyncs();
    try {
      await journal.flush();
      expect(events).to.deep.equal([]); // nothing written yet
      await journal.append(pending(A));
      await journal.flush();
      expect(events).to.deep.equal(['sync']); // the pending record was fsync'd already
      const unfinished = journal.append(sent(A)); // not waited for: flush must include it
      await journal.flush();
      expect(events).to.deep.equal(['sync', 'sync']);
      await unfinished;
      await journal.flush();
      expect(events).to.deep.equal(['sync', 'sync']);
    } finally {
      restore();
    }
    expect(lines(dir)).to.have.length(2);
  });

  it('folds: pending → sent clears; pending → failed stays with lastFailure; dropped clears; pending again after sent', async () => {
    const journal = await openJournal(stateDir());
    await journal.append(pending(A));
    await journal.append(pending(B));
    await journal.append(pending(C));
    await journal.append(sent(A));
    await journal.append(failed(B, false, '451 tente depois'));
    await journal.append(failed(B, true, '550 usuário desconhecido'));
    await journal.append(dropped(C));
    expect((await journal.pending()).map((p) => [p.dn, p.lastFailure?.reason])).to.deep.equal([[B, '550 usuário desconhecido']]);
    const b = (await journal.pending())[0];
    expect(b).to.include({ dn: B, login: 'bia', email: 'bia@example.org', name: 'Fulano' });
    expect(b?.lastFailure?.permanent).to.equal(true);

    await journal.append(pending(A, 'r2'));
    expect((await journal.pending()).map((p) => p.dn)).to.deep.equal([B, A]);
  });

  it('a new pending clears the failure of the previous attempt', async () => {
    const journal = await openJournal(stateDir());
    await journal.append(pending(A));
    await journal.append(failed(A, false, 'timeout'));
    await journal.append(pending(A, 'r2'));
    const [a] = await journal.pending();
    expect(a?.lastFailure).to.equal(undefined);
    await journal.append(sent(A));
    await journal.append(failed(A, true, 'late failure of an old attempt'));
    expect(await journal.pending()).to.deep.equal([]);
  });

  it('knows which órgãos got the training notice', async () => {
    const journal = await openJournal(stateDir());
    await journal.append({ type: 'training-notified', orgao: 'SMADS', to: ['a@x.org'], runId: 'r1', time: time() });
    expect([...(await journal.trainingNotified())]).to.deep.equal(['SMADS']);
  });

  it('survives reopening: the state is in the file', async () => {
    const dir = stateDir();
    await (await openJournal(dir)).append(pending(A));
    expect((await (await openJournal(dir)).pending()).map((p) => p.dn)).to.deep.equal([A]);
  });

  it('skips a truncated last line (a crash mid-write) without error, and the next append starts clean', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    await journal.append(pending(A));
    await journal.append(pending(B));
    appendFileSync(join(dir, JOURNAL_FILE), JSON.stringify(sent(A)).slice(0, 30));
    expect((await journal.pending()).map((p) => p.dn)).to.deep.equal([A, B]);

    const reopened = await openJournal(dir);
    expect((await reopened.pending()).map((p) => p.dn)).to.deep.equal([A, B]);
    await reopened.append(sent(B));
    expect(lines(dir)).to.have.length(3);
    expect((await reopened.pending()).map((p) => p.dn)).to.deep.equal([A]);
  });

  it('refuses a damaged line in the middle rather than forget a pending password', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    await journal.append(pending(A));
    appendFileSync(join(dir, JOURNAL_FILE), '{"type":"credential-se\n');
    await journal.append(pending(B));
    const err = await journal.pending().then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(SeiError);
    expect((err as SeiError).exitCode).to.equal(2);
    expect((err as SeiError).message).to.match(/linha 2/);
  });

  it('serialises concurrent appends: whole lines, in call order', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    const records = Array.from({ length: 200 }, (_, i) => ({ ...pending(`CN=u${i},OU=SMADS,DC=sei,DC=local`), name: 'x'.repeat(2000) }));
    await Promise.all(records.map((r) => journal.append(r)));
    const written = lines(dir).map((l) => (JSON.parse(l) as PendingRecord).dn);
    expect(written).to.deep.equal(records.map((r) => r.dn));
  });

  it('group commit: each append resolves only once its own line is in the file', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    const dns = Array.from({ length: 50 }, (_, i) => `CN=g${i},OU=SMADS,DC=sei,DC=local`);
    await Promise.all(
      dns.map(async (dn, i) => {
        // Staggered, so some appends arrive while an earlier write is under way.
        if (i % 3 === 0) await new Promise((r) => setImmediate(r));
        await journal.append(pending(dn));
        expect(lines(dir).map((l) => (JSON.parse(l) as PendingRecord).dn)).to.include(dn);
      }),
    );
    expect(lines(dir)).to.have.length(50);
  });

  it('refuses a record with a password-like key, writes nothing, and keeps working', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    for (const key of ['password', 'senha', 'newPassword', 'unicodePwd', 'senhaTemporaria']) {
      const bad = { ...pending(A), [key]: 'Xk7#pQ2=mN9?tR4@' } as unknown as JournalRecord;
      const err = await journal.append(bad).then(() => null, (e: unknown) => e);
      expect(err, key).to.be.instanceOf(InternalError);
      expect((err as Error).message).not.to.include('Xk7#pQ2=mN9?tR4@');
    }
    const nested = { ...pending(A), extra: { senha: 'x' } } as unknown as JournalRecord;
    await journal.append(nested).then(() => expect.fail('nested secret accepted'), (e: unknown) => expect(e).to.be.instanceOf(InternalError));
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).to.equal('');
    await journal.append(pending(A));
    expect(lines(dir)).to.have.length(1);
  });

  it('reads a journal that does not exist yet as empty', async () => {
    const dir = stateDir();
    const journal = await openJournal(dir);
    writeFileSync(join(dir, JOURNAL_FILE), '');
    expect(await journal.pending()).to.deep.equal([]);
    expect((await journal.trainingNotified()).size).to.equal(0);
  });
});
