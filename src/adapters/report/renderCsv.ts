import type { ReportChange, ReportModel } from '../../domain/report.js';
import { reportMessages as m } from '../../messages/report.js';

type Column = (typeof m.csvColumns)[number];
type Row = Partial<Record<Column, string | number>>;
/** Where each column sits in a line. */
const COLUMN_INDEX = new Map<string, number>(m.csvColumns.map((c, i) => [c, i]));

// Excel pt-BR reads `;` as the list separator and only guesses UTF-8 when the file starts with a BOM.
const BOM = '\ufeff';
const SEPARATOR = ';';
const EOL = '\r\n';

/**
 * relatorio.csv: one row per change (an órgão's routine training accounts: one row for all), one per
 * rejection, per row superseded and per warning (the Tipo column tells which), ready to open in Excel pt-BR by double-click. Produced a row at a time (see writeChunks).
 */
export function* reportCsvChunks(model: ReportModel): Generator<string> {
  const municipios = new Map(model.orgaos.map((o) => [o.orgao, o.municipio ?? '']));
  const line = (r: Row): string => {
    // Cells by position: a row names only the columns it fills, in any order.
    const cells: string[] = new Array<string>(m.csvColumns.length).fill('');
    for (const col in r) {
      const value = r[col as Column];
      const at = COLUMN_INDEX.get(col);
      if (at !== undefined && value !== undefined) cells[at] = cell(value);
    }
    return cells.join(SEPARATOR) + EOL;
  };
  yield BOM + m.csvColumns.map(cell).join(SEPARATOR) + EOL;
  const applied = model.results !== undefined;
  for (const c of model.changes) yield changeRow(c, municipios, applied);
  for (const u of model.disabledAsked) {
    yield line({
      Tipo: m.disabledAskedKind,
      Órgão: u.orgao,
      Município: municipios.get(u.orgao) ?? '',
      Login: u.login,
      Nome: u.nome ?? '',
      'CPF (mascarado)': u.cpfMasked,
      DN: u.dn,
      Arquivo: u.source.file,
      Linha: u.source.line,
    });
  }
  for (const r of model.rejected) {
    yield line({
      Tipo: m.rejectedKind,
      Arquivo: r.file,
      Linha: r.line,
      Campo: r.field === null ? '' : m.field[r.field],
      Motivo: r.reason,
    });
  }
  // A row a later row of the same CPF replaced: the operator filtering the CSV finds where the correction is.
  for (const x of model.superseded) {
    yield line({ Tipo: m.supersededKind, 'CPF (mascarado)': x.cpfMasked, Arquivo: x.file, Linha: x.line, Mensagem: m.supersededAt(x.by.file, x.by.line) });
  }
  // The warnings too (undelivered passwords, a training reset that failed, rows to check): in the CSV, not only in the HTML.
  for (const w of model.warnings) {
    yield line({ Tipo: m.warningKind, Arquivo: w.file ?? '', Linha: w.line ?? '', Mensagem: w.message });
  }
}

/** The whole file at once (UTF-8 with its BOM). */
export function renderReportCsv(model: ReportModel): Buffer {
  return Buffer.from([...reportCsvChunks(model)].join(''), 'utf8');
}

/** A change's cells, set by column name (see COLUMN_INDEX), without building a Row object per change. */
function changeRow(c: ReportChange, municipios: ReadonlyMap<string, string>, applied: boolean): string {
  const cells: string[] = new Array<string>(m.csvColumns.length).fill('');
  const put = (col: Column, value: string | number | undefined): void => {
    const at = COLUMN_INDEX.get(col);
    if (at !== undefined && value !== undefined) cells[at] = cell(value);
  };
  put('Tipo', m.kind[c.kind]);
  put('DN', c.dn);
  put('Detalhe', m.detail(c));
  if (c.outcome !== undefined) {
    put('Resultado', m.outcome[c.outcome.status]);
    put('Mensagem', c.outcome.message ?? '');
    put('Código LDAP', c.outcome.resultCode ?? '');
  } else if (applied) {
    // After an apply, a change the run never reached (it stopped before it) says so: a filter on Resultado finds it.
    put('Resultado', m.outcome.pending);
  }
  switch (c.kind) {
    case 'create-user':
      put('Órgão', c.orgao);
      put('Município', c.municipio);
      put('Login', c.login);
      put('Nome', c.nome);
      put('CPF (mascarado)', c.cpfMasked);
      put('Perfil', m.perfil[c.perfil]);
      put('Arquivo', c.source.file);
      put('Linha', c.source.line);
      break;
    case 'update-user':
    case 'disable-user':
      put('Órgão', c.orgao);
      put('Município', municipios.get(c.orgao) ?? '');
      put('Login', c.login);
      put('Nome', c.nome ?? '');
      put('CPF (mascarado)', c.cpfMasked);
      put('Arquivo', c.source?.file ?? '');
      put('Linha', c.source?.line ?? '');
      break;
    case 'create-training-account':
      put('Órgão', c.orgao);
      put('Município', municipios.get(c.orgao) ?? '');
      put('Login', c.login);
      break;
    case 'create-training-accounts':
      put('Órgão', c.orgao);
      put('Município', municipios.get(c.orgao) ?? '');
      break;
    case 'create-group':
      put('Órgão', c.orgao ?? '');
      break;
    case 'create-ou':
    case 'add-member':
    case 'remove-member':
      break;
  }
  return cells.join(SEPARATOR) + EOL;
}

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection), even from a CSV,
// also after leading spaces, and in their full-width forms (＝ ＋ － ＠), which some turn into the ASCII ones.
const FORMULA_START = /^[\s\u3000]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[;"\r\n]/;

function cell(value: string | number): string {
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
