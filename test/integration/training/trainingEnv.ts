/**
 * What the training suites share: the DNs of the local test domain, how an auditor reads the training
 * accounts, and one environment per suite (a fresh domain, a work folder and its config) with the commands
 * run the way the CLI runs them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { openTrainingState } from '../../../src/adapters/state/trainingState.js';
import { trainingCommand, trainingResetCommand } from '../../../src/app/training/trainingCommand.js';
import { newRun, newWorkDir, reader } from '../harness.js';
import { readLocalAd, resetLocalAd, type LocalAdConnection } from '../localAd.js';

export const BASE = 'DC=sei,DC=local';
export const ROOT = `OU=SEI Cidades,${BASE}`;
export const TRAINING = `OU=Treinamento,${ROOT}`;
export const GROUPS = `OU=Grupos,${ROOT}`;
export const PARENT = `CN=SEI-Treinamento,${TRAINING}`;
export const PSO = `CN=PSO-SEI-Treinamento,CN=Password Settings Container,CN=System,${BASE}`;
export const dnOf = (cn: string, orgao: string) => `CN=${cn},OU=${orgao},${TRAINING}`;
export const groupOf = (orgao: string) => `CN=SEI-Treinamento-${orgao},${GROUPS}`;

export interface Seen {
  dn: string;
  uac: string;
  pwdLastSet: string;
  lockoutTime: string;
  usn: string;
  upn: string;
  memberOf: string[];
}

export const list = (v: unknown): string[] => (v === undefined ? [] : ([] as unknown[]).concat(v).map(String));
const one = (v: unknown, fallback = ''): string => list(v)[0] ?? fallback;

/** Every training account as an auditor sees it, by login. */
export async function accounts(c: Client): Promise<Map<string, Seen>> {
  const { searchEntries } = await c.search(TRAINING, {
    filter: '(&(objectCategory=person)(objectClass=user))',
    attributes: ['sAMAccountName', 'userPrincipalName', 'userAccountControl', 'pwdLastSet', 'lockoutTime', 'uSNChanged', 'memberOf'],
  });
  return new Map(
    searchEntries.map((e) => [
      one(e.sAMAccountName).toLowerCase(),
      {
        dn: e.dn,
        uac: one(e.userAccountControl),
        pwdLastSet: one(e.pwdLastSet),
        lockoutTime: one(e.lockoutTime, '0'),
        usn: one(e.uSNChanged),
        upn: one(e.userPrincipalName),
        memberOf: list(e.memberOf),
      },
    ]),
  );
}

/** Every DN under the managed root (what "nothing half-created" is checked against). */
export async function everythingUnder(c: Client, base: string): Promise<string[]> {
  const { searchEntries } = await c.search(base, { filter: '(objectClass=*)', attributes: ['1.1'] });
  return searchEntries.map((e) => e.dn.toLowerCase()).sort();
}

export const replace = (type: string, value: string) => new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });
const pwd = (p: string) => new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${p}"`, 'utf16le')] });

/** The user changes their own password, as someone in training would. */
export async function selfChange(ad: LocalAdConnection, dn: string, from: string, to: string): Promise<void> {
  const u = new Client({ url: ad.url, tlsOptions: { ca: [readFileSync(ad.caFile)] } });
  try {
    await u.bind(dn, from);
    await u.modify(dn, [new Change({ operation: 'delete', modification: pwd(from) }), new Change({ operation: 'add', modification: pwd(to) })]);
  } finally {
    await u.unbind().catch(() => undefined);
  }
}

/**
 * The current suite's world: a fresh domain (with or without the training PSO), a reader bound to it, a work
 * folder with its config. Suites run one after another, and each `before` starts its own with
 * `freshTrainingEnv`; the tests read these live bindings.
 */
export let ad: LocalAdConnection;
export let client: Client;
export let work: string;
/** The work folder's config.json, with `naming.trainingCount`. */
export let config: string;

export async function freshTrainingEnv(options: { pso?: boolean; count: number }): Promise<void> {
  await client?.unbind().catch(() => undefined);
  resetLocalAd(options.pso === false ? { pso: false } : {});
  ad = readLocalAd();
  client = await reader(ad);
  work = newWorkDir('sei-it-training-');
  config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({ naming: { trainingCount: options.count } }));
}

export async function closeTrainingEnv(): Promise<void> {
  await client?.unbind().catch(() => undefined);
}

/** `sei-contas training <orgaos>` in the current work folder. */
export async function training(orgaos: string[], options: { config?: string } = {}) {
  const run = newRun(work, { flags: { config: options.config ?? config } });
  try {
    const outcome = await trainingCommand(run.ctx, { orgaos });
    return { outcome, stdout: run.stdout() };
  } finally {
    await run.close();
  }
}

/** `sei-contas training reset [orgaos]` in the current work folder. */
export async function reset(orgaos?: string[]) {
  const run = newRun(work, { flags: { config } });
  try {
    const outcome = await trainingResetCommand(run.ctx, orgaos ? { orgaos } : {});
    return { outcome, stdout: run.stdout() };
  } finally {
    await run.close();
  }
}

export const recordFile = (): string => openTrainingState(join(work, 'estado')).file;
/** The record of the tool's own password sets, as written on disk. */
export const recordOnDisk = (): Record<string, string> =>
  (JSON.parse(readFileSync(recordFile(), 'utf8')) as { pwdLastSet: Record<string, string> }).pwdLastSet;
