import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTrainingState, type TrainingStateStore } from '../../../src/adapters/state/trainingState.js';
import { resetTraining, type ResetTrainingDeps } from '../../../src/app/training/resetTraining.js';
import { isDnUnder } from '../../../src/core/dn.js';
import { DirectoryError, ExitCode, SeiError } from '../../../src/domain/errors.js';
import type { AttributeValues, Directory, Modification, RawEntry } from '../../../src/ports/Directory.js';
import type { Logger } from '../../../src/ports/Logger.js';
import { GROUPS_DN, TRAINING_DN, TRAINING_PARENT_DN, aPolicy, groupDn, trainingOu } from '../core/builders.js';

const PSO = 'CN=PSO,CN=Password Settings Container,CN=System,DC=sei,DC=local';
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, audit: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An in-memory directory holding training accounts, enough for the reset: paged searches (with the
 * `pwdLastSet>=` read-back filter), reads, group adds and password sets, which bump pwdLastSet.
 */
class FakeDirectory implements Directory {
  readonly actor = 'CN=tool';
  readonly source = 'fake';
  readonly accounts = new Map<string, Record<string, string[]>>();
  readonly groups = new Map<string, string[]>();
  /** Órgão training groups nested in the PSO group (as training creates them). */
  readonly nested = new Set<string>();
  readonly log: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  filetime = 134_400_000_000_000_000n;
  failPassword = new Set<string>();
  /** Simulates a DC whose clock is far behind: the read-back search finds nothing. */
  readBackFindsNothing = false;

  addAccount(orgao: string, n: number): string {
    const cn = `usuario${String(n).padStart(2, '0')}`;
    const dn = `CN=${cn},${trainingOu(orgao)}`;
    const group = groupDn(`SEI-Treinamento-${orgao}`);
    this.accounts.set(dn, {
      samaccountname: [`${cn}.${orgao.toLowerCase()}`],
      userprincipalname: [`${cn}.${orgao.toLowerCase()}@sei.local`],
      useraccountcontrol: ['66048'],
      pwdlastset: [String(this.filetime++)],
      lockouttime: ['0'],
      usnchanged: ['1'],
      memberof: [group],
    });
    this.groups.set(group, [...(this.groups.get(group) ?? []), dn]);
    this.nested.add(group);
    return dn;
  }

  set(dn: string, attribute: string, value: string): void {
    this.accounts.get(dn)![attribute] = [value];
  }

  async observe(): Promise<never> {
    throw new Error('not used by the reset');
  }

  async read(dn: string, attributes: string[]): Promise<RawEntry | null> {
    if (dn === TRAINING_PARENT_DN) return { dn, attributes: { 'msds-psoapplied': [PSO], grouptype: ['-2147483646'] } };
    if (dn === PSO) return { dn, attributes: { 'msds-passwordcomplexityenabled': ['FALSE'], 'msds-minimumpasswordlength': ['6'] } };
    const a = this.accounts.get(dn);
    this.log.push(`read ${dn}`);
    return a ? { dn, attributes: Object.fromEntries(attributes.map((x) => [x.toLowerCase(), a[x.toLowerCase()] ?? []])) } : null;
  }

  async search(base: string, filter: string, attributes: string[]): Promise<RawEntry[]> {
    if (filter.includes(`(memberOf=${TRAINING_PARENT_DN})`)) {
      this.log.push(`search ${base} (nesting)`);
      return [...this.nested].filter((g) => isDnUnder(g, base)).map((g) => ({ dn: g, attributes: {} }));
    }
    this.log.push(`search ${base}`);
    const since = /pwdLastSet>=(\d+)/.exec(filter)?.[1];
    if (since !== undefined && this.readBackFindsNothing) return [];
    return [...this.accounts]
      .filter(([dn]) => isDnUnder(dn, base))
      .filter(([, a]) => since === undefined || BigInt(a.pwdlastset![0]!) >= BigInt(since))
      .map(([dn, a]) => ({ dn, attributes: Object.fromEntries(attributes.map((x) => [x.toLowerCase(), a[x.toLowerCase()] ?? []])) }));
  }

  async add(): Promise<never> {
    throw new Error('the reset never adds');
  }

  failModify = new Set<string>();

  async modify(dn: string, mods: Modification[]): Promise<void> {
    this.log.push(`modify ${dn}`);
    if (this.failModify.has(dn)) {
      throw new DirectoryError('Sem permissão para alterar o grupo.', { resultCode: 50, dn, operation: 'modify', transient: false });
    }
    for (const m of mods) {
      if (m.attribute !== 'member' || m.operation !== 'add') throw new Error('unexpected modify');
      if (dn === TRAINING_PARENT_DN) {
        for (const g of m.values) this.nested.add(g);
        continue;
      }
      this.groups.set(dn, [...(this.groups.get(dn) ?? []), ...m.values]);
      for (const member of m.values) this.accounts.get(member)!.memberof!.push(dn);
    }
  }

  move(): Promise<void> {
    return Promise.reject(new Error('a training reset never moves an entry'));
  }

  async setPassword(dn: string, password: string, alsoReplace: AttributeValues = {}): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await sleep(3);
      this.log.push(`set-password ${dn}`);
      const a = this.accounts.get(dn)!;
      if (password !== a.samaccountname![0]!.split('.')[0]) throw new Error(`wrong password for ${dn}`);
      if (this.failPassword.has(dn)) {
        throw new DirectoryError('Senha recusada pela política.', { resultCode: 19, adCode: '0000052D', dn, operation: 'set-password', transient: false });
      }
      a.pwdlastset = [String(this.filetime++)];
      a.usnchanged = [String(Number(a.usnchanged![0]) + 1)];
      for (const [k, v] of Object.entries(alsoReplace)) a[k.toLowerCase()] = ([] as string[]).concat(v);
    } finally {
      this.inFlight--;
    }
  }

  async tryBind(): Promise<never> {
    throw new Error('not used');
  }

  async close(): Promise<void> {}
}

const policy = aPolicy({ trainingCount: 10 });

function setup(): { directory: FakeDirectory; store: TrainingStateStore; deps: ResetTrainingDeps } {
  const directory = new FakeDirectory();
  for (const orgao of ['PMC', 'SMS']) for (let n = 1; n <= 10; n++) directory.addAccount(orgao, n);
  const store = openTrainingState(join(mkdtempSync(join(tmpdir(), 'sei-reset-')), 'estado'));
  const deps: ResetTrainingDeps = { directory, store, policy, logger: quiet, concurrency: 3, clock: () => new Date() };
  return { directory, store, deps };
}

const dn = (cn: string, orgao: string) => `CN=${cn},${trainingOu(orgao)}`;

describe('resetTraining (fake directory)', () => {
  it('first run without a record restores all with bounded concurrency, then writes nothing', async () => {
    const { directory, deps } = setup();
    const first = await resetTraining(deps);
    expect(first.recordLost).to.equal(true);
    expect(first.restored).to.equal(20);
    expect(directory.maxInFlight).to.equal(3);
    directory.log.length = 0;
    const second = await resetTraining(deps);
    expect(second.restored).to.equal(0);
    expect(second.warnings).to.deep.equal([]);
    expect(directory.log.filter((l) => !l.startsWith('search'))).to.deep.equal([]);
    expect(directory.log).to.deep.equal([`search ${TRAINING_DN}`, `search ${GROUPS_DN} (nesting)`]);
  });

  it('a training branch that is not there while the record lists accounts stops the run (exit 2), the record kept', async () => {
    const { directory, store, deps } = setup();
    await resetTraining(deps);
    const before = await store.read();
    directory.accounts.clear(); // as if OU=Treinamento were renamed: the search of the branch finds nothing
    directory.log.length = 0;
    const e = await resetTraining(deps).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(SeiError);
    expect((e as SeiError).exitCode).to.equal(ExitCode.unusable);
    expect((e as Error).message).to.contain(TRAINING_DN).and.contain('20 conta(s)');
    expect(await store.read()).to.deep.equal(before);
    expect(directory.log.filter((l) => l.startsWith('set') || l.startsWith('modify'))).to.deep.equal([]);
  });

  it('warns about accounts past a count lowered since they were made: they stay enabled and are no longer restored', async () => {
    const { directory, deps } = setup();
    await resetTraining(deps);
    directory.set(dn('usuario10', 'PMC'), 'lockouttime', '1');
    const lowered = await resetTraining({ ...deps, policy: { ...deps.policy, trainingCount: 8 } });
    expect(lowered.restored).to.equal(0);
    const warning = lowered.warnings.find((w) => w.includes('além das 8 configuradas'));
    expect(warning).to.contain('4 conta(s)').and.contain('usuario09.pmc');
  });

  it('a stop after the first write (the record cannot be written) is exit 1: accounts may have changed', async () => {
    const { directory, store, deps } = setup();
    directory.set(dn('usuario01', 'PMC'), 'lockouttime', '1');
    const broken = { ...store, write: async () => Promise.reject(new Error('EROFS: read-only file system')) };
    const e = await resetTraining({ ...deps, store: broken }).then(
      () => null,
      (x: unknown) => x,
    );
    expect((e as SeiError).exitCode).to.equal(ExitCode.partial);
    expect((e as Error).message).to.contain('EROFS');
  });

  it('a failed write is reported and tried again next time; the others are recorded', async () => {
    const { directory, deps } = setup();
    await resetTraining(deps);
    directory.set(dn('usuario02', 'PMC'), 'useraccountcontrol', '66050');
    directory.set(dn('usuario03', 'PMC'), 'useraccountcontrol', '66050');
    directory.failPassword.add(dn('usuario02', 'PMC'));
    const r = await resetTraining(deps);
    expect(r.restored).to.equal(1);
    expect(r.failed).to.deep.equal([{ dn: dn('usuario02', 'PMC'), login: 'usuario02.pmc', message: 'Senha recusada pela política.' }]);
    directory.failPassword.clear();
    const again = await resetTraining(deps);
    expect(again.restored).to.equal(1);
    expect(again.byReason.disabled).to.equal(1);
    expect((await resetTraining(deps)).restored).to.equal(0);
  });

  it('puts accounts back into their group before setting any password', async () => {
    const { directory, deps } = setup();
    await resetTraining(deps);
    const account = dn('usuario04', 'SMS');
    directory.accounts.get(account)!.memberof = [];
    directory.set(account, 'lockouttime', '99');
    directory.log.length = 0;
    const r = await resetTraining(deps);
    expect(r.membershipsRestored).to.equal(1);
    const writes = directory.log.filter((l) => l.startsWith('modify') || l.startsWith('set-password'));
    expect(writes).to.deep.equal([`modify ${groupDn('SEI-Treinamento-SMS')}`, `set-password ${account}`]);
  });

  it('puts an órgão group back into the PSO group before its accounts and their passwords', async () => {
    const { directory, deps } = setup();
    await resetTraining(deps);
    directory.nested.delete(groupDn('SEI-Treinamento-SMS'));
    const account = dn('usuario04', 'SMS');
    directory.set(account, 'lockouttime', '99');
    directory.log.length = 0;
    const r = await resetTraining(deps);
    expect(r.nestingRestored).to.equal(1);
    const writes = directory.log.filter((l) => l.startsWith('modify') || l.startsWith('set-password'));
    expect(writes).to.deep.equal([`modify ${TRAINING_PARENT_DN}`, `set-password ${account}`]);
    expect((await resetTraining(deps)).nestingRestored).to.equal(0);
  });

  it('a group that cannot take its account back is reported as a failure', async () => {
    const { directory, deps } = setup();
    await resetTraining(deps);
    directory.accounts.get(dn('usuario04', 'SMS'))!.memberof = [];
    directory.failModify.add(groupDn('SEI-Treinamento-SMS'));
    const r = await resetTraining(deps);
    expect(r.membershipsRestored).to.equal(0);
    expect(r.failed).to.deep.equal([{ dn: groupDn('SEI-Treinamento-SMS'), login: '', message: 'Sem permissão para alterar o grupo.' }]);
  });

  it('when the read-back search misses (a clock far off), reads those accounts one by one so the record stays right', async () => {
    const { directory, deps } = setup();
    directory.readBackFindsNothing = true;
    await resetTraining(deps);
    expect(directory.log.filter((l) => l.startsWith('read CN=usuario'))).to.have.length(20);
    directory.readBackFindsNothing = false;
    expect((await resetTraining(deps)).restored).to.equal(0);
  });

  it('a reset of some órgãos searches only their OUs and keeps the record of the others', async () => {
    const { directory, store, deps } = setup();
    await resetTraining(deps);
    directory.log.length = 0;
    directory.set(dn('usuario01', 'SMS'), 'useraccountcontrol', '66050');
    const r = await resetTraining(deps, { orgaos: ['PMC'] });
    expect(r.checked).to.equal(10);
    expect(r.restored).to.equal(0);
    expect(directory.log.filter((l) => l.startsWith('search'))).to.deep.equal([`search ${trainingOu('PMC')}`, `search ${GROUPS_DN} (nesting)`]);
    const record = await store.read();
    expect(record.status === 'ok' && record.pwdLastSet.size).to.equal(20);
  });

  it('a full reset forgets accounts that no longer exist', async () => {
    const { directory, store, deps } = setup();
    await resetTraining(deps);
    directory.accounts.delete(dn('usuario10', 'SMS'));
    const r = await resetTraining(deps);
    expect(r.missing).to.deep.equal(['usuario10.sms']);
    expect(r.warnings.join()).to.contain('sei-contas training SMS');
    const record = await store.read();
    expect(record.status === 'ok' && record.pwdLastSet.has('usuario10.sms')).to.equal(false);
    expect(record.status === 'ok' && record.pwdLastSet.size).to.equal(19);
  });
});
