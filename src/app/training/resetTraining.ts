import pLimit from 'p-limit';
import { deriveTrainingAccounts, deriveTrainingGroup } from '../../core/desiredState.js';
import { escapeFilterValue, isDnUnder, normaliseDn } from '../../core/dn.js';
import { managedLayout } from '../../core/layout.js';
import {
  diffTrainingAccounts,
  emptyByReason,
  orgaosInTrainingTree,
  recordKey,
  trainingOrgaosAmong,
  type TrainingDriftReason,
} from '../../core/trainingDrift.js';
import { ExitCode, SeiError } from '../../domain/errors.js';
import { afterFirstWrite } from '../afterFirstWrite.js';
import type { NamingPolicy } from '../../domain/policy.js';
import type { TrainingStateStore } from '../../adapters/state/trainingState.js';
import type { Directory } from '../../ports/Directory.js';
import type { Logger, Progress } from '../../ports/Logger.js';
import { applyMessages as am } from '../../messages/apply.js';
import { trainingMessages as m } from '../../messages/training.js';
import { addMembers } from '../addMembers.js';
import { removeMembers } from '../removeMembers.js';
import { checkTrainingPso } from './checkTrainingPso.js';
import { readBackPwdLastSet, readTrainingAccounts, type SetAccount } from './readTrainingAccounts.js';

export interface ResetTrainingDeps {
  directory: Directory;
  store: TrainingStateStore;
  policy: NamingPolicy;
  logger: Logger;
  progress?: Progress;
  /** Password writes in flight at once. */
  concurrency: number;
  clock: () => Date;
}

export interface ResetFailure {
  /** The account, or the órgão group an account could not be put back into. */
  dn: string;
  /** Empty for a group. */
  login: string;
  message: string;
}

export interface ResetTrainingResult {
  /** Órgãos whose accounts were checked. */
  orgaos: string[];
  /** Desired accounts found in the directory. */
  checked: number;
  /** Accounts written back successfully. */
  restored: number;
  /** Accounts written, per reason (an account with two reasons counts in both). */
  byReason: Record<TrainingDriftReason, number>;
  /** Accounts put back into their órgão's training group. */
  membershipsRestored: number;
  /** Memberships of training accounts in other groups of the tool's, taken out. */
  membershipsRemoved: number;
  /** Órgão training groups put back into the PSO group. */
  nestingRestored: number;
  failed: ResetFailure[];
  /** Logins of desired accounts that do not exist (`sei-contas training <ORGAO>` creates them). */
  missing: string[];
  /** pt-BR, for the operator and the report. */
  warnings: string[];
  /** Set when the record of the tool's own password sets was lost or unreadable: everything was reset. */
  recordLost: boolean;
}

const messageOf = (e: unknown): string => (e instanceof SeiError ? e.message : am.unexpected(String(e)));

/**
 * Puts back into the PSO group each órgão training group someone took out of it: without the nesting the
 * PSO reaches none of its accounts, and every password reset there would be refused. One search reads the
 * groups nested now. Returns how many were put back; a failure is added to `failed`.
 */
async function restoreNesting(deps: ResetTrainingDeps, orgaos: string[], failed: ResetFailure[]): Promise<number> {
  const { directory, policy, logger } = deps;
  const parentDn = policy.trainingParentGroupDn;
  if (orgaos.length === 0 || !parentDn) return 0;
  const nested = await directory.search(managedLayout(policy).groupsDn, `(&(objectClass=group)(memberOf=${escapeFilterValue(parentDn)}))`, ['1.1']);
  const present = new Set(nested.map((e) => normaliseDn(e.dn)));
  const missing = [...new Set(orgaos)].map((o) => deriveTrainingGroup(o, policy).dn).filter((dn) => !present.has(normaliseDn(dn)));
  if (missing.length === 0) return 0;
  try {
    await addMembers(directory, { kind: 'add-member', groupDn: parentDn, memberDns: missing });
    return missing.length;
  } catch (e) {
    logger.error(messageOf(e), { dn: parentDn });
    failed.push({ dn: parentDn, login: '', message: messageOf(e) });
    return 0;
  }
}

/**
 * Brings the training accounts back to their initial state — password = user name, unlocked, enabled,
 * 66048, in their órgão's group — writing only those that drifted. Cost: one paged search of the training
 * branch (or of the named órgãos' OUs), one modify per drifted account with bounded concurrency, one small
 * search to read back what was set, and one write of the record.
 *
 * Without `orgaos`, the órgãos are those found under the training branch. The PSO is checked first: without
 * it every password would be refused, so nothing is written.
 */
export async function resetTraining(deps: ResetTrainingDeps, options: { orgaos?: string[] } = {}): Promise<ResetTrainingResult> {
  const { directory, store, policy } = deps;
  const layout = managedLayout(policy);
  await checkTrainingPso(directory, policy.trainingParentGroupDn);

  const warnings: string[] = [];
  const record = await store.read();
  let recorded: Map<string, string> | null = null;
  if (record.status === 'ok') recorded = record.pwdLastSet;
  else if (record.status === 'missing') warnings.push(m.recordLost(record.file));
  else warnings.push(m.recordUnreadable(record.file, record.detail));

  const named = options.orgaos !== undefined && options.orgaos.length > 0 ? options.orgaos : undefined;
  const bases = named ? named.map((o) => layout.orgaoTrainingDn(o)) : [layout.trainingDn];
  const observed = await readTrainingAccounts(directory, bases, { memberOf: true });
  // A branch that reads empty because it is not there (renamed, or trainingOu mistyped) while the record
  // lists accounts: nothing to restore is not the answer, and the record must not be emptied.
  if (!named && observed.length === 0 && recorded !== null && recorded.size > 0 && (await directory.read(layout.trainingDn, ['ou'])) === null) {
    throw new SeiError(m.branchMissing(layout.trainingDn, recorded.size), ExitCode.unusable);
  }
  let orgaos: string[];
  if (named) orgaos = named;
  else {
    const found = trainingOrgaosAmong(orgaosInTrainingTree(observed, layout.trainingDn), observed, (o) =>
      deriveTrainingAccounts([o], policy).map((t) => t.login),
    );
    orgaos = found.orgaos;
    if (found.others.length > 0) warnings.push(m.notTrainingOus(found.others));
  }
  const desired = deriveTrainingAccounts(orgaos, policy);
  const drift = diffTrainingAccounts({ desired, observed, recorded, policy });
  if (drift.surplus.length > 0) warnings.push(m.surplusAccounts(drift.surplus.length, drift.surplus.slice(0, 5), policy.trainingCount));
  const firstMissing = drift.missing[0];
  if (firstMissing) warnings.push(m.accountsMissing(drift.missing.length, firstMissing.login, firstMissing.orgao));

  // From the first write on, a stop (the directory gone, the record unwritable) may leave accounts changed:
  // exit 1, never 2 ("nothing done").
  return afterFirstWrite(() => restore(deps, { orgaos, named, bases, observed, recorded, drift, warnings }));
}

async function restore(
  deps: ResetTrainingDeps,
  seen: {
    orgaos: string[];
    named: string[] | undefined;
    bases: string[];
    observed: Awaited<ReturnType<typeof readTrainingAccounts>>;
    recorded: Map<string, string> | null;
    drift: ReturnType<typeof diffTrainingAccounts>;
    warnings: string[];
  },
): Promise<ResetTrainingResult> {
  const { directory, store, logger } = deps;
  const { orgaos, named, bases, observed, recorded, drift, warnings } = seen;
  // The órgão groups back into the PSO group, then the accounts into their órgão group: only then does the
  // PSO let a password equal to the user name through.
  let membershipsRestored = 0;
  const failed: ResetFailure[] = [];
  const cannotJoin = new Set<string>();
  const nestingRestored = await restoreNesting(deps, orgaos, failed);
  // Out of groups put in by hand: those under the tool's root are its own to change; others are named.
  const rootDn = managedLayout(deps.policy).rootDn;
  let leftGroups = 0;
  for (const g of drift.otherGroups) {
    if (!isDnUnder(g.groupDn, rootDn)) {
      warnings.push(m.otherGroupOutside(g.groupDn, g.memberDns.length, g.memberDns[0] ?? ''));
      continue;
    }
    try {
      await removeMembers(directory, { kind: 'remove-member', groupDn: g.groupDn, memberDns: g.memberDns });
      leftGroups += g.memberDns.length;
    } catch (e) {
      logger.error(messageOf(e), { dn: g.groupDn });
      failed.push({ dn: g.groupDn, login: '', message: messageOf(e) });
    }
  }
  for (const g of drift.memberships) {
    try {
      await addMembers(directory, { kind: 'add-member', groupDn: g.groupDn, memberDns: g.memberDns });
      membershipsRestored += g.memberDns.length;
    } catch (e) {
      logger.error(messageOf(e), { dn: g.groupDn });
      failed.push({ dn: g.groupDn, login: '', message: messageOf(e) });
      for (const dn of g.memberDns) cannotJoin.add(normaliseDn(dn));
    }
  }

  const since = deps.clock();
  const limit = pLimit(deps.concurrency);
  const written: SetAccount[] = [];
  const byReason = emptyByReason();
  deps.progress?.start(m.progressReset, drift.restore.length);
  await Promise.all(
    drift.restore.map((r) =>
      limit(async () => {
        try {
          // Back to its name and OU first (memberships follow a move); then the password, there.
          if (r.moveTo !== undefined) await directory.move(r.dn, r.moveTo);
          const at = r.moveTo ?? r.dn;
          await directory.setPassword(at, r.cn, r.replace);
          written.push({ dn: at, login: r.login });
          for (const reason of r.reasons) byReason[reason]++;
        } catch (e) {
          const message = cannotJoin.has(normaliseDn(r.dn)) ? m.notInGroup(messageOf(e)) : messageOf(e);
          failed.push({ dn: r.dn, login: r.login, message });
          logger.error(message, { dn: r.dn, reasons: r.reasons });
        } finally {
          deps.progress?.tick();
        }
      }),
    ),
  );
  deps.progress?.stop();

  // The record: what was just set, plus what stayed ours. A failed write keeps its old entry, so the
  // account is tried again next time. After a look at the whole branch, entries of accounts no longer
  // there are dropped; after a look at some órgãos, the rest is kept as it was.
  const next = new Map(recorded ?? []);
  if (!named) {
    const seen = new Set(observed.map((o) => recordKey(o.sAMAccountName)));
    for (const login of [...next.keys()]) if (!seen.has(login)) next.delete(login);
  }
  const readBack = await readBackPwdLastSet(directory, bases, written, since);
  for (const [login, value] of readBack) next.set(login, value);
  const changed = recorded === null || written.length > 0 || next.size !== recorded.size;
  if (changed) await store.write(next, deps.clock().toISOString());

  failed.sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
  return {
    orgaos,
    checked: drift.checked,
    restored: written.length,
    byReason,
    membershipsRestored,
    membershipsRemoved: leftGroups,
    nestingRestored,
    failed,
    missing: drift.missing.map((d) => d.login),
    warnings,
    recordLost: recorded === null,
  };
}
