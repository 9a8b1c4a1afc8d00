import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { simpleParser, type ParsedMail } from 'mailparser';
import { buildContext, type GlobalFlags } from '../../src/cli/buildContext.js';
import type { RunContext } from '../../src/app/context.js';
import { Client } from 'ldapts';
import { localAdEnv, type LocalAdConnection } from './localAd.js';
import { generateValidCpf } from '../../src/core/cpf.js';

/** A work folder for one scenario: its own estado/, relatorios/, logs/ and outbox, kept across runs. */
export function newWorkDir(prefix = 'sei-it-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestRun {
  ctx: RunContext;
  stdout: () => string;
  stderr: () => string;
  close: () => Promise<void>;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * The same wiring the CLI uses (config, logs to files, real LDAPS to the local Samba, real mailer), with
 * the streams captured. `env` adds to the local directory's variables; mail goes to `<cwd>/outbox` unless
 * told otherwise.
 */
export function newRun(cwd: string, options: { env?: Record<string, string>; flags?: GlobalFlags } = {}): TestRun {
  const out = capture();
  const err = capture();
  const env = {
    ...localAdEnv(),
    SEI_MAIL_TRANSPORT: 'file',
    SEI_MAIL_OUTBOX: join(cwd, 'outbox'),
    ...options.env,
  };
  const { ctx, close } = buildContext(options.flags ?? {}, {
    env,
    cwd,
    stdout: out.stream,
    stderr: err.stream,
    stdin: new PassThrough(),
  });
  return { ctx, stdout: out.text, stderr: err.text, close };
}

/** Writes a UTF-8 `;` form with the standard headers into `dir`. Rows: [municipio, orgao, nome, cpf, email, cargo?, perfil?, acao?]. */
export function writeForm(dir: string, name: string, rows: string[][]): string {
  const header = 'Município;Órgão;Nome;CPF;E-mail;Cargo;Perfil;Ação';
  const quote = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const body = rows.map((r) => Array.from({ length: 8 }, (_, i) => quote(r[i] ?? '')).join(';'));
  const file = join(dir, name);
  writeFileSync(file, [header, ...body].join('\r\n') + '\r\n');
  return file;
}

/** Every message in a file outbox, parsed. */
export async function readOutbox(dir: string): Promise<ParsedMail[]> {
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
}

/** Valid CPFs, deterministic, distinct per seed. */
export const cpfFor = (seed: number): string => generateValidCpf(seed);

/** A test's own LDAPS client, with timeouts: a check may fail, never hang. */
function testClient(ad: LocalAdConnection): Client {
  return new Client({ url: ad.url, timeout: 20_000, connectTimeout: 5000, tlsOptions: { ca: [readFileSync(ad.caFile)] } });
}

/** A second connection, not the tool's: what an auditor would see. */
export async function reader(ad: LocalAdConnection): Promise<Client> {
  // A freshly started Samba may reset the very first connection: try a few times.
  for (let attempt = 0; ; attempt++) {
    const c = testClient(ad);
    try {
      await c.bind(ad.bindDN, ad.password);
      return c;
    } catch (e) {
      await c.unbind().catch(() => undefined);
      if (attempt >= 4) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** 'ok', or the server's bind error (AD's `data 773`, `52e`, `533` sub-codes are in it). */
export async function bindResult(ad: LocalAdConnection, dn: string, password: string): Promise<string> {
  const c = testClient(ad);
  try {
    await c.bind(dn, password);
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.unbind().catch(() => undefined);
  }
}


export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;
/** tsx resolved from the project, since the child runs in a folder of its own. */
export const TSX_IMPORT = import.meta.resolve('tsx');

/** Runs the real command line (from source, through tsx) in `cwd`, pointed at the local directory. */
export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_IMPORT, CLI, ...args], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', SEI_MAIL_TRANSPORT: 'file', SEI_MAIL_OUTBOX: join(cwd, 'outbox'), ...localAdEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** What a run that must fail threw, or undefined if it did not throw. */
export async function caught(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (e) {
    return e;
  }
  return undefined;
}
