import type { RemoveMember } from '../domain/plan.js';
import { normaliseDn } from './dn.js';

// Locale-independent, so the order does not change with the machine the plan runs on.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Members leaving groups, collected per group so each group gets one modify. */
export class MemberRemovals {
  private readonly byGroup = new Map<string, { groupDn: string; memberDns: string[] }>();

  remove(groupDn: string, memberDn: string): void {
    const g = normaliseDn(groupDn);
    let entry = this.byGroup.get(g);
    if (!entry) {
      entry = { groupDn, memberDns: [] };
      this.byGroup.set(g, entry);
    }
    entry.memberDns.push(memberDn);
  }

  changes(): RemoveMember[] {
    return [...this.byGroup.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([, e]) => ({ groupDn: e.groupDn, kind: 'remove-member', memberDns: e.memberDns }));
  }
}
