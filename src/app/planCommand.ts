import { join, resolve } from 'node:path';
import { defaultReportDir, writePlanFile, writeReports } from '../adapters/report/writeReports.js';
import { renderTerminalSummary } from '../adapters/report/renderTerminal.js';
import { summarisePlan } from '../core/summarisePlan.js';
import { ExitCode, type ExitCodeValue } from '../domain/errors.js';
import type { Plan } from '../domain/plan.js';
import type { ReportModel } from '../domain/report.js';
import { cliMessages as m } from '../messages/cli.js';
import type { RunContext } from './context.js';
import { computePlan, type PlanInputOptions } from './computePlan.js';

export interface PlanOptions extends PlanInputOptions {
  offline: boolean;
  reportDir?: string;
  out?: string;
}

export interface PlanOutcome {
  exitCode: ExitCodeValue;
  plan: Plan;
  model: ReportModel;
  reportDir: string;
}

/** `sei-contas plan`: the dry run. Nothing is written to the directory. */
export async function planCommand(ctx: RunContext, options: PlanOptions): Promise<PlanOutcome> {
  const directory = options.offline ? null : await ctx.openDirectory();
  try {
    const { validated, plan } = await computePlan(ctx, options, directory);
    const model = summarisePlan(plan, validated);
    const reportDir = resolve(ctx.cwd, options.reportDir ?? defaultReportDir(join(ctx.cwd, ctx.config.reports.dir), ctx.clock()));
    await writeReports(reportDir, plan, model);
    if (options.out) {
      const out = resolve(ctx.cwd, options.out);
      await writePlanFile(out, plan);
      ctx.print(m.planWritten(out));
    }
    ctx.print(renderTerminalSummary(model, { color: ctx.color }));
    ctx.print(m.reportWritten(reportDir));
    const exitCode = model.summary.rejected > 0 ? ExitCode.partial : ExitCode.ok;
    return { exitCode, plan, model, reportDir };
  } finally {
    await directory?.close();
  }
}
