import { resolve } from 'node:path';
import { whenInterrupted } from './interruption.js';
import { afterFirstWrite } from './afterFirstWrite.js';
import { openJournal } from '../adapters/journal/FileJournal.js';
import { namingPolicyOf } from '../config/loadConfig.js';
import { isValidCpf, maskCpf, maskCpfsInText, normaliseCpf } from '../core/cpf.js';
import { escapeFilterValue } from '../core/dn.js';
import { managedLayout } from '../core/layout.js';
import { ExitCode, SeiError, type ExitCodeValue } from '../domain/errors.js';
import { resendMessages as m } from '../messages/resend.js';
import { credentialMessages } from '../messages/credentials.js';
import type { RunContext } from './context.js';
import { createCredentialDelivery } from './credentialDeliveryFactory.js';
import { withRunLock } from './withRunLock.js';
import { flushJournal } from './flushJournal.js';

export interface ResendOptions {
  /** A CPF (masked or not), a login or an e-mail; absent with `pending`. */
  who?: string;
  pending: boolean;
}

/** The filter that finds one person by what an operator has at hand. Values are escaped. */
/** `who` for messages: masked when it is a CPF, however typed. */
export function shownWho(who: string): string {
  const cpf = /^[\d.\-\s]+$/.test(who) ? normaliseCpf(who) : null;
  return cpf === null ? maskCpfsInText(who) : maskCpf(cpf);
}

export function resendFilter(who: string): string {
  // Only a CPF with its check digits is one: of CPFs typed with a digit missing, 97 in 100 are no longer
  // padded and looked up as a CPF (one of someone else's); the other 3 spell a CPF, and the message names
  // whose password was reset.
  const digits = /^[\d.\-\s]+$/.test(who) ? normaliseCpf(who) : null;
  const cpf = digits !== null && isValidCpf(digits) ? digits : null;
  if (cpf) return `(&(objectClass=user)(employeeID=${escapeFilterValue(cpf)}))`;
  if (who.includes('@')) return `(&(objectClass=user)(mail=${escapeFilterValue(who.toLowerCase())}))`;
  return `(&(objectClass=user)(sAMAccountName=${escapeFilterValue(who.toLowerCase())}))`;
}

/**
 * `sei-contas resend <cpf|login|e-mail>`: a fresh temporary password, set and mailed (the old one stops
 * working). `--pending`: settles everything the journal holds as undelivered.
 */
export async function resendCommand(ctx: RunContext, options: ResendOptions): Promise<{ exitCode: ExitCodeValue; sent: number; undelivered: number }> {
  return withRunLock(ctx, 'resend', async () => {
    const directory = await ctx.openDirectory();
    const journal = await openJournal(resolve(ctx.cwd, ctx.config.state.dir));
    const forgetJournal = whenInterrupted(() => journal.flush());
    const mailer = ctx.openMailer();
    try {
      const credentials = createCredentialDelivery(ctx, directory, journal, mailer);
      if (options.pending) {
        // Read before the first password is set: a journal that cannot be read is exit 2, nothing done.
        await journal.pending();
        return await afterFirstWrite(async () => {
          const { failed } = await credentials.settlePending(ctx.config.directory.concurrency);
          await credentials.settle();
          const undelivered = credentials.undelivered.length + failed.length;
          ctx.print(m.pendingDone(credentials.sent.length, undelivered));
          return { exitCode: undelivered > 0 ? ExitCode.partial : ExitCode.ok, sent: credentials.sent.length, undelivered };
        });
      }
      if (!options.who) throw new SeiError(m.needWho, ExitCode.unusable);
      const usersDn = managedLayout(namingPolicyOf(ctx.config)).usersDn;
      const matches = await directory.search(usersDn, resendFilter(options.who), ['sAMAccountName', 'mail', 'displayName']);
      // Two accounts of one CPF (logins 52998224725 and 52998224725.2 under the 'cpf' strategy): the login
      // typed exactly names one of them.
      const exact = matches.filter((e) => (e.attributes.samaccountname?.[0] ?? '').toLowerCase() === options.who?.trim().toLowerCase());
      const found = matches.length > 1 && exact.length === 1 ? exact : matches;
      // The person asked for, as the operator typed it: a CPF (even one short of its leading zeros) is masked.
      const asked = shownWho(options.who);
      if (found.length === 0) throw new SeiError(m.notFound(asked), ExitCode.unusable);
      if (found.length > 1) throw new SeiError(m.ambiguous(asked, found.map((e) => e.attributes.samaccountname?.[0] ?? e.dn)), ExitCode.unusable);
      const entry = found[0]!;
      const login = entry.attributes.samaccountname?.[0] ?? '';
      const email = entry.attributes.mail?.[0];
      if (!email) throw new SeiError(m.noEmail(login), ExitCode.unusable);
      await journal.pending();
      // A connection lost once the password was sent may have changed it: from here a stop is exit 1.
      return await afterFirstWrite(async () => {
        await credentials.reset({ dn: entry.dn, login, email, name: entry.attributes.displayname?.[0] ?? login });
        await credentials.settle();
        const undelivered = credentials.undelivered.length;
        ctx.print(undelivered > 0 ? credentialMessages.pendingSummary(undelivered) : maskCpfsInText(m.sent(login, email)));
        return { exitCode: undelivered > 0 ? ExitCode.partial : ExitCode.ok, sent: credentials.sent.length, undelivered };
      });
    } finally {
      forgetJournal();
      await flushJournal(ctx, journal);
      await mailer.close();
      await directory.close();
    }
  });
}
