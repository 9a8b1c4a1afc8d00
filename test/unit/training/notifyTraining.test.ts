import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../../../src/adapters/journal/FileJournal.js';
import { interlocutorsOf, notifyTraining, type NotifyTrainingDeps } from '../../../src/app/training/notifyTraining.js';
import { MailError } from '../../../src/domain/errors.js';
import type { Journal } from '../../../src/ports/Journal.js';
import type { Logger } from '../../../src/ports/Logger.js';
import type { Mailer, OutgoingMessage } from '../../../src/ports/Mailer.js';
import { NOW, aPerson } from '../core/builders.js';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, audit: () => undefined };

/** Accepts every message except to addresses in `refuse`. */
function fakeMailer(refuse: string[] = []): Mailer & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    async send(message) {
      if (refuse.includes(message.to)) throw new MailError(`550 caixa inexistente: ${message.to}`, { permanent: true });
      sent.push(message);
      return { messageId: `<${sent.length}@x>`, response: '250 ok' };
    },
    verify: async () => undefined,
    close: async () => undefined,
  };
}

async function deps(mailer: Mailer, journal?: Journal): Promise<NotifyTrainingDeps> {
  return {
    journal: journal ?? (await openJournal(join(mkdtempSync(join(tmpdir(), 'sei-notify-')), 'estado'))),
    mailer,
    logger: quiet,
    runId: 'run-1',
    clock: () => new Date(NOW),
    trainingCount: 99,
    trainingUrl: 'https://treinamento.sei.sp.gov.br/sip/login.php',
    support: 'suporte@prodesp',
  };
}

const ana = aPerson({ orgao: 'PMC', municipio: 'Campinas', perfil: 'interlocutor', email: 'ana@campinas.sp.gov.br' });
const bia = aPerson({ orgao: 'PMC', municipio: 'Campinas', perfil: 'interlocutor', email: 'bia@campinas.sp.gov.br' });
const caio = aPerson({ orgao: 'PMC', perfil: 'usuario', email: 'caio@campinas.sp.gov.br' });
const dora = aPerson({ orgao: 'SMS', perfil: 'usuario', email: 'dora@sms.sp.gov.br' });
const exInterlocutor = aPerson({ orgao: 'SMS', perfil: 'interlocutor', acao: 'desativar', email: 'ex@sms.sp.gov.br' });

describe('"training ready" notice', () => {
  it('goes to each interlocutor of the órgão, with the órgão, the user range and the URL, and is recorded', async () => {
    const mailer = fakeMailer();
    const d = await deps(mailer);
    const result = await notifyTraining(d, ['PMC'], [ana, caio, bia, dora]);
    expect(mailer.sent.map((m) => m.to)).to.deep.equal(['ana@campinas.sp.gov.br', 'bia@campinas.sp.gov.br']);
    expect(mailer.sent[0]!.subject).to.contain('PMC');
    expect(mailer.sent[0]!.text).to.contain('usuario01 a usuario99');
    expect(mailer.sent[0]!.text).to.contain('https://treinamento.sei.sp.gov.br/sip/login.php');
    expect(result).to.deep.equal({ notified: [{ orgao: 'PMC', to: ['ana@campinas.sp.gov.br', 'bia@campinas.sp.gov.br'] }], undelivered: [], warnings: [] });
    expect([...(await d.journal.trainingNotified())]).to.deep.equal(['PMC']);
  });

  it('goes once: a later run with the same journal sends nothing', async () => {
    const first = fakeMailer();
    const d = await deps(first);
    await notifyTraining(d, ['PMC'], [ana]);
    const second = fakeMailer();
    const again = await notifyTraining({ ...d, mailer: second }, ['PMC'], [ana, bia]);
    expect(second.sent).to.deep.equal([]);
    expect(again.notified).to.deep.equal([]);
  });

  it('warns in pt-BR for an órgão with no interlocutor (a deactivated one does not count) and records nothing', async () => {
    const mailer = fakeMailer();
    const d = await deps(mailer);
    const result = await notifyTraining(d, ['SMS'], [dora, exInterlocutor]);
    expect(mailer.sent).to.deep.equal([]);
    expect(result.warnings).to.have.length(1);
    expect(result.warnings[0]).to.match(/Órgão SMS: nenhum interlocutor nos formulários/);
    expect((await d.journal.trainingNotified()).size).to.equal(0);
    // Once an interlocutor appears, the notice goes.
    const later = await notifyTraining(d, ['SMS'], [dora, aPerson({ orgao: 'SMS', perfil: 'interlocutor', email: 'eva@sms.sp.gov.br' })]);
    expect(later.notified).to.deep.equal([{ orgao: 'SMS', to: ['eva@sms.sp.gov.br'] }]);
  });

  it('when nobody got it, records nothing so the next run tries again', async () => {
    const d = await deps(fakeMailer(['ana@campinas.sp.gov.br']));
    const result = await notifyTraining(d, ['PMC'], [ana]);
    expect(result.notified).to.deep.equal([]);
    expect(result.undelivered).to.deep.equal(['PMC']);
    expect(result.warnings.join('\n')).to.match(/não chegou a ana@campinas.sp.gov.br/).and.match(/nova tentativa na próxima execução/);
    expect((await d.journal.trainingNotified()).size).to.equal(0);
  });

  it('when some got it, records who did and warns about the others', async () => {
    const d = await deps(fakeMailer(['bia@campinas.sp.gov.br']));
    const result = await notifyTraining(d, ['PMC'], [ana, bia]);
    expect(result.notified).to.deep.equal([{ orgao: 'PMC', to: ['ana@campinas.sp.gov.br'] }]);
    expect(result.warnings).to.have.length(1);
    expect([...(await d.journal.trainingNotified())]).to.deep.equal(['PMC']);
  });

  it('one message per address even if an interlocutor appears twice', () => {
    const twice = aPerson({ orgao: 'PMC', perfil: 'interlocutor', email: ana.email });
    expect(interlocutorsOf([ana, twice, bia], 'PMC').map((p) => p.email)).to.deep.equal([ana.email, bia.email]);
  });

  it('stops at the first failure with no server reply: the other órgãos wait for the next run', async () => {
    let attempts = 0;
    const down: Mailer = {
      send: async () => {
        attempts++;
        throw new MailError('conexão recusada', { permanent: false });
      },
      verify: async () => undefined,
      close: async () => undefined,
    };
    const d = await deps(down);
    const others = ['SMA', 'SMB', 'SMC'].map((orgao) => aPerson({ orgao, perfil: 'interlocutor', email: `i@${orgao.toLowerCase()}.sp.gov.br` }));
    const result = await notifyTraining(d, ['PMC', 'SMA', 'SMB', 'SMC'], [ana, bia, ...others]);
    expect(attempts).to.equal(1);
    expect(result.notified).to.deep.equal([]);
    expect(result.undelivered).to.deep.equal(['PMC', 'SMA', 'SMB', 'SMC']);
    expect([...(await d.journal.trainingNotified())]).to.deep.equal([]);
  });
});
