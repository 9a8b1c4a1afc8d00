import { expect } from 'chai';
import { disableLimit, missingDisables } from '../../../src/core/disableThreshold.js';
import { renderSipExport } from '../../../src/adapters/report/writeSipExport.js';
import { assemblePlan } from '../../../src/core/assemblePlan.js';
import type { CreateUser } from '../../../src/domain/plan.js';
import { aPerson, aPolicy, aSnapshot, NOW, orgaoOu } from '../core/builders.js';

describe('disable threshold', () => {
  const safety = { disableMaxPercent: 5, disableMaxCount: 50 };
  it('is the smaller of 5 % (rounded down) and 50', () => {
    expect(disableLimit(24, safety)).to.equal(1);
    expect(disableLimit(200, safety)).to.equal(10);
    expect(disableLimit(10_000, safety)).to.equal(50);
    expect(disableLimit(10, safety)).to.equal(0);
  });
  it('counts only accounts missing from the forms, not acao=desativar', () => {
    const a = aPerson({ nome: 'Ana Lima' });
    const b = aPerson({ nome: 'Bia Lima' });
    const snapshot = aSnapshot()
      .withManagedOus('PREF')
      .withUser({ sAMAccountName: 'ana.lima', dn: `CN=Ana Lima,${orgaoOu('PREF')}`, employeeID: a.cpf })
      .withUser({ sAMAccountName: 'bia.lima', dn: `CN=Bia Lima,${orgaoOu('PREF')}`, employeeID: b.cpf })
      .withUser({ sAMAccountName: 'cid.lima', dn: `CN=Cid Lima,${orgaoOu('PREF')}`, employeeID: aPerson().cpf })
      .build();
    const plan = assemblePlan({ people: [a, { ...b, acao: 'desativar' }], snapshot, policy: aPolicy(), inputs: [], now: NOW, disableMissing: true, training: false });
    expect(plan.changes.filter((c) => c.kind === 'disable-user')).to.have.length(2);
    expect(missingDisables(plan).map((d) => d.login)).to.deep.equal(['cid.lima']);
  });
});

describe('SIP export', () => {
  it('writes SIP column order, the login as sigla, nome and nome social apart, quoting ; and "', () => {
    const p = aPerson({ nome: 'Maria "Mara" Souza; Lima', nomeSocial: 'Mara Lima', unidade: 'Saúde' });
    const plan = assemblePlan({ people: [p], snapshot: aSnapshot().build(), policy: aPolicy(), inputs: [], now: NOW, training: false });
    const created = plan.changes.filter((c): c is CreateUser => c.kind === 'create-user');
    const lines = renderSipExport(created, [p]).split('\r\n');
    expect(lines[0]).to.equal('orgao;sigla;nome;nomeSocial;cpf;emailInstitucional;unidadePrimeiraPermissao;perfilPrimeiraPermissao');
    expect(lines[1]).to.equal(`${p.orgao};${created[0]!.login};"Maria ""Mara"" Souza; Lima";Mara Lima;${p.cpf};${p.email};Saúde;usuario`);
  });
});
