import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import pLimit, { type LimitFunction } from 'p-limit';
import { DirectoryUnavailableError } from '../../domain/errors.js';
import { isLoopbackHost, withoutCredentials } from '../../config/validateConfig.js';
import { directoryMessages as m } from '../../messages/directory.js';
import { bindSubCodeOf, isConnectionFailure } from './ldapErrors.js';

export interface ConnectionSettings {
  /** Tried in order; the first that answers serves the whole run (so reads see this run's writes). */
  urls: string[];
  bindDN: string;
  password: string;
  caFile: string;
  startTls: boolean;
  /** Plain LDAP to a loopback address, asked for explicitly (tests, a local controller). Never elsewhere. */
  allowPlainLoopback?: boolean;
  connectTimeoutMs: number;
  timeoutMs: number;
  size: number;
  /**
   * Connections searches may use side by side, besides `size`: at most `size + searchSize` are open. The
   * tool's searches come in groups with nothing written meanwhile (a plan's observation, training read-backs
   * after their writes): the controller answers each on its own core, where writes gain nothing from more.
   */
  searchSize: number;
}

function tlsOptions(settings: ConnectionSettings): { ca?: Buffer[]; rejectUnauthorized: true; minVersion: 'TLSv1.2' } {
  if (!settings.caFile) return { rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  try {
    return { ca: [readFileSync(settings.caFile)], rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  } catch (e) {
    throw new DirectoryUnavailableError(m.caUnreadable(settings.caFile), { cause: e });
  }
}

/** `promise`, or a rejection after `ms`; the promise's own late failure is swallowed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Bind answers of a controller not ready (busy 51, unavailable 52, unwilling 53): another may be. */
const CONTROLLER_NOT_READY: ReadonlySet<number> = new Set([51, 52, 53]);
const TLS_FAILURE = /certificate|self[- ]signed|altname|CERT_|SSL|TLS|handshake|wrong version/i;
/** Error codes of a connection the network or the server dropped, whatever the message says. */
const DROPPED: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const codeOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : '';

/**
 * A few bound ldapts clients to one controller. A client whose connection failed is thrown away, never
 * reused: ldapts would silently reconnect it unauthenticated.
 */
export class ConnectionPool {
  private readonly idle: Client[] = [];
  private readonly limit: LimitFunction;
  private readonly searchLimit: LimitFunction;
  private url: string | undefined;
  private readonly tls: ReturnType<typeof tlsOptions>;
  private closed = false;

  constructor(private readonly settings: ConnectionSettings) {
    this.limit = pLimit(settings.size);
    this.searchLimit = pLimit(settings.searchSize);
    this.tls = tlsOptions(settings);
  }

  /** The URL in use, once connected. */
  get activeUrl(): string {
    return this.url ?? this.settings.urls[0] ?? '';
  }

  /** Opens a bound connection to `url` as `dn`; used for the pool and for one-off bind checks. */
  async open(url: string, dn: string, password: string): Promise<Client> {
    const security = this.securityOf(url);
    const client = new Client({
      url,
      timeout: this.settings.timeoutMs,
      connectTimeout: this.settings.connectTimeoutMs,
      // ldapts speaks TLS from the first byte whenever tlsOptions are given, whatever the scheme: on
      // ldap:// that breaks StartTLS (the server expects plain LDAP first), so only ldaps:// gets them.
      ...(security === 'ldaps' ? { tlsOptions: this.tls } : {}),
      strictDN: false,
    });
    try {
      if (security === 'starttls') {
        try {
          // ldapts puts no timeout on the TLS handshake: a server that says yes to StartTLS and then
          // never speaks TLS would hold the run forever.
          // The name to verify the certificate against, given: ldapts passes none, and Node then checks an IP
          // address URL's certificate against "localhost" (any CA-signed "localhost" certificate would do).
          const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
          await within(client.startTLS({ ...this.tls, host, ...(isIP(host) === 0 ? { servername: host } : {}) }), this.settings.timeoutMs);
        } catch (e) {
          // Never fall back to plain: the connection is dropped with the failure.
          throw new DirectoryUnavailableError(m.startTlsFailed(url), { cause: e });
        }
      }
      await client.bind(dn, password);
      return client;
    } catch (e) {
      await client.unbind().catch(() => undefined);
      throw e;
    }
  }

  /**
   * How a connection to `url` is protected, from its scheme as a URL parser reads it (`LDAP://` is ldap:,
   * as ldapts reads it too). Anything else than LDAPS, StartTLS, or plain LDAP to loopback when asked for is
   * refused before a byte is sent: the bind carries the service account's password.
   */
  private securityOf(url: string): 'ldaps' | 'starttls' | 'plain-loopback' {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed?.protocol === 'ldaps:') return 'ldaps';
    if (parsed?.protocol === 'ldap:') {
      if (this.settings.startTls) return 'starttls';
      if (this.settings.allowPlainLoopback === true && isLoopbackHost(parsed.hostname)) return 'plain-loopback';
    }
    throw new DirectoryUnavailableError(m.insecureUrl(withoutCredentials(url)));
  }

  /**
   * Set once the directory could not be reached even after the retries: every later connection of the
   * run fails at once with the same error, instead of each remaining change waiting out its own retries
   * and timeouts (an outage would otherwise stretch a run of thousands of changes into hours).
   */
  private unreachable: DirectoryUnavailableError | undefined;

  /** The first connection's attempt while it is choosing the controller the whole run will use. */
  private choosing: Promise<unknown> | undefined;

  /**
   * Connections opened together (two searches side by side) must not each pick a controller: while the
   * first is choosing, the others wait for its choice, so a failover cannot split the run over two
   * controllers that have not replicated each other yet.
   */
  private async connect(): Promise<Client> {
    if (this.url === undefined && this.choosing !== undefined) await this.choosing.catch(() => undefined);
    const attempt = this.connectRetrying();
    if (this.url === undefined) this.choosing = attempt;
    return attempt;
  }

  /** A refused or reset connection is retried a few times with backoff before the next URL is tried. */
  private async connectRetrying(): Promise<Client> {
    if (this.unreachable) throw this.unreachable;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connectOnce();
      } catch (e) {
        if (!(e instanceof DirectoryUnavailableError) || !e.retryable || attempt >= 2) {
          // Remembered whatever it was: a refused bind tried again for each of thousands of changes would lock
          // the service account out (a password rotated during a long apply), and a bad certificate stays bad.
          if (e instanceof DirectoryUnavailableError) this.unreachable = e;
          throw e;
        }
        await new Promise((r) => setTimeout(r, 300 * 2 ** attempt));
      }
    }
  }

  private async connectOnce(): Promise<Client> {
    const candidates = this.url ? [this.url] : this.settings.urls;
    let last: unknown;
    let tlsFailure: DirectoryUnavailableError | undefined;
    for (const url of candidates) {
      try {
        const client = await this.open(url, this.settings.bindDN, this.settings.password);
        this.url = url;
        return client;
      } catch (e) {
        if (e instanceof DirectoryUnavailableError) throw e;
        // The same account and password on every controller: a refused bind is not tried on the next one
        // (each try counts towards the account's lockout). What AD says about the account is named.
        if (e instanceof InvalidCredentialsError) {
          throw new DirectoryUnavailableError(m.bindFailed(this.settings.bindDN, bindSubCodeOf(e.message)), { cause: e });
        }
        // Busy, unavailable, unwilling (a controller starting, in repair mode): the next one may answer.
        if (e instanceof ResultCodeError && CONTROLLER_NOT_READY.has(e.code)) {
          last = new DirectoryUnavailableError(m.other(url, e.code), { cause: e, retryable: true });
          continue;
        }
        if (e instanceof ResultCodeError) throw new DirectoryUnavailableError(m.other(this.settings.bindDN, e.code), { cause: e });
        const detail = e instanceof Error ? e.message : String(e);
        // A connection dropped before the handshake ended ("…disconnected before secure TLS connection was
        // established") says TLS but is no certificate problem: a controller restarting or shedding load
        // does it, and the next address may answer.
        if (!DROPPED.has(codeOf(e)) && TLS_FAILURE.test(detail)) {
          // A certificate one controller has wrong (expired, renewed without its name) need not stop the run
          // if another's is right; the first such failure is what the operator reads if none is.
          tlsFailure ??= new DirectoryUnavailableError(m.tls(url, detail), { cause: e });
          continue;
        }
        last = new DirectoryUnavailableError(m.connection(url, detail), { cause: e, retryable: true });
      }
    }
    throw tlsFailure ?? (last instanceof Error ? last : new DirectoryUnavailableError(m.allUrlsFailed(candidates.join(', '))));
  }

  /**
   * Runs `fn` on a bound client. On a dropped connection the client is discarded and `fn` runs once more on
   * a fresh one: callers make their operations safe to repeat (an add answered 68 the second time is handled
   * by the caller). `lane` 'search' takes its turn among searches (up to `searchSize` at once) rather than
   * with writes and single reads; both lanes reuse the same idle connections.
   */
  async with<T>(fn: (client: Client) => Promise<T>, lane: 'default' | 'search' = 'default'): Promise<T> {
    return (lane === 'search' ? this.searchLimit : this.limit)(async () => {
      for (let attempt = 0; ; attempt++) {
        const client = this.idleConnected() ?? (await this.connect());
        try {
          const result = await fn(client);
          if (this.closed) await client.unbind().catch(() => undefined);
          else this.idle.push(client);
          return result;
        } catch (e) {
          if (!isConnectionFailure(e)) {
            // Closed meanwhile (a search beside this one failed and the command is ending): nobody would
            // ever unbind it, and its open socket would keep the process alive until the server drops it.
            if (this.closed) await client.unbind().catch(() => undefined);
            else this.idle.push(client);
            throw e;
          }
          await client.unbind().catch(() => undefined);
          if (attempt >= 1) throw e;
        }
      }
    });
  }

  /**
   * An idle client the server has since closed (AD drops connections idle for 15 minutes, and a search
   * connection sits idle through a long write phase) is thrown away: ldapts would reconnect it unbound.
   */
  private idleConnected(): Client | undefined {
    for (let client = this.idle.pop(); client !== undefined; client = this.idle.pop()) {
      if (client.isConnected) return client;
      void client.unbind().catch(() => undefined);
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = this.idle.splice(0);
    await Promise.all(clients.map((c) => c.unbind().catch(() => undefined)));
  }
}
