import { DirectoryError, SeiError, ExitCode } from '../../domain/errors.js';

/** groupType bits: global scope, security group (AD stores the value signed). */
const GLOBAL_SCOPE = 0x2;
const SECURITY = 0x80000000 | 0;
import type { Directory } from '../../ports/Directory.js';
import { trainingMessages as m } from '../../messages/training.js';

/** Training accounts cannot be made without the PSO: nothing is created and the run says what to do. */
export class TrainingPolicyError extends SeiError {
  constructor(message: string) {
    super(message, ExitCode.unusable);
  }
}

/**
 * The group must exist and a Password Settings Object with complexity off must apply to it
 * (`msDS-PSOApplied` is the back link of the PSO's `msDS-PSOAppliesTo`). The PSO itself may be
 * unreadable to a delegated service account; then its existence is enough.
 */
export async function checkTrainingPso(directory: Directory, parentGroupDn: string): Promise<void> {
  const group = await directory.read(parentGroupDn, ['msDS-PSOApplied', 'groupType']);
  if (!group) throw new TrainingPolicyError(m.groupMissing(parentGroupDn));
  // A PSO reaches users and global security groups only: on a domain-local or universal group, or a
  // distribution list, it applies to nobody and every "usuario01" password would be refused.
  const groupType = Number(group.attributes.grouptype?.[0] ?? '0');
  if ((groupType & GLOBAL_SCOPE) === 0 || (groupType & SECURITY) === 0) throw new TrainingPolicyError(m.groupNotGlobalSecurity(parentGroupDn));
  const psos = group.attributes['msds-psoapplied'] ?? [];
  if (psos.length === 0) throw new TrainingPolicyError(m.psoMissing(parentGroupDn));
  for (const psoDn of psos) {
    const pso = await directory.read(psoDn, ['msDS-PasswordComplexityEnabled', 'msDS-MinimumPasswordLength', 'msDS-PasswordHistoryLength']).catch((e: unknown) => {
      // Unreadable to a delegated account (no rights, or hidden): its existence is enough. Anything else
      // (a timeout, a dropped connection) is not a yes.
      if (e instanceof DirectoryError && (e.resultCode === 50 || e.resultCode === 32)) return null;
      throw e;
    });
    if (!pso) continue;
    const complexity = pso.attributes['msds-passwordcomplexityenabled']?.[0]?.toUpperCase();
    const minLength = Number(pso.attributes['msds-minimumpasswordlength']?.[0] ?? '0');
    if (complexity === 'TRUE' || minLength > 9) throw new TrainingPolicyError(m.psoWrong(psoDn, parentGroupDn));
  }
}
