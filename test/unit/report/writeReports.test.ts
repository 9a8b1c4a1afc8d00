import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import { defaultReportDir, writeReports } from '../../../src/adapters/report/writeReports.js';
import { renderTerminalSummary } from '../../../src/adapters/report/renderTerminal.js';
import { aScenario, formatCpf } from './builders.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'sei-rel-'));

describe('writeReports', () => {
  it('creates the folder and writes the plan and the three reports', async () => {
    const { plan, batch } = aScenario();
    const dir = join(tmp(), 'relatorios', '2025-03-07_09h05m03');
    const result = await writeReports(dir, plan, summarisePlan(plan, batch));
    expect(result.dir).to.equal(dir);
    expect(result.files).to.deep.equal(
      ['plano.json', 'relatorio.json', 'relatorio.csv', 'relatorio.html'].map((f) => join(dir, f)),
    );
    for (const f of result.files) expect(statSync(f).size).to.be.greaterThan(0);
  });

  it('makes plano.json readable by its owner only, even when it already existed', async () => {
    const { plan, batch } = aScenario();
    const dir = tmp();
    writeFileSync(join(dir, 'plano.json'), 'antigo', { mode: 0o644 });
    chmodSync(join(dir, 'plano.json'), 0o644);
    await writeReports(dir, plan, summarisePlan(plan, batch));
    expect(statSync(join(dir, 'plano.json')).mode & 0o777).to.equal(0o600);
    expect(readFileSync(join(dir, 'plano.json'), 'utf8')).not.to.contain('antigo');
  });

  it('creates plano.json 0600 in a fresh folder', async () => {
    const { plan, batch } = aScenario();
    const dir = join(tmp(), 'novo');
    await writeReports(dir, plan, summarisePlan(plan, batch));
    expect(statSync(join(dir, 'plano.json')).mode & 0o777).to.equal(0o600);
  });

  it('keeps the reports (names, e-mails, logins) to their owner: folder 0700, files 0600, whatever the umask', async () => {
    const { plan, batch } = aScenario();
    const dir = join(tmp(), 'relatorios', '2026-11-26_02h00m00s');
    const before = process.umask(0o022);
    try {
      const { files } = await writeReports(dir, plan, summarisePlan(plan, batch));
      expect(statSync(dir).mode & 0o777).to.equal(0o700);
      expect(files.map((f) => statSync(f).mode & 0o777)).to.deep.equal(files.map(() => 0o600));
    } finally {
      process.umask(before);
    }
  });

  it('lets full CPFs into plano.json only', async () => {
    const { plan, batch, people } = aScenario();
    const model = summarisePlan(plan, batch, {
      outcomes: [{ index: 2, status: 'failed', message: `CPF ${formatCpf(people.maria.cpf)} já usado` }],
    });
    const { files } = await writeReports(tmp(), plan, model);
    const outputs: [string, string][] = files.map((f) => [f, readFileSync(f, 'utf8')]);
    outputs.push(['terminal', renderTerminalSummary(model, { color: false })]);
    outputs.push(['terminal (cor)', renderTerminalSummary(model, { color: true })]);
    const cpfs = [...Object.values(people).map((p) => p.cpf), ...batch.superseded.map((s) => s.cpf)];
    for (const [name, text] of outputs) {
      for (const cpf of cpfs) {
        if (name.endsWith('plano.json')) continue;
        expect(text, `${name} ${cpf}`).not.to.contain(cpf);
        expect(text, `${name} ${formatCpf(cpf)}`).not.to.contain(formatCpf(cpf));
      }
      if (!name.endsWith('plano.json')) expect(text, name).to.contain(`***.${people.maria.cpf.slice(3, 6)}.`);
    }
    expect(outputs.find(([n]) => n.endsWith('plano.json'))?.[1]).to.contain(people.maria.cpf);
  });
});

describe('defaultReportDir', () => {
  it('names the folder after the local date and time, AAAA-MM-DD_HHhMMmSS', () => {
    expect(defaultReportDir('/var/lib/sei/relatorios', new Date(2025, 2, 7, 9, 5, 3))).to.equal(
      '/var/lib/sei/relatorios/2025-03-07_09h05m03',
    );
    expect(defaultReportDir('rel', new Date(2025, 11, 31, 23, 59, 59))).to.equal(join('rel', '2025-12-31_23h59m59'));
  });
});
