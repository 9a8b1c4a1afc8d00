/**
 * Inputs for `npm run bench` (scripts/bench.sh). Run with `npx tsx scripts/bench/generate.ts <command>`:
 *
 *   people --n N --orgaos O --out FILE [--seed S] [--prefix P]
 *       A form as Excel pt-BR writes it (Windows-1252, ";", CRLF): N people spread over O órgãos
 *       (siglas P0001…, default prefix "PM"), accented names, valid CPFs from generateValidCpf (masked),
 *       unique e-mails, perfil Usuário (so exactly one group membership each), ação Inclusão.
 *
 *   ldif --csv FILE --parts P --out DIR
 *       What sei-contas writes for that form, as LDIF for OpenLDAP's ldapadd. The plan is computed by the
 *       tool's own code (readForms → validateRows → assemblePlan on an empty directory, training off), so
 *       the entries are exactly apply's: newUserEntry() (attributes, userAccountControl 512, pwdLastSet 0)
 *       plus `unicodePwd` (a temporary password from generateTemporaryPassword) in the same add, then the
 *       memberships batched one modify per group, as apply does. Writes DIR/setup.ldif (the OUs and
 *       groups, not timed: load it with `ldapadd -c`), DIR/all.ldif (every person, for one process) and
 *       DIR/part-1.ldif … part-P.ldif (contiguous slices, each with its own membership modifies).
 *
 *   drift --orgaos A,B,… --percent X --out FILE
 *       1 % (X %) of the training accounts usuario01…usuarioNN of those órgãos, spread evenly, with a new
 *       password set by an administrator: an LDIF for ldapmodify. This is the drift `training reset` finds.
 *
 *   orgaos --k K [--prefix P]
 *       Prints K training órgão siglas (TRN001…), one per line.
 *
 * Reads the configuration as the CLI does (config/default.json, then the SEI_* environment), so DNs and
 * the UPN suffix match the directory `source .local/ad/connection.env` points at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeWindows1252, readForms } from '../../src/adapters/csv/readForms.js';
import { loadConfig, namingPolicyOf } from '../../src/config/loadConfig.js';
import { assemblePlan } from '../../src/core/assemblePlan.js';
import { generateValidCpf } from '../../src/core/cpf.js';
import { deriveTrainingAccounts } from '../../src/core/desiredState.js';
import { generateTemporaryPassword } from '../../src/core/passwords.js';
import { validateRows } from '../../src/core/validateRows.js';
import { emptySnapshot } from '../../src/domain/directory.js';
import type { AddMember, CreateGroup, CreateOu, CreateUser } from '../../src/domain/plan.js';
import { newUserEntry } from '../../src/app/userEntry.js';

// ------------------------------------------------------------------------------------------ people

const FIRST = [
  'João', 'José', 'Antônio', 'Francisco', 'Luís', 'Sebastião', 'Márcio', 'Fábio', 'Vinícius', 'Otávio',
  'Caio', 'Inácio', 'Joaquim', 'Estêvão', 'Rogério', 'Sérgio', 'Túlio', 'Cássio', 'Lúcio', 'Mário',
  'Álvaro', 'André', 'César', 'Éverton', 'Gonçalo', 'Hélio', 'Ícaro', 'Nélson', 'Rômulo', 'Valdemar',
  'Maria', 'Ana', 'Antônia', 'Conceição', 'Lúcia', 'Márcia', 'Fátima', 'Cecília', 'Letícia', 'Patrícia',
  'Mônica', 'Débora', 'Bárbara', 'Cláudia', 'Flávia', 'Glória', 'Heloísa', 'Inês', 'Júlia', 'Lívia',
  'Natália', 'Priscila', 'Rosângela', 'Sônia', 'Tânia', 'Vitória', 'Zélia', 'Aurélia', 'Benedita', 'Graça',
  'Rafael', 'Gustavo', 'Eduardo', 'Rodrigo', 'Leandro', 'Thiago', 'Bruno', 'Daniel', 'Marcelo', 'Paulo',
  'Camila', 'Juliana', 'Fernanda', 'Beatriz', 'Larissa', 'Aline', 'Renata', 'Vanessa', 'Simone', 'Tereza',
];
const MIDDLE = [
  'Aparecida', 'Cristina', 'Helena', 'Regina', 'Luíza', 'Augusto', 'Henrique', 'Carlos', 'Raimundo', 'Batista',
  'Conceição', 'Inês', 'Rosário', 'Antônio', 'Benedito', 'Célia', 'Eugênia', 'Fátima', 'Glória', 'Márcio',
];
const LAST = [
  'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes',
  'Ribeiro', 'Carvalho', 'Araújo', 'Gonçalves', 'Conceição', 'Simões', 'Magalhães', 'Brandão', 'Falcão', 'Peçanha',
  'Guimarães', 'Sampaio', 'Assunção', 'Gusmão', 'Bragança', 'Damião', 'Estêvez', 'Fontão', 'Galvão', 'Leão',
  'Mourão', 'Romão', 'Sebastião', 'Tristão', 'Valadão', 'Aragão', 'Camargo', 'Teixeira', 'Nogueira', 'Quintana',
  'Toledo', 'Moura', 'Veiga', 'Menezes', 'Siqueira', 'Prado', 'Paiva', 'Fontes', 'Lacerda', 'Cunha',
  'Rocha', 'Tavares', 'Lins', 'Moraes', 'Bastos', 'Andrade', 'Paes', 'Leme', 'Correia', 'Nunes',
  'Azevedo', 'Barros', 'Cardoso', 'Dias', 'Duarte', 'Freitas', 'Macedo', 'Mendes', 'Monteiro', 'Pinto',
  'Ramos', 'Reis', 'Sales', 'Soares', 'Vieira', 'Xavier', 'Zanetti', 'Bueno', 'Castro', 'Fonseca',
  'Garcia', 'Jesus', 'Machado', 'Marques', 'Martins', 'Medeiros', 'Miranda', 'Neves', 'Pacheco', 'Queiroz',
  'Rezende', 'Sá', 'Sena', 'Torres', 'Valente', 'Vasconcelos', 'Abreu', 'Amaral', 'Antunes', 'Borges',
];
const CITY = [
  'São Bento do Jaguari', 'Conceição das Palmeiras', 'Santa Luzia do Paranapanema', 'Vila Rica do Tietê',
  'São João da Boa Esperança', 'Itaúna do Sul', 'Poção de Caldas', 'Ribeirão Ipê', 'Águas de São Tomé',
  'Jacareí Mirim', 'Bragança Velha', 'Guaçu das Flores', 'Piraí da Serra', 'Cajuru Açu', 'Nazaré Paulistânia',
];
const CARGO = [
  'Oficial Administrativo', 'Assistente Técnico', 'Diretor de Administração', 'Analista de Licitações',
  'Procurador Municipal', 'Agente Fiscal', 'Técnica em Informática', 'Secretária de Governo', 'Escriturário',
  'Coordenador de Comunicação', 'Chefe de Gabinete', 'Contador',
];
const UNIDADE = [
  'Secretaria de Administração', 'Secretaria de Finanças', 'Secretaria de Saúde', 'Secretaria de Educação',
  'Procuradoria-Geral do Município', 'Gabinete do Prefeito', 'Departamento de Compras e Licitações',
  'Secretaria de Obras e Serviços', 'Secretaria de Assistência Social', 'Departamento de Tecnologia da Informação',
];

const at = <T>(list: readonly T[], i: number): T => list[((i % list.length) + list.length) % list.length] as T;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const ascii = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** The sigla of órgão number j (0-based): PM0001, PM0002… */
export const orgaoSigla = (prefix: string, j: number, width = 4): string => `${prefix}${pad(j + 1, width)}`;

/**
 * Person i: mixed radix over the name pools so that first + last (the login base) repeats only every
 * FIRST × LAST = 8,000 people and the full name every 160,000 (homonyms still happen, as in real forms).
 */
function personRow(i: number, seed: number, orgaos: number, prefix: string): string[] {
  const first = at(FIRST, i);
  const last = at(LAST, Math.floor(i / FIRST.length));
  const middle = at(MIDDLE, Math.floor(i / (FIRST.length * LAST.length)));
  const second = at(LAST, i * 7 + 3);
  const nome = `${first} ${middle} ${second} ${last}`;
  const j = i % orgaos;
  const sigla = orgaoSigla(prefix, j);
  const municipio = `${at(CITY, j)}${j >= CITY.length ? ` ${Math.floor(j / CITY.length) + 1}` : ''}`;
  const cpf = generateValidCpf(seed + i);
  const masked = `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
  const email = `${ascii(first)}.${ascii(last)}.${i + 1}@${sigla.toLowerCase()}.sp.gov.br`;
  const telefone = `(1${i % 10}) 4${pad(i % 1000, 3)}-${pad((i * 37) % 10000, 4)}`;
  return [municipio, sigla, nome, masked, email, at(CARGO, i), at(UNIDADE, i * 3), telefone, 'Usuário', 'Inclusão'];
}

/** Windows-1252 bytes; the table comes from the reader's own decoder (Node 20's TextDecoder gets 0x80–0x9F wrong). */
function encodeWindows1252(text: string): Buffer {
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(decodeWindows1252(Uint8Array.of(b)), b);
  const bytes = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const b = byChar.get(ch);
    if (b === undefined) throw new Error(`character outside Windows-1252: ${JSON.stringify(ch)}`);
    bytes[i] = b;
  }
  return bytes;
}

function writePeople(n: number, orgaos: number, out: string, seed: number, prefix: string): void {
  const quote = (f: string): string => (/[;"\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  const lines = ['Município;Órgão;Nome;CPF;E-mail;Cargo;Unidade;Telefone;Perfil;Ação'];
  for (let i = 0; i < n; i++) lines.push(personRow(i, seed, orgaos, prefix).map(quote).join(';'));
  writeFileSync(out, encodeWindows1252(lines.join('\r\n') + '\r\n'));
  process.stdout.write(`${out}: ${n} pessoas em ${Math.min(n, orgaos)} órgãos (Windows-1252)\n`);
}

// -------------------------------------------------------------------------------------------- LDIF

/** RFC 2849 SAFE-STRING: anything else (accents, a leading space or colon, …) goes base64 with `::`. */
const SAFE = /^[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*$/;
function line(attr: string, value: string | Buffer): string {
  if (Buffer.isBuffer(value)) return `${attr}:: ${value.toString('base64')}`;
  if (value === '' || (SAFE.test(value) && !value.endsWith(' '))) return `${attr}: ${value}`;
  return `${attr}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

function addRecord(dn: string, attributes: Record<string, string | string[]>, password?: string): string {
  const out = [line('dn', dn), 'changetype: add'];
  for (const [k, v] of Object.entries(attributes)) for (const one of ([] as string[]).concat(v)) out.push(line(k, one));
  // unicodePwd: the password in double quotes, UTF-16LE, exactly as LdapDirectory sends it.
  if (password !== undefined) out.push(line('unicodePwd', Buffer.from(`"${password}"`, 'utf16le')));
  return out.join('\n') + '\n\n';
}

function memberRecord(groupDn: string, members: string[]): string {
  return [line('dn', groupDn), 'changetype: modify', 'add: member', ...members.map((m) => line('member', m)), '-'].join('\n') + '\n\n';
}

const GLOBAL_SECURITY_GROUP = String(-2147483646);

function policy() {
  return namingPolicyOf(loadConfig({ env: process.env }));
}

async function writeLdif(csv: string, parts: number, outDir: string): Promise<void> {
  const naming = policy();
  const batch = await readForms([csv], { encoding: 'auto' });
  const validated = validateRows(batch.rows, batch.warnings);
  if (validated.rejected.length > 0) throw new Error(`${validated.rejected.length} linhas recusadas em ${csv}`);
  const now = new Date().toISOString();
  const plan = assemblePlan({
    people: validated.people,
    snapshot: emptySnapshot(naming.baseDN, now),
    policy: naming,
    inputs: batch.inputs,
    now,
    training: false,
  });
  const ous = plan.changes.filter((c): c is CreateOu => c.kind === 'create-ou');
  const groups = plan.changes.filter((c): c is CreateGroup => c.kind === 'create-group');
  const users = plan.changes.filter((c): c is CreateUser => c.kind === 'create-user');
  const memberships = plan.changes.filter((c): c is AddMember => c.kind === 'add-member');
  const groupOf = new Map<string, string[]>();
  for (const m of memberships) for (const dn of m.memberDns) groupOf.set(dn, [...(groupOf.get(dn) ?? []), m.groupDn]);

  mkdirSync(outDir, { recursive: true });
  const setup =
    ous.map((o) => addRecord(o.dn, { objectClass: ['top', 'organizationalUnit'] })).join('') +
    groups.map((g) => addRecord(g.dn, { objectClass: ['top', 'group'], sAMAccountName: g.name, groupType: GLOBAL_SECURITY_GROUP })).join('');
  writeFileSync(join(outDir, 'setup.ldif'), setup);

  // One password per person, shared by all.ldif and the parts (the same bytes go over the wire).
  const entries = users.map((u) => {
    const password = generateTemporaryPassword({ login: u.login, displayName: u.attributes.displayName ?? u.login });
    return addRecord(u.dn, newUserEntry(u), password);
  });
  const slice = (from: number, to: number): string => {
    const byGroup = new Map<string, string[]>();
    for (const u of users.slice(from, to)) {
      for (const g of groupOf.get(u.dn) ?? []) byGroup.set(g, [...(byGroup.get(g) ?? []), u.dn]);
    }
    return entries.slice(from, to).join('') + [...byGroup].map(([g, m]) => memberRecord(g, m)).join('');
  };
  writeFileSync(join(outDir, 'all.ldif'), slice(0, users.length));
  const size = Math.ceil(users.length / parts);
  for (let p = 0; p < parts; p++) writeFileSync(join(outDir, `part-${p + 1}.ldif`), slice(p * size, Math.min(users.length, (p + 1) * size)));
  const membershipValues = memberships.reduce((s, m) => s + m.memberDns.length, 0);
  process.stdout.write(
    `${outDir}: ${ous.length} UOs e ${groups.length} grupos (setup.ldif), ${users.length} contas, ` +
      `${membershipValues} associações em ${memberships.length} grupos; ${parts} partes\n`,
  );
}

// ------------------------------------------------------------------------------------------- drift

function writeDrift(orgaos: string[], percent: number, out: string): void {
  const accounts = deriveTrainingAccounts(orgaos, policy());
  const count = Math.max(1, Math.round((accounts.length * percent) / 100));
  const step = accounts.length / count;
  const records: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = accounts[Math.floor(i * step)];
    if (!a) continue;
    // What a trainee does: changes the password. The PSO (no complexity, min 6) accepts it.
    const password = `Alterada${pad(i, 4)}x`;
    records.push(
      [line('dn', a.dn), 'changetype: modify', 'replace: unicodePwd', line('unicodePwd', Buffer.from(`"${password}"`, 'utf16le')), '-'].join('\n') + '\n\n',
    );
  }
  writeFileSync(out, records.join(''));
  process.stdout.write(`${out}: ${records.length} de ${accounts.length} contas de treinamento alteradas\n`);
}

// -------------------------------------------------------------------------------------------- main

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    n: { type: 'string' },
    orgaos: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1000000' },
    prefix: { type: 'string' },
    csv: { type: 'string' },
    parts: { type: 'string', default: '4' },
    percent: { type: 'string', default: '1' },
    k: { type: 'string' },
  },
});
const need = (v: string | undefined, name: string): string => {
  if (v === undefined || v === '') throw new Error(`--${name} is required`);
  return v;
};
const int = (v: string | undefined, name: string): number => {
  const n = Number(need(v, name));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
};

switch (positionals[0]) {
  case 'people':
    writePeople(int(values.n, 'n'), Math.max(1, int(values.orgaos, 'orgaos')), need(values.out, 'out'), int(values.seed, 'seed'), values.prefix ?? 'PM');
    break;
  case 'ldif':
    await writeLdif(need(values.csv, 'csv'), Math.max(1, int(values.parts, 'parts')), need(values.out, 'out'));
    break;
  case 'drift':
    writeDrift(need(values.orgaos, 'orgaos').split(',').filter(Boolean), Number(values.percent), need(values.out, 'out'));
    break;
  case 'orgaos': {
    const k = int(values.k, 'k');
    const prefix = values.prefix ?? 'TRN';
    process.stdout.write(Array.from({ length: k }, (_, j) => orgaoSigla(prefix, j)).join('\n') + '\n');
    break;
  }
  default:
    process.stderr.write('usage: generate.ts people|ldif|drift|orgaos … (see the header of scripts/bench/generate.ts)\n');
    process.exit(2);
}
