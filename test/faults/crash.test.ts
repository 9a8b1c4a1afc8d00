/**
 * Crash: the real CLI applies a 300-person batch and is SIGKILLed at distinct points of every phase, then
 * run again; after the last run nothing may be lost — one account per person, none half-created, no
 * credential pending, and the latest message of each person carries the password that works.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'ldapts';
import { openJournal } from '../../src/adapters/journal/FileJournal.js';
import { newWorkDir, writeForm } from '../integration/harness.js';
import { type LocalAdConnection } from '../integration/localAd.js';
import { type TestSmtpServer } from '../support/smtpServer.js';
import { captured, figures } from './support/capture.js';
import { runCliWith, watchAudit, watchJournal, type AuditLine, type CliRun } from './support/cli.js';
import { formRows, makePeople, type TestPerson } from './support/people.js';
import { checkAccounts, checkHalfCreated, checkLatestPasswords, checkNothingPending, checkTraining } from './support/verify.js';
import { startFaultServers, stopFaultServers } from './support/servers.js';

const TRAINING_COUNT = 2;
const ORGAOS = ['PMS', 'PMC', 'PMJ', 'PMB', 'PMM', 'PMT'];

/** What a kill condition sees: counts since the run started. */
interface RunView {
  audits: (predicate: (a: AuditLine) => boolean) => number;
  pending: () => number;
  sent: () => number;
  received: () => number;
  ms: () => number;
}

interface CrashPoint {
  label: string;
  /** Before the run: e.g. make the SMTP server stall. */
  setUp?: () => void;
  when: (v: RunView) => boolean;
  tearDown?: () => void;
}

const isGroupAdd = (a: AuditLine) => a.action === 'add' && /^CN=SEI-/i.test(a.dn);
const isOuAdd = (a: AuditLine) => a.action === 'add' && /^OU=/i.test(a.dn);
const isTrainingAdd = (a: AuditLine) => a.action === 'add' && /^CN=usuario\d+,/i.test(a.dn);
const isPersonAdd = (a: AuditLine) => a.action === 'add' && /,OU=Usuarios,/i.test(a.dn);
/** True from `ms` after `event` first held. */
function sinceEvent(ms: number, event: (v: RunView) => boolean): (v: RunView) => boolean {
  let since: number | undefined;
  return (v) => {
    if (since === undefined && event(v)) since = Date.now();
    return since !== undefined && Date.now() - since >= ms;
  };
}
const isPersonGroupMembership = (a: AuditLine) =>
  a.action === 'modify' && a.attributes.includes('member') && /^CN=SEI-/i.test(a.dn) && !/Treinamento/i.test(a.dn);

describe('crash: SIGKILL at many points of a 300-person apply, then run again (real CLI, Samba, SMTP)', function () {
  this.timeout(300_000);
  let ad: LocalAdConnection;
  let smtp: TestSmtpServer;
  let client: Client;
  let work: string;
  let form: string;
  let people: TestPerson[];
  const runs: CliRun[] = [];

  const env = () => ({ SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: smtp.caFile });

  async function apply(point?: CrashPoint, formFile = form): Promise<CliRun> {
    const audit = watchAudit(work);
    const journal = watchJournal(work);
    audit.poll();
    const auditBase = audit.all.length;
    const pendingBase = journal.count('credential-pending');
    const sentBase = journal.count('credential-sent');
    const receivedBase = smtp.received.length;
    const started = Date.now();
    const view: RunView = {
      audits: (predicate) => audit.poll().slice(auditBase).filter(predicate).length,
      pending: () => journal.count('credential-pending') - pendingBase,
      sent: () => journal.count('credential-sent') - sentBase,
      received: () => smtp.received.length - receivedBase,
      ms: () => Date.now() - started,
    };
    point?.setUp?.();
    try {
      const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', formFile], {
        env: env(),
        ...(point ? { killWhen: () => point.when(view) } : {}),
        label: point ? `apply killed ${point.label}` : 'apply',
      });
      runs.push(r);
      return r;
    } finally {
      point?.tearDown?.();
    }
  }

  before(async () => {
    ({ ad, smtp, client } = await startFaultServers());
    work = newWorkDir('sei-faults-crash-');
    const config = join(work, 'config.json');
    // Mail timeouts long enough that a stalled server is still "in flight" when the kill lands.
    writeFileSync(config, JSON.stringify({ naming: { trainingCount: TRAINING_COUNT }, mail: { timeoutMs: 10_000, retries: 1 }, directory: { timeoutMs: 10_000, connectTimeoutMs: 3000 } }));
    people = makePeople(300, 20_000);
    form = writeForm(work, 'formulario-300.csv', formRows(people));
    captured.inputs.add(config).add(form);
  });
  after(async () => {
    await stopFaultServers({ client, smtp });
  });

  const points: CrashPoint[] = [
    { label: 'during OU creation (after the 2nd OU add)', when: (v) => v.audits(isOuAdd) >= 2 },
    { label: 'during group creation (after the 3rd group add)', when: (v) => v.audits(isGroupAdd) >= 3 },
    { label: 'mid person creation (40 accounts added in this run)', when: (v) => v.audits(isPersonAdd) >= 40 },
    {
      label: 'between account creation and mail (SMTP stalled at DATA, 60 accounts added)',
      setUp: () => smtp.stall(true, 'data'),
      when: (v) => v.audits(isPersonAdd) >= 60,
      tearDown: () => smtp.stall(false),
    },
    { label: 'right after the SMTP server accepted 25 messages (before "sent" reaches the journal)', when: (v) => v.received() >= 25 },
    { label: 'right after the first credential-pending of the run (settling earlier pending credentials)', when: (v) => v.pending() >= 1 },
    { label: 'mid person creation, 700 ms after the first person was added (a moment, not an event)', when: sinceEvent(700, (v) => v.audits(isPersonAdd) >= 1) },
    { label: 'during training accounts (after the first one was added disabled, before its password)', when: (v) => v.audits(isTrainingAdd) >= 1 },
    { label: 'during memberships (after the first person-group modify)', when: (v) => v.audits(isPersonGroupMembership) >= 1 },
  ];

  for (const point of points) {
    it(`killed ${point.label}`, async () => {
      const pendingBefore = (await (await openJournal(join(work, 'estado'))).pending()).length;
      const r = await apply(point);
      expect(r.killed, `the run ended by itself before the crash point (exit ${r.code}):\n${r.stdout}\n${r.stderr}`).to.equal(true);
      figures.crashPoints.push(`${point.label} [${r.ms} ms, ${pendingBefore} pending before]`);
    });
  }

  it('the next run completes: exit 0', async () => {
    const r = await apply();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
  });

  it('and one more changes nothing', async () => {
    const r = await apply();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.contain('Nada a fazer');
  });

  it('lost nothing: one complete account per person, none half-created, nothing pending', async () => {
    const problems = [
      ...(await checkAccounts(client, people)),
      ...(await checkHalfCreated(client)),
      ...(await checkTraining(client, ad, ORGAOS, TRAINING_COUNT)),
      ...(await checkNothingPending(work)),
    ];
    figures.lost.push(...problems.map((p) => `crash: ${p}`));
    expect(problems).to.deep.equal([]);
  });

  it("each person's latest message carries the valid password; every earlier one is refused", async () => {
    const { problems, messages, oldPasswordsRefused } = await checkLatestPasswords(client, ad, people, smtp);
    figures.lost.push(...problems.map((p) => `crash: ${p}`));
    expect(problems).to.deep.equal([]);
    expect(messages).to.be.at.least(people.length);
    // The crashes must have forced some fresh passwords, or the property was never exercised.
    expect(oldPasswordsRefused).to.be.greaterThan(0);
    figures.faultsSurvived.push(`${points.length} SIGKILLs of apply (${messages} messages for 300 people, ${oldPasswordsRefused} superseded passwords refused)`);
  });
  describe('then a change of órgão for a dozen people, killed mid-way', () => {
    const isMove = (a: AuditLine) => a.action === 'move';
    let moved: TestPerson[];
    let movedForm: string;
    before(() => {
      // Twelve people go to the next órgão (4 % of 300, under the move limit); two others lose their perfil.
      moved = people.map((p, i) => {
        if (i < 12) return { ...p, orgao: ORGAOS[(ORGAOS.indexOf(p.orgao) + 1) % ORGAOS.length]! };
        if (p.perfil !== 'usuario' && i < 25) return { ...p, perfil: 'usuario' as const };
        return p;
      });
      expect(moved.filter((p, i) => p.perfil !== people[i]!.perfil)).to.have.length(2);
      movedForm = writeForm(work, 'formulario-300-mudancas.csv', formRows(moved));
      captured.inputs.add(movedForm);
    });

    // The first kill lands a few moves after the 3rd (moves run side by side while the audit is polled): the
    // second is set from what is left, so it always falls in the middle of the remaining moves.
    let secondAfter = 5;
    const movePoints: CrashPoint[] = [
      { label: 'during a change of órgão (after the 3rd account moved)', when: (v) => v.audits(isMove) >= 3 },
      // The next run moves the others: killed with some of them moved and their groups not changed yet.
      {
        label: 'again, in the middle of the remaining moves',
        setUp: () => {
          const remaining = 12 - watchAudit(work).poll().filter(isMove).length;
          if (remaining < 2) throw new Error(`the first kill landed after all but ${remaining} of the 12 moves: nothing left to kill in the middle of`);
          secondAfter = Math.min(5, Math.floor(remaining / 2));
        },
        when: (v) => v.audits(isMove) >= secondAfter,
      },
    ];
    for (const point of movePoints) {
      it(`killed ${point.label}`, async () => {
        const r = await apply(point, movedForm);
        expect(r.killed, `the run ended by itself before the crash point (exit ${r.code}):\n${r.stdout}\n${r.stderr}`).to.equal(true);
        figures.crashPoints.push(`${point.label} [${r.ms} ms]`);
      });
    }

    it('the next run completes, and one more changes nothing', async () => {
      const r = await apply(undefined, movedForm);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const again = await apply(undefined, movedForm);
      expect(again.code, again.stdout + again.stderr).to.equal(0);
      expect(again.stdout).to.contain('Nada a fazer');
    });

    it('lost nothing: everyone in the new órgão OU, in exactly the groups the form gives, nothing pending', async () => {
      const problems = [...(await checkAccounts(client, moved)), ...(await checkHalfCreated(client)), ...(await checkNothingPending(work))];
      figures.lost.push(...problems.map((p) => `crash (change of órgão): ${p}`));
      expect(problems).to.deep.equal([]);
    });
  });
});
