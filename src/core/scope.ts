/**
 * The last line of defence before a write: every DN a plan touches must lie in the managed subtree, and
 * no privileged group may be created, joined or given members, whatever the config or the forms say.
 */
import { MANAGED_USER_ATTRIBUTES } from '../domain/directory.js';
import type { Plan } from '../domain/plan.js';
import type { NamingPolicy } from '../domain/policy.js';
import { scopeMessages } from '../messages/scope.js';
import { dnEquals, isDnUnder, spellsRootPlainly, tryParseDn } from './dn.js';
import { managedLayout } from './layout.js';
import { personGroupPattern } from './desiredState.js';

/**
 * True when `dn` is one of the roots or lies under one. A DN that does not parse, or spells the root with an
 * invisible character or a decomposed accent (see spellsRootPlainly), is never in scope.
 */
export function checkScope(dn: string, managedRoots: string[]): boolean {
  if (tryParseDn(dn) === null) return false;
  return managedRoots.some((root) => spellsRootPlainly(dn, root) && (dnEquals(dn, root) || isDnUnder(dn, root)));
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Built-in and well-known administrative groups, by CN. English names plus the pt-BR names Windows
 * Server gives them on Portuguese installations (best effort: a false match only blocks a write).
 */
const PRIVILEGED_CNS: ReadonlySet<string> = new Set(
  [
    'Domain Admins',
    'Enterprise Admins',
    'Schema Admins',
    'Administrators',
    'Account Operators',
    'Backup Operators',
    'Server Operators',
    'Print Operators',
    'Domain Controllers',
    'Read-only Domain Controllers',
    'Enterprise Read-only Domain Controllers',
    'Group Policy Creator Owners',
    'Key Admins',
    'Enterprise Key Admins',
    'DnsAdmins',
    'Cert Publishers',
    'Replicator',
    'Incoming Forest Trust Builders',
    'Admins. do domínio',
    'Admins. corporativos',
    'Administradores',
    'Administradores de esquema',
    'Opers. de contas',
    'Operadores de cópia',
    'Opers. de servidores',
    'Operadores de impressão',
    'Controladores de domínio',
    'Proprietários criadores de diretiva de grupo',
  ].map(fold),
);

/** A group whose membership grants domain power: by CN (case and accents ignored), or anything in CN=Builtin. */
export function isPrivilegedGroup(dn: string): boolean {
  const rdns = tryParseDn(dn);
  const first = rdns?.[0];
  if (!rdns || !first) return false;
  if (first.type.toLowerCase() === 'cn' && PRIVILEGED_CNS.has(fold(first.value))) return true;
  return rdns.slice(1).some((r) => r.type.toLowerCase() === 'cn' && fold(r.value) === 'builtin');
}

/** The attributes a plan may write on a person; anything else (primaryGroupID, userAccountControl…) is a hand edit. */
const PLAN_ATTRIBUTES: ReadonlySet<string> = new Set(MANAGED_USER_ATTRIBUTES.map((a) => a.toLowerCase()));
const ACCOUNTDISABLE = 0x2;

/**
 * Every violation in the plan, one pt-BR sentence each; empty means the plan may be applied.
 * The training parent group gets no special pass: joining it is allowed only because, like everything
 * else written, it lies under the managed root.
 */
export function assertPlanInScope(plan: Plan, policy: NamingPolicy): string[] {
  const layout = managedLayout(policy);
  const isPersonGroupName = personGroupPattern(policy);
  const root = layout.rootDn;
  const roots = [root];
  const violations: string[] = [];
  const inScope = (kind: string, dn: string): void => {
    if (!checkScope(dn, roots)) violations.push(scopeMessages.outside(kind, dn, root));
  };
  const group = (kind: string, dn: string): void => {
    inScope(kind, dn);
    if (isPrivilegedGroup(dn)) violations.push(scopeMessages.privileged(kind, dn));
  };
  // A saved plan is a file: only the attributes the tool manages may be written, or primaryGroupID 512
  // would make someone a Domain Admin without any `member` write.
  const attribute = (kind: string, dn: string, name: string): void => {
    if (!PLAN_ATTRIBUTES.has(name.toLowerCase())) violations.push(scopeMessages.unmanagedAttribute(kind, dn, name));
  };
  for (const c of plan.changes) {
    switch (c.kind) {
      case 'create-ou':
        inScope(c.kind, c.dn);
        break;
      case 'create-training-account':
        // Its password is its name: a change pointing anywhere but the training branch (at a person's
        // account, say) would set a known password there.
        if (!checkScope(c.dn, [layout.trainingDn])) violations.push(scopeMessages.outsideTraining(c.dn, layout.trainingDn));
        break;
      case 'update-user':
        inScope(c.kind, c.dn);
        for (const change of c.changes) attribute(c.kind, c.dn, change.attribute);
        // A change of órgão moves a person's account between órgão OUs, never anything else anywhere else.
        if (c.moveTo !== undefined && !(isDnUnder(c.dn, layout.usersDn) && isDnUnder(c.moveTo, layout.usersDn))) {
          violations.push(scopeMessages.moveOutsideUsers(c.dn, layout.usersDn));
        }
        break;
      case 'disable-user':
        inScope(c.kind, c.dn);
        if ((c.userAccountControl & ACCOUNTDISABLE) === 0) violations.push(scopeMessages.disableThatEnables(c.dn, c.userAccountControl));
        break;
      case 'create-group':
        group(c.kind, c.dn);
        break;
      case 'create-user':
        inScope(c.kind, c.dn);
        for (const g of c.groups) group(c.kind, g);
        for (const name of Object.keys(c.attributes)) attribute(c.kind, c.dn, name);
        break;
      case 'add-member':
        group(c.kind, c.groupDn);
        // Members are checked like groups: the tool never nests a privileged group anywhere either.
        for (const m of c.memberDns) group(c.kind, m);
        break;
      case 'remove-member':
        // Only people leave only people's groups: never a training group out of the PSO group, never a
        // group elsewhere under the root.
        group(c.kind, c.groupDn);
        if (!isPersonGroupName(c.groupDn)) violations.push(scopeMessages.removalNotPeoplesGroup(c.groupDn));
        for (const m of c.memberDns) {
          group(c.kind, m);
          if (!isDnUnder(m, layout.usersDn)) violations.push(scopeMessages.removalNotPerson(m, layout.usersDn));
        }
        break;
    }
  }
  return violations;
}
