import type { Plan } from '../../domain/plan.js';
import type { ReportModel } from '../../domain/report.js';

/** relatorio.json: the report model as it is (CPFs already masked), keys sorted so two runs diff cleanly. */
export function renderReportJson(model: ReportModel): string {
  return stableStringify(model);
}

/**
 * plano.json: the plan apply will execute, CPFs included (the file is written 0600). Keys sorted;
 * array order is kept, since the order of changes is the order apply follows.
 */
export function renderPlanJson(plan: Plan): string {
  return stableStringify(plan);
}

function stableStringify(value: unknown): string {
  return JSON.stringify(value, sortKeys, 2) + '\n';
}

// A replacer sees every object before it is serialised; rebuilding it with sorted keys fixes the order.
function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
