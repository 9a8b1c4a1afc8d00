import { expect } from 'chai';
import {
  deriveDesiredAccounts,
  deriveTrainingAccounts,
  deriveTrainingGroup,
  personGroupMatcher,
  personGroupPattern,
  trainingLoginTest,
} from '../../../src/core/desiredState.js';
import { GROUPS_DN, aPerson, aPolicy, groupDn, orgaoOu, trainingOu } from './builders.js';

describe('core/desiredState', () => {
  const policy = aPolicy();

  it('names exactly the people\'s groups of the órgãos known, never a hand-made group with a name like them', () => {
    const isPersonGroup = personGroupMatcher(policy, ['PREF', 'cam']);
    for (const dn of [groupDn('SEI-PREF'), groupDn('SEI-CAM'), `CN=sei-pref,${GROUPS_DN.toLowerCase()}`, groupDn('SEI-Interlocutores'), groupDn('SEI-ADMINISTRADORES')]) {
      expect(isPersonGroup(dn), dn).to.equal(true);
    }
    for (const dn of [groupDn('SEI-Gestores'), groupDn('SEI-TI'), groupDn('SEI-PM0001'), groupDn('SEI-Treinamento-PREF'), `CN=SEI-PREF,OU=Outros,${GROUPS_DN}`, `CN=SEI-PREF,${orgaoOu('PREF')}`]) {
      expect(isPersonGroup(dn), dn).to.equal(false);
    }
    // Perfil groups per órgão, when the template says so.
    const perOrgao = personGroupMatcher(aPolicy({ perfilGroups: { administrador: 'SEI-{ORGAO}-Admin' } }), ['PREF']);
    expect(perOrgao(groupDn('SEI-PREF-Admin'))).to.equal(true);
    expect(perOrgao(groupDn('SEI-CAM-Admin'))).to.equal(false);
    expect(perOrgao(groupDn('SEI-Interlocutores'))).to.equal(false);
  });

  it('tells by name alone which groups a saved plan may take members out of', () => {
    const isPersonGroup = personGroupPattern(policy);
    for (const dn of [groupDn('SEI-PREF'), groupDn('SEI-PM0001'), `CN=sei-pref,${GROUPS_DN.toLowerCase()}`, groupDn('SEI-Interlocutores'), groupDn('SEI-ADMINISTRADORES')]) {
      expect(isPersonGroup(dn), dn).to.equal(true);
    }
    for (const dn of [
      groupDn('SEI-Treinamento-PREF'),
      groupDn('SEI Gestores'),
      groupDn('SEI-PREFEITURASP'),
      groupDn('SEI-P'),
      `CN=SEI-PREF,OU=Outros,${GROUPS_DN}`,
      `CN=SEI-PREF,CN=Users,DC=sei,DC=local`,
      `OU=SEI-PREF,${GROUPS_DN}`,
      `CN=SEI-PREF,${orgaoOu('PREF')}`,
    ]) {
      expect(isPersonGroup(dn), dn).to.equal(false);
    }
    // Template characters are literal: a dot is a dot.
    const dotted = personGroupPattern(aPolicy({ orgaoGroup: 'SEI.{ORGAO}', perfilGroups: { administrador: 'SEI {perfil}s' } }));
    expect(dotted(groupDn('SEI.PREF'))).to.equal(true);
    expect(dotted(groupDn('SEIxPREF'))).to.equal(false);
    expect(dotted(groupDn('SEI administradors'))).to.equal(true);
    expect(dotted(groupDn('SEI chefes'))).to.equal(false);
  });

  it('places a person in the órgão OU with every managed attribute', () => {
    const [d] = deriveDesiredAccounts(
      [
        aPerson({
          nome: 'Maria Aparecida da Silva',
          email: 'maria@campinas.sp.gov.br',
          cargo: 'Analista',
          unidade: 'Secretaria de Saúde',
          telefone: '(19) 3333-4444',
          municipio: 'Campinas',
          orgao: 'SMS',
        }),
      ],
      policy,
    );
    expect(d?.ouDn).to.equal('OU=SMS,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local');
    expect(d?.loginBase).to.equal('maria.silva');
    expect(d?.attributes).to.deep.equal({
      displayName: 'Maria Aparecida da Silva',
      givenName: 'Maria',
      sn: 'Aparecida da Silva',
      mail: 'maria@campinas.sp.gov.br',
      title: 'Analista',
      department: 'Secretaria de Saúde',
      company: 'Campinas',
      telephoneNumber: '(19) 3333-4444',
      description: 'SEI Cidades — Campinas',
    });
  });

  it('uses the nome social for displayName, givenName, sn and the login', () => {
    const [d] = deriveDesiredAccounts([aPerson({ nome: 'Carlos Alberto Souza', nomeSocial: 'Carla Souza Mendes' })], policy);
    expect(d?.displayName).to.equal('Carla Souza Mendes');
    expect(d?.attributes).to.include({ displayName: 'Carla Souza Mendes', givenName: 'Carla', sn: 'Souza Mendes' });
    expect(d?.loginBase).to.equal('carla.mendes');
  });

  it('leaves optional fields absent rather than empty', () => {
    const [d] = deriveDesiredAccounts([aPerson({ cargo: '  ', unidade: undefined, telefone: '' })], policy);
    expect(d?.attributes).to.not.have.any.keys('title', 'department', 'telephoneNumber');
  });

  it('keeps displayName whole up to 256 and cuts free text to AD limits', () => {
    const nome = `Maria ${'Souza '.repeat(30)}Lima`;
    const [d] = deriveDesiredAccounts([aPerson({ nome, unidade: 'U'.repeat(100) })], policy);
    expect(d?.attributes.displayName).to.equal(nome);
    expect(d?.attributes.department).to.have.length(64);
    expect(d?.attributes.sn?.length).to.be.at.most(64);
  });

  it('joins the órgão group and the perfil group when the perfil has one', () => {
    const [usuario, inter] = deriveDesiredAccounts(
      [aPerson({ orgao: 'PREF', perfil: 'usuario' }), aPerson({ orgao: 'CAM', perfil: 'interlocutor' })],
      policy,
    );
    expect(usuario?.groups.map((g) => g.dn)).to.deep.equal([groupDn('SEI-PREF')]);
    expect(inter?.groups).to.deep.equal([
      { dn: groupDn('SEI-CAM'), name: 'SEI-CAM', orgao: 'CAM' },
      { dn: groupDn('SEI-Interlocutores'), name: 'SEI-Interlocutores' },
    ]);
  });

  it('escapes every value it puts in a DN', () => {
    const [d] = deriveDesiredAccounts([aPerson({ orgao: 'A+B' })], aPolicy({ orgaoGroup: 'SEI,{ORGAO}' }));
    expect(d?.ouDn).to.equal(orgaoOu('A+B')).and.to.contain('OU=A\\+B,');
    expect(d?.groups[0]?.dn).to.equal(`CN=SEI\\,A\\+B,${GROUPS_DN}`);
  });

  it('tells the logins of those training accounts, and only those, without listing them', () => {
    for (const count of [2, 9, 10, 99]) {
      const policy = aPolicy({ trainingCount: count });
      const orgaos = ['PREF', 'CAMARAMUNI', 'SMS'];
      const isTraining = trainingLoginTest(orgaos, policy);
      for (const t of deriveTrainingAccounts(orgaos, policy)) expect(isTraining(t.login), t.login).to.equal(true);
      const misses = ['usuario00.pref', `usuario${count + 1}.pref`, 'usuario1.pref', 'usuario001.pref', 'usuario01.cam', 'usuario01.prefx', 'usuario01pref', 'usuario.pref', 'usuario01.', 'usuarioab.pref', 'usuario 1.pref', 'maria.usuario01', 'usuario01.pref.sms'];
      for (const login of misses) expect(isTraining(login), login).to.equal(false);
    }
  });

  it('derives usuario01..NN per órgão with login and UPN', () => {
    const t = deriveTrainingAccounts(['PREF', 'CAMARAMUNI', 'PREF'], aPolicy({ trainingCount: 2 }));
    expect(t.map((a) => a.login)).to.deep.equal([
      'usuario01.pref',
      'usuario02.pref',
      'usuario01.camaramuni',
      'usuario02.camaramuni',
    ]);
    expect(t[0]).to.deep.equal({
      dn: `CN=usuario01,${trainingOu('PREF')}`,
      ouDn: trainingOu('PREF'),
      orgao: 'PREF',
      cn: 'usuario01',
      login: 'usuario01.pref',
      upn: 'usuario01.pref@sei.local',
    });
    const all = deriveTrainingAccounts(['CAMARAMUNI'], aPolicy({ trainingCount: 99 }));
    expect(all).to.have.length(99);
    expect(all[98]?.login).to.equal('usuario99.camaramuni').and.to.have.length(20);
  });

  it('keeps the per-órgão training group in the groups OU', () => {
    expect(deriveTrainingGroup('PREF', policy)).to.deep.equal({
      dn: groupDn('SEI-Treinamento-PREF'),
      name: 'SEI-Treinamento-PREF',
      orgao: 'PREF',
    });
  });
});
