import { expect } from 'chai';
import { disableLimit, thresholdBase, groupLeaves, missingDisables, moveLimit, plannedMoves, removalLimit } from '../../../src/core/safetyThresholds.js';
import { assertSafetyThresholds } from '../../../src/app/safetyGuard.js';
import type { RunContext } from '../../../src/app/context.js';
import { ThresholdError } from '../../../src/domain/errors.js';
import { groupDn } from '../core/builders.js';
import { renderSipExport } from '../../../src/adapters/report/writeSipExport.js';
import { assemblePlan } from '../../../src/core/assemblePlan.js';
import type { CreateUser } from '../../../src/domain/plan.js';
import { generateValidCpf } from '../../../src/core/cpf.js';
import { countRejectedRows, validateRows } from '../../../src/core/validateRows.js';
import { formRow } from '../forms/helpers.js';
import { aPerson, aPolicy, aSnapshot, NOW, orgaoOu } from '../core/builders.js';
import { managedLayout } from '../../../src/core/layout.js';

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

  it('takes its percentage of the active accounts the tool could disable, not of those disabled long ago', () => {
    const cpf = (n: number) => generateValidCpf(7000 + n);
    // 400 accounts: 300 disabled over the years, 20 made by hand (no employeeID), 80 active people.
    const users = Array.from({ length: 400 }, (_, i) => ({
      userAccountControl: i < 300 ? 514 : 512,
      ...(i >= 300 && i < 320 ? {} : { employeeID: cpf(i) }),
    }));
    expect(thresholdBase(users)).to.deep.equal({ managed: 400, active: 80, activeByOrgao: new Map() });
    const ctx = { config: { safety: { ...safety, duplicateMaxPercent: 5, duplicateMaxCount: 50, moveMaxPercent: 5, moveMaxCount: 50, removalMaxPercent: 5, removalMaxCount: 50 } } } as unknown as RunContext;
    const snapshot = aSnapshot().withManagedOus('PREF');
    for (let i = 0; i < 5; i++) snapshot.withUser({ sAMAccountName: `p${i}.lima`, dn: `CN=P${i} Lima,${orgaoOu('PREF')}`, employeeID: cpf(1000 + i) });
    const plan = assemblePlan({ people: [], snapshot: snapshot.build(), policy: aPolicy(), inputs: [], now: NOW, disableMissing: true, training: false });
    // Five disables: under 5 % of 400 (20), but 6 % of the 80 still active (limit 4).
    expect(() => assertSafetyThresholds(ctx, plan, thresholdBase(users), false)).to.throw(ThresholdError, 'de 80 contas ativas');
  });
});

describe('move threshold', () => {
  const safety = { moveMaxPercent: 5, moveMaxCount: 50 };
  it('is 5 % of the managed accounts (rounded down, at least 1), at most 50', () => {
    expect(moveLimit(10, safety)).to.equal(1);
    expect(moveLimit(0, safety)).to.equal(1);
    expect(moveLimit(200, safety)).to.equal(10);
    expect(moveLimit(10_000, safety)).to.equal(50);
    expect(moveLimit(10_000, { moveMaxPercent: 5, moveMaxCount: 0 })).to.equal(0);
  });
  it('counts every change of DN, moves and renames, by the DNs and not by a label a saved plan could lose', () => {
    const a = aPerson({ nome: 'Ana Lima', orgao: 'CAM' });
    const b = aPerson({ nome: 'Bia Lima', nomeSocial: 'Bianca Lima' });
    const snapshot = aSnapshot()
      .withManagedOus('PREF')
      .withUser({ sAMAccountName: 'ana.lima', dn: `CN=Ana Lima,${orgaoOu('PREF')}`, employeeID: a.cpf })
      .withUser({ sAMAccountName: 'bia.lima', dn: `CN=Bia Lima,${orgaoOu('PREF')}`, employeeID: b.cpf })
      .build();
    const plan = assemblePlan({ people: [a, b], snapshot, policy: aPolicy(), inputs: [], now: NOW, training: false });
    expect(plan.changes.filter((c) => c.kind === 'update-user' && c.moveTo !== undefined)).to.have.length(2);
    expect(plannedMoves(plan).map((u) => u.login)).to.deep.equal(['ana.lima', 'bia.lima']);
    for (const c of plan.changes) if (c.kind === 'update-user') delete c.fromOrgao;
    expect(plannedMoves(plan)).to.have.length(2);
  });
});

describe('group removal threshold', () => {
  /** Ten people of PREF, interlocutores until now; `usuario` in the form for the first `demoted`. */
  function planDemoting(demoted: number, opts: { moveFirst?: boolean; renameFirst?: boolean } = {}) {
    const people = Array.from({ length: 10 }, (_, i) => aPerson({ nome: `Pessoa ${String.fromCharCode(65 + i)} Lima`, perfil: i < demoted ? 'usuario' : 'interlocutor' }));
    let snapshot = aSnapshot().withManagedOus('PREF').withGroup(groupDn('SEI-PREF')).withGroup(groupDn('SEI-Interlocutores'));
    people.forEach((p, i) => {
      snapshot = snapshot.withUser({
        sAMAccountName: `pessoa${i}`,
        dn: `CN=${p.nome},${orgaoOu('PREF')}`,
        employeeID: p.cpf,
        memberOf: [groupDn('SEI-PREF'), groupDn('SEI-Interlocutores')],
      });
    });
    const forms = people.map((p, i) =>
      opts.moveFirst && i === 0 ? { ...p, orgao: 'CAM' } : opts.renameFirst && i === 0 ? { ...p, nome: 'Pessoa Renomeada Lima' } : p,
    );
    return assemblePlan({ people: forms, snapshot: snapshot.build(), policy: aPolicy(), inputs: [], now: NOW, training: false });
  }
  // Only the safety settings are read.
  const ctx = { config: { safety: { disableMaxPercent: 5, disableMaxCount: 50, moveMaxPercent: 5, moveMaxCount: 50, removalMaxPercent: 5, removalMaxCount: 50 } } } as unknown as RunContext;

  it('is 5 % of the managed accounts (at least 1), at most 50', () => {
    expect(removalLimit(10, { removalMaxPercent: 5, removalMaxCount: 50 })).to.equal(1);
    expect(removalLimit(10_000, { removalMaxPercent: 5, removalMaxCount: 50 })).to.equal(50);
  });

  it('stops a run that takes more people out of groups than the limit, unless --force; one is let through', () => {
    expect(groupLeaves(planDemoting(3)).map((l) => l.group)).to.deep.equal(['SEI-Interlocutores', 'SEI-Interlocutores', 'SEI-Interlocutores']);
    let error: unknown;
    try {
      assertSafetyThresholds(ctx, planDemoting(3), { managed: 10, active: 10 }, false);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ThresholdError);
    expect((error as Error).message).to.contain('retiraria 3 conta(s) de grupos').and.contain('Pessoa A Lima sai de SEI-Interlocutores');
    expect(() => assertSafetyThresholds(ctx, planDemoting(3), { managed: 10, active: 10 }, true)).to.not.throw();
    expect(() => assertSafetyThresholds(ctx, planDemoting(1), { managed: 10, active: 10 }, false)).to.not.throw();
  });

  it('does not count the old groups of an account that moves: the move limit covers it', () => {
    const plan = planDemoting(1, { moveFirst: true });
    expect(plannedMoves(plan)).to.have.length(1);
    expect(groupLeaves(plan)).to.deep.equal([]);
  });

  it('counts the groups an account leaves when it is only renamed where it is: no group goes with a rename', () => {
    const plan = planDemoting(1, { renameFirst: true });
    expect(plannedMoves(plan)).to.have.length(1);
    expect(groupLeaves(plan).map((l) => l.group)).to.deep.equal(['SEI-Interlocutores']);
  });
});

describe('per-órgão disable threshold', () => {
  const safety = { disableMaxPercent: 5, disableMaxCount: 50, moveMaxPercent: 5, moveMaxCount: 50, removalMaxPercent: 5, removalMaxCount: 50, duplicateMaxPercent: 5, duplicateMaxCount: 50, orgaoDisableMaxPercent: 50, orgaoDisableMinAccounts: 5 };
  const ctx = { config: { safety } } as unknown as RunContext; // only the safety settings are read
  /**
   * A directory of 960 active accounts in BIG and `small` in PMX, of which the forms leave out `missing` of PMX;
   * with `subOus`, PMX's people sit in sub-OUs of four (Saúde, Educação…).
   */
  function plan(small: number, missing: number, subOus = false) {
    const snapshot = aSnapshot().withManagedOus('BIG', 'PMX');
    const people = [];
    for (let i = 0; i < 960 + small; i++) {
      const orgao = i < 960 ? 'BIG' : 'PMX';
      const p = aPerson({ nome: `Pessoa ${i} Lima`, orgao, cpf: generateValidCpf(20_000 + i) });
      const ou = subOus && orgao === 'PMX' ? `OU=Setor${Math.floor((i - 960) / 4)},${orgaoOu(orgao)}` : orgaoOu(orgao);
      snapshot.withUser({ sAMAccountName: `pessoa${i}`, dn: `CN=Pessoa ${i} Lima,${ou}`, employeeID: p.cpf });
      if (!(orgao === 'PMX' && i - 960 < missing)) people.push(p);
    }
    const built = snapshot.build();
    const policy = aPolicy();
    return {
      plan: assemblePlan({ people, snapshot: built, policy, inputs: [], now: NOW, disableMissing: true, training: false }),
      base: thresholdBase(built.users, managedLayout(policy).usersDn),
    };
  }

  it('stops a run that would disable most of one órgão, though under the whole directory\'s limit', () => {
    const { plan: all, base } = plan(40, 40);
    expect(missingDisables(all)).to.have.length(40);
    expect(40).to.be.below(disableLimit(base.active, safety) + 1);
    let error: unknown;
    try {
      assertSafetyThresholds(ctx, all, base, false);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ThresholdError);
    expect((error as Error).message).to.contain('desativaria 40 de 40 contas ativas do órgão PMX').and.contain('--force');
    expect(() => assertSafetyThresholds(ctx, all, base, true)).to.not.throw();
  });

  it('counts an órgão with the accounts in its sub-OUs, however few each holds', () => {
    const { plan: all, base } = plan(12, 12, true);
    expect(base.activeByOrgao.get('PMX')).to.equal(12);
    expect(() => assertSafetyThresholds(ctx, all, base, false)).to.throw(ThresholdError, 'desativaria 12 de 12 contas ativas do órgão PMX');
  });

  it('lets through half of an órgão or less, and any share of an órgão with fewer than 5 active accounts', () => {
    const half = plan(40, 20);
    expect(() => assertSafetyThresholds(ctx, half.plan, half.base, false)).to.not.throw();
    const tiny = plan(4, 4);
    expect(() => assertSafetyThresholds(ctx, tiny.plan, tiny.base, false)).to.not.throw();
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

  it('never carries a cell a spreadsheet would run: such values are refused before they reach it', () => {
    const formulas = ['=HYPERLINK("http://evil.example","x")', '+SUM(1+1)', '-2+3', '@SUM(A1:A2)'];
    const rows = formulas.flatMap((f, i) => [
      formRow({ nome: f, cpf: generateValidCpf(100 + i) }, 2 + 4 * i),
      formRow({ nome_social: f, cpf: generateValidCpf(200 + i) }, 3 + 4 * i),
      formRow({ unidade: f, cpf: generateValidCpf(300 + i) }, 4 + 4 * i),
      formRow({ email: `${f[0]}x${i}@vilarica.sp.gov.br`, cpf: generateValidCpf(400 + i), cargo: f }, 5 + 4 * i),
    ]);
    rows.push(formRow({ cpf: generateValidCpf(500), cargo: '=1+1', telefone: '+55 11 4035-1200' }, 99));
    const { people, rejected } = validateRows(rows, []);
    expect(countRejectedRows(rejected)).to.equal(16);
    const plan = assemblePlan({ people, snapshot: aSnapshot().build(), policy: aPolicy(), inputs: [], now: NOW, training: false });
    const created = plan.changes.filter((c): c is CreateUser => c.kind === 'create-user');
    expect(created).to.have.length(1);
    const cells = renderSipExport(created, people).split('\r\n').filter(Boolean).flatMap((l) => l.split(';'));
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).to.deep.equal([]);
  });
});

describe('sync --forms-dir', () => {
  it('reads the .csv files in name order and skips Excel lock files, hidden files and folders', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { formFiles } = await import('../../../src/app/syncCommand.js');
    const dir = mkdtempSync(join(tmpdir(), 'sei-formsdir-'));
    for (const name of ['b.csv', 'A.CSV', '~$b.csv', '.oculto.csv', '._b.csv', 'notas.txt']) writeFileSync(join(dir, name), 'x');
    mkdirSync(join(dir, 'pasta.csv'));
    expect(await formFiles({ files: [], formsDir: dir }, '/')).to.deep.equal([join(dir, 'A.CSV'), join(dir, 'b.csv')]);
  });
});
