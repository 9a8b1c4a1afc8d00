/**
 * Names a plan is about to give that the domain already holds elsewhere: a group's sAMAccountName, or a
 * training account's login or UPN, held by an object the tool does not see as that group or account (made by
 * hand, or moved out of the tool's OUs). The apply would refuse each one (68) and say so; the dry run says it
 * first, so whoever reads the plan can settle it before anything is written.
 */
import type { DirectorySnapshot } from '../domain/directory.js';
import type { Plan } from '../domain/plan.js';
import { foldCn } from './names.js';

export interface TakenName {
  kind: 'group' | 'training-login' | 'training-upn';
  /** The name asked for. */
  name: string;
  /** The DN the plan would create. */
  dn: string;
}

export function namesTakenElsewhere(plan: Pick<Plan, 'changes'>, snapshot: Pick<DirectorySnapshot, 'takenLogins' | 'takenUpns' | 'trainingAccounts'>): TakenName[] {
  if (snapshot.takenLogins.length === 0 && snapshot.takenUpns.length === 0) return [];
  const logins = new Set(snapshot.takenLogins.map(foldCn));
  const upns = new Set(snapshot.takenUpns.map(foldCn));
  // A half-made training account is created again at its own DN: its login and UPN are its own, not taken.
  const halfMade = new Set(snapshot.trainingAccounts.map((t) => foldCn(t.sAMAccountName)));
  const taken: TakenName[] = [];
  for (const c of plan.changes) {
    if (c.kind === 'create-group' && logins.has(foldCn(c.name))) taken.push({ kind: 'group', name: c.name, dn: c.dn });
    else if (c.kind === 'create-training-account' && !halfMade.has(foldCn(c.login))) {
      if (logins.has(foldCn(c.login))) taken.push({ kind: 'training-login', name: c.login, dn: c.dn });
      else if (upns.has(foldCn(c.upn))) taken.push({ kind: 'training-upn', name: c.upn, dn: c.dn });
    }
  }
  return taken;
}
