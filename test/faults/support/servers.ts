/**
 * What most fault suites start from: a freshly reset Samba, a real SMTP server speaking STARTTLS (its
 * messages recorded for the secrets check), and an auditor's LDAP connection of the suite's own.
 */
import type { Client } from 'ldapts';
import { reader } from '../../integration/harness.js';
import { readLocalAd, resetLocalAd, type LocalAdConnection } from '../../integration/localAd.js';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtpServer.js';
import { captured } from './capture.js';

export interface FaultServers {
  ad: LocalAdConnection;
  smtp: TestSmtpServer;
  client: Client;
}

export async function startFaultServers(): Promise<FaultServers> {
  resetLocalAd();
  const ad = readLocalAd();
  const smtp = await startSmtpServer({ tls: 'starttls' });
  captured.smtpServers.push(smtp);
  const client = await reader(ad);
  return { ad, smtp, client };
}

/** Safe to call after a `before` that failed half-way. */
export async function stopFaultServers(servers: Partial<FaultServers>): Promise<void> {
  await servers.client?.unbind();
  await servers.smtp?.stop();
}
