import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTrainingState, TRAINING_STATE_FILE } from '../../../src/adapters/state/trainingState.js';
import { SeiError } from '../../../src/domain/errors.js';

const newDir = () => mkdtempSync(join(tmpdir(), 'sei-training-state-'));

describe('training state record (estado/treinamento.json)', () => {
  it('says "missing" when there is no file', async () => {
    const store = openTrainingState(newDir());
    expect(await store.read()).to.deep.equal({ status: 'missing', file: store.file });
  });

  it('writes atomically, 0600, and reads back what it wrote', async () => {
    const dir = join(newDir(), 'estado');
    const store = openTrainingState(dir);
    await store.write(new Map([['usuario02.pmc', '134400000000000002'], ['usuario01.pmc', '134400000000000001']]), '2026-11-26T03:00:00Z');
    expect(store.file).to.equal(join(dir, TRAINING_STATE_FILE));
    expect(statSync(store.file).mode & 0o777).to.equal(0o600);
    expect(statSync(dir).mode & 0o777).to.equal(0o700);
    expect(readdirSync(dir)).to.deep.equal([TRAINING_STATE_FILE]);
    const read = await store.read();
    expect(read.status).to.equal('ok');
    if (read.status === 'ok') expect([...read.pwdLastSet]).to.deep.equal([['usuario01.pmc', '134400000000000001'], ['usuario02.pmc', '134400000000000002']]);
    const json = JSON.parse(readFileSync(store.file, 'utf8')) as { version: number; updatedAt: string };
    expect(json.version).to.equal(1);
    expect(json.updatedAt).to.equal('2026-11-26T03:00:00Z');
  });

  it('replaces the previous record whole', async () => {
    const store = openTrainingState(newDir());
    await store.write(new Map([['a', '1']]), 't1');
    await store.write(new Map([['b', '2']]), 't2');
    const read = await store.read();
    expect(read.status === 'ok' && [...read.pwdLastSet]).to.deep.equal([['b', '2']]);
  });

  it('calls a damaged file or another version unreadable, never trusting part of it', async () => {
    const dir = newDir();
    const store = openTrainingState(dir);
    writeFileSync(store.file, '{"version":1,"pwdLastSet":{"a":"1"');
    expect((await store.read()).status).to.equal('unreadable');
    writeFileSync(store.file, JSON.stringify({ version: 2, pwdLastSet: {} }));
    expect((await store.read()).status).to.equal('unreadable');
    writeFileSync(store.file, JSON.stringify({ version: 1, updatedAt: 'x', pwdLastSet: { a: 'abc' } }));
    expect((await store.read()).status).to.equal('unreadable');
  });

  it('fails with a pt-BR sentence when the state folder cannot be written, keeping the old record', async () => {
    const dir = newDir();
    const store = openTrainingState(dir);
    await store.write(new Map([['a', '1']]), 't1');
    // A folder in the way of the temporary file: even root cannot write it.
    mkdirSync(`${store.file}.tmp-${process.pid}`);
    try {
      await store.write(new Map([['b', '2']]), 't2');
      expect.fail('wrote anyway');
    } catch (e) {
      expect(e).to.be.instanceOf(SeiError);
      expect((e as Error).message).to.match(/Não foi possível gravar o registro/);
    }
    const read = await store.read();
    expect(read.status === 'ok' && [...read.pwdLastSet]).to.deep.equal([['a', '1']]);
  });
});
