import { expect } from 'chai';
import { Client, PagedResultsControl } from 'ldapts';
import { LdapDirectory } from '../../../src/adapters/ldap/LdapDirectory.js';
import { ldapSettings } from './settings.js';

const entry = (dn: string) => ({ toObject: () => ({ dn }) });
const page = (dns: string[], cookie?: string) => ({
  status: 0,
  searchEntries: dns.map(entry),
  searchReferences: [],
  controls: [new PagedResultsControl({ value: { size: 0, cookie: cookie ? Buffer.from(cookie) : Buffer.alloc(0) } })],
});

/** A paged search answered by `pages` (what a server sends), through the adapter as it runs. */
async function searchAnswered(pages: ReturnType<typeof page>[]): Promise<{ dns: string[]; requests: number }> {
  const client = new Client({ url: 'ldap://127.0.0.1:1' });
  const internals = client as unknown as { connected: boolean; socket: object; _send: () => Promise<unknown> }; // no socket: its replies are these pages
  internals.connected = true;
  internals.socket = {};
  let requests = 0;
  internals._send = async () => pages[requests++];
  const directory = new LdapDirectory(ldapSettings());
  // The pool hands out this client, already "connected".
  (directory as unknown as { pool: { with: (fn: (c: Client) => unknown) => unknown } }).pool.with = (fn) => fn(client);
  const found = await directory.search('OU=U,DC=x', '(objectClass=*)', ['1.1']);
  return { dns: found.map((e) => e.dn), requests };
}

describe('adapters/ldap/followAllPages: a paged search reads to the last page', () => {
  it('goes on past a page with no entries that still carries a cookie (Active Directory\'s time limit per page)', async () => {
    const result = await searchAnswered([page(['CN=a,OU=U,DC=x', 'CN=b,OU=U,DC=x'], 'c1'), page([], 'c2'), page([], 'c3'), page(['CN=c,OU=U,DC=x'])]);
    expect(result).to.deep.equal({ dns: ['CN=a,OU=U,DC=x', 'CN=b,OU=U,DC=x', 'CN=c,OU=U,DC=x'], requests: 4 });
  });

  it('stops at the page with no cookie', async () => {
    expect(await searchAnswered([page(['CN=a,OU=U,DC=x'], 'c1'), page(['CN=b,OU=U,DC=x'])])).to.deep.equal({ dns: ['CN=a,OU=U,DC=x', 'CN=b,OU=U,DC=x'], requests: 2 });
  });
});
