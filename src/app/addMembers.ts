import { DirectoryError } from '../domain/errors.js';
import type { AddMember } from '../domain/plan.js';
import type { Directory } from '../ports/Directory.js';

/** One modify adds every member; if some were already there (20), add the rest one by one. */
export async function addMembers(directory: Directory, change: AddMember): Promise<void> {
  try {
    await directory.modify(change.groupDn, [{ operation: 'add', attribute: 'member', values: change.memberDns }]);
  } catch (e) {
    if (!(e instanceof DirectoryError && e.resultCode === 20)) throw e;
    for (const member of change.memberDns) {
      try {
        await directory.modify(change.groupDn, [{ operation: 'add', attribute: 'member', values: [member] }]);
      } catch (inner) {
        if (!(inner instanceof DirectoryError && inner.resultCode === 20)) throw inner;
      }
    }
  }
}
