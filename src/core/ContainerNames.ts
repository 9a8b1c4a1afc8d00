import { normaliseDn, splitDn } from './dn.js';
import { foldCn } from './names.js';

/** RDN values already used in each container (AD wants `name` unique among siblings, whatever the type). */
export class ContainerNames {
  private readonly byParent = new Map<string, Set<string>>();
  private readonly byParentSpelling = new Map<string, Set<string>>();

  constructor(dns: string[]) {
    for (const dn of dns) this.addDn(dn);
  }

  private addDn(dn: string): void {
    const split = splitDn(dn);
    if (split) this.add(split.parentDn, split.rdn.value);
  }

  /** `folded`: foldCn(name), when the caller has it already (deriveCn's last question). */
  add(parentDn: string, name: string, folded = foldCn(name)): void {
    let names = this.namesIn(parentDn);
    if (!names) {
      names = new Set();
      this.byParent.set(normaliseDn(parentDn), names);
      this.byParentSpelling.set(parentDn, names);
    }
    names.add(folded);
  }

  has(parentDn: string, foldedName: string): boolean {
    return this.namesIn(parentDn)?.has(foldedName) ?? false;
  }

  /**
   * The names in a container, found by the DN as spelled first and by its normalised form only then: a plan
   * asks about the same few OU DN strings 10⁵ times, and normalising each time was a fifth of the lookups' cost.
   */
  private namesIn(parentDn: string): Set<string> | undefined {
    let names = this.byParentSpelling.get(parentDn);
    if (names === undefined) {
      names = this.byParent.get(normaliseDn(parentDn));
      if (names !== undefined) this.byParentSpelling.set(parentDn, names);
    }
    return names;
  }
}
