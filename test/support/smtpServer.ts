/**
 * A real SMTP server in this process, for tests: `smtp-server` on 127.0.0.1, with a throwaway CA and a
 * certificate for 127.0.0.1/localhost, that parses every message it accepts and can be told to fail.
 *
 *   const smtp = await startSmtpServer({ tls: 'starttls' });
 *   const mailer = createSmtpMailer({ url: smtp.url, caFile: smtp.caFile, ... });
 *   ... smtp.messages[0].text, extractPassword(smtp.messages[0]) ...
 *   await smtp.stop();  // port closed ("SMTP down"); `await smtp.start()` brings it back on the same port
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { PASSWORD_LINE_LABEL } from '../../src/messages/mail.js';

export type SmtpTlsMode = 'starttls' | 'implicit' | 'none';
export type StallPoint = 'greeting' | 'data';

export interface TestSmtpOptions {
  tls: SmtpTlsMode;
  /** Require this login; without it any client may send. */
  auth?: { user: string; pass: string };
  /** The fault the server starts with; the controls below change it at any time. */
  failMode?: 'none' | 'tempfail' | 'stall-greeting' | 'stall-data';
}

export interface ReceivedMessage {
  envelope: { from: string; to: string[] };
  /** The session was encrypted (implicit TLS or after STARTTLS). */
  secure: boolean;
  /** The message exactly as it came over the wire. */
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  readonly url: string;
  readonly port: number;
  /** The PEM of the CA that signed the server certificate. */
  readonly caFile: string;
  readonly messages: ParsedMail[];
  readonly received: ReceivedMessage[];
  /** TCP connections accepted since start (all restarts included): counts a client's attempts. */
  readonly connections: number;
  /** RCPT TO commands seen, answered or refused: counts delivery attempts over pooled connections. */
  readonly rcptCount: number;
  /** Answer 550 (permanent) to RCPT TO for addresses matching the predicate; `null` to stop. */
  rejectRecipients(predicate: ((address: string) => boolean) | null): void;
  /** Answer 451 (transient) to every RCPT TO while on. */
  tempFail(on: boolean): void;
  /** Accept connections but never send the greeting (`greeting`) or never answer the end of DATA (`data`). */
  stall(on: boolean, where?: StallPoint): void;
  /** Resolves once `count` messages have been accepted, or rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Closes the port and drops every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

let workDir: string | undefined;
function tempDir(): string {
  if (!workDir) {
    const dir = mkdtempSync(join(tmpdir(), 'sei-smtp-test-'));
    workDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

let caCounter = 0;
/** A self-signed CA (EC P-256, one day). Returns the directory holding `ca.pem` and `ca.key`. */
function makeCa(name: string): string {
  const dir = join(tempDir(), `ca-${++caCounter}`);
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return dir;
}

let certificates: TestCertificates | undefined;
/** The CA and the 127.0.0.1/localhost server certificate it signed; made once per test process. */
export function testCertificates(): TestCertificates {
  if (certificates) return certificates;
  const dir = makeCa('sei-contas test CA');
  writeFileSync(
    join(dir, 'server.ext'),
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  openssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
    dir,
  );
  openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext'],
    dir,
  );
  certificates = { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
  return certificates;
}

/** A CA that signed nothing the server presents: for "wrong CA" tests. */
export function unrelatedCaFile(): string {
  return join(makeCa('sei-contas unrelated CA'), 'ca.pem');
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtpServer(options: TestSmtpOptions): Promise<TestSmtpServer> {
  const certs = testCertificates();
  const key = readFileSync(certs.keyFile);
  const cert = readFileSync(certs.certFile);

  const received: ReceivedMessage[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let reject: ((address: string) => boolean) | null = null;
  let temp = options.failMode === 'tempfail';
  let stallAt: StallPoint | null =
    options.failMode === 'stall-greeting' ? 'greeting' : options.failMode === 'stall-data' ? 'data' : null;
  let connections = 0;
  let rcptCount = 0;
  let port = 0;
  let server: SMTPServer | undefined;

  const notify = () => {
    for (const w of [...waiters]) {
      if (received.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const serverOptions = (): SMTPServerOptions => ({
    secure: options.tls === 'implicit',
    key,
    cert,
    disabledCommands: [...(options.tls === 'none' ? ['STARTTLS'] : []), ...(options.auth ? [] : ['AUTH'])],
    allowInsecureAuth: options.tls === 'none',
    authOptional: !options.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 100,
    onConnect(_session, callback) {
      // Never calling back leaves the client waiting for the greeting; stop() drops the socket.
      if (stallAt !== 'greeting') callback();
    },
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpError('Invalid username or password', 535));
      }
    },
    onRcptTo(address, _session, callback) {
      rcptCount++;
      if (temp) return callback(smtpError('4.3.0 Mailbox temporarily unavailable, try again later', 451));
      if (reject?.(address.address)) return callback(smtpError(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`, 550));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stallAt === 'data') return;
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              secure: session.secure,
              raw: raw.toString('utf8'),
              parsed,
            });
            callback(null, `2.0.0 Ok: queued as test-${received.length}`);
            notify();
          },
          (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
        );
      });
    },
  });

  async function start(): Promise<void> {
    const s = new SMTPServer(serverOptions());
    s.on('error', () => undefined); // client-side aborts (timeouts, refused certificates) are expected here
    s.server.on('connection', (socket: Socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, rejectListen) => {
      s.server.once('error', rejectListen);
      s.listen(port, '127.0.0.1', () => {
        s.server.off('error', rejectListen);
        resolve();
      });
    });
    const address = s.server.address();
    if (address && typeof address === 'object') port = address.port;
    server = s;
  }

  async function stop(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  await start();
  const scheme = options.tls === 'implicit' ? 'smtps' : 'smtp';

  return {
    get url() {
      return `${scheme}://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    caFile: certs.caFile,
    get messages() {
      return received.map((r) => r.parsed);
    },
    received,
    get connections() {
      return connections;
    },
    get rcptCount() {
      return rcptCount;
    },
    rejectRecipients(predicate) {
      reject = predicate;
    },
    tempFail(on) {
      temp = on;
    },
    stall(on, where = 'greeting') {
      stallAt = on ? where : null;
    },
    waitForMessages(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received.map((r) => r.parsed));
      return new Promise<ParsedMail[]>((resolve, rejectWait) => {
        const timer = setTimeout(() => rejectWait(new Error(`expected ${count} messages, got ${received.length}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received.map((r) => r.parsed));
          },
        });
      });
    },
    stop,
    start,
  };
}

const PASSWORD_LINE = new RegExp(`^${PASSWORD_LINE_LABEL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\S+)\\s*$`, 'm');

/** The temporary password of a new-account message: the text part's line `Senha temporária: <senha>`. */
export function extractPassword(mail: ParsedMail): string {
  const password = PASSWORD_LINE.exec(mail.text ?? '')?.[1];
  if (!password) throw new Error(`no "${PASSWORD_LINE_LABEL}" line in the message "${mail.subject ?? ''}"`);
  return password;
}
