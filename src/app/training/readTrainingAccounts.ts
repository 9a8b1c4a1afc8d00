/**
 * The reads of the training environment, kept to paged searches: 63,855 accounts must cost a handful of
 * searches, never one read per account.
 */
import pLimit from 'p-limit';
import { normaliseDn, splitDn } from '../../core/dn.js';
import { recordKey, type TrainingAccountView } from '../../core/trainingDrift.js';
import type { TrainingStateStore } from '../../adapters/state/trainingState.js';
import type { Directory, RawEntry } from '../../ports/Directory.js';
import { toObservedTrainingAccount } from '../../adapters/ldap/observeSnapshot.js';
import { trainingMessages as m } from '../../messages/training.js';

export const TRAINING_ACCOUNT_FILTER = '(&(objectCategory=person)(objectClass=user))';

/** Beyond this many órgão OUs, one search of the whole branch is cheaper than one per OU. */
const MAX_SEPARATE_BASES = 20;
/** Read-back window before the batch started: covers a clock difference between this machine and the DC. */
const CLOCK_MARGIN_MS = 15 * 60_000;

const first = (e: RawEntry, name: string): string | undefined => e.attributes[name.toLowerCase()]?.[0];

export function toTrainingAccountView(e: RawEntry, withMemberOf: boolean): TrainingAccountView {
  const view: TrainingAccountView = toObservedTrainingAccount(e);
  // Read, so known: an account without one ('') is drift the reset repairs, not "not read".
  view.userPrincipalName = first(e, 'userPrincipalName') ?? '';
  if (withMemberOf) view.memberOf = e.attributes.memberof ?? [];
  view.restrictions = {
    accountExpires: first(e, 'accountExpires'),
    logonHours: (e.attributes.logonhours?.length ?? 0) > 0,
    userWorkstations: (first(e, 'userWorkstations') ?? '') !== '',
  };
  return view;
}

/** Every training account under `bases`, in one paged search per base (searches run side by side). */
export async function readTrainingAccounts(directory: Directory, bases: string[], options: { memberOf: boolean }): Promise<TrainingAccountView[]> {
  const attributes = ['sAMAccountName', 'userPrincipalName', 'userAccountControl', 'pwdLastSet', 'lockoutTime', 'uSNChanged', 'accountExpires', 'logonHours', 'userWorkstations'];
  if (options.memberOf) attributes.push('memberOf');
  const results = await Promise.all(bases.map((base) => directory.search(base, TRAINING_ACCOUNT_FILTER, attributes)));
  return results.flat().map((e) => toTrainingAccountView(e, options.memberOf));
}

/** Where to look for these accounts: their órgão OUs when few, else the whole training branch. */
export function searchBasesFor(dns: readonly string[], trainingDn: string): string[] {
  const parents = new Map<string, string>();
  for (const dn of dns) {
    const parent = splitDn(dn)?.parentDn;
    if (parent !== undefined) parents.set(normaliseDn(parent), parent);
  }
  return parents.size === 0 || parents.size > MAX_SEPARATE_BASES ? [trainingDn] : [...parents.values()];
}

/** AD FILETIME (100 ns since 1601-01-01 UTC) as a decimal string, the form `pwdLastSet` is compared in. */
export function filetimeOf(date: Date): string {
  return ((BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n).toString();
}

/** An account whose password the tool just set. */
export interface SetAccount {
  dn: string;
  login: string;
}

/**
 * `pwdLastSet` of the given accounts, by recordKey, right after the tool set their passwords. One paged
 * search asks only for passwords set since the batch began (`pwdLastSet>=`), so the answer is as small as
 * the batch however big the branch; the few it might miss (a clock far off) are read one by one.
 */
export async function readBackPwdLastSet(
  directory: Directory,
  bases: string[],
  accounts: readonly SetAccount[],
  since: Date,
): Promise<Map<string, string>> {
  const wanted = new Set(accounts.map((a) => recordKey(a.login)));
  const found = new Map<string, string>();
  if (wanted.size === 0) return found;
  const filter = `(&${TRAINING_ACCOUNT_FILTER}(pwdLastSet>=${filetimeOf(new Date(since.getTime() - CLOCK_MARGIN_MS))}))`;
  const results = await Promise.all(bases.map((base) => directory.search(base, filter, ['sAMAccountName', 'pwdLastSet'])));
  for (const e of results.flat()) {
    const key = recordKey(first(e, 'sAMAccountName') ?? '');
    const value = first(e, 'pwdLastSet');
    if (wanted.has(key) && value !== undefined) found.set(key, value);
  }
  const limit = pLimit(4);
  await Promise.all(
    accounts
      .filter((a) => !found.has(recordKey(a.login)))
      .map((a) =>
        limit(async () => {
          const entry = await directory.read(a.dn, ['pwdLastSet']);
          const value = entry ? first(entry, 'pwdLastSet') : undefined;
          // 0: the password was never set (the set failed after the add); nothing of ours to record.
          if (value !== undefined && value !== '0') found.set(recordKey(a.login), value);
        }),
      ),
  );
  return found;
}

/**
 * Records the `pwdLastSet` of accounts whose password the tool just set (created or restored), so the
 * next reset knows them as untouched. Other entries of the record are kept. Returns the warnings and the
 * logins (recordKey) recorded: those whose password is set.
 */
export async function recordTrainingPasswords(
  directory: Directory,
  store: TrainingStateStore,
  options: { accounts: readonly SetAccount[]; bases: string[]; since: Date; now: string },
): Promise<{ warnings: string[]; recorded: Set<string> }> {
  if (options.accounts.length === 0) return { warnings: [], recorded: new Set() };
  const record = await store.read();
  const warnings: string[] = [];
  if (record.status === 'unreadable') warnings.push(m.recordUnreadable(record.file, record.detail));
  const map = record.status === 'ok' ? record.pwdLastSet : new Map<string, string>();
  const read = await readBackPwdLastSet(directory, options.bases, options.accounts, options.since);
  for (const [login, value] of read) map.set(login, value);
  await store.write(map, options.now);
  return { warnings, recorded: new Set(read.keys()) };
}
