/**
 * Hostile input. The reader gets 1,000+ generated files (in a child process with a watchdog, so a hang is
 * caught, not suffered); the CLI gets hostile files on disk; values that try to change a DN or a search
 * filter go through a real apply and a real resend against Samba; formula and HTML injection must come out
 * neutralised in every report the tool writes.
 */
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Client } from 'ldapts';
import { isValidCpf } from '../../src/core/cpf.js';
import { tryParseDn } from '../../src/core/dn.js';
import { cpfFor, newWorkDir, TSX_IMPORT, writeForm } from '../integration/harness.js';
import { type TestSmtpServer } from '../support/smtpServer.js';
import { captured, figures, filesUnder } from './support/capture.js';
import { runCliWith } from './support/cli.js';
import { formText, hostileCases, INJECTIONS } from './support/hostileCases.js';
import { prng } from '../support/prng.js';
import { BASE, passwordOf, ROOT, toOf, USERS } from './support/verify.js';
import { startFaultServers, stopFaultServers } from './support/servers.js';

const FUZZ = new URL('./support/fuzzReader.ts', import.meta.url).pathname;
const SEED = 20_261_126;

interface FuzzResult {
  i: number;
  kind: string;
  note: string;
  ms: number;
  outcome: 'rows' | 'input-error' | 'crash';
  message?: string;
  namesFile?: boolean;
  rows?: number;
  people?: number;
  rejectedRows?: number;
  accounted?: number;
  badRejections?: number;
  badWarnings?: number;
  expect?: 'input-error' | 'rows-rejected' | 'no-people' | null;
}

/** Runs the generator in a child; a case that makes no progress for `stallMs` is reported as a hang. */
function runFuzz(seed: number, stallMs = 60_000): Promise<{ results: FuzzResult[]; hung?: string; exit: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_IMPORT, FUZZ, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' } });
    const results: FuzzResult[] = [];
    let current = '';
    let buffer = '';
    let stderr = '';
    let hung: string | undefined;
    let timer = setTimeout(() => undefined, 0);
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = current;
        child.kill('SIGKILL');
      }, stallMs);
    };
    arm();
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        const v = JSON.parse(line) as FuzzResult & { start?: number; done?: number; bytes?: number };
        if (v.start !== undefined) {
          current = `case ${v.start} (${v.kind}, ${v.bytes} bytes)`;
          arm();
        } else if (v.done === undefined) {
          results.push(v);
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ results, exit, stderr, ...(hung ? { hung } : {}) });
    });
  });
}

const FORMULA_START = /^[=+\-@\t\r]/;
const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'section', 'ul', 'li', 'dl', 'dt', 'dd', 'span', 'code', 'pre', 'strong', 'em', 'br', 'div', 'small']);

/** Every report file under `dir`: each CSV cell, each HTML tag, the JSON, checked for injection. */
function checkReports(dir: string): { problems: string[]; files: number; cells: number } {
  const problems: string[] = [];
  let files = 0;
  let cells = 0;
  for (const f of filesUnder(dir)) {
    if (f.endsWith('relatorio.csv')) {
      files++;
      const records = parseCsv(readFileSync(f), { delimiter: ';', bom: true, relax_column_count: true }) as string[][];
      for (const r of records) {
        for (const cell of r) {
          cells++;
          if (FORMULA_START.test(cell)) problems.push(`${f}: a cell starts a formula: ${JSON.stringify(cell.slice(0, 80))}`);
        }
      }
    } else if (f.endsWith('relatorio.html')) {
      files++;
      const html = readFileSync(f, 'utf8');
      for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
        const tag = m[1]!.toLowerCase();
        if (!ALLOWED_TAGS.has(tag)) problems.push(`${f}: unexpected tag ${JSON.stringify(m[0].slice(0, 80))}`);
        if (/\son[a-z]+\s*=|\ssrc\s*=|javascript:/i.test(m[0])) problems.push(`${f}: active attribute in ${JSON.stringify(m[0].slice(0, 80))}`);
      }
      if (/<script|<img|<iframe|<svg/i.test(html)) problems.push(`${f}: raw markup from the forms`);
    } else if (f.endsWith('relatorio.json')) {
      files++;
      JSON.parse(readFileSync(f, 'utf8'));
    }
  }
  return { problems, files, cells };
}

describe('hostile input', function () {
  this.timeout(300_000);

  describe('the reader, fed 1,000+ generated hostile files', () => {
    let run: Awaited<ReturnType<typeof runFuzz>>;
    before(async () => {
      run = await runFuzz(SEED);
    });

    it('never crashes, never hangs, and goes through every case', () => {
      expect(run.hung, `hung on ${run.hung}`).to.equal(undefined);
      expect(run.exit, run.stderr).to.equal(0);
      const crashes = run.results.filter((r) => r.outcome === 'crash');
      expect(crashes.map((c) => `${c.kind} ${c.note}: ${c.message}`)).to.deep.equal([]);
      expect(run.results.length).to.be.at.least(1000);
      figures.hostileInputs += run.results.length;
    });

    it('is bounded in time: small files in milliseconds, the giants in seconds', () => {
      const slow = run.results.filter((r) => r.ms > (r.kind === 'giant' ? 20_000 : 2000));
      expect(slow.map((r) => `${r.kind} ${r.note}: ${Math.round(r.ms)} ms`)).to.deep.equal([]);
    });

    it('always a clear error (naming the file) or rows, each one kept or rejected with file, line and reason', () => {
      const problems: string[] = [];
      for (const r of run.results) {
        if (r.outcome === 'input-error') {
          if (!r.namesFile || !r.message || /undefined|NaN|\[object /.test(r.message)) problems.push(`${r.kind} ${r.note}: unclear error ${JSON.stringify(r.message)}`);
        } else if (r.outcome === 'rows') {
          if (r.accounted !== r.rows) problems.push(`${r.kind} ${r.note}: ${r.rows} rows read but ${r.accounted} kept, superseded or rejected`);
          if (r.badRejections) problems.push(`${r.kind} ${r.note}: ${r.badRejections} rejections without file, line or reason`);
          if (r.badWarnings) problems.push(`${r.kind} ${r.note}: ${r.badWarnings} unclear warnings`);
        }
        if (r.expect === 'input-error' && r.outcome !== 'input-error') problems.push(`${r.kind} ${r.note}: expected the file to be refused, got ${r.outcome}`);
        if (r.expect === 'rows-rejected' && !(r.outcome === 'rows' && (r.rows ?? 0) > 0 && r.people === 0)) problems.push(`${r.kind} ${r.note}: expected its rows rejected, got ${r.outcome} ${r.people} people`);
        if (r.expect === 'no-people' && !(r.outcome === 'rows' && r.people === 0)) problems.push(`${r.kind} ${r.note}: expected no people, got ${r.outcome} ${r.message ?? ''}`);
      }
      expect(problems).to.deep.equal([]);
      // Both ways out were exercised, many times.
      expect(run.results.filter((r) => r.outcome === 'input-error').length).to.be.greaterThan(100);
      expect(run.results.filter((r) => r.outcome === 'rows' && (r.rejectedRows ?? 0) > 0).length).to.be.greaterThan(100);
    });

    it('covers every kind asked for', () => {
      const kinds = new Set(run.results.map((r) => r.kind));
      for (const k of ['random-bytes', 'truncated', 'nul-bytes', 'invalid-utf8', 'mixed-delimiters', 'giant', 'mutated', 'utf16', 'quotes', 'header', 'injection', 'random-text']) {
        expect(kinds.has(k), k).to.equal(true);
      }
      const notes = run.results.filter((r) => r.kind === 'giant').map((r) => r.note);
      expect(notes).to.include('10 MB unquoted field').and.include('a million empty lines (LF)');
    });
  });

  describe('the CLI, given hostile files on disk (plan --offline)', () => {
    let work: string;
    const files: { name: string; why: string }[] = [];

    before(() => {
      work = newWorkDir('sei-faults-hostile-cli-');
      const dir = join(work, 'entradas');
      mkdirSync(dir);
      // One case of each kind from the generator, plus what only a file system can hold.
      const seen = new Set<string>();
      let n = 0;
      for (const c of hostileCases(SEED + 1)) {
        const key = c.kind === 'giant' ? `${c.kind}:${c.note}` : c.kind;
        if (seen.has(key) || (c.kind === 'giant' && !/10 MB unquoted|million empty lines \(LF\)|million lines of empty|100 MB/.test(c.note))) continue;
        seen.add(key);
        const name = join('entradas', `hostil-${n++}.csv`);
        writeFileSync(join(work, name), c.bytes);
        captured.inputs.add(join(work, name));
        // Whatever valid CPF the file holds must not come out whole either.
        for (const m of Buffer.from(c.bytes).toString('latin1').matchAll(/\d{3}\.?\d{3}\.?\d{3}-?\d{2}/g)) {
          const digits = m[0].replace(/\D/g, '');
          if (isValidCpf(digits)) captured.cpfs.add(digits);
        }
        files.push({ name, why: `${c.kind}: ${c.note}` });
      }
      execFileSync('mkfifo', [join(dir, 'fila.csv')]);
      files.push({ name: join('entradas', 'fila.csv'), why: 'a named pipe nobody writes to' });
      files.push({ name: '/dev/zero', why: 'a device that never ends' });
      files.push({ name: '/dev/urandom', why: 'a device of random bytes' });
      files.push({ name: 'entradas', why: 'a folder' });
      files.push({ name: join('entradas', 'nao-existe.csv'), why: 'a file that does not exist' });
    });

    it('answers each with exit 0, 1 or 2 and a pt-BR sentence: never an internal error, a stack or a hang', async () => {
      const problems: string[] = [];
      for (const f of files) {
        const r = await runCliWith(work, ['plan', '--offline', '--report-dir', join('relatorios', String(files.indexOf(f))), f.name], { hangMs: 60_000, label: `plan --offline ${f.why}` });
        figures.hostileInputs++;
        if (r.code === null || ![0, 1, 2].includes(r.code)) problems.push(`${f.why}: exit ${r.code} ${r.signal ?? ''}`);
        if (/Erro interno|\n\s+at .+\(.+:\d+:\d+\)|TypeError|RangeError/.test(r.stderr + r.stdout)) problems.push(`${f.why}: ${r.stderr.slice(0, 300)}`);
        if (r.code === 2 && !/arquivo|formulário|CSV|pasta|ler/i.test(r.stderr)) problems.push(`${f.why}: unclear refusal ${JSON.stringify(r.stderr.slice(0, 200))}`);
      }
      expect(problems).to.deep.equal([]);
    });
  });

  describe('values that try to change a DN or a search filter (real apply and resend against Samba)', () => {
    let smtp: TestSmtpServer;
    let client: Client;
    let work: string;
    const env = () => ({ SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: smtp.url, SEI_SMTP_CA_FILE: smtp.caFile });
    const NAMES = [
      'Ana *)(objectClass=*',
      'Bruno ,OU=Domain Controllers',
      'Carla X,OU=Domain Controllers,DC=sei,DC=local',
      'Diego \\ Barra',
      '#Elisa Hash',
      // A leading + is refused by validation (a formula for SIP's load file); inside a name it still needs escaping.
      'Fabio +Mais',
      'Gabriela \\,OU=Domain Controllers',
      'Heitor CN=Administrator,CN=Users',
      'Iara <Menor> "Aspas"; Ponto',
      'Joao \\2a Estrela',
      'Karina )(|(cn=*',
      'Lucas =HYPERLINK("http://evil.example","x")',
      'Marina <script>alert(1)</script>',
      'Nelson # + \\ , = ;',
    ];
    const people = NAMES.map((nome, i) => ({
      nome,
      cpf: cpfFor(60_000 + i),
      email: i === 0 ? 'ana*x@pms.sp.gov.br' : `h${i}@pms.sp.gov.br`,
      cargo: INJECTIONS[i % INJECTIONS.length]!,
      municipio: i % 2 ? '*)(objectClass=*' : 'Sorocaba,OU=Domain Controllers',
    }));

    /** Every DN outside the managed root, and the members of the privileged groups. */
    async function outside(): Promise<string> {
      const { searchEntries } = await client.search(BASE, { filter: '(objectClass=*)', attributes: ['member'], paged: { pageSize: 500 } });
      return searchEntries
        .filter((e) => !e.dn.toLowerCase().endsWith(ROOT.toLowerCase()))
        .map((e) => `${e.dn} ${([] as unknown[]).concat(e.member ?? []).map(String).sort().join('|')}`)
        .sort()
        .join('\n');
    }

    before(async () => {
      ({ smtp, client } = await startFaultServers());
      work = newWorkDir('sei-faults-hostile-dn-');
      writeFileSync(join(work, 'config.json'), JSON.stringify({ naming: { trainingCount: 1 } }));
      captured.inputs.add(join(work, 'config.json'));
      for (const p of people) captured.cpfs.add(p.cpf);
    });
    after(async () => {
      await stopFaultServers({ client, smtp });
    });

    it('an apply of such names creates each account exactly where it belongs, and nothing else anywhere', async () => {
      const before = await outside();
      const form = writeForm(work, 'hostil.csv', people.map((p) => [p.municipio, 'PMS', p.nome, p.cpf, p.email, p.cargo]));
      captured.inputs.add(form);
      const r = await runCliWith(work, ['apply', '--yes', '--config', 'config.json', form], { env: env(), label: 'apply of DN/filter-injecting names' });
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      for (const p of people) {
        const { searchEntries } = await client.search(USERS, { filter: `(employeeID=${p.cpf})`, attributes: ['cn', 'displayName', 'title', 'company', 'sAMAccountName'] });
        expect(searchEntries, p.nome).to.have.length(1);
        const e = searchEntries[0]!;
        const rdns = tryParseDn(e.dn);
        expect(rdns, e.dn).to.not.equal(null);
        // CN=<the name>,OU=PMS,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local: six RDNs, whatever the name holds.
        expect(rdns!.map((x) => `${x.type.toUpperCase()}=${x.value}`).slice(1)).to.deep.equal(['OU=PMS', 'OU=Usuarios', 'OU=SEI Cidades', 'DC=sei', 'DC=local']);
        expect(rdns![0]!.value).to.equal(String(e.cn));
        expect(String(e.displayName)).to.equal(p.nome.replace(/\s+/g, ' ').trim());
        expect(String(e.title)).to.equal(p.cargo.replace(/[\s\p{Cc}]+/gu, ' ').trim());
        expect(String(e.sAMAccountName)).to.match(/^[a-z0-9.]+$/);
      }
      expect(await outside(), 'something changed outside the managed OUs').to.equal(before);
      for (const m of smtp.messages) {
        passwordOf(m);
        expect(String(m.html)).to.not.match(/<script|<img/i);
      }
      figures.hostileInputs += people.length;
    });

    it('resend with a filter-injecting argument finds no one and changes nothing', async () => {
      const { searchEntries: usnBefore } = await client.search(USERS, { filter: '(objectClass=user)', attributes: ['uSNChanged'] });
      const messagesBefore = smtp.messages.length;
      const hostile = ['*', '*)(objectClass=*', 'ana*', '*@pms.sp.gov.br', '*x@pms.sp.gov.br', ')(|(sAMAccountName=*', '\\2a', 'a*)(|(mail=*', '***.***.***-**'];
      for (const who of hostile) {
        const r = await runCliWith(work, ['resend', who, '--config', 'config.json'], { env: env(), label: `resend ${who}` });
        figures.hostileInputs++;
        expect(r.code, `${who}: ${r.stdout}${r.stderr}`).to.equal(2);
        expect(r.stderr, who).to.match(/encontr|nenhum|não/i);
      }
      expect(smtp.messages.length).to.equal(messagesBefore);
      const { searchEntries: usnAfter } = await client.search(USERS, { filter: '(objectClass=user)', attributes: ['uSNChanged'] });
      expect(usnAfter.map((e) => `${e.dn}=${String(e.uSNChanged)}`).sort()).to.deep.equal(usnBefore.map((e) => `${e.dn}=${String(e.uSNChanged)}`).sort());
      // The one address that really has a star in it is found, and only that person gets a message.
      const ok = await runCliWith(work, ['resend', 'ana*x@pms.sp.gov.br', '--config', 'config.json'], { env: env(), label: 'resend ana*x' });
      expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
      const fresh = smtp.messages.slice(messagesBefore);
      expect(fresh.map(toOf)).to.deep.equal(['ana*x@pms.sp.gov.br']);
      passwordOf(fresh[0]!);
    });

    it('the reports of that apply neutralise formulas and markup', () => {
      const { problems, files } = checkReports(join(work, 'relatorios'));
      expect(files).to.be.at.least(3);
      expect(problems).to.deep.equal([]);
    });
  });

  describe('formula and HTML injection in every report', () => {
    it('plan --offline of forms full of formulas and markup, valid and rejected rows alike, writes none of it live', async () => {
      const work = newWorkDir('sei-faults-hostile-report-');
      const rand = prng(SEED + 2);
      const rows: string[][] = [];
      INJECTIONS.forEach((v, i) => {
        const cpf = cpfFor(70_000 + i);
        captured.cpfs.add(cpf);
        // Valid rows carrying the value in free-text columns, and rows rejected because of it.
        rows.push([v, 'PMS', `Pessoa ${v}`, cpf, `r${i}@pms.sp.gov.br`, v, 'usuario']);
        rows.push(['Sorocaba', v, `Outra ${v}`, cpfFor(71_000 + i), `=x${i}@pms.sp.gov.br`, v, v, v]);
        captured.cpfs.add(cpfFor(71_000 + i));
      });
      // A CPF typed into the wrong column is echoed by the rejection reason: it must come out masked.
      const misplaced = cpfFor(72_000);
      captured.cpfs.add(misplaced);
      rows.push(['Sorocaba', 'PMS', 'Trocada Um', 'x@pms.sp.gov.br', misplaced, 'Agente']);
      rows.push(['Sorocaba', misplaced, 'Trocada Dois', cpfFor(72_001), 'y@pms.sp.gov.br', 'Agente', misplaced, misplaced]);
      captured.cpfs.add(cpfFor(72_001));
      const form = writeForm(work, 'injecao.csv', rows);
      // A file whose very name is a formula: it shows up in the Arquivo column.
      const formulaName = '=HYPERLINK(1)+2.csv';
      writeFileSync(join(work, formulaName), formText(rand, 2, ';', '\r\n', () => ({ 2: '@SUM(1)' })));
      captured.inputs.add(form).add(join(work, formulaName));
      const r = await runCliWith(work, ['plan', '--offline', '--report-dir', 'relatorio-injecao', 'injecao.csv', formulaName], { label: 'plan --offline of injections' });
      expect(r.code, r.stdout + r.stderr).to.equal(1);
      expect(r.stdout + r.stderr).to.not.contain('\u001b');
      const { problems, files, cells } = checkReports(join(work, 'relatorio-injecao'));
      expect(files).to.equal(3);
      expect(cells).to.be.greaterThan(200);
      expect(problems).to.deep.equal([]);
      // The values are there, only disarmed: a leading apostrophe in the CSV, entities in the HTML.
      const csv = readFileSync(join(work, 'relatorio-injecao', 'relatorio.csv'), 'utf8');
      expect(csv).to.contain("'=HYPERLINK").and.contain("'@SUM");
      const html = readFileSync(join(work, 'relatorio-injecao', 'relatorio.html'), 'utf8');
      expect(html).to.contain('&lt;script&gt;');
      figures.hostileInputs += rows.length + 2;
      expect(readdirSync(join(work, 'relatorio-injecao')).sort()).to.deep.equal(['plano.json', 'relatorio.csv', 'relatorio.html', 'relatorio.json']);
    });
  });
});
