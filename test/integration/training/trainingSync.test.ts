import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyCommand } from '../../../src/app/applyCommand.js';
import { syncCommand } from '../../../src/app/syncCommand.js';
import { bindResult, cpfFor, newRun, readOutbox, writeForm } from '../harness.js';
import { setLocalAdPso } from '../localAd.js';
import {
  accounts,
  ad,
  client,
  closeTrainingEnv,
  config,
  dnOf,
  freshTrainingEnv,
  recordOnDisk,
  replace,
  reset,
  selfChange,
  training,
  work,
} from './trainingEnv.js';

describe('training in the nightly sync, and the full 99 accounts (Samba AD DC)', function () {
  this.timeout(180_000);
  after(() => closeTrainingEnv());

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

    before(() => freshTrainingEnv({ count: 3 }));

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

    it('an apply (which checks no training account) does not tell an órgão whose accounts it did not make that they are ready', async () => {
      // SMS's accounts were made by the first sync; one has drifted since, and apply does not reset.
      await client.modify(dnOf('usuario01', 'SMS'), replace('userAccountControl', '66050'));
      const withEva = [...people, ['Sorocaba', 'SMS', 'Eva Interlocutora', cpfFor(504), 'eva@sorocaba.sp.gov.br', 'Diretora', 'interlocutor']];
      const run = newRun(work, { flags: { config } });
      try {
        const outcome = await applyCommand(run.ctx, { files: [writeForm(work, 'forms.csv', withEva)], yes: true });
        expect(outcome.exitCode).to.equal(0);
      } finally {
        await run.close();
      }
      expect((await notices()).map(([subject]) => subject)).to.deep.equal(['SEI Cidades — ambiente de treinamento pronto (PMC)']);
    });

    it('an interlocutor named later for SMS gets the notice on the next sync', async () => {
      await sync([...people, ['Sorocaba', 'SMS', 'Eva Interlocutora', cpfFor(504), 'eva@sorocaba.sp.gov.br', 'Diretora', 'interlocutor']]);
      expect(await notices()).to.deep.equal([
        ['SEI Cidades — ambiente de treinamento pronto (PMC)', 'ana@campinas.sp.gov.br'],
        ['SEI Cidades — ambiente de treinamento pronto (SMS)', 'eva@sorocaba.sp.gov.br'],
      ]);
    });

    it('a training account deleted by hand fails the sync (exit 1), as it fails "training reset", and is named', async () => {
      await client.del(dnOf('usuario03', 'SMS'));
      // SMS is out of this night's forms: sync does not create its accounts, its reset finds one missing.
      const { outcome, stdout } = await sync(people.filter((p) => p[1] !== 'SMS'));
      expect(outcome.exitCode).to.equal(1);
      expect(stdout).to.contain('sei-contas training SMS');
      expect((await training(['SMS'])).outcome.exitCode).to.equal(0);
    });

    it('a training account that could not be created is one failure, not also a missing one', async () => {
      const outside = `CN=usuario03,CN=Users,${ad.baseDN}`;
      await client.modifyDN(dnOf('usuario03', 'SMS'), outside);
      try {
        // The login is now held outside the branch: the create fails (68), and the reset finds it missing.
        const { outcome } = await sync(people);
        expect(outcome.exitCode).to.equal(1);
        expect(outcome.model.results?.failed).to.equal(1);
        expect((outcome as unknown as { otherFailures: number }).otherFailures).to.equal(0); // FinishedRun's count of failures outside the plan
      } finally {
        await client.modifyDN(outside, dnOf('usuario03', 'SMS'));
      }
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
    before(() => freshTrainingEnv({ count: 99 }));

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
