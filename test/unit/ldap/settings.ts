import type { LdapDirectory } from '../../../src/adapters/ldap/LdapDirectory.js';

/** Settings of an adapter whose network is replaced by the test (its pool or its `open`): nothing is dialled. */
export function ldapSettings(over: Partial<ConstructorParameters<typeof LdapDirectory>[0]> = {}): ConstructorParameters<typeof LdapDirectory>[0] {
  return {
    urls: ['ldap://127.0.0.1:1'],
    bindDN: 'CN=svc-sei,OU=Servicos,DC=sei,DC=local',
    password: 'p',
    caFile: '',
    startTls: false,
    allowPlainLoopback: true,
    connectTimeoutMs: 1,
    timeoutMs: 1,
    size: 1,
    searchSize: 1,
    pageSize: 2,
    retries: 0,
    ...over,
  } as ConstructorParameters<typeof LdapDirectory>[0]; // the fields the adapter and its pool read
}
