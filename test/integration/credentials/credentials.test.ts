import { expect } from 'chai';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { Attribute, Change, type Client } from 'ldapts';
import { applyCommand } from '../../../src/app/applyCommand.js';
import { resendCommand } from '../../../src/app/resendCommand.js';
import { openJournal } from '../../../src/adapters/journal/FileJournal.js';
import { extractPassword, startSmtpServer, type TestSmtpServer } from '../../support/smtpServer.js';
import { bindResult, cpfFor, newRun, newWorkDir, reader, writeForm } from '../harness.js';
import { readLocalAd, resetLocalAd, type LocalAdConnection } from '../localAd.js';

const USERS = 'OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';

const toOf = (m: ParsedMail): string => (m.to && !Array.isArray(m.to) ? m.to.text : '');
const OPERATOR = 'operador@prodesp.sp.gov.br';
/** Messages to people (the operator's summary aside). */
const toPeople = (all: ParsedMail[]) => all.filter((m) => toOf(m) !== OPERATOR);

/** Every file under `dir`, recursively, except the outbox (which carries passwords by design). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'outbox') return [];
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('credentials by e-mail, never lost (real Samba, real SMTP)', function () {
  this.timeout(180_000);
  let ad: LocalAdConnection;
  let smtp: TestSmtpServer;
  let work: string;
  let client: Client;
  const outputs: string[] = [];
  const passwords: string[] = [];

  const people = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ['Sorocaba', 'PMS', `Pessoa Teste ${String.fromCharCode(65 + from + i)}`, cpfFor(300 + from + i), `p${from + i}@sorocaba.sp.gov.br`, 'Agente']);

  async function run<T>(fn: (ctx: ReturnType<typeof newRun>['ctx']) => Promise<T>): Promise<T> {
    const r = newRun(work, {
      env: { SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: smtp.caFile },
      flags: { config: join(work, 'config.json') },
    });
    try {
      return await fn(r.ctx);
    } finally {
      await r.close();
      outputs.push(r.stdout(), r.stderr());
    }
  }

  const dnOf = async (cpf: string) => {
    const { searchEntries } = await client.search(USERS, { filter: `(employeeID=${cpf})`, attributes: ['dn'] });
    return searchEntries[0]!.dn;
  };

  before(async () => {
    resetLocalAd();
    ad = readLocalAd();
    smtp = await startSmtpServer({ tls: 'starttls' });
    work = newWorkDir('sei-cred-');
    // Small timeouts so an outage is felt in seconds, not minutes.
    writeFileSync(join(work, 'config.json'), JSON.stringify({ mail: { timeoutMs: 2000, retries: 1, operators: [OPERATOR] } }));
    client = await reader(ad);
  });
  after(async () => {
    await client?.unbind();
    await smtp?.stop();
  });

  it('sends exactly one pt-BR message per new account, whose password binds as "must change" (773)', async () => {
    const form = writeForm(work, 'a.csv', people(3, 0));
    const result = await run((ctx) => applyCommand(ctx, { files: [form], yes: true, training: false }));
    expect(result.exitCode).to.equal(0);
    await smtp.waitForMessages(4, 10_000);
    expect(toPeople(smtp.messages)).to.have.length(3);
    expect(toPeople(smtp.messages).map(toOf).sort()).to.deep.equal(['p0@sorocaba.sp.gov.br', 'p1@sorocaba.sp.gov.br', 'p2@sorocaba.sp.gov.br']);
    expect(smtp.received.every((r) => r.secure)).to.equal(true);
    const summary = smtp.messages.filter((m) => toOf(m) === OPERATOR);
    expect(summary).to.have.length(1);
    expect(summary[0]!.subject).to.match(/resumo/i);
    for (const seed of [0, 1, 2]) expect(summary[0]!.text).to.not.contain(cpfFor(300 + seed));
    for (const mail of toPeople(smtp.messages)) {
      expect(mail.subject).to.contain('SEI Cidades');
      expect(mail.text).to.contain('Senha temporária');
      const password = extractPassword(mail);
      passwords.push(password);
      expect(mail.subject).to.not.contain(password);
      const seed = Number(/^p(\d+)@/.exec(toOf(mail))![1]);
      expect(await bindResult(ad, await dnOf(cpfFor(300 + seed)), password)).to.match(/data 773/);
    }
    expect(await (await openJournal(join(work, 'estado'))).pending()).to.have.length(0);
  });

  it('SMTP down during an apply: accounts created, credentials pending, exit 1; back up: the next run delivers and clears them', async () => {
    await smtp.stop();
    const form = writeForm(work, 'b.csv', [...people(3, 0), ...people(2, 3)]);
    const started = Date.now();
    const down = await run((ctx) => applyCommand(ctx, { files: [form], yes: true, training: false }));
    expect(Date.now() - started).to.be.lessThan(30_000);
    expect(down.exitCode).to.equal(1);
    expect(down.pendingCredentials).to.equal(2);
    for (const seed of [3, 4]) expect(await dnOf(cpfFor(300 + seed))).to.be.a('string');
    const journal = await openJournal(join(work, 'estado'));
    expect((await journal.pending()).map((p) => p.email).sort()).to.deep.equal(['p3@sorocaba.sp.gov.br', 'p4@sorocaba.sp.gov.br']);
    // Named in the report (and so in the operators' mail), not only on the terminal nobody reads at night.
    const report = JSON.parse(readFileSync(join(down.reportDir, 'relatorio.json'), 'utf8')) as { warnings: { message: string }[] };
    const undelivered = report.warnings.filter((w) => w.message.includes('não entregue')).map((w) => /\((p\d@[^)]+)\)/.exec(w.message)?.[1]);
    expect(undelivered.sort()).to.deep.equal(['p3@sorocaba.sp.gov.br', 'p4@sorocaba.sp.gov.br']);

    await smtp.start();
    const before = smtp.messages.length;
    const back = await run((ctx) => applyCommand(ctx, { files: [form], yes: true, training: false }));
    expect(back.exitCode).to.equal(0);
    expect(back.pendingCredentials).to.equal(0);
    const fresh = toPeople(smtp.messages.slice(before));
    expect(fresh.map(toOf).sort()).to.deep.equal(['p3@sorocaba.sp.gov.br', 'p4@sorocaba.sp.gov.br']);
    for (const mail of fresh) {
      const password = extractPassword(mail);
      passwords.push(password);
      const seed = Number(/^p(\d+)@/.exec(toOf(mail))![1]);
      expect(await bindResult(ad, await dnOf(cpfFor(300 + seed)), password)).to.match(/data 773/);
    }
    expect(await journal.pending()).to.have.length(0);
  });

  it('a permanent refusal (550) is reported with the person and the server reply, and stays pending', async () => {
    smtp.rejectRecipients((a) => a.startsWith('p5@'));
    const form = writeForm(work, 'c.csv', [...people(5, 0), ...people(1, 5)]);
    let out = '';
    const result = await run(async (ctx) => {
      const original = ctx.print;
      ctx.print = (t) => {
        out += `${t}\n`;
        original(t);
      };
      return applyCommand(ctx, { files: [form], yes: true, training: false });
    });
    smtp.rejectRecipients(null);
    expect(result.exitCode).to.equal(1);
    expect(result.pendingCredentials).to.equal(1);
    expect(out).to.contain('pessoa.f ').and.contain('p5@sorocaba.sp.gov.br').and.contain('550');
    // Delivered on a later run once the mailbox accepts it.
    const before = smtp.messages.length;
    const again = await run((ctx) => resendCommand(ctx, { pending: true }));
    expect(again.exitCode).to.equal(0);
    const mail = toPeople(smtp.messages.slice(before))[0]!;
    passwords.push(extractPassword(mail));
    expect(toOf(mail)).to.equal('p5@sorocaba.sp.gov.br');
  });

  it('resend sets a new password that binds, and the old one no longer does', async () => {
    const mail = smtp.messages.find((m) => toOf(m) === 'p0@sorocaba.sp.gov.br')!;
    const old = extractPassword(mail);
    const before = smtp.messages.length;
    const masked = cpfFor(300).replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
    const result = await run((ctx) => resendCommand(ctx, { who: masked, pending: false }));
    expect(result.exitCode).to.equal(0);
    const fresh = toPeople(smtp.messages.slice(before));
    expect(fresh).to.have.length(1);
    const password = extractPassword(fresh[0]!);
    passwords.push(password);
    const dn = await dnOf(cpfFor(300));
    expect(await bindResult(ad, dn, password)).to.match(/data 773/);
    expect(await bindResult(ad, dn, old)).to.match(/data 52e/);
  });

  it('a pending credential goes to the address the directory holds now, not the one it was first sent to', async () => {
    const dn = await dnOf(cpfFor(301));
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['sAMAccountName'] });
    const login = String(searchEntries[0]?.sAMAccountName);
    await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'mail', values: ['p1.novo@sorocaba.sp.gov.br'] }) }));
    const journal = await openJournal(join(work, 'estado'));
    await journal.append({ type: 'credential-pending', dn, login, email: 'p1@sorocaba.sp.gov.br', name: 'Pessoa Teste B', runId: 'teste', time: new Date().toISOString() });
    const before = smtp.messages.length;
    const result = await run((ctx) => resendCommand(ctx, { pending: true }));
    expect(result.exitCode).to.equal(0);
    await smtp.waitForMessages(before + 1, 10_000);
    const fresh = toPeople(smtp.messages.slice(before));
    expect(fresh.map(toOf)).to.deep.equal(['p1.novo@sorocaba.sp.gov.br']);
    const password = extractPassword(fresh[0]!);
    passwords.push(password);
    expect(await bindResult(ad, dn, password)).to.match(/data 773/);
  });

  it('a credential still pending when a change of órgão moves the account follows it, and is delivered there', async () => {
    const person = (orgao: string) => [['Sorocaba', orgao, 'Pessoa Teste Mudança', cpfFor(330), 'mudanca@sorocaba.sp.gov.br', 'Agente']];
    await smtp.stop();
    try {
      const created = await run((ctx) => applyCommand(ctx, { files: [writeForm(work, 'm1.csv', person('PMS'))], yes: true, training: false }));
      expect(created.pendingCredentials).to.equal(1);
      // Mail still down the next night, when the form moves the person to another órgão.
      const moved = await run((ctx) => applyCommand(ctx, { files: [writeForm(work, 'm2.csv', person('PMV'))], yes: true, training: false }));
      expect(moved.plan.changes.find((c) => c.kind === 'update-user')).to.include({ fromOrgao: 'PMS' });
      expect(moved.pendingCredentials).to.equal(1);
    } finally {
      await smtp.start();
    }
    const dn = await dnOf(cpfFor(330));
    expect(dn).to.match(/^CN=Pessoa Teste Mudança,OU=PMV,/);
    const journal = await openJournal(join(work, 'estado'));
    expect((await journal.pending()).map((p) => p.dn)).to.deep.equal([dn]);
    const before = smtp.messages.length;
    const result = await run((ctx) => resendCommand(ctx, { pending: true }));
    expect(result.exitCode).to.equal(0);
    await smtp.waitForMessages(before + 1, 10_000);
    const fresh = toPeople(smtp.messages.slice(before));
    expect(fresh.map(toOf)).to.deep.equal(['mudanca@sorocaba.sp.gov.br']);
    const password = extractPassword(fresh[0]!);
    passwords.push(password);
    expect(await bindResult(ad, dn, password)).to.match(/data 773/);
    expect(await journal.pending()).to.deep.equal([]);
  });

  it('a pending credential whose DN now holds another account changes no password and mails nothing', async () => {
    const dn = await dnOf(cpfFor(302));
    const pwdLastSet = async () => String((await client.search(dn, { scope: 'base', attributes: ['pwdLastSet'] })).searchEntries[0]?.pwdLastSet);
    const was = await pwdLastSet();
    const journal = await openJournal(join(work, 'estado'));
    await journal.append({ type: 'credential-pending', dn, login: 'outra.pessoa', email: 'outra@sorocaba.sp.gov.br', name: 'Outra Pessoa', runId: 'teste', time: new Date().toISOString() });
    const before = smtp.messages.length;
    const result = await run((ctx) => resendCommand(ctx, { pending: true }));
    expect(result.exitCode).to.equal(1);
    expect(await pwdLastSet()).to.equal(was);
    await new Promise((r) => setTimeout(r, 500));
    expect(toPeople(smtp.messages.slice(before))).to.deep.equal([]);
    expect(await journal.pending()).to.deep.equal([]);
  });

  it('an apply the operator declines changes no password, not even of credentials left pending', async () => {
    const dn = await dnOf(cpfFor(300));
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['sAMAccountName'] });
    const login = String(searchEntries[0]?.sAMAccountName);
    // The password p0 holds now: the last one mailed to it (pwdLastSet stays 0 through a reset, so it cannot tell).
    const current = extractPassword(smtp.messages.filter((m) => toOf(m) === 'p0@sorocaba.sp.gov.br').at(-1)!);
    const journal = await openJournal(join(work, 'estado'));
    await journal.append({ type: 'credential-pending', dn, login, email: 'p0@sorocaba.sp.gov.br', name: 'Pessoa Teste A', runId: 'teste', time: new Date().toISOString() });
    const form = writeForm(work, 'recusado.csv', people(1, 20));
    const before = smtp.messages.length;
    const result = await run((ctx) => {
      ctx.confirm = async () => false;
      return applyCommand(ctx, { files: [form], yes: false, training: false });
    });
    expect(result.exitCode).to.equal(0);
    expect(await bindResult(ad, dn, current), 'the password p0 received still works').to.match(/data 773/);
    expect((await client.search(USERS, { filter: `(employeeID=${cpfFor(320)})`, attributes: ['1.1'] })).searchEntries).to.deep.equal([]);
    expect(toPeople(smtp.messages.slice(before))).to.deep.equal([]);
    expect((await journal.pending()).map((p) => p.dn)).to.deep.equal([dn]);
    // Left as the next run finds it: delivered then.
    const settled = await run((ctx) => resendCommand(ctx, { pending: true }));
    expect(settled.exitCode).to.equal(0);
    await smtp.waitForMessages(before + 1, 10_000);
    passwords.push(...toPeople(smtp.messages.slice(before)).map((m) => extractPassword(m)));
    expect(await journal.pending()).to.deep.equal([]);
  });

  it('a pending credential whose form now corrects the e-mail goes to the corrected address, not the one the directory still holds', async () => {
    const row = (email: string) => [['Sorocaba', 'PMS', 'Pessoa Teste T', cpfFor(320), email, 'Agente']];
    const typo = 'p20@sorocaba.sp.gv.br';
    const before = smtp.messages.length;
    expect((await run((ctx) => applyCommand(ctx, { files: [writeForm(work, 't1.csv', row(typo))], yes: true, training: false }))).exitCode).to.equal(0);
    await smtp.waitForMessages(before + 1, 10_000);
    // As if that mail had failed: the credential is pending, and the directory still holds the mistyped address.
    const dn = await dnOf(cpfFor(320));
    const login = String((await client.search(dn, { scope: 'base', attributes: ['sAMAccountName'] })).searchEntries[0]?.sAMAccountName);
    const journal = await openJournal(join(work, 'estado'));
    await journal.append({ type: 'credential-pending', dn, login, email: typo, name: 'Pessoa Teste T', runId: 'teste', time: new Date().toISOString() });

    const corrected = 'p20@sorocaba.sp.gov.br';
    const next = smtp.messages.length;
    const result = await run((ctx) => applyCommand(ctx, { files: [writeForm(work, 't2.csv', row(corrected))], yes: true, training: false }));
    expect(result.exitCode).to.equal(0);
    await smtp.waitForMessages(next + 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const fresh = toPeople(smtp.messages.slice(next));
    expect(fresh.map(toOf)).to.deep.equal([corrected]);
    const password = extractPassword(fresh[0]!);
    passwords.push(password);
    expect(await bindResult(ad, dn, password)).to.match(/data 773/);
    expect(String((await client.search(dn, { scope: 'base', attributes: ['mail'] })).searchEntries[0]?.mail)).to.equal(corrected);
  });

  it('a pending credential of a person who already changed the password is closed: their password stays, nothing is mailed', async () => {
    const dn = await dnOf(cpfFor(300));
    const login = String((await client.search(dn, { scope: 'base', attributes: ['sAMAccountName'] })).searchEntries[0]?.sAMAccountName);
    // -1 stamps pwdLastSet with the current time, as a password change by the person does.
    await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdLastSet', values: ['-1'] }) }));
    const pwdLastSet = async () => String((await client.search(dn, { scope: 'base', attributes: ['pwdLastSet'] })).searchEntries[0]?.pwdLastSet);
    const stamped = await pwdLastSet();
    expect(stamped).to.not.equal('0');
    const journal = await openJournal(join(work, 'estado'));
    await journal.append({ type: 'credential-pending', dn, login, email: 'p0@sorocaba.sp.gov.br', name: 'Pessoa Teste A', runId: 'teste', time: new Date().toISOString() });
    const before = smtp.messages.length;
    const result = await run((ctx) => resendCommand(ctx, { pending: true }));
    expect(result.exitCode).to.equal(0);
    expect(await pwdLastSet()).to.equal(stamped);
    await new Promise((r) => setTimeout(r, 500));
    expect(toPeople(smtp.messages.slice(before))).to.deep.equal([]);
    expect(await journal.pending()).to.deep.equal([]);
  });

  it('a pending credential follows an account an administrator renamed by hand since, instead of being dropped', async () => {
    const dn = await dnOf(cpfFor(320));
    const login = String((await client.search(dn, { scope: 'base', attributes: ['sAMAccountName'] })).searchEntries[0]?.sAMAccountName);
    const journal = await openJournal(join(work, 'estado'));
    await journal.append({ type: 'credential-pending', dn, login, email: 'p20@sorocaba.sp.gov.br', name: 'Pessoa Teste T', runId: 'teste', time: new Date().toISOString() });
    await client.modifyDN(dn, `CN=Pessoa T Renomeada,${dn.slice(dn.indexOf(',') + 1)}`);
    const renamed = await dnOf(cpfFor(320));
    expect(renamed).to.not.equal(dn);
    const before = smtp.messages.length;
    const result = await run((ctx) => resendCommand(ctx, { pending: true }));
    expect(result.exitCode).to.equal(0);
    await smtp.waitForMessages(before + 1, 10_000);
    const fresh = toPeople(smtp.messages.slice(before));
    expect(fresh.map(toOf)).to.deep.equal(['p20@sorocaba.sp.gov.br']);
    const password = extractPassword(fresh[0]!);
    passwords.push(password);
    expect(await bindResult(ad, renamed, password)).to.match(/data 773/);
    expect(await journal.pending()).to.deep.equal([]);
  });

  it('no password appears in any log, report, journal, plan or console output', () => {
    expect(passwords.length).to.be.greaterThan(5);
    const files = filesUnder(work);
    expect(files.some((f) => f.includes('credenciais.jsonl'))).to.equal(true);
    expect(files.some((f) => f.endsWith('.jsonl') && f.includes('logs'))).to.equal(true);
    expect(files.some((f) => f.endsWith('relatorio.html'))).to.equal(true);
    const everything = [...files.map((f) => readFileSync(f, 'utf8')), ...outputs];
    for (const password of passwords) {
      for (const text of everything) expect(text.includes(password)).to.equal(false, `password found`);
    }
  });
});
