import dns from 'node:dns';
import net from 'node:net';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { createSmtpMailer, type SmtpMailerSettings } from '../../../src/adapters/mail/SmtpMailer.js';
import { MailError } from '../../../src/domain/errors.js';
import { newAccountMessage, testMessage } from '../../../src/messages/mail.js';
import type { Mailer, OutgoingMessage } from '../../../src/ports/Mailer.js';
import { extractPassword, startSmtpServer, unrelatedCaFile, type TestSmtpOptions, type TestSmtpServer } from '../../support/smtpServer.js';

const PASSWORD = 'Xk7#pQ2=mN9?tR4@';

function accountMessage(to: string, password = PASSWORD): OutgoingMessage {
  return {
    to,
    ...newAccountMessage({
      name: 'Maria Aparecida de Souza',
      login: 'maria.souza',
      upn: 'maria.souza@sei.local',
      password,
      email: to,
      loginUrl: 'https://sei.sp.gov.br/sip/login.php',
      support: 'suporte',
      orgao: 'SMADS',
      municipio: 'São Paulo',
    }),
  };
}

async function failureOf(p: Promise<unknown>): Promise<MailError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e, 'expected a MailError').to.be.instanceOf(MailError);
  return e as MailError;
}

/** Neither the message nor the cause chain of an error may carry the password. */
function expectNoSecret(e: unknown, secret = PASSWORD): void {
  expect(inspect(e, { depth: null, showHidden: true })).not.to.include(secret);
  expect(JSON.stringify(e)).not.to.include(secret);
}

describe('adapters/mail/SmtpMailer against a real SMTP server', function () {
  this.timeout(20000);
  const servers: TestSmtpServer[] = [];
  const mailers: Mailer[] = [];

  async function server(options: TestSmtpOptions): Promise<TestSmtpServer> {
    const s = await startSmtpServer(options);
    servers.push(s);
    return s;
  }
  function mailer(smtp: TestSmtpServer, over: Partial<SmtpMailerSettings> = {}): Mailer {
    const m = createSmtpMailer({
      url: smtp.url,
      user: '',
      caFile: smtp.caFile,
      allowPlainLoopback: false,
      from: 'SEI Cidades <sei-cidades@example.org>',
      concurrency: 2,
      timeoutMs: 3000,
      retries: 2,
      retryBaseMs: 20,
      ...over,
    });
    mailers.push(m);
    return m;
  }

  afterEach(async () => {
    await Promise.all(mailers.splice(0).map((m) => m.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  describe('encryption', () => {
    it('STARTTLS with the CA file: verifies, delivers, and the password is on its line', async () => {
      const smtp = await server({ tls: 'starttls' });
      const m = mailer(smtp);
      await m.verify();
      const receipt = await m.send(accountMessage('maria.souza@prefeitura.sp.gov.br'));
      expect(receipt.response).to.match(/^250 /);
      const [mail] = await smtp.waitForMessages(1);
      expect(smtp.received[0]?.secure).to.equal(true);
      expect(smtp.received[0]?.envelope.to).to.deep.equal(['maria.souza@prefeitura.sp.gov.br']);
      expect(mail?.subject).to.equal('SEI Cidades — sua conta de acesso (SMADS)');
      expect(mail?.messageId).to.equal(receipt.messageId);
      expect(extractPassword(mail!)).to.equal(PASSWORD);
      // Headers on the wire: the password is nowhere outside the body.
      const raw = smtp.received[0]?.raw ?? '';
      expect(raw.slice(0, raw.indexOf('\r\n\r\n'))).not.to.include(PASSWORD);
    });

    it('implicit TLS (smtps://) delivers', async () => {
      const smtp = await server({ tls: 'implicit' });
      expect(smtp.url).to.match(/^smtps:/);
      await mailer(smtp).send({ to: 'a@example.org', ...testMessage() });
      expect(smtp.received[0]?.secure).to.equal(true);
    });

    for (const tls of ['starttls', 'implicit'] as const) {
      it(`refuses a certificate signed by another CA (${tls}), at once and without retrying`, async () => {
        const smtp = await server({ tls });
        const m = mailer(smtp, { caFile: unrelatedCaFile(), retries: 3 });
        const e = await failureOf(m.send(accountMessage('a@example.org')));
        expect(e.permanent).to.equal(false);
        expect(e.message).to.match(/certificado/).and.include('SEI_SMTP_CA_FILE');
        expectNoSecret(e);
        expect(smtp.connections).to.equal(1);
        expect(smtp.messages).to.have.length(0);
        await failureOf(m.verify());
      });
    }

    it('refuses a certificate from a private CA when no CA file is given (system CAs only)', async () => {
      const smtp = await server({ tls: 'starttls' });
      const e = await failureOf(mailer(smtp, { caFile: '' }).send(accountMessage('a@example.org')));
      expect(e.message).to.match(/certificado/);
    });

    it('smtp:// to a server without STARTTLS is refused, even on loopback, without allowPlainLoopback', async () => {
      const smtp = await server({ tls: 'none' });
      const m = mailer(smtp, { retries: 3 });
      const e = await failureOf(m.send(accountMessage('a@example.org')));
      expect(e.permanent).to.equal(false);
      expect(e.message).to.match(/STARTTLS/).and.include('mail.allowPlainLoopback');
      expect(smtp.connections).to.equal(1);
      expect(smtp.messages).to.have.length(0);
      await failureOf(m.verify());
    });

    it('allowPlainLoopback lets smtp:// to 127.0.0.1 go without TLS', async () => {
      const smtp = await server({ tls: 'none' });
      const m = mailer(smtp, { allowPlainLoopback: true });
      await m.verify();
      await m.send(accountMessage('a@example.org'));
      expect(smtp.received[0]?.secure).to.equal(false);
    });

    it('allowPlainLoopback to "localhost" connects to 127.0.0.1 itself, never to what DNS answers for the name', async () => {
      const smtp = await server({ tls: 'none' });
      const asked: string[] = [];
      const resolver = dns.Resolver.prototype as unknown as { resolve4: (host: string, cb: (e: Error | null, a?: string[]) => void) => void }; // what nodemailer asks first
      const original = resolver.resolve4;
      // A site DNS (or a search domain's "localhost.<domínio>") answering elsewhere.
      resolver.resolve4 = (host, cb) => {
        asked.push(host);
        cb(null, ['192.0.2.1']);
      };
      try {
        const m = createSmtpMailer({ url: `smtp://localhost:${smtp.port}`, user: '', caFile: '', allowPlainLoopback: true, from: 'sei@example.org', concurrency: 1, timeoutMs: 2000, retries: 0 });
        mailers.push(m);
        await m.send(accountMessage('a@example.org'));
      } finally {
        resolver.resolve4 = original;
      }
      expect(asked).to.deep.equal([]);
      expect(smtp.messages).to.have.length(1);
    });

    it('authenticates when a user is set, and a refused login is not blamed on the recipient', async () => {
      const smtp = await server({ tls: 'starttls', auth: { user: 'sei', pass: 'certa' } });
      await mailer(smtp, { user: 'sei', password: 'certa' }).send(accountMessage('a@example.org'));
      expect(smtp.messages).to.have.length(1);
      const e = await failureOf(mailer(smtp, { user: 'sei', password: 'errada' }).send(accountMessage('b@example.org')));
      expect(e.permanent).to.equal(false);
      expect(e.message).to.include('SEI_SMTP_USER');
      expect(e.message).not.to.include('errada');
    });
  });

  describe('failures', () => {
    it('550 is a permanent MailError quoting the server, sent once, without the body', async () => {
      const smtp = await server({ tls: 'starttls' });
      smtp.rejectRecipients((a) => a.startsWith('nao.existe'));
      const m = mailer(smtp, { retries: 3 });
      const e = await failureOf(m.send(accountMessage('nao.existe@example.org')));
      expect(e.permanent).to.equal(true);
      expect(e.serverResponse).to.match(/^550 5\.1\.1/);
      expect(e.message).to.include('550 5.1.1').and.include('nao.existe@example.org');
      expectNoSecret(e);
      expect(smtp.rcptCount).to.equal(1);
      // The pooled connection is still good for the next person.
      await m.send(accountMessage('maria@example.org'));
      expect(smtp.messages).to.have.length(1);
    });

    it('451 is retried `retries` times, then a transient MailError', async () => {
      const smtp = await server({ tls: 'starttls' });
      smtp.tempFail(true);
      const e = await failureOf(mailer(smtp, { retries: 2 }).send(accountMessage('a@example.org')));
      expect(e.permanent).to.equal(false);
      expect(e.message).to.include('451');
      expectNoSecret(e);
      expect(smtp.rcptCount).to.equal(3);
    });

    it('a 451 that clears up while retrying is delivered', async () => {
      const smtp = await server({ tls: 'starttls' });
      smtp.tempFail(true);
      setTimeout(() => smtp.tempFail(false), 150);
      await mailer(smtp, { retries: 4, retryBaseMs: 100 }).send(accountMessage('a@example.org'));
      expect(smtp.messages).to.have.length(1);
      expect(smtp.rcptCount).to.be.greaterThan(1);
    });

    it('SMTP down (port closed) fails transient quickly; back up, the same mailer delivers', async () => {
      const smtp = await server({ tls: 'starttls' });
      const m = mailer(smtp, { retries: 2 });
      await m.send(accountMessage('a@example.org'));
      await smtp.stop();
      const started = Date.now();
      const e = await failureOf(m.send(accountMessage('b@example.org')));
      expect(Date.now() - started).to.be.lessThan(1000);
      expect(e.permanent).to.equal(false);
      expect(e.message).to.match(/conectar/);
      expectNoSecret(e);
      await smtp.start();
      await m.send(accountMessage('c@example.org'));
      expect(smtp.messages.map((x) => x.to && !Array.isArray(x.to) ? x.to.text : '')).to.deep.equal(['a@example.org', 'c@example.org']);
    });

    it('a server that never greets is bounded by timeoutMs, per attempt', async () => {
      const smtp = await server({ tls: 'starttls', failMode: 'stall-greeting' });
      const started = Date.now();
      const e = await failureOf(mailer(smtp, { timeoutMs: 800, retries: 1 }).send(accountMessage('a@example.org')));
      const elapsed = Date.now() - started;
      expect(elapsed).to.be.within(1500, 3000);
      expect(e.permanent).to.equal(false);
      expect(e.message).to.include('800 ms');
      expect(smtp.connections).to.equal(2);
    });

    it('a server that hangs after DATA is bounded by timeoutMs, without the body in the error', async () => {
      const smtp = await server({ tls: 'starttls' });
      smtp.stall(true, 'data');
      const started = Date.now();
      const e = await failureOf(mailer(smtp, { timeoutMs: 1000, retries: 0 }).send(accountMessage('a@example.org')));
      expect(Date.now() - started).to.be.within(900, 2500);
      expect(e.permanent).to.equal(false);
      expectNoSecret(e);
    });

    it('a relay that drips a line every so often (a tarpit) is bounded too: one attempt gets 6 × timeoutMs in all', async () => {
      // Every 100 ms one more line of the EHLO answer, never the last: no pause ever reaches timeoutMs.
      const tarpit = net.createServer((socket) => {
        socket.on('error', () => undefined);
        socket.write('220 tarpit ESMTP\r\n');
        socket.once('data', () => {
          const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write('250-X-DRIP\r\n')), 100);
        });
      });
      await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
      try {
        const port = (tarpit.address() as net.AddressInfo).port;
        const m = createSmtpMailer({ url: `smtp://127.0.0.1:${port}`, user: '', caFile: '', allowPlainLoopback: true, from: 'sei@example.org', concurrency: 1, timeoutMs: 300, retries: 0 });
        mailers.push(m);
        const started = Date.now();
        const e = await failureOf(m.send(accountMessage('a@example.org')));
        expect(Date.now() - started).to.be.within(1700, 3500);
        expect([e.permanent, e.serverResponse]).to.deep.equal([false, undefined]);
        expect(e.message).to.include('1800 ms');
      } finally {
        tarpit.close();
      }
    });

    it('verify() reports a server that is down', async () => {
      const smtp = await server({ tls: 'starttls' });
      await smtp.stop();
      const e = await failureOf(mailer(smtp).verify());
      expect(e.message).to.match(/conectar/);
    });
  });

  describe('pool', () => {
    it('delivers many messages concurrently over at most `concurrency` connections', async () => {
      const smtp = await server({ tls: 'starttls' });
      const m = mailer(smtp, { concurrency: 3 });
      const to = Array.from({ length: 12 }, (_, i) => `pessoa${i}@example.org`);
      const receipts = await Promise.all(to.map((t) => m.send(accountMessage(t, `Pw#${i(t)}xyzABCD2`))));
      expect(new Set(receipts.map((r) => r.messageId)).size).to.equal(12);
      expect(smtp.messages).to.have.length(12);
      expect(smtp.connections).to.be.at.most(3);
      for (const mail of smtp.messages) {
        const address = mail.to && !Array.isArray(mail.to) ? mail.to.text : '';
        expect(extractPassword(mail)).to.equal(`Pw#${i(address)}xyzABCD2`);
      }
    });

    it('refuses to send after close()', async () => {
      const smtp = await server({ tls: 'starttls' });
      const m = mailer(smtp);
      await m.close();
      await failureOf(m.send(accountMessage('a@example.org')));
      expect(smtp.connections).to.equal(0);
    });
  });
});

/** The index in `pessoaN@…`, so each message carries a password of its own. */
function i(address: string): string {
  return /pessoa(\d+)@/.exec(address)?.[1] ?? '?';
}
