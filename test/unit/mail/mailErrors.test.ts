import { inspect } from 'node:util';
import { expect } from 'chai';
import { toMailFailure } from '../../../src/adapters/mail/mailErrors.js';
import { MailError } from '../../../src/domain/errors.js';

/** What nodemailer's `_formatError` produces. */
function nodemailerError(fields: { message: string; code?: string; response?: string; responseCode?: number; command?: string }): Error {
  return Object.assign(new Error(fields.message), fields);
}

const ctx = { url: 'smtp://relay.example:587', to: 'maria@example.org', user: 'sei', timeoutMs: 1500 };

describe('adapters/mail/mailErrors', () => {
  it('a 5xx to RCPT is permanent, not retried, and quotes the reply and the address', () => {
    const reply = '550 5.1.1 <maria@example.org>: Recipient address rejected: User unknown';
    const f = toMailFailure(nodemailerError({ message: "Can't send mail - all recipients were rejected", code: 'EENVELOPE', response: reply, responseCode: 550, command: 'RCPT TO' }), ctx);
    expect(f.error).to.be.instanceOf(MailError);
    expect(f.error.permanent).to.equal(true);
    expect(f.retry).to.equal(false);
    expect(f.error.serverResponse).to.equal(reply);
    expect(f.error.message).to.include(reply).and.include('maria@example.org').and.match(/recusou/);
    expect(f.error.exitCode).to.equal(1);
  });

  it('a 5xx to MAIL FROM refuses the sending, not the person: not permanent, server-wide, no address blamed', () => {
    const reply = '550 5.7.1 <sei@prodesp.sp.gov.br>: Sender address rejected: not authorized';
    const f = toMailFailure(nodemailerError({ message: 'x', code: 'EENVELOPE', response: reply, responseCode: 550, command: 'MAIL FROM' }), ctx);
    expect([f.error.permanent, f.error.serverWide, f.retry]).to.deep.equal([false, true, false]);
    expect(f.error.message).to.include(reply).and.include('MAIL FROM').and.not.include('confira o endereço');
    const person = toMailFailure(nodemailerError({ message: 'x', code: 'EENVELOPE', response: '550 5.1.1 User unknown', responseCode: 550, command: 'RCPT TO' }), ctx);
    expect(person.error.serverWide).to.equal(false);
  });

  it('a connection dropped while TLS was being set up is a connection failure (retried), not a certificate problem', () => {
    for (const [detail, code] of [
      ['Client network socket disconnected before secure TLS connection was established', 'ESOCKET'],
      ['Connection closed unexpectedly', 'ETLS'], // closed while upgrading with STARTTLS
    ]) {
      const f = toMailFailure(nodemailerError({ message: detail!, code: code!, command: 'CONN' }), ctx);
      expect([f.error.permanent, f.retry]).to.deep.equal([false, true]);
      expect(f.error.message).to.include(detail!).and.not.include('certificado');
    }
  });

  it('a 5xx after the text (DATA) is about this message: pending for the next run, the others still sent', () => {
    for (const reply of ['552 5.2.2 Mailbox full', '554 5.7.1 Message rejected by content filter']) {
      const f = toMailFailure(nodemailerError({ message: 'x', code: 'EMESSAGE', response: reply, responseCode: Number(reply.slice(0, 3)), command: 'DATA' }), ctx);
      expect([f.error.permanent, f.error.serverWide, f.retry]).to.deep.equal([false, false, false]);
      expect(f.error.message).to.include(reply).and.include('maria@example.org');
    }
  });

  it('a 4xx to the greeting or MAIL FROM postpones the sending, not the person: server-wide, no address blamed', () => {
    for (const [reply, command] of [
      ['421 4.7.0 relay Error: too many connections from 10.0.0.5', 'CONN'],
      ['451 4.3.0 Sender rate limit exceeded, try again later', 'MAIL FROM'],
    ] as const) {
      const f = toMailFailure(nodemailerError({ message: 'x', code: 'EENVELOPE', response: reply, responseCode: Number(reply.slice(0, 3)), command }), ctx);
      expect([f.error.permanent, f.error.serverWide, f.retry], command).to.deep.equal([false, true, false]);
      expect(f.error.message, command).to.include(reply).and.include('adiou o envio').and.not.include('maria@example.org');
    }
  });

  it('a name that does not resolve is a connection problem, even when the name holds "ssl" or "tls"', () => {
    const named = { ...ctx, url: 'smtps://relay-ssl.prefeitura.invalid:465' };
    const f = toMailFailure(nodemailerError({ message: 'getaddrinfo ENOTFOUND relay-ssl.prefeitura.invalid', code: 'EDNS', command: 'CONN' }), named);
    expect([f.error.permanent, f.retry]).to.deep.equal([false, true]);
    expect(f.error.message).to.include('Não foi possível conectar').and.not.include('certificado');
    const tlsName = toMailFailure(nodemailerError({ message: 'connect ECONNREFUSED 10.0.0.9:465 (tls-relay)', code: 'ESOCKET', command: 'CONN' }), named);
    expect(tlsName.error.message).to.not.include('certificado');
  });

  it('a 4xx is transient and retried', () => {
    const f = toMailFailure(nodemailerError({ message: 'x', code: 'EENVELOPE', response: '451 4.3.0 try later', responseCode: 451, command: 'RCPT TO' }), ctx);
    expect(f.error.permanent).to.equal(false);
    expect(f.retry).to.equal(true);
    expect(f.error.message).to.include('451 4.3.0 try later');
  });

  it('a refused STARTTLS (a 5xx reply) is a configuration problem: not permanent, not retried', () => {
    const f = toMailFailure(nodemailerError({ message: 'Error upgrading connection with STARTTLS', code: 'ETLS', response: '502 5.5.2 Error: command not recognized', responseCode: 502, command: 'STARTTLS' }), ctx);
    expect(f.error.permanent).to.equal(false);
    expect(f.retry).to.equal(false);
    expect(f.error.message).to.match(/STARTTLS/).and.include('502 5.5.2');
  });

  it('a refused login (535) is not blamed on the recipient and not retried', () => {
    const f = toMailFailure(nodemailerError({ message: 'Invalid login', code: 'EAUTH', response: '535 5.7.8 Authentication failed', responseCode: 535, command: 'AUTH PLAIN' }), ctx);
    expect(f.error.permanent).to.equal(false);
    expect(f.retry).to.equal(false);
    expect(f.error.message).to.include('sei').and.include('SEI_SMTP_PASSWORD');
  });

  it('a certificate problem names the CA setting and is not retried', () => {
    const f = toMailFailure(nodemailerError({ message: 'self-signed certificate in certificate chain', code: 'ESOCKET', command: 'CONN' }), ctx);
    expect(f.error.permanent).to.equal(false);
    expect(f.retry).to.equal(false);
    expect(f.error.message).to.include('SEI_SMTP_CA_FILE');
  });

  it('a refused connection and a timeout are transient and retried', () => {
    const refused = toMailFailure(nodemailerError({ message: 'connect ECONNREFUSED 127.0.0.1:25', code: 'ESOCKET', command: 'CONN' }), ctx);
    expect([refused.error.permanent, refused.retry]).to.deep.equal([false, true]);
    expect(refused.error.message).to.include('ECONNREFUSED');
    const greeting = toMailFailure(nodemailerError({ message: 'Greeting never received', code: 'ETIMEDOUT', command: 'CONN' }), ctx);
    expect([greeting.error.permanent, greeting.retry]).to.deep.equal([false, true]);
    expect(greeting.error.message).to.include('1500 ms');
  });

  it('keeps only the nodemailer fields it knows in the cause', () => {
    const e = Object.assign(nodemailerError({ message: 'Message failed', code: 'EMESSAGE', response: '554 5.7.1 spam', responseCode: 554, command: 'DATA' }), {
      content: 'Senha temporária: Segredo#123',
    });
    const f = toMailFailure(e, ctx);
    expect(inspect(f.error, { depth: null, showHidden: true })).not.to.include('Segredo#123');
    // Refused after the text: this message's, neither the person's address for good nor the whole relay.
    expect([f.error.permanent, f.error.serverWide]).to.deep.equal([false, false]);
  });

  it('for verify, without a recipient, still says what the server answered', () => {
    const f = toMailFailure(nodemailerError({ message: 'x', response: '554 5.7.1 go away', responseCode: 554, command: 'CONN' }), { ...ctx, to: undefined });
    expect(f.error.message).to.include('554 5.7.1 go away').and.include('smtp://relay.example:587');
  });
});
