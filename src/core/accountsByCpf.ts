/**
 * Which existing account answers for each CPF the forms name: the correlation of people with accounts, by
 * CPF only (the employeeID the tool writes).
 */
import type { ObservedUser } from '../domain/directory.js';
import type { Person } from '../domain/form.js';
import { cpfKey } from './cpf.js';
import { isEnabled } from './disables.js';
import { byDn, splitDn } from './dn.js';
import { orgaoUnder } from './ExistingAccounts.js';

/**
 * With two accounts for one CPF (a manual mistake) an enabled one wins over a disabled one (a "desativar"
 * must reach the account still in use), then one already in the órgão the forms give, then the lowest login.
 * Never by DN: the plan renames and moves the one it picks, and the next run, choosing by the new DN, would
 * pick the other and give it the same name (and a move) in turn. `alsoEnabled`: the other enabled accounts
 * of a CPF that has more than one, which a "desativar" disables too.
 */
export function accountsByCpf(
  users: readonly ObservedUser[],
  people: readonly Pick<Person, 'cpf' | 'orgao'>[],
  usersDn: string,
): { usersByCpf: Map<string, ObservedUser>; alsoEnabled: Map<string, ObservedUser[]> } {
  // An empty directory (an offline plan, a first run) has nobody to choose: no map of 10⁵ people to build.
  if (users.length === 0) return { usersByCpf: new Map(), alsoEnabled: new Map() };
  const orgaoOfCpf = new Map(people.map((p) => [cpfKey(p.cpf), p.orgao.toUpperCase()]));
  const inItsOrgao = (u: ObservedUser, cpf: string): boolean => orgaoUnder(splitDn(u.dn)?.parentDn ?? '', usersDn).toUpperCase() === orgaoOfCpf.get(cpf);
  const better = (u: ObservedUser, than: ObservedUser, cpf: string): boolean => {
    const [a, b] = [isEnabled(u.userAccountControl), isEnabled(than.userAccountControl)];
    if (a !== b) return a;
    const [x, y] = [inItsOrgao(u, cpf), inItsOrgao(than, cpf)];
    if (x !== y) return x;
    return u.sAMAccountName.toLowerCase() < than.sAMAccountName.toLowerCase();
  };
  const usersByCpf = new Map<string, ObservedUser>();
  for (const u of [...users].sort(byDn)) {
    const cpf = cpfKey(u.employeeID);
    const chosen = usersByCpf.get(cpf);
    if (cpf && (!chosen || better(u, chosen, cpf))) usersByCpf.set(cpf, u);
  }
  const alsoEnabled = new Map<string, ObservedUser[]>();
  for (const u of users) {
    const cpf = cpfKey(u.employeeID);
    if (cpf && isEnabled(u.userAccountControl) && usersByCpf.get(cpf) !== u) alsoEnabled.set(cpf, [...(alsoEnabled.get(cpf) ?? []), u]);
  }
  return { usersByCpf, alsoEnabled };
}
