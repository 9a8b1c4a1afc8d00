import type { Person, ValidatedBatch } from '../domain/form.js';
import type { Change, Plan } from '../domain/plan.js';
import {
  REPORT_VERSION,
  type ChangeOutcome,
  type ReportChange,
  type ReportCreateTrainingAccount,
  type ReportModel,
  type ReportOrgao,
  type ReportOutcome,
  type ReportResults,
  type ReportStructureChange,
} from '../domain/report.js';
import { InternalError } from '../domain/errors.js';
import { reportMessages } from '../messages/report.js';
import { maskCpf, maskCpfsInText } from './cpf.js';
import { firstRdnValue, splitDn } from './dn.js';
import { memo } from './memo.js';
import { TrainingAccountsReport } from './reportTraining.js';
import { displayName, sourceOf, toReportChange, type Copying } from './toReportChange.js';

/**
 * Builds the report model of a plan: everything every renderer shows, computed once, with every CPF masked.
 * Pass `outcomes` after an apply so the same report carries what happened to each change.
 */
export function summarisePlan(plan: Plan, batch: ValidatedBatch, opts: SummariseOptions = {}): ReportModel {
  const outcomes = indexOutcomes(opts.outcomes, plan.changes.length);
  // Both built on first use: a plan of new accounts asks for neither (each person's name is in the change, and
  // no string it copies has the nine digits a CPF needs), and with 10⁵ people they cost ~40 ms. The changes'
  // CPFs are listed now, while every change is still in the plan (see SummariseOptions.release).
  let byCpf: Map<string, Person> | undefined;
  const personOf = (cpf: string): Person | undefined => (byCpf ??= new Map(batch.people.map((p) => [p.cpf, p]))).get(cpf);
  const changeCpfs: string[] = [];
  for (const c of plan.changes) if ('cpf' in c) changeCpfs.push(c.cpf);
  let known: Set<string> | undefined;
  const knownCpfs = { has: (digits: string): boolean => (known ??= allKnownCpfs()).has(digits) };
  const allKnownCpfs = (): Set<string> =>
    new Set<string>([
      ...batch.people.map((p) => p.cpf),
      ...batch.superseded.map((s) => s.cpf),
      ...batch.rejectedCpfs,
      ...plan.unchanged.map((u) => u.cpf),
      ...(plan.disabledAsked ?? []).map((u) => u.cpf),
      ...(plan.disableWithoutAccount ?? []).map((u) => u.cpf),
      ...(plan.keptByEmail ?? []).map((u) => u.cpf),
      ...changeCpfs,
    ]);

  // A CPF can hide in a value copied verbatim (a DN or login under the 'cpf' login strategy, a description,
  // a name typed into the wrong column): every string a change brings in is scrubbed as it is copied, and
  // the rest of the model by a walk at the end. The report must never carry one.
  // Control characters too: a value read from the directory (a login, a server's message) may hold an escape
  // sequence that would rewrite the operator's terminal or the job's mail; forms never bring one (normalise).
  // One pass answers nearly every string (names, DNs, groups): fewer than nine digits, no control character.
  const scrub = (s: string): string => (worthScrubbing(s) ? withoutControls(maskCpfsInText(s, knownCpfs)) : s);
  // Órgão, município, perfil and file name: a few hundred values shared by 10⁵ changes, each scrubbed once.
  const shared = memo(scrub);
  // Every person of an órgão joins the same groups: each group DN is named once, and the name shared.
  const groupName = memo((dn: string): string => scrub(firstRdnValue(dn) ?? dn));
  // People of one órgão and perfil share one list of group DNs in the plan, and so one list of names here.
  const groupLists = new Map<string[], string[]>();
  const groupNames = (dns: string[]): string[] => {
    let list = groupLists.get(dns);
    if (list === undefined) {
      list = dns.map(groupName);
      groupLists.set(dns, list);
    }
    return list;
  };
  // A member DN carries no CPF field to tell which eleven digits are one (a saved plan is reported without
  // its forms): under the 'cpf' login strategy a CN can hold one, so any eleven digits there are masked.
  const scrubMember = (s: string): string => withoutControls(maskCpfsInText(s));
  const copy: Copying = { scrub, shared, scrubMember, groupName, groupNames };

  // An órgão's training accounts that need no attention are one entry (see TrainingAccountsReport).
  const training = new TrainingAccountsReport();
  const changes: ReportChange[] = [];
  const counts = new Map<Change['kind'], number>();
  let memberships = 0;
  let removals = 0;
  // Handed over: each change leaves the plan once reported (see SummariseOptions.release).
  const planChanges: (Change | undefined)[] = plan.changes;
  const total = planChanges.length;
  for (let index = 0; index < total; index++) {
    const c = planChanges[index] as Change;
    if (opts.release) planChanges[index] = undefined;
    counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
    if (c.kind === 'add-member') memberships += c.memberDns.length;
    else if (c.kind === 'remove-member') removals += c.memberDns.length;
    const outcome = outcomes.get(index);
    if (c.kind !== 'create-training-account') {
      changes.push(toReportChange(c, index, personOf, outcome, copy));
      continue;
    }
    const orgao = shared(c.orgao);
    if (opts.outcomes === undefined || outcome?.status === 'done') {
      const added = training.addRoutine(orgao, c, index, outcome, scrub);
      if (added !== false) {
        if (added !== true) changes.push(added);
        continue;
      }
    }
    const single = toReportChange(c, index, personOf, outcome, copy) as ReportCreateTrainingAccount;
    training.addApart(orgao, single);
    changes.push(single);
  }

  const orgaos = new Map<string, ReportOrgao>();
  const municipios = new Map<string, Set<string>>();
  const section = (orgao: string): ReportOrgao => {
    let s = orgaos.get(orgao);
    if (s === undefined) {
      s = {
        orgao,
        create: 0,
        update: 0,
        disable: 0,
        unchanged: 0,
        trainingCreate: 0,
        people: { create: [], update: [], disable: [], unchanged: [] },
        training: { apart: [] },
      };
      orgaos.set(orgao, s);
    }
    return s;
  };
  const noteMunicipio = (orgao: string, municipio: string | undefined): void => {
    if (municipio === undefined || municipio === '') return;
    const set = municipios.get(orgao) ?? new Set<string>();
    set.add(municipio);
    municipios.set(orgao, set);
  };

  const structure: ReportStructureChange[] = [];
  for (const c of changes) {
    switch (c.kind) {
      case 'create-user':
        section(c.orgao).people.create.push(c);
        noteMunicipio(c.orgao, c.municipio);
        break;
      case 'update-user':
        section(c.orgao).people.update.push(c);
        break;
      case 'disable-user':
        section(c.orgao).people.disable.push(c);
        break;
      case 'create-training-account':
      case 'create-training-accounts':
        // Gathered per órgão above.
        section(c.orgao);
        break;
      case 'create-ou':
      case 'create-group':
      case 'add-member':
      case 'remove-member':
        structure.push(c);
        break;
    }
  }
  for (const u of plan.unchanged) {
    const person = personOf(u.cpf);
    section(u.orgao).people.unchanged.push({
      cpfMasked: maskCpf(u.cpf),
      dn: scrub(u.dn),
      login: scrub(u.login),
      nome: person ? scrub(displayName(person)) : undefined,
    });
  }
  // Only órgãos the plan touches get a section; the batch just tells which município they belong to.
  for (const p of batch.people) if (orgaos.has(p.orgao)) noteMunicipio(p.orgao, scrub(p.municipio));

  for (const s of orgaos.values()) {
    s.create = s.people.create.length;
    s.update = s.people.update.length;
    s.disable = s.people.disable.length;
    s.unchanged = s.people.unchanged.length;
    const t = training.of(s.orgao);
    if (t !== undefined) s.training = { ...(t.routine !== undefined ? { routine: t.routine } : {}), apart: t.apart };
    s.trainingCreate = (t?.routine?.count ?? 0) + (t?.apart.length ?? 0);
    const names = municipios.get(s.orgao);
    if (names) s.municipio = [...names].sort(compareText).join(', ');
    const first = t?.apart[0];
    const contexto = t?.routine?.dn ?? (first ? splitDn(first.dn)?.parentDn : undefined);
    if (contexto) {
      s.sip = {
        contexto,
        atributoFiltro: 'cn',
        atributoRetorno: 'distinguishedName',
        alternativa: { atributoFiltro: 'sAMAccountName', sufixo: `.${s.orgao.toLowerCase()}` },
      };
    }
  }

  const rejectedRows = new Set(batch.rejected.map((r) => `${r.file}\u0000${r.line}`));
  if (opts.release) plan.changes.length = 0;
  const count = (kind: Change['kind']): number => counts.get(kind) ?? 0;

  const model: ReportModel = {
    version: REPORT_VERSION,
    // Where the plan came from is the operator's own setting (the DC's URL, the base DN) and the files' hashes:
    // no form value, so nothing to mask, and "ldaps://192.168.100.12" or a hash's eleven digits would be read as
    // a CPF and spoiled. A form file's name is the operator's too, but could carry one; it is scrubbed. Left out
    // of the walk below.
    plan: {
      createdAt: scrub(plan.createdAt),
      inputs: plan.inputs.map((i) => ({ file: scrub(i.file), sha256: withoutControls(i.sha256) })),
      source: withoutControls(plan.observed.source),
      observedAt: scrub(plan.observed.observedAt),
      baseDN: withoutControls(plan.observed.baseDN),
    },
    summary: {
      rows: batch.rowsRead,
      valid: batch.people.length,
      rejected: rejectedRows.size,
      superseded: batch.superseded.length,
      create: count('create-user'),
      update: count('update-user'),
      disable: count('disable-user'),
      unchanged: plan.unchanged.length,
      trainingCreate: count('create-training-account'),
    },
    ...(opts.outcomes !== undefined ? { results: tally(changes) } : {}),
    changes,
    orgaos: [...orgaos.values()].sort((a, b) => compareText(a.orgao, b.orgao)),
    structure,
    structureSummary: {
      ous: count('create-ou'),
      groups: count('create-group'),
      memberships,
      removals,
    },
    rejected: [...batch.rejected]
      .sort(compareSource)
      .map((r) => ({ file: r.file, line: r.line, field: r.field, reason: maskCpfsInText(r.reason) })),
    superseded: batch.superseded.map((s) => ({
      file: s.file,
      line: s.line,
      cpfMasked: maskCpf(s.cpf),
      by: { file: s.by.file, line: s.by.line },
    })),
    disabledAsked: (plan.disabledAsked ?? [])
      .map((u) => {
        const person = personOf(u.cpf);
        return {
          cpfMasked: maskCpf(u.cpf),
          dn: scrub(u.dn),
          login: scrub(u.login),
          nome: person ? scrub(displayName(person)) : undefined,
          orgao: scrub(u.orgao),
          source: sourceOf(u.source, scrub),
        };
      })
      .sort((a, b) => compareText(a.orgao, b.orgao) || compareText(a.login, b.login)),
    warnings: [
      ...batch.warnings.map((w) => ({
        ...(w.file !== undefined ? { file: w.file } : {}),
        ...(w.line !== undefined ? { line: w.line } : {}),
        message: maskCpfsInText(w.message),
      })),
      ...(plan.disableWithoutAccount ?? []).map((d) => ({
        file: d.source.file,
        line: d.source.line,
        message: reportMessages.disableWithoutAccount(maskCpf(d.cpf), d.orgao),
      })),
      ...(plan.keptByEmail ?? []).map((k) => ({
        file: k.source.file,
        line: k.source.line,
        message: maskCpfsInText(reportMessages.keptByEmail(k.login, k.dn, maskCpf(k.cpf), k.source.file, k.source.line)),
      })),
    ],
  };
  // The changes were scrubbed as they were built; walking their 10⁵ objects again cost a third of this function.
  const scrubbed = new Set<object>([model.plan, changes, structure]);
  for (const o of orgaos.values()) {
    for (const list of [o.people.create, o.people.update, o.people.disable, o.people.unchanged, o.training.apart]) scrubbed.add(list);
    if (o.training.routine) scrubbed.add(o.training.routine.cns);
  }
  return scrubStrings(model, scrub, scrubbed);
}

export interface SummariseOptions {
  /** After an apply: what happened to each change. */
  outcomes?: ChangeOutcome[];
  /**
   * The caller hands the plan over and needs it no more: each change leaves `plan.changes` once reported,
   * and the list is empty at the end. With 10⁵ changes the plan and its report otherwise both sit in memory
   * at the peak of a run (about 40 MB more of its 300).
   */
  release?: boolean;
}

function indexOutcomes(outcomes: ChangeOutcome[] | undefined, total: number): Map<number, ReportOutcome> {
  const byIndex = new Map<number, ReportOutcome>();
  for (const o of outcomes ?? []) {
    if (!Number.isInteger(o.index) || o.index < 0 || o.index >= total) {
      throw new InternalError(reportMessages.outcomeOutOfRange(o.index, total));
    }
    if (byIndex.has(o.index)) throw new InternalError(reportMessages.outcomeDuplicate(o.index));
    byIndex.set(o.index, {
      status: o.status,
      ...(o.message !== undefined ? { message: withoutControls(maskCpfsInText(o.message)) } : {}),
      ...(o.resultCode !== undefined ? { resultCode: o.resultCode } : {}),
    });
  }
  return byIndex;
}

function tally(changes: ReportChange[]): ReportResults {
  const r: ReportResults = { done: 0, failed: 0, skipped: 0, pending: 0 };
  for (const c of changes) {
    // One entry for an órgão's created training accounts counts each of them.
    const n = c.kind === 'create-training-accounts' ? c.count : 1;
    if (c.outcome === undefined) r.pending += n;
    else r[c.outcome.status] += n;
  }
  return r;
}


// Code-point order, not locale order: the same report on every machine, whatever its ICU data.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareSource(a: { file: string; line: number }, b: { file: string; line: number }): number {
  return compareText(a.file, b.file) || a.line - b.line;
}

/**
 * Applies `f` to every string in a tree of plain data (the report model is JSON-shaped), in place: the
 * tree was built by summarisePlan a moment ago and nothing else holds it yet. Strings `f` leaves alone
 * are not reassigned, so a large report costs one pass and no copy.
 */
function scrubStrings<T>(value: T, f: (s: string) => string, skip?: ReadonlySet<object>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) {
      if (skip?.has(v)) return v;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x === null || (typeof x !== 'string' && typeof x !== 'object')) continue;
        const y = walk(x);
        if (y !== x) v[i] = y;
      }
      return v;
    }
    if (v !== null && typeof v === 'object') {
      if (skip?.has(v)) return v;
      // A plain object of the model (no inherited keys): for..in reaches every value JSON would write.
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (x === null || (typeof x !== 'string' && typeof x !== 'object')) continue;
        const y = walk(x);
        if (y !== x) o[k] = y;
      }
      return o;
    }
    return v;
  };
  // The walk keeps every key and only swaps strings for strings, so the shape of T is preserved.
  return walk(value) as T;
}

/**
 * C0 and C1 controls but tab and line feed (the renderers quote or escape those): ESC above all, and a
 * carriage return, which on a terminal takes the line back to its start to be written over.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');
const withoutControls = (s: string): string => (CONTROL.test(s) ? s.replace(CONTROL_ALL, '\uFFFD') : s);
/**
 * Whether scrubbing could change `s`: it has a control character (CONTROL), or nine digits, ASCII or fullwidth,
 * which every way of writing a CPF that maskCpfsInText finds has. One pass, as most strings need nothing.
 */
function worthScrubbing(s: string): boolean {
  // A saved plan edited by hand can lack a value the types promise: it is passed on as it is, as before.
  if (typeof s !== 'string') return false;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x39) {
      if (c >= 0x30) {
        if (++digits >= 9) return true;
      } else if (c < 0x20 && c !== 0x09 && c !== 0x0a) return true;
    } else if ((c >= 0x7f && c <= 0x9f) || (c >= 0xff10 && c <= 0xff19 && ++digits >= 9)) return true;
  }
  return false;
}
