import { CredentialDelivery } from '../../../src/app/credentials.js';
import type { Change, Plan } from '../../../src/domain/plan.js';
import type { Directory } from '../../../src/ports/Directory.js';
import type { Journal } from '../../../src/ports/Journal.js';
import type { Logger } from '../../../src/ports/Logger.js';
import type { Mailer } from '../../../src/ports/Mailer.js';

/** What the applyPlan unit tests share: a silent logger, a credential delivery over fakes, a plan around changes. */
export const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, audit: () => undefined };

export const acceptingMailer: Mailer = { send: async () => ({ messageId: '<m>', response: 'ok' }), verify: async () => undefined, close: async () => undefined };

export function credentialDelivery(directory: Directory, journal: Journal, mailer: Mailer = acceptingMailer): CredentialDelivery {
  return new CredentialDelivery({
    directory,
    journal,
    mailer,
    logger: quiet,
    runId: 'r1',
    clock: () => new Date(0),
    newPassword: () => 'Xk7#pQ2=mN9?tR4@',
    compose: (t) => ({ to: t.email, subject: 's', text: 't', html: '<p>t</p>' }),
    mailConcurrency: 1,
  });
}

export function planOf(changes: Change[]): Plan {
  return {
    version: 2,
    createdAt: '2026-11-26T00:00:00Z',
    inputs: [],
    observed: { source: 'fake', observedAt: '2026-11-26T00:00:00Z', baseDN: 'DC=sei,DC=local', users: 1, trainingAccounts: 0 },
    changes,
    unchanged: [],
  };
}
