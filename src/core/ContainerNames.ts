import { normaliseDn, splitDn } from './dn.js';
import { foldCn } from './names.js';

/** RDN values already used in each container (AD wants `name` unique among siblings, whatever the type). */
export class ContainerNames {
  private readonly byParent = new Map<string, Set<string>>();

  constructor(dns: string[]) {
    for (const dn of dns) this.addDn(dn);
  }

  private addDn(dn: string): void {
    const split = splitDn(dn);
    if (split) this.add(split.parentDn, split.rdn.value);
  }

  add(parentDn: string, name: string): void {
    const key = normaliseDn(parentDn);
    let names = this.byParent.get(key);
    if (!names) {
      names = new Set();
      this.byParent.set(key, names);
    }
    names.add(foldCn(name));
  }

  has(parentDn: string, foldedName: string): boolean {
    return this.byParent.get(normaliseDn(parentDn))?.has(foldedName) ?? false;
  }
}
