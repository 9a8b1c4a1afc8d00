/**
 * Secrets: after every suite of the run (a root hook, so whatever order the files load in), every stream
 * and every file the tool wrote is searched for every password that went out in any message and every
 * CPF that went into any form. None may appear. The one documented exception: plano.json (and a plan
 * written with --out) holds CPFs by design, readable by its owner only (0600) — it is still searched for
 * passwords. The closing figures of the fault suite are printed here too.
 */
import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { basename, sep } from 'node:path';
import { readLocalAd } from '../integration/localAd.js';
import { captured, figures, filesUnder } from './support/capture.js';
import { passwordOf } from './support/verify.js';

const formatted = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
const isPlanFile = (f: string) => /^plano.*\.json$/.test(basename(f));

after(function () {
  this.timeout(300_000);
  if (captured.workDirs.size === 0 && captured.streams.length === 0) return; // only unrelated specs ran

  for (const smtp of captured.smtpServers) for (const m of smtp.messages) passwordOf(m);
  const passwords = [...captured.passwords];
  // The service account's password too: it is read from a file and must never be echoed.
  try {
    passwords.push(readLocalAd().password);
  } catch {
    // no local AD: nothing more to look for
  }
  const cpfs = [...captured.cpfs].flatMap((c) => [c, formatted(c)]);

  const files = [...captured.workDirs].flatMap((d) => filesUnder(d)).filter((f) => !captured.inputs.has(f) && !f.split(sep).includes('outbox'));
  const found: string[] = [];
  let bytes = 0;
  const search = (where: string, text: string, lookForCpfs: boolean, ownPassword: string | null = null) => {
    bytes += text.length;
    for (const p of passwords) if (p !== ownPassword && text.includes(p)) found.push(`a password in ${where}`);
    if (lookForCpfs) for (const c of cpfs) if (text.includes(c)) found.push(`a full CPF (${c.slice(0, 3)}…) in ${where}`);
  };
  for (const f of files) {
    const plan = isPlanFile(f);
    if (plan && (statSync(f).mode & 0o077) !== 0) found.push(`${f} holds CPFs and is readable by others`);
    search(f, readFileSync(f, 'latin1') + readFileSync(f, 'utf8'), !plan);
  }
  for (const s of captured.streams) search(s.label, s.text, true);
  // A message carries its own person's password by design: never anyone else's, never a CPF.
  for (const smtp of captured.smtpServers) {
    for (const r of smtp.received) search(`a message to ${r.envelope.to.join(', ')}`, `${r.raw}\n${r.parsed.text ?? ''}\n${r.parsed.html || ''}`, true, passwordOf(r.parsed));
  }

  const close = [
    '',
    '  ── fault suite figures ─────────────────────────────────────────────',
    `  crash points tried:   ${figures.crashPoints.length}`,
    ...figures.crashPoints.map((c) => `      · ${c}`),
    `  faults survived:      ${figures.faultsSurvived.length}`,
    ...figures.faultsSurvived.map((c) => `      · ${c}`),
    `  hostile inputs tried: ${figures.hostileInputs}`,
    `  secrets check:        ${files.length} files and ${captured.streams.length} streams (${(bytes / 1_048_576).toFixed(1)} MB) searched for ${passwords.length} passwords and ${captured.cpfs.size} CPFs: ${found.length === 0 ? 'none found' : `${found.length} found`}`,
    ...[...new Set(found)].slice(0, 30).map((f) => `      · ${f}`),
    `  lost:                 ${figures.lost.length === 0 ? 'nothing' : figures.lost.length}`,
    ...figures.lost.map((l) => `      · ${l}`),
    '',
  ];
  console.log(close.join('\n'));

  expect(passwords.length, 'no password was ever captured: the check would prove nothing').to.be.greaterThan(0);
  expect(files.length).to.be.greaterThan(0);
  expect([...new Set(found)]).to.deep.equal([]);
  expect(figures.lost).to.deep.equal([]);
});
