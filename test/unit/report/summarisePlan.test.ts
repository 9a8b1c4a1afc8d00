import { expect } from 'chai';
import { InternalError } from '../../../src/domain/errors.js';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import type { CreateUser, Plan } from '../../../src/domain/plan.js';
import {
  aBatch,
  aPerson,
  aPlan,
  aScenario,
  cpfFrom,
  createUser,
  disableUser,
  formatCpf,
  rejection,
  TRAINING,
  training,
  unchanged,
} from './builders.js';

describe('summarisePlan', () => {
  it('counts people apart from training accounts and scaffolding', () => {
    const { plan, batch } = aScenario();
    const { summary, structureSummary } = summarisePlan(plan, batch);
    expect(summary).to.deep.equal({
      rows: 9,
      valid: 5,
      rejected: 2,
      superseded: 1,
      create: 2,
      update: 1,
      disable: 1,
      unchanged: 2,
      trainingCreate: 5,
    });
    expect(structureSummary).to.deep.equal({ ous: 1, groups: 1, memberships: 1, removals: 0 });
  });

  it('counts a rejected row once however many problems it has, and lists every problem in file order', () => {
    const batch = aBatch({
      rejected: [
        rejection('b.csv', 5),
        rejection('a.csv', 9, { field: 'email' }),
        rejection('a.csv', 5, { field: 'cpf' }),
        rejection('a.csv', 5, { field: 'email' }),
      ],
    });
    const model = summarisePlan(aPlan([]), batch);
    expect(model.summary.rejected).to.equal(3);
    expect(model.rejected.map((r) => `${r.file}:${r.line}:${r.field}`)).to.deep.equal([
      'a.csv:5:cpf',
      'a.csv:5:email',
      'a.csv:9:email',
      'b.csv:5:cpf',
    ]);
  });

  it('groups changes per órgão, sorted, with the município of its people', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    expect(model.orgaos.map((o) => o.orgao)).to.deep.equal(['CMSP', 'PMSP', 'SAAE']);
    const [cmsp, pmsp, saae] = model.orgaos;
    expect(pmsp).to.include({ municipio: 'São Paulo', create: 1, update: 1, disable: 1, unchanged: 1, trainingCreate: 3 });
    expect(cmsp).to.include({ create: 1, trainingCreate: 2, unchanged: 0 });
    expect(saae).to.include({ municipio: 'São José do Rio Preto', create: 0, unchanged: 1, trainingCreate: 0 });
    expect(pmsp?.people.create.map((p) => p.login)).to.deep.equal(['maria.silva']);
    expect(pmsp?.people.disable.map((p) => p.reason)).to.deep.equal(['missing']);
  });

  it('names people by their nome social', () => {
    const { plan, batch } = aScenario();
    const pmsp = summarisePlan(plan, batch).orgaos.find((o) => o.orgao === 'PMSP');
    expect(pmsp?.people.update[0]?.nome).to.equal('Joana Souza');
    expect(pmsp?.people.unchanged[0]?.nome).to.equal('Ana Lima');
  });

  it('gives the SIP settings of each órgão whose training accounts the plan creates', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    const pmsp = model.orgaos.find((o) => o.orgao === 'PMSP');
    expect(pmsp?.sip).to.deep.equal({
      contexto: 'OU=PMSP,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local',
      atributoFiltro: 'cn',
      atributoRetorno: 'distinguishedName',
      alternativa: { atributoFiltro: 'sAMAccountName', sufixo: '.pmsp' },
    });
    expect(model.orgaos.find((o) => o.orgao === 'SAAE')?.sip).to.equal(undefined);
  });

  it('takes the SIP Contexto from the parent DN, not from the first comma', () => {
    const [t] = training('PMSP', 1);
    if (!t) throw new Error('fixture');
    const plan = aPlan([{ ...t, dn: 'CN=Treino\\, 01,OU=PMSP,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local' }]);
    const sip = summarisePlan(plan, aBatch()).orgaos[0]?.sip;
    expect(sip?.contexto).to.equal('OU=PMSP,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local');
  });

  it('keeps every change in plan order with its index, and the scaffolding apart', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    // An órgão's training accounts are one entry, at the place of its first account.
    const firstOfOrgao = plan.changes.filter((c, i) => {
      const before = plan.changes[i - 1];
      return c.kind !== 'create-training-account' || before?.kind !== 'create-training-account' || before.orgao !== c.orgao;
    });
    expect(model.changes.map((c) => c.index)).to.deep.equal(firstOfOrgao.map((c) => plan.changes.indexOf(c)));
    expect(model.changes.map((c) => c.kind)).to.deep.equal(
      firstOfOrgao.map((c) => (c.kind === 'create-training-account' ? 'create-training-accounts' : c.kind)),
    );
    expect(model.structure.map((c) => c.kind)).to.deep.equal(['create-ou', 'create-group', 'add-member']);
    const member = model.structure.find((c) => c.kind === 'add-member');
    expect(member).to.deep.include({ group: 'SEI-PMSP' });
  });

  it('attaches apply outcomes to their changes and tallies them', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch, {
      outcomes: [
        { index: 0, status: 'done' },
        { index: 2, status: 'failed', message: 'já existe', resultCode: 68 },
        { index: 3, status: 'skipped' },
      ],
    });
    expect(model.changes[2]?.outcome).to.deep.equal({ status: 'failed', message: 'já existe', resultCode: 68 });
    expect(model.changes[1]?.outcome).to.equal(undefined);
    expect(model.results).to.deep.equal({ done: 1, failed: 1, skipped: 1, pending: plan.changes.length - 3 });
    expect(summarisePlan(plan, batch).results).to.equal(undefined);
  });

  it("gathers an órgão's training accounts in one entry naming them, in their OU", () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    const pmsp = model.orgaos.find((o) => o.orgao === 'PMSP');
    expect(pmsp?.training.routine).to.deep.include({
      kind: 'create-training-accounts',
      orgao: 'PMSP',
      count: 3,
      cns: ['usuario01', 'usuario02', 'usuario03'],
      dn: `OU=PMSP,${TRAINING}`,
    });
    expect(pmsp?.training.apart).to.deep.equal([]);
    expect(pmsp?.trainingCreate).to.equal(3);
    expect(model.orgaos.find((o) => o.orgao === 'CMSP')?.training.routine?.count).to.equal(2);
    expect(model.summary.trainingCreate).to.equal(5);
  });

  it('after an apply, keeps the training accounts not created apart with their results, and counts each one', () => {
    const { plan, batch } = aScenario();
    const at = (orgao: string, n: number): number =>
      plan.changes.findIndex((c) => c.kind === 'create-training-account' && c.orgao === orgao && c.cn === `usuario0${n}`);
    const outcomes = [
      { index: at('PMSP', 1), status: 'done' as const },
      { index: at('PMSP', 2), status: 'failed' as const, message: 'senha recusada', resultCode: 19 },
      { index: at('PMSP', 3), status: 'done' as const },
      { index: at('CMSP', 1), status: 'done' as const },
    ];
    const model = summarisePlan(plan, batch, { outcomes });
    const pmsp = model.orgaos.find((o) => o.orgao === 'PMSP');
    expect(pmsp?.training.routine).to.deep.include({ count: 2, cns: ['usuario01', 'usuario03'], outcome: { status: 'done' } });
    expect(pmsp?.training.apart.map((t) => [t.cn, t.outcome?.status])).to.deep.equal([['usuario02', 'failed']]);
    // CMSP's second account has no result: the run stopped before it.
    const cmsp = model.orgaos.find((o) => o.orgao === 'CMSP');
    expect(cmsp?.training.apart.map((t) => [t.cn, t.outcome])).to.deep.equal([['usuario02', undefined]]);
    expect(pmsp?.trainingCreate).to.equal(3);
    // The failed account is among the changes, as the terminal lists failures from there.
    expect(model.changes.filter((c) => c.outcome?.status === 'failed').map((c) => c.kind)).to.deep.equal(['create-training-account']);
    expect(model.results).to.deep.equal({ done: 3, failed: 1, skipped: 0, pending: plan.changes.length - 4 });
  });

  it('lists an account apart when it is not in the OU of the first one (a half-created account found elsewhere)', () => {
    const { plan, batch } = aScenario();
    const moved = plan.changes.find((c) => c.kind === 'create-training-account' && c.orgao === 'PMSP' && c.cn === 'usuario03');
    if (moved?.kind !== 'create-training-account') throw new Error('cenário sem usuario03');
    moved.dn = `CN=usuario03,OU=Antiga,${TRAINING}`;
    const pmsp = summarisePlan(plan, batch).orgaos.find((o) => o.orgao === 'PMSP');
    expect(pmsp?.training.routine?.cns).to.deep.equal(['usuario01', 'usuario02']);
    expect(pmsp?.training.apart.map((t) => t.dn)).to.deep.equal([`CN=usuario03,OU=Antiga,${TRAINING}`]);
    expect(pmsp?.trainingCreate).to.equal(3);
  });

  it('gathers them however the DNs are spelled (a base DN written with spaces after its commas)', () => {
    const { plan, batch } = aScenario();
    for (const c of plan.changes) if (c.kind === 'create-training-account') c.dn = c.dn.replaceAll(',', ', ');
    const model = summarisePlan(plan, batch);
    const entries = model.changes.filter((c) => c.kind === 'create-training-accounts');
    expect(entries.map((c) => (c.kind === 'create-training-accounts' ? [c.orgao, c.count] : []))).to.deep.equal([
      ['PMSP', 3],
      ['CMSP', 2],
    ]);
    expect(model.changes.filter((c) => c.kind === 'create-training-account')).to.deep.equal([]);
  });

  it("keeps an órgão's training in its section when the órgão's name carries a CPF (a plan edited by hand)", () => {
    const { plan, batch } = aScenario();
    const orgao = 'PMSP 529.982.247-25';
    for (const c of plan.changes) if (c.kind === 'create-training-account' && c.orgao === 'PMSP') c.orgao = orgao;
    const model = summarisePlan(plan, batch);
    const section = model.orgaos.find((o) => o.orgao === 'PMSP ***.982.247-**');
    expect(section?.trainingCreate).to.equal(3);
    expect(section?.training.routine?.cns).to.have.length(3);
    expect(section?.sip?.contexto).to.equal(`OU=PMSP,${TRAINING}`);
    expect(JSON.stringify(model)).not.to.contain('529.982.247-25');
  });

  it('gives the same model when the plan is handed over (release), and empties the plan as it goes', () => {
    const kept = aScenario();
    const handed = aScenario();
    const expected = summarisePlan(kept.plan, kept.batch);
    expect(summarisePlan(handed.plan, handed.batch, { release: true })).to.deep.equal(expected);
    expect(handed.plan.changes).to.deep.equal([]);
    // Without release the plan is left as it was.
    expect(kept.plan.changes).to.have.length(aScenario().plan.changes.length);
  });

  it('reports a saved plan edited by hand that lacks values the types promise, instead of failing', () => {
    // `apply --plan` shows the plan before anything is written: a missing field must not stop that.
    const p = aPerson();
    const change = createUser(p, { attributes: { displayName: p.nome } }) as Partial<CreateUser>;
    delete change.municipio;
    const plan = aPlan([change as CreateUser]);
    delete (plan as Partial<Plan>).createdAt;
    const model = summarisePlan(plan, aBatch({ people: [p] }));
    expect(model.changes).to.have.length(1);
    expect(model.changes[0]).to.deep.include({ kind: 'create-user', municipio: undefined });
  });

  it('refuses an outcome that does not point at a change, or two for the same change', () => {
    const plan = aPlan([createUser(aPerson())]);
    expect(() => summarisePlan(plan, aBatch(), { outcomes: [{ index: 1, status: 'done' }] })).to.throw(InternalError);
    expect(() =>
      summarisePlan(plan, aBatch(), {
        outcomes: [
          { index: 0, status: 'done' },
          { index: 0, status: 'failed' },
        ],
      }),
    ).to.throw(InternalError);
  });

  describe('CPFs', () => {
    it('are not looked for in what the plan came from: the DC address, the base DN, the files\' hashes', () => {
      const { plan, batch } = aScenario();
      // A hash whose digits hold a valid CPF, and a DC by IP address, which CPF_IN_TEXT reads as 3.3.3.2.
      const sha256 = `f6f0a415b6f7a4fee${'52998224725'}d191${'0'.repeat(32)}`;
      plan.inputs = [{ file: 'formulario-52998224725.csv', sha256 }];
      plan.observed.source = 'ldaps://192.168.100.12:636';
      const model = summarisePlan(plan, batch);
      expect(model.plan.inputs).to.deep.equal([{ file: 'formulario-***.982.247-**.csv', sha256 }]);
      expect(model.plan.source).to.equal('ldaps://192.168.100.12:636');
    });

    it('are masked in every field of the model, including free text', () => {
      const { plan, batch, people } = aScenario();
      const json = JSON.stringify(
        summarisePlan(plan, batch, {
          outcomes: [{ index: 5, status: 'failed', message: `conta de CPF ${people.jose.cpf} bloqueada` }],
        }),
      );
      for (const p of Object.values(people)) {
        expect(json).not.to.contain(p.cpf);
        expect(json).not.to.contain(formatCpf(p.cpf));
      }
      expect(json).not.to.contain('111.222.333-44'); // an invalid CPF quoted in a rejection reason
      expect(json).to.contain(`"cpfMasked":"***.${people.maria.cpf.slice(3, 6)}.${people.maria.cpf.slice(6, 9)}-**"`);
    });

    it('are masked in every string any kind of change brings from the plan, whatever its field', () => {
      const { plan, batch, people } = aScenario();
      const cpf = people.maria.cpf;
      // `kind` decides how a change is read, `cpf` is masked on purpose, `expectUsn` never reaches a report.
      const CODES = new Set(['kind', 'cpf', 'expectUsn']);
      let injected = 0;
      // Every string of every change and unchanged entry, at any depth, gets the bare CPF appended.
      const inject = (v: unknown): void => {
        if (v === null || typeof v !== 'object') return;
        const o = v as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          if (typeof o[k] === 'string' && !CODES.has(k)) {
            o[k] = `${o[k] as string} ${cpf}`;
            injected++;
          } else inject(o[k]);
        }
      };
      // The kinds the scenario lacks: a change of órgão and a membership taken away.
      const update = plan.changes.find((c) => c.kind === 'update-user');
      if (update?.kind !== 'update-user') throw new Error('no update-user');
      update.moveTo = update.dn.replace('OU=PMSP', 'OU=CMSP');
      plan.changes.push({ kind: 'remove-member', groupDn: 'CN=SEI-Interlocutores,OU=Grupos,DC=x', memberDns: [update.moveTo] });
      plan.changes.forEach(inject);
      plan.unchanged.forEach(inject);
      expect(new Set(plan.changes.map((c) => c.kind)).size).to.equal(8);
      expect(injected).to.be.greaterThan(50);
      const model = summarisePlan(plan, batch, { outcomes: [] });
      expect(JSON.stringify(model)).not.to.contain(cpf);
      expect(JSON.stringify(model)).to.contain(`***.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-**`);
    });

    it('are masked in a CPF login with a suffix made before suffixes took a dot (529982247252)', () => {
      const p = aPerson({ cpf: cpfFrom('987654321') });
      const legacy = `${p.cpf}2`;
      const plan = aPlan([], [{ ...unchanged(p), login: legacy, dn: `CN=${legacy},OU=PMSP,OU=Usuarios,DC=x` }]);
      const json = JSON.stringify(summarisePlan(plan, aBatch({ people: [p] })));
      expect(json).not.to.contain(p.cpf);
      expect(json).to.contain(`***.${p.cpf.slice(3, 6)}.${p.cpf.slice(6, 9)}-**2`);
    });

    it('are masked even where the login strategy put one into the login and the DN', () => {
      const p = aPerson({ cpf: cpfFrom('987654321') });
      const plan = aPlan([createUser(p, { login: p.cpf, dn: `CN=${p.cpf},OU=PMSP,OU=Usuarios,DC=x` })], [unchanged(p)]);
      const json = JSON.stringify(summarisePlan(plan, aBatch({ people: [p] })));
      expect(json).not.to.contain(p.cpf);
    });

    it('are masked in a group list everyone of an órgão shares, for each person holding it', () => {
      const a = aPerson({ cpf: cpfFrom('987654321') });
      const b = aPerson({ cpf: cpfFrom('123123123'), nome: 'Bia Lima' });
      // One list object shared by both changes, as the plan shares it; a CPF slipped into a group's name.
      const groups = [`CN=SEI-${a.cpf},OU=Grupos,DC=x`];
      const plan = aPlan([createUser(a, { groups }), createUser(b, { groups })]);
      const model = summarisePlan(plan, aBatch({ people: [a, b] }));
      const json = JSON.stringify(model);
      expect(json).not.to.contain(a.cpf);
      const named = model.changes.flatMap((c) => (c.kind === 'create-user' ? c.groups : []));
      expect(named).to.have.length(2);
      for (const g of named) expect(g).to.equal(`SEI-${formatCpf(a.cpf).replace(/^\d{3}/, '***').replace(/\d{2}$/, '**')}`);
    });

    it('are masked where they lost their leading zero, when only a change knows them, even as the plan is handed over', () => {
      // Someone no longer in the forms (reason 'missing'): their CPF is only in the disable change. Written in a
      // DN without its leading zero, only the list of known CPFs tells it from any ten digits; the list must
      // hold the changes' CPFs even when it is first needed after earlier changes have left the plan (release).
      const gone = aPerson({ cpf: cpfFrom('012345678') });
      const unpadded = gone.cpf.slice(1);
      const other = aPerson({ cpf: cpfFrom('987654321') });
      const plan = aPlan([
        createUser(other),
        disableUser(gone, { reason: 'missing', dn: `CN=Conta ${unpadded},OU=PMSP,OU=Usuarios,DC=x`, login: 'conta.antiga' }),
      ]);
      const model = summarisePlan(plan, aBatch({ people: [other] }), { release: true });
      const json = JSON.stringify(model);
      expect(json).not.to.contain(unpadded);
      expect(json).to.contain(`CN=Conta ***.${gone.cpf.slice(3, 6)}.${gone.cpf.slice(6, 9)}-**,OU=PMSP`);
    });

    it('are masked when written in fullwidth digits, with no three ASCII digits anywhere in the value', () => {
      // A CPF pasted from a PDF or typed on a keyboard set to Japanese: ５２９.９８２… has no ASCII digit.
      const p = aPerson({ cpf: cpfFrom('529982247') });
      const fullwidth = [...formatCpf(p.cpf)].map((ch) => (/\d/.test(ch) ? String.fromCharCode(0xff10 + Number(ch)) : ch)).join('');
      const plan = aPlan([createUser(p, { attributes: { displayName: `Maria ${fullwidth}` } })]);
      const model = summarisePlan(plan, aBatch({ people: [p] }));
      const created = model.changes.find((c) => c.kind === 'create-user');
      expect(created).to.deep.include({ nome: `Maria ***.${p.cpf.slice(3, 6)}.${p.cpf.slice(6, 9)}-**` });
    });

    it('are masked written with a separator between every digit, with no three digits in a row', () => {
      const p = aPerson({ cpf: cpfFrom('529982247') });
      for (const sep of [' ', '/']) {
        const plan = aPlan([createUser(p, { attributes: { displayName: `Maria ${[...p.cpf].join(sep)}` } })]);
        const created = summarisePlan(plan, aBatch({ people: [p] })).changes.find((c) => c.kind === 'create-user');
        expect(created).to.deep.include({ nome: `Maria ***.${p.cpf.slice(3, 6)}.${p.cpf.slice(6, 9)}-**` });
      }
    });

    it('are masked in free text even when unknown and unpunctuated, such as an invalid CPF in a reason', () => {
      const batch = aBatch({
        rejected: [
          rejection('a.csv', 2, { reason: 'CPF 12345678900 com dígito verificador inválido' }),
          rejection('a.csv', 3, { reason: 'perfil "123 456 789 00" desconhecido' }),
        ],
        warnings: [{ message: 'CPF 98765432100 repetido' }],
      });
      const model = summarisePlan(aPlan([]), batch, { outcomes: [] });
      expect(model.rejected[0]?.reason).to.equal('CPF ***.456.789-** com dígito verificador inválido');
      expect(model.rejected[1]?.reason).to.equal('perfil "***.456.789-**" desconhecido');
      expect(model.warnings[0]?.message).to.equal('CPF ***.654.321-** repetido');
    });

    it('leave other eleven-digit values alone, such as a mobile number', () => {
      const { plan, batch } = aScenario();
      const update = summarisePlan(plan, batch).changes.find((c) => c.kind === 'update-user');
      expect(update).to.deep.include({ changes: [{ attribute: 'telephoneNumber', before: null, after: '11987654321' }] });
    });
  });
});
