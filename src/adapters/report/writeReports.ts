import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from '../../domain/plan.js';
import type { ReportModel } from '../../domain/report.js';
import { renderReportCsv } from './renderCsv.js';
import { renderReportHtml } from './renderHtml.js';
import { renderPlanJson, renderReportJson } from './renderJson.js';

export const REPORT_FILES = {
  plan: 'plano.json',
  json: 'relatorio.json',
  csv: 'relatorio.csv',
  html: 'relatorio.html',
} as const;

/** Writes the plan and the three renderings of its report into `dir` (created if needed). */
export async function writeReports(dir: string, plan: Plan, model: ReportModel): Promise<{ dir: string; files: string[] }> {
  await mkdir(dir, { recursive: true });
  const planFile = join(dir, REPORT_FILES.plan);
  await writePrivate(planFile, renderPlanJson(plan));
  const files = [planFile];
  const reports: [string, string | Buffer][] = [
    [REPORT_FILES.json, renderReportJson(model)],
    [REPORT_FILES.csv, renderReportCsv(model)],
    [REPORT_FILES.html, renderReportHtml(model)],
  ];
  for (const [name, content] of reports) {
    const file = join(dir, name);
    await writeFile(file, content);
    files.push(file);
  }
  return { dir, files };
}

/**
 * Writes a file only its owner can read: plano.json holds full CPFs. `mode` applies only when the file
 * is created, so an existing file is chmod-ed too — after truncating and before any byte is written,
 * so the CPFs never sit in a file others can read.
 */
async function writePrivate(file: string, content: string): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
}

/** `<root>/AAAA-MM-DD_HHhMMmSS`, in local time: the folder an operator looks for after running at a given hour. */
export function defaultReportDir(root: string, now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}_` +
    `${two(now.getHours())}h${two(now.getMinutes())}m${two(now.getSeconds())}`;
  return join(root, stamp);
}
