/**
 * Phase l) of `npm run bench`, on request (`BENCH_PHASES` with "l"): the LDIF that ldapadd loads in a), sent
 * through ldapts — the LDAP library sei-contas uses — on one LDAPS connection, one operation at a time, with
 * nothing of the tool around it (no forms, plan, journal, mail, logs). Against ldapadd's time it splits the gap
 * between apply and ldapadd into what Node and the library cost and what the tool adds on top.
 *
 *   npx tsx scripts/bench/ldapts-baseline.ts <file.ldif>
 *
 * Connection from the environment of `.local/ad/connection.env`: SEI_LDAP_URL, SEI_LDAP_CA_FILE,
 * SEI_LDAP_BIND_DN, SEI_LDAP_PASSWORD_FILE. Prints `seconds=` for the operations alone, bind included, process
 * start not (tsx takes ~0.5 s to start; ldapadd ~0.01 s, so its figure is its whole run).
 * Reads only what generate.ts writes: `changetype: add` records, and `changetype: modify` records of `add:` or
 * `replace:` blocks; values plain or base64 (`::`), no folded lines.
 */
import { readFileSync } from 'node:fs';
import { Attribute, Change, Client } from 'ldapts';

interface AddRecord {
  kind: 'add';
  dn: string;
  attributes: Map<string, (string | Buffer)[]>;
}
interface ModifyRecord {
  kind: 'modify';
  dn: string;
  changes: { operation: 'add' | 'replace'; attribute: string; values: string[] }[];
}
type LdifRecord = AddRecord | ModifyRecord;

/** unicodePwd travels as bytes (UTF-16LE in quotes); every other value as text. */
const BINARY = new Set(['unicodepwd']);

function parseLdif(text: string): LdifRecord[] {
  const records: LdifRecord[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0) continue;
    let dn: string | undefined;
    let record: LdifRecord | undefined;
    let current: ModifyRecord['changes'][number] | undefined;
    for (const line of lines) {
      if (line === '-') {
        current = undefined;
        continue;
      }
      const m = /^([^:]+)(::?) ?(.*)$/.exec(line);
      if (!m) throw new Error(`linha de LDIF ilegível: ${line}`);
      const [, key = '', sep, raw = ''] = m;
      const bytes = sep === '::' ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
      const name = key.toLowerCase();
      if (name === 'dn') dn = bytes.toString('utf8');
      else if (name === 'changetype') {
        if (dn === undefined) throw new Error('changetype antes do dn');
        if (raw === 'add') record = { kind: 'add', dn, attributes: new Map() };
        else if (raw === 'modify') record = { kind: 'modify', dn, changes: [] };
        else throw new Error(`changetype não suportado: ${raw}`);
      } else if (record?.kind === 'modify') {
        if (current === undefined) {
          if (name !== 'add' && name !== 'replace') throw new Error(`operação não suportada: ${key}`);
          current = { operation: name, attribute: raw, values: [] };
          record.changes.push(current);
        } else current.values.push(bytes.toString('utf8'));
      } else if (record?.kind === 'add') {
        const values = record.attributes.get(key) ?? [];
        values.push(BINARY.has(name) ? bytes : bytes.toString('utf8'));
        record.attributes.set(key, values);
      } else throw new Error(`atributo antes do changetype: ${key}`);
    }
    if (record) records.push(record);
  }
  return records;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} não definido (source .local/ad/connection.env)`);
  return v;
}

async function main(file: string): Promise<void> {
  const records = parseLdif(readFileSync(file, 'utf8'));
  const client = new Client({
    url: env('SEI_LDAP_URL'),
    tlsOptions: { ca: [readFileSync(env('SEI_LDAP_CA_FILE'))], rejectUnauthorized: true, minVersion: 'TLSv1.2' },
  });
  const started = performance.now();
  await client.bind(env('SEI_LDAP_BIND_DN'), readFileSync(env('SEI_LDAP_PASSWORD_FILE'), 'utf8').replace(/\n$/, ''));
  try {
    for (const r of records) {
      if (r.kind === 'add') {
        await client.add(r.dn, [...r.attributes].map(([type, values]) => new Attribute({ type, values: values as string[] | Buffer[] })));
      } else {
        await client.modify(
          r.dn,
          r.changes.map((c) => new Change({ operation: c.operation, modification: new Attribute({ type: c.attribute, values: c.values }) })),
        );
      }
    }
  } finally {
    await client.unbind();
  }
  const adds = records.filter((r) => r.kind === 'add').length;
  process.stdout.write(`seconds=${((performance.now() - started) / 1000).toFixed(3)}\nadds=${adds}\nmodifies=${records.length - adds}\n`);
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('uso: ldapts-baseline.ts <arquivo.ldif>\n');
  process.exit(2);
}
main(file).catch((e: unknown) => {
  process.stderr.write(`ldapts-baseline: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
