import type { ObservedGroup } from '../domain/directory.js';
import type { AddMember } from '../domain/plan.js';
import { normaliseDn } from './dn.js';

// Locale-independent, so the order does not change with the machine the plan runs on.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Member additions collected per group, so each group gets one modify with all its new members. */
export class MemberAdditions {
  /** Per group: its members in the order planned, and the keys of those added by `add` (to add each once). */
  private readonly byGroup = new Map<string, { groupDn: string; memberDns: string[]; keys: Set<string> }>();
  private readonly observed: Map<string, Set<string>>;

  constructor(groups: ObservedGroup[]) {
    this.observed = new Map(groups.map((g) => [normaliseDn(g.dn), new Set(g.members.map(normaliseDn))]));
  }

  private entry(groupDn: string, g: string): { groupDn: string; memberDns: string[]; keys: Set<string> } {
    let entry = this.byGroup.get(g);
    if (!entry) {
      entry = { groupDn, memberDns: [], keys: new Set() };
      this.byGroup.set(g, entry);
    }
    return entry;
  }

  /** Plans `memberDn` into `groupDn` unless either side already shows it; true when planned. */
  add(groupDn: string, memberDn: string, memberOf: string[] = [], memberKey?: string): boolean {
    const g = normaliseDn(groupDn);
    const m = memberKey ?? normaliseDn(memberDn);
    if (this.observed.get(g)?.has(m) || memberOf.some((dn) => normaliseDn(dn) === g)) return false;
    const entry = this.entry(groupDn, g);
    if (!entry.keys.has(m)) {
      entry.keys.add(m);
      entry.memberDns.push(memberDn);
    }
    return true;
  }

  /**
   * `add` for an account this plan creates, whose CN was checked free in its container: no other planned
   * member can have its DN, so only a group that already has members needs its key (built by `memberKey`
   * only then). With 10⁵ new people, the key of each was most of the cost of planning memberships.
   */
  addNew(groupDn: string, memberDn: string, memberKey: () => string): void {
    const g = normaliseDn(groupDn);
    const observed = this.observed.get(g);
    if (observed !== undefined && observed.size > 0 && observed.has(memberKey())) return;
    this.entry(groupDn, g).memberDns.push(memberDn);
  }

  changes(): AddMember[] {
    return [...this.byGroup.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([, e]) => ({ groupDn: e.groupDn, kind: 'add-member', memberDns: e.memberDns }));
  }
}
