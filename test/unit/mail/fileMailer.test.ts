import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { createFileMailer } from '../../../src/adapters/mail/FileMailer.js';
import { createMailer } from '../../../src/adapters/mail/createMailer.js';
import { createSmtpMailer } from '../../../src/adapters/mail/SmtpMailer.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { ConfigError, MailError } from '../../../src/domain/errors.js';
import { newAccountMessage } from '../../../src/messages/mail.js';
import { extractPassword } from '../../support/smtpServer.js';
import { recordFsyncs } from '../../support/recordFsyncs.js';

const PASSWORD = 'Xk7#pQ2=mN9?tR4@';
const message = {
  to: 'maria.souza@prefeitura.sp.gov.br',
  ...newAccountMessage({
    name: 'Maria Aparecida de Souza',
    login: 'maria.souza',
    upn: 'maria.souza@sei.local',
    password: PASSWORD,
    email: 'maria.souza@prefeitura.sp.gov.br',
    loginUrl: 'https://sei.sp.gov.br/sip/login.php',
    support: 'suporte',
    orgao: 'SMADS',
    municipio: 'São Paulo',
  }),
};

const tmp = () => mkdtempSync(join(tmpdir(), 'sei-outbox-'));

describe('adapters/mail/FileMailer', () => {
  it('puts the message on disk (fsync) before the send resolves, as a relay\'s 250 means it is kept', async () => {
    const outbox = join(tmp(), 'caixa');
    const mailer = createFileMailer({ outbox, from: 'SEI Cidades <sei@example.org>' });
    const { events, restore } = await recordFsyncs();
    try {
      await mailer.send(message);
      events.push('resolved');
    } finally {
      restore();
    }
    expect(events).to.deep.equal(['sync', 'resolved']);
  });

  it('writes a parseable .eml, 0600 in a 0700 folder, named by time and recipient', async () => {
    const outbox = join(tmp(), 'caixa');
    const mailer = createFileMailer({ outbox, from: 'SEI Cidades <sei@example.org>' });
    const receipt = await mailer.send(message);
    const files = readdirSync(outbox);
    expect(files).to.have.length(1);
    const name = files[0] ?? '';
    expect(name).to.match(/^\d{8}T\d{9}Z-maria\.souza@prefeitura\.sp\.gov\.br-1\.eml$/);
    const file = join(outbox, name);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(outbox).mode & 0o777).to.equal(0o700);
    const raw = readFileSync(file);
    expect(raw.toString('latin1')).to.include('\r\n'); // RFC 5322 line ends
    const parsed = await simpleParser(raw);
    expect(parsed.subject).to.equal('SEI Cidades — sua conta de acesso (SMADS)');
    expect(parsed.from?.text).to.include('sei@example.org');
    expect(parsed.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(extractPassword(parsed)).to.equal(PASSWORD);
    expect(parsed.html).to.include(PASSWORD);
    expect(parsed.messageId).to.equal(receipt.messageId);
    expect(receipt.response).to.include(file);
  });

  it('never overwrites: a second message to the same person gets its own file', async () => {
    const outbox = tmp();
    const mailer = createFileMailer({ outbox, from: 'sei@example.org' });
    await mailer.send(message);
    await mailer.send(message);
    expect(readdirSync(outbox)).to.have.length(2);
  });

  it('refuses anything but one mailbox, as a permanent failure, and writes nothing', async () => {
    const outbox = tmp();
    const mailer = createFileMailer({ outbox, from: 'sei@example.org' });
    for (const to of ['maria@example.org, outro@example.org', 'Maria <maria@example.org>', 'maria', 'a@b@c']) {
      const err = await mailer.send({ ...message, to }).then(() => null, (e: unknown) => e);
      expect(err, to).to.be.instanceOf(MailError);
      expect((err as MailError).permanent).to.equal(true);
    }
    expect(readdirSync(outbox)).to.have.length(0);
  });

  it("delivers to an address with an apostrophe (sant'anna@…), which validation accepts, to that one mailbox", async () => {
    const outbox = tmp();
    const mailer = createFileMailer({ outbox, from: 'sei@example.org' });
    const to = "jose.sant'anna@prefeitura.sp.gov.br";
    await mailer.send({ ...message, to });
    const files = readdirSync(outbox);
    expect(files).to.have.length(1);
    const parsed = await simpleParser(readFileSync(join(outbox, files[0] ?? '')));
    const recipients = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : [];
    expect(recipients).to.deep.equal([to]);
  });

  it('reports an outbox it cannot write as a transient MailError', async () => {
    const parent = tmp();
    writeFileSync(join(parent, 'arquivo'), '');
    const mailer = createFileMailer({ outbox: join(parent, 'arquivo', 'caixa'), from: 'sei@example.org' });
    const err = await mailer.send(message).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(MailError);
    expect((err as MailError).permanent).to.equal(false);
    expect((err as MailError).message).not.to.include(PASSWORD);
    await mailer.verify().then(() => expect.fail('verify should fail'), (e: unknown) => expect(e).to.be.instanceOf(MailError));
  });
});

describe('adapters/mail/createMailer', () => {
  const base = loadConfig({ env: {} }).mail;

  it('the default (file) writes into the outbox, relative to cwd', async () => {
    const cwd = tmp();
    const mailer = createMailer({ ...base, outbox: 'saida' }, {}, cwd);
    await mailer.send(message);
    expect(readdirSync(join(cwd, 'saida'))).to.have.length(1);
  });

  it('smtp without a user reads no password', () => {
    expect(() => createMailer({ ...base, transport: 'smtp' }, {})).not.to.throw();
  });

  it('smtp with a user needs SEI_SMTP_PASSWORD or SEI_SMTP_PASSWORD_FILE', () => {
    expect(() => createMailer({ ...base, transport: 'smtp', user: 'sei' }, {})).to.throw(ConfigError, /SEI_SMTP_PASSWORD/);
    const dir = tmp();
    writeFileSync(join(dir, 'senha'), 's3cret\n');
    expect(() => createMailer({ ...base, transport: 'smtp', user: 'sei' }, { SEI_SMTP_PASSWORD_FILE: join(dir, 'senha') })).not.to.throw();
  });

  it('refuses, at creation, a bad URL, an unreadable CA file and a user without password', () => {
    const s = { url: 'smtp://127.0.0.1:25', user: '', caFile: '', allowPlainLoopback: false, from: 'a@b', concurrency: 1, timeoutMs: 1000, retries: 0 };
    expect(() => createSmtpMailer({ ...s, url: 'http://relay:25' })).to.throw(ConfigError, /mail\.url/);
    expect(() => createSmtpMailer({ ...s, url: 'smtp://u:p@relay:25' })).to.throw(ConfigError, /mail\.url/);
    expect(() => createSmtpMailer({ ...s, caFile: '/nonexistent/ca.pem' })).to.throw(ConfigError, /mail\.caFile/);
    expect(() => createSmtpMailer({ ...s, user: 'sei' })).to.throw(ConfigError, /SEI_SMTP_PASSWORD/);
  });
});
