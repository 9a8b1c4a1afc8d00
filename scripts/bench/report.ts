/**
 * The last step of `npm run bench` (scripts/bench.sh): turns the raw measurements (a `key=value` file:
 * seconds, peak RSS in KB, counts) into rates, prints the table and writes the JSON.
 *
 *   npx tsx scripts/bench/report.ts FIGURES OUT.json
 *
 * OUT.json keeps the keys the issue asks for (cores, n, k, ldapadd.seq, ldapadd.par4, apply.usersPerSec,
 * apply.ratio, apply.peakRssMb, plan.seconds, training.usersPerSec, training.resetSeconds,
 * offline.rowsPerSec, offline.peakRssMb) as nested objects, plus the raw figures behind them and the
 * targets. A copy is written next to it, named by date. Rates are null when their phase did not run.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [figuresFile, outFile] = process.argv.slice(2);
if (!figuresFile || !outFile) {
  process.stderr.write('usage: report.ts FIGURES OUT.json\n');
  process.exit(2);
}

const raw = new Map<string, string>();
for (const line of readFileSync(figuresFile, 'utf8').split('\n')) {
  const eq = line.indexOf('=');
  if (eq > 0) raw.set(line.slice(0, eq), line.slice(eq + 1));
}
const num = (key: string): number | null => {
  const v = raw.get(key);
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const str = (key: string): string | null => raw.get(key) ?? null;
const round = (v: number | null, digits = 1): number | null => (v === null ? null : Number(v.toFixed(digits)));
const rate = (count: number | null, seconds: number | null): number | null =>
  count === null || seconds === null || seconds <= 0 ? null : count / seconds;
const mb = (kb: number | null): number | null => (kb === null ? null : kb / 1024);

const n = num('n') ?? 0;
const k = num('k') ?? 0;

// a) ldapadd: this run's, or the last run's when the baseline was skipped (BENCH_SKIP_BASELINE=1) — only
// if it was measured with the same N: Samba adds slower as the directory grows (N = 2,000: ~44 accounts/s,
// N = 10,000: ~38), so a figure from another N would make the ratio say nothing about the tool.
let seq = rate(n, num('ldapadd.seq.seconds'));
let par4 = rate(n, num('ldapadd.par4.seconds'));
let ldapaddSource = seq === null ? null : 'this run';
let ldapaddN: number | null = seq === null ? null : n;
if (seq === null && existsSync(outFile)) {
  try {
    const previous = JSON.parse(readFileSync(outFile, 'utf8')) as {
      date?: string;
      n?: number;
      ldapadd?: { seq?: number | null; par4?: number | null; source?: string | null; n?: number | null };
    };
    // Reports written before ldapadd.n existed carried their own run's figures at their own n.
    const previousN = previous.ldapadd?.n ?? (previous.ldapadd?.source === 'this run' ? previous.n : undefined);
    if (typeof previous.ldapadd?.seq === 'number' && previousN === n) {
      ldapaddN = previousN;
      seq = previous.ldapadd.seq;
      par4 = previous.ldapadd.par4 ?? null;
      ldapaddSource = previous.ldapadd.source === 'this run' ? `run of ${previous.date ?? '?'} (n = ${previous.n ?? '?'})` : (previous.ldapadd.source ?? null);
    }
  } catch {
    // an unreadable previous report only means no ratio
  }
}
const bestLdapadd = seq === null ? null : Math.max(seq, par4 ?? 0);
// l), on request: the same LDIF through ldapts alone, against this run's 1-process ldapadd.
const ldaptsRate = rate(n, num('ldapts.seq.seconds'));
const ldaptsToLdapadd = ldaptsRate === null || ldapaddSource !== 'this run' || seq === null ? null : ldaptsRate / seq;

// b), c)
const applyRate = rate(n, num('apply.seconds'));
const ratio = applyRate === null || bestLdapadd === null ? null : applyRate / bestLdapadd;
const applyRss = mb(num('apply.rssKb'));
const planSeconds = num('plan.seconds');

// d) and the line through the two clean resets: fixed + perAccount × accounts, plus the writes.
const TARGET_ACCOUNTS = 63_855;
const accounts = num('training.accounts');
const trainingRate = rate(accounts, num('training.seconds'));
const resetSeconds = num('training.reset.seconds');
const cleanSeconds = num('training.reset.cleanSeconds');
const oneSeconds = num('training.reset.oneOrgaoSeconds');
const oneAccounts = num('training.reset.oneOrgaoAccounts');
const drifted = num('training.reset.drifted');
let extrapolated: number | null = null;
let model: { fixedSeconds: number; readMsPerAccount: number; writeMsPerDrifted: number } | null = null;
if (resetSeconds !== null && cleanSeconds !== null && oneSeconds !== null && oneAccounts !== null && accounts !== null && drifted && accounts > oneAccounts) {
  // Slopes below 0 are noise at small K: count at least 0.
  const perAccount = Math.max(0, (cleanSeconds - oneSeconds) / (accounts - oneAccounts));
  const fixed = Math.max(0, oneSeconds - perAccount * oneAccounts);
  const perWrite = Math.max(0, (resetSeconds - cleanSeconds) / drifted);
  extrapolated = fixed + perAccount * TARGET_ACCOUNTS + perWrite * Math.ceil(TARGET_ACCOUNTS / 100);
  model = { fixedSeconds: round(fixed, 3) ?? 0, readMsPerAccount: round(perAccount * 1000, 4) ?? 0, writeMsPerDrifted: round(perWrite * 1000, 1) ?? 0 };
}

// e)
const offlineRows = num('offline.rows');
const offlineRate = rate(offlineRows, num('offline.seconds'));
const offlineRss = mb(num('offline.rssKb'));
const floorStringify = num('offline.floor.stringifySeconds');
const floorWrite = num('offline.floor.writeSeconds');
const offlineFloor = floorStringify === null || floorWrite === null ? null : floorStringify + floorWrite;
const outputBytes = num('offline.outputBytes');
// Each step of the offline plan as its log recorded it (sei-contas logs them at debug level), in run order.
const PHASE_NAMES = { read: 'ler e validar linhas', validate: 'fechar o lote', plan: 'planejar', planFile: 'plano.json', model: 'modelo', reports: 'relatórios' } as const;
const offlinePhases: Record<string, number> = {};
for (const p of Object.keys(PHASE_NAMES)) {
  const v = num(`offline.phase.${p}`);
  if (v !== null) offlinePhases[p] = v;
}
// RSS as each step ended: where the peak builds up.
const offlinePhaseRss: Record<string, number> = {};
for (const p of Object.keys(PHASE_NAMES)) {
  const v = num(`offline.phaseRssMb.${p}`);
  if (v !== null) offlinePhaseRss[p] = v;
}
const offlineOutputMb = outputBytes === null ? null : outputBytes / 1e6;

const sweep = [...raw.keys()]
  .filter((key) => /^sweep\.\d+\.seconds$/.test(key))
  .map((key) => Number(key.split('.')[1]))
  .sort((a, b) => a - b)
  .map((i) => {
    const seconds = num(`sweep.${i}.seconds`);
    const usersPerSec = rate(n, seconds);
    return {
      poolSize: num(`sweep.${i}.poolSize`),
      concurrency: num(`sweep.${i}.concurrency`),
      seconds,
      usersPerSec: round(usersPerSec),
      ratio: usersPerSec === null || bestLdapadd === null ? null : round(usersPerSec / bestLdapadd, 3),
      peakRssMb: round(mb(num(`sweep.${i}.rssKb`))),
      cpuSeconds: num(`sweep.${i}.cpuSeconds`),
      sambaCpuSeconds: num(`sweep.${i}.sambaCpuSeconds`),
    };
  });

const target = (value: number | null, ok: (v: number) => boolean, text: string, note?: string) => ({
  target: text,
  value: value === null ? null : round(value, 3),
  met: value === null ? null : ok(value),
  ...(note ? { note } : {}),
});
// Plan time grows with the accounts read: below N = 10,000, the part above the fixed cost (a plan of one
// person against the empty directory) is scaled linearly to 10,000.
const planFixed = num('plan.fixedSeconds');
const planAt10k =
  planSeconds === null || n === 0 ? null : n >= 10_000 ? planSeconds : (planFixed ?? 0) + ((planSeconds - (planFixed ?? 0)) * 10_000) / n;

const report = {
  date: new Date().toISOString(),
  cores: num('cores'),
  n,
  k,
  phases: str('phases')?.trim().split(/\s+/) ?? [],
  config: { poolSize: num('config.poolSize'), concurrency: num('config.concurrency'), pageSize: num('config.pageSize') },
  ldapadd: {
    seq: round(seq),
    par4: round(par4),
    seqSeconds: num('ldapadd.seq.seconds'),
    par4Seconds: num('ldapadd.par4.seconds'),
    source: ldapaddSource,
    /** The N the ldapadd figures were measured with (the ratio is only given for the same N). */
    n: ldapaddN,
    removedBy: str('ldapadd.removedBy'),
    sambaCpuSeconds: { seq: num('ldapadd.seq.sambaCpuSeconds'), par4: num('ldapadd.par4.sambaCpuSeconds') },
  },
  ldapts: {
    seq: round(ldaptsRate),
    seqSeconds: num('ldapts.seq.seconds'),
    ratioToLdapaddSeq: round(ldaptsToLdapadd, 3),
    sambaCpuSeconds: num('ldapts.seq.sambaCpuSeconds'),
  },
  apply: {
    usersPerSec: round(applyRate),
    ratio: round(ratio, 3),
    peakRssMb: round(applyRss),
    seconds: num('apply.seconds'),
    orgaos: num('apply.orgaos'),
    trainingAccounts: num('apply.trainingAccounts'),
    mails: num('apply.mails'),
    cpuSeconds: num('apply.cpuSeconds'),
    sambaCpuSeconds: num('apply.sambaCpuSeconds'),
  },
  plan: { seconds: planSeconds, changes: num('plan.changes'), peakRssMb: round(mb(num('plan.rssKb'))), fixedSeconds: planFixed, secondsAt10k: round(planAt10k, 2) },
  training: {
    usersPerSec: round(trainingRate),
    accounts,
    seconds: num('training.seconds'),
    peakRssMb: round(mb(num('training.rssKb'))),
    mode: str('training.mode'),
    resetSeconds,
    resetDrifted: drifted,
    resetCleanSeconds: cleanSeconds,
    resetOneOrgaoSeconds: oneSeconds,
    resetModel: model,
    resetSecondsAt63855: round(extrapolated, 1),
    resetNote: str('training.reset.mode'),
  },
  offline: {
    rowsPerSec: round(offlineRate, 0),
    peakRssMb: round(offlineRss),
    rows: offlineRows,
    orgaos: num('offline.orgaos'),
    seconds: num('offline.seconds'),
    phasesSeconds: offlinePhases,
    phasesRssMb: offlinePhaseRss,
    // Serialising and writing the same four files with nothing else to do (scripts/bench/offline-floor.ts).
    floor: {
      seconds: round(offlineFloor, 2),
      stringifySeconds: floorStringify,
      writeSeconds: floorWrite,
      outputMb: round(offlineOutputMb, 0),
      changesInJson: num('offline.outputChanges'),
    },
  },
  sweep,
  targets: {
    applyRatio: target(ratio, (v) => v >= 0.95, '>= 0.95 x best ldapadd'),
    applyPeakRssMb: target(applyRss, (v) => v <= 300, '<= 300 MB at N = 10,000', n < 10_000 ? `measured at N = ${n}` : undefined),
    planSeconds10k: target(planAt10k, (v) => v <= 5, '<= 5 s for 10,000 accounts', n < 10_000 ? `fixed cost + per-account part scaled linearly from N = ${n}` : undefined),
    resetSeconds63855: target(extrapolated, (v) => v <= 60, '<= 60 s for 63,855 accounts, 1 % drifted', accounts ? `extrapolated from ${accounts} accounts` : undefined),
    offlineRowsPerSec: target(offlineRate, (v) => v >= 50_000, '>= 50,000 rows/s'),
    offlinePeakRssMb: target(offlineRss, (v) => v <= 300, '<= 300 MB'),
  },
};

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
copyFileSync(outFile, join(dirname(outFile), `${report.date.replace(/[:.]/g, '-')}.json`));

// ---------------------------------------------------------------------------------------- the table
const f = (v: number | null | undefined, digits = 1, unit = ''): string =>
  v === null || v === undefined ? '—' : `${v.toLocaleString('pt-BR', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${unit}`;
const ok = (t: { met: boolean | null }): string => (t.met === null ? '' : t.met ? 'OK' : 'NÃO');
const rows: [string, string, string, string][] = [
  ['a) ldapadd, 1 processo', `${f(seq)} contas/s`, '', ldapaddSource && ldapaddSource !== 'this run' ? `de ${ldapaddSource}` : `${f(num('ldapadd.seq.seconds'), 2)} s`],
  ['a) ldapadd, 4 processos', `${f(par4)} contas/s`, '', ldapaddSource === 'this run' ? `${f(num('ldapadd.par4.seconds'), 2)} s` : ''],
  ...(ldaptsRate === null
    ? []
    : [['l) ldapts puro, 1 conexão', `${f(ldaptsRate)} contas/s`, '', `${f(num('ldapts.seq.seconds'), 2)} s; ${f(ldaptsToLdapadd, 3)}× o ldapadd de 1 processo`] as [string, string, string, string]]),
  ['b) apply', `${f(applyRate)} contas/s`, '', `${f(num('apply.seconds'), 2)} s, +${num('apply.trainingAccounts') ?? 0} contas de treinamento`],
  ['b) apply / melhor ldapadd', `${f(ratio, 3)}×`, ok(report.targets.applyRatio), '≥ 0,95×'],
  ['b) apply, pico de RSS', `${f(applyRss)} MB`, ok(report.targets.applyPeakRssMb), `≤ 300 MB com N = 10.000`],
  ['c) plan com as contas no AD', `${f(planSeconds, 2)} s`, ok(report.targets.planSeconds10k), `${num('plan.changes') ?? '—'} alterações; ≤ 5 s p/ 10.000 (${f(planAt10k, 2)} s est.)`],
  ['d) training', `${f(trainingRate)} contas/s`, '', `${accounts ?? '—'} contas em ${f(num('training.seconds'), 2)} s (${str('training.mode') ?? '—'})`],
  ['d) training reset, 1 % alterado', `${f(resetSeconds, 2)} s`, '', `${drifted ?? '—'} de ${accounts ?? '—'} contas; sem alteração ${f(cleanSeconds, 2)} s`],
  ['d) reset estimado p/ 63.855', `${f(extrapolated, 1)} s`, ok(report.targets.resetSeconds63855), '≤ 60 s'],
  ['e) plan --offline', `${f(offlineRate, 0)} linhas/s`, ok(report.targets.offlineRowsPerSec), `${offlineRows ?? '—'} linhas em ${f(num('offline.seconds'), 2)} s; ≥ 50.000/s`],
  ['e) plan --offline, pico de RSS', `${f(offlineRss)} MB`, ok(report.targets.offlinePeakRssMb), '≤ 300 MB'],
  [
    'e) etapas (log do plan)',
    Object.keys(offlinePhases).length > 0 ? `${f(Object.values(offlinePhases).reduce((a, b) => a + b, 0), 2)} s` : '—',
    '',
    Object.entries(offlinePhases)
      .map(([p, v]) => `${PHASE_NAMES[p as keyof typeof PHASE_NAMES]} ${f(v, 2)}`)
      .join(' · '),
  ],
  [
    'e) RSS ao fim de cada etapa',
    '',
    '',
    Object.entries(offlinePhaseRss)
      .map(([p, v]) => `${PHASE_NAMES[p as keyof typeof PHASE_NAMES]} ${v} MB`)
      .join(' · '),
  ],
  ['e) piso: só serializar e gravar', `${f(offlineFloor, 2)} s`, '', `os mesmos 4 arquivos (${f(offlineOutputMb, 0)} MB), sem planejar nada`],
];
for (const s of sweep) rows.push([`   apply pool ${s.poolSize} × conc. ${s.concurrency}`, `${f(s.usersPerSec)} contas/s`, '', `${f(s.ratio, 3)}× do ldapadd`]);
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), ['medida', 'valor', 'meta', 'observação'][i]?.length ?? 0));
const fmt = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
const out = [
  '',
  `sei-contas bench — ${report.cores} núcleos, N = ${n}, K = ${k}, pool ${report.config.poolSize}, concorrência ${report.config.concurrency}`,
  fmt(['medida', 'valor', 'meta', 'observação']),
  `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
  ...rows.map(fmt),
  '',
  `Gravado em ${outFile}`,
  '',
];
process.stdout.write(out.join('\n'));
