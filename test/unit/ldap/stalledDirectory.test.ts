import { expect } from 'chai';
import { BusyError } from 'ldapts';
import { LdapDirectory } from '../../../src/adapters/ldap/LdapDirectory.js';
import { ldapSettings } from './settings.js';
import { DirectoryUnavailableError } from '../../../src/domain/errors.js';

function directoryAnswering(answer: () => Promise<unknown>): { directory: LdapDirectory; calls: () => number } {
  const directory = new LdapDirectory(ldapSettings({ urls: ['ldaps://dc1.sei.local:636'], allowPlainLoopback: false, retries: 1 }));
  let calls = 0;
  // Every operation meets the same controller (the pool is where the adapter meets the network).
  (directory as unknown as { pool: { with: () => Promise<unknown>; activeUrl: string } }).pool = {
    with: () => (calls++, answer()),
    activeUrl: 'ldaps://dc1.sei.local:636',
  };
  return { directory, calls: () => calls };
}

describe('adapters/ldap/LdapDirectory: a controller that answers nothing', () => {
  it('stops trying after five operations in a row got no answer, instead of spending each change\'s timeouts', async () => {
    const { directory, calls } = directoryAnswering(() => Promise.reject(new Error('Timeout: operation timed out')));
    const errors: unknown[] = [];
    for (let i = 0; i < 8; i++) await directory.read(`CN=p${i},DC=sei,DC=local`, ['cn']).catch((e: unknown) => errors.push(e));
    expect(calls()).to.equal(5 * 2); // five operations, each tried twice (retries: 1), then none
    expect(errors.slice(5).every((e) => e instanceof DirectoryUnavailableError && e.message.includes('não respondeu a 5 operações'))).to.equal(true);
  });

  it('a controller that answers, even busy, is not taken for a stalled one', async () => {
    let n = 0;
    const { directory, calls } = directoryAnswering(() => (n++ % 2 === 0 ? Promise.reject(new BusyError('busy')) : Promise.resolve(null)));
    for (let i = 0; i < 8; i++) await directory.read(`CN=p${i},DC=sei,DC=local`, ['cn']);
    expect(calls()).to.equal(16);
  });
});
