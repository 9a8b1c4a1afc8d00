/**
 * Scope: a hand-edited plan that writes outside the managed OUs, or touches a privileged group (directly,
 * by nesting, or through the back door of primaryGroupID), is refused before anything is sent; no form
 * row, whatever its perfil or órgão, puts anyone in a group outside the managed OUs.
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'ldapts';
import type { Change, Plan } from '../../src/domain/plan.js';
import { cpfFor, newWorkDir, writeForm } from '../integration/harness.js';
import { type TestSmtpServer } from '../support/smtpServer.js';
import { captured, figures } from './support/capture.js';
import { runCliWith, watchAudit } from './support/cli.js';
import { formRows, makePeople } from './support/people.js';
import { BASE, GROUPS, passwordOf, ROOT, USERS } from './support/verify.js';
import { startFaultServers, stopFaultServers } from './support/servers.js';

const PRIVILEGED = [
  `CN=Domain Admins,CN=Users,${BASE}`,
  `CN=Enterprise Admins,CN=Users,${BASE}`,
  `CN=Schema Admins,CN=Users,${BASE}`,
  `CN=Administrators,CN=Builtin,${BASE}`,
  `CN=Account Operators,CN=Builtin,${BASE}`,
];

type Tamper = (plan: Plan) => void;

const firstOf = <K extends Change['kind']>(plan: Plan, kind: K): Extract<Change, { kind: K }> => {
  const c = plan.changes.find((x) => x.kind === kind);
  if (!c) throw new Error(`the genuine plan has no ${kind}`);
  return c as Extract<Change, { kind: K }>;
};

const TAMPERS: [string, Tamper][] = [
  ['a new account in CN=Users', (p) => void (firstOf(p, 'create-user').dn = `CN=Evil,CN=Users,${BASE}`)],
  ['a new account whose escaped CN spells the managed OU under Domain Controllers', (p) => void (firstOf(p, 'create-user').dn = `CN=Evil\\,OU=Usuarios\\,OU=SEI Cidades,OU=Domain Controllers,${BASE}`)],
  ['a DN that does not parse (trailing comma)', (p) => void (firstOf(p, 'create-user').dn = `CN=Evil,OU=PMS,${USERS},`)],
  ['a DN with a multi-valued RDN', (p) => void (firstOf(p, 'create-user').dn = `CN=Evil+OU=x,OU=PMS,${USERS}`)],
  ['an OU at the domain root', (p) => p.changes.unshift({ kind: 'create-ou', dn: `OU=Evil,${BASE}` })],
  ['a group in CN=Users', (p) => p.changes.unshift({ kind: 'create-group', dn: `CN=Evil,CN=Users,${BASE}`, name: 'Evil' })],
  ['a training account in Domain Controllers', (p) => p.changes.push({ kind: 'create-training-account', dn: `CN=usuario01,OU=Domain Controllers,${BASE}`, orgao: 'PMS', login: 'x', upn: 'x@sei.local', cn: 'usuario01' })],
  ...PRIVILEGED.map((g): [string, Tamper] => [`a member added to ${g.split(',')[0]}`, (p) => p.changes.push({ kind: 'add-member', groupDn: g, memberDns: [firstOf(p, 'create-user').dn] })]),
  ['a member added to a "Domain Admins" inside the managed OUs', (p) => p.changes.push({ kind: 'add-member', groupDn: `CN=Domain Admins,${GROUPS}`, memberDns: [firstOf(p, 'create-user').dn] })],
  ['a group named Administradores created inside the managed OUs', (p) => p.changes.unshift({ kind: 'create-group', dn: `CN=Administradores,${GROUPS}`, name: 'Administradores' })],
  ['Domain Admins nested into a managed group', (p) => p.changes.push({ kind: 'add-member', groupDn: firstOf(p, 'add-member').groupDn, memberDns: [PRIVILEGED[0]!] })],
  ['a new account whose groups list Domain Admins', (p) => void firstOf(p, 'create-user').groups.push(PRIVILEGED[0]!)],
  ['primaryGroupID 512 (Domain Admins) on a new account', (p) => void ((firstOf(p, 'create-user').attributes as Record<string, string>).primaryGroupID = '512')],
  ['userAccountControl with TRUSTED_FOR_DELEGATION on a new account', (p) => void ((firstOf(p, 'create-user').attributes as Record<string, string>).userAccountControl = String(512 | 0x80000))],
  ['an update that writes userAccountControl', (p) => void firstOf(p, 'update-user').changes.push({ attribute: 'userAccountControl' as 'title', before: '512', after: '66048' })],
  ['an update that writes primaryGroupID', (p) => void (firstOf(p, 'update-user').changes[0]!.attribute = 'primaryGroupID' as 'title')],
  ['a "disable" that writes an enabled, trusted-for-delegation userAccountControl', (p) => void (firstOf(p, 'disable-user').userAccountControl = 512 | 0x80000)],
  ['a "disable" that also sets PASSWD_NOTREQD and DONT_EXPIRE_PASSWORD', (p) => void (firstOf(p, 'disable-user').userAccountControl |= 0x20 | 0x10000)],
  ['an update that moves a person into CN=Users', (p) => void (firstOf(p, 'update-user').moveTo = `CN=Evil,CN=Users,${BASE}`)],
  ['an update that moves a person into the training branch (where passwords are known)', (p) => void (firstOf(p, 'update-user').moveTo = `CN=usuario98,OU=PMS,OU=Treinamento,${ROOT}`)],
  ['an update that moves the Administrator account in', (p) => Object.assign(firstOf(p, 'update-user'), { dn: `CN=Administrator,CN=Users,${BASE}`, moveTo: `CN=Administrator,OU=PMS,${USERS}` })],
  ...PRIVILEGED.slice(0, 2).map((g): [string, Tamper] => [`a member taken out of ${g.split(',')[0]}`, (p) => p.changes.push({ kind: 'remove-member', groupDn: g, memberDns: [`CN=Administrator,CN=Users,${BASE}`] })]),
  [
    'an OU whose escaped name is the managed root behind a byte-order mark (a sibling of it on the server), and an account in it',
    (p) => {
      const twin = `OU=\\EF\\BB\\BFSEI Cidades,${BASE}`;
      p.changes.unshift({ kind: 'create-ou', dn: twin });
      const c = firstOf(p, 'create-user');
      c.dn = `CN=Evil,${twin}`;
    },
  ],
  ['servicePrincipalName on a new account', (p) => void ((firstOf(p, 'create-user').attributes as Record<string, string>).servicePrincipalName = 'HTTP/evil.sei.local')],
];

describe('scope: nothing written outside the managed OUs, no privileged group ever (real CLI, Samba)', function () {
  this.timeout(300_000);
  let smtp: TestSmtpServer;
  let client: Client;
  let work: string;
  let genuine: Plan;
  const env = () => ({ SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: smtp.caFile });

  /** Every entry outside the managed root with its members, and the whole managed tree with its uSNChanged. */
  async function snapshot(): Promise<string> {
    const { searchEntries } = await client.search(BASE, { filter: '(objectClass=*)', attributes: ['member', 'uSNChanged', 'primaryGroupID'], paged: { pageSize: 500 } });
    return searchEntries
      .map((e) => {
        const managed = e.dn.toLowerCase().endsWith(ROOT.toLowerCase());
        const members = ([] as unknown[]).concat(e.member ?? []).map(String).sort().join('|');
        return managed ? `${e.dn} usn=${String(e.uSNChanged)}` : `${e.dn} members=${members} pg=${String(e.primaryGroupID ?? '')}`;
      })
      .sort()
      .join('\n');
  }

  before(async () => {
    ({ smtp, client } = await startFaultServers());
    work = newWorkDir('sei-faults-scope-');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ naming: { trainingCount: 1 } }));
    captured.inputs.add(join(work, 'config.json'));
    // Someone already there, so a plan also holds memberships of existing groups.
    const existing = makePeople(3, 85_000, 1);
    const first = writeForm(work, 'antes.csv', formRows(existing));
    captured.inputs.add(first);
    const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', first], { env: env(), label: 'apply before the scope tests' });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    // The genuine plan: two updates, one disable, four new people and their memberships.
    const changed = formRows(existing).map((row, i) => (i < 2 ? [...row.slice(0, 5), 'Diretor', row[6]!] : [...row, 'desativar']));
    const form = writeForm(work, 'novos.csv', [...changed, ...formRows(makePeople(4, 86_000, 1))]);
    captured.inputs.add(form);
    const p = await runCliWith(work, ['plan', '--config', 'config.json', '--out', 'plano-genuino.json', form], { env: env(), label: 'plan --out' });
    expect(p.code, p.stdout + p.stderr).to.equal(0);
    genuine = JSON.parse(readFileSync(join(work, 'plano-genuino.json'), 'utf8')) as Plan;
  });
  after(async () => {
    for (const m of smtp?.messages ?? []) passwordOf(m);
    await stopFaultServers({ client, smtp });
  });

  TAMPERS.forEach(([what, tamper], k) => {
    it(`refuses a hand-edited plan with ${what}, before anything is sent`, async () => {
      const plan = structuredClone(genuine);
      tamper(plan);
      const file = join(work, `plano-${k}.json`);
      writeFileSync(file, JSON.stringify(plan), { mode: 0o600 });
      captured.inputs.add(file);
      const audit = watchAudit(work);
      const auditsBefore = audit.poll().length;
      const before = await snapshot();
      const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', '--plan', file], { env: env(), label: `apply --plan with ${what}` });
      expect(r.code, r.stdout + r.stderr).to.equal(2);
      expect(r.stderr).to.match(/Plano recusado|fora d|privilegiado|não pode/);
      expect(audit.poll().length, 'a write reached the directory').to.equal(auditsBefore);
      expect(await snapshot()).to.equal(before);
      figures.faultsSurvived.push(`hand-edited plan: ${what} (refused before any write)`);
    });
  });

  it('the genuine plan itself still applies (the refusals were about the edits)', async () => {
    const file = join(work, 'plano-genuino.json');
    captured.inputs.add(file);
    const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', '--plan', file], { env: env(), label: 'apply --plan genuine' });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
  });

  it('no form row puts anyone in a group outside the managed OUs, whatever its perfil or órgão', async () => {
    const before = await snapshot();
    const outsideBefore = before.split('\n').filter((l) => !l.toLowerCase().includes(ROOT.toLowerCase())).join('\n');
    const rows = [
      ['Sorocaba', 'PMS', 'Alice Domain Admins', cpfFor(87_000), 'x0@pms.sp.gov.br', 'Agente', 'Domain Admins'],
      ['Sorocaba', 'PMS', 'Bob Admin', cpfFor(87_001), 'x1@pms.sp.gov.br', 'Agente', 'administradores'],
      ['Sorocaba', 'PMS', 'Carol Admin', cpfFor(87_002), 'x2@pms.sp.gov.br', 'Agente', 'admin'],
      ['Sorocaba', 'DNSADMINS', 'Dave Dns', cpfFor(87_003), 'x3@pms.sp.gov.br', 'Agente', 'usuario'],
      ['Sorocaba', 'ADMINS', 'Eve Admins', cpfFor(87_004), 'x4@pms.sp.gov.br', 'CN=Domain Admins,CN=Users,DC=sei,DC=local', 'interlocutor'],
      ['Sorocaba', 'CN=Domain Admins', 'Frank Dn', cpfFor(87_005), 'x5@pms.sp.gov.br', 'Agente', 'usuario'],
      ['Sorocaba', 'PMS', 'Grace Builtin', cpfFor(87_006), 'x6@pms.sp.gov.br', 'Agente', 'CN=Administrators,CN=Builtin,DC=sei,DC=local'],
    ];
    for (const r of rows) captured.cpfs.add(r[3]!);
    const form = writeForm(work, 'perfis.csv', rows);
    captured.inputs.add(form);
    const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', form], { env: env(), label: 'apply of hostile perfis and órgãos' });
    // Unknown perfis and malformed órgãos are rejected rows (exit 1); the others are created.
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    const { searchEntries } = await client.search(USERS, { filter: '(employeeID=*)', attributes: ['memberOf', 'employeeID', 'primaryGroupID'] });
    const created = searchEntries.filter((e) => rows.some((row) => row[3] === String(e.employeeID)));
    expect(created.length).to.be.greaterThan(0);
    for (const e of searchEntries) {
      for (const g of ([] as unknown[]).concat(e.memberOf ?? []).map(String)) {
        expect(g.toLowerCase().endsWith(`,${GROUPS.toLowerCase()}`), `${e.dn} is a member of ${g}`).to.equal(true);
      }
      expect(String(e.primaryGroupID)).to.equal('513');
    }
    const after = await snapshot();
    expect(after.split('\n').filter((l) => !l.toLowerCase().includes(ROOT.toLowerCase())).join('\n')).to.equal(outsideBefore);
    figures.faultsSurvived.push(`form rows naming privileged groups as perfil or órgão (${created.length} created, all in managed groups only)`);
  });

  for (const [what, naming] of [
    ['perfil group configured as "Domain Admins"', { perfilGroups: { interlocutor: 'SEI-Interlocutores', administrador: 'Domain Admins' } }],
    ['training parent group configured as Domain Admins', { trainingParentGroupDn: `CN=Domain Admins,CN=Users,${BASE}` }],
  ] as const) {
    it(`a config with the ${what} is refused before anything is sent`, async () => {
      const config = join(work, 'config-mau.json');
      writeFileSync(config, JSON.stringify({ naming: { trainingCount: 1, ...naming } }));
      captured.inputs.add(config);
      const form = writeForm(work, 'admins.csv', [['Sorocaba', 'PMX', 'Heidi Admin', cpfFor(88_000), 'h@pmx.sp.gov.br', 'Agente', 'administrador']]);
      captured.cpfs.add(cpfFor(88_000));
      captured.inputs.add(form);
      const audit = watchAudit(work);
      const auditsBefore = audit.poll().length;
      const before = await snapshot();
      const r = await runCliWith(work, ['apply', '--yes', '--config', 'config-mau.json', form], { env: env(), label: `apply with the ${what}` });
      expect(r.code, r.stdout + r.stderr).to.equal(2);
      // The parent group is refused by the config check itself, before any plan is made; the perfil group by the plan's.
      expect(r.stderr).to.contain('trainingParentGroupDn' in naming ? 'naming.trainingParentGroupDn' : 'Plano recusado');
      expect(audit.poll().length).to.equal(auditsBefore);
      expect(await snapshot()).to.equal(before);
      figures.faultsSurvived.push(`config: ${what} (refused before any write)`);
    });
  }
});
