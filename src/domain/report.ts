import type { FieldKey, InputWarning, Perfil, SourceRef } from './form.js';
import type { AttributeChange, DisableUser } from './plan.js';

/**
 * The report an operator reads before (dry run) and after (apply) a run: plain data computed once by
 * `summarisePlan`, then printed by each renderer without further computation.
 * No full CPF ever enters it: every CPF is masked (`***.456.789-**`), so any rendering is safe to mail.
 */
export const REPORT_VERSION = 2;

export type OutcomeStatus = 'done' | 'failed' | 'skipped';

/** What happened to one change of the plan when it was applied. */
export interface ChangeOutcome {
  /** Index into `plan.changes`. */
  index: number;
  status: OutcomeStatus;
  /** pt-BR sentence for the operator (for failures: what went wrong and what to do). */
  message?: string;
  /** LDAP result code, when the directory answered with one. */
  resultCode?: number;
}

/** Counts of the whole run. People and training accounts are counted apart. */
export interface ReportSummary {
  /** Data rows read from every input file. */
  rows: number;
  /** People kept after validation (one per CPF). */
  valid: number;
  /** Distinct rejected rows (file + line), however many problems each one had. */
  rejected: number;
  /** Rows replaced by a later row of the same CPF. */
  superseded: number;
  create: number;
  update: number;
  disable: number;
  unchanged: number;
  trainingCreate: number;
}

/** Present only once the plan has been applied (outcomes given). */
export interface ReportResults {
  done: number;
  failed: number;
  skipped: number;
  /** Changes with no recorded outcome (the run stopped before them). */
  pending: number;
}

export type ReportOutcome = Omit<ChangeOutcome, 'index'>;

/** A DN together with its first RDN value, which is what an operator recognises. */
export interface NamedDn {
  dn: string;
  name: string;
}

interface ReportChangeBase {
  /** Index into `plan.changes`. */
  index: number;
  dn: string;
  outcome?: ReportOutcome;
}

export interface ReportCreateUser extends ReportChangeBase {
  kind: 'create-user';
  orgao: string;
  municipio: string;
  login: string;
  upn: string;
  nome: string;
  cpfMasked: string;
  email: string;
  perfil: Perfil;
  /** Names (CNs) of the groups the account joins; their DNs are on the create-group and add-member changes. */
  groups: string[];
  source: SourceRef;
}

export interface ReportUpdateUser extends ReportChangeBase {
  kind: 'update-user';
  orgao: string;
  login: string;
  nome?: string;
  cpfMasked: string;
  changes: AttributeChange[];
  /** The DN the account moves to (a change of órgão or of name), and the órgão OU it leaves (órgão only). */
  moveTo?: string;
  movedFrom?: string;
  source: SourceRef;
}

export interface ReportDisableUser extends ReportChangeBase {
  kind: 'disable-user';
  orgao: string;
  login: string;
  nome?: string;
  cpfMasked: string;
  reason: DisableUser['reason'];
  description: string;
  source?: SourceRef;
}

/** `dn` is the group's DN. Members leaving may sit anywhere under the users branch: each keeps its DN. */
export interface ReportRemoveMember extends ReportChangeBase {
  kind: 'remove-member';
  group: string;
  members: NamedDn[];
}

/** A training account reported on its own: one an apply did not create (failed, skipped or never reached). */
export interface ReportCreateTrainingAccount extends ReportChangeBase {
  kind: 'create-training-account';
  orgao: string;
  login: string;
  upn: string;
  cn: string;
}

/**
 * An órgão's training accounts that need no attention (planned, or created by an apply), as one entry: they
 * are 99 of the same kind, and one line each made them most of every report. `index` is the first one's
 * place in plan.changes; `dn` the órgão's training OU, where every one of them is. After an apply,
 * `outcome` is the shared result (done); the others are listed apart, as create-training-account entries.
 */
export interface ReportTrainingAccounts extends ReportChangeBase {
  kind: 'create-training-accounts';
  orgao: string;
  count: number;
  /** Their CNs (what a trainee types as user name), in plan order. */
  cns: string[];
}

export interface ReportCreateOu extends ReportChangeBase {
  kind: 'create-ou';
}

export interface ReportCreateGroup extends ReportChangeBase {
  kind: 'create-group';
  name: string;
  orgao?: string;
}

/**
 * `dn` is the group's DN; `members` the names (CNs) of the accounts joining it. The DN of each is on its
 * own change (a new account) or in the directory: repeating them here doubled the size of relatorio.json.
 */
export interface ReportAddMember extends ReportChangeBase {
  kind: 'add-member';
  group: string;
  members: string[];
}

export type ReportChange =
  | ReportCreateOu
  | ReportCreateGroup
  | ReportCreateUser
  | ReportUpdateUser
  | ReportDisableUser
  | ReportAddMember
  | ReportRemoveMember
  | ReportCreateTrainingAccount
  | ReportTrainingAccounts;

export type ReportChangeKind = ReportChange['kind'];

export type ReportStructureChange = ReportCreateOu | ReportCreateGroup | ReportAddMember | ReportRemoveMember;

export interface ReportUnchanged {
  dn: string;
  login: string;
  nome?: string;
  cpfMasked: string;
}

/** A person the forms include or alter whose account stays disabled (the tool never re-enables). */
export interface ReportDisabledAsked {
  orgao: string;
  login: string;
  nome?: string;
  cpfMasked: string;
  dn: string;
  source: SourceRef;
}

export interface ReportRejection extends SourceRef {
  field: FieldKey | null;
  reason: string;
}

export interface ReportSuperseded extends SourceRef {
  cpfMasked: string;
  by: SourceRef;
}

/**
 * What an operator types into SEI's SIP (authentication via LDAP) for an órgão's training accounts.
 * The names mirror SIP's own field labels.
 */
export interface SipSettings {
  /** The órgão's training OU DN. */
  contexto: string;
  atributoFiltro: 'cn';
  atributoRetorno: 'distinguishedName';
  /** Equivalent setup filtering on the login, which carries the órgão as a suffix. */
  alternativa: { atributoFiltro: 'sAMAccountName'; sufixo: string };
}

export interface ReportOrgao {
  orgao: string;
  /** The município(s) of the órgão's people, comma-separated when several. */
  municipio?: string;
  create: number;
  update: number;
  disable: number;
  unchanged: number;
  trainingCreate: number;
  people: {
    create: ReportCreateUser[];
    update: ReportUpdateUser[];
    disable: ReportDisableUser[];
    unchanged: ReportUnchanged[];
  };
  training: {
    /** The accounts that need no attention, as one entry (absent when there are none). */
    routine?: ReportTrainingAccounts;
    /** After an apply: the ones not created, each with its result. */
    apart: ReportCreateTrainingAccount[];
  };
  /** Only when the plan creates training accounts for the órgão. */
  sip?: SipSettings;
}

export interface StructureSummary {
  ous: number;
  groups: number;
  memberships: number;
  removals: number;
}

export interface ReportModel {
  version: typeof REPORT_VERSION;
  plan: {
    createdAt: string;
    inputs: { file: string; sha256: string }[];
    source: string;
    observedAt: string;
    baseDN: string;
  };
  summary: ReportSummary;
  results?: ReportResults;
  /**
   * Every change, in plan order; an órgão's training accounts that need no attention are one entry
   * (create-training-accounts), at the place of the first of them.
   */
  changes: ReportChange[];
  /** Sorted by sigla. */
  orgaos: ReportOrgao[];
  /** OUs, groups and memberships: the scaffolding around people. */
  structure: ReportStructureChange[];
  /** `memberships` counts members added, `removals` members taken out, over all groups. */
  structureSummary: StructureSummary;
  rejected: ReportRejection[];
  superseded: ReportSuperseded[];
  warnings: InputWarning[];
  /** Sorted by órgão and login. */
  disabledAsked: ReportDisabledAsked[];
}
