import { expect } from 'chai';
import { InvalidCredentialsError, UnavailableError } from 'ldapts';
import { ConnectionPool } from '../../../src/adapters/ldap/ConnectionPool.js';
import { ldapSettings } from './settings.js';
import { DirectoryUnavailableError } from '../../../src/domain/errors.js';

const settings = ldapSettings({ urls: ['ldap://127.0.0.1:1', 'ldap://127.0.0.2:1'], password: 'antiga' });

/** A pool whose every connection attempt answers `refuse(url)`; the URLs it tried, in order. */
function poolRefusing(refuse: (url: string) => Error | null) {
  const pool = new ConnectionPool(settings);
  const tried: string[] = [];
  (pool as unknown as { open: (url: string) => Promise<unknown> }).open = async (url) => {
    tried.push(url);
    const e = refuse(url);
    if (e) throw e;
    return { isConnected: true, unbind: async () => undefined };
  }; // open is where the pool meets ldapts: replaced by the answers under test
  return { pool, tried };
}

describe('adapters/ldap/ConnectionPool: binds', () => {
  it('a refused bind is tried once for the run, not again for each change (each try counts towards a lockout)', async () => {
    const { pool, tried } = poolRefusing(() => new InvalidCredentialsError('80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 775, v4563'));
    const errors: unknown[] = [];
    for (let i = 0; i < 10; i++) await pool.with(async () => 1).catch((e: unknown) => errors.push(e));
    expect(tried).to.deep.equal([settings.urls[0]]);
    expect(errors).to.have.length(10);
    expect((errors[9] as Error).message).to.contain('bloqueada por tentativas erradas');
  });

  it('a controller not ready (52 at bind) hands over to the next one', async () => {
    const { pool, tried } = poolRefusing((url) => (url === settings.urls[0] ? new UnavailableError('00000000: LdapErr: server is not operational') : null));
    expect(await pool.with(async () => 'ok')).to.equal('ok');
    expect(tried).to.deep.equal(settings.urls);
  });

  it('a certificate one controller has wrong hands over to the next; if none is right, the certificate is what is said', async () => {
    const badCert = () => new Error('unable to verify the first certificate');
    const one = poolRefusing((url) => (url === settings.urls[0] ? badCert() : null));
    expect(await one.pool.with(async () => 'ok')).to.equal('ok');
    const both = poolRefusing(badCert);
    const e = await both.pool.with(async () => 'ok').catch((x: unknown) => x);
    expect(e).to.be.instanceOf(DirectoryUnavailableError);
    expect((e as Error).message).to.contain('certificado');
  });
});
