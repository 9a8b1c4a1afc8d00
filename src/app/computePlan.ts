import { readForms } from '../adapters/csv/readForms.js';
import { collectGarbage } from '../adapters/runtime/collectGarbage.js';
import { namingPolicyOf } from '../config/loadConfig.js';
import { assemblePlan } from '../core/assemblePlan.js';
import { namesTakenElsewhere } from '../core/namesTaken.js';
import { validateRows } from '../core/validateRows.js';
import { emptySnapshot, type DirectorySnapshot } from '../domain/directory.js';
import type { FormBatch, ValidatedBatch } from '../domain/form.js';
import type { Plan } from '../domain/plan.js';
import type { NamingPolicy } from '../domain/policy.js';
import { OBSERVE_SEARCHES, type Directory } from '../ports/Directory.js';
import { progressMessages } from '../messages/progress.js';
import { validationWarnings } from '../messages/forms.js';
import { directoryMessages } from '../messages/directory.js';
import { DirectoryError, DirectoryUnavailableError } from '../domain/errors.js';
import type { RunContext } from './context.js';
import { timePhase } from './timePhase.js';

export interface PlanInputOptions {
  files: string[];
  encoding?: 'auto' | 'utf-8' | 'windows-1252';
  disableMissing?: boolean;
  training?: boolean;
}

export interface ComputedPlan {
  validated: ValidatedBatch;
  snapshot: DirectorySnapshot;
  plan: Plan;
}

/** read → validate → observe (or an empty directory) → plan. Only the reading and observing do I/O. */
export async function computePlan(ctx: RunContext, options: PlanInputOptions, directory: Directory | null): Promise<ComputedPlan> {
  const { inputs, validated } = await readAndValidate(ctx, options);
  const policy = namingPolicyOf(ctx.config);
  const now = ctx.clock().toISOString();
  let snapshot: DirectorySnapshot;
  if (directory) {
    ctx.progress?.start(progressMessages.observe, OBSERVE_SEARCHES);
    try {
      snapshot = await timePhase(ctx.logger, 'observe', () => observeBeforeWriting(directory, policy, now, () => ctx.progress?.tick()));
    } finally {
      ctx.progress?.stop();
    }
  } else {
    snapshot = emptySnapshot(policy.baseDN, now);
  }
  // Rows a quote left open swallowed may hold people of the forms the tool cannot name: none is disabled as missing.
  const disableMissing = (options.disableMissing ?? false) && validated.swallowedIn === undefined;
  if (options.disableMissing && validated.swallowedIn !== undefined) {
    validated.warnings.push({ message: validationWarnings.missingNotDisabled(validated.swallowedIn) });
  }
  const plan = await timePhase(ctx.logger, 'plan', () =>
    assemblePlan({
      people: validated.people,
      snapshot,
      policy,
      inputs,
      now,
      disableMissing,
      rejectedCpfs: validated.rejectedCpfs,
      ...(validated.rejectedEmails ? { rejectedEmails: validated.rejectedEmails } : {}),
      training: options.training ?? true,
    }),
  );
  // Said in the plan's warnings: the apply would refuse each of these, one by one.
  for (const t of namesTakenElsewhere(plan, snapshot)) validated.warnings.push({ message: validationWarnings.nameTaken(t.kind, t.name, t.dn) });
  return { validated, snapshot, plan };
}

/**
 * The directory as it is, read before anything is written: one that cannot be read leaves the run unusable
 * (exit 2, nothing done), not partial (exit 1, which says things may have changed).
 */
export async function observeBeforeWriting(directory: Directory, policy: NamingPolicy, now: string, tick?: () => void): Promise<DirectorySnapshot> {
  try {
    return await directory.observe(policy, now, tick);
  } catch (e) {
    if (e instanceof DirectoryError) throw new DirectoryUnavailableError(directoryMessages.observeFailed(e.message), { cause: e });
    throw e;
  }
}

/** The raw rows end here: with 10⁵ of them, keeping them through planning cost tens of megabytes. */
async function readAndValidate(ctx: RunContext, options: PlanInputOptions): Promise<{ inputs: FormBatch['inputs']; validated: ValidatedBatch }> {
  const batch = await timePhase(ctx.logger, 'read', () =>
    readForms(options.files, {
      encoding: options.encoding ?? ctx.config.forms.encoding,
      headerAliases: ctx.config.forms.headerAliases,
    }),
  );
  const validated = await timePhase(ctx.logger, 'validate', () => validateRows(batch.rows, batch.warnings));
  batch.rows = [];
  // Collected now, while little else is alive (cheap), the rows leave room for the plan; left to V8, they
  // lay in the heap to the end of the run, and the plan grew it beside them.
  collectGarbage();
  return { inputs: batch.inputs, validated };
}
