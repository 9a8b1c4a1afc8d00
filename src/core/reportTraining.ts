/**
 * An órgão's training accounts as the report shows them. They are 99 of the same kind: the ones that need no
 * attention (all of them in a dry run, the created ones after an apply) become one entry per órgão, at the
 * place of the first of them; any other (failed, skipped, never reached, or not in that OU) is listed apart.
 */
import type { CreateTrainingAccount } from '../domain/plan.js';
import type { ReportCreateTrainingAccount, ReportOutcome, ReportTrainingAccounts } from '../domain/report.js';
import { escapeDnValue, normaliseDn, splitDn } from './dn.js';

export interface OrgaoTraining {
  routine?: ReportTrainingAccounts;
  apart: ReportCreateTrainingAccount[];
}

interface Gathering extends OrgaoTraining {
  /** The routine entry's OU, normalised, and as the plan spelled it after its first account's CN. */
  ouKey?: string;
  ouRaw?: string;
}

export class TrainingAccountsReport {
  private readonly byOrgao = new Map<string, Gathering>();

  /** `orgao` as the report shows it (scrubbed): the key its section is found by. */
  of(orgao: string): OrgaoTraining | undefined {
    return this.byOrgao.get(orgao);
  }

  /**
   * Adds an account that needs no attention to its órgão's entry. Returns the entry when this account
   * started it (the caller places it among the changes), `true` when it joined one, and `false` when it sits
   * elsewhere than the entry's OU (or its DN does not name it by its CN): then it is listed apart.
   */
  addRoutine(
    orgao: string,
    c: CreateTrainingAccount,
    index: number,
    outcome: ReportOutcome | undefined,
    scrub: (s: string) => string,
  ): ReportTrainingAccounts | boolean {
    const g = this.gathering(orgao);
    // The planner writes every DN as CN=<cn>,<the órgão's OU>: one string comparison settles nearly all.
    if (g.routine !== undefined && g.ouRaw !== undefined && c.dn === `CN=${escapeDnValue(c.cn)},${g.ouRaw}`) {
      g.routine.cns.push(scrub(c.cn));
      g.routine.count++;
      return true;
    }
    // Otherwise by parsing: a saved plan, or a base DN written with spaces or hex escapes, spells it its own way.
    const split = splitDn(c.dn);
    if (split === null || split.rdn.type.toLowerCase() !== 'cn' || split.rdn.value !== c.cn) return false;
    const key = normaliseDn(split.parentDn);
    if (g.routine === undefined) {
      g.routine = { cns: [scrub(c.cn)], count: 1, dn: scrub(split.parentDn), index, kind: 'create-training-accounts', orgao, outcome };
      g.ouKey = key;
      g.ouRaw = rawParentOf(c.dn);
      return g.routine;
    }
    if (key !== g.ouKey) return false;
    g.routine.cns.push(scrub(c.cn));
    g.routine.count++;
    return true;
  }

  addApart(orgao: string, entry: ReportCreateTrainingAccount): void {
    this.gathering(orgao).apart.push(entry);
  }

  private gathering(orgao: string): Gathering {
    let g = this.byOrgao.get(orgao);
    if (g === undefined) {
      g = { apart: [] };
      this.byOrgao.set(orgao, g);
    }
    return g;
  }
}

/** What follows a DN's first RDN, as written (undefined when it has a single RDN). */
function rawParentOf(dn: string): string | undefined {
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') i++;
    else if (dn[i] === ',') return dn.slice(i + 1);
  }
  return undefined;
}
