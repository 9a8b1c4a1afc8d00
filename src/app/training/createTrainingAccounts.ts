import pLimit from 'p-limit';
import { DirectoryError, ExitCode, SeiError } from '../../domain/errors.js';
import type { AddMember, CreateTrainingAccount, Plan } from '../../domain/plan.js';
import type { ChangeOutcome } from '../../domain/report.js';
import type { Directory } from '../../ports/Directory.js';
import type { Logger, Progress } from '../../ports/Logger.js';
import { applyMessages as am } from '../../messages/apply.js';
import { addMembers } from '../addMembers.js';
import { UAC } from '../userEntry.js';
import type { TrainingStateStore } from '../../adapters/state/trainingState.js';
import { recordTrainingPasswords, searchBasesFor, type SetAccount } from './readTrainingAccounts.js';

export interface TrainingDeps {
  directory: Directory;
  logger: Logger;
  progress?: Progress;
  concurrency: number;
  parentGroupDn: string;
}

type Indexed<C> = { change: C; index: number };

const failure = (index: number, e: unknown): ChangeOutcome => ({
  index,
  status: 'failed',
  message: e instanceof SeiError ? e.message : am.unexpected(String(e)),
  ...(e instanceof DirectoryError ? { resultCode: e.resultCode } : {}),
});

/**
 * The order Samba and AD need (measured): a password equal to the user name passes only once the PSO
 * applies, and it applies only to members. So: add disabled without a password → memberships (the
 * órgão's training group into the PSO group, then all its accounts in one modify) → set the password and
 * enable. The memberships this handles are returned so apply does not send them again.
 */
export async function createTrainingAccounts(
  training: Indexed<CreateTrainingAccount>[],
  memberships: Indexed<AddMember>[],
  deps: TrainingDeps,
): Promise<{ outcomes: ChangeOutcome[]; handledMembershipIndexes: number[] }> {
  if (training.length === 0) return { outcomes: [], handledMembershipIndexes: [] };
  const { directory } = deps;
  const limit = pLimit(deps.concurrency);
  const outcomes: ChangeOutcome[] = [];
  const added = new Set<string>();
  deps.progress?.start(am.progressTraining, training.length * 2);

  await Promise.all(
    training.map(({ change, index }) =>
      limit(async () => {
        try {
          await directory.add(change.dn, {
            objectClass: ['top', 'person', 'organizationalPerson', 'user'],
            sAMAccountName: change.login,
            userPrincipalName: change.upn,
            userAccountControl: String(UAC.disabledNoExpire),
          });
          added.add(change.dn);
        } catch (e) {
          if (!(e instanceof DirectoryError && e.resultCode === 68)) outcomes.push(failure(index, e));
          // "Already exists" is our own earlier attempt only if the entry there is this training account:
          // its password is about to become its name.
          else {
            const there = await whoIsThere(directory, change);
            if (there === 'this') added.add(change.dn);
            // Nothing at the DN: the refusal was for the login, held by an account elsewhere in the domain
            // (this one moved out of the training branch by hand, say).
            else if (there === 'nothing') outcomes.push(failure(index, new SeiError(am.trainingLoginTaken(change.login, change.dn), ExitCode.partial)));
            else outcomes.push(failure(index, new SeiError(am.trainingNotOurs(change.dn, change.login), ExitCode.partial)));
          }
        } finally {
          deps.progress?.tick();
        }
      }),
    ),
  );

  const trainingDns = new Set(training.map((t) => t.change.dn));
  const relevant = memberships.filter(
    ({ change }) => change.groupDn === deps.parentGroupDn || change.memberDns.some((dn) => trainingDns.has(dn)),
  );
  // Nest the órgão groups into the PSO group first, so the PSO reaches the accounts once they join.
  relevant.sort((a, b) => Number(b.change.groupDn === deps.parentGroupDn) - Number(a.change.groupDn === deps.parentGroupDn));
  for (const { change, index } of relevant) {
    const members = change.memberDns.filter((dn) => !trainingDns.has(dn) || added.has(dn));
    try {
      if (members.length > 0) await addMembers(directory, { ...change, memberDns: members });
      outcomes.push({ index, status: 'done' });
    } catch (e) {
      outcomes.push(failure(index, e));
    }
  }

  await Promise.all(
    training.map(({ change, index }) =>
      limit(async () => {
        if (!added.has(change.dn)) return;
        try {
          await directory.setPassword(change.dn, change.cn, { userAccountControl: String(UAC.normalNoExpire) });
          outcomes.push({ index, status: 'done' });
        } catch (e) {
          outcomes.push(failure(index, e));
        } finally {
          deps.progress?.tick();
        }
      }),
    ),
  );
  deps.progress?.stop();
  return { outcomes, handledMembershipIndexes: relevant.map((r) => r.index) };
}

/** What answered "already exists": this very account (an earlier attempt), another entry at its DN, or nothing there. */
async function whoIsThere(directory: Directory, change: CreateTrainingAccount): Promise<'this' | 'other' | 'nothing'> {
  let entry;
  try {
    entry = await directory.read(change.dn, ['sAMAccountName']);
  } catch {
    return 'other';
  }
  if (entry === null) return 'nothing';
  return (entry.attributes.samaccountname?.[0] ?? '').toLowerCase() === change.login.toLowerCase() ? 'this' : 'other';
}

/**
 * After an apply: records the `pwdLastSet` of the training accounts the plan created, read back in one
 * paged search, so the nightly reset knows them as untouched. With `outcomes`, only those done; without,
 * every planned one whose password the directory shows as set since the plan was made. Returns warnings
 * for the report and the logins (recordKey) recorded.
 */
export async function recordAppliedTraining(
  directory: Directory,
  store: TrainingStateStore,
  plan: Plan,
  outcomes: readonly ChangeOutcome[] | undefined,
  options: { trainingDn: string; now: string; since?: Date },
): Promise<{ warnings: string[]; recorded: Set<string> }> {
  const done = outcomes && new Set(outcomes.filter((o) => o.status === 'done').map((o) => o.index));
  const accounts: SetAccount[] = [];
  plan.changes.forEach((c, i) => {
    if (c.kind === 'create-training-account' && (done === undefined || done.has(i))) accounts.push({ dn: c.dn, login: c.login });
  });
  // The plan was made before apply began, so every password of this apply was set after createdAt.
  const since = options.since ?? new Date(plan.createdAt);
  const bases = searchBasesFor(accounts.map((a) => a.dn), options.trainingDn);
  return recordTrainingPasswords(directory, store, { accounts, bases, since, now: options.now });
}
