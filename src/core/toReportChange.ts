/**
 * One change of a plan as its report shows it (every CPF masked): the copying half of summarisePlan.
 */
import type { Person, SourceRef } from '../domain/form.js';
import type { Change } from '../domain/plan.js';
import type { NamedDn, ReportChange, ReportOutcome } from '../domain/report.js';
import { maskCpf } from './cpf.js';
import { firstRdnValue } from './dn.js';

/**
 * Object literals with every key written and in key order: all changes of a kind share one shape (cheap
 * to hold by the hundred thousand) and serialise sorted as they are. An absent outcome is `undefined`,
 * which JSON leaves out.
 */
export interface Copying {
  /** Every string taken from the plan passes through it (CPFs masked). */
  scrub: (s: string) => string;
  /** scrub for values a few of which many changes share (órgão, município, perfil, file name): cached. */
  shared: (s: string) => string;
  /** For the member DNs of group changes: any eleven digits masked. */
  scrubMember: (s: string) => string;
  /** A group's name (its CN), scrubbed, shared by every change naming it. */
  groupName: (dn: string) => string;
  groupNames: (dns: string[]) => string[];
}

export function toReportChange(c: Change, index: number, personOf: (cpf: string) => Person | undefined, outcome: ReportOutcome | undefined, copy: Copying): ReportChange {
  const s = copy.scrub;
  const maybe = (v: string | null | undefined): string | null | undefined => (typeof v === 'string' ? s(v) : v);
  // Codes (perfil, reason, attribute) are scrubbed too: a saved plan edited by hand could carry anything.
  // Scrubbing only rewrites digits, which no valid code has, so a valid code comes back as it was.
  const code = <T extends string>(v: T): T => copy.shared(v) as T;
  switch (c.kind) {
    case 'create-user': {
      return {
        cpfMasked: maskCpf(c.cpf),
        dn: s(c.dn),
        email: s(c.email),
        groups: copy.groupNames(c.groups),
        index,
        kind: c.kind,
        login: s(c.login),
        municipio: copy.shared(c.municipio),
        nome: s(c.attributes.displayName ?? nameOf(personOf(c.cpf)) ?? c.login),
        orgao: copy.shared(c.orgao),
        outcome,
        perfil: code(c.perfil),
        source: sourceOf(c.source, copy.shared),
        upn: s(c.upn),
      };
    }
    case 'update-user': {
      const person = personOf(c.cpf);
      return {
        changes: c.changes.map((a) => ({ after: maybe(a.after) ?? null, attribute: code(a.attribute), before: maybe(a.before) ?? null })),
        cpfMasked: maskCpf(c.cpf),
        dn: s(c.dn),
        index,
        kind: c.kind,
        login: s(c.login),
        moveTo: maybe(c.moveTo) ?? undefined,
        movedFrom: maybe(c.fromOrgao) ?? undefined,
        nome: person ? s(displayName(person)) : undefined,
        orgao: copy.shared(c.orgao),
        outcome,
        source: sourceOf(c.source, copy.shared),
      };
    }
    case 'disable-user': {
      const person = personOf(c.cpf);
      return {
        cpfMasked: maskCpf(c.cpf),
        description: s(c.description),
        dn: s(c.dn),
        index,
        kind: c.kind,
        login: s(c.login),
        nome: person ? s(displayName(person)) : undefined,
        orgao: copy.shared(c.orgao),
        outcome,
        reason: code(c.reason),
        source: c.source ? sourceOf(c.source, copy.shared) : undefined,
      };
    }
    case 'create-training-account':
      return { cn: s(c.cn), dn: s(c.dn), index, kind: c.kind, login: s(c.login), orgao: copy.shared(c.orgao), outcome, upn: s(c.upn) };
    case 'create-ou':
      return { dn: s(c.dn), index, kind: c.kind, outcome };
    case 'create-group':
      return { dn: s(c.dn), index, kind: c.kind, name: s(c.name), orgao: maybe(c.orgao) ?? undefined, outcome };
    case 'add-member':
      // Each member appears once per group: a cache would only hold 10⁵ entries it never hits.
      return { dn: s(c.groupDn), group: copy.groupName(c.groupDn), index, kind: c.kind, members: c.memberDns.map((dn) => copy.scrubMember(firstRdnValue(dn) ?? dn)), outcome };
    case 'remove-member':
      return { dn: s(c.groupDn), group: copy.groupName(c.groupDn), index, kind: c.kind, members: c.memberDns.map((dn) => namedDn(dn, copy.scrubMember)), outcome };
  }
}

/** A copy of a source reference holding only what the report shows. */
export function sourceOf(source: SourceRef, scrub: (s: string) => string): SourceRef {
  return { file: scrub(source.file), line: source.line };
}

const nameOf = (p: Person | undefined): string | undefined => (p ? displayName(p) : undefined);

/** The name the person asked to be called by. */
export function displayName(p: Person): string {
  return p.nomeSocial ?? p.nome;
}

function namedDn(dn: string, scrub: (s: string) => string): NamedDn {
  return { dn: scrub(dn), name: scrub(firstRdnValue(dn) ?? dn) };
}
