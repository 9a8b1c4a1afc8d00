import type { ReportModel, ReportOrgao, ReportOutcome } from '../../domain/report.js';
import { reportMessages as m } from '../../messages/report.js';

/** A table cell: text (escaped on output) and an optional class. */
type Cell = string | number | { text: string | number; cls: string };

// Self-contained on purpose: the file is mailed and archived, so it must not depend on anything online.
const CSS = `
body { font: 14px/1.45 system-ui, "Segoe UI", Arial, sans-serif; color: #111; margin: 1.5em 2em; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; margin: 1em 0 .3em; }
p.meta { margin: .1em 0; color: #444; }
table { border-collapse: collapse; margin: .4em 0 1em; }
th, td { border: 1px solid #bbb; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: ui-monospace, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; min-width: 9em; }
.wrap { overflow-wrap: anywhere; min-width: 12em; }
.failed { color: #a00; font-weight: bold; }
.done { color: #060; }
.disable { color: #a00; }
section.orgao { margin-top: 2em; }
@media print {
  body { margin: 0; font-size: 10pt; color: #000; }
  th { background: none; border-bottom: 2px solid #000; }
  th, td { border-color: #000; }
  tr, li, dl { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  .failed, .done, .disable { color: #000; }
}
`;

/**
 * relatorio.html: one self-contained page (no scripts, no external resources) that prints well.
 * Produced a table row at a time (see writeChunks): a plan of 10⁵ people is a page of 10⁵ rows.
 */
export function* reportHtmlChunks(model: ReportModel): Generator<string> {
  const withResults = model.results !== undefined;
  yield [
    '<!DOCTYPE html>',
    '<html lang="pt-BR">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(m.html.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '',
  ].join('\n');

  yield `<h1>${esc(model.results ? m.titleApply : m.titleDryRun)}</h1>\n`;
  yield `<p class="meta">${esc(m.planCreated(model.plan.createdAt))}</p>\n`;
  yield `<p class="meta">${esc(m.directoryRead(model.plan.source, model.plan.observedAt))}</p>\n`;
  yield `<p class="meta">${esc(m.baseDn(model.plan.baseDN))}</p>\n`;
  if (model.plan.inputs.length > 0) {
    yield `<h3>${esc(m.inputs)}</h3>\n`;
    yield* table([m.labels.file, 'SHA-256'], model.plan.inputs.map((i) => [i.file, mono(i.sha256)]));
  }

  yield `<section><h2>${esc(m.html.summary)}</h2>\n`;
  const s = model.summary;
  yield* table(
    [m.html.item, m.html.quantity],
    (Object.keys(m.summaryLabels) as (keyof typeof s)[]).map((k) => [m.summaryLabels[k], num(s[k])]),
  );
  if (model.results) yield `<p>${esc(m.results(model.results))}</p>\n`;
  if (model.orgaos.length === 0) yield `<p>${esc(m.noOrgaos)}</p>\n`;
  else {
    const c = m.columns;
    yield* table(
      [c.orgao, c.municipio, c.create, c.update, c.disable, c.unchanged, c.trainingCreate],
      model.orgaos.map((o) => [
        o.orgao,
        o.municipio ?? '',
        num(o.create),
        num(o.update),
        num(o.disable),
        num(o.unchanged),
        num(o.trainingCreate),
      ]),
    );
  }
  yield '</section>\n';

  for (const o of model.orgaos) yield* orgaoSection(o, withResults);

  if (model.disabledAsked.length > 0) {
    yield `<section><h2>${esc(m.html.disabledAsked)}</h2>\n`;
    yield `<p>${esc(m.disabledAskedHeading(model.disabledAsked.length))}</p>\n`;
    yield* table(
      [m.columns.orgao, m.labels.login, m.labels.nome, m.labels.cpf, m.labels.dn, m.labels.where],
      map(model.disabledAsked, (u) => [u.orgao, u.login, u.nome ?? '', mono(u.cpfMasked), mono(u.dn), `${u.source.file}:${u.source.line}`]),
    );
    yield '</section>\n';
  }

  if (model.structure.length > 0) {
    yield `<section><h2>${esc(m.html.structure)}</h2>\n`;
    yield `<p>${esc(m.structure(model.structureSummary))}</p>\n`;
    yield* table(
      [m.labels.kind, m.labels.dn, m.labels.detail, ...resultHeads(withResults)],
      map(model.structure, (c) => [m.kind[c.kind], mono(c.dn), m.detail(c), ...resultCells(c.outcome, withResults)]),
    );
    yield '</section>\n';
  }

  yield `<section><h2>${esc(m.html.rejected)}</h2>\n`;
  yield `<p>${esc(m.rejectedHeading(model.summary.rejected, model.rejected.length))}</p>\n`;
  if (model.rejected.length > 0) {
    yield* table(
      [m.labels.file, m.labels.line, m.labels.field, m.labels.reason],
      map(model.rejected, (r) => [r.file, num(r.line), r.field === null ? '' : m.field[r.field], r.reason]),
    );
  }
  yield '</section>\n';

  if (model.superseded.length > 0) {
    yield `<section><h2>${esc(m.html.superseded)}</h2>\n`;
    yield* table(
      [m.labels.file, m.labels.line, m.labels.cpf, m.supersededBy],
      map(model.superseded, (x) => [x.file, num(x.line), mono(x.cpfMasked), `${x.by.file}:${x.by.line}`]),
    );
    yield '</section>\n';
  }

  yield `<section><h2>${esc(m.html.warnings)}</h2>\n`;
  if (model.warnings.length === 0) yield `<p>${esc(m.html.none)}</p>\n`;
  else {
    yield* table(
      [m.labels.where, m.labels.message],
      map(model.warnings, (w) => [w.file === undefined ? '' : `${w.file}${w.line === undefined ? '' : `:${w.line}`}`, w.message]),
    );
  }
  yield '</section>\n';
  yield '</body>\n</html>\n';
}

/** The whole page at once (small reports, tests). */
export function renderReportHtml(model: ReportModel): string {
  return [...reportHtmlChunks(model)].join('');
}

function* orgaoSection(o: ReportOrgao, withResults: boolean): Generator<string> {
  const title = o.municipio ? `${m.html.orgao(o.orgao)} — ${o.municipio}` : m.html.orgao(o.orgao);
  yield `<section class="orgao"><h2>${esc(title)}</h2>\n`;
  const c = m.columns;
  yield* table(
    [c.create, c.update, c.disable, c.unchanged, c.trainingCreate],
    [[num(o.create), num(o.update), num(o.disable), num(o.unchanged), num(o.trainingCreate)]],
  );
  const l = m.labels;
  const res = resultHeads(withResults);
  // After an apply the lists are of what was done or tried, not of what is to be done.
  const headings = withResults ? m.html.applied : m.html;

  if (o.people.create.length > 0) {
    yield `<h3>${esc(headings.peopleCreate)}</h3>\n`;
    // The one table with a row per person of the forms (10⁵ of them): each row written straight, the same
    // cells table() would write from [login, nome, mono(cpf), perfil, wrap(detail), mono(dn), where, …results].
    yield* rowsTable(
      [l.login, l.nome, l.cpf, l.perfil, l.detail, l.dn, l.where, ...res],
      map(
        o.people.create,
        (p) =>
          `<tr><td>${text(p.login)}</td><td>${text(p.nome)}</td><td class="mono">${text(p.cpfMasked)}</td>` +
          `<td>${text(m.perfil[p.perfil])}</td><td class="wrap">${text(m.detail(p))}</td><td class="mono">${text(p.dn)}</td>` +
          `<td>${text(`${p.source.file}:${p.source.line}`)}</td>${withResults ? resultCells(p.outcome, true).map(td).join('') : ''}</tr>\n`,
      ),
    );
  }
  if (o.people.update.length > 0) {
    yield `<h3>${esc(headings.peopleUpdate)}</h3>\n`;
    yield* table(
      [l.login, l.nome, l.cpf, m.html.change, l.dn, ...res],
      map(o.people.update, (p) => [
        p.login,
        p.nome ?? '',
        mono(p.cpfMasked),
        wrap(m.detail(p)),
        mono(p.dn),
        ...resultCells(p.outcome, withResults),
      ]),
    );
  }
  if (o.people.disable.length > 0) {
    yield `<h3>${esc(headings.peopleDisable)}</h3>\n`;
    yield* table(
      [l.login, l.nome, l.cpf, l.detail, l.dn, ...res],
      map(o.people.disable, (p) => [
        { text: p.login, cls: 'disable' },
        p.nome ?? '',
        mono(p.cpfMasked),
        wrap(m.detail(p)),
        mono(p.dn),
        ...resultCells(p.outcome, withResults),
      ]),
    );
  }
  if (o.training.routine !== undefined || o.training.apart.length > 0) {
    yield `<h3>${esc(headings.training)}</h3>\n`;
    yield* trainingTable(o, withResults);
  }
  if (o.sip) {
    yield `<h3>${esc(m.sipHeading)}</h3>\n`;
    yield `<p>${esc(m.html.sipIntro)}</p>\n`;
    yield* table(
      [],
      [
        [m.sip.contexto, mono(o.sip.contexto)],
        [m.sip.atributoFiltro, mono(o.sip.atributoFiltro)],
        [m.sip.atributoRetorno, mono(o.sip.atributoRetorno)],
      ],
    );
    yield (
      `<p>${esc(m.sip.alternativa)}: ${esc(m.sip.atributoFiltro)} <code>${esc(o.sip.alternativa.atributoFiltro)}</code>, ` +
      `${esc(m.sip.sufixo)} <code>${esc(o.sip.alternativa.sufixo)}</code></p>\n`
    );
  }
  if (o.people.unchanged.length > 0) {
    // Open by default: a closed <details> would not print, and there is no script to open it.
    yield `<details open><summary>${esc(m.html.peopleUnchanged(o.people.unchanged.length))}</summary>\n`;
    yield* table(
      [l.login, l.nome, l.cpf, l.dn],
      map(o.people.unchanged, (p) => [p.login, p.nome ?? '', mono(p.cpfMasked), mono(p.dn)]),
    );
    yield '</details>\n';
  }
  yield '</section>\n';
}

/**
 * An órgão's training accounts are 99 of the same kind: the ones that need no attention (planned, or
 * created after an apply) share one row listing their names; a failed, skipped or pending one keeps a
 * row of its own, with its result.
 */
function* trainingTable(o: ReportOrgao, withResults: boolean): Generator<string> {
  const l = m.labels;
  const rows: Cell[][] = [];
  const routine = o.training.routine;
  // In the órgão's training OU (the SIP "contexto"), where every one of them is planned.
  if (routine !== undefined) rows.push([wrap(m.detail(routine)), mono(routine.dn), ...resultCells(routine.outcome, withResults)]);
  for (const t of o.training.apart) rows.push([t.login, mono(t.dn), ...resultCells(t.outcome, withResults)]);
  yield* table([l.login, l.dn, ...resultHeads(withResults)], rows);
}

function* map<T, R>(items: Iterable<T>, f: (item: T) => R): Generator<R> {
  for (const item of items) yield f(item);
}

function resultHeads(withResults: boolean): string[] {
  return withResults ? [m.labels.result, m.labels.message] : [];
}

function resultCells(o: ReportOutcome | undefined, withResults: boolean): Cell[] {
  if (!withResults) return [];
  if (o === undefined) return [m.outcome.pending, ''];
  const code = o.resultCode === undefined ? undefined : m.ldapCode(o.resultCode);
  const message = o.message !== undefined && code !== undefined ? `${o.message} (${code})` : (o.message ?? code ?? '');
  return [{ text: m.outcome[o.status], cls: o.status }, message];
}

function* table(heads: string[], rows: Iterable<Cell[]>): Generator<string> {
  yield* rowsTable(heads, map(rows, tr));
}

/** A table of rows already written (`<tr>…</tr>\n`, every value escaped). */
function* rowsTable(heads: string[], rows: Iterable<string>): Generator<string> {
  const head = heads.length > 0 ? `<thead><tr>${heads.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` : '';
  yield `<table>${head}<tbody>\n`;
  yield* rows;
  yield '</tbody></table>\n';
}

function tr(cells: Cell[]): string {
  let row = '<tr>';
  for (const c of cells) row += td(c);
  return `${row}</tr>\n`;
}

/**
 * A cell's text as td() writes it: whatever the value (a saved plan edited by hand may put a number, or
 * nothing, where the types promise a string), made a string and escaped.
 */
const text = (v: unknown): string => esc(String(v));

function td(c: Cell): string {
  if (typeof c === 'object') return `<td class="${esc(c.cls)}">${text(c.text)}</td>`;
  return `<td>${text(c)}</td>`;
}

const num = (n: number): Cell => ({ text: n, cls: 'n' });
const mono = (s: string): Cell => ({ text: s, cls: 'mono' });
/** Long text with unbreakable parts (e-mails): may break anywhere, so the table stays on the page. */
const wrap = (s: string): Cell => ({ text: s, cls: 'wrap' });

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value goes through here: names, reasons and DNs come from forms filled by hand. */
function esc(s: string): string {
  // Most values have nothing to escape: a test answers them without building a copy.
  return NEEDS_ESCAPE.test(s) ? s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch) : s;
}
const NEEDS_ESCAPE = /[&<>"']/;
