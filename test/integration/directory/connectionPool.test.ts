import { expect } from 'chai';
import { ConnectionPool } from '../../../src/adapters/ldap/ConnectionPool.js';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readLocalAd, upLocalAd, type LocalAdConnection } from '../localAd.js';

/**
 * The pool's two lanes against the real controller: searches run side by side on up to `searchSize`
 * connections (a plan's observation: people and every login of the domain at once), writes and single
 * reads stay within `size`. Each operation is a real paged search held open by the server's answer.
 */
describe('connection pool lanes (Samba AD DC)', function () {
  this.timeout(60_000);
  let ad: LocalAdConnection;

  before(() => {
    upLocalAd();
    ad = readLocalAd();
  });

  const poolOf = (size: number, searchSize: number, urls: string[] = [ad.url]): ConnectionPool =>
    new ConnectionPool({
      urls,
      bindDN: ad.bindDN,
      password: ad.password,
      caFile: ad.caFile,
      startTls: false,
      connectTimeoutMs: 5000,
      timeoutMs: 30_000,
      size,
      searchSize,
    });

  /**
   * Runs `n` searches of the whole domain at once in `lane`, each holding its connection until `target`
   * operations are in flight (or `waitMs` passed: a lane that never lets that many in cannot pass by luck,
   * and a fast search cannot end before the next connection is bound). Returns the peak and the clients used.
   */
  async function peakInFlight(pool: ConnectionPool, lane: 'default' | 'search', n: number, target: number, waitMs: number): Promise<{ peak: number; clients: number }> {
    let inFlight = 0;
    let peak = 0;
    const clients = new Set<unknown>();
    await Promise.all(
      Array.from({ length: n }, () =>
        pool.with(async (client) => {
          clients.add(client);
          inFlight++;
          peak = Math.max(peak, inFlight);
          try {
            for (const deadline = Date.now() + waitMs; inFlight < target && Date.now() < deadline; ) await sleep(10);
            const { searchEntries } = await client.search(ad.baseDN, { scope: 'sub', filter: '(objectClass=*)', attributes: ['1.1'], paged: { pageSize: 200 } });
            expect(searchEntries.length).to.be.greaterThan(50);
          } finally {
            inFlight--;
          }
        }, lane),
      ),
    );
    return { peak, clients: clients.size };
  }

  it('runs searches side by side on searchSize connections while writes keep to size', async () => {
    const pool = poolOf(1, 2);
    try {
      expect(await peakInFlight(pool, 'search', 5, 2, 10_000)).to.deep.equal({ peak: 2, clients: 2 });
      // The default lane (writes, single reads) still takes one at a time, reusing an idle connection.
      const writes = await peakInFlight(pool, 'default', 3, 2, 500);
      expect(writes.peak).to.equal(1);
      expect(writes.clients).to.equal(1);
    } finally {
      await pool.close();
    }
  });

  it('with searchSize 1 the searches go one after another', async () => {
    const pool = poolOf(1, 1);
    try {
      expect(await peakInFlight(pool, 'search', 3, 2, 500)).to.deep.equal({ peak: 1, clients: 1 });
    } finally {
      await pool.close();
    }
  });

  it('never reuses an idle connection the server has closed: ldapts would reopen it unbound', async () => {
    const pool = poolOf(1, 2);
    try {
      let first: unknown;
      await pool.with(async (client) => {
        first = client;
      });
      // What an idle timeout on the server does to the connection left in the pool.
      await (first as { unbind: () => Promise<void> }).unbind();
      let second: unknown;
      const found = await pool.with(async (client) => {
        second = client;
        const { searchEntries } = await client.search(`CN=Users,${ad.baseDN}`, { scope: 'one', filter: '(sAMAccountName=Administrator)', attributes: ['sAMAccountName'] });
        return searchEntries.length;
      });
      expect(second).to.not.equal(first);
      expect(found, 'the search ran bound as the administrator').to.equal(1);
    } finally {
      await pool.close();
    }
  });

  /**
   * A second address for the same controller that drops its first connection (reset before TLS, as a
   * controller restarting or shedding load does) and relays every later one: two connections opened at once
   * through it would end on two different addresses unless the second waits for the first one's choice.
   */
  async function flakyRelay(drop: 'reset' | 'close' = 'reset'): Promise<{ url: string; accepted: () => number; close: () => Promise<void> }> {
    const target = new URL(ad.url);
    let accepted = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      accepted++;
      sockets.add(socket);
      if (accepted === 1) {
        if (drop === 'reset') socket.resetAndDestroy();
        else socket.end();
        return;
      }
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    return {
      url: `ldaps://127.0.0.1:${port}`,
      accepted: () => accepted,
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((done) => server.close(() => done()));
      },
    };
  }

  it('fails over from an address that drops the connection, and connections opened together all follow that choice', async () => {
    const relay = await flakyRelay();
    const pool = poolOf(1, 2, [relay.url, ad.url]);
    try {
      const found = await Promise.all(
        [0, 1].map(() =>
          pool.with(async (client) => {
            const { searchEntries } = await client.search(`CN=Users,${ad.baseDN}`, { scope: 'one', filter: '(sAMAccountName=Administrator)', attributes: ['1.1'] });
            return searchEntries.length;
          }, 'search'),
        ),
      );
      expect(found).to.deep.equal([1, 1]);
      expect(pool.activeUrl).to.equal(ad.url);
      expect(relay.accepted(), 'the second connection went straight to the address the first one chose').to.equal(1);
    } finally {
      await pool.close();
      await relay.close();
    }
  });

  it('fails over from an address that closes the connection before the TLS handshake: no certificate is wrong there', async () => {
    const relay = await flakyRelay('close');
    const pool = poolOf(1, 2, [relay.url, ad.url]);
    try {
      const found = await pool.with(async (client) => {
        const { searchEntries } = await client.search(`CN=Users,${ad.baseDN}`, { scope: 'one', filter: '(sAMAccountName=Administrator)', attributes: ['1.1'] });
        return searchEntries.length;
      });
      expect(found).to.equal(1);
      expect(pool.activeUrl).to.equal(ad.url);
    } finally {
      await pool.close();
      await relay.close();
    }
  });

  it('StartTLS checks the certificate against the name in the URL, an IP address too, not against "localhost"', async () => {
    // 127.0.0.2 reaches the controller through a relay, and its certificate names localhost and 127.0.0.1 only.
    const relay = createServer((socket: Socket) => {
      const upstream = connect(389, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.2', resolve));
    const port = (relay.address() as AddressInfo).port;
    const startTlsPool = (url: string) =>
      new ConnectionPool({ urls: [url], bindDN: ad.bindDN, password: ad.password, caFile: ad.caFile, startTls: true, connectTimeoutMs: 5000, timeoutMs: 10_000, size: 1, searchSize: 1 });
    const elsewhere = startTlsPool(`ldap://127.0.0.2:${port}`);
    const named = startTlsPool('ldap://127.0.0.1:389');
    try {
      const refused = await elsewhere.with(async () => 'bound').then(
        (v) => v,
        (e: unknown) => e,
      );
      expect(refused).to.be.instanceOf(Error);
      expect(String((refused as Error).message)).to.match(/StartTLS/);
      expect(await named.with(async () => 'bound')).to.equal('bound');
    } finally {
      await elsewhere.close();
      await named.close();
      relay.close();
    }
  });

  it('unbinds a connection whose operation failed after the pool was closed, instead of leaving it open', async () => {
    const pool = poolOf(1, 1);
    let used: { isConnected: boolean } | undefined;
    let release: () => void = () => undefined;
    const running = pool
      .with(async (client) => {
        used = client;
        await new Promise<void>((resolve) => (release = resolve));
        // Refused by the server, not a dropped connection: the kind of failure that put the client back.
        throw new Error('busy (51)');
      })
      .catch((e: unknown) => e);
    for (const deadline = Date.now() + 5000; used === undefined && Date.now() < deadline; ) await sleep(10);
    // A search beside it failed and the command closes the directory while this one still runs.
    await pool.close();
    release();
    expect(await running).to.be.instanceOf(Error);
    for (const deadline = Date.now() + 2000; used?.isConnected && Date.now() < deadline; ) await sleep(10);
    expect(used?.isConnected).to.equal(false);
  });
});
