import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'ldapts';
import { TSX_IMPORT, cpfFor, readOutbox, reader, newWorkDir, runCli, writeForm, type CliResult } from '../harness.js';
import { readLocalAd, resetLocalAd } from '../localAd.js';

const USERS = 'OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
const ROOT = 'OU=SEI Cidades,DC=sei,DC=local';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

async function usnSnapshot(c: Client): Promise<string> {
  const { searchEntries } = await c.search(ROOT, { filter: '(objectClass=*)', attributes: ['uSNChanged'] });
  return searchEntries.map((e) => `${e.dn}=${String(e.uSNChanged)}`).sort().join('\n');
}

describe('sync, the nightly job (real Samba, CLI processes)', function () {
  this.timeout(240_000);
  let work: string;
  let client: Client;
  const outputs: CliResult[] = [];
  const staff = Array.from({ length: 24 }, (_, i) => ['Jundiaí', i < 12 ? 'PMJ' : 'SAEJ', `Servidor ${String.fromCharCode(65 + i)} Souza`, cpfFor(500 + i), `s${i}@jundiai.sp.gov.br`, 'Agente', i % 12 === 0 ? 'interlocutor' : 'usuario']);
  const sync = async (...args: string[]) => {
    const r = await runCli(work, ['sync', '--config', 'config.json', ...args]);
    outputs.push(r);
    return r;
  };

  before(async () => {
    resetLocalAd();
    work = newWorkDir('sei-sync-');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ naming: { trainingCount: 3 } }));
    client = await reader(readLocalAd());
  });
  after(async () => client?.unbind());

  it('two syncs in a row: the first creates, the second changes nothing and exits 0', async () => {
    const form = writeForm(work, 'todos.csv', staff);
    const first = await sync(form);
    expect(first.code).to.equal(0, first.stderr + first.stdout);
    const { searchEntries } = await client.search(USERS, { filter: '(employeeID=*)', attributes: ['sAMAccountName'] });
    expect(searchEntries).to.have.length(24);
    const before = await usnSnapshot(client);
    const second = await sync(form);
    expect(second.code).to.equal(0, second.stderr + second.stdout);
    expect(second.stdout).to.contain('Nada a fazer');
    expect(await usnSnapshot(client)).to.equal(before);
  });

  it('two at once: the second exits 3 naming the holder', async () => {
    // A run holding the lock for a few seconds, in its own process.
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        TSX_IMPORT,
        '-e',
        `import('${new URL('../../../src/adapters/state/runLock.ts', import.meta.url).pathname}').then(async (m) => { await m.acquireRunLock(${JSON.stringify(join(work, 'estado'))}, { startedAt: new Date().toISOString(), command: 'sync', runId: 'holder' }); process.stdout.write('held\\n'); setTimeout(() => process.exit(0), 8000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    // With operators configured: a night without a sync because of the lock is mailed to them.
    writeFileSync(join(work, 'config-trava.json'), JSON.stringify({ naming: { trainingCount: 3 }, mail: { operators: ['operador@prodesp.sp.gov.br'] } }));
    const outbox = join(work, 'outbox-trava');
    const r = await runCli(work, ['sync', '--config', 'config-trava.json', join(work, 'todos.csv')], { SEI_MAIL_OUTBOX: outbox });
    outputs.push(r);
    holder.kill();
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain(String(holder.pid));
    const mails = await readOutbox(outbox);
    expect(mails).to.have.length(1);
    expect(`${mails[0]?.subject ?? ''}\n${mails[0]?.text ?? ''}`).to.match(/requer aten/).and.contain(String(holder.pid));
  });

  it('a run that died holding the lock (killed, out of memory) is named in the next run\'s report', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid ?? 0)));
    mkdirSync(join(work, 'estado'), { recursive: true });
    writeFileSync(join(work, 'estado', 'sei-contas.lock'), JSON.stringify({ pid: deadPid, startedAt: '2026-11-26T02:07:00.000Z', command: 'sync', runId: 'killed' }));
    const r = await sync(writeForm(work, 'todos.csv', staff));
    expect(r.code).to.equal(0, r.stderr + r.stdout);
    const latest = readdirSync(join(work, 'relatorios')).filter((d) => d !== 'bench').sort().at(-1)!;
    const report = JSON.parse(readFileSync(join(work, 'relatorios', latest, 'relatorio.json'), 'utf8')) as { warnings: { message: string }[] };
    const warnings = report.warnings.map((w) => w.message).join('\n');
    expect(warnings).to.contain('iniciada em 2026-11-26T02:07:00.000Z').and.contain('interrompida');
    // This suite mails to files and names no operator: unattended, each report says so.
    expect(warnings).to.contain('mail.transport é "file"').and.contain('Nenhum operador configurado');
  });

  it('a threshold stops the run with exit 4 and leaves the directory untouched', async () => {
    const before = await usnSnapshot(client);
    // Four of 24 accounts missing: above the default limit, min(5 % of 24 → 1, 50).
    const r = await sync(writeForm(work, 'parcial.csv', staff.slice(0, 20)), '--disable-missing');
    expect(r.code).to.equal(4, r.stderr);
    expect(r.stderr).to.contain('--force');
    expect(r.stderr).to.not.match(/\b\d{11}\b/);
    expect(await usnSnapshot(client)).to.equal(before);
  });

  it('the managed users OU renamed by hand: everyone looks new, and the run stops with exit 4 instead of giving them second accounts', async () => {
    const moved = 'OU=Usuarios-renomeada,OU=SEI Cidades,DC=sei,DC=local';
    await client.modifyDN(USERS, 'OU=Usuarios-renomeada');
    try {
      const before = await usnSnapshot(client);
      const r = await sync(writeForm(work, 'todos-de-novo.csv', staff));
      expect(r.code).to.equal(4, r.stderr + r.stdout);
      expect(r.stderr).to.contain('já têm conta no domínio').and.contain(moved).and.contain('--force');
      expect(r.stderr).to.not.match(/\b\d{11}\b/);
      expect(await usnSnapshot(client)).to.equal(before);
      const { searchEntries } = await client.search('DC=sei,DC=local', { filter: '(employeeID=*)', attributes: ['sAMAccountName'] });
      expect(searchEntries).to.have.length(24);
    } finally {
      await client.modifyDN(moved, 'OU=Usuarios');
    }
  });

  it('a run stopped by a safety limit still tells the operators, by mail, why', async () => {
    writeFileSync(join(work, 'config-operadores.json'), JSON.stringify({ naming: { trainingCount: 3 }, mail: { operators: ['operador@prodesp.sp.gov.br'] } }));
    const outbox = join(work, 'outbox-operadores');
    const r = await runCli(work, ['sync', '--config', 'config-operadores.json', '--disable-missing', join(work, 'parcial.csv')], { SEI_MAIL_OUTBOX: outbox });
    outputs.push(r);
    expect(r.code).to.equal(4, r.stderr);
    const mails = readdirSync(outbox).map((f) => readFileSync(join(outbox, f), 'utf8'));
    expect(mails).to.have.length(1);
    expect(mails[0]).to.contain('operador@prodesp.sp.gov.br');
    expect(mails[0]).to.match(/requer aten/);
    expect(mails[0]).to.contain('Limite de seguran');
    expect(mails[0]).to.not.match(/\b\d{11}\b/);

    // A form with no header row: the error quotes its first cells, a CPF among them, masked in the mail and on stderr.
    const cpf = cpfFor(590);
    const punctuated = cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
    writeFileSync(join(work, 'sem-cabecalho.csv'), `Jundiaí;PMJ;Maria Sem Cabeçalho;${punctuated};maria@jundiai.sp.gov.br\r\n`);
    const headerless = await runCli(work, ['sync', '--config', 'config-operadores.json', join(work, 'sem-cabecalho.csv')], { SEI_MAIL_OUTBOX: outbox });
    outputs.push(headerless);
    expect(headerless.code).to.equal(2, headerless.stderr);
    // Parsed, so a soft line break of quoted-printable cannot hide a CPF from the check.
    const second = (await readOutbox(outbox)).map((mail) => `${mail.subject ?? ''}\n${mail.text ?? ''}\n${String(mail.html)}`).find((t) => t.includes('Maria Sem Cabe'));
    expect(second, 'a mail for the stopped run').to.not.equal(undefined);
    expect(second).to.contain(`***.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-**`);
    for (const text of [second!, headerless.stderr]) {
      expect(text).to.not.contain(cpf);
      expect(text).to.not.contain(punctuated);
    }
    expect(headerless.stderr).to.contain(`***.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-**`);
  });

  it('a header-only forms file with --disable-missing never disables everyone: exit 4', async () => {
    const before = await usnSnapshot(client);
    const r = await sync(writeForm(work, 'vazio.csv', []), '--disable-missing');
    expect(r.code).to.equal(4, r.stderr);
    expect(await usnSnapshot(client)).to.equal(before);
  });

  it('--force disables the missing ones (never deletes) and --export-sip writes the SIP load 0600', async () => {
    const extra = ['Jundiaí', 'PMJ', 'Nova Servidora', cpfFor(600), 'nova@jundiai.sp.gov.br', 'Analista', 'usuario'];
    const r = await sync(writeForm(work, 'parcial2.csv', [...staff.slice(0, 20), extra]), '--disable-missing', '--force', '--export-sip', 'sip.csv');
    expect(r.code).to.equal(0, r.stderr + r.stdout);
    const { searchEntries } = await client.search(USERS, { filter: '(employeeID=*)', attributes: ['userAccountControl', 'employeeID'] });
    expect(searchEntries).to.have.length(25);
    const disabled = searchEntries.filter((e) => (Number(e.userAccountControl) & 2) === 2);
    expect(disabled.map((e) => e.employeeID).sort()).to.deep.equal(staff.slice(20).map((s) => s[3]).sort());
    const sip = readFileSync(join(work, 'sip.csv'), 'utf8').split('\r\n');
    expect(sip[0]).to.equal('orgao;sigla;nome;nomeSocial;cpf;emailInstitucional;unidadePrimeiraPermissao;perfilPrimeiraPermissao');
    expect(sip[1]).to.equal(`PMJ;nova.servidora;Nova Servidora;;${cpfFor(600)};nova@jundiai.sp.gov.br;;usuario`);
    expect(statSync(join(work, 'sip.csv')).mode & 0o777).to.equal(0o600);
  });

  it('a run that stops after it could write (the report folder unwritable) exits 1, not 2, and says accounts may have changed', async () => {
    writeFileSync(join(work, 'um-arquivo'), 'não é uma pasta');
    const r = await sync(join(work, 'todos.csv'), '--report-dir', join(work, 'um-arquivo', 'relatorio'));
    expect(r.code).to.equal(1, r.stderr + r.stdout);
    expect(r.stderr).to.contain('depois de começar a gravar no diretório');
  });

  it('a config error names its key and exits 2', async () => {
    writeFileSync(join(work, 'ruim.json'), JSON.stringify({ directory: { poolSize: 0, password: 'x' } }));
    const r = await runCli(work, ['sync', '--config', 'ruim.json', join(work, 'todos.csv')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('directory.poolSize').and.contain('directory.password');
  });

  it('logs hold one audit record per directory write, and no password or full CPF anywhere', () => {
    const logFiles = allFiles(join(work, 'logs')).filter((f) => f.endsWith('.jsonl'));
    expect(logFiles.length).to.be.greaterThan(0);
    const records = logFiles.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean)).map((l) => JSON.parse(l) as Record<string, unknown>);
    const audits = records.filter((r) => r.audit === true);
    // 24 + 1 people created, 2 órgãos × 3 training accounts (add + password each), 4 disabled, plus OUs, groups, memberships.
    const adds = audits.filter((a) => a.action === 'add' && String(a.dn).startsWith('CN=') && String(a.dn).includes('OU=Usuarios'));
    expect(adds).to.have.length(25);
    for (const a of audits) expect(a).to.include.keys('runId', 'actor', 'action', 'dn', 'attributes', 'result', 'time');
    const disables = audits.filter((a) => a.action === 'modify' && (a.attributes as string[]).includes('userAccountControl') && String(a.dn).includes('OU=Usuarios'));
    expect(disables).to.have.length(4);
    const cpfs = [...staff.map((s) => s[3]!), cpfFor(600)];
    const outbox = join(work, 'outbox');
    const passwords = readdirSync(outbox).map((f) => /Senha tempor=C3=A1ria: (\S+)/.exec(readFileSync(join(outbox, f), 'utf8'))?.[1]).filter((p): p is string => Boolean(p));
    expect(passwords.length).to.be.greaterThan(20);
    const texts = [
      // Everything the tool wrote except the outbox (passwords by design), plano.json and the SIP export
      // (CPFs by design, both 0600); the forms themselves sit at the top of the work folder.
      ...['logs', 'relatorios', 'estado']
        .flatMap((d) => allFiles(join(work, d)))
        .filter((f) => !f.startsWith(outbox) && !f.endsWith('plano.json'))
        .map((f) => readFileSync(f, 'utf8')),
      ...outputs.flatMap((o) => [o.stdout, o.stderr]),
    ];
    for (const t of texts) {
      for (const cpf of cpfs) expect(t.includes(cpf)).to.equal(false, 'full CPF found');
      for (const p of passwords) expect(t.includes(p)).to.equal(false, 'password found');
    }
  });
});
