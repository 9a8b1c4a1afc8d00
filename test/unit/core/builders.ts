/** Builders for the core's inputs: people, naming policy and fake directory snapshots. */
import type { DirectorySnapshot, ObservedGroup, ObservedTrainingAccount, ObservedUser } from '../../../src/domain/directory.js';
import type { Person } from '../../../src/domain/form.js';
import type { NamingPolicy } from '../../../src/domain/policy.js';
import { escapeDnValue } from '../../../src/core/dn.js';

export const BASE_DN = 'DC=sei,DC=local';
export const ROOT_DN = `OU=SEI Cidades,${BASE_DN}`;
export const USERS_DN = `OU=Usuarios,${ROOT_DN}`;
export const GROUPS_DN = `OU=Grupos,${ROOT_DN}`;
export const TRAINING_DN = `OU=Treinamento,${ROOT_DN}`;
export const TRAINING_PARENT_DN = `CN=SEI-Treinamento,${TRAINING_DN}`;
export const NOW = '2026-11-26T15:00:00Z';

export const orgaoOu = (orgao: string): string => `OU=${escapeDnValue(orgao)},${USERS_DN}`;
export const trainingOu = (orgao: string): string => `OU=${escapeDnValue(orgao)},${TRAINING_DN}`;
export const groupDn = (name: string): string => `CN=${escapeDnValue(name)},${GROUPS_DN}`;

export function aPolicy(overrides: Partial<NamingPolicy> = {}): NamingPolicy {
  return {
    baseDN: BASE_DN,
    upnSuffix: 'sei.local',
    rootOu: 'SEI Cidades',
    usersOu: 'Usuarios',
    trainingOu: 'Treinamento',
    groupsOu: 'Grupos',
    loginStrategy: 'first.last',
    orgaoGroup: 'SEI-{ORGAO}',
    perfilGroups: { interlocutor: 'SEI-Interlocutores', administrador: 'SEI-Administradores' },
    trainingCount: 2,
    trainingGroup: 'SEI-Treinamento-{ORGAO}',
    trainingParentGroupDn: TRAINING_PARENT_DN,
    ...overrides,
  };
}

/** A CPF with valid check digits, different for every seed. */
export function validCpf(seed: number): string {
  const base = String(100_000_000 + seed).slice(-9).split('').map(Number);
  const check = (digits: number[]): number => {
    const sum = digits.reduce((s, d, i) => s + d * (digits.length + 1 - i), 0);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = check(base);
  const d2 = check([...base, d1]);
  return [...base, d1, d2].join('');
}

let seq = 0;

/** A valid person; each call gets a new CPF and line unless given. */
export function aPerson(overrides: Partial<Person> = {}): Person {
  seq++;
  return {
    file: 'formulario.csv',
    line: seq + 1,
    municipio: 'Campinas',
    orgao: 'PREF',
    nome: 'Maria Souza',
    cpf: validCpf(seq),
    email: `pessoa${seq}@campinas.sp.gov.br`,
    perfil: 'usuario',
    acao: 'incluir',
    ...overrides,
  };
}

/** A fake observation of the directory, empty unless told otherwise. */
export class SnapshotBuilder {
  private readonly s: DirectorySnapshot = {
    observedAt: '2026-11-26T14:59:00Z',
    source: 'ldaps://dc.sei.local',
    baseDN: BASE_DN,
    ous: [],
    groups: [],
    users: [],
    trainingAccounts: [],
    takenLogins: [],
    takenUpns: [],
  };

  withOus(...dns: string[]): this {
    this.s.ous.push(...dns);
    return this;
  }

  /** Root, branches and, per órgão, its users and training OUs: what a previous run leaves behind. */
  withManagedOus(...orgaos: string[]): this {
    this.withOus(ROOT_DN, USERS_DN, GROUPS_DN, TRAINING_DN);
    for (const o of orgaos) this.withOus(orgaoOu(o), trainingOu(o));
    return this;
  }

  withGroup(dn: string, members: string[] = []): this {
    const g: ObservedGroup = { dn, members, uSNChanged: '100' };
    this.s.groups.push(g);
    return this;
  }

  /** An account under the users branch; its login is also recorded as taken in the domain. */
  withUser(u: Partial<ObservedUser> & { sAMAccountName: string }): this {
    const user: ObservedUser = {
      dn: u.dn ?? `CN=${escapeDnValue(u.sAMAccountName)},${orgaoOu('PREF')}`,
      userAccountControl: 512,
      attributes: {},
      memberOf: [],
      uSNChanged: '4711',
      ...u,
    };
    this.s.users.push(user);
    this.s.takenLogins.push(user.sAMAccountName.toLowerCase());
    if (user.userPrincipalName) this.s.takenUpns.push(user.userPrincipalName.toLowerCase());
    return this;
  }

  withTrainingAccount(login: string, dn: string): this {
    const t: ObservedTrainingAccount = {
      dn,
      sAMAccountName: login,
      userAccountControl: 512,
      pwdLastSet: '0',
      lockoutTime: '0',
      uSNChanged: '900',
    };
    this.s.trainingAccounts.push(t);
    this.s.takenLogins.push(login.toLowerCase());
    return this;
  }

  /** Logins held elsewhere in the domain (outside the managed OUs). */
  withTakenLogins(...logins: string[]): this {
    this.s.takenLogins.push(...logins);
    return this;
  }

  withTakenUpns(...upns: string[]): this {
    this.s.takenUpns.push(...upns);
    return this;
  }

  build(): DirectorySnapshot {
    return structuredClone(this.s);
  }
}

export const aSnapshot = (): SnapshotBuilder => new SnapshotBuilder();
