/**
 * Mail outage and slowness (real CLI, real SMTP server with STARTTLS): the server down, the server that
 * accepts the connection and never greets, the server that takes the message and never answers, the
 * server that answers 451, and the server that goes away mid-run. Every time: the run ends in bounded
 * time with exit 1, the accounts exist, their credentials are pending; later they are delivered and the
 * latest message's password is the one that works.
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
import { runCliWith, watchJournal, type CliOptions } from './support/cli.js';
import { formRows, makePeople, type TestPerson } from './support/people.js';
import { checkAccounts, checkHalfCreated, checkLatestPasswords, checkNothingPending } from './support/verify.js';
import { startFaultServers, stopFaultServers } from './support/servers.js';

const MAIL_TIMEOUT_MS = 2000;
/** Timeouts × (retries + 1) for the sends in flight, plus backoff and the run itself: far below this. */
const BOUND_MS = 30_000;

interface Scenario {
  name: string;
  /** Break the server before the run (or arrange a break during it through `during`). */
  breakIt: (smtp: TestSmtpServer) => Promise<void> | void;
  during?: (smtp: TestSmtpServer, work: string) => Pick<CliOptions, 'killWhen' | 'onTrigger'>;
  fixIt: (smtp: TestSmtpServer) => Promise<void> | void;
  /** How the credentials are delivered later. */
  recover: 'apply' | 'resend --pending';
  /** At least this many credentials left pending by the broken run. */
  minPending: number;
}

const scenarios: Scenario[] = [
  { name: 'SMTP down (connection refused)', breakIt: (s) => s.stop(), fixIt: (s) => s.start(), recover: 'apply', minPending: 12 },
  { name: 'SMTP accepts the connection and never greets', breakIt: (s) => s.stall(true, 'greeting'), fixIt: (s) => s.stall(false), recover: 'resend --pending', minPending: 12 },
  { name: 'SMTP takes the message and never answers DATA', breakIt: (s) => s.stall(true, 'data'), fixIt: (s) => s.stall(false), recover: 'apply', minPending: 12 },
  { name: 'SMTP answers 451 to every recipient', breakIt: (s) => s.tempFail(true), fixIt: (s) => s.tempFail(false), recover: 'resend --pending', minPending: 12 },
  {
    name: 'SMTP goes away after the 4th message of the run',
    breakIt: () => undefined,
    during: (s) => {
      const base = s.received.length;
      return { killWhen: () => s.received.length - base >= 4, onTrigger: () => s.stop() };
    },
    fixIt: (s) => s.start(),
    recover: 'apply',
    minPending: 1,
  },
];

describe('mail outage and slowness: bounded, pending, later delivered (real CLI, real SMTP)', function () {
  this.timeout(300_000);
  let ad: LocalAdConnection;
  let smtp: TestSmtpServer;
  let client: Client;

  before(async () => {
    ({ ad, smtp, client } = await startFaultServers());
  });
  after(async () => {
    await stopFaultServers({ client, smtp });
  });

  scenarios.forEach((s, k) => {
    it(s.name, async () => {
      const work = newWorkDir('sei-faults-mail-');
      const config = join(work, 'config.json');
      writeFileSync(config, JSON.stringify({ naming: { trainingCount: 1 }, mail: { timeoutMs: MAIL_TIMEOUT_MS, retries: 1 } }));
      const people: TestPerson[] = makePeople(12, 50_000 + k * 100, 2);
      const form = writeForm(work, 'formulario.csv', formRows(people));
      captured.inputs.add(config).add(form);
      const env = { SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: smtp.caFile };
      const args = ['apply', '--yes', '--config', 'config.json', form];

      await s.breakIt(smtp);
      let broken;
      try {
        broken = await runCliWith(work, args, { env, ...(s.during ? s.during(smtp, work) : {}), label: `apply, ${s.name}` });
      } finally {
        await s.fixIt(smtp);
      }
      expect(broken.ms, `the run took ${broken.ms} ms`).to.be.lessThan(BOUND_MS);
      expect(broken.code, broken.stdout + broken.stderr).to.equal(1);
      const pending = await (await openJournal(join(work, 'estado'))).pending();
      expect(pending.length).to.be.at.least(s.minPending);
      expect(broken.stdout).to.match(/pendente/i);
      const made = await checkAccounts(client, people, { onlyThese: false });
      expect(made, 'the accounts exist although their mail did not go').to.deep.equal([]);

      const journal = watchJournal(work);
      const sentBefore = journal.count('credential-sent');
      const later = await runCliWith(work, s.recover === 'apply' ? args : ['resend', '--pending', '--config', 'config.json'], { env, label: `${s.recover} after ${s.name}` });
      expect(later.code, later.stdout + later.stderr).to.equal(0);
      expect(journal.count('credential-sent') - sentBefore).to.equal(pending.length);

      const problems = [
        ...(await checkAccounts(client, people, { onlyThese: false })),
        ...(await checkHalfCreated(client)),
        ...(await checkNothingPending(work)),
        ...(await checkLatestPasswords(client, ad, people, smtp)).problems,
      ];
      figures.lost.push(...problems.map((p) => `mail, ${s.name}: ${p}`));
      expect(problems).to.deep.equal([]);
      figures.faultsSurvived.push(`${s.name} (run ended in ${(broken.ms / 1000).toFixed(1)} s, ${pending.length} pending, delivered by ${s.recover})`);
    });
  });
});
