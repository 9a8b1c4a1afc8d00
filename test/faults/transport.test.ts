/**
 * Transport: a wrong CA is refused with a clear message (directory and mail); `ldap://` to anything but
 * loopback is refused before any connection; a failed StartTLS is never downgraded to plain — checked with
 * a fake LDAP server that records every byte it receives after refusing (or botching) StartTLS.
 */
import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newWorkDir, writeForm } from '../integration/harness.js';
import { readLocalAd, resetLocalAd, type LocalAdConnection } from '../integration/localAd.js';
import { startSmtpServer, unrelatedCaFile, type TestSmtpServer } from '../support/smtpServer.js';
import { captured, figures } from './support/capture.js';
import { runCliWith } from './support/cli.js';
import { formRows, makePeople } from './support/people.js';
import { checkNothingPending } from './support/verify.js';

type StartTlsAnswer = 'refuse' | 'accept-then-plain' | 'accept-then-silence';

/** BER: an LDAPMessage carrying an ExtendedResponse ([APPLICATION 24]) with `resultCode`. */
function extendedResponse(messageId: number, resultCode: number, diagnostic: string): Buffer {
  const diag = Buffer.from(diagnostic, 'utf8');
  const op = Buffer.concat([Buffer.from([0x0a, 0x01, resultCode, 0x04, 0x00, 0x04, diag.length]), diag]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, messageId, 0x78, op.length]), op]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** The protocolOp tags of the LDAP messages at the start of `buf` (stops at anything else, e.g. a TLS hello). */
function ldapOps(buf: Buffer): number[] {
  const ops: number[] = [];
  let i = 0;
  while (i < buf.length && buf[i] === 0x30) {
    let len = buf[i + 1] ?? 0;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | (buf[i + 2 + k] ?? 0);
      head += n;
    }
    const body = i + head;
    // messageID: 02 <n> <bytes>, then the op's tag.
    const idLen = buf[body + 1] ?? 0;
    ops.push(buf[body + 2 + idLen] ?? -1);
    i = body + len;
  }
  return ops;
}

/**
 * A fake directory on loopback that answers the client's first request (StartTLS) as told, then records
 * everything the client sends afterwards. A BindRequest ([APPLICATION 0], 0x60) or the password in what
 * it records would be a downgrade to plain.
 */
async function fakeLdap(answer: StartTlsAnswer): Promise<{ port: number; afterStartTls: () => Buffer; firstRequests: () => number[]; close: () => Promise<void> }> {
  const after: Buffer[] = [];
  const firstTags: number[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) {
        after.push(chunk);
        return;
      }
      answered = true;
      // 30 LL 02 01 <id> <op tag> ...: the ExtendedRequest's tag is 0x77.
      const id = chunk[4] ?? 1;
      firstTags.push(chunk[5] ?? -1);
      if (answer === 'refuse') socket.write(extendedResponse(id, 53, 'StartTLS not available'));
      else socket.write(extendedResponse(id, 0, ''));
      if (answer === 'accept-then-plain') socket.write(Buffer.from('this is not a TLS server hello\r\n'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    afterStartTls: () => Buffer.concat(after),
    firstRequests: () => firstTags,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('transport: TLS is never optional', function () {
  this.timeout(300_000);
  let ad: LocalAdConnection;
  let work: string;
  let form: string;

  before(() => {
    resetLocalAd();
    ad = readLocalAd();
    work = newWorkDir('sei-faults-transport-');
    form = writeForm(work, 'formulario.csv', formRows(makePeople(3, 80_000)));
    writeFileSync(join(work, 'small.json'), JSON.stringify({ directory: { connectTimeoutMs: 2000, timeoutMs: 3000 } }));
    writeFileSync(join(work, 'starttls.json'), JSON.stringify({ directory: { startTls: true, connectTimeoutMs: 2000, timeoutMs: 3000 } }));
    writeFileSync(join(work, 'plain.json'), JSON.stringify({ directory: { allowPlainLoopback: true } }));
    for (const f of ['small.json', 'starttls.json', 'plain.json']) captured.inputs.add(join(work, f));
    captured.inputs.add(form);
  });

  it('LDAPS with a CA that did not sign the server certificate: refused, exit 2, the message names the CA setting', async () => {
    const r = await runCliWith(work, ['plan', '--config', 'small.json', form], { env: { SEI_LDAP_CA_FILE: unrelatedCaFile() }, label: 'plan with a wrong LDAP CA' });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain('certificado do diretório').and.contain('SEI_LDAP_CA_FILE');
    figures.faultsSurvived.push('wrong CA on LDAPS (refused, exit 2)');
  });

  it('StartTLS to the real directory with a wrong CA: refused as a StartTLS failure, exit 2; with the right CA it works', async () => {
    const wrong = await runCliWith(work, ['plan', '--config', 'starttls.json', form], {
      env: { SEI_LDAP_URL: 'ldap://127.0.0.1:389', SEI_LDAP_CA_FILE: unrelatedCaFile() },
      label: 'plan over StartTLS with a wrong CA',
    });
    expect(wrong.code, wrong.stderr).to.equal(2);
    expect(wrong.stderr).to.match(/StartTLS falhou|certificado do diretório/);
    const right = await runCliWith(work, ['plan', '--config', 'starttls.json', form], { env: { SEI_LDAP_URL: 'ldap://127.0.0.1:389' }, label: 'plan over StartTLS' });
    expect(right.code, right.stderr).to.equal(0);
    figures.faultsSurvived.push('wrong CA over StartTLS (refused, exit 2)');
  });

  for (const url of ['ldap://10.20.30.40:389', 'ldap://dc1.prodesp.sp.gov.br', 'ldap://127.0.0.1.nip.io:389', 'ldap://[::ffff:10.0.0.1]:389', 'ldap://localhost.evil.example']) {
    it(`refuses ${url} (plain LDAP off loopback) before connecting, even with allowPlainLoopback`, async () => {
      const r = await runCliWith(work, ['plan', '--config', 'plain.json', form], { env: { SEI_LDAP_URL: url }, label: `plan ${url}` });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain('directory.urls.0').and.contain('sem TLS recusada');
      expect(r.ms).to.be.lessThan(15_000);
    });
  }

  it('refuses plain ldap:// to loopback too unless allowPlainLoopback says so', async () => {
    const r = await runCliWith(work, ['plan', form], { env: { SEI_LDAP_URL: 'ldap://127.0.0.1:389' }, label: 'plan ldap://127.0.0.1 without allowPlainLoopback' });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain('directory.urls.0');
  });

  for (const answer of ['refuse', 'accept-then-plain', 'accept-then-silence'] as const) {
    it(`a StartTLS that fails (${answer}) is never downgraded: no bind, no password in clear, exit 2 in bounded time`, async () => {
      const fake = await fakeLdap(answer);
      try {
        const r = await runCliWith(work, ['plan', '--config', 'starttls.json', form], {
          env: { SEI_LDAP_URL: `ldap://127.0.0.1:${fake.port}` },
          hangMs: 60_000,
          label: `plan against a fake directory (${answer})`,
        });
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.match(/StartTLS falhou|não respondeu|conectar/);
        expect(r.ms, 'bounded by the configured timeouts').to.be.lessThan(30_000);
        expect(fake.firstRequests().every((t) => t === 0x77), 'the first thing sent is always StartTLS').to.equal(true);
        const plain = fake.afterStartTls();
        expect(ldapOps(plain), 'a BindRequest followed the failed StartTLS').to.not.include(0x60);
        expect(plain.includes(Buffer.from(ad.password, 'utf8')), 'the password went in clear').to.equal(false);
        expect(plain.includes(Buffer.from(ad.bindDN, 'utf8')), 'the bind DN went in clear').to.equal(false);
        figures.faultsSurvived.push(`StartTLS ${answer} (no downgrade, exit 2 in ${(r.ms / 1000).toFixed(1)} s)`);
      } finally {
        await fake.close();
      }
    });
  }

  it('an uppercase scheme changes nothing: LDAP:// with startTls still starts TLS before the bind (never the password in clear)', async () => {
    const fake = await fakeLdap('refuse');
    try {
      const r = await runCliWith(work, ['plan', '--config', 'starttls.json', form], {
        env: { SEI_LDAP_URL: `LDAP://127.0.0.1:${fake.port}` },
        hangMs: 60_000,
        label: 'plan against a fake directory (LDAP:// uppercase)',
      });
      expect(r.code, r.stderr).to.equal(2);
      expect(fake.firstRequests().length, 'the fake was reached').to.be.greaterThan(0);
      expect(fake.firstRequests().every((t) => t === 0x77), 'the first thing sent is always StartTLS').to.equal(true);
      const plain = fake.afterStartTls();
      expect(plain.includes(Buffer.from(ad.password, 'utf8')), 'the password went in clear').to.equal(false);
      figures.faultsSurvived.push('LDAP:// in capitals with StartTLS (TLS first, exit 2)');
    } finally {
      await fake.close();
    }
  });

  it('an uppercase LDAPS:// still checks the server against the configured CA', async () => {
    const url = ad.url.replace(/^ldaps:/, 'LDAPS:');
    expect(url.startsWith('LDAPS://')).to.equal(true);
    const right = await runCliWith(work, ['plan', '--config', 'small.json', form], { env: { SEI_LDAP_URL: url }, label: 'plan LDAPS:// in capitals' });
    expect(right.code, right.stderr).to.equal(0);
    const wrong = await runCliWith(work, ['plan', '--config', 'small.json', form], { env: { SEI_LDAP_URL: url, SEI_LDAP_CA_FILE: unrelatedCaFile() }, label: 'plan LDAPS:// in capitals, wrong CA' });
    expect(wrong.code, wrong.stderr).to.equal(2);
  });

  describe('mail', () => {
    let smtp: TestSmtpServer;
    let plainSmtp: TestSmtpServer;
    before(async () => {
      smtp = await startSmtpServer({ tls: 'starttls' });
      plainSmtp = await startSmtpServer({ tls: 'none' });
      captured.smtpServers.push(smtp, plainSmtp);
    });
    after(async () => {
      await smtp?.stop();
      await plainSmtp?.stop();
    });

    it('SMTP with a wrong CA: refused with a clear message, nothing delivered', async () => {
      const r = await runCliWith(work, ['mail', 'test', 'op@prodesp.sp.gov.br'], {
        env: { SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: unrelatedCaFile() },
        label: 'mail test with a wrong SMTP CA',
      });
      // A setting to fix, not a partial run.
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('certificado do servidor de e-mail').and.contain('SEI_SMTP_CA_FILE');
      expect(smtp.received).to.have.length(0);
      figures.faultsSurvived.push('wrong CA on SMTP (refused)');
    });

    it('an SMTP server without STARTTLS never gets a message in clear: the credentials stay pending', async () => {
      const w = newWorkDir('sei-faults-transport-mail-');
      const people = makePeople(3, 81_000);
      const f = writeForm(w, 'formulario.csv', formRows(people));
      writeFileSync(join(w, 'config.json'), JSON.stringify({ naming: { trainingCount: 1 }, mail: { timeoutMs: 3000, retries: 1 } }));
      captured.inputs.add(f).add(join(w, 'config.json'));
      const r = await runCliWith(w, ['apply', '--yes', '--config', 'config.json', f], {
        env: { SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: plainSmtp.url, SEI_SMTP_CA_FILE: plainSmtp.caFile },
        label: 'apply with an SMTP server without STARTTLS',
      });
      expect(r.code, r.stdout + r.stderr).to.equal(1);
      expect(r.stdout + r.stderr).to.contain('STARTTLS');
      expect(plainSmtp.received).to.have.length(0);
      expect((await checkNothingPending(w)).length).to.equal(3);
      // Once pointed at a server with STARTTLS, the pending credentials go out.
      const ok = await runCliWith(w, ['resend', '--pending', '--config', 'config.json'], {
        env: { SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: smtp.caFile },
        label: 'resend --pending over STARTTLS',
      });
      expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
      expect(smtp.received.every((m) => m.secure)).to.equal(true);
      expect(await checkNothingPending(w)).to.deep.equal([]);
      figures.faultsSurvived.push('SMTP without STARTTLS (never sent in clear, pending, delivered later)');
    });
  });
});
