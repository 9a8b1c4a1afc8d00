import { reportMessages } from '../../../src/messages/report.js';
import { expect } from 'chai';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import { renderTerminalSummary } from '../../../src/adapters/report/renderTerminal.js';
import { aBatch, aPerson, aPlan, aScenario, createUser, rejection, training } from './builders.js';
import { TERMINAL_LIMITS } from '../../../src/adapters/report/renderTerminal.js';

const ESC = '\x1b';

function scenarioModel(outcomes?: Parameters<typeof summarisePlan>[2]) {
  const { plan, batch } = aScenario();
  return summarisePlan(plan, batch, outcomes);
}

describe('renderTerminalSummary', () => {
  it('prints no control character a directory value brought (an escape sequence in a login, in a server message)', () => {
    const p = aPerson({ nome: 'Ana Lima' });
    const plan = aPlan([{ ...createUser(p), login: `ana${ESC}[2J.lima` }]);
    const model = summarisePlan(plan, aBatch({ people: [p] }), { outcomes: [{ index: 0, status: 'failed', message: `recusado${ESC}]0;titulo\u0007` }] });
    const text = renderTerminalSummary(model, { color: false });
    expect(text).to.not.include(ESC).and.not.include('\u0007');
    expect(text).to.include('ana\uFFFD[2J.lima');
  });

  it('nor a carriage return that would write a failure over as done, nor an escape in a group member\'s name', () => {
    const p = aPerson({ nome: 'Ana Lima' });
    const plan = aPlan([
      { ...createUser(p), login: 'ana\r  PMSP  tudo.ok' },
      { kind: 'remove-member', groupDn: 'CN=SEI-PMC,OU=Grupos,OU=SEI Cidades,DC=sei,DC=local', memberDns: [`CN=Bia${ESC}[2J Reis,OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`] },
    ]);
    const model = summarisePlan(plan, aBatch({ people: [p] }), { outcomes: [{ index: 0, status: 'failed', message: 'recusado\r  criar conta ana — concluída' }] });
    const text = renderTerminalSummary(model, { color: false });
    expect(text).to.not.include('\r');
    expect(JSON.stringify(model)).to.not.include('\\r').and.not.include('\\u001b');
  });

  it('lists rejected rows as arquivo:linha — campo: motivo, whole-row problems without a campo', () => {
    const text = renderTerminalSummary(scenarioModel(), { color: false });
    expect(text).to.contain('Linhas rejeitadas: 2 (3 problemas)');
    expect(text).to.contain('  formularios/pmsp.csv:5 — e-mail: e-mail inválido\n');
    expect(text).to.contain('  formularios/camara.csv:9 — linha com colunas a mais\n');
  });

  it('wraps a long reason under its row with a hanging indent', () => {
    const text = renderTerminalSummary(scenarioModel(), { color: false });
    expect(text).to.contain('  formularios/pmsp.csv:5 — CPF: CPF ***.222.333-** com dígito verificador\n    inválido\n');
  });

  it('shows one row of counts per órgão, people and training apart, and the totals', () => {
    const lines = renderTerminalSummary(scenarioModel(), { color: false }).split('\n');
    const header = lines.find((l) => l.startsWith('Órgão'));
    expect(header?.split(/\s{1,}/)).to.deep.equal(['Órgão', 'Município', 'Criar', 'Atualizar', 'Desativar', 'Sem', 'mudança', 'Treinamento']);
    const pmsp = lines.find((l) => l.startsWith('PMSP'));
    expect(pmsp?.replace(/\s+/g, ' ')).to.equal('PMSP São Paulo 1 1 1 1 3');
    expect(lines.find((l) => l.startsWith('SAAE'))?.replace(/\s+/g, ' ')).to.equal('SAAE São José do Rio P… 0 0 0 1 0');
    expect(lines.find((l) => l.startsWith('Total'))?.replace(/\s+/g, ' ')).to.equal('Total 2 1 1 2 5');
    expect(lines).to.include('Contas: criar 2, atualizar 1, desativar 1, sem mudança 2; treinamento: criar 5.');
    expect(lines).to.include('Totais: 9 linhas lidas, 5 pessoas válidas, 2 linhas rejeitadas, 1 substituída.');
  });

  it('names each account to disable', () => {
    const text = renderTerminalSummary(scenarioModel(), { color: false });
    expect(text).to.match(/Contas a desativar \(1\)\n {2}PMSP {2}jose\.pereira {2}\*\*\*\.\d{3}\.\d{3}-\*\* {2}ausente dos formulários/);
  });

  it('gives the SIP settings for the órgãos that get training accounts', () => {
    const text = renderTerminalSummary(scenarioModel(), { color: false });
    expect(text).to.contain('  PMSP  Contexto: OU=PMSP,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local');
    expect(text).to.contain('Atributo Filtro: cn; Atributo Retorno: distinguishedName');
    expect(text).to.contain('Alternativa: Atributo Filtro sAMAccountName, Sufixo .pmsp');
    expect(text).not.to.contain('OU=SAAE,OU=Treinamento');
  });

  it('lists warnings with their place when they have one', () => {
    const text = renderTerminalSummary(scenarioModel(), { color: false });
    expect(text).to.contain('Avisos (2)\n  formularios/pmsp.csv:8 — nome social igual');
    expect(text).to.contain('\n  coluna "observações" ignorada\n');
  });

  it('fits 80 columns, except where a DN must be shown whole', () => {
    const text = renderTerminalSummary(scenarioModel(), { color: false });
    for (const line of text.split('\n')) {
      if (/\b(OU|DC)=/.test(line)) continue;
      expect(Array.from(line).length, line).to.be.at.most(80);
    }
  });

  it('uses ANSI colour only when asked', () => {
    expect(renderTerminalSummary(scenarioModel(), { color: false })).not.to.contain(ESC);
    const coloured = renderTerminalSummary(scenarioModel(), { color: true });
    expect(coloured).to.contain(`${ESC}[1m`);
    expect(coloured).to.contain(`${ESC}[31mformularios/pmsp.csv:5${ESC}[0m`);
  });

  it('after an apply, says so and names each failed change with its LDAP code', () => {
    const text = renderTerminalSummary(
      scenarioModel({ outcomes: [{ index: 2, status: 'failed', message: 'o login já existe', resultCode: 68 }] }),
      { color: false },
    );
    expect(text).to.contain('resultado da aplicação');
    expect(text).to.contain('Resultado: 0 concluídas, 1 com falha, 0 ignoradas');
    expect(reportMessages.results({ done: 1, failed: 0, skipped: 1, pending: 1 })).to.equal('Resultado: 1 concluída, 0 com falha, 1 ignorada, 1 pendente.');
    const leaving = (n: number) => reportMessages.detail({ kind: 'remove-member', index: 0, dn: 'CN=SEI-PMC', group: 'SEI-PMC', members: Array.from({ length: n }, (_, i) => ({ dn: `CN=P${i}`, name: `P${i}` })) });
    expect(leaving(1)).to.contain('SEI-PMC → sai 1 membro');
    expect(leaving(2)).to.contain('SEI-PMC → saem 2 membros');
    expect(text).to.contain('  criar conta maria.silva — o login já existe (código LDAP 68)');
  });

  it('says so when there is nothing to do', () => {
    const text = renderTerminalSummary(summarisePlan(aPlan([]), aBatch()), { color: false });
    expect(text).to.contain('simulação');
    expect(text).to.contain('Nenhuma conta de pessoa ou de treinamento no plano.');
    expect(text).not.to.contain('Linhas rejeitadas:');
  });

  it('omits the Total row for a single órgão', () => {
    const text = renderTerminalSummary(summarisePlan(aPlan([createUser(aPerson())]), aBatch()), { color: false });
    expect(text).not.to.match(/^Total/m);
  });

  it('shows the first órgãos, SIP settings and rejected rows of a state-wide batch and counts the rest', () => {
    const orgaos = Array.from({ length: 645 }, (_, i) => `PM${String(i + 1).padStart(4, '0')}`);
    const rejected = Array.from({ length: 1_000 }, (_, i) => rejection('estado.csv', i + 2, { field: 'email', reason: 'e-mail inválido' }));
    const model = summarisePlan(aPlan(orgaos.flatMap((o) => training(o, 2))), aBatch({ rejected }));
    const text = renderTerminalSummary(model, { color: false });
    const lines = text.split('\n');
    expect(lines.filter((l) => /^PM\d{4} /.test(l))).to.have.length(TERMINAL_LIMITS.orgaos);
    expect(lines.filter((l) => / Contexto: /.test(l))).to.have.length(TERMINAL_LIMITS.sip);
    expect(lines.filter((l) => l.startsWith('  estado.csv:'))).to.have.length(TERMINAL_LIMITS.rejected);
    expect(text).to.contain(`  … e mais ${645 - TERMINAL_LIMITS.orgaos}: a lista completa está em relatorio.html e relatorio.csv.`);
    expect(text).to.contain(`  … e mais ${645 - TERMINAL_LIMITS.sip}: `);
    expect(text).to.contain(`  … e mais ${1_000 - TERMINAL_LIMITS.rejected}: `);
    // The totals still count everything.
    expect(lines.find((l) => l.startsWith('Total'))?.replace(/\s+/g, ' ')).to.equal('Total 0 0 0 0 1290');
    expect(lines.length).to.be.lessThan(400);
  });
});
