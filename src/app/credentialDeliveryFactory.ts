import { generateTemporaryPassword } from '../core/passwords.js';
import { newAccountMessage } from '../messages/mail.js';
import { splitDn } from '../core/dn.js';
import { managedLayout } from '../core/layout.js';
import { namingPolicyOf } from '../config/loadConfig.js';
import type { Directory } from '../ports/Directory.js';
import type { Journal } from '../ports/Journal.js';
import type { Mailer } from '../ports/Mailer.js';
import type { RunContext } from './context.js';
import { CredentialDelivery } from './credentials.js';

/** The órgão of a person's account is the OU right above it. */
function orgaoOf(dn: string): string {
  const parent = splitDn(dn)?.parentDn;
  return (parent && splitDn(parent)?.rdn.value) ?? '';
}

export function createCredentialDelivery(ctx: RunContext, directory: Directory, journal: Journal, mailer: Mailer): CredentialDelivery {
  const { mail, naming, passwords } = ctx.config;
  return new CredentialDelivery({
    directory,
    journal,
    mailer,
    logger: ctx.logger,
    runId: ctx.runId,
    clock: ctx.clock,
    mailConcurrency: mail.concurrency,
    usersDn: managedLayout(namingPolicyOf(ctx.config)).usersDn,
    newPassword: (t) => generateTemporaryPassword({ length: passwords.length, login: t.login, displayName: t.name }),
    compose: (t, password) => ({
      to: t.email,
      ...newAccountMessage({
        name: t.name,
        login: t.login,
        upn: `${t.login}@${naming.upnSuffix}`,
        password,
        email: t.email,
        loginUrl: mail.loginUrl,
        support: mail.support,
        orgao: orgaoOf(t.dn),
        municipio: '',
      }),
    }),
  });
}
