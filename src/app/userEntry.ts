import type { CreateUser } from '../domain/plan.js';
import type { AttributeValues } from '../ports/Directory.js';

/** AD userAccountControl flags the tool writes. */
export const UAC = {
  /** NORMAL_ACCOUNT: enabled. */
  normal: 512,
  /** NORMAL_ACCOUNT | ACCOUNTDISABLE. */
  disabled: 514,
  /** NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD: training accounts. */
  normalNoExpire: 66048,
  /** NORMAL_ACCOUNT | ACCOUNTDISABLE | DONT_EXPIRE_PASSWORD. */
  disabledNoExpire: 66050,
  accountDisableBit: 2,
} as const;

/**
 * The one add that creates a person's account: every attribute plus `userAccountControl` 512 and
 * `pwdLastSet` 0 (change at first logon); the password travels in the same operation, so the account
 * exists complete or not at all.
 */
export function newUserEntry(change: CreateUser): AttributeValues {
  const entry: AttributeValues = {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: change.login,
    userPrincipalName: change.upn,
    employeeID: change.cpf,
    userAccountControl: String(UAC.normal),
    pwdLastSet: '0',
  };
  for (const [k, v] of Object.entries(change.attributes)) if (v) entry[k] = v;
  return entry;
}
