/**
 * Disabling a person's account: the flag, the dated note, the change that writes both, and the accounts
 * `--disable-missing` takes for people who left the forms. Pure.
 */
import type { ObservedUser } from '../domain/directory.js';
import { InternalError } from '../domain/errors.js';
import type { SourceRef } from '../domain/form.js';
import type { CreateUser, DisableUser, Plan } from '../domain/plan.js';
import { coreMessages, directoryValues } from '../messages/directory-values.js';
import { cpfKey, cpfProblem } from './cpf.js';
import { byDn, splitDn } from './dn.js';
import { orgaoUnder } from './ExistingAccounts.js';
import { AD_LIMITS, truncateChars } from './names.js';

/** userAccountControl ACCOUNTDISABLE. */
export const ACCOUNTDISABLE = 0x2;

export const isEnabled = (uac: number): boolean => (uac & ACCOUNTDISABLE) === 0;

/** dd/mm/aaaa in São Paulo: the date an operator there would write on the day the plan was made. */
export function formatDatePtBr(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new InternalError(coreMessages.invalidNow(iso));
  return new Intl.DateTimeFormat('pt-BR', {
    timeZone: 'America/Sao_Paulo',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(date);
}

/** The description written with a disable; an older note is replaced so notes never pile up. */
export function disabledDescription(description: string, date: string): string {
  const base = description.replace(directoryValues.disabledNotePattern, '');
  const noted = directoryValues.withDisabledNote(base, date);
  return truncateChars(noted, AD_LIMITS.description);
}

/**
 * The change that disables `u`: its observed flags plus ACCOUNTDISABLE, `description` with the date noted,
 * both written only over the values the plan saw (`descriptionBefore`, the flags without the bit).
 */
export function disableChange(
  u: ObservedUser,
  how: { orgao: string; cpf: string; reason: DisableUser['reason']; description: string; date: string; source?: SourceRef },
): DisableUser {
  return {
    kind: 'disable-user',
    dn: u.dn,
    orgao: how.orgao,
    cpf: how.cpf,
    login: u.sAMAccountName,
    reason: how.reason,
    description: disabledDescription(how.description, how.date),
    userAccountControl: u.userAccountControl | ACCOUNTDISABLE,
    descriptionBefore: u.attributes.description ?? null,
    expectUsn: u.uSNChanged,
    ...(how.source !== undefined ? { source: how.source } : {}),
  };
}

/**
 * The CPF an account's employeeID holds, when it is one (with or without its leading zeros, and its check
 * digits right): the tool writes only such. "MAT-00778" or "0", an employee number a service account was
 * given by hand, is no CPF, and the account is not the tool's to disable as missing.
 */
export function disableableCpf(employeeID: string | undefined): string | undefined {
  const cpf = cpfKey(employeeID);
  return cpf.length === 11 && cpfProblem(cpf) === null ? cpf : undefined;
}

/**
 * `--disable-missing`: the enabled accounts the tool made (an employeeID) whose CPF no row names, valid or
 * refused for another field. An account whose e-mail a row gives while its CPF could not be read, or a row
 * creating a new account, is someone in the forms with a CPF typed wrong or changed: left enabled, and named.
 */
export function missingAccountDisables(input: {
  users: readonly ObservedUser[];
  cpfsInForms: readonly string[];
  rejectedEmails: readonly { email: string; source: SourceRef }[];
  creates: readonly CreateUser[];
  usersDn: string;
  date: string;
}): { disables: DisableUser[]; keptByEmail: NonNullable<Plan['keptByEmail']> } {
  const inForms = new Set(input.cpfsInForms.map(cpfKey));
  const namedByEmail = new Map<string, SourceRef>();
  for (const r of input.rejectedEmails) namedByEmail.set(r.email.toLowerCase(), r.source);
  for (const c of input.creates) namedByEmail.set(c.email.toLowerCase(), c.source);
  const disables: DisableUser[] = [];
  const keptByEmail: NonNullable<Plan['keptByEmail']> = [];
  for (const u of [...input.users].sort(byDn)) {
    const cpf = disableableCpf(u.employeeID);
    // Without a CPF in its employeeID (none, or an employee number) the account was not made by this tool: it is not ours to disable.
    if (cpf === undefined || inForms.has(cpf) || !isEnabled(u.userAccountControl)) continue;
    const row = u.attributes.mail === undefined ? undefined : namedByEmail.get(u.attributes.mail.toLowerCase());
    if (row !== undefined) {
      keptByEmail.push({ dn: u.dn, login: u.sAMAccountName, cpf, source: row });
      continue;
    }
    // The OU it is in, as the forms spell a sigla (uppercase: an OU made by hand as "Pmsp" reports under
    // PMSP); an account right in the users branch is in no órgão's ('').
    const orgao = orgaoUnder(splitDn(u.dn)?.parentDn ?? '', input.usersDn).toUpperCase();
    const description = u.attributes.description || directoryValues.descriptionWithoutMunicipio;
    disables.push(disableChange(u, { orgao, cpf, reason: 'missing', description, date: input.date }));
  }
  return { disables, keptByEmail };
}
