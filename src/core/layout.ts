import type { NamingPolicy } from '../domain/policy.js';
import { escapeDnValue } from './dn.js';

/** The DNs of the subtrees the tool manages. Everything it writes lies under `rootDn`. */
export interface ManagedLayout {
  rootDn: string;
  usersDn: string;
  trainingDn: string;
  groupsDn: string;
  orgaoUsersDn(orgao: string): string;
  orgaoTrainingDn(orgao: string): string;
}

export function managedLayout(policy: NamingPolicy): ManagedLayout {
  const rootDn = `OU=${escapeDnValue(policy.rootOu)},${policy.baseDN}`;
  const usersDn = `OU=${escapeDnValue(policy.usersOu)},${rootDn}`;
  const trainingDn = `OU=${escapeDnValue(policy.trainingOu)},${rootDn}`;
  return {
    rootDn,
    usersDn,
    trainingDn,
    groupsDn: `OU=${escapeDnValue(policy.groupsOu)},${rootDn}`,
    orgaoUsersDn: (orgao) => `OU=${escapeDnValue(orgao)},${usersDn}`,
    orgaoTrainingDn: (orgao) => `OU=${escapeDnValue(orgao)},${trainingDn}`,
  };
}
