import pLimit from 'p-limit';
import { DirectoryError, DirectoryUnavailableError, SeiError } from '../domain/errors.js';
import { directoryMessages } from '../messages/directory.js';
import type { Journal } from '../ports/Journal.js';
import type { AttributeChange, Change, CreateGroup, CreateOu, CreateUser, DisableUser, Plan, UpdateUser } from '../domain/plan.js';
import type { ChangeOutcome } from '../domain/report.js';
import type { Directory, Modification } from '../ports/Directory.js';
import type { Logger, Progress } from '../ports/Logger.js';
import { applyMessages as m } from '../messages/apply.js';
import type { CredentialDelivery, CredentialTarget } from './credentials.js';
import type { RunContext } from './context.js';
import { newUserEntry } from './userEntry.js';
import { createTrainingAccounts } from './training/createTrainingAccounts.js';
import { checkTrainingPso } from './training/checkTrainingPso.js';
import { addMembers } from './addMembers.js';
import { removeMembers } from './removeMembers.js';
import { cpfKey } from '../core/cpf.js';
import { ACCOUNTDISABLE } from '../core/disables.js';

export interface ApplyDeps {
  directory: Directory;
  credentials: CredentialDelivery;
  logger: Logger;
  progress?: Progress;
  concurrency: number;
  /** Training accounts need the PSO group: checked before any of them is created. */
  trainingParentGroupDn: string;
}

/** The apply dependencies every command builds the same way from its run context. */
export function applyDepsOf(ctx: RunContext, directory: Directory, credentials: CredentialDelivery): ApplyDeps {
  return {
    directory,
    credentials,
    logger: ctx.logger,
    ...(ctx.progress ? { progress: ctx.progress } : {}),
    concurrency: ctx.config.directory.concurrency,
    trainingParentGroupDn: ctx.config.naming.trainingParentGroupDn,
  };
}

/**
 * What must hold before a plan's first write (today: the PSO its training accounts need). apply and sync
 * also call it before settling earlier pending credentials, so a run refused here has written nothing.
 */
/**
 * What must hold before the first write, checked while a stop still means "nothing done" (exit 2): the PSO
 * training accounts need, and a journal the run can read (where pending credentials are settled first).
 * A directory that fails to answer these checks is unavailable, not a failed action.
 */
export async function checkBeforeWriting(
  plan: Plan,
  deps: Pick<ApplyDeps, 'directory' | 'trainingParentGroupDn'> & { journal?: Pick<Journal, 'pending'> },
): Promise<void> {
  await deps.journal?.pending();
  try {
    if (plan.changes.some((c) => c.kind === 'create-training-account')) await checkTrainingPso(deps.directory, deps.trainingParentGroupDn);
  } catch (e) {
    if (e instanceof DirectoryError) throw new DirectoryUnavailableError(directoryMessages.observeFailed(e.message), { cause: e });
    throw e;
  }
}

export interface ApplyResult {
  outcomes: ChangeOutcome[];
  failed: number;
  done: number;
}

type Indexed<C extends Change> = { change: C; index: number };

function byKind<K extends Change['kind']>(plan: Plan, kind: K): Indexed<Extract<Change, { kind: K }>>[] {
  const out: Indexed<Extract<Change, { kind: K }>>[] = [];
  plan.changes.forEach((change, index) => {
    if (change.kind === kind) out.push({ change: change as Extract<Change, { kind: K }>, index });
  });
  return out;
}

const GLOBAL_SECURITY_GROUP = String(-2147483646);

/**
 * New accounts whose `credential-pending` records share one journal write and fsync. Large enough that the
 * journal costs little next to the directory's ~25 ms per account; small enough that a crash leaves few
 * records of accounts never tried (the next run reads each and drops it).
 */
const PENDING_BATCH = 32;

/**
 * Executes exactly the plan's changes, in dependency order: OUs, groups, people (a change of órgão moves the
 * account before its attributes change), training accounts, then memberships batched one modify per group:
 * additions, then removals. One change's failure never stops the others; each outcome is
 * recorded against its index in the plan.
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  const outcomes: ChangeOutcome[] = [];
  const { directory, logger } = deps;
  const record = (index: number, error?: unknown) => {
    if (error === undefined) {
      outcomes.push({ index, status: 'done' });
      return;
    }
    const message = error instanceof SeiError ? error.message : m.unexpected(String(error));
    const resultCode = error instanceof DirectoryError ? error.resultCode : undefined;
    outcomes.push({ index, status: 'failed', message, ...(resultCode !== undefined ? { resultCode } : {}) });
    const change = plan.changes[index];
    logger.error(message, { kind: change?.kind, dn: 'dn' in (change ?? {}) ? (change as { dn: string }).dn : undefined });
  };
  // Checked before the first write, so a missing PSO leaves nothing half-created.
  await checkBeforeWriting(plan, deps);
  const failedDns = new Set<string>();

  // Parents before children: the plan lists OUs by depth, then groups, so one at a time in order. An entry
  // that already exists is what we wanted (createOu, createGroup say when it is not).
  const structure = [
    ...byKind(plan, 'create-ou').map(({ change, index }) => ({ index, dn: change.dn, write: () => createOu(directory, change) })),
    ...byKind(plan, 'create-group').map(({ change, index }) => ({ index, dn: change.dn, write: () => createGroup(directory, change) })),
  ];
  for (const { index, dn, write } of structure) {
    try {
      await write();
      record(index);
    } catch (e) {
      failedDns.add(dn);
      record(index, e);
    }
  }

  const limit = pLimit(deps.concurrency);
  const creates = byKind(plan, 'create-user');
  deps.credentials.expect(creates.map(({ change }) => credentialTargetOf(change)), PENDING_BATCH);
  const people = [...creates, ...byKind(plan, 'update-user'), ...byKind(plan, 'disable-user')];
  // Accounts that reached their new órgão OU: one whose move failed is not at the DN its memberships name.
  const moved = new Set<string>();
  deps.progress?.start(m.progressPeople, people.length);
  await Promise.all(
    people.map(({ change, index }) =>
      limit(async () => {
        try {
          if (change.kind === 'create-user') await createUser(deps, change);
          else if (change.kind === 'update-user') await updateUser(deps, change, moved);
          else await disableUser(directory, change);
          record(index);
        } catch (e) {
          // Only an account that may not exist is kept out of its groups: one whose update or disable
          // failed is still there, and still joins.
          if (change.kind === 'create-user') failedDns.add(change.dn);
          if (change.kind === 'update-user' && change.moveTo !== undefined && !moved.has(change.moveTo)) failedDns.add(change.moveTo);
          record(index, e);
        } finally {
          deps.progress?.tick();
        }
      }),
    ),
  );
  deps.progress?.stop();
  // Pending records written ahead for accounts the loop never reached.
  await deps.credentials.releaseUnused();

  const training = byKind(plan, 'create-training-account');
  const memberships = byKind(plan, 'add-member');
  const trainingResult = await createTrainingAccounts(
    training,
    memberships,
    { directory, logger, concurrency: deps.concurrency, parentGroupDn: deps.trainingParentGroupDn, ...(deps.progress ? { progress: deps.progress } : {}) },
  );
  for (const o of trainingResult.outcomes) outcomes.push(o);
  const handled = new Set(trainingResult.handledMembershipIndexes);

  /** One group's modify for the members left to it; false when the directory refused it. */
  const groupChange = async (index: number, members: string[], noneLeft: string, write: (members: string[]) => Promise<void>): Promise<boolean> => {
    if (members.length === 0) {
      outcomes.push({ index, status: 'skipped', message: noneLeft });
      return true;
    }
    try {
      await write(members);
      record(index);
      return true;
    } catch (e) {
      record(index, e);
      return false;
    }
  };

  // Members whose joining failed keep their old groups until a run gets them into the new ones.
  const joinFailed = new Set<string>();
  for (const { change, index } of memberships) {
    if (handled.has(index)) continue;
    // Members whose own creation failed are left out rather than failing the whole group's modify.
    const members = change.memberDns.filter((dn) => !failedDns.has(dn));
    const joined = await groupChange(index, members, m.noMembersLeft, (memberDns) => addMembers(directory, { ...change, memberDns }));
    if (!joined) for (const dn of members) joinFailed.add(dn);
  }

  // Out of the groups the forms no longer give them, once the new ones are joined.
  for (const { change, index } of byKind(plan, 'remove-member')) {
    const members = change.memberDns.filter((dn) => !failedDns.has(dn) && !joinFailed.has(dn));
    await groupChange(index, members, m.noMembersToRemove, (memberDns) => removeMembers(directory, { ...change, memberDns }));
  }

  await deps.credentials.settle();
  outcomes.sort((a, b) => a.index - b.index);
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  return { outcomes, failed, done: outcomes.filter((o) => o.status === 'done').length };
}

/** An entry that already exists (68) is what we wanted: an earlier run, or a retry, made it. */
const alreadyThere = (e: unknown): boolean => e instanceof DirectoryError && e.resultCode === 68;

async function createOu(directory: Directory, change: CreateOu): Promise<void> {
  await directory.add(change.dn, { objectClass: ['top', 'organizationalUnit'] }).catch((e: unknown) => {
    if (!alreadyThere(e)) throw e;
  });
}

async function createGroup(directory: Directory, change: CreateGroup): Promise<void> {
  try {
    await directory.add(change.dn, { objectClass: ['top', 'group'], sAMAccountName: change.name, groupType: GLOBAL_SECURITY_GROUP });
  } catch (e) {
    if (!alreadyThere(e)) throw e;
    // 68 is what we wanted only if the group is there: it also answers a sAMAccountName taken elsewhere in
    // the domain, and then the group does not exist and every membership of it would fail.
    if (!(await directory.read(change.dn, ['1.1']))) {
      throw new DirectoryError(m.groupNameTaken(change.dn, change.name), { resultCode: 68, dn: change.dn, operation: 'add', transient: false }, { cause: e });
    }
  }
}

function credentialTargetOf(change: CreateUser): CredentialTarget {
  return { dn: change.dn, login: change.login, email: change.email, name: change.attributes.displayName ?? change.login };
}

async function createUser(deps: ApplyDeps, change: CreateUser): Promise<void> {
  await deps.credentials.create(credentialTargetOf(change), async (password) => {
    try {
      await deps.directory.add(change.dn, newUserEntry(change), password);
    } catch (e) {
      // A dropped connection retried by the pool answers 68 for an add that did go through: if the entry
      // is this person's, set the password again (the first one went nowhere) and carry on.
      if (!(e instanceof DirectoryError && e.resultCode === 68)) throw e;
      const existing = await deps.directory.read(change.dn, ['employeeID']);
      if (existing?.attributes.employeeid?.[0] !== change.cpf) throw e;
      await deps.directory.setPassword(change.dn, password, { pwdLastSet: '0' });
    }
  });
}

async function updateUser(deps: ApplyDeps, change: UpdateUser, moved: Set<string>): Promise<void> {
  const { directory } = deps;
  let dn = change.dn;
  const moveTo = change.moveTo;
  if (moveTo !== undefined) {
    // A credential still pending for the account (mail down on an earlier run) follows it.
    // A pending password mail greets the person by the name this change gives (a nome social given now).
    const name = change.changes.find((a) => a.attribute === 'displayName')?.after ?? undefined;
    await deps.credentials.followMove(change.dn, moveTo, () => moveAccount(directory, change.dn, moveTo, change.cpf), name);
    moved.add(moveTo);
    dn = moveTo;
  }
  await modifyOverPlanned(directory, dn, change.changes, m.changedSincePlan);
}

/** An attribute's value as the plan saw it and as it wants it (null: none). */
type ValueChange = Pick<AttributeChange, 'before' | 'after'> & { attribute: string };

/** `changes` written by attributeWrites; a refusal because a value changed since the plan names it. */
async function modifyOverPlanned(
  directory: Directory,
  dn: string,
  changes: readonly ValueChange[],
  refused: (dn: string, attributes: string) => string,
): Promise<void> {
  const mods = attributeWrites(changes);
  if (mods.length === 0) return;
  try {
    await directory.modify(dn, mods);
  } catch (e) {
    if (!(e instanceof DirectoryError && VALUE_CHANGED.has(e.resultCode))) throw e;
    // The server refused the whole modify: a value is not the one the plan saw. Unless it is already the
    // one the plan wants: a modify that went through but whose answer was lost, sent again by a retry.
    const { done, changed } = await compareWithPlan(directory, dn, changes);
    if (done) return;
    const named = (changed.length > 0 ? changed : changes.map((c) => c.attribute)).join(', ');
    throw new DirectoryError(refused(dn, named), { resultCode: e.resultCode, dn, operation: 'modify', transient: false }, { cause: e });
  }
}

/**
 * What the directory holds now for an update's attributes (case aside): `done` when every one already has
 * its planned value; `changed`, those whose value is neither the one the plan saw nor the planned one.
 */
async function compareWithPlan(directory: Directory, dn: string, changes: readonly ValueChange[]): Promise<{ done: boolean; changed: string[] }> {
  const entry = await directory.read(
    dn,
    changes.map((c) => c.attribute),
  );
  const holds = (c: ValueChange, value: string | null): boolean => {
    const values = entry?.attributes[c.attribute.toLowerCase()] ?? [];
    return value === null ? values.length === 0 : values.length === 1 && values[0]?.toLowerCase() === value.toLowerCase();
  };
  return {
    done: entry !== null && changes.every((c) => holds(c, c.after)),
    changed: changes.filter((c) => !holds(c, c.before) && !holds(c, c.after)).map((c) => c.attribute),
  };
}

/** noSuchAttribute (the old value is gone) and attributeOrValueExists (a value appeared where none was). */
const VALUE_CHANGED = new Set([16, 20]);

/**
 * An update's attribute changes as one modify that goes through only if every value is still the one the
 * plan saw: the old value is deleted by value and the new one added (LDAP's own compare-and-swap, atomic in
 * the server). A value someone changed in the directory since the plan (a person, another tool, during an
 * apply of hours) makes the server refuse the modify instead of being overwritten unseen; the next run
 * plans from the current value. The comparison is the server's (case-insensitive for these attributes).
 */
export function attributeWrites(changes: readonly ValueChange[]): Modification[] {
  const mods: Modification[] = [];
  for (const c of changes) {
    if (c.before !== null) mods.push({ operation: 'delete', attribute: c.attribute, values: [c.before] });
    if (c.after !== null) mods.push({ operation: 'add', attribute: c.attribute, values: [c.after] });
  }
  return mods;
}

/** Moves a person's account; one already at `to` (a retried operation that did go through) is moved. */
async function moveAccount(directory: Directory, from: string, to: string, cpf: string): Promise<void> {
  try {
    await directory.move(from, to);
  } catch (e) {
    if (!(e instanceof DirectoryError && e.resultCode === 32)) throw e;
    const there = await directory.read(to, ['employeeID']);
    // By the correlation key, as the plan matched the person: an employeeID typed with dots still matches.
    const employeeID = there?.attributes.employeeid?.[0];
    if (employeeID === undefined || cpfKey(employeeID) !== cpfKey(cpf)) throw e;
  }
}

/**
 * Disables an account, written the way updates are (attributeWrites): over the flags and description the
 * plan saw, so an account someone changed since (re-enabled it, set a flag, wrote a note) is left as it is,
 * and the run says so, instead of being overwritten with flags read hours before.
 */
async function disableUser(directory: Directory, change: DisableUser): Promise<void> {
  if (change.descriptionBefore === undefined) {
    await directory.modify(change.dn, [
      { operation: 'replace', attribute: 'userAccountControl', values: [String(change.userAccountControl)] },
      { operation: 'replace', attribute: 'description', values: [change.description] },
    ]);
    return;
  }
  const changes: ValueChange[] = [
    { attribute: 'userAccountControl', before: String(change.userAccountControl & ~ACCOUNTDISABLE), after: String(change.userAccountControl) },
    { attribute: 'description', before: change.descriptionBefore, after: change.description },
  ];
  await modifyOverPlanned(directory, change.dn, changes, m.disableChangedSincePlan);
}
