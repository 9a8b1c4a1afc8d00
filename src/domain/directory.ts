/**
 * What the tool observed in the directory. Attribute values are strings (single-valued ones as read);
 * names are the LDAP attribute names as AD spells them.
 */

/** Attributes the tool owns on a person's account and compares on every plan. */
export const MANAGED_USER_ATTRIBUTES = [
  'displayName',
  'givenName',
  'sn',
  'mail',
  'title',
  'department',
  'company',
  'telephoneNumber',
  'description',
] as const;
export type ManagedUserAttribute = (typeof MANAGED_USER_ATTRIBUTES)[number];
export type UserAttributes = Partial<Record<ManagedUserAttribute, string>>;

export interface ObservedUser {
  dn: string;
  sAMAccountName: string;
  userPrincipalName?: string;
  /** CPF digits: the correlation key. */
  employeeID?: string;
  userAccountControl: number;
  attributes: UserAttributes;
  /** DNs of groups the user is a member of (memberOf). */
  memberOf: string[];
  uSNChanged: string;
  whenChanged?: string;
}

export interface ObservedGroup {
  dn: string;
  members: string[];
  uSNChanged: string;
}

export interface ObservedTrainingAccount {
  dn: string;
  sAMAccountName: string;
  userAccountControl: number;
  /** AD FILETIME as a decimal string ("0" when never set). */
  pwdLastSet: string;
  lockoutTime: string;
  uSNChanged: string;
}

/** A snapshot of the managed part of the directory, plus the domain-wide names that constrain new logins. */
export interface DirectorySnapshot {
  /** ISO time of the observation. */
  observedAt: string;
  /** Where it came from (URL), or "offline". */
  source: string;
  baseDN: string;
  /** Existing OUs under the managed root (DNs as returned by the server). */
  ous: string[];
  groups: ObservedGroup[];
  users: ObservedUser[];
  trainingAccounts: ObservedTrainingAccount[];
  /** Every sAMAccountName in the domain, lowercased. */
  takenLogins: string[];
  /** Every userPrincipalName in the domain, lowercased. */
  takenUpns: string[];
  /**
   * Accounts this tool made (its description, or under the managed root) outside the managed users branch,
   * with the CPF their employeeID holds: a person the forms name who has one is not new. Absent offline.
   */
  cpfsElsewhere?: { cpf: string; dn: string }[];
}

/** A directory with nothing in it: what `--offline` plans against. */
export function emptySnapshot(baseDN: string, observedAt: string): DirectorySnapshot {
  return {
    observedAt,
    source: 'offline',
    baseDN,
    ous: [],
    groups: [],
    users: [],
    trainingAccounts: [],
    takenLogins: [],
    takenUpns: [],
  };
}
