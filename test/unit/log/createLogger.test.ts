import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger, dayLogFile } from '../../../src/adapters/log/createLogger.js';
import { SeiError } from '../../../src/domain/errors.js';

const settings = (dir: string, stream: PassThrough) =>
  ({ dir, level: 'info', retentionDays: 7, console: 'normal', color: false, runId: 'teste', stream }) as const;

function captured(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the run log file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sei-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('that cannot be opened stops the run before it starts, exit 2, naming the file', () => {
    const logs = join(dir, 'logs');
    mkdirSync(dayLogFile(logs), { recursive: true });
    const { stream } = captured();
    let error: unknown;
    try {
      createLogger(settings(logs, stream));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(SeiError);
    expect((error as SeiError).exitCode).to.equal(2);
    expect((error as SeiError).message).to.contain(dayLogFile(logs)).and.to.contain('EISDIR');
  });

  it('that fails midway (a full disk) is dropped with one warning, and the run goes on', async function () {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    symlinkSync('/dev/full', dayLogFile(logs));
    const out = captured();
    const logger = createLogger(settings(logs, out.stream));
    for (let i = 0; i < 20; i++) {
      logger.info(`linha ${i}`);
      logger.audit({ runId: 'teste', actor: 'x', action: 'add', dn: 'CN=a', attributes: [], result: 'ok', time: '' });
      await settle();
    }
    logger.warn('depois da falha');
    await logger.close();
    const warnings = out.text().split('\n').filter((l) => l.includes('arquivo de log deixou de ser gravado'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('ENOSPC');
    expect(out.text()).to.contain('linha 19').and.to.contain('depois da falha');
  });

  it('ignores lines logged after it was closed, instead of failing with a write after end', async () => {
    const logs = join(dir, 'logs');
    const out = captured();
    const logger = createLogger(settings(logs, out.stream));
    logger.info('antes');
    await logger.close();
    logger.info('depois');
    logger.audit({ runId: 'teste', actor: 'x', action: 'add', dn: 'CN=a', attributes: [], result: 'ok', time: '' });
    await settle();
    await logger.close();
    const file = readFileSync(dayLogFile(logs), 'utf8');
    expect(file).to.contain('antes').and.not.to.contain('depois');
  });
});
