import { expect } from 'chai';
import {
  newAccountMessage,
  operatorSummaryMessage,
  PASSWORD_LINE_LABEL,
  testMessage,
  trainingReadyMessage,
} from '../../../src/messages/mail.js';

const PASSWORD = 'Xk7#pQ2=mN9?tR4@';
const person = {
  name: 'Maria Aparecida de Souza',
  login: 'maria.souza',
  upn: 'maria.souza@sei.local',
  password: PASSWORD,
  email: 'maria.souza@prefeitura.sp.gov.br',
  loginUrl: 'https://sei.sp.gov.br/sip/login.php',
  support: 'Central de Atendimento Prodesp — suporte.seicidades@prodesp.sp.gov.br',
  orgao: 'SMADS',
  municipio: 'São Paulo',
};

describe('messages/mail', () => {
  describe('newAccountMessage', () => {
    const msg = newAccountMessage(person);

    it('names the órgão in the subject and never the password', () => {
      expect(msg.subject).to.equal('SEI Cidades — sua conta de acesso (SMADS)');
      expect(msg.subject).not.to.include(PASSWORD);
    });

    it('tells, in pt-BR, who, which login and UPN, where to log in and whom to ask', () => {
      for (const part of [person.name, person.login, person.upn, person.loginUrl, person.support, 'SMADS — São Paulo']) {
        expect(msg.text).to.include(part);
        expect(msg.html).to.include(part.replace(/&/g, '&amp;'));
      }
      expect(msg.text).to.match(/primeiro acesso/);
      expect(msg.text).to.match(/provisória/);
    });

    it('puts the password alone on its own labelled line, in the text and the HTML', () => {
      expect(msg.text.split('\n')).to.include(`${PASSWORD_LINE_LABEL} ${PASSWORD}`);
      expect(msg.html).to.include(`<code style="font-size: 16px;">${PASSWORD}</code>`);
      expect(msg.text.split(PASSWORD)).to.have.length(2); // exactly once
    });

    it('escapes every value in the HTML and keeps line breaks out of the subject', () => {
      const hostile = newAccountMessage({
        ...person,
        name: '<script>alert("x")</script> & Cia',
        password: 'a<b&c"d',
        orgao: "SMADS\r\nBcc: outro@example.org <b>'",
        loginUrl: 'javascript:alert(1)',
      });
      expect(hostile.html).not.to.include('<script>');
      expect(hostile.html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cia');
      expect(hostile.html).to.include('a&lt;b&amp;c&quot;d');
      expect(hostile.html).to.include('&lt;b&gt;&#39;');
      expect(hostile.html).not.to.include('href="javascript');
      expect(hostile.subject).not.to.match(/[\r\n]/);
    });

    it('links the login address in the HTML', () => {
      expect(msg.html).to.include(`<a href="${person.loginUrl}">`);
    });
  });

  describe('trainingReadyMessage', () => {
    it('lists usuario01 to usuarioNN, the password rule, the órgão to choose and the address', () => {
      const msg = trainingReadyMessage({ orgao: 'SMADS', municipio: 'São Paulo', count: 25, trainingUrl: 'https://treinamento.sei.sp.gov.br/', support: 'suporte' });
      expect(msg.subject).to.equal('SEI Cidades — ambiente de treinamento pronto (SMADS)');
      expect(msg.text).to.include('usuario01 a usuario25');
      expect(msg.text).to.match(/Senha: igual ao nome do usuário/);
      expect(msg.text).to.include('Órgão a escolher na tela de acesso: SMADS');
      expect(msg.text).to.include('https://treinamento.sei.sp.gov.br/');
      expect(msg.html).to.include('usuario01 a usuario25');
    });

    it('writes NN with two digits', () => {
      expect(trainingReadyMessage({ orgao: 'X', count: 5, trainingUrl: 'u', support: 's' }).text).to.include('usuario01 a usuario05');
      expect(trainingReadyMessage({ orgao: 'X', count: 1, trainingUrl: 'u', support: 's' }).text).to.include('Usuários: usuario01 (1 usuário)');
    });

    it('escapes the órgão in the HTML', () => {
      expect(trainingReadyMessage({ orgao: 'A&B', count: 2, trainingUrl: 'u', support: 's' }).html).to.include('A&amp;B').and.not.include('A&B');
    });
  });

  describe('operatorSummaryMessage', () => {
    it('gives the run, the counts and the summary text', () => {
      const msg = operatorSummaryMessage({
        runId: '20250131-1425-ab12',
        command: 'apply',
        summaryText: 'Linha 4: CPF ***.456.789-** rejeitado <e-mail inválido>',
        counts: { created: 3, failed: 0 },
      });
      expect(msg.subject).to.equal('SEI Cidades — resumo de apply (20250131-1425-ab12)');
      expect(msg.text).to.include('contas criadas: 3');
      expect(msg.text).to.include('ações com falha: 0');
      expect(msg.text).not.to.include('desativadas');
      expect(msg.text).to.include('***.456.789-**');
      expect(msg.html).to.include('&lt;e-mail inválido&gt;');
    });

    it('flags a run that needs attention in the subject', () => {
      const msg = operatorSummaryMessage({ runId: 'r', command: 'sync', summaryText: '', counts: { credentialsPending: 2 } });
      expect(msg.subject).to.match(/requer atenção$/);
    });
  });

  it('testMessage is harmless and in pt-BR', () => {
    const msg = testMessage();
    expect(msg.subject).to.equal('SEI Cidades — mensagem de teste');
    expect(msg.text).to.match(/mensagem de teste/);
    expect(msg.text).not.to.include(PASSWORD_LINE_LABEL);
    expect(msg.html).to.match(/^<!DOCTYPE html>/);
  });
});

describe('messages/mail, form values with line breaks', () => {
  it('cannot fake a line of their own in the text', () => {
    const msg = newAccountMessage({ ...person, name: `Maria\n${PASSWORD_LINE_LABEL} falsa` });
    expect(msg.text.split('\n').filter((l) => l.startsWith(PASSWORD_LINE_LABEL))).to.deep.equal([`${PASSWORD_LINE_LABEL} ${PASSWORD}`]);
    const training = trainingReadyMessage({ orgao: 'SMADS\nSenha: 123', count: 2, trainingUrl: 'u', support: 's' });
    expect(training.text.split('\n').filter((l) => l.startsWith('Senha:'))).to.have.length(1);
  });
});
