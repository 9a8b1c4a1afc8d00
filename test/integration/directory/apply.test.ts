import { expect } from 'chai';
import { Attribute, Change, type Client } from 'ldapts';
import { parseDn } from '../../../src/core/dn.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyCommand } from '../../../src/app/applyCommand.js';
import { planCommand } from '../../../src/app/planCommand.js';
import { ScopeError, StalePlanError, ThresholdError } from '../../../src/domain/errors.js';
import type { DisableUser, Plan } from '../../../src/domain/plan.js';
import { extractPassword } from '../../support/smtpServer.js';
import { bindResult, caught, cpfFor, newRun, newWorkDir, readOutbox, reader, writeForm } from '../harness.js';
import { readLocalAd, resetLocalAd, type LocalAdConnection } from '../localAd.js';

const ROOT = 'OU=SEI Cidades,DC=sei,DC=local';
const USERS = `OU=Usuarios,${ROOT}`;

async function findByCpf(c: Client, cpf: string) {
  const { searchEntries } = await c.search(USERS, {
    filter: `(employeeID=${cpf})`,
    attributes: ['sAMAccountName', 'userPrincipalName', 'title', 'mail', 'displayName', 'userAccountControl', 'pwdLastSet', 'memberOf', 'description', 'uSNChanged'],
  });
  return searchEntries;
}

describe('apply against a real Active Directory (Samba AD DC)', function () {
  this.timeout(180_000);
  let ad: LocalAdConnection;
  let work: string;
  let client: Client;
  const cpfs = { ana: cpfFor(101), jose1: cpfFor(102), jose2: cpfFor(103), odd: cpfFor(104), hash: cpfFor(105) };

  const rows = (cargoAna = 'Analista') => [
    ['Campinas', 'PMC', 'Ana Conceição', cpfs.ana, 'ana@campinas.sp.gov.br', cargoAna, 'interlocutor', 'incluir'],
    ['Campinas', 'PMC', 'José Silva', cpfs.jose1, 'jose1@campinas.sp.gov.br', 'Agente'],
    ['Campinas', 'PMC', 'José Silva', cpfs.jose2, 'jose2@campinas.sp.gov.br', 'Agente'],
    ['Campinas', 'PMC', 'Silva, Pedro + "Pé" <Jr>; =x', cpfs.odd, 'pedro@campinas.sp.gov.br'],
    ['Campinas', 'PMC', '#Hash Name ', cpfs.hash, 'hash@campinas.sp.gov.br'],
  ];

  async function apply(form: string, extra: { planFile?: string; force?: boolean } = {}) {
    const run = newRun(work);
    try {
      return await applyCommand(run.ctx, { files: extra.planFile ? [] : [form], yes: true, training: false, ...extra });
    } finally {
      await run.close();
    }
  }

  const replaceValue = (dn: string, type: string, value: string) =>
    client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) }));

  /** An apply of `form` during which `write` runs right before the tool's first modify of `dn`. */
  async function applyWhileSomeoneWrites(dn: string, write: () => Promise<void>, form: string) {
    const run = newRun(work);
    const open = run.ctx.openDirectory;
    let raced = 0;
    run.ctx.openDirectory = async () => {
      const inner = await open();
      return new Proxy(inner, {
        get(target, prop) {
          if (prop === 'modify') {
            return async (at: string, mods: Parameters<typeof inner.modify>[1]) => {
              if (at === dn && raced++ === 0) await write();
              return inner.modify(at, mods);
            };
          }
          const value: unknown = Reflect.get(target, prop);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    };
    try {
      return { result: await applyCommand(run.ctx, { files: [form], yes: true, training: false }), raced };
    } finally {
      await run.close();
    }
  }

  before(async function () {
    resetLocalAd();
    ad = readLocalAd();
    work = newWorkDir();
    client = await reader(ad);
  });
  after(async () => {
    await client?.unbind();
  });

  it('creates every account complete: attributes, uac 512, pwdLastSet 0, groups, password that must be changed', async () => {
    const form = writeForm(work, 'f1.csv', rows());
    const result = await apply(form);
    expect(result.exitCode).to.equal(0);
    const [ana] = await findByCpf(client, cpfs.ana);
    expect(ana).to.not.equal(undefined);
    expect(ana!.sAMAccountName).to.equal('ana.conceicao');
    expect(ana!.userPrincipalName).to.equal('ana.conceicao@sei.local');
    expect(ana!.title).to.equal('Analista');
    expect(ana!.mail).to.equal('ana@campinas.sp.gov.br');
    expect(ana!.userAccountControl).to.equal('512');
    expect(ana!.pwdLastSet).to.equal('0');
    const groups = ([] as string[]).concat(ana!.memberOf as string | string[]);
    expect(groups).to.include(`CN=SEI-PMC,OU=Grupos,${ROOT}`);
    expect(groups).to.include(`CN=SEI-Interlocutores,OU=Grupos,${ROOT}`);

    const mails = await readOutbox(join(work, 'outbox'));
    expect(mails).to.have.length(5);
    const anaMail = mails.find((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === 'ana@campinas.sp.gov.br');
    const password = extractPassword(anaMail!);
    expect(await bindResult(ad, ana!.dn, password)).to.match(/data 773/);
    expect(await bindResult(ad, ana!.dn, 'wrong-Passw0rd!')).to.match(/data 52e/);
  });

  it('gives two "José Silva" two logins and two entries', async () => {
    const a = await findByCpf(client, cpfs.jose1);
    const b = await findByCpf(client, cpfs.jose2);
    expect(a[0]!.sAMAccountName).to.equal('jose.silva');
    expect(b[0]!.sAMAccountName).to.equal('jose.silva2');
    expect(a[0]!.dn).to.not.equal(b[0]!.dn);
  });

  it('escapes names with comma, plus, quotes, angle brackets, semicolon and a leading # into valid DNs', async () => {
    const [odd] = await findByCpf(client, cpfs.odd);
    expect(odd!.displayName).to.equal('Silva, Pedro + "Pé" <Jr>; =x');
    // The server may spell escapes its own way (\3B for ;): compare the parsed values, not the spelling.
    const oddRdns = parseDn(odd!.dn);
    expect(oddRdns[0]).to.deep.equal({ type: 'CN', value: 'Silva, Pedro + "Pé" <Jr>; =x' });
    expect(oddRdns[1]).to.deep.equal({ type: 'OU', value: 'PMC' });
    expect(oddRdns).to.have.length(6);
    const [hash] = await findByCpf(client, cpfs.hash);
    expect(parseDn(hash!.dn)[0]).to.deep.equal({ type: 'CN', value: '#Hash Name' });
  });

  it('a second apply of the same forms changes nothing and says so', async () => {
    const before = (await findByCpf(client, cpfs.ana))[0]!.uSNChanged;
    const form = writeForm(work, 'f1.csv', rows());
    const result = await apply(form);
    expect(result.exitCode).to.equal(0);
    expect(result.plan.changes).to.have.length(0);
    expect(result.model.summary.unchanged).to.equal(5);
    expect((await findByCpf(client, cpfs.ana))[0]!.uSNChanged).to.equal(before);
    expect((await readOutbox(join(work, 'outbox'))).length).to.equal(5);
  });

  it('a changed cargo updates title only', async () => {
    const form = writeForm(work, 'f2.csv', rows('Diretora de Gestão'));
    const result = await apply(form);
    expect(result.exitCode).to.equal(0);
    const updates = result.plan.changes.filter((c) => c.kind === 'update-user');
    expect(updates).to.have.length(1);
    expect((await findByCpf(client, cpfs.ana))[0]!.title).to.equal('Diretora de Gestão');
  });

  it('acao=desativar disables (514) and notes the date; nothing is deleted', async () => {
    const r = rows('Diretora de Gestão');
    r[1]![7] = 'desativar';
    const result = await apply(writeForm(work, 'f3.csv', r));
    expect(result.exitCode).to.equal(0);
    const [jose] = await findByCpf(client, cpfs.jose1);
    expect(Number(jose!.userAccountControl) & 2).to.equal(2);
    expect(String(jose!.description)).to.match(/desativad/i);
  });

  it('refuses a saved plan that went stale', async () => {
    const planRun = newRun(work);
    const out = join(work, 'stale-plan.json');
    await planCommand(planRun.ctx, { files: [writeForm(work, 'f4.csv', rows('Secretária'))], offline: false, out, training: false });
    await planRun.close();
    // Someone changes the entry after the plan was made.
    const [ana] = await findByCpf(client, cpfs.ana);
    await client.modify(ana!.dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Mudado à mão'] }) }));
    const error = await caught(apply('', { planFile: out }));
    expect(error).to.be.instanceOf(StalePlanError);
    expect((await findByCpf(client, cpfs.ana))[0]!.title).to.equal('Mudado à mão');
  });

  it('refuses a hand-edited plan that writes outside the managed OUs, before sending anything', async () => {
    const planRun = newRun(work);
    const out = join(work, 'evil-plan.json');
    await planCommand(planRun.ctx, { files: [writeForm(work, 'f5.csv', [...rows('Secretária'), ['Campinas', 'PMC', 'Nova Pessoa', cpfFor(106), 'nova@campinas.sp.gov.br']])], offline: false, out, training: false });
    await planRun.close();
    const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
    const create = plan.changes.find((c) => c.kind === 'create-user');
    expect(create).to.not.equal(undefined);
    if (create?.kind === 'create-user') create.dn = 'CN=Nova Pessoa,CN=Users,DC=sei,DC=local';
    plan.changes.push({ kind: 'add-member', groupDn: 'CN=Domain Admins,CN=Users,DC=sei,DC=local', memberDns: [create!.dn] });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(out, JSON.stringify(plan));
    const error = await caught(apply('', { planFile: out }));
    expect(error).to.be.instanceOf(ScopeError);
    const { searchEntries } = await client.search('DC=sei,DC=local', { filter: `(employeeID=${cpfFor(106)})`, attributes: ['dn'] });
    expect(searchEntries).to.have.length(0);
  });

  it('stops a saved plan that disables more missing accounts than the safety limit, unless --force', async () => {
    const planRun = newRun(work);
    const out = join(work, 'truncado.json');
    // A forms file cut short: only Ana is left, so --disable-missing would disable everyone else.
    await planCommand(planRun.ctx, { files: [writeForm(work, 'truncado.csv', rows().slice(0, 1))], offline: false, out, disableMissing: true, training: false });
    await planRun.close();
    const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
    const missing = plan.changes.filter((c): c is DisableUser => c.kind === 'disable-user' && c.reason === 'missing');
    expect(missing.length).to.be.greaterThan(1);
    const target = missing[0]!.dn;
    const enabled = async () => (await client.search(target, { scope: 'base', attributes: ['userAccountControl'] })).searchEntries[0]?.userAccountControl;
    const error = await caught(apply('', { planFile: out }));
    expect(error).to.be.instanceOf(ThresholdError);
    expect(String(await enabled())).to.equal('512');
    const forced = await apply('', { planFile: out, force: true });
    expect(forced.exitCode).to.equal(0);
    expect(String(await enabled())).to.equal('514');
  });

  it('reports a group whose name another object of the domain already has, instead of counting it created', async () => {
    const squatter = `CN=Grupo Alheio,CN=Users,${ad.baseDN}`;
    await client.add(squatter, { objectClass: ['top', 'group'], sAMAccountName: 'SEI-PMJ' });
    try {
      const form = writeForm(work, 'pmj.csv', [['Jundiaí', 'PMJ', 'Lia Souza', cpfFor(108), 'lia@jundiai.sp.gov.br']]);
      const outcome = await apply(form);
      expect(outcome.exitCode).to.equal(1);
      const failed = outcome.model.changes.filter((c) => c.outcome?.status === 'failed');
      expect(failed.map((c) => c.kind)).to.include('create-group');
      expect(failed.find((c) => c.kind === 'create-group')?.outcome?.message).to.contain('SEI-PMJ já é usado');
    } finally {
      await client.del(squatter);
    }
  });

  it('creates the managed root OU on a first run into a directory that does not have it yet', async () => {
    // Another root name on the same domain: nothing of it exists, as on a controller never used by the tool.
    const config = join(work, 'raiz-nova.json');
    writeFileSync(config, JSON.stringify({ naming: { rootOu: 'SEI Cidades Nova' } }));
    const form = writeForm(work, 'raiz-nova.csv', [['Sorocaba', 'PMS', 'Rita Prado', cpfFor(107), 'rita@sorocaba.sp.gov.br']]);
    const run = newRun(work, { flags: { config } });
    let outcome;
    try {
      outcome = await applyCommand(run.ctx, { files: [form], yes: true, training: false });
    } finally {
      await run.close();
    }
    expect(outcome.exitCode, run.stderr()).to.equal(0);
    const root = `OU=SEI Cidades Nova,${ad.baseDN}`;
    expect(outcome.plan.changes[0]).to.deep.equal({ kind: 'create-ou', dn: root });
    const { searchEntries } = await client.search(root, { scope: 'sub', filter: `(employeeID=${cpfFor(107)})`, attributes: ['sAMAccountName'] });
    expect(searchEntries.map((e) => e.sAMAccountName)).to.deep.equal(['rita.prado']);
  });
  it('moves a person who changed órgão, keeping login and password, out of the old órgão and perfil groups only', async () => {
    const cpf = cpfFor(109);
    const email = 'bruno@campinas.sp.gov.br';
    const first = await apply(writeForm(work, 'move-1.csv', [['Campinas', 'PMC', 'Bruno Móvel', cpf, email, 'Gestor', 'administrador']]));
    expect(first.exitCode).to.equal(0);
    const [before] = await findByCpf(client, cpf);
    expect(before!.dn).to.equal(`CN=Bruno Móvel,OU=PMC,${USERS}`);
    // A group an administrator made by hand in the same OU: not the tool's to take anyone out of.
    const handMade = `CN=SEI Gestores Especiais,OU=Grupos,${ROOT}`;
    await client.add(handMade, { objectClass: ['top', 'group'], sAMAccountName: 'sei.gestores.esp', member: before!.dn });
    const mail = (await readOutbox(join(work, 'outbox'))).find((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === email);
    const password = extractPassword(mail!);

    const moved = await apply(writeForm(work, 'move-2.csv', [['Valinhos', 'PMV', 'Bruno Móvel', cpf, email, 'Gestor', 'usuario']]));
    expect(moved.exitCode, JSON.stringify(moved.model.changes.filter((c) => c.outcome?.status !== 'done'))).to.equal(0);
    expect(moved.plan.changes.filter((c) => c.kind === 'create-user')).to.deep.equal([]);
    const [after] = await findByCpf(client, cpf);
    expect(after!.dn).to.equal(`CN=Bruno Móvel,OU=PMV,${USERS}`);
    expect(after!.sAMAccountName).to.equal(before!.sAMAccountName);
    expect(after!.description).to.equal('SEI Cidades — Valinhos');
    const groups = ([] as string[]).concat((after!.memberOf as string | string[] | undefined) ?? []).sort();
    expect(groups).to.deep.equal([handMade, `CN=SEI-PMV,OU=Grupos,${ROOT}`].sort());
    expect(await client.search(before!.dn, { scope: 'base' }).then(() => 'found', (e: { code?: number }) => e.code)).to.equal(32);
    // The password mailed for the first account still opens it (773: right password, must be changed).
    expect(await bindResult(ad, after!.dn, password)).to.match(/data 773/);
    // No second credential was mailed: the person kept their account.
    expect((await readOutbox(join(work, 'outbox'))).filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === email)).to.have.length(1);

    const again = await apply(writeForm(work, 'move-3.csv', [['Valinhos', 'PMV', 'Bruno Móvel', cpf, email, 'Gestor', 'usuario']]));
    expect(again.plan.changes.filter((c) => 'cpf' in c && c.cpf === cpf)).to.deep.equal([]);
    expect(again.plan.changes.filter((c) => c.kind === 'remove-member' || (c.kind === 'add-member' && c.memberDns.includes(after!.dn)))).to.deep.equal([]);
    await client.del(handMade);
  });
  it('stops a run that would move more accounts to another órgão than the safety limit (a mistyped sigla), unless --force', async () => {
    const people = (orgao: string) => [
      ['Itu', orgao, 'Caio Sigla', cpfFor(110), 'caio@itu.sp.gov.br'],
      ['Itu', orgao, 'Davi Sigla', cpfFor(111), 'davi@itu.sp.gov.br'],
    ];
    expect((await apply(writeForm(work, 'sigla-1.csv', people('PMI')))).exitCode).to.equal(0);
    const dns = async () => (await Promise.all([110, 111].map((n) => findByCpf(client, cpfFor(n))))).map((e) => e[0]!.dn);
    const before = await dns();
    // About a dozen accounts in the directory: 5 % rounds down to 0, so the limit is one move per run.
    const typo = writeForm(work, 'sigla-2.csv', people('PMII'));
    const error = await caught(apply(typo));
    expect(error).to.be.instanceOf(ThresholdError);
    expect(String((error as Error).message)).to.contain('mudaria 2 conta(s) de órgão').and.contain('PMI → PMII');
    expect(await dns()).to.deep.equal(before);
    const forced = await apply(typo, { force: true });
    expect(forced.exitCode).to.equal(0);
    expect((await dns()).every((dn) => dn.includes('OU=PMII,'))).to.equal(true);
  });
  it('renames the account when a nome social is given later: same login and password, same groups, no move', async () => {
    const cpf = cpfFor(112);
    const form = (social: string) => {
      const file = join(work, `social-${social ? 'com' : 'sem'}.csv`);
      writeFileSync(file, `Município;Órgão;Nome;Nome social;CPF;E-mail\r\nItu;PMIS;João Pereira Lima;${social};${cpf};jp@itu.sp.gov.br\r\n`);
      return file;
    };
    expect((await apply(form(''))).exitCode).to.equal(0);
    const [before] = await findByCpf(client, cpf);
    expect(before!.dn).to.equal(`CN=João Pereira Lima,OU=PMIS,${USERS}`);
    const mail = (await readOutbox(join(work, 'outbox'))).find((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === 'jp@itu.sp.gov.br');
    const password = extractPassword(mail!);

    const renamed = await apply(form('Joana Pereira Lima'));
    expect(renamed.exitCode).to.equal(0);
    const [after] = await findByCpf(client, cpf);
    expect(after!.dn).to.equal(`CN=Joana Pereira Lima,OU=PMIS,${USERS}`);
    expect(after!.displayName).to.equal('Joana Pereira Lima');
    expect(after!.sAMAccountName).to.equal(before!.sAMAccountName);
    expect(([] as string[]).concat((after!.memberOf as string | string[] | undefined) ?? [])).to.deep.equal([`CN=SEI-PMIS,OU=Grupos,${ROOT}`]);
    expect(await bindResult(ad, after!.dn, password)).to.match(/data 773/);
    expect((await apply(form('Joana Pereira Lima'))).plan.changes).to.deep.equal([]);
  });

  it('leaves a value someone changed in the directory while the run was going, instead of overwriting it unseen', async () => {
    const cpf = cpfFor(113);
    const form = (cargo: string) => writeForm(work, `race-${cargo.length}.csv`, [['Itu', 'PMIS', 'Rita Moraes', cpf, 'rita@itu.sp.gov.br', cargo]]);
    expect((await apply(form('Analista'))).exitCode).to.equal(0);
    const [rita] = await findByCpf(client, cpf);
    const dn = rita!.dn;

    // The plan says title: Analista → Coordenadora. Right before the tool writes it, an administrator sets
    // the title by hand (the window between reading the directory and writing, hours long in a big apply).
    const { result, raced } = await applyWhileSomeoneWrites(dn, () => replaceValue(dn, 'title', 'Chefe de Gabinete'), form('Coordenadora'));
    expect(raced).to.equal(1);
    expect(result.exitCode).to.equal(1);
    expect((await findByCpf(client, cpf))[0]!.title).to.equal('Chefe de Gabinete');
    const failed = result.model.changes.filter((c) => c.outcome?.status === 'failed');
    expect(failed.map((c) => [c.kind, c.outcome?.resultCode])).to.deep.equal([['update-user', 16]]);
    expect(failed[0]?.outcome?.message).to.contain('title mudou no diretório depois que o plano foi feito');

    // The next run plans from the value now there, and the form wins again, knowingly.
    const next = await apply(form('Coordenadora'));
    expect(next.exitCode).to.equal(0);
    const update = next.model.changes.find((c) => c.kind === 'update-user');
    expect(update?.kind === 'update-user' ? update.changes : []).to.deep.equal([{ attribute: 'title', before: 'Chefe de Gabinete', after: 'Coordenadora' }]);
    expect((await findByCpf(client, cpf))[0]!.title).to.equal('Coordenadora');
  });

  it('leaves an account someone changed while the run was going enabled, instead of disabling it over that change', async () => {
    const cpf = cpfFor(114);
    const form = (acao: string) => writeForm(work, `race-${acao}.csv`, [['Itu', 'PMIS', 'Rui Barros', cpf, 'rui@itu.sp.gov.br', 'Analista', '', acao]]);
    expect((await apply(form('incluir'))).exitCode).to.equal(0);
    const dn = (await findByCpf(client, cpf))[0]!.dn;

    // Between the plan and the write, someone notes something on the account.
    const { result, raced } = await applyWhileSomeoneWrites(dn, () => replaceValue(dn, 'description', 'Afastado até março (RH)'), form('desativar'));
    expect(raced).to.equal(1);
    expect(result.exitCode).to.equal(1);
    const [rui] = await findByCpf(client, cpf);
    expect(Number(rui!.userAccountControl) & 2).to.equal(0);
    expect(rui!.description).to.equal('Afastado até março (RH)');
    const failed = result.model.changes.filter((c) => c.outcome?.status === 'failed');
    expect(failed.map((c) => [c.kind, c.outcome?.resultCode])).to.deep.equal([['disable-user', 16]]);
    expect(failed[0]?.outcome?.message).to.contain('não foi desativada').and.contain('description mudou no diretório');

    // Flags changed by hand (Samba compares userAccountControl by value too): left as they are.
    const { result: flags } = await applyWhileSomeoneWrites(dn, () => replaceValue(dn, 'userAccountControl', '66048'), form('desativar'));
    expect(flags.exitCode).to.equal(1);
    expect(Number((await findByCpf(client, cpf))[0]!.userAccountControl)).to.equal(66048);

    // The next run plans from what is there now, and disables it.
    expect((await apply(form('desativar'))).exitCode).to.equal(0);
    expect(Number((await findByCpf(client, cpf))[0]!.userAccountControl)).to.equal(66050);
  });
});
