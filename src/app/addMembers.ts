import { DirectoryError, DirectoryUnavailableError } from '../domain/errors.js';
import type { AddMember } from '../domain/plan.js';
import { directoryMessages as m } from '../messages/directory.js';
import type { Directory } from '../ports/Directory.js';

/** A member already in the group: AD and Samba answer 68 for `member` (ERROR_MEMBER_IN_GROUP), others 20. */
const alreadyMember = (e: unknown): boolean => e instanceof DirectoryError && (e.resultCode === 68 || e.resultCode === 20);
/** A member DN that does not exist (32): it cannot join, the others still can. */
const noSuchMember = (e: unknown): boolean => e instanceof DirectoryError && e.resultCode === 32;

/**
 * One modify adds every member. If the server refuses the batch because some member is already there or
 * does not exist, the members go one at a time: those already there are what we wanted, the missing ones
 * are reported together once the others have joined; any other refusal too, after the others were tried.
 */
export async function addMembers(directory: Directory, change: AddMember): Promise<void> {
  try {
    await directory.modify(change.groupDn, [{ operation: 'add', attribute: 'member', values: change.memberDns }]);
    return;
  } catch (e) {
    if (!alreadyMember(e) && !noSuchMember(e)) throw e;
    // 32 is also the answer when the group itself is gone (deleted by hand): then nobody is "missing".
    if (noSuchMember(e) && (await directory.read(change.groupDn, ['objectClass'])) === null) {
      throw new DirectoryError(m.groupGone(change.groupDn), { resultCode: 32, dn: change.groupDn, operation: 'modify', transient: false }, { cause: e });
    }
  }
  const missing: string[] = [];
  // Any other refusal is kept for the end: one member refused must not keep the rest of the group out.
  let otherError: unknown;
  for (const member of change.memberDns) {
    try {
      await directory.modify(change.groupDn, [{ operation: 'add', attribute: 'member', values: [member] }]);
    } catch (e) {
      if (noSuchMember(e)) missing.push(member);
      // A connection lost or timed out, or the directory gone, holds for the rest too: no use waiting it out
      // member after member.
      else if ((e instanceof DirectoryError && e.transient) || e instanceof DirectoryUnavailableError) throw e;
      else if (!alreadyMember(e)) otherError ??= e;
    }
  }
  if (otherError !== undefined) throw otherError;
  const first = missing[0];
  if (first !== undefined) {
    throw new DirectoryError(m.membersMissing(change.groupDn, missing.length, first), { resultCode: 32, dn: change.groupDn, operation: 'modify', transient: false });
  }
}
