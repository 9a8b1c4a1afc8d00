/**
 * "Nothing lost", checked from outside the tool: a second LDAP connection (what an auditor sees), the
 * messages the SMTP server accepted, and the tool's own journal. Each check returns the problems it
 * found as sentences, so a suite can both assert and report them.
 */
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Client } from 'ldapts';
import pLimit from 'p-limit';
import { openJournal } from '../../../src/adapters/journal/FileJournal.js';
import { bindResult } from '../../integration/harness.js';
import type { LocalAdConnection } from '../../integration/localAd.js';
import { extractPassword, type TestSmtpServer } from '../../support/smtpServer.js';
import { captured } from './capture.js';
import type { TestPerson } from './people.js';

export const BASE = 'DC=sei,DC=local';
export const ROOT = `OU=SEI Cidades,${BASE}`;
export const USERS = `OU=Usuarios,${ROOT}`;
export const GROUPS = `OU=Grupos,${ROOT}`;
export const TRAINING = `OU=Treinamento,${ROOT}`;

const ACCOUNTDISABLE = 2;

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
export const toOf = (m: ParsedMail): string => (m.to && !Array.isArray(m.to) ? m.to.text : '').toLowerCase();

/** Every password carried by a new-account message, recorded for the secrets check; null for other messages. */
export function passwordOf(m: ParsedMail): string | null {
  try {
    const p = extractPassword(m);
    captured.passwords.add(p);
    return p;
  } catch {
    return null;
  }
}

/**
 * Each person: exactly one account (by employeeID) in the órgão's OU, enabled (512) with "must change"
 * (pwdLastSet 0), in the órgão group and the perfil group. With `onlyThese`, no other account either.
 */
export async function checkAccounts(client: Client, people: readonly TestPerson[], options: { onlyThese: boolean } = { onlyThese: true }): Promise<string[]> {
  const problems: string[] = [];
  const { searchEntries } = await client.search(USERS, {
    filter: '(&(objectCategory=person)(objectClass=user))',
    attributes: ['employeeID', 'userAccountControl', 'pwdLastSet', 'memberOf', 'sAMAccountName'],
    paged: { pageSize: 500 },
  });
  const byCpf = new Map<string, typeof searchEntries>();
  for (const e of searchEntries) {
    const cpf = String(e.employeeID ?? '');
    byCpf.set(cpf, [...(byCpf.get(cpf) ?? []), e]);
  }
  if (options.onlyThese && searchEntries.length !== people.length) problems.push(`${searchEntries.length} accounts under ${USERS} for ${people.length} people`);
  for (const p of people) {
    const found = byCpf.get(p.cpf) ?? [];
    if (found.length !== 1) {
      problems.push(`${p.email}: ${found.length} accounts`);
      continue;
    }
    const e = found[0]!;
    if (!e.dn.toLowerCase().endsWith(`,ou=${p.orgao.toLowerCase()},${USERS.toLowerCase()}`)) problems.push(`${p.email}: account in the wrong place ${e.dn}`);
    if (String(e.userAccountControl) !== '512') problems.push(`${p.email}: userAccountControl ${String(e.userAccountControl)}`);
    if (String(e.pwdLastSet) !== '0') problems.push(`${p.email}: pwdLastSet ${String(e.pwdLastSet)}`);
    const groups = list(e.memberOf).map((g) => g.toLowerCase());
    const want = [`CN=SEI-${p.orgao},${GROUPS}`];
    if (p.perfil === 'interlocutor') want.push(`CN=SEI-Interlocutores,${GROUPS}`);
    if (p.perfil === 'administrador') want.push(`CN=SEI-Administradores,${GROUPS}`);
    for (const g of want) if (!groups.includes(g.toLowerCase())) problems.push(`${p.email}: not a member of ${g}`);
    // Nor in a people's group the form does not give them (an old órgão's, a perfil taken away).
    const wanted = new Set(want.map((g) => g.toLowerCase()));
    for (const g of groups) if (/^cn=sei-/.test(g) && !/treinamento/.test(g) && !wanted.has(g)) problems.push(`${p.email}: still a member of ${g}`);
  }
  return problems;
}

/** Accounts anywhere under the managed root that are disabled and never got a password: half-created. */
export async function checkHalfCreated(client: Client): Promise<string[]> {
  const { searchEntries } = await client.search(ROOT, {
    filter: '(&(objectCategory=person)(objectClass=user))',
    attributes: ['userAccountControl', 'pwdLastSet'],
    paged: { pageSize: 500 },
  });
  return searchEntries
    .filter((e) => (Number(e.userAccountControl) & ACCOUNTDISABLE) !== 0 && String(e.pwdLastSet) === '0')
    .map((e) => `half-created (disabled, no password): ${e.dn}`);
}

/**
 * Training accounts of each órgão: usuario01..NN, enabled with a password that never expires (66048),
 * in the órgão's training group, and their password (the user name) binds.
 */
export async function checkTraining(client: Client, ad: LocalAdConnection, orgaos: readonly string[], count: number): Promise<string[]> {
  const problems: string[] = [];
  for (const orgao of orgaos) {
    for (let n = 1; n <= count; n++) {
      const cn = `usuario${String(n).padStart(2, '0')}`;
      const dn = `CN=${cn},OU=${orgao},${TRAINING}`;
      const { searchEntries } = await client.search(TRAINING, {
        filter: `(sAMAccountName=${cn}.${orgao.toLowerCase()})`,
        attributes: ['userAccountControl', 'memberOf'],
      });
      if (searchEntries.length !== 1) {
        problems.push(`training ${dn}: ${searchEntries.length} accounts`);
        continue;
      }
      const e = searchEntries[0]!;
      if (String(e.userAccountControl) !== '66048') problems.push(`training ${dn}: userAccountControl ${String(e.userAccountControl)}`);
      const group = `CN=SEI-Treinamento-${orgao},${GROUPS}`.toLowerCase();
      if (!list(e.memberOf).some((g) => g.toLowerCase() === group)) problems.push(`training ${dn}: not in its training group`);
      const bind = await bindResult(ad, e.dn, cn);
      if (bind !== 'ok') problems.push(`training ${dn}: its password does not bind (${bind})`);
    }
  }
  return problems;
}

export async function checkNothingPending(work: string): Promise<string[]> {
  const pending = await (await openJournal(join(work, 'estado'))).pending();
  return pending.map((p) => `credential still pending: ${p.email}`);
}

/**
 * For each person: at least one message; the password of the last one binds as "must change" (773);
 * every earlier password of theirs is refused (52e). Messages in the order the server accepted them.
 */
export async function checkLatestPasswords(
  client: Client,
  ad: LocalAdConnection,
  people: readonly TestPerson[],
  smtp: TestSmtpServer,
): Promise<{ problems: string[]; messages: number; oldPasswordsRefused: number }> {
  const byEmail = new Map<string, string[]>();
  for (const m of smtp.messages) {
    const password = passwordOf(m);
    if (password === null) continue;
    const to = toOf(m);
    byEmail.set(to, [...(byEmail.get(to) ?? []), password]);
  }
  const problems: string[] = [];
  let messages = 0;
  let oldRefused = 0;
  const limit = pLimit(4);
  await Promise.all(
    people.map((p) =>
      limit(async () => {
        const passwords = byEmail.get(p.email) ?? [];
        messages += passwords.length;
        if (passwords.length === 0) {
          problems.push(`${p.email}: no message with a password`);
          return;
        }
        const { searchEntries } = await client.search(USERS, { filter: `(employeeID=${p.cpf})`, attributes: ['1.1'] });
        const dn = searchEntries[0]?.dn;
        if (!dn) return; // reported by checkAccounts
        const last = passwords[passwords.length - 1]!;
        const latest = await bindResult(ad, dn, last);
        if (!/data 773/.test(latest)) problems.push(`${p.email}: the password of the latest message does not bind (${latest})`);
        for (const old of new Set(passwords.slice(0, -1))) {
          if (old === last) continue;
          const r = await bindResult(ad, dn, old);
          if (/data 52e/.test(r)) oldRefused++;
          else problems.push(`${p.email}: an earlier password still answers "${r}"`);
        }
      }),
    ),
  );
  return { problems, messages, oldPasswordsRefused: oldRefused };
}
