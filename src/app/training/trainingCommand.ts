import { resolve } from 'node:path';
import { flushJournal } from '../flushJournal.js';
import { openJournal } from '../../adapters/journal/FileJournal.js';
import { openTrainingState } from '../../adapters/state/trainingState.js';
import { namingPolicyOf } from '../../config/loadConfig.js';
import { managedLayout } from '../../core/layout.js';
import { normaliseTrainingOrgaos, planTraining } from '../../core/planTraining.js';
import { assertPlanInScope } from '../../core/scope.js';
import { ExitCode, InternalError, ScopeError, SeiError, type ExitCodeValue } from '../../domain/errors.js';
import type { Plan } from '../../domain/plan.js';
import type { ChangeOutcome } from '../../domain/report.js';
import type { Mailer } from '../../ports/Mailer.js';
import { scopeMessages } from '../../messages/scope.js';
import { trainingMessages as m } from '../../messages/training.js';
import { applyDepsOf, applyPlan, checkBeforeWriting } from '../applyPlan.js';
import { afterFirstWrite } from '../afterFirstWrite.js';
import type { RunContext } from '../context.js';
import { createCredentialDelivery } from '../credentialDeliveryFactory.js';
import { withRunLock } from '../withRunLock.js';
import { recordAppliedTraining } from './createTrainingAccounts.js';
import { resetTraining, type ResetTrainingResult } from './resetTraining.js';

export interface TrainingOptions {
  /** Siglas as typed; normalised (uppercased) here. */
  orgaos: string[];
}

export interface TrainingOrgaoSummary {
  orgao: string;
  created: number;
  existing: number;
  failed: number;
}

export interface TrainingOutcome {
  exitCode: ExitCodeValue;
  plan: Plan;
  outcomes: ChangeOutcome[];
  orgaos: TrainingOrgaoSummary[];
  warnings: string[];
}

function orgaosOrThrow(raw: string[]): string[] {
  const { orgaos, invalid } = normaliseTrainingOrgaos(raw);
  if (invalid.length > 0) throw new SeiError(m.invalidOrgaos(invalid), ExitCode.unusable);
  return orgaos;
}

/**
 * `sei-contas training <ORGAO>...`: creates the training environment of the named órgãos (OUs, per-órgão
 * group nested into the PSO group, usuario01…usuarioNN) through the same plan and apply as `apply`, then
 * records the passwords it set. No forms are read, so no "training ready" notice is sent from here: apply
 * and sync send it, because they know the órgão's interlocutors.
 */
export async function trainingCommand(ctx: RunContext, options: TrainingOptions): Promise<TrainingOutcome> {
  const orgaos = orgaosOrThrow(options.orgaos);
  if (orgaos.length === 0) throw new SeiError(m.noOrgaos, ExitCode.unusable);
  return withRunLock(ctx, 'training', async () => {
    const stateDir = resolve(ctx.cwd, ctx.config.state.dir);
    const policy = namingPolicyOf(ctx.config);
    const directory = await ctx.openDirectory();
    try {
      const now = ctx.clock().toISOString();
      const snapshot = await directory.observe(policy, now);
      const plan = planTraining({ orgaos, snapshot, policy, now });
      const violations = assertPlanInScope(plan, policy);
      if (violations.length > 0) throw new ScopeError(scopeMessages.planOutOfScope(violations.length, violations[0] ?? ''), '');

      let outcomes: ChangeOutcome[] = [];
      const warnings: string[] = [];
      if (plan.changes.length > 0) {
        // No person is created here; apply wants a credential delivery all the same, and it stays unused.
        const journal = await openJournal(stateDir);
        // No journal: training delivers no credential, and a damaged journal must not stop it.
        await checkBeforeWriting(plan, { directory, trainingParentGroupDn: policy.trainingParentGroupDn });
        // From the first write on, a stop (the directory gone, the record unwritable) is exit 1, never 2.
        await afterFirstWrite(async () => {
          try {
            const result = await applyPlan(plan, applyDepsOf(ctx, directory, createCredentialDelivery(ctx, directory, journal, noMailer)));
            outcomes = result.outcomes;
          } finally {
            await flushJournal(ctx, journal);
          }
          const recorded = await recordAppliedTraining(directory, openTrainingState(stateDir), plan, outcomes, {
            trainingDn: managedLayout(policy).trainingDn,
            now: ctx.clock().toISOString(),
          });
          warnings.push(...recorded.warnings);
        });
      }

      const summary = summariseTraining(orgaos, plan, outcomes, policy.trainingCount);
      printTraining(ctx, summary, plan, outcomes, warnings);
      const failed = outcomes.some((o) => o.status === 'failed');
      return { exitCode: failed ? ExitCode.partial : ExitCode.ok, plan, outcomes, orgaos: summary, warnings };
    } finally {
      await directory.close();
    }
  });
}

/** Training creates no person, so apply's credential delivery never mails: no mail settings are needed. */
const noMailer: Mailer = {
  send: () => Promise.reject(new InternalError(m.noMailHere)),
  verify: async () => undefined,
  close: async () => undefined,
};

function summariseTraining(orgaos: string[], plan: Plan, outcomes: ChangeOutcome[], count: number): TrainingOrgaoSummary[] {
  const status = new Map(outcomes.map((o) => [o.index, o.status]));
  return orgaos.map((orgao) => {
    let planned = 0;
    let created = 0;
    let failed = 0;
    plan.changes.forEach((c, i) => {
      if (c.kind !== 'create-training-account' || c.orgao !== orgao) return;
      planned++;
      if (status.get(i) === 'done') created++;
      else failed++;
    });
    return { orgao, created, existing: count - planned, failed };
  });
}

function printTraining(ctx: RunContext, summary: TrainingOrgaoSummary[], plan: Plan, outcomes: ChangeOutcome[], warnings: string[]): void {
  const policy = namingPolicyOf(ctx.config);
  const layout = managedLayout(policy);
  if (plan.changes.length === 0) ctx.print(m.nothingToCreate(summary.map((s) => s.orgao)));
  else {
    ctx.print(m.createdHeading);
    for (const s of summary) ctx.print(m.orgaoLine(s));
  }
  for (const s of summary) ctx.print(m.sipLine(s.orgao, layout.orgaoTrainingDn(s.orgao)));
  ctx.print(m.howToLogin('usuario01'));
  const failedStructure = outcomes.filter((o) => o.status === 'failed' && plan.changes[o.index]?.kind !== 'create-training-account');
  if (failedStructure.length > 0) ctx.print(m.structureFailed(failedStructure.length));
  for (const o of outcomes.filter((x) => x.status === 'failed').slice(0, 20)) {
    const c = plan.changes[o.index];
    const dn = c === undefined ? '' : 'dn' in c ? c.dn : c.groupDn;
    ctx.print(m.failureLine(dn, o.message ?? ''));
  }
  for (const w of warnings) ctx.print(m.warning(w));
}

export interface TrainingResetOptions {
  /** Siglas; absent or empty: every órgão with training accounts. */
  orgaos?: string[];
}

export interface TrainingResetOutcome extends ResetTrainingResult {
  exitCode: ExitCodeValue;
}

/**
 * `sei-contas training reset [<ORGAO>...]`: the nightly restore. Exit 1 when an account could not be
 * restored or a desired one is missing, so a scheduler notices.
 */
export async function trainingResetCommand(ctx: RunContext, options: TrainingResetOptions = {}): Promise<TrainingResetOutcome> {
  const orgaos = orgaosOrThrow(options.orgaos ?? []);
  return withRunLock(ctx, 'training reset', async () => {
    const directory = await ctx.openDirectory();
    try {
      const result = await resetTraining(
        {
          directory,
          store: openTrainingState(resolve(ctx.cwd, ctx.config.state.dir)),
          policy: namingPolicyOf(ctx.config),
          logger: ctx.logger,
          ...(ctx.progress ? { progress: ctx.progress } : {}),
          concurrency: ctx.config.directory.concurrency,
          clock: ctx.clock,
        },
        orgaos.length > 0 ? { orgaos } : {},
      );
      printReset(ctx, result);
      const exitCode = result.failed.length > 0 || result.missing.length > 0 ? ExitCode.partial : ExitCode.ok;
      return { ...result, exitCode };
    } finally {
      await directory.close();
    }
  });
}

/** The reset's lines for the operator; sync prints the same. */
export function printReset(ctx: RunContext, r: ResetTrainingResult): void {
  for (const w of r.warnings) ctx.print(m.warning(w));
  if (r.checked === 0 && r.missing.length === 0) {
    ctx.print(m.nothingFound);
    return;
  }
  ctx.print(m.resetSummary({ orgaos: r.orgaos.length, checked: r.checked, restored: r.restored }));
  ctx.print(m.resetReasons(r.byReason));
  if (r.nestingRestored > 0) ctx.print(m.nestingRestored(r.nestingRestored));
  if (r.membershipsRestored > 0) ctx.print(m.membershipsRestored(r.membershipsRestored));
  if (r.membershipsRemoved > 0) ctx.print(m.membershipsRemoved(r.membershipsRemoved));
  if (r.failed.length > 0) {
    ctx.print(m.resetFailed(r.failed.length));
    for (const f of r.failed.slice(0, 20)) ctx.print(m.failureLine(f.dn, f.message));
  }
}
