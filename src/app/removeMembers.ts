import { DirectoryError } from '../domain/errors.js';
import type { RemoveMember } from '../domain/plan.js';
import type { Directory } from '../ports/Directory.js';
import { normaliseDn } from '../core/dn.js';

/**
 * A value the group does not hold (any more): what we wanted. Samba answers 16 (noSuchAttribute); Windows AD
 * 53 with ERROR_MEMBER_NOT_IN_GROUP (0x561).
 */
const notAMember = (e: unknown): boolean =>
  e instanceof DirectoryError && (e.resultCode === 16 || (e.resultCode === 53 && e.adCode === '00000561'));
/**
 * What may also mean "already out": 32 for a member DN that no longer exists; from Samba, 53 "Unable to find
 * GUID for DN" (a member gone) or "Attribute member already deleted" (a member taken out before). Samba's 53
 * carries the code of any other refusal too, so the member is looked up before the removal counts as done.
 */
const maybeOut = (e: unknown): boolean => e instanceof DirectoryError && (e.resultCode === 32 || e.resultCode === 53);

/** True when `member` no longer exists or no longer lists `groupDn` among its groups. */
async function isOut(directory: Directory, groupDn: string, member: string): Promise<boolean> {
  const entry = await directory.read(member, ['memberOf']);
  if (!entry) return true;
  const group = normaliseDn(groupDn);
  return !(entry.attributes.memberof ?? []).some((dn) => normaliseDn(dn) === group);
}

/**
 * One modify takes every member out. If the server refuses the batch because a member is no longer in the
 * group or no longer exists (removed by hand since the plan), the members go one at a time: those already
 * out, or gone, are what we wanted, and one real refusal does not keep the others in; it is reported at the end.
 */
export async function removeMembers(directory: Directory, change: RemoveMember): Promise<void> {
  try {
    await directory.modify(change.groupDn, [{ operation: 'delete', attribute: 'member', values: change.memberDns }]);
    return;
  } catch (e) {
    if (!notAMember(e) && !maybeOut(e)) throw e;
    // 32 for the group itself (gone since the plan, or a DN edited by hand) is reported as it is.
    if (e instanceof DirectoryError && e.resultCode === 32 && !(await directory.read(change.groupDn, ['1.1']))) throw e;
  }
  let firstError: unknown;
  for (const member of change.memberDns) {
    try {
      await directory.modify(change.groupDn, [{ operation: 'delete', attribute: 'member', values: [member] }]);
    } catch (e) {
      if (notAMember(e)) continue;
      try {
        if (maybeOut(e) && (await isOut(directory, change.groupDn, member))) continue;
      } catch (lookup) {
        // The member could not be looked up: reported, and the others still go.
        firstError ??= lookup;
        continue;
      }
      firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
}
