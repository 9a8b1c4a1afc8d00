import { expect } from 'chai';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import { renderReportHtml } from '../../../src/adapters/report/renderHtml.js';
import type { CreateUser } from '../../../src/domain/plan.js';
import { aBatch, aPerson, aPlan, aScenario, createUser, rejection } from './builders.js';

function htmlOf(nome: string): string {
  const p = aPerson({ nome });
  return renderReportHtml(
    summarisePlan(aPlan([createUser(p, { attributes: { displayName: nome } })]), aBatch({ people: [p] })),
  );
}

describe('renderReportHtml', () => {
  it('is a pt-BR, UTF-8 page', () => {
    const html = renderReportHtml(summarisePlan(aScenario().plan, aScenario().batch));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="pt-BR">')).to.equal(true);
    expect(html).to.contain('<meta charset="utf-8">');
  });

  it('escapes markup in names so it shows as text', () => {
    const html = htmlOf('<script>alert(1)</script>');
    expect(html).not.to.match(/<script/i);
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes quotes and ampersands', () => {
    const html = htmlOf(`Ana "Nina" O'Hara & Cia`);
    expect(html).to.contain('Ana &quot;Nina&quot; O&#39;Hara &amp; Cia');
    expect(html).not.to.contain('"Nina"');
  });

  it('escapes every value of a person\'s row, before and after an apply', () => {
    // A marker in each string the row shows: login, name, DN, e-mail and group (in the detail), file name.
    const p = aPerson({ nome: 'Ana <x> Lima', email: 'ana<x>@pm.sp.gov.br', file: 'f<x>.csv' });
    const change = createUser(p, {
      attributes: { displayName: p.nome },
      login: 'ana<x>',
      dn: 'CN=Ana <x> Lima,OU=PMSP,DC=x',
      groups: ['CN=SEI<x>,OU=Grupos,DC=x'],
    });
    const plan = aPlan([change]);
    for (const outcomes of [undefined, [{ index: 0, status: 'failed' as const, message: 'recusado <x>' }]]) {
      const html = renderReportHtml(summarisePlan(plan, aBatch({ people: [p] }), outcomes ? { outcomes } : {}));
      expect(html).not.to.contain('<x>');
      expect(html.split('&lt;x&gt;').length - 1).to.be.at.least(outcomes ? 7 : 6);
    }
  });

  it('escapes what a saved plan edited by hand puts in a person\'s row: a line number, a CPF, a perfil', () => {
    // `apply --plan` reads plano.json back and reports it: its values are not trusted to be what the types say.
    const p = aPerson();
    const change = createUser(p, { attributes: { displayName: p.nome } });
    const hostile = { ...change, cpf: '<x>5299822472', perfil: '<x>', source: { file: 'f.csv', line: '<x>' } } as unknown as CreateUser;
    const html = renderReportHtml(summarisePlan(aPlan([hostile]), aBatch({ people: [p] })));
    expect(html).not.to.contain('<x>');
    expect(html).to.contain('f.csv:&lt;x&gt;');
  });

  it('escapes rejection reasons and file names as well', () => {
    const batch = aBatch({ rejected: [rejection('<b>.csv', 3, { reason: '<img src=x onerror=alert(1)>' })] });
    const html = renderReportHtml(summarisePlan(aPlan([]), batch));
    expect(html).to.contain('&lt;b&gt;.csv');
    expect(html).to.contain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.to.contain('<img');
  });

  it('is self-contained: no scripts and nothing loaded from elsewhere', () => {
    const html = renderReportHtml(summarisePlan(aScenario().plan, aScenario().batch));
    expect(html).not.to.match(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).to.match(/<style>[\s\S]+<\/style>/);
  });

  it('prints well: print rules keep table rows whole and drop backgrounds', () => {
    const html = renderReportHtml(summarisePlan(aScenario().plan, aScenario().batch));
    const print = /@media print \{([\s\S]*?)\n\}/.exec(html)?.[1] ?? '';
    expect(print).to.match(/tr[^{]*\{[^}]*page-break-inside: avoid/);
    expect(print).to.match(/th \{[^}]*background: none/);
    expect(print).to.match(/thead \{ display: table-header-group/);
  });

  it('has a summary, a section per órgão with its SIP settings, rejected rows and warnings', () => {
    const html = renderReportHtml(summarisePlan(aScenario().plan, aScenario().batch));
    expect(html).to.contain('<h2>Resumo</h2>');
    expect(html).to.contain('<td>Linhas lidas</td><td class="n">9</td>');
    for (const o of ['Órgão CMSP — São Paulo', 'Órgão PMSP — São Paulo', 'Órgão SAAE — São José do Rio Preto']) {
      expect(html).to.contain(`<h2>${o}</h2>`);
    }
    expect(html).to.contain('<td class="mono">OU=PMSP,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local</td>');
    expect(html).to.contain('<code>.pmsp</code>');
    expect(html).to.contain('<h2>Linhas rejeitadas</h2>');
    expect(html).to.contain('<td>formularios/camara.csv</td><td class="n">9</td><td></td><td>linha com colunas a mais</td>');
    expect(html).to.contain('<h2>Avisos</h2>');
    expect(html).to.contain('coluna &quot;observações&quot; ignorada');
  });

  it('shows results columns only after an apply', () => {
    const { plan, batch } = aScenario();
    expect(renderReportHtml(summarisePlan(plan, batch))).not.to.contain('<th>Resultado</th>');
    const applied = renderReportHtml(summarisePlan(plan, batch, { outcomes: [{ index: 2, status: 'failed', resultCode: 68 }] }));
    expect(applied).to.contain('<th>Resultado</th>');
    expect(applied).to.contain('<td class="failed">falhou</td><td>código LDAP 68</td>');
  });

  it('heads the lists with what is to be done in a plan, and with what was done or tried after an apply', () => {
    const { plan, batch } = aScenario();
    const planned = renderReportHtml(summarisePlan(plan, batch));
    expect(planned).to.contain('<h3>Contas a criar</h3>');
    expect(planned).to.contain('<h3>Contas de treinamento a criar</h3>');
    const applied = renderReportHtml(summarisePlan(plan, batch, { outcomes: [{ index: 2, status: 'done' }] }));
    expect(applied).to.contain('<h3>Criação de contas</h3>');
    expect(applied).to.contain('<h3>Criação de contas de treinamento</h3>');
    expect(applied).not.to.match(/<h3>Contas (de treinamento )?a (criar|atualizar|desativar)<\/h3>/);
  });

  it('lists an órgão\'s training accounts on one row, and after an apply gives each one that did not go through a row of its own', () => {
    const { plan, batch } = aScenario();
    const planned = renderReportHtml(summarisePlan(plan, batch));
    expect(planned).to.contain(
      '<td class="wrap">3 contas: usuario01, usuario02, usuario03</td>' +
        '<td class="mono">OU=PMSP,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local</td>',
    );
    expect(planned).to.contain('<td class="wrap">2 contas: usuario01, usuario02</td>');
    const outcomes = [6, 7, 8, 9, 10].map((index) => ({ index, status: index === 7 ? ('failed' as const) : ('done' as const) }));
    const applied = renderReportHtml(summarisePlan(plan, batch, { outcomes }));
    expect(applied).to.contain('<td class="wrap">2 contas: usuario01, usuario03</td>');
    expect(applied).to.match(/<td>usuario02\.pmsp<\/td><td class="mono">CN=usuario02,OU=PMSP,[^<]*<\/td><td class="failed">falhou<\/td>/);
  });
});
