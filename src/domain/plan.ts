import type { Perfil, SourceRef } from './form.js';
import type { ManagedUserAttribute, UserAttributes } from './directory.js';

export const PLAN_VERSION = 2;

export interface CreateOu {
  kind: 'create-ou';
  dn: string;
}

export interface CreateGroup {
  kind: 'create-group';
  dn: string;
  /** sAMAccountName of the group. */
  name: string;
  orgao?: string;
}

export interface CreateUser {
  kind: 'create-user';
  dn: string;
  orgao: string;
  municipio: string;
  /** CPF digits: plan.json needs it to apply (the file is 0600); masked in every report. */
  cpf: string;
  login: string;
  upn: string;
  email: string;
  perfil: Perfil;
  attributes: UserAttributes;
  /** Group DNs the new account joins (applied through add-member changes). */
  groups: string[];
  source: SourceRef;
}

export interface AttributeChange {
  attribute: ManagedUserAttribute;
  before: string | null;
  after: string | null;
}

export interface UpdateUser {
  kind: 'update-user';
  dn: string;
  orgao: string;
  cpf: string;
  login: string;
  changes: AttributeChange[];
  /**
   * The account's new DN: in the new órgão's OU when the person changed órgão, with a new CN when the name
   * they use changed (a nome social given later). It moves or is renamed first (same password, same login),
   * and the attribute changes and memberships then apply to it there.
   */
  moveTo?: string;
  /** When the person changed órgão: the órgão OU the account leaves. Absent for a rename in place. */
  fromOrgao?: string;
  /** uSNChanged seen at plan time: apply refuses a stale plan. */
  expectUsn: string;
  source: SourceRef;
}

export interface DisableUser {
  kind: 'disable-user';
  dn: string;
  orgao: string;
  cpf: string;
  login: string;
  /** 'form': acao=desativar; 'missing': no longer in any form (--disable-missing). */
  reason: 'form' | 'missing';
  /** The description written with the disable (notes the date). */
  description: string;
  /** The userAccountControl to write: the observed flags plus ACCOUNTDISABLE (0x2), e.g. 512 → 514. */
  userAccountControl: number;
  /**
   * The description the plan saw (null: none). Apply writes over it, and over the observed flags, only if
   * both are still there. Absent from a plan saved by an earlier build, which then replaces both.
   */
  descriptionBefore?: string | null;
  expectUsn: string;
  source?: SourceRef;
}

export interface AddMember {
  kind: 'add-member';
  groupDn: string;
  memberDns: string[];
}

/**
 * Members leaving a group the tool manages for people (an órgão's group, a perfil's group) they no longer
 * belong to: someone who changed órgão, or lost a perfil. Groups the tool does not name are never touched.
 */
export interface RemoveMember {
  kind: 'remove-member';
  groupDn: string;
  memberDns: string[];
}

export interface CreateTrainingAccount {
  kind: 'create-training-account';
  dn: string;
  orgao: string;
  login: string;
  upn: string;
  /** Its password is its login (cn), set at apply time. */
  cn: string;
}

export type Change = CreateOu | CreateGroup | CreateUser | UpdateUser | DisableUser | AddMember | RemoveMember | CreateTrainingAccount;
export type ChangeKind = Change['kind'];

/** A person already in the directory with nothing to change. */
export interface Unchanged {
  dn: string;
  orgao: string;
  cpf: string;
  login: string;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  createdAt: string;
  inputs: { file: string; sha256: string }[];
  /** What the plan was computed against: enough to detect staleness. */
  observed: {
    source: string;
    observedAt: string;
    baseDN: string;
    users: number;
    trainingAccounts: number;
  };
  changes: Change[];
  unchanged: Unchanged[];
  /**
   * People an incluir or alterar row names whose account is disabled. The tool never re-enables an account
   * (someone disabled it, maybe on purpose): they are listed so the report tells the operator.
   */
  disabledAsked?: DisabledAsked[];
  /**
   * Desativar rows whose CPF has no account: nothing is done for them, and the report says so (a CPF typed
   * wrong on a request to deactivate leaves the real account active).
   */
  disableWithoutAccount?: { cpf: string; orgao: string; source: SourceRef }[];
  /**
   * Accounts missing from the forms by CPF that `--disable-missing` leaves enabled because a row names their
   * e-mail (a row refused for its CPF, or one creating a new account): most likely the same person, with a
   * CPF typed wrong or changed. The report names both, for the operator to settle.
   */
  keptByEmail?: { dn: string; login: string; cpf: string; source: SourceRef }[];
}

export interface DisabledAsked {
  /** Where the account is after this plan (its new órgão OU when it moves). */
  dn: string;
  orgao: string;
  cpf: string;
  login: string;
  source: SourceRef;
}
