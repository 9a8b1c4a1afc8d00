import type { Config } from '../config/schema.js';
import { namingPolicyOf, readSecret } from '../config/loadConfig.js';
import type { Env } from '../config/validateConfig.js';
import { managedLayout } from '../core/layout.js';
import { LdapDirectory } from '../adapters/ldap/LdapDirectory.js';
import type { Directory } from '../ports/Directory.js';
import type { Logger } from '../ports/Logger.js';
import { guardDirectory } from './guardedDirectory.js';

/** The directory as commands use it: LDAPS (or StartTLS) to the configured controller, scope-guarded and audited. */
export function openDirectory(config: Config, env: Env, logger: Logger, runId: string, clock: () => Date): Directory {
  const d = config.directory;
  const inner = new LdapDirectory({
    urls: d.urls,
    bindDN: d.bindDN,
    password: readSecret(env, 'SEI_LDAP_PASSWORD'),
    caFile: d.caFile,
    startTls: d.startTls,
    allowPlainLoopback: d.allowPlainLoopback,
    connectTimeoutMs: d.connectTimeoutMs,
    timeoutMs: d.timeoutMs,
    size: d.poolSize,
    searchSize: d.searchConnections,
    pageSize: d.pageSize,
    retries: d.retries,
  });
  return guardDirectory(inner, { managedRoot: managedLayout(namingPolicyOf(config)).rootDn, logger, runId, clock });
}
