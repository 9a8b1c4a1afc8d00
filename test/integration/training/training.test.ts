import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { openTrainingState } from '../../../src/adapters/state/trainingState.js';
import { acquireRunLock } from '../../../src/adapters/state/runLock.js';
import { TrainingPolicyError } from '../../../src/app/training/checkTrainingPso.js';
import { trainingCommand, trainingResetCommand } from '../../../src/app/training/trainingCommand.js';
import { syncCommand } from '../../../src/app/syncCommand.js';
import { LockHeldError } from '../../../src/domain/errors.js';
import { bindResult, caught, cpfFor, newRun, newWorkDir, readOutbox, reader, writeForm } from '../harness.js';
import { readLocalAd, resetLocalAd, setLocalAdPso, type LocalAdConnection } from '../localAd.js';

const BASE = 'DC=sei,DC=local';
const ROOT = `OU=SEI Cidades,${BASE}`;
const TRAINING = `OU=Treinamento,${ROOT}`;
const GROUPS = `OU=Grupos,${ROOT}`;
const PARENT = `CN=SEI-Treinamento,${TRAINING}`;
const PSO = `CN=PSO-SEI-Treinamento,CN=Password Settings Container,CN=System,${BASE}`;
const dnOf = (cn: string, orgao: string) => `CN=${cn},OU=${orgao},${TRAINING}`;
const groupOf = (orgao: string) => `CN=SEI-Treinamento-${orgao},${GROUPS}`;

interface Seen {
  dn: string;
  uac: string;
  pwdLastSet: string;
  lockoutTime: string;
  usn: string;
  upn: string;
  memberOf: string[];
}

const list = (v: unknown): string[] => (v === undefined ? [] : ([] as unknown[]).concat(v).map(String));
const one = (v: unknown, fallback = ''): string => list(v)[0] ?? fallback;

/** Every training account as an auditor sees it, by login. */
async function accounts(c: Client): Promise<Map<string, Seen>> {
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
async function everythingUnder(c: Client, base: string): Promise<string[]> {
  const { searchEntries } = await c.search(base, { filter: '(objectClass=*)', attributes: ['1.1'] });
  return searchEntries.map((e) => e.dn.toLowerCase()).sort();
}

const replace = (type: string, value: string) => new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });
const pwd = (p: string) => new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${p}"`, 'utf16le')] });

/** The user changes their own password, as someone in training would. */
async function selfChange(ad: LocalAdConnection, dn: string, from: string, to: string): Promise<void> {
  const u = new Client({ url: ad.url, tlsOptions: { ca: [readFileSync(ad.caFile)] } });
  try {
    await u.bind(dn, from);
    await u.modify(dn, [new Change({ operation: 'delete', modification: pwd(from) }), new Change({ operation: 'add', modification: pwd(to) })]);
  } finally {
    await u.unbind().catch(() => undefined);
  }
}

describe('training environment against a real Active Directory (Samba AD DC)', function () {
  this.timeout(180_000);
  let ad: LocalAdConnection;
  let client: Client;
  let work: string;
  let config: string;

  async function training(orgaos: string[], options: { config?: string } = {}) {
    const run = newRun(work, { flags: { config: options.config ?? config } });
    try {
      const outcome = await trainingCommand(run.ctx, { orgaos });
      return { outcome, stdout: run.stdout() };
    } finally {
      await run.close();
    }
  }

  async function reset(orgaos?: string[]) {
    const run = newRun(work, { flags: { config } });
    try {
      const outcome = await trainingResetCommand(run.ctx, orgaos ? { orgaos } : {});
      return { outcome, stdout: run.stdout() };
    } finally {
      await run.close();
    }
  }

  const recordFile = () => openTrainingState(join(work, 'estado')).file;
  const recordOnDisk = () => (JSON.parse(readFileSync(recordFile(), 'utf8')) as { pwdLastSet: Record<string, string> }).pwdLastSet;

  function newWork(count: number): void {
    work = newWorkDir('sei-it-training-');
    config = join(work, 'config.json');
    writeFileSync(config, JSON.stringify({ naming: { trainingCount: count } }));
  }

  after(async () => {
    await client?.unbind();
  });

  describe('before anything is created, the PSO is checked', () => {
    before(async () => {
      resetLocalAd({ pso: false });
      ad = readLocalAd();
      client = await reader(ad);
      newWork(3);
    });
    after(async () => {
      await client.unbind();
    });

    it('with no PSO, stops with the pt-BR message and the administrator commands, and creates nothing', async () => {
      const before = await everythingUnder(client, ROOT);
      const error = await caught(training(['PMC', 'SMS']));
      expect(error).to.be.instanceOf(TrainingPolicyError);
      const e = error as TrainingPolicyError;
      expect(e.exitCode).to.equal(2);
      expect(e.message).to.contain(`Nenhuma política de senha (PSO) se aplica ao grupo ${PARENT}`);
      expect(e.message).to.contain('Nada foi criado no treinamento.');
      expect(e.message).to.contain('samba-tool domain passwordsettings pso create SEI-Treinamento-PSO 10 --complexity=off');
      expect(e.message).to.contain('samba-tool domain passwordsettings pso apply SEI-Treinamento-PSO "SEI-Treinamento"');
      expect(e.message).to.contain('New-ADFineGrainedPasswordPolicy -Name SEI-Treinamento-PSO');
      expect(e.message).to.contain('Add-ADFineGrainedPasswordPolicySubject SEI-Treinamento-PSO -Subjects "SEI-Treinamento"');
      expect(await everythingUnder(client, ROOT)).to.deep.equal(before);
    });

    it('with a PSO that demands complexity, stops the same way', async () => {
      setLocalAdPso(true);
      await client.modify(PSO, replace('msDS-PasswordComplexityEnabled', 'TRUE'));
      try {
        const before = await everythingUnder(client, ROOT);
        const error = await caught(training(['PMC']));
        expect(error).to.be.instanceOf(TrainingPolicyError);
        expect((error as Error).message).to.contain(`A política de senha ${PSO} aplicada a ${PARENT} exige complexidade`);
        expect((error as Error).message).to.contain('New-ADFineGrainedPasswordPolicy');
        expect(await everythingUnder(client, ROOT)).to.deep.equal(before);
      } finally {
        setLocalAdPso(false);
      }
    });

    it('with the PSO on a group that is not global security (domain local), stops the same way: the PSO would reach no one', async () => {
      setLocalAdPso(true);
      // Global → universal → domain local: the conversions AD allows, one step at a time.
      const scope = async (...types: string[]) => {
        for (const t of types) await client.modify(PARENT, replace('groupType', t));
      };
      await scope('-2147483640', '-2147483644');
      try {
        const before = await everythingUnder(client, ROOT);
        const error = await caught(training(['PMC']));
        expect(error).to.be.instanceOf(TrainingPolicyError);
        expect((error as Error).message).to.contain(`O grupo de treinamento ${PARENT} não é um grupo de segurança global`);
        expect(await everythingUnder(client, ROOT)).to.deep.equal(before);
      } finally {
        await scope('-2147483640', '-2147483646');
        setLocalAdPso(false);
      }
    });

    it('with the PSO group missing, says so and creates nothing', async () => {
      const other = join(work, 'other-group.json');
      writeFileSync(other, JSON.stringify({ naming: { trainingCount: 3, trainingParentGroupDn: `CN=Nao-Existe,${TRAINING}` } }));
      const before = await everythingUnder(client, ROOT);
      const error = await caught(training(['PMC'], { config: other }));
      expect(error).to.be.instanceOf(TrainingPolicyError);
      expect((error as Error).message).to.contain(`O grupo de treinamento CN=Nao-Existe,${TRAINING} não existe`);
      expect(await everythingUnder(client, ROOT)).to.deep.equal(before);
    });

    it('the samba-tool commands of the message, run as written, are enough for training to start', async () => {
      const message = ((await caught(training(['PMC']))) as Error).message;
      const commands = message
        .split('\n')
        .map((line) => line.replace(/^\s*(Samba:)?\s*/, ''))
        .filter((line) => line.startsWith('samba-tool '));
      expect(commands).to.have.length(2);
      // As an administrator would on the DC; only the local test domain's config and database are added.
      const local = ['-s', join(ad.dir, 'samba', 'etc', 'smb.conf'), '-H', join(ad.dir, 'samba', 'private', 'sam.ldb')];
      for (const command of commands) {
        const words = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
        execFileSync(words[0]!, [...words.slice(1), ...local], { stdio: 'ignore' });
      }
      const { outcome } = await training(['PMC']);
      expect(outcome.exitCode).to.equal(0);
      expect(await bindResult(ad, dnOf('usuario01', 'PMC'), 'usuario01')).to.equal('ok');
    });
  });

  describe('create and reset (3 accounts per órgão)', () => {
    before(async () => {
      resetLocalAd();
      ad = readLocalAd();
      client = await reader(ad);
      newWork(3);
    });

    it('creates usuario01..03 for two órgãos: enabled, never expiring, in the órgão group nested in SEI-Treinamento', async () => {
      const { outcome, stdout } = await training(['pmc', 'SMS']);
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.orgaos).to.deep.equal([
        { orgao: 'PMC', created: 3, existing: 0, failed: 0 },
        { orgao: 'SMS', created: 3, existing: 0, failed: 0 },
      ]);
      const seen = await accounts(client);
      expect([...seen.keys()].sort()).to.deep.equal(['usuario01.pmc', 'usuario01.sms', 'usuario02.pmc', 'usuario02.sms', 'usuario03.pmc', 'usuario03.sms']);
      for (const orgao of ['PMC', 'SMS']) {
        for (const cn of ['usuario01', 'usuario02', 'usuario03']) {
          const a = seen.get(`${cn}.${orgao.toLowerCase()}`)!;
          expect(a.dn).to.equal(dnOf(cn, orgao));
          expect(a.uac).to.equal('66048');
          expect(a.upn).to.equal(`${cn}.${orgao.toLowerCase()}@sei.local`);
          expect(a.memberOf.map((g) => g.toLowerCase())).to.deep.equal([groupOf(orgao).toLowerCase()]);
        }
      }
      const { searchEntries } = await client.search(PARENT, { scope: 'base', attributes: ['member'] });
      expect(list(searchEntries[0]?.member).map((g) => g.toLowerCase()).sort()).to.deep.equal([groupOf('PMC'), groupOf('SMS')].map((g) => g.toLowerCase()));
      expect(stdout).to.contain(`No SIP, PMC: contexto OU=PMC,${TRAINING}`);
      expect(stdout).to.contain('PMC: 3 contas criadas, 0 já existiam');
    });

    it('a bind by DN and by UPN with the password equal to the user name succeeds, in both órgãos (same CN, two entries)', async () => {
      expect(dnOf('usuario01', 'PMC')).to.not.equal(dnOf('usuario01', 'SMS'));
      expect(await bindResult(ad, dnOf('usuario01', 'PMC'), 'usuario01')).to.equal('ok');
      expect(await bindResult(ad, dnOf('usuario01', 'SMS'), 'usuario01')).to.equal('ok');
      expect(await bindResult(ad, 'usuario01.pmc@sei.local', 'usuario01')).to.equal('ok');
      expect(await bindResult(ad, 'usuario03.sms@sei.local', 'usuario03')).to.equal('ok');
      expect(await bindResult(ad, dnOf('usuario02', 'PMC'), 'usuario01')).to.match(/data 52e/);
    });

    it('records, 0600, the pwdLastSet of every account it set, as the directory holds it', async () => {
      expect(statSync(recordFile()).mode & 0o777).to.equal(0o600);
      const seen = await accounts(client);
      const expected = Object.fromEntries([...seen].map(([login, a]) => [login, a.pwdLastSet]));
      expect(recordOnDisk()).to.deep.equal(expected);
    });

    it('a second "training" for the same órgãos creates and writes nothing', async () => {
      const before = await accounts(client);
      const { outcome, stdout } = await training(['PMC', 'SMS']);
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.plan.changes).to.deep.equal([]);
      expect(stdout).to.contain('já existem; nada a criar');
      expect(await accounts(client)).to.deep.equal(before);
    });

    it('"training reset" on untouched accounts writes nothing (uSNChanged unchanged)', async () => {
      const before = await accounts(client);
      const { outcome, stdout } = await reset();
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.checked).to.equal(6);
      expect(outcome.restored).to.equal(0);
      expect(outcome.warnings).to.deep.equal([]);
      expect(stdout).to.contain('6 contas verificadas em 2 órgãos; 0 restauradas');
      expect(await accounts(client)).to.deep.equal(before);
    });

    it('restores a changed password, a locked account (set by hand and by failed binds), a disabled one and a lost membership, and only those', async () => {
      // usuario01.pmc changes their own password.
      await selfChange(ad, dnOf('usuario01', 'PMC'), 'usuario01', 'trocada123');
      expect(await bindResult(ad, dnOf('usuario01', 'PMC'), 'usuario01')).to.match(/data 52e/);
      // usuario02.pmc is disabled by an administrator.
      await client.modify(dnOf('usuario02', 'PMC'), replace('userAccountControl', '66050'));
      expect(await bindResult(ad, dnOf('usuario02', 'PMC'), 'usuario02')).to.match(/data 533/);
      // usuario03.pmc: lockoutTime written directly (Samba accepts a non-zero value from an administrator;
      // Windows AD accepts only 0, hence the real lockout below).
      await client.modify(dnOf('usuario03', 'PMC'), replace('lockoutTime', '134000000000000000'));
      // usuario01.sms: a real lockout, with a threshold of 3 on the training PSO.
      await client.modify(PSO, replace('msDS-LockoutThreshold', '3'));
      try {
        for (let i = 0; i < 3; i++) await bindResult(ad, dnOf('usuario01', 'SMS'), 'errada');
        expect(await bindResult(ad, dnOf('usuario01', 'SMS'), 'usuario01')).to.match(/data 775/);
      } finally {
        await client.modify(PSO, replace('msDS-LockoutThreshold', '0'));
      }
      // usuario02.sms leaves its órgão group.
      await client.modify(groupOf('SMS'), new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [dnOf('usuario02', 'SMS')] }) }));

      const before = await accounts(client);
      expect(before.get('usuario01.sms')!.lockoutTime).to.not.equal('0');
      const { outcome, stdout } = await reset();
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.restored).to.equal(4);
      expect(outcome.byReason).to.deep.include({ 'password-changed': 1, disabled: 1, locked: 2, 'no-record': 0 });
      expect(outcome.membershipsRestored).to.equal(1);
      expect(stdout).to.contain('4 restauradas');
      expect(stdout).to.contain('senha trocada: 1');

      const after = await accounts(client);
      expect(await bindResult(ad, dnOf('usuario01', 'PMC'), 'usuario01')).to.equal('ok');
      expect(await bindResult(ad, dnOf('usuario01', 'PMC'), 'trocada123')).to.match(/data 52e/);
      expect(after.get('usuario02.pmc')!.uac).to.equal('66048');
      expect(await bindResult(ad, dnOf('usuario02', 'PMC'), 'usuario02')).to.equal('ok');
      expect(after.get('usuario03.pmc')!.lockoutTime).to.equal('0');
      expect(after.get('usuario01.sms')!.lockoutTime).to.equal('0');
      expect(await bindResult(ad, dnOf('usuario01', 'SMS'), 'usuario01')).to.equal('ok');
      expect(after.get('usuario02.sms')!.memberOf.map((g) => g.toLowerCase())).to.deep.equal([groupOf('SMS').toLowerCase()]);
      // Untouched: not written.
      expect(after.get('usuario03.sms')!.usn).to.equal(before.get('usuario03.sms')!.usn);
      expect(after.get('usuario02.sms')!.pwdLastSet).to.equal(before.get('usuario02.sms')!.pwdLastSet);
      // The record follows what the tool just set.
      const fresh = await accounts(client);
      expect(recordOnDisk()).to.deep.equal(Object.fromEntries([...fresh].map(([login, a]) => [login, a.pwdLastSet])));
    });

    it('a reset right after a reset writes nothing', async () => {
      const before = await accounts(client);
      const { outcome } = await reset();
      expect(outcome.restored).to.equal(0);
      expect(await accounts(client)).to.deep.equal(before);
    });

    it('puts back a UPN someone removed', async () => {
      await client.modify(dnOf('usuario03', 'SMS'), new Change({ operation: 'delete', modification: new Attribute({ type: 'userPrincipalName' }) }));
      const { outcome } = await reset(['SMS']);
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.restored).to.equal(1);
      expect(outcome.byReason).to.deep.include({ attributes: 1 });
      const { searchEntries } = await client.search(dnOf('usuario03', 'SMS'), { scope: 'base', attributes: ['userPrincipalName'] });
      expect(searchEntries[0]?.userPrincipalName).to.equal(`usuario03.sms@${ad.upnSuffix}`);
      expect(await bindResult(ad, dnOf('usuario03', 'SMS'), 'usuario03')).to.equal('ok');
    });

    it('puts an órgão group someone took out of the PSO group back, before the passwords that need it', async () => {
      await client.modify(PARENT, new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [groupOf('SMS')] }) }));
      // A drifted account, whose restore writes the password "usuario02" again: only the PSO lets it through.
      await client.modify(dnOf('usuario02', 'SMS'), replace('userAccountControl', '66050'));
      const { outcome, stdout } = await reset();
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.nestingRestored).to.equal(1);
      expect(outcome.restored).to.equal(1);
      expect(stdout).to.contain('grupo de órgão recolocado');
      const { searchEntries } = await client.search(groupOf('SMS'), { scope: 'base', attributes: ['memberOf'] });
      expect(([] as string[]).concat(searchEntries[0]?.memberOf as string | string[]).map((g) => g.toLowerCase())).to.include(PARENT.toLowerCase());
      expect(await bindResult(ad, dnOf('usuario02', 'SMS'), 'usuario02')).to.equal('ok');
      expect((await reset()).outcome.nestingRestored).to.equal(0);
    });

    it('"training reset PMC" touches only PMC', async () => {
      await client.modify(dnOf('usuario01', 'PMC'), replace('userAccountControl', '66050'));
      await client.modify(dnOf('usuario01', 'SMS'), replace('userAccountControl', '66050'));
      const { outcome } = await reset(['pmc']);
      expect(outcome.orgaos).to.deep.equal(['PMC']);
      expect(outcome.checked).to.equal(3);
      expect(outcome.restored).to.equal(1);
      let seen = await accounts(client);
      expect(seen.get('usuario01.pmc')!.uac).to.equal('66048');
      expect(seen.get('usuario01.sms')!.uac).to.equal('66050');
      // SMS's record entries survive a PMC-only reset: a full reset then writes only usuario01.sms.
      const { outcome: full } = await reset();
      expect(full.restored).to.equal(1);
      seen = await accounts(client);
      expect(seen.get('usuario01.sms')!.uac).to.equal('66048');
    });

    it('with the record file deleted, resets everything once, with a warning, then nothing', async () => {
      rmSync(recordFile());
      const before = await accounts(client);
      const { outcome, stdout } = await reset();
      expect(outcome.recordLost).to.equal(true);
      expect(outcome.restored).to.equal(6);
      expect(outcome.byReason['no-record']).to.equal(6);
      expect(stdout).to.match(/Aviso: O registro das senhas definidas pelo sei-contas \(.*treinamento\.json\) não existe/);
      const after = await accounts(client);
      for (const [login, a] of after) expect(a.usn, login).to.not.equal(before.get(login)!.usn);
      expect(await bindResult(ad, dnOf('usuario02', 'SMS'), 'usuario02')).to.equal('ok');
      const again = await reset();
      expect(again.outcome.restored).to.equal(0);
      expect(again.outcome.warnings).to.deep.equal([]);
    });

    it('a missing account is reported (exit 1) with the command that creates it; "training" recreates and records it', async () => {
      await client.del(dnOf('usuario03', 'SMS'));
      const { outcome, stdout } = await reset();
      expect(outcome.exitCode).to.equal(1);
      expect(outcome.missing).to.deep.equal(['usuario03.sms']);
      expect(stdout).to.contain('sei-contas training SMS');
      const created = await training(['SMS']);
      expect(created.outcome.orgaos).to.deep.equal([{ orgao: 'SMS', created: 1, existing: 2, failed: 0 }]);
      expect(await bindResult(ad, dnOf('usuario03', 'SMS'), 'usuario03')).to.equal('ok');
      const before = await accounts(client);
      const { outcome: again } = await reset();
      expect(again.exitCode).to.equal(0);
      expect(again.restored).to.equal(0);
      expect(await accounts(client)).to.deep.equal(before);
    });

    it('never takes an entry of another account at a training DN for its own: no password, no enabling', async () => {
      const dn = dnOf('usuario03', 'SMS');
      await client.del(dn);
      // Someone else's entry where usuario03 of SMS belongs (created disabled, without a password).
      await client.add(dn, { objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName: 'estranho.sms', userAccountControl: '514' });
      const { outcome } = await training(['SMS']);
      expect(outcome.exitCode).to.equal(1);
      expect(outcome.orgaos).to.deep.equal([{ orgao: 'SMS', created: 0, existing: 2, failed: 1 }]);
      const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['userAccountControl', 'pwdLastSet', 'sAMAccountName'] });
      expect(searchEntries[0]).to.deep.include({ userAccountControl: '514', pwdLastSet: '0', sAMAccountName: 'estranho.sms' });
      // Put back as the later tests expect it.
      await client.del(dn);
      expect((await training(['SMS'])).outcome.exitCode).to.equal(0);
    });

    it('without the PSO, reset stops with the message and writes nothing', async () => {
      await client.modify(dnOf('usuario02', 'PMC'), replace('userAccountControl', '66050'));
      setLocalAdPso(false);
      try {
        const before = await accounts(client);
        const error = await caught(reset());
        expect(error).to.be.instanceOf(TrainingPolicyError);
        expect((error as Error).message).to.contain('samba-tool domain passwordsettings pso create');
        expect(await accounts(client)).to.deep.equal(before);
      } finally {
        setLocalAdPso(true);
      }
      expect((await reset()).outcome.restored).to.equal(1);
    });

    it('waits for no one: with another run holding the lock, exits 3 at once', async () => {
      const lock = await acquireRunLock(join(work, 'estado'), { startedAt: new Date().toISOString(), command: 'sync', runId: 'other' });
      try {
        const error = await caught(reset());
        expect(error).to.be.instanceOf(LockHeldError);
        expect((error as LockHeldError).exitCode).to.equal(3);
        expect(await caught(training(['PMC']))).to.be.instanceOf(LockHeldError);
      } finally {
        await lock.release();
      }
    });
  });

  describe('sync: every órgão in the forms, reset every night, notice once', () => {
    const people = [
      ['Campinas', 'PMC', 'Ana Interlocutora', cpfFor(501), 'ana@campinas.sp.gov.br', 'Chefe', 'interlocutor'],
      ['Campinas', 'PMC', 'José Usuário', cpfFor(502), 'jose@campinas.sp.gov.br'],
      ['Sorocaba', 'SMS', 'Dora Usuária', cpfFor(503), 'dora@sorocaba.sp.gov.br'],
    ];

    async function sync(rows: string[][]) {
      const run = newRun(work, { flags: { config } });
      try {
        const outcome = await syncCommand(run.ctx, { files: [writeForm(work, 'forms.csv', rows)], disableMissing: false, force: false });
        return { outcome, stdout: run.stdout() };
      } finally {
        await run.close();
      }
    }
    const notices = async () =>
      (await readOutbox(join(work, 'outbox'))).filter((mail) => /ambiente de treinamento pronto/.test(mail.subject ?? '')).map((mail) => [mail.subject, mail.to && !Array.isArray(mail.to) ? mail.to.text : '']);

    before(async () => {
      resetLocalAd();
      ad = readLocalAd();
      client = await reader(ad);
      newWork(3);
    });

    it('creates the training accounts of every órgão, records them, notices the interlocutors and warns for an órgão without one', async () => {
      const { outcome, stdout } = await sync(people);
      expect(outcome.exitCode).to.equal(0);
      const seen = await accounts(client);
      expect([...seen.keys()].sort()).to.deep.equal(['usuario01.pmc', 'usuario01.sms', 'usuario02.pmc', 'usuario02.sms', 'usuario03.pmc', 'usuario03.sms']);
      expect(await bindResult(ad, 'usuario02.sms@sei.local', 'usuario02')).to.equal('ok');
      expect(recordOnDisk()).to.deep.equal(Object.fromEntries([...seen].map(([login, a]) => [login, a.pwdLastSet])));
      expect(await notices()).to.deep.equal([['SEI Cidades — ambiente de treinamento pronto (PMC)', 'ana@campinas.sp.gov.br']]);
      expect(stdout).to.contain('Órgão SMS: nenhum interlocutor nos formulários');
      const journal = readFileSync(join(work, 'estado', 'credenciais.jsonl'), 'utf8');
      expect(journal).to.match(/"type":"training-notified","orgao":"PMC","to":\["ana@campinas.sp.gov.br"\]/);
      // The accounts sync just made are the tool's own: the reset inside the same sync wrote none of them.
      expect(stdout).to.contain('6 contas verificadas em 2 órgãos; 0 restauradas');
    });

    it('the next sync restores a drifted account, and sends no notice again', async () => {
      await client.modify(dnOf('usuario02', 'PMC'), replace('userAccountControl', '66050'));
      const before = await accounts(client);
      const { outcome, stdout } = await sync(people);
      expect(outcome.exitCode).to.equal(0);
      expect(stdout).to.contain('1 restaurada');
      const after = await accounts(client);
      expect(after.get('usuario02.pmc')!.uac).to.equal('66048');
      expect(after.get('usuario01.pmc')!.usn).to.equal(before.get('usuario01.pmc')!.usn);
      expect(await notices()).to.have.length(1);
    });

    it('an interlocutor named later for SMS gets the notice on the next sync', async () => {
      await sync([...people, ['Sorocaba', 'SMS', 'Eva Interlocutora', cpfFor(504), 'eva@sorocaba.sp.gov.br', 'Diretora', 'interlocutor']]);
      expect(await notices()).to.deep.equal([
        ['SEI Cidades — ambiente de treinamento pronto (PMC)', 'ana@campinas.sp.gov.br'],
        ['SEI Cidades — ambiente de treinamento pronto (SMS)', 'eva@sorocaba.sp.gov.br'],
      ]);
    });

    it('without the PSO, sync still writes its reports and says why the training reset did not run (exit 1)', async () => {
      setLocalAdPso(false);
      try {
        const { outcome, stdout } = await sync(people);
        expect(outcome.exitCode).to.equal(1);
        expect(stdout).to.contain('Nenhuma política de senha (PSO) se aplica');
        expect(stdout).to.contain('Relatórios gravados em');
      } finally {
        setLocalAdPso(true);
      }
    });
  });

  describe('the full 99 accounts', () => {
    before(async () => {
      resetLocalAd();
      ad = readLocalAd();
      client = await reader(ad);
      newWork(99);
    });

    it('creates usuario01..usuario99 for two órgãos and a reset of the untouched 198 writes nothing', async () => {
      const t0 = Date.now();
      const { outcome } = await training(['PMC', 'SMS']);
      const createdMs = Date.now() - t0;
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.orgaos.map((o) => o.created)).to.deep.equal([99, 99]);
      const seen = await accounts(client);
      expect(seen.size).to.equal(198);
      expect(seen.get('usuario99.sms')!.dn).to.equal(dnOf('usuario99', 'SMS'));
      expect(await bindResult(ad, dnOf('usuario99', 'PMC'), 'usuario99')).to.equal('ok');
      expect(await bindResult(ad, 'usuario99.sms@sei.local', 'usuario99')).to.equal('ok');
      expect(Object.keys(recordOnDisk())).to.have.length(198);

      // 1 % drifted: two accounts.
      await selfChange(ad, dnOf('usuario50', 'PMC'), 'usuario50', 'outra-senha');
      await client.modify(dnOf('usuario50', 'SMS'), replace('userAccountControl', '66050'));
      const before = await accounts(client);
      const t1 = Date.now();
      const { outcome: r } = await reset();
      const resetMs = Date.now() - t1;
      expect(r.checked).to.equal(198);
      expect(r.restored).to.equal(2);
      const after = await accounts(client);
      const written = [...after].filter(([login, a]) => a.usn !== before.get(login)!.usn).map(([login]) => login).sort();
      expect(written).to.deep.equal(['usuario50.pmc', 'usuario50.sms']);
      console.log(`      [medida] criação 2 × 99: ${createdMs} ms (${((198 / createdMs) * 1000).toFixed(1)} contas/s); restauração com 1 % alterado: ${resetMs} ms`);
    });
  });
});
