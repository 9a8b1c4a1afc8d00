import { expect } from 'chai';
import type { RemoveMember } from '../../../src/domain/plan.js';
import { GROUPS_DN, ROOT_DN, USERS_DN, aPerson, aPolicy, aSnapshot, groupDn, orgaoOu, trainingOu } from './builders.js';
import { accountFor, adds, creates, disables, ofKind, ous, plan, provisionedPref, updates } from './planFixtures.js';

const removals = (p: ReturnType<typeof plan>): RemoveMember[] => ofKind(p, 'remove-member');

/** A person whose account already exists in PREF (as the tool made it), with extra groups if given. */
function inPref(extraGroups: string[] = [], overrides: Parameters<typeof aPerson>[0] = {}) {
  const before = aPerson({ nome: 'Maria Souza', orgao: 'PREF', ...overrides });
  const account = accountFor(before, 'maria.souza');
  account.memberOf = [groupDn('SEI-PREF'), ...extraGroups];
  return { before, account };
}

describe('core/assemblePlan: a person who changed órgão or perfil', () => {
  it('moves the account to the new órgão OU, keeping its login and CN, and swaps the órgão groups', () => {
    const { before, account } = inPref();
    const now = { ...before, orgao: 'CAM', municipio: 'Campinas' };
    const p = plan([now], provisionedPref().withUser(account).build(), { training: false });
    const moveTo = `CN=Maria Souza,${orgaoOu('CAM')}`;
    expect(updates(p)).to.deep.equal([
      {
        kind: 'update-user',
        dn: account.dn,
        orgao: 'CAM',
        cpf: before.cpf,
        login: 'maria.souza',
        changes: [],
        moveTo,
        fromOrgao: 'PREF',
        expectUsn: '4711',
        source: { file: now.file, line: now.line },
      },
    ]);
    expect(creates(p)).to.deep.equal([]);
    expect(ous(p)).to.deep.equal([orgaoOu('CAM')]);
    expect(adds(p)).to.deep.equal([{ kind: 'add-member', groupDn: groupDn('SEI-CAM'), memberDns: [moveTo] }]);
    expect(removals(p)).to.deep.equal([{ kind: 'remove-member', groupDn: groupDn('SEI-PREF'), memberDns: [moveTo] }]);
    // Removals come last: the account joins its new groups before it leaves the old ones.
    expect(p.changes.at(-1)?.kind).to.equal('remove-member');
    expect(p.unchanged).to.deep.equal([]);
  });

  it('changes the attributes in the same update when the município changed too', () => {
    const { before, account } = inPref();
    const p = plan([{ ...before, orgao: 'PMV', municipio: 'Valinhos' }], provisionedPref().withUser(account).build(), { training: false });
    const [u] = updates(p);
    expect(u?.moveTo).to.equal(`CN=Maria Souza,${orgaoOu('PMV')}`);
    expect(u?.changes.map((c) => [c.attribute, c.after])).to.deep.equal([
      ['company', 'Valinhos'],
      ['description', 'SEI Cidades — Valinhos'],
    ]);
  });

  it('gives the moved account a CN free in the new OU when a namesake is already there', () => {
    const { before, account } = inPref();
    const namesake = { ...accountFor(aPerson({ nome: 'Maria Souza', orgao: 'CAM' }), 'maria.souza2'), memberOf: [groupDn('SEI-CAM')] };
    const snap = provisionedPref().withOus(orgaoOu('CAM')).withGroup(groupDn('SEI-CAM'), [namesake.dn]).withUser(account).withUser(namesake).build();
    const p = plan([{ ...before, orgao: 'CAM' }, aPerson({ nome: 'Maria Souza', orgao: 'CAM', cpf: namesake.employeeID })], snap, { training: false });
    expect(updates(p).find((u) => u.cpf === before.cpf)?.moveTo).to.equal(`CN=Maria Souza (maria.souza),${orgaoOu('CAM')}`);
    expect(updates(p).find((u) => u.cpf === namesake.employeeID)?.moveTo).to.equal(undefined);
  });

  it('does not move an account whose OU is the same órgão written in another case', () => {
    const { before, account } = inPref();
    account.dn = `CN=Maria Souza,OU=pref,${USERS_DN}`;
    const p = plan([before], provisionedPref().withUser(account).build(), { training: false });
    expect(p.changes).to.deep.equal([]);
    expect(p.unchanged).to.have.length(1);
  });

  it('leaves where it is an account outside every órgão OU (put there by hand)', () => {
    const { before, account } = inPref();
    for (const dn of [`CN=Maria Souza,${USERS_DN}`, `CN=Maria Souza,${ROOT_DN}`]) {
      const p = plan([before], provisionedPref().withUser({ ...account, dn }).build(), { training: false });
      expect(updates(p), dn).to.deep.equal([]);
    }
  });

  it('moves an account from a sub-OU of another órgão', () => {
    const { before, account } = inPref();
    account.dn = `CN=Maria Souza,OU=Setor,${orgaoOu('CAM')}`;
    const p = plan([before], provisionedPref().withUser(account).build(), { training: false });
    expect(updates(p).map((u) => [u.fromOrgao, u.moveTo])).to.deep.equal([['CAM', `CN=Maria Souza,${orgaoOu('PREF')}`]]);
  });

  it('takes a perfil away: out of its group, into nothing new, without moving', () => {
    const { before, account } = inPref([groupDn('SEI-Administradores')], { perfil: 'administrador' });
    const p = plan([{ ...before, perfil: 'usuario' }], provisionedPref().withUser(account).build(), { training: false });
    expect(updates(p)).to.deep.equal([]);
    expect(adds(p)).to.deep.equal([]);
    expect(removals(p)).to.deep.equal([{ kind: 'remove-member', groupDn: groupDn('SEI-Administradores'), memberDns: [account.dn] }]);
    expect(p.unchanged).to.deep.equal([]);
  });

  it('a blank perfil (usuario assumed) keeps the perfil groups; a change of órgão still swaps the órgão groups', () => {
    const { before, account } = inPref([groupDn('SEI-Administradores')], { perfil: 'administrador' });
    const blank = { ...before, perfil: 'usuario' as const, perfilAssumed: true as const };
    const snap = () => provisionedPref().withGroup(groupDn('SEI-Administradores'), [account.dn]).withUser(account).build();
    expect(plan([blank], snap(), { training: false }).changes).to.deep.equal([]);
    const moved = plan([{ ...blank, orgao: 'CAM' }], snap(), { training: false });
    expect(removals(moved).map((r) => r.groupDn)).to.deep.equal([groupDn('SEI-PREF')]);
  });

  it('a blank perfil on a move carries the perfil the account has to the new órgão (per-órgão perfil groups)', () => {
    const policy = aPolicy({ perfilGroups: { administrador: 'SEI-{ORGAO}-Admin', usuario: 'SEI-{ORGAO}-Usuarios' } });
    const { before, account } = inPref([groupDn('SEI-PREF-Admin')], { perfil: 'administrador' });
    const blank = { ...before, orgao: 'CAM', perfil: 'usuario' as const, perfilAssumed: true as const };
    const p = plan([blank], provisionedPref().withGroup(groupDn('SEI-PREF-Admin'), [account.dn]).withUser(account).build(), { training: false, policy });
    const moveTo = `CN=Maria Souza,${orgaoOu('CAM')}`;
    expect(adds(p).map((a) => [a.groupDn, a.memberDns])).to.deep.equal([
      [groupDn('SEI-CAM'), [moveTo]],
      [groupDn('SEI-CAM-Admin'), [moveTo]],
    ]);
    expect(removals(p).map((r) => r.groupDn)).to.deep.equal([groupDn('SEI-PREF'), groupDn('SEI-PREF-Admin')]);
    // Without a perfil group, a blank perfil is usuario: that group is joined.
    const plain = inPref([], { nome: 'Ana Lima' });
    plain.account.dn = `CN=Ana Lima,${orgaoOu('PREF')}`;
    plain.account.sAMAccountName = 'ana.lima';
    const q = plan([{ ...plain.before, perfilAssumed: true }], provisionedPref().withUser(plain.account).build(), { training: false, policy });
    expect(adds(q).map((a) => a.groupDn)).to.deep.equal([groupDn('SEI-PREF-Usuarios')]);
    expect(removals(q)).to.deep.equal([]);
  });

  it('a blank perfil reads the perfil from the groups whatever órgão they name (a move finished by hand), and decides nothing when they disagree', () => {
    const policy = aPolicy({ perfilGroups: { administrador: 'SEI-{ORGAO}-Admin', interlocutor: 'SEI-Interlocutores' } });
    // Already in CAM (moved by hand, or a run cut short), still in PREF's admin group.
    const { before, account } = inPref([groupDn('SEI-PREF-Admin')], { perfil: 'administrador' });
    const inCam = { ...account, dn: `CN=Maria Souza,${orgaoOu('CAM')}`, memberOf: [groupDn('SEI-CAM'), groupDn('SEI-PREF-Admin')] };
    const blank = { ...before, orgao: 'CAM', perfil: 'usuario' as const, perfilAssumed: true as const };
    const snap = provisionedPref().withOus(orgaoOu('CAM')).withGroup(groupDn('SEI-CAM'), [inCam.dn]).withUser(inCam).build();
    const p = plan([blank], snap, { training: false, policy });
    expect(adds(p).map((a) => a.groupDn)).to.deep.equal([groupDn('SEI-CAM-Admin')]);
    expect(removals(p).map((r) => r.groupDn)).to.deep.equal([groupDn('SEI-PREF-Admin')]);
    // In two perfil groups: a blank perfil takes neither away.
    const both = { ...account, memberOf: [groupDn('SEI-PREF'), groupDn('SEI-PREF-Admin'), groupDn('SEI-Interlocutores')] };
    const q = plan([{ ...before, perfil: 'usuario', perfilAssumed: true }], provisionedPref().withUser(both).build(), { training: false, policy });
    expect(removals(q)).to.deep.equal([]);
    // A perfil given in the form still decides.
    const r = plan([{ ...before, perfil: 'interlocutor' }], provisionedPref().withUser(both).build(), { training: false, policy });
    expect(removals(r).map((x) => x.groupDn)).to.deep.equal([groupDn('SEI-PREF-Admin')]);
    // Undecided and moving: each perfil group is carried to the new órgão's spelling; the old órgão's admin
    // group does not stay behind (administrator of PREF while in CAM, and of nothing in CAM).
    const moving = plan([{ ...before, orgao: 'CAM', perfil: 'usuario', perfilAssumed: true }], provisionedPref().withOus(orgaoOu('CAM')).withUser(both).build(), { training: false, policy });
    expect(adds(moving).map((a) => a.groupDn).sort()).to.deep.equal([groupDn('SEI-CAM'), groupDn('SEI-CAM-Admin')].sort());
    expect(removals(moving).map((x) => x.groupDn).sort()).to.deep.equal([groupDn('SEI-PREF'), groupDn('SEI-PREF-Admin')].sort());
  });

  it('never takes anyone out of a group the tool does not name, nor out of training groups', () => {
    const others = [
      `CN=SEI Gestores Especiais,${GROUPS_DN}`,
      groupDn('SEI-Gestores'),
      groupDn('SEI-TI'),
      `CN=SEI-Treinamento-PREF,${GROUPS_DN}`,
      `CN=SEI-OUTRO,OU=Outros Grupos,${ROOT_DN}`,
      'CN=VPN,CN=Users,DC=sei,DC=local',
      `CN=SEI-PREFEITURASP,${GROUPS_DN}`,
      `CN=usuario01,${trainingOu('PREF')}`,
    ];
    const { before, account } = inPref(others);
    const p = plan([before], provisionedPref().withUser(account).build(), { training: false });
    expect(removals(p)).to.deep.equal([]);
    expect(p.unchanged).to.have.length(1);
  });

  it('takes several people out of one group in one change, groups in DN order', () => {
    const a = inPref([groupDn('SEI-Interlocutores')], { nome: 'Ana Lima', perfil: 'interlocutor' });
    const b = inPref([groupDn('SEI-Interlocutores'), groupDn('SEI-Administradores')], { nome: 'Bia Reis', perfil: 'interlocutor' });
    a.account.dn = `CN=Ana Lima,${orgaoOu('PREF')}`;
    b.account.dn = `CN=Bia Reis,${orgaoOu('PREF')}`;
    b.account.sAMAccountName = 'bia.reis';
    const snap = provisionedPref().withUser(a.account).withUser(b.account).build();
    const p = plan([{ ...a.before, perfil: 'usuario' }, { ...b.before, perfil: 'usuario' }], snap, { training: false });
    expect(removals(p)).to.deep.equal([
      { kind: 'remove-member', groupDn: groupDn('SEI-Administradores'), memberDns: [b.account.dn] },
      { kind: 'remove-member', groupDn: groupDn('SEI-Interlocutores'), memberDns: [a.account.dn, b.account.dn] },
    ]);
  });

  it('a desativar row only disables: no move, no group taken away', () => {
    const { before, account } = inPref([groupDn('SEI-Administradores')]);
    const p = plan([{ ...before, orgao: 'CAM', acao: 'desativar' }], provisionedPref().withUser(account).build(), { training: false });
    expect(disables(p)).to.have.length(1);
    expect(updates(p)).to.deep.equal([]);
    expect(removals(p)).to.deep.equal([]);
  });

  it('once moved, the next plan has nothing to do for the person', () => {
    const { before, account } = inPref();
    const moved = { ...account, dn: `CN=Maria Souza,${orgaoOu('CAM')}`, memberOf: [groupDn('SEI-CAM')] };
    const snap = aSnapshot().withManagedOus('PREF', 'CAM').withGroup(groupDn('SEI-PREF')).withGroup(groupDn('SEI-CAM'), [moved.dn]).withUser(moved).build();
    const p = plan([{ ...before, orgao: 'CAM' }], snap, { training: false });
    expect(p.changes).to.deep.equal([]);
    expect(p.unchanged.map((u) => u.dn)).to.deep.equal([moved.dn]);
  });
});

describe('core/assemblePlan: a person whose name changed', () => {
  it('renames the account in place when a nome social is given later: same login, same OU, new CN', () => {
    const before = aPerson({ nome: 'João Pereira Lima', orgao: 'PREF' });
    const account = accountFor(before, 'joao.lima');
    const p = plan([{ ...before, nomeSocial: 'Joana Pereira Lima' }], provisionedPref().withUser(account).build(), { training: false });
    const [u] = updates(p);
    expect(u?.moveTo).to.equal(`CN=Joana Pereira Lima,${orgaoOu('PREF')}`);
    expect(u?.fromOrgao).to.equal(undefined);
    expect(u?.changes.map((c) => c.attribute)).to.include('displayName');
    // A rename is not a change of órgão: no group changes, no OU created.
    expect(adds(p)).to.deep.equal([]);
    expect(removals(p)).to.deep.equal([]);
    expect(ous(p)).to.deep.equal([]);
  });

  it('does not rename for case or accents, for the tag that told namesakes apart, or for a name cut at AD\'s limit', () => {
    const cases: [string, string][] = [
      ['Conceição Souza', 'Conceicao Souza'],
      ['Maria Souza', 'MARIA SOUZA'],
      ['Maria Souza (maria.souza2)', 'Maria Souza'],
      ['Maria Souza (3)', 'Maria Souza'],
      ['Maria Souza (MARIA.SOUZA2)', 'Maria Souza'],
      ['Łukasz Żółć', 'Lukasz Zolc'],
      [`Maria ${'Aparecida '.repeat(6)}Souza`.slice(0, 64).trimEnd(), `Maria ${'Aparecida '.repeat(6)}Souza`],
    ];
    for (const [cn, nome] of cases) {
      const before = aPerson({ nome, orgao: 'PREF' });
      const account = { ...accountFor(before, 'maria.souza2'), dn: `CN=${cn},${orgaoOu('PREF')}` };
      const p = plan([before], provisionedPref().withUser(account).build(), { training: false });
      expect(updates(p).map((u) => u.moveTo), cn).to.deep.equal(updates(p).map(() => undefined));
    }
  });

  it('gives the renamed account a CN free in its OU', () => {
    const before = aPerson({ nome: 'João Pereira Lima', orgao: 'PREF' });
    const account = accountFor(before, 'joao.lima');
    const joana = { ...accountFor(aPerson({ nome: 'Joana Pereira Lima' }), 'joana.lima'), memberOf: [groupDn('SEI-PREF')] };
    const snap = provisionedPref().withUser(account).withUser(joana).build();
    const p = plan([{ ...before, nomeSocial: 'Joana Pereira Lima' }], snap, { training: false });
    expect(updates(p).find((u) => u.cpf === before.cpf)?.moveTo).to.equal(`CN=Joana Pereira Lima (joao.lima),${orgaoOu('PREF')}`);
  });

  it('a move under the same name into an OU where the CN is taken gets a CN made from the name, stable on the next run', () => {
    const before = aPerson({ nome: 'José Silva', orgao: 'PREF' });
    const account = { ...accountFor(before, 'jose.silva3'), dn: `CN=José Silva (2),${orgaoOu('PREF')}` };
    const there = { ...accountFor(aPerson({ nome: 'José Silva', orgao: 'CAM' }), 'jose.silva9'), dn: `CN=José Silva (2),${orgaoOu('CAM')}`, memberOf: [groupDn('SEI-CAM')] };
    const snap = provisionedPref().withOus(orgaoOu('CAM')).withUser(account).withUser(there).build();
    const p = plan([{ ...before, orgao: 'CAM' }], snap, { training: false });
    const moveTo = updates(p).find((u) => u.cpf === before.cpf)?.moveTo;
    expect(moveTo).to.equal(`CN=José Silva,${orgaoOu('CAM')}`);
    const after = { ...account, dn: moveTo!, memberOf: [groupDn('SEI-CAM')] };
    const next = plan([{ ...before, orgao: 'CAM' }], aSnapshot().withManagedOus('PREF', 'CAM').withGroup(groupDn('SEI-PREF')).withGroup(groupDn('SEI-CAM'), [after.dn, there.dn]).withUser(after).withUser(there).build(), { training: false });
    expect(updates(next).filter((u) => u.cpf === before.cpf)).to.deep.equal([]);
  });
});
