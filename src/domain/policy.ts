import type { FieldKey, Perfil } from './form.js';

/**
 * Everything the pure core needs to know about naming and layout. Built from config by the CLI;
 * the core never reads config itself.
 */
export interface NamingPolicy {
  baseDN: string;
  upnSuffix: string;
  /** OU names, outermost first under baseDN: the managed root, then users and training branches. */
  rootOu: string; // "SEI Cidades"
  usersOu: string; // "Usuarios"
  trainingOu: string; // "Treinamento"
  groupsOu: string; // "Grupos"
  /** 'first.last' | 'cpf' | a template such as '{first}.{last}' or '{first}{last}'. */
  loginStrategy: string;
  /** Group name templates: '{ORGAO}' and '{perfil}' are substituted. */
  orgaoGroup: string; // "SEI-{ORGAO}"
  perfilGroups: Partial<Record<Perfil, string>>; // e.g. { interlocutor: "SEI-Interlocutores" }
  trainingCount: number; // 1..99
  trainingGroup: string; // per-órgão training group name template, e.g. "SEI-Treinamento-{ORGAO}"
  trainingParentGroupDn: string; // DN of SEI-Treinamento
}

/** Config override of the header map: canonical key → extra accepted header spellings. */
export type HeaderAliases = Partial<Record<FieldKey, string[]>>;
