/** Generated people for the fault suites: valid, distinct CPFs and e-mails, a few same-name pairs. */
import { cpfFor } from '../../integration/harness.js';
import { captured } from './capture.js';

export interface TestPerson {
  municipio: string;
  orgao: string;
  nome: string;
  cpf: string;
  email: string;
  cargo: string;
  perfil: 'usuario' | 'interlocutor' | 'administrador';
}

const FIRST = ['Ana', 'Bruno', 'Carla', 'Diego', 'Elisa', 'Fabio', 'Gabriela', 'Heitor', 'Iara', 'Joao', 'Karina', 'Lucas', 'Marina', 'Nelson', 'Olivia', 'Paulo', 'Quiteria', 'Rafael', 'Sofia', 'Tiago'];
const LAST = ['Almeida', 'Barbosa', 'Cardoso', 'Duarte', 'Esteves', 'Ferraz', 'Goulart', 'Honorato', 'Izidoro', 'Jardim', 'Kalil', 'Lacerda', 'Macedo', 'Nogueira', 'Otero', 'Prado', 'Queiroz', 'Rezende', 'Siqueira', 'Teixeira'];

const ORGAOS: [string, string][] = [
  ['Sorocaba', 'PMS'],
  ['Campinas', 'PMC'],
  ['Jundiaí', 'PMJ'],
  ['Bauru', 'PMB'],
  ['Marília', 'PMM'],
  ['Taubaté', 'PMT'],
];

/**
 * `n` people spread over six órgãos. Every 37th person repeats the name of the one before (a second
 * "Ana Almeida" gets another login), every 10th is an interlocutor and every 25th an administrator, so
 * every kind of group is involved. CPFs come from `cpfFor(seedBase + i)` and are registered for the
 * secrets check.
 */
export function makePeople(n: number, seedBase: number, orgaos = ORGAOS.length): TestPerson[] {
  const out: TestPerson[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 37 === 36 ? i - 1 : i;
    const nome = `${FIRST[k % FIRST.length]!} ${LAST[Math.floor(k / FIRST.length) % LAST.length]!} ${LAST[(k * 7 + 3) % LAST.length]!}`;
    const [municipio, orgao] = ORGAOS[i % orgaos]!;
    const cpf = cpfFor(seedBase + i);
    captured.cpfs.add(cpf);
    const perfil = i % 25 === 24 ? 'administrador' : i % 10 === 0 ? 'interlocutor' : 'usuario';
    out.push({ municipio, orgao, nome, cpf, email: `p${seedBase + i}@${orgao.toLowerCase()}.sp.gov.br`, cargo: 'Agente', perfil });
  }
  return out;
}

/** Rows for harness.writeForm: [municipio, orgao, nome, cpf, email, cargo, perfil]. */
export function formRows(people: readonly TestPerson[]): string[][] {
  return people.map((p) => [p.municipio, p.orgao, p.nome, p.cpf, p.email, p.cargo, p.perfil]);
}
