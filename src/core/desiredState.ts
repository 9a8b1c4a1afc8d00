/**
 * What the directory should hold for each person and órgão, before looking at the directory.
 * Names that depend on what already exists (the final login and CN) are settled by assemblePlan.
 */
import type { UserAttributes } from '../domain/directory.js';
import { PERFIS, type Perfil, type Person, type SourceRef } from '../domain/form.js';
import type { NamingPolicy } from '../domain/policy.js';
import { directoryValues } from '../messages/directory-values.js';
import { childDn, escapeDnValue, normaliseDn, splitDn } from './dn.js';
import { flat } from './flat.js';
import { managedLayout } from './layout.js';
import { memo } from './memo.js';
import { AD_LIMITS, deriveLoginBase, displayNameOf, splitGivenSn, truncateChars } from './names.js';

export interface DesiredGroup {
  dn: string;
  /** sAMAccountName and CN. */
  name: string;
  orgao?: string;
}

export interface DesiredAccount {
  person: Person;
  source: SourceRef;
  /** The órgão's OU under the users branch: where a new account is created. */
  ouDn: string;
  displayName: string;
  /** The login before collisions are resolved. */
  loginBase: string;
  /** Every managed attribute the person should have; absent means "should be empty". */
  attributes: UserAttributes;
  groups: DesiredGroup[];
}

export interface DesiredTrainingAccount {
  dn: string;
  ouDn: string;
  orgao: string;
  cn: string;
  login: string;
  upn: string;
}

/** A group template with its placeholders filled. */
export function groupName(template: string, values: { orgao?: string; perfil?: string }): string {
  return template.replaceAll('{ORGAO}', values.orgao ?? '').replaceAll('{perfil}', values.perfil ?? '');
}

function groupIn(groupsDn: string, name: string, orgao?: string): DesiredGroup {
  const dn = `CN=${escapeDnValue(name)},${groupsDn}`;
  return orgao === undefined ? { dn, name } : { dn, name, orgao };
}

/** The group that gives `perfil` to people of `orgao`, or undefined when that perfil has no group. */
export function perfilGroupFor(policy: NamingPolicy, orgao: string, perfil: Perfil): DesiredGroup | undefined {
  const template = policy.perfilGroups[perfil];
  return template?.trim() ? groupIn(managedLayout(policy).groupsDn, groupName(template, { orgao, perfil })) : undefined;
}

/** Absent rather than empty, so "clear this attribute" reads the same as "never had it". */
function optional(value: string | undefined, max?: number): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  return max === undefined ? v : truncateChars(v, max);
}

/** The managed `description` of a person's account. */
export function managedDescription(municipio: string): string {
  return truncateChars(directoryValues.description(municipio), AD_LIMITS.description);
}

export function deriveDesiredAccounts(people: Person[], policy: NamingPolicy): DesiredAccount[] {
  return people.map(desiredAccountDeriver(policy));
}

/**
 * deriveDesiredAccounts one person at a time, for a caller that uses each account once: with 10⁵ people,
 * an array of them all lived through the whole plan and the garbage collector copied it again and again.
 */
export function desiredAccountDeriver(policy: NamingPolicy): (person: Person) => DesiredAccount {
  const layout = managedLayout(policy);
  // What every person of one órgão (or município) shares is built once and shared: with 10⁵ people the
  // copies were most of the plan's memory.
  const ouDns = memo((orgao: string) => layout.orgaoUsersDn(orgao));
  const descriptions = memo(managedDescription);
  const groupLists = new Map<string, DesiredGroup[]>();
  const groupsOf = ({ orgao, perfil }: Person): DesiredGroup[] => {
    const key = `${orgao}\0${perfil}`;
    let groups = groupLists.get(key);
    if (groups === undefined) {
      groups = [groupIn(layout.groupsDn, groupName(policy.orgaoGroup, { orgao }), orgao)];
      const perfilTemplate = policy.perfilGroups[perfil];
      const perfilGroup = perfilTemplate ? groupIn(layout.groupsDn, groupName(perfilTemplate, { orgao, perfil })) : undefined;
      // A perfil group that is the órgão's own group under another spelling (órgão ADM, administrador
      // "SEI-ADM") is listed once: the account joins it once.
      if (perfilGroup && normaliseDn(perfilGroup.dn) !== normaliseDn(groups[0]?.dn ?? '')) groups.push(perfilGroup);
      groupLists.set(key, groups);
    }
    return groups;
  };
  return (person) => {
    const displayName = displayNameOf(person);
    const { givenName, sn } = splitGivenSn(displayName);
    // mail and telephoneNumber are not cut: a shortened address or number is wrong, not shorter.
    const attributes = attributesOf({
      company: optional(person.municipio, AD_LIMITS.company),
      department: optional(person.unidade, AD_LIMITS.department),
      description: descriptions(person.municipio),
      displayName: truncateChars(displayName, AD_LIMITS.displayName),
      givenName,
      mail: optional(person.email),
      sn,
      telephoneNumber: optional(person.telefone),
      title: optional(person.cargo, AD_LIMITS.title),
    });
    return {
      person,
      source: { file: person.file, line: person.line },
      ouDn: ouDns(person.orgao),
      displayName,
      loginBase: deriveLoginBase(person, policy.loginStrategy),
      attributes,
      groups: groupsOf(person),
    };
  };
}

/**
 * The attributes with a value, keys in order (the plan's JSON then needs no re-sorting). `all` is returned
 * as it is when every attribute has one, as for most people: an object literal holds its values in itself,
 * where one filled key by key past four keys needs a second allocation (10⁵ people: 10 MB).
 */
function attributesOf(all: Record<keyof Required<UserAttributes>, string | undefined>): UserAttributes {
  let complete = true;
  for (const k in all) if (!all[k as keyof UserAttributes]) complete = false;
  if (complete) return all;
  const present: UserAttributes = {};
  for (const k in all) {
    const v = all[k as keyof UserAttributes];
    if (v) present[k as keyof UserAttributes] = v;
  }
  return present;
}

/**
 * Whether a group could be one the tool puts people in, by its name alone: right in the groups OU, named by
 * the órgão-group template (for any possible sigla) or a perfil-group template, and not a training group.
 * What a saved plan may take members out of; the planner itself uses the exact list (personGroupMatcher).
 */
export function personGroupPattern(policy: NamingPolicy): (groupDn: string) => boolean {
  const people = [policy.orgaoGroup, ...Object.values(policy.perfilGroups)].filter((t): t is string => !!t?.trim()).map(templatePattern);
  return groupNameTest(policy, (name) => people.some((p) => p.test(name)));
}

/**
 * The perfil a group gives, by its name alone (a perfil-group template, for any órgão sigla), or undefined
 * for any other group: how the planner tells which perfil an account holds when a form leaves it blank.
 */
export function perfilOfGroup(policy: NamingPolicy): (groupDn: string) => Perfil | undefined {
  const patterns = PERFIS.flatMap((perfil) => {
    const template = policy.perfilGroups[perfil];
    return template?.trim() ? [{ perfil, pattern: templatePattern(template.replaceAll('{perfil}', perfil)) }] : [];
  });
  let found: Perfil | undefined;
  const test = groupNameTest(policy, (name) => {
    found = patterns.find((p) => p.pattern.test(name))?.perfil;
    return found !== undefined;
  });
  return (groupDn) => (test(groupDn) ? found : undefined);
}

/** A group-name template as a pattern: {ORGAO} any sigla a form may give, {perfil} any perfil; case ignored. */
function templatePattern(template: string): RegExp {
  const literal = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const source = literal.replaceAll('{ORGAO}', '[A-Za-z0-9]{2,10}').replaceAll('{perfil}', `(?:${PERFIS.join('|')})`);
  return new RegExp(`^${source}$`, 'i');
}

/** A test of groups right in the groups OU, never training groups, by the name `accept` approves. */
function groupNameTest(policy: NamingPolicy, accept: (name: string) => boolean): (groupDn: string) => boolean {
  const groupsKey = normaliseDn(managedLayout(policy).groupsDn);
  const training = templatePattern(policy.trainingGroup);
  return (groupDn) => {
    const split = splitDn(groupDn);
    if (!split || split.rdn.type.toLowerCase() !== 'cn' || normaliseDn(split.parentDn) !== groupsKey) return false;
    const name = split.rdn.value;
    return !training.test(name) && accept(name);
  };
}

/**
 * Whether a group is one the tool puts people in: the órgão group of one of `orgaos` (the órgãos of the forms
 * and those with an OU under the users branch) or a perfil group, exactly as the naming policy names them.
 * Only such memberships are ever taken from a person: a group an administrator made by hand, even in the same
 * OU and with a name like the tool's ("SEI-Gestores"), is never touched, and neither are training groups.
 */
export function personGroupMatcher(policy: NamingPolicy, orgaos: Iterable<string>): (groupDn: string) => boolean {
  const groupsDn = managedLayout(policy).groupsDn;
  const dnOf = (name: string): string => normaliseDn(`CN=${escapeDnValue(name)},${groupsDn}`);
  const perfilTemplates = Object.entries(policy.perfilGroups).filter((e): e is [string, string] => !!e[1]?.trim());
  const names = new Set<string>();
  const training = new Set<string>();
  for (const orgao of new Set([...orgaos].map((o) => o.toUpperCase()))) {
    names.add(dnOf(groupName(policy.orgaoGroup, { orgao })));
    for (const [perfil, template] of perfilTemplates) names.add(dnOf(groupName(template, { orgao, perfil })));
    training.add(dnOf(groupName(policy.trainingGroup, { orgao })));
  }
  // A perfil group named without {ORGAO} is one group for every órgão, there even when no órgão is known.
  for (const [perfil, template] of perfilTemplates) if (!template.includes('{ORGAO}')) names.add(dnOf(groupName(template, { perfil })));
  return (groupDn) => {
    const key = normaliseDn(groupDn);
    return names.has(key) && !training.has(key);
  };
}

/**
 * The per-órgão training group. It lives in the groups OU with every other group the tool makes, so the
 * training OUs hold only the throwaway accounts and can be emptied without touching group nesting.
 */
export function deriveTrainingGroup(orgao: string, policy: NamingPolicy): DesiredGroup {
  return groupIn(managedLayout(policy).groupsDn, groupName(policy.trainingGroup, { orgao }), orgao);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
/** usuario01, usuario02…: the CN of a training account, and the start of its login. */
const TRAINING_NAME = 'usuario';

/** usuario01…usuarioNN per órgão, in the order given; a repeated órgão is listed once. */
export function deriveTrainingAccounts(orgaos: string[], policy: NamingPolicy): DesiredTrainingAccount[] {
  const layout = managedLayout(policy);
  const out: DesiredTrainingAccount[] = [];
  for (const orgao of new Set(orgaos)) {
    const ouDn = layout.orgaoTrainingDn(orgao);
    for (let n = 1; n <= policy.trainingCount; n++) {
      const cn = `${TRAINING_NAME}${pad2(n)}`;
      const login = flat(cn, '.', orgao.toLowerCase());
      out.push({ dn: childDn('CN', cn, ouDn), ouDn, orgao, cn, login, upn: flat(login, '@', policy.upnSuffix) });
    }
  }
  return out;
}

/**
 * Whether `login` is one deriveTrainingAccounts gives these órgãos' accounts (`usuarioNN.<órgão>`): a test rather
 * than a set of them all, which with 645 órgãos is 64 k logins held through the whole plan.
 */
export function trainingLoginTest(orgaos: string[], policy: NamingPolicy): (login: string) => boolean {
  const suffixes = new Set(orgaos.map((o) => o.toLowerCase()));
  return (login) => {
    if (!login.startsWith(TRAINING_NAME)) return false;
    const dot = login.indexOf('.', TRAINING_NAME.length);
    if (dot < 0) return false;
    const nn = login.slice(TRAINING_NAME.length, dot);
    const n = Number(nn);
    return n >= 1 && n <= policy.trainingCount && pad2(n) === nn && suffixes.has(login.slice(dot + 1));
  };
}
