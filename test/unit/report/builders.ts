import type { Person, RowRejection, Superseded, ValidatedBatch } from '../../../src/domain/form.js';
import {
  PLAN_VERSION,
  type AddMember,
  type Change,
  type CreateGroup,
  type CreateOu,
  type CreateTrainingAccount,
  type CreateUser,
  type DisableUser,
  type Plan,
  type Unchanged,
  type UpdateUser,
} from '../../../src/domain/plan.js';

/** Plans and batches built by hand, so report tests depend on nothing but the domain types. */

export const BASE_DN = 'DC=sei,DC=local';
const USERS = `OU=Usuarios,OU=SEI Cidades,${BASE_DN}`;
export const TRAINING = `OU=Treinamento,OU=SEI Cidades,${BASE_DN}`;
const GROUPS = `OU=Grupos,OU=SEI Cidades,${BASE_DN}`;

/** A valid CPF (check digits computed) from its first nine digits. */
export function cpfFrom(nine: string): string {
  const digits = nine.split('').map(Number);
  const check = (ds: number[]): number => {
    const sum = ds.reduce((acc, d, i) => acc + d * (ds.length + 1 - i), 0);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  const d1 = check(digits);
  const d2 = check([...digits, d1]);
  return nine + String(d1) + String(d2);
}

export const formatCpf = (d: string): string => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;

export function aPerson(over: Partial<Person> = {}): Person {
  return {
    file: 'formularios/pmsp.csv',
    line: 2,
    municipio: 'São Paulo',
    orgao: 'PMSP',
    nome: 'Maria da Silva',
    cpf: cpfFrom('123456789'),
    email: 'maria.silva@prefeitura.sp.gov.br',
    perfil: 'usuario',
    acao: 'incluir',
    ...over,
  };
}

export function aBatch(over: Partial<ValidatedBatch> = {}): ValidatedBatch {
  const people = over.people ?? [];
  return {
    rowsRead: over.rowsRead ?? people.length + (over.rejected?.length ?? 0) + (over.superseded?.length ?? 0),
    people,
    rejected: [],
    superseded: [],
    rejectedCpfs: [],
    warnings: [],
    ...over,
  };
}

export function aPlan(changes: Change[], unchanged: Unchanged[] = [], over: Partial<Plan> = {}): Plan {
  return {
    version: PLAN_VERSION,
    createdAt: '2025-03-07T12:05:03.000Z',
    inputs: [{ file: 'formularios/pmsp.csv', sha256: 'a'.repeat(64) }],
    observed: {
      source: 'ldaps://dc1.sei.local:636',
      observedAt: '2025-03-07T12:05:00.000Z',
      baseDN: BASE_DN,
      users: 10,
      trainingAccounts: 0,
    },
    changes,
    unchanged,
    ...over,
  };
}

const loginOf = (p: Person): string =>
  p.nome
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(' ')
    .filter((w) => w.length > 2)
    .join('.');
const userDn = (p: Person): string => `CN=${p.nome},OU=${p.orgao},${USERS}`;

export function createUser(p: Person, over: Partial<CreateUser> = {}): CreateUser {
  return {
    kind: 'create-user',
    dn: userDn(p),
    orgao: p.orgao,
    municipio: p.municipio,
    cpf: p.cpf,
    login: loginOf(p),
    upn: `${loginOf(p)}@sei.sp.gov.br`,
    email: p.email,
    perfil: p.perfil,
    attributes: { displayName: p.nomeSocial ?? p.nome, mail: p.email },
    groups: [`CN=SEI-${p.orgao},${GROUPS}`],
    source: { file: p.file, line: p.line },
    ...over,
  };
}

export function updateUser(p: Person, over: Partial<UpdateUser> = {}): UpdateUser {
  return {
    kind: 'update-user',
    dn: userDn(p),
    orgao: p.orgao,
    cpf: p.cpf,
    login: loginOf(p),
    changes: [{ attribute: 'title', before: 'Analista', after: 'Coordenadora' }],
    expectUsn: '1234',
    source: { file: p.file, line: p.line },
    ...over,
  };
}

export function disableUser(p: Person, over: Partial<DisableUser> = {}): DisableUser {
  return {
    kind: 'disable-user',
    dn: userDn(p),
    orgao: p.orgao,
    cpf: p.cpf,
    login: loginOf(p),
    reason: 'missing',
    description: 'Desativada em 2025-03-07: ausente dos formulários',
    userAccountControl: 514,
    expectUsn: '999',
    ...over,
  };
}

export function unchanged(p: Person): Unchanged {
  return { dn: userDn(p), orgao: p.orgao, cpf: p.cpf, login: loginOf(p) };
}

/** `n` training accounts for an órgão, named as the tool names them. */
export function training(orgao: string, n: number): CreateTrainingAccount[] {
  return Array.from({ length: n }, (_, i) => {
    const cn = `usuario${String(i + 1).padStart(2, '0')}`;
    const login = `${cn}.${orgao.toLowerCase()}`;
    return {
      kind: 'create-training-account' as const,
      dn: `CN=${cn},OU=${orgao},${TRAINING}`,
      orgao,
      login,
      upn: `${login}@sei.sp.gov.br`,
      cn,
    };
  });
}

export const createOu = (dn: string): CreateOu => ({ kind: 'create-ou', dn });
export const createGroup = (name: string, orgao?: string): CreateGroup => ({
  kind: 'create-group',
  dn: `CN=${name},${GROUPS}`,
  name,
  ...(orgao !== undefined ? { orgao } : {}),
});
export const addMember = (groupName: string, memberDns: string[]): AddMember => ({
  kind: 'add-member',
  groupDn: `CN=${groupName},${GROUPS}`,
  memberDns,
});

export function rejection(file: string, line: number, over: Partial<RowRejection> = {}): RowRejection {
  return { file, line, field: 'cpf', reason: 'dígito verificador inválido', ...over };
}

export function superseded(p: Person, byLine: number): Superseded {
  return { file: p.file, line: p.line, cpf: p.cpf, by: { file: p.file, line: byLine } };
}

/**
 * A plan touching three órgãos with every kind of change, a batch with rejections, a superseded row and
 * warnings, and CPFs tucked into free text: the fixture the rendering tests share.
 */
export function aScenario() {
  const maria = aPerson({ nome: 'Maria da Silva', cpf: cpfFrom('123456789'), line: 7 });
  const joao = aPerson({ nome: 'João Souza', nomeSocial: 'Joana Souza', cpf: cpfFrom('234567891'), line: 3 });
  const jose = aPerson({ nome: 'José Pereira', cpf: cpfFrom('345678912') });
  const ana = aPerson({ nome: 'Ana Lima', cpf: cpfFrom('456789123'), line: 4 });
  const carla = aPerson({
    file: 'formularios/camara.csv',
    line: 2,
    municipio: 'São Paulo',
    orgao: 'CMSP',
    nome: 'Carla Dias',
    cpf: cpfFrom('567891234'),
    perfil: 'interlocutor',
  });
  const beto = aPerson({
    file: 'formularios/saae.csv',
    line: 2,
    municipio: 'São José do Rio Preto',
    orgao: 'SAAE',
    nome: 'Roberto Alves',
    cpf: cpfFrom('678912345'),
  });
  const people = [maria, joao, ana, carla, beto];
  const pmspTraining = training('PMSP', 3);
  const plan = aPlan(
    [
      createOu(`OU=PMSP,${TRAINING}`),
      createGroup('SEI-PMSP', 'PMSP'),
      createUser(maria),
      createUser(carla, { perfil: 'interlocutor' }),
      updateUser(joao, { changes: [{ attribute: 'telephoneNumber', before: null, after: '11987654321' }] }),
      disableUser(jose, { description: `Desativada em 2025-03-07 (CPF ${jose.cpf})` }),
      ...pmspTraining,
      ...training('CMSP', 2),
      addMember('SEI-PMSP', [createUser(maria).dn]),
    ],
    [unchanged(ana), unchanged(beto)],
  );
  const batch = aBatch({
    rowsRead: 9,
    people,
    rejected: [
      rejection('formularios/pmsp.csv', 5, { field: 'email', reason: 'e-mail inválido' }),
      rejection('formularios/pmsp.csv', 5, { field: 'cpf', reason: 'CPF 111.222.333-44 com dígito verificador inválido' }),
      rejection('formularios/camara.csv', 9, { field: null, reason: 'linha com colunas a mais' }),
    ],
    superseded: [superseded({ ...maria, line: 6 }, 7)],
    warnings: [
      { file: 'formularios/pmsp.csv', line: 8, message: `nome social igual ao nome para ${formatCpf(maria.cpf)}` },
      { message: 'coluna "observações" ignorada' },
    ],
  });
  return { plan, batch, people: { maria, joao, jose, ana, carla, beto }, pmspTraining };
}
