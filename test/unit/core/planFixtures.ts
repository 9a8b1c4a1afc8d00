/** Shared by the assemblePlan tests: a plan from people and a snapshot, its changes by kind, a provisioned órgão. */
import { assemblePlan, type AssemblePlanInput } from '../../../src/core/assemblePlan.js';
import type { DirectorySnapshot, ObservedUser } from '../../../src/domain/directory.js';
import type { Person } from '../../../src/domain/form.js';
import type {
  AddMember,
  Change,
  ChangeKind,
  CreateGroup,
  CreateOu,
  CreateTrainingAccount,
  CreateUser,
  DisableUser,
  Plan,
  UpdateUser,
} from '../../../src/domain/plan.js';
import { NOW, TRAINING_PARENT_DN, aPolicy, aSnapshot, groupDn, orgaoOu, trainingOu } from './builders.js';

export function plan(people: Person[], snapshot: DirectorySnapshot = aSnapshot().build(), extra: Partial<AssemblePlanInput> = {}): Plan {
  return assemblePlan({
    people,
    snapshot,
    policy: aPolicy(),
    inputs: [{ file: 'formulario.csv', sha256: 'ab'.repeat(32) }],
    now: NOW,
    ...extra,
  });
}

// Type guards so tests read the fields of one kind without casts.
export const ofKind = <K extends ChangeKind>(p: Plan, kind: K): Extract<Change, { kind: K }>[] =>
  p.changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);
export const creates = (p: Plan): CreateUser[] => ofKind(p, 'create-user');
export const updates = (p: Plan): UpdateUser[] => ofKind(p, 'update-user');
export const disables = (p: Plan): DisableUser[] => ofKind(p, 'disable-user');
export const adds = (p: Plan): AddMember[] => ofKind(p, 'add-member');
export const ous = (p: Plan): string[] => ofKind(p, 'create-ou').map((c: CreateOu) => c.dn);
export const groupsCreated = (p: Plan): CreateGroup[] => ofKind(p, 'create-group');
export const training = (p: Plan): CreateTrainingAccount[] => ofKind(p, 'create-training-account');
export const membersOf = (p: Plan, group: string): string[] | undefined => adds(p).find((a) => a.groupDn === group)?.memberDns;

/** Everything a previous run left for PREF: OUs, groups, training accounts, nesting. */
export function provisionedPref() {
  return aSnapshot()
    .withManagedOus('PREF')
    .withGroup(groupDn('SEI-PREF'))
    .withGroup(groupDn('SEI-Treinamento-PREF'), [`CN=usuario01,${trainingOu('PREF')}`, `CN=usuario02,${trainingOu('PREF')}`])
    .withGroup(TRAINING_PARENT_DN, [groupDn('SEI-Treinamento-PREF')])
    .withTrainingAccount('usuario01.pref', `CN=usuario01,${trainingOu('PREF')}`)
    .withTrainingAccount('usuario02.pref', `CN=usuario02,${trainingOu('PREF')}`);
}

/** An account exactly as the tool would have made it for `p`. */
export function accountFor(p: Person, login: string, cn = p.nome): ObservedUser & { employeeID: string } {
  const [givenName = '', ...rest] = p.nome.split(' ');
  return {
    userAccountControl: 512,
    uSNChanged: '4711',
    dn: `CN=${cn},${orgaoOu(p.orgao)}`,
    sAMAccountName: login,
    userPrincipalName: `${login}@sei.local`,
    employeeID: p.cpf,
    attributes: {
      displayName: p.nome,
      givenName,
      sn: rest.join(' '),
      mail: p.email,
      company: p.municipio,
      description: `SEI Cidades — ${p.municipio}`,
    },
    memberOf: [groupDn(`SEI-${p.orgao}`)],
  };
}
