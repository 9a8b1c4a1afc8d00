import type { ReportChange, ReportModel } from '../../domain/report.js';
import { reportMessages as m } from '../../messages/report.js';

type Column = (typeof m.csvColumns)[number];
type Row = Partial<Record<Column, string | number>>;
/** Where each column sits in a line, read once: a report of 10⁵ changes sets a dozen cells in each. */
const AT = Object.fromEntries(m.csvColumns.map((c, i) => [c, i])) as Record<Column, number>;

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
      if (value !== undefined) cells[AT[col as Column]] = cell(value);
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

/** A change's cells, set by column (see AT), without building a Row object per change. */
function changeRow(c: ReportChange, municipios: ReadonlyMap<string, string>, applied: boolean): string {
  const cells: string[] = new Array<string>(m.csvColumns.length).fill('');
  cells[AT.Tipo] = cell(m.kind[c.kind]);
  cells[AT.DN] = cell(c.dn);
  cells[AT.Detalhe] = cell(m.detail(c));
  if (c.outcome !== undefined) {
    cells[AT.Resultado] = cell(m.outcome[c.outcome.status]);
    cells[AT.Mensagem] = cell(c.outcome.message ?? '');
    cells[AT['Código LDAP']] = cell(c.outcome.resultCode ?? '');
  } else if (applied) {
    // After an apply, a change the run never reached (it stopped before it) says so: a filter on Resultado finds it.
    cells[AT.Resultado] = cell(m.outcome.pending);
  }
  switch (c.kind) {
    case 'create-user':
      cells[AT.Órgão] = cell(c.orgao);
      cells[AT.Município] = cell(c.municipio);
      cells[AT.Login] = cell(c.login);
      cells[AT.Nome] = cell(c.nome);
      cells[AT['CPF (mascarado)']] = cell(c.cpfMasked);
      cells[AT.Perfil] = cell(m.perfil[c.perfil]);
      cells[AT.Arquivo] = cell(c.source.file);
      cells[AT.Linha] = cell(c.source.line);
      break;
    case 'update-user':
    case 'disable-user':
      cells[AT.Órgão] = cell(c.orgao);
      cells[AT.Município] = cell(municipios.get(c.orgao) ?? '');
      cells[AT.Login] = cell(c.login);
      cells[AT.Nome] = cell(c.nome ?? '');
      cells[AT['CPF (mascarado)']] = cell(c.cpfMasked);
      cells[AT.Arquivo] = cell(c.source?.file ?? '');
      cells[AT.Linha] = cell(c.source?.line ?? '');
      break;
    case 'create-training-account':
      cells[AT.Órgão] = cell(c.orgao);
      cells[AT.Município] = cell(municipios.get(c.orgao) ?? '');
      cells[AT.Login] = cell(c.login);
      break;
    case 'create-training-accounts':
      cells[AT.Órgão] = cell(c.orgao);
      cells[AT.Município] = cell(municipios.get(c.orgao) ?? '');
      break;
    case 'create-group':
      cells[AT.Órgão] = cell(c.orgao ?? '');
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

/** An absent value (a hand-edited saved plan can lack one, or name a perfil with no label) is an empty cell. */
function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
