import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from '../../domain/plan.js';
import type { ReportModel } from '../../domain/report.js';
import { reportCsvChunks } from './renderCsv.js';
import { reportHtmlChunks } from './renderHtml.js';
import { planJsonChunks, reportJsonChunks } from './renderJson.js';
import { writeChunks } from './writeChunks.js';

export const REPORT_FILES = {
  plan: 'plano.json',
  json: 'relatorio.json',
  csv: 'relatorio.csv',
  html: 'relatorio.html',
} as const;

/**
 * Writes the plan and the three renderings of its report into `dir` (created if needed), one after the
 * other and each a piece at a time: memory stays flat whatever the size of the plan.
 */
export async function writeReports(dir: string, plan: Plan, model: ReportModel): Promise<{ dir: string; files: string[] }> {
  await makeReportDir(dir);
  const planFile = join(dir, REPORT_FILES.plan);
  await writePlanFile(planFile, plan);
  const { files } = await writeReportFiles(dir, model);
  return { dir, files: [planFile, ...files] };
}

/** The three renderings of a report (relatorio.json, .csv, .html) into `dir`, created if needed. */
export async function writeReportFiles(dir: string, model: ReportModel): Promise<{ dir: string; files: string[] }> {
  await makeReportDir(dir);
  const files: string[] = [];
  const reports: [string, () => Iterable<string>][] = [
    [REPORT_FILES.json, () => reportJsonChunks(model)],
    [REPORT_FILES.csv, () => reportCsvChunks(model)],
    [REPORT_FILES.html, () => reportHtmlChunks(model)],
  ];
  for (const [name, chunks] of reports) {
    const file = join(dir, name);
    // Names, e-mails and logins of people (CPFs masked): for the operators, not for every user of the machine.
    await writeChunks(file, chunks(), { private: true });
    files.push(file);
  }
  return { dir, files };
}

/** The report folder, readable by its owner only (created so; an existing one is left as its owner set it). */
export async function makeReportDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** A plan file (plano.json or `plan --out`): only its owner can read it, since it holds full CPFs. */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writeChunks(file, planJsonChunks(plan), { private: true });
}

/** `<root>/AAAA-MM-DD_HHhMMmSS`, in local time: the folder an operator looks for after running at a given hour. */
export function defaultReportDir(root: string, now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}_` +
    `${two(now.getHours())}h${two(now.getMinutes())}m${two(now.getSeconds())}`;
  return join(root, stamp);
}
