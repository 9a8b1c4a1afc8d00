import type { ReportChange, ReportModel, ReportOutcome } from '../../domain/report.js';
import { reportMessages as m } from '../../messages/report.js';

type Column = (typeof m.csvColumns)[number];
type Row = Partial<Record<Column, string | number>>;

// Excel pt-BR reads `;` as the list separator and only guesses UTF-8 when the file starts with a BOM.
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SEPARATOR = ';';
const EOL = '\r\n';

/**
 * relatorio.csv: one row per change and one per rejection (the Tipo column tells which), ready to open
 * in Excel pt-BR by double-click.
 */
export function renderReportCsv(model: ReportModel): Buffer {
  const rows: Row[] = [
    ...model.changes.map((c) => changeRow(c, model)),
    ...model.rejected.map(
      (r): Row => ({
        Tipo: m.rejectedKind,
        Arquivo: r.file,
        Linha: r.line,
        Campo: r.field === null ? '' : m.field[r.field],
        Motivo: r.reason,
      }),
    ),
  ];
  const lines = [
    m.csvColumns.map(cell).join(SEPARATOR),
    ...rows.map((r) => m.csvColumns.map((col) => cell(r[col] ?? '')).join(SEPARATOR)),
  ];
  return Buffer.concat([BOM, Buffer.from(lines.map((l) => l + EOL).join(''), 'utf8')]);
}

function changeRow(c: ReportChange, model: ReportModel): Row {
  const row: Row = { Tipo: m.kind[c.kind], DN: c.dn, Detalhe: m.detail(c), ...outcomeCells(c.outcome) };
  switch (c.kind) {
    case 'create-user':
      return {
        ...row,
        Órgão: c.orgao,
        Município: c.municipio,
        Login: c.login,
        Nome: c.nome,
        'CPF (mascarado)': c.cpfMasked,
        Perfil: m.perfil[c.perfil],
        Arquivo: c.source.file,
        Linha: c.source.line,
      };
    case 'update-user':
    case 'disable-user':
      return {
        ...row,
        Órgão: c.orgao,
        Município: municipioOf(model, c.orgao),
        Login: c.login,
        Nome: c.nome ?? '',
        'CPF (mascarado)': c.cpfMasked,
        Arquivo: c.source?.file ?? '',
        Linha: c.source?.line ?? '',
      };
    case 'create-training-account':
      return { ...row, Órgão: c.orgao, Município: municipioOf(model, c.orgao), Login: c.login };
    case 'create-group':
      return { ...row, Órgão: c.orgao ?? '' };
    case 'create-ou':
    case 'add-member':
      return row;
  }
}

function municipioOf(model: ReportModel, orgao: string): string {
  return model.orgaos.find((o) => o.orgao === orgao)?.municipio ?? '';
}

function outcomeCells(o: ReportOutcome | undefined): Row {
  if (o === undefined) return {};
  return {
    Resultado: m.outcome[o.status],
    Mensagem: o.message ?? '',
    'Código LDAP': o.resultCode ?? '',
  };
}

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection), even from a CSV.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[;"\r\n]/;

function cell(value: string | number): string {
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
