import type { Plan } from '../../domain/plan.js';
import type { ReportModel } from '../../domain/report.js';
import { stableJson, stableJsonChunks } from './stableJson.js';

/**
 * What relatorio.json holds: the report model with each person once. `changes` lists every change in plan
 * order (an órgão's training accounts as one entry; a change of one órgão carries it); `unchanged` the people with nothing to do; `orgaos` each órgão's counts,
 * município and SIP settings. The per-órgão lists of the model are the same changes grouped for the HTML
 * page, so they are not repeated here (with 10⁵ people they doubled the file).
 */
export function reportJsonView(model: ReportModel): Record<string, unknown> {
  return {
    version: model.version,
    plan: model.plan,
    summary: model.summary,
    results: model.results,
    changes: model.changes,
    unchanged: model.orgaos.flatMap((o) => o.people.unchanged.map((u) => ({ orgao: o.orgao, ...u }))),
    orgaos: model.orgaos.map((o) => ({
      orgao: o.orgao,
      municipio: o.municipio,
      create: o.create,
      update: o.update,
      disable: o.disable,
      unchanged: o.unchanged,
      trainingCreate: o.trainingCreate,
      sip: o.sip,
    })),
    structureSummary: model.structureSummary,
    rejected: model.rejected,
    superseded: model.superseded,
    warnings: model.warnings,
    disabledAsked: model.disabledAsked,
  };
}

/** relatorio.json, piece by piece: keys sorted so two runs diff cleanly, one change per line. */
export function reportJsonChunks(model: ReportModel): Generator<string> {
  return stableJsonChunks(reportJsonView(model));
}

export function renderReportJson(model: ReportModel): string {
  return stableJson(reportJsonView(model));
}

/**
 * plano.json: the plan apply will execute, CPFs included (the file is written 0600). Keys sorted;
 * array order is kept, since the order of changes is the order apply follows.
 */
export function planJsonChunks(plan: Plan): Generator<string> {
  return stableJsonChunks(plan);
}

export function renderPlanJson(plan: Plan): string {
  return stableJson(plan);
}
