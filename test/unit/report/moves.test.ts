import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import { renderReportCsv } from '../../../src/adapters/report/renderCsv.js';
import { renderReportHtml } from '../../../src/adapters/report/renderHtml.js';
import { renderTerminalSummary } from '../../../src/adapters/report/renderTerminal.js';
import { reportJsonView } from '../../../src/adapters/report/renderJson.js';
import type { RemoveMember } from '../../../src/domain/plan.js';
import { aBatch, aPerson, aPlan, updateUser } from './builders.js';

/** A person who moved from PMSP to CMSP and lost the interlocutor perfil. */
function scenario() {
  const p = aPerson({ nome: 'Rui Barros', orgao: 'CMSP', line: 4 });
  const from = `CN=Rui Barros,OU=PMSP,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`;
  const moveTo = `CN=Rui Barros,OU=CMSP,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`;
  const removal = (group: string): RemoveMember => ({ kind: 'remove-member', groupDn: `CN=${group},OU=Grupos,OU=SEI Cidades,DC=sei,DC=local`, memberDns: [moveTo] });
  const plan = aPlan([updateUser(p, { dn: from, changes: [], moveTo, fromOrgao: 'PMSP' }), removal('SEI-Interlocutores'), removal('SEI-PMSP')]);
  return { model: summarisePlan(plan, aBatch({ people: [p] })), moveTo };
}

describe('reports of a change of órgão and of memberships taken away', () => {
  it('mask a CPF in a member DN even when no form says it is one (a saved plan under the cpf login strategy)', () => {
    const cpf = '52998224725';
    const member = `CN=Maria Souza (${cpf}),OU=PMSP,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`;
    const group = 'CN=SEI-Administradores,OU=Grupos,OU=SEI Cidades,DC=sei,DC=local';
    const plan = aPlan([
      { kind: 'remove-member', groupDn: group, memberDns: [member] },
      { kind: 'add-member', groupDn: group.replace('Administradores', 'PMSP'), memberDns: [member] },
    ]);
    const model = summarisePlan(plan, aBatch());
    expect(JSON.stringify(model)).not.to.contain(cpf);
    expect(JSON.stringify(model)).to.contain('***.982.247-**');
    expect(renderReportCsv(model).toString('utf8')).not.to.contain(cpf);
  });

  it('count the person as updated and every member taken out', () => {
    const { model } = scenario();
    expect(model.summary.update).to.equal(1);
    expect(model.structureSummary.removals).to.equal(2);
    expect(model.orgaos.map((o) => [o.orgao, o.update])).to.deep.equal([['CMSP', 1]]);
  });

  it('say where the account goes and which órgão it leaves, in every rendering', () => {
    const { model, moveTo } = scenario();
    const csv = parse(renderReportCsv(model), { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    const update = csv.find((r) => r.Tipo === 'atualizar');
    expect(update?.Detalhe).to.equal(`muda de órgão: PMSP → CMSP, para ${moveTo}`);
    expect(csv.filter((r) => r.Tipo === 'retirar membros').map((r) => r.Detalhe)).to.deep.equal([
      'SEI-Interlocutores → sai 1 membro: Rui Barros',
      'SEI-PMSP → sai 1 membro: Rui Barros',
    ]);
    const html = renderReportHtml(model);
    expect(html).to.contain('muda de órgão: PMSP → CMSP').and.contain('retirar membros').and.contain('2 retiradas de membros de grupos');
    const terminal = renderTerminalSummary(model, { color: false });
    expect(terminal).to.contain('2 retiradas de membros de grupos');
    expect(terminal).to.contain('Contas que mudam de órgão (1)');
    expect(terminal).to.match(/rui\.barros\s+\*\*\*\.\d{3}\.\d{3}-\*\*\s+PMSP → CMSP/);
    const json = reportJsonView(model) as { changes: Record<string, unknown>[] };
    expect(json.changes[0]).to.include({ kind: 'update-user', moveTo, movedFrom: 'PMSP', orgao: 'CMSP' });
  });

  it('name the accounts the forms ask for that stay disabled, in every rendering, CPF masked', () => {
    const p = aPerson({ nome: 'Lia Prado', orgao: 'PMSP', line: 9 });
    const dn = 'CN=Lia Prado,OU=PMSP,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
    const plan = aPlan([], [], { disabledAsked: [{ dn, orgao: 'PMSP', cpf: p.cpf, login: 'lia.prado', source: { file: p.file, line: 9 } }] });
    const model = summarisePlan(plan, aBatch({ people: [p] }));
    expect(model.disabledAsked).to.have.length(1);
    const terminal = renderTerminalSummary(model, { color: false });
    expect(terminal).to.contain('Contas desativadas que os formulários pedem de novo (1)').and.contain('lia.prado');
    const csv = parse(renderReportCsv(model), { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    expect(csv.filter((r) => r.Tipo === 'conta desativada (não reativada)').map((r) => [r.Login, r.DN, r.Linha])).to.deep.equal([['lia.prado', dn, '9']]);
    expect(renderReportHtml(model)).to.contain('Contas desativadas pedidas nos formulários');
    expect((reportJsonView(model) as { disabledAsked: unknown[] }).disabledAsked).to.have.length(1);
    for (const text of [terminal, renderReportHtml(model), JSON.stringify(reportJsonView(model)), renderReportCsv(model).toString('utf8')]) expect(text).to.not.contain(p.cpf);
  });

  it('call a change of name a rename, not a change of órgão, and leave it out of the moves list', () => {
    const p = aPerson({ nome: 'João Lima', nomeSocial: 'Joana Lima', orgao: 'PMSP', line: 5 });
    const dn = 'CN=João Lima,OU=PMSP,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
    const moveTo = 'CN=Joana Lima,OU=PMSP,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
    const model = summarisePlan(aPlan([updateUser(p, { dn, changes: [], moveTo })]), aBatch({ people: [p] }));
    const csv = parse(renderReportCsv(model), { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    expect(csv.find((r) => r.Tipo === 'atualizar')?.Detalhe).to.equal(`novo nome no AD: ${moveTo}`);
    expect(renderTerminalSummary(model, { color: false })).to.not.contain('mudam de órgão');
  });
});
