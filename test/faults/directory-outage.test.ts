/**
 * Directory outage: Samba is stopped in the middle of an apply (real CLI). The run must end within its
 * timeouts, name the failed changes and exit 1; once Samba is back the next run completes and nothing of
 * the batch is lost.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'ldapts';
import { newWorkDir, reader, writeForm } from '../integration/harness.js';
import { localAdScript, readLocalAd, resetLocalAd, upLocalAd, type LocalAdConnection } from '../integration/localAd.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer.js';
import { captured, figures } from './support/capture.js';
import { runCliWith, watchJournal } from './support/cli.js';
import { formRows, makePeople, type TestPerson } from './support/people.js';
import { checkAccounts, checkHalfCreated, checkLatestPasswords, checkNothingPending } from './support/verify.js';

const execFileAsync = promisify(execFile);

/** The report folder a run wrote last. */
function latestReport(work: string): { results?: { done: number; failed: number } } {
  const dir = join(work, 'relatorios');
  const last = readdirSync(dir).sort().pop();
  return JSON.parse(readFileSync(join(dir, last!, 'relatorio.json'), 'utf8')) as { results?: { done: number; failed: number } };
}

describe('directory outage: Samba stopped in the middle of an apply (real CLI)', function () {
  this.timeout(300_000);
  let ad: LocalAdConnection;
  let smtp: TestSmtpServer;
  let work: string;
  let form: string;
  let people: TestPerson[];
  let samba: 'up' | 'down' = 'up';

  const env = () => ({ SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: smtp.caFile });

  before(async () => {
    resetLocalAd();
    ad = readLocalAd();
    smtp = await startSmtpServer({ tls: 'starttls' });
    captured.smtpServers.push(smtp);
    work = newWorkDir('sei-faults-ldapdown-');
    const config = join(work, 'config.json');
    // Timeouts an operator could choose; the assertion below is derived from them.
    writeFileSync(config, JSON.stringify({ naming: { trainingCount: 2 }, directory: { connectTimeoutMs: 3000, timeoutMs: 10_000, retries: 2 }, mail: { timeoutMs: 5000, retries: 1 } }));
    people = makePeople(150, 40_000);
    form = writeForm(work, 'formulario.csv', formRows(people));
    captured.inputs.add(config).add(form);
  });
  after(async () => {
    // Whatever happened, leave the machine's Samba running for the next suite.
    if (samba === 'down') upLocalAd();
    await smtp?.stop();
  });

  it('ends within its timeouts (no hang), reports the failed changes and exits 1', async () => {
    const journal = watchJournal(work);
    let stoppedAt = 0;
    const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', form], {
      env: env(),
      killWhen: () => journal.count('credential-pending') >= 40,
      onTrigger: async () => {
        samba = 'down';
        await execFileAsync('bash', [localAdScript, 'down']);
        stoppedAt = Date.now();
      },
      hangMs: 240_000,
      label: 'apply with Samba stopped mid-run',
    });
    expect(stoppedAt, 'Samba was never stopped: the run ended first').to.be.greaterThan(0);
    const afterStop = Date.now() - stoppedAt;
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    // The bound comes from the run's timeouts (one connection attempt cycle, an operation in flight), not
    // from the 110 people still to go: 3 × connectTimeoutMs + 2 × timeoutMs, plus the rest of the run.
    expect(afterStop, `ran ${afterStop} ms after Samba stopped`).to.be.lessThan(3 * 3000 + 2 * 10_000 + 10_000);
    const report = latestReport(work);
    expect(report.results?.failed ?? 0).to.be.greaterThan(0);
    expect(r.stdout).to.match(/Alterações com falha \(\d+\)/);
    expect(r.stdout).to.match(/Resultado: \d+ concluídas, [1-9]\d* com falha/);
    figures.faultsSurvived.push(`directory stopped mid-apply (exit 1 ${Math.round(afterStop / 1000)} s after the stop, ${report.results?.failed} changes reported failed)`);
  });

  it('after Samba is back, the next run completes and nothing is lost', async () => {
    upLocalAd();
    samba = 'up';
    const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', form], { env: env(), label: 'apply after the outage' });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    const client: Client = await reader(ad);
    try {
      const problems = [
        ...(await checkAccounts(client, people)),
        ...(await checkHalfCreated(client)),
        ...(await checkNothingPending(work)),
        ...(await checkLatestPasswords(client, ad, people, smtp)).problems,
      ];
      figures.lost.push(...problems.map((p) => `directory outage: ${p}`));
      expect(problems).to.deep.equal([]);
    } finally {
      await client.unbind();
    }
  });
});
