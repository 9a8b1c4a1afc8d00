import { join, resolve } from 'node:path';
import { defaultReportDir, makeReportDir, REPORT_FILES, writePlanFile, writeReportFiles } from '../adapters/report/writeReports.js';
import { renderTerminalSummary } from '../adapters/report/renderTerminal.js';
import { summarisePlan } from '../core/summarisePlan.js';
import { collectGarbage } from '../adapters/runtime/collectGarbage.js';
import { ExitCode, type ExitCodeValue } from '../domain/errors.js';
import type { ReportModel } from '../domain/report.js';
import type { Directory } from '../ports/Directory.js';
import { cliMessages as m } from '../messages/cli.js';
import type { RunContext } from './context.js';
import { computePlan, type PlanInputOptions } from './computePlan.js';
import { timePhase } from './timePhase.js';

export interface PlanOptions extends PlanInputOptions {
  offline: boolean;
  reportDir?: string;
  out?: string;
}

export interface PlanOutcome {
  exitCode: ExitCodeValue;
  model: ReportModel;
  reportDir: string;
}

/** `sei-contas plan`: the dry run. Nothing is written to the directory. */
export async function planCommand(ctx: RunContext, options: PlanOptions): Promise<PlanOutcome> {
  const directory = options.offline ? null : await ctx.openDirectory();
  try {
    const reportDir = resolve(ctx.cwd, options.reportDir ?? defaultReportDir(join(ctx.cwd, ctx.config.reports.dir), ctx.clock()));
    const model = await planFiles(ctx, options, directory, reportDir);
    await timePhase(ctx.logger, 'reports', () => writeReportFiles(reportDir, model));
    ctx.print(renderTerminalSummary(model, { color: ctx.color }));
    ctx.print(m.reportWritten(reportDir));
    const exitCode = model.summary.rejected > 0 ? ExitCode.partial : ExitCode.ok;
    return { exitCode, model, reportDir };
  } finally {
    await directory?.close();
  }
}

/**
 * Computes the plan, writes it (plano.json, and `--out`) and returns its report model. The plan and the
 * people it was made from live only inside this call: with 10⁵ rows they are most of the memory, and the
 * reports written after it need only the model.
 */
async function planFiles(ctx: RunContext, options: PlanOptions, directory: Directory | null, reportDir: string): Promise<ReportModel> {
  const { validated, plan } = await computePlan(ctx, options, directory);
  await makeReportDir(reportDir);
  await timePhase(ctx.logger, 'planFile', () => writePlanFile(join(reportDir, REPORT_FILES.plan), plan));
  if (options.out) {
    const out = resolve(ctx.cwd, options.out);
    await writePlanFile(out, plan);
    ctx.print(m.planWritten(out));
  }
  // Written, the plan has one use left, and what made it is dead: the forms' bytes and text, the planner's sets
  // of names taken and member keys (tens of MB with 10⁵ rows). Collected here, the model and the reports fill
  // that room; left to V8, its next full collection came after the model, on top of all of it (~310 MB peak).
  collectGarbage();
  return timePhase(ctx.logger, 'model', () => summarisePlan(plan, validated, { release: true }));
}
