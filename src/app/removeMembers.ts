import { DirectoryError } from '../domain/errors.js';
import type { RemoveMember } from '../domain/plan.js';
import type { Directory } from '../ports/Directory.js';

/**
 * A member no longer in the group, or a DN no longer there: what we wanted. Windows AD answers 53
 * (ERROR_MEMBER_NOT_IN_GROUP); Samba 16 (noSuchAttribute) for a value the group does not hold.
 */
const notThere = (e: unknown): boolean => e instanceof DirectoryError && (e.resultCode === 16 || e.resultCode === 53);

/**
 * One modify takes every member out. If the server refuses the batch because one of them is no longer a
 * member (someone removed it by hand since the plan), the members go one at a time, and those already out
 * are what we wanted.
 */
export async function removeMembers(directory: Directory, change: RemoveMember): Promise<void> {
  try {
    await directory.modify(change.groupDn, [{ operation: 'delete', attribute: 'member', values: change.memberDns }]);
    return;
  } catch (e) {
    if (!notThere(e)) throw e;
  }
  for (const member of change.memberDns) {
    try {
      await directory.modify(change.groupDn, [{ operation: 'delete', attribute: 'member', values: [member] }]);
    } catch (e) {
      if (!notThere(e)) throw e;
    }
  }
}
