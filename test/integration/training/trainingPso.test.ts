import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainingPolicyError } from '../../../src/app/training/checkTrainingPso.js';
import { bindResult, caught } from '../harness.js';
import { setLocalAdPso } from '../localAd.js';
import {
  PARENT,
  PSO,
  ROOT,
  TRAINING,
  ad,
  client,
  closeTrainingEnv,
  dnOf,
  everythingUnder,
  freshTrainingEnv,
  replace,
  training,
  work,
} from './trainingEnv.js';

describe('training: the PSO is checked before anything is created (Samba AD DC)', function () {
  this.timeout(180_000);
  after(() => closeTrainingEnv());

  describe('before anything is created, the PSO is checked', () => {
    before(() => freshTrainingEnv({ pso: false, count: 3 }));

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
});
