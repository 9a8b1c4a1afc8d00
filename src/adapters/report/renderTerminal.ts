import type { ReportModel } from '../../domain/report.js';
import { reportMessages as m } from '../../messages/report.js';

/** Plain ANSI SGR codes: the summary also lands in cron e-mails, so no terminal library decides for us. */
const SGR = { bold: '1', red: '31', green: '32', yellow: '33', dim: '2' } as const;
type Style = keyof typeof SGR;

const MUNICIPIO_WIDTH = 18;

/**
 * How many items of each list the terminal shows before pointing to the report files. A batch for the whole
 * state has 645 órgãos and can reject thousands of rows: the terminal (and the cron e-mail) gets the first
 * ones and the count of the rest; relatorio.html and relatorio.csv have every one.
 */
export const TERMINAL_LIMITS = { orgaos: 40, disables: 100, moves: 100, disabledAsked: 100, sip: 10, rejected: 100, warnings: 50, failures: 100 } as const;

/** The lines of the first `limit` items, then one line counting the others. */
function capped<T>(items: readonly T[], limit: number, lines: (item: T) => string[]): string[] {
  const out = items.slice(0, limit).flatMap(lines);
  if (items.length > limit) out.push(m.terminalMore(items.length - limit));
  return out;
}

/**
 * The pt-BR summary printed after a plan or an apply: per-órgão counts, accounts to disable, SIP settings,
 * rejected rows as `arquivo:linha — campo: motivo`, warnings, totals. Fits 80 columns (DNs excepted).
 */
export function renderTerminalSummary(model: ReportModel, opts: { color: boolean }): string {
  const paint = (style: Style, text: string): string => (opts.color && text !== '' ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const out: string[] = [];
  const blank = (): void => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };

  out.push(paint('bold', model.results ? m.titleApply : m.titleDryRun));
  out.push(m.planCreated(model.plan.createdAt));
  out.push(m.directoryRead(model.plan.source, model.plan.observedAt));
  out.push(m.baseDn(model.plan.baseDN));

  blank();
  if (model.orgaos.length === 0) out.push(m.noOrgaos);
  else out.push(...orgaoTable(model, paint));

  if (model.structure.length > 0) {
    blank();
    out.push(m.structure(model.structureSummary));
  }

  // Disabling is the one change an operator must not miss, so each one is named here, not only counted.
  const disables = model.orgaos.flatMap((o) => o.people.disable);
  if (disables.length > 0) {
    blank();
    out.push(paint('bold', m.disablesHeading(disables.length)));
    out.push(
      ...capped(disables, TERMINAL_LIMITS.disables, (d) => [
        `  ${d.orgao}  ${d.login}  ${d.cpfMasked}  ${paint('red', m.disableReason[d.reason])}`,
      ]),
    );
  }

  // A change of órgão moves an account and changes its groups: named too, so a wrong sigla in a form shows.
  const moves = model.orgaos.flatMap((o) => o.people.update.filter((u) => u.movedFrom !== undefined));
  if (moves.length > 0) {
    blank();
    out.push(paint('bold', m.movesHeading(moves.length)));
    out.push(...capped(moves, TERMINAL_LIMITS.moves, (u) => [`  ${u.login}  ${u.cpfMasked}  ${m.moveLine(u.movedFrom ?? '?', u.orgao)}`]));
  }

  // Someone asked for an account that stays disabled: without this line the operator sees "sem mudança".
  if (model.disabledAsked.length > 0) {
    blank();
    out.push(paint('bold', m.disabledAskedHeading(model.disabledAsked.length)));
    out.push(...capped(model.disabledAsked, TERMINAL_LIMITS.disabledAsked, (u) => [`  ${u.orgao}  ${u.login}  ${u.cpfMasked}  ${u.source.file}:${u.source.line}`]));
  }

  const withSip = model.orgaos.filter((o) => o.sip !== undefined);
  if (withSip.length > 0) {
    blank();
    out.push(paint('bold', m.sipHeading));
    out.push(
      ...capped(withSip, TERMINAL_LIMITS.sip, (o) => {
        if (!o.sip) return [];
        const indent = ' '.repeat(Math.max(o.orgao.length, 4) + 4);
        return [
          `  ${pad(o.orgao, indent.length - 2)}${m.sip.contexto}: ${o.sip.contexto}`,
          `${indent}${m.sip.atributoFiltro}: ${o.sip.atributoFiltro}; ${m.sip.atributoRetorno}: ${o.sip.atributoRetorno}`,
          `${indent}${m.sip.alternativa}: ${m.sip.atributoFiltro} ${o.sip.alternativa.atributoFiltro}, ` +
            `${m.sip.sufixo} ${o.sip.alternativa.sufixo}`,
        ];
      }),
    );
  }

  if (model.rejected.length > 0) {
    blank();
    out.push(paint('bold', m.rejectedHeading(model.summary.rejected, model.rejected.length)));
    out.push(
      ...capped(model.rejected, TERMINAL_LIMITS.rejected, (r) =>
        wrapWithPlace(`${r.file}:${r.line}`, `${r.field === null ? '' : `${m.field[r.field]}: `}${r.reason}`, (t) => paint('red', t)),
      ),
    );
  }

  if (model.warnings.length > 0) {
    blank();
    out.push(paint('bold', m.warningsHeading(model.warnings.length)));
    out.push(
      ...capped(model.warnings, TERMINAL_LIMITS.warnings, (w) => {
        const where = w.file === undefined ? '' : `${w.file}${w.line === undefined ? '' : `:${w.line}`}`;
        return wrapWithPlace(where, w.message, (t) => paint('yellow', t));
      }),
    );
  }

  blank();
  out.push(m.totals(model.summary));
  out.push(m.totalsPeople(model.summary));
  if (model.results) {
    const r = model.results;
    out.push(paint(r.failed > 0 ? 'red' : 'green', m.results(r)));
    const failed = model.changes.filter((c) => c.outcome?.status === 'failed');
    if (failed.length > 0) {
      blank();
      out.push(paint('bold', m.failuresHeading(failed.length)));
      out.push(
        ...capped(failed, TERMINAL_LIMITS.failures, (c) => {
          const who = 'login' in c ? c.login : c.dn;
          const code = c.outcome?.resultCode === undefined ? '' : ` (${m.ldapCode(c.outcome.resultCode)})`;
          return wrapWithPlace(`${m.kind[c.kind]} ${who}`, `${c.outcome?.message ?? m.outcome.failed}${code}`, (t) => paint('red', t));
        }),
      );
    }
  }
  return out.join('\n') + '\n';
}

function orgaoTable(model: ReportModel, paint: (style: Style, text: string) => string): string[] {
  const c = m.columns;
  const numeric = ['create', 'update', 'disable', 'unchanged', 'trainingCreate'] as const;
  const colours: Record<(typeof numeric)[number], Style> = {
    create: 'green',
    update: 'yellow',
    disable: 'red',
    unchanged: 'dim',
    trainingCreate: 'green',
  };
  const orgaoWidth = Math.max(width(c.orgao), width(m.total), ...model.orgaos.map((o) => width(o.orgao)));
  const widths = numeric.map((k) =>
    Math.max(width(c[k]), width(String(model.summary[k])), ...model.orgaos.map((o) => width(String(o[k])))),
  );
  const row = (orgao: string, municipio: string, values: (k: (typeof numeric)[number]) => string, colour: boolean): string =>
    [
      pad(orgao, orgaoWidth),
      pad(truncate(municipio, MUNICIPIO_WIDTH), MUNICIPIO_WIDTH),
      ...numeric.map((k, i) => {
        const text = padStart(values(k), widths[i] ?? 0);
        return colour && values(k) !== '0' ? paint(colours[k], text) : text;
      }),
    ]
      .join(' ')
      .trimEnd();

  const lines = [paint('bold', row(c.orgao, c.municipio, (k) => c[k], false))];
  lines.push(...capped(model.orgaos, TERMINAL_LIMITS.orgaos, (o) => [row(o.orgao, o.municipio ?? '', (k) => String(o[k]), true)]));
  if (model.orgaos.length > 1) lines.push(row(m.total, '', (k) => String(model.summary[k]), false));
  return lines;
}

const WIDTH = 80;
const INDENT = '  ';
const HANGING = '    ';

/**
 * `  <place> — <text>` word-wrapped to 80 columns with a hanging indent (reasons and messages can be
 * long; cron e-mails do not wrap for us). Only the place is coloured. Without a place, just the text.
 */
function wrapWithPlace(place: string, text: string, colour: (t: string) => string): string[] {
  const lead = place === '' ? INDENT : `${INDENT}${place} — `;
  const lines: string[] = [];
  let current = lead;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && width(current) + 1 + width(word) > WIDTH) {
      lines.push(current);
      current = HANGING + word;
    } else {
      current = empty ? current + word : `${current} ${word}`;
    }
    empty = false;
  }
  lines.push(current);
  if (place !== '') lines[0] = `${INDENT}${colour(place)}${(lines[0] ?? '').slice(INDENT.length + place.length)}`;
  return lines;
}

// Code points of the NFC form: what a terminal shows as one cell for the accented Latin names we print.
const width = (s: string): number => Array.from(s.normalize('NFC')).length;
const pad = (s: string, n: number): string => s.normalize('NFC') + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number): string => ' '.repeat(Math.max(0, n - width(s))) + s;
const truncate = (s: string, n: number): string => {
  const chars = Array.from(s.normalize('NFC'));
  return chars.length <= n ? chars.join('') : chars.slice(0, n - 1).join('') + '…';
};
