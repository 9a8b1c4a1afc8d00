import { SeiError, ExitCode } from '../../domain/errors.js';
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
  const group = await directory.read(parentGroupDn, ['msDS-PSOApplied', 'objectClass']);
  if (!group) throw new TrainingPolicyError(m.groupMissing(parentGroupDn));
  const psos = group.attributes['msds-psoapplied'] ?? [];
  if (psos.length === 0) throw new TrainingPolicyError(m.psoMissing(parentGroupDn));
  for (const psoDn of psos) {
    const pso = await directory.read(psoDn, ['msDS-PasswordComplexityEnabled', 'msDS-MinimumPasswordLength', 'msDS-PasswordHistoryLength']).catch(() => null);
    if (!pso) continue;
    const complexity = pso.attributes['msds-passwordcomplexityenabled']?.[0]?.toUpperCase();
    const minLength = Number(pso.attributes['msds-minimumpasswordlength']?.[0] ?? '0');
    if (complexity === 'TRUE' || minLength > 9) throw new TrainingPolicyError(m.psoWrong(psoDn, parentGroupDn));
  }
}
