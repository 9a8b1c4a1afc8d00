import { readFormsInto } from '../adapters/csv/readForms.js';
import { namingPolicyOf } from '../config/loadConfig.js';
import { assemblePlan } from '../core/assemblePlan.js';
import { namesTakenElsewhere } from '../core/namesTaken.js';
import { RowValidator } from '../core/validateRows.js';
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

/**
 * Each row is validated as it is read and dropped: with 10⁵ rows, holding them all until a separate
 * validation cost tens of megabytes, and the garbage collector's copying them from one space to the next.
 * The 'read' phase therefore includes checking each row; 'validate' is what needs them all (corrections,
 * repeated e-mails).
 */
async function readAndValidate(ctx: RunContext, options: PlanInputOptions): Promise<{ inputs: FormBatch['inputs']; validated: ValidatedBatch }> {
  const validator = new RowValidator();
  const read = await timePhase(ctx.logger, 'read', () =>
    readFormsInto(
      options.files,
      { encoding: options.encoding ?? ctx.config.forms.encoding, headerAliases: ctx.config.forms.headerAliases },
      (row) => validator.add(row),
    ),
  );
  const validated = await timePhase(ctx.logger, 'validate', () => validator.finish(read.warnings));
  return { inputs: read.inputs, validated };
}
