import { MANAGED_USER_ATTRIBUTES, type DirectorySnapshot, type ObservedTrainingAccount, type ObservedUser, type UserAttributes } from '../../domain/directory.js';
import type { NamingPolicy } from '../../domain/policy.js';
import { managedLayout } from '../../core/layout.js';
import { cpfKey } from '../../core/cpf.js';
import { directoryValues } from '../../messages/directory-values.js';
import type { RawEntry } from '../../ports/Directory.js';
import { DirectoryError } from '../../domain/errors.js';
import { directoryMessages } from '../../messages/directory.js';

type Search = (base: string, filter: string, attributes: string[]) => Promise<RawEntry[]>;

const first = (e: RawEntry, name: string): string | undefined => e.attributes[name.toLowerCase()]?.[0];

/** What drift detection needs of a training account. */
export function toObservedTrainingAccount(e: RawEntry): ObservedTrainingAccount {
  return {
    dn: e.dn,
    sAMAccountName: first(e, 'sAMAccountName') ?? '',
    userAccountControl: Number(first(e, 'userAccountControl') ?? 0),
    pwdLastSet: first(e, 'pwdLastSet') ?? '0',
    lockoutTime: first(e, 'lockoutTime') ?? '0',
    uSNChanged: first(e, 'uSNChanged') ?? '0',
  };
}

function toObservedUser(e: RawEntry): ObservedUser {
  const attributes: UserAttributes = {};
  for (const a of MANAGED_USER_ATTRIBUTES) {
    const v = first(e, a);
    if (v !== undefined) attributes[a] = v;
  }
  const user: ObservedUser = {
    dn: e.dn,
    sAMAccountName: first(e, 'sAMAccountName') ?? '',
    userAccountControl: Number(first(e, 'userAccountControl') ?? 0),
    attributes,
    memberOf: e.attributes.memberof ?? [],
    uSNChanged: first(e, 'uSNChanged') ?? '0',
  };
  const upn = first(e, 'userPrincipalName');
  if (upn !== undefined) user.userPrincipalName = upn;
  const employeeID = first(e, 'employeeID');
  if (employeeID !== undefined) user.employeeID = employeeID;
  const whenChanged = first(e, 'whenChanged');
  if (whenChanged !== undefined) user.whenChanged = whenChanged;
  return user;
}

/**
 * Accounts this tool made (its description, or a place under the managed root) that are outside the managed
 * users branch, with the CPF their employeeID holds: where a renamed or moved users OU, or a mistyped root,
 * leaves the people of the forms. Other accounts of the domain with a CPF in employeeID (another system's)
 * are not counted. DNs are compared as the server writes them, without parsing 10⁵ of them.
 */
function accountsOfOursElsewhere(entries: RawEntry[], layout: { rootDn: string; usersDn: string }): { cpf: string; dn: string }[] {
  // As the server writes DNs: no space after a comma, whatever the base DN in the config has.
  const spelled = (dn: string): string => dn.toLowerCase().replace(/,\s+/g, ',');
  const underRoot = `,${spelled(layout.rootDn)}`;
  const underUsers = `,${spelled(layout.usersDn)}`;
  // The separator before the suffix must be a real one, not an escaped comma inside a value.
  const endsUnder = (dn: string, suffix: string): boolean => dn.endsWith(suffix) && dn[dn.length - suffix.length - 1] !== '\\';
  const found: { cpf: string; dn: string }[] = [];
  for (const e of entries) {
    const employeeID = first(e, 'employeeID');
    if (employeeID === undefined) continue;
    const cpf = cpfKey(employeeID);
    if (cpf.length !== 11) continue;
    const dn = spelled(e.dn);
    if (endsUnder(dn, underUsers)) continue;
    const ours = (first(e, 'description') ?? '').startsWith(directoryValues.descriptionWithoutMunicipio) || endsUnder(dn, underRoot);
    if (ours) found.push({ cpf, dn: e.dn });
  }
  return found;
}

/**
 * The search of the users branch and the one of the whole domain must agree about the users branch: an
 * account with a CPF the domain search shows there but the users search did not bring (or a user the domain
 * search did not bring) means one of them came back short — a page lost, a DC that cut the search — and a
 * plan made from it would take those people for new ones. Nothing is planned from such a read.
 */
function checkReadWhole(users: RawEntry[], names: RawEntry[], usersDn: string): void {
  const spelled = (dn: string): string => dn.toLowerCase().replace(/,\s+/g, ',');
  const underUsers = `,${spelled(usersDn)}`;
  const inUsers = new Set(users.map((u) => spelled(u.dn)));
  const inNames = new Set(names.map((e) => spelled(e.dn)));
  const missed = names.find((e) => {
    const dn = spelled(e.dn);
    return dn.endsWith(underUsers) && dn[dn.length - underUsers.length - 1] !== '\\' && cpfKey(first(e, 'employeeID')).length === 11 && !inUsers.has(dn);
  });
  const unnamed = missed ? undefined : users.find((u) => !inNames.has(spelled(u.dn)));
  const example = missed ?? unnamed;
  if (example) {
    throw new DirectoryError(directoryMessages.incompleteRead(usersDn, example.dn), { resultCode: 0, dn: usersDn, operation: 'search', transient: true });
  }
}

/**
 * The observation a plan needs, in five paged searches whatever the number of people: the managed OUs,
 * groups, people and training accounts, and every login and UPN of the domain (they are domain-unique),
 * with the CPF (employeeID) of the accounts outside the managed users branch.
 */
export async function buildSnapshot(
  searchOnce: Search,
  policy: NamingPolicy,
  now: string,
  source: string,
  onSearchDone?: () => void,
): Promise<DirectorySnapshot> {
  const search: Search = async (base, filter, attributes) => {
    const entries = await searchOnce(base, filter, attributes);
    onSearchDone?.();
    return entries;
  };
  const layout = managedLayout(policy);
  const [ous, groups, users, training, names] = await Promise.all([
    search(layout.rootDn, '(objectClass=organizationalUnit)', ['1.1']),
    search(layout.rootDn, '(objectClass=group)', ['member', 'uSNChanged']),
    search(layout.usersDn, '(&(objectCategory=person)(objectClass=user))', [
      'sAMAccountName',
      'userPrincipalName',
      'employeeID',
      'userAccountControl',
      'memberOf',
      'uSNChanged',
      'whenChanged',
      ...MANAGED_USER_ATTRIBUTES,
    ]),
    search(layout.trainingDn, '(&(objectCategory=person)(objectClass=user))', [
      'sAMAccountName',
      'userAccountControl',
      'pwdLastSet',
      'lockoutTime',
      'uSNChanged',
    ]),
    search(policy.baseDN, '(|(sAMAccountName=*)(userPrincipalName=*))', ['sAMAccountName', 'userPrincipalName', 'employeeID', 'description']),
  ]);
  checkReadWhole(users, names, layout.usersDn);
  return {
    observedAt: now,
    source,
    baseDN: policy.baseDN,
    ous: ous.map((e) => e.dn),
    groups: groups.map((e) => ({ dn: e.dn, members: e.attributes.member ?? [], uSNChanged: first(e, 'uSNChanged') ?? '0' })),
    users: users.map(toObservedUser),
    trainingAccounts: training.map(toObservedTrainingAccount),
    takenLogins: names.flatMap((e) => e.attributes.samaccountname ?? []).map((s) => s.toLowerCase()),
    takenUpns: names.flatMap((e) => e.attributes.userprincipalname ?? []).map((s) => s.toLowerCase()),
    cpfsElsewhere: accountsOfOursElsewhere(names, layout),
  };
}
