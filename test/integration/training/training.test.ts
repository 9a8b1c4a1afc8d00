import { expect } from 'chai';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import { acquireRunLock } from '../../../src/adapters/state/runLock.js';
import { TrainingPolicyError } from '../../../src/app/training/checkTrainingPso.js';
import { ExitCode, LockHeldError, SeiError } from '../../../src/domain/errors.js';
import { trainingMessages } from '../../../src/messages/training.js';
import { bindResult, caught } from '../harness.js';
import { setLocalAdPso } from '../localAd.js';
import {
  PARENT,
  PSO,
  TRAINING,
  accounts,
  ad,
  client,
  closeTrainingEnv,
  dnOf,
  freshTrainingEnv,
  groupOf,
  list,
  recordFile,
  recordOnDisk,
  replace,
  reset,
  selfChange,
  training,
  work,
} from './trainingEnv.js';

describe('training: create and reset, 3 accounts per órgão (Samba AD DC)', function () {
  this.timeout(180_000);
  after(() => closeTrainingEnv());

  describe('create and reset (3 accounts per órgão)', () => {
    before(() => freshTrainingEnv({ count: 3 }));

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

    it('lifts an expiry date, logon hours and a workstation list someone set, so the trainee can log on again', async () => {
      const [expired, hours] = [dnOf('usuario01', 'SMS'), dnOf('usuario02', 'SMS')];
      // Expired yesterday; no hour of the week allowed (21 zero bytes), and only the lab's PC01.
      await client.modify(expired, replace('accountExpires', ((BigInt(Date.now() - 86_400_000) + 11_644_473_600_000n) * 10_000n).toString()));
      await client.modify(hours, [
        new Change({ operation: 'replace', modification: new Attribute({ type: 'logonHours', values: [Buffer.alloc(21)] }) }),
        replace('userWorkstations', 'PC01'),
      ]);
      expect(await bindResult(ad, expired, 'usuario01')).not.to.equal('ok');
      expect(await bindResult(ad, hours, 'usuario02')).not.to.equal('ok');
      const { outcome } = await reset(['SMS']);
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.restored).to.equal(2);
      expect(outcome.byReason).to.deep.include({ restrictions: 2 });
      for (const dn of [expired, hours]) {
        const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['accountExpires', 'logonHours', 'userWorkstations'] });
        expect(list(searchEntries[0]?.accountExpires).filter((v) => v !== '0' && v !== '9223372036854775807'), dn).to.deep.equal([]);
        expect(list(searchEntries[0]?.logonHours), dn).to.deep.equal([]);
        expect(list(searchEntries[0]?.userWorkstations), dn).to.deep.equal([]);
      }
      expect(await bindResult(ad, expired, 'usuario01')).to.equal('ok');
      expect(await bindResult(ad, hours, 'usuario02')).to.equal('ok');
      expect((await reset(['SMS'])).outcome.restored).to.equal(0);
    });

    it('puts back under its own name an account someone renamed (SIP finds a trainee by CN in the órgão OU)', async () => {
      const renamed = `CN=Instrutor Fulano,${dnOf('usuario02', 'SMS').slice(dnOf('usuario02', 'SMS').indexOf(',') + 1)}`;
      await client.modifyDN(dnOf('usuario02', 'SMS'), renamed);
      const { outcome } = await reset(['SMS']);
      expect(outcome.exitCode).to.equal(0);
      expect(outcome.restored).to.equal(1);
      expect(outcome.byReason).to.deep.include({ moved: 1 });
      expect(await bindResult(ad, dnOf('usuario02', 'SMS'), 'usuario02')).to.equal('ok');
      const gone = await client.search(renamed, { scope: 'base' }).then(
        () => 'still there',
        () => 'gone',
      );
      expect(gone).to.equal('gone');
      expect((await reset(['SMS'])).outcome.restored).to.equal(0);
    });

    it('takes training accounts out of other groups of the tool\'s they were put in by hand, and names those elsewhere', async () => {
      const outside = `CN=Fora do SEI,CN=Users,${ad.baseDN}`;
      await client.add(outside, { objectClass: ['top', 'group'], sAMAccountName: 'fora.do.sei' });
      try {
        const member = (group: string, dn: string) => client.modify(group, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [dn] }) }));
        await member(groupOf('SMS'), dnOf('usuario01', 'PMC'));
        await member(outside, dnOf('usuario01', 'PMC'));
        const before = await accounts(client);
        const { outcome } = await reset();
        expect(outcome.exitCode).to.equal(0);
        expect(outcome.membershipsRemoved).to.equal(1);
        expect(outcome.restored).to.equal(0);
        expect(outcome.warnings.join('\n')).to.contain(outside).and.contain('retire-as desse grupo à mão');
        const { searchEntries } = await client.search(dnOf('usuario01', 'PMC'), { scope: 'base', attributes: ['memberOf'] });
        expect(([] as string[]).concat((searchEntries[0]?.memberOf as string | string[]) ?? []).sort()).to.deep.equal([outside, groupOf('PMC')].sort());
        expect((await accounts(client)).get('usuario01.pmc')?.pwdLastSet).to.equal(before.get('usuario01.pmc')?.pwdLastSet);
      } finally {
        await client.del(outside);
      }
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

    it('a training login held by an account moved out of the branch is named as such, not as an entry at the DN', async () => {
      const dn = dnOf('usuario03', 'SMS');
      const outside = `CN=usuario03,CN=Users,${ad.baseDN}`;
      await client.modifyDN(dn, outside);
      try {
        const { outcome, stdout } = await training(['SMS']);
        expect(outcome.exitCode).to.equal(1);
        expect(outcome.orgaos).to.deep.equal([{ orgao: 'SMS', created: 0, existing: 2, failed: 1 }]);
        expect(stdout).to.contain('o login usuario03.sms já é de outra conta do domínio').and.not.contain('já existe e não é');
      } finally {
        await client.modifyDN(outside, dn);
      }
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

    it('a record that cannot be written once the accounts exist ends the run with exit 1 (not 2), naming the record', async () => {
      const file = recordFile();
      const kept = readFileSync(file);
      rmSync(file);
      // A folder where the record goes: writing it (a rename onto that name) fails after the accounts exist.
      mkdirSync(file);
      try {
        const error = await caught(training(['PMX']));
        expect(error).to.be.instanceOf(SeiError);
        expect((error as SeiError).exitCode).to.equal(ExitCode.partial);
        // Said as what it is — the record, named — and that the accounts were written.
        expect((error as SeiError).message).to.contain(trainingMessages.recordUnwritable(file, '').split('(')[0]);
        expect((error as SeiError).message).to.contain('As contas foram gravadas no diretório');
        const seen = await accounts(client);
        expect(['usuario01.pmx', 'usuario02.pmx', 'usuario03.pmx'].filter((l) => seen.has(l))).to.have.length(3);
      } finally {
        rmSync(file, { recursive: true, force: true });
        writeFileSync(file, kept, { mode: 0o600 });
      }
    });
  });
});
