import { chmod, writeFile } from 'node:fs/promises';
import type { Person } from '../../domain/form.js';
import type { CreateUser } from '../../domain/plan.js';

/** SIP's bulk user load, in its column order. The login is the user's "sigla" in SEI. */
export const SIP_COLUMNS = ['orgao', 'sigla', 'nome', 'nomeSocial', 'cpf', 'emailInstitucional', 'unidadePrimeiraPermissao', 'perfilPrimeiraPermissao'] as const;

function cell(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Pure: the rows for the accounts this run created. */
export function renderSipExport(created: CreateUser[], people: Person[]): string {
  const byCpf = new Map(people.map((p) => [p.cpf, p]));
  const lines = [SIP_COLUMNS.join(';')];
  for (const c of created) {
    const p = byCpf.get(c.cpf);
    lines.push(
      [c.orgao, c.login, p?.nome ?? c.attributes.displayName ?? '', p?.nomeSocial ?? '', c.cpf, c.email, p?.unidade ?? '', c.perfil]
        .map((v) => cell(v))
        .join(';'),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Holds CPFs: readable by its owner only. */
export async function writeSipExport(file: string, created: CreateUser[], people: Person[]): Promise<void> {
  await writeFile(file, '', { mode: 0o600 });
  await chmod(file, 0o600);
  await writeFile(file, renderSipExport(created, people), { mode: 0o600 });
}
