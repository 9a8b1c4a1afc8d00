import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stableJson, stableJsonChunks } from '../../../src/adapters/report/stableJson.js';
import { writeChunks } from '../../../src/adapters/report/writeChunks.js';

describe('stableJson', () => {
  it('gives the values JSON.stringify gives, with keys sorted at every depth', () => {
    const value = {
      z: [{ b: 1, a: { d: [3, { y: 'ç', x: null }], c: true } }, 'texto "com" aspas\n', 2.5],
      a: { m: undefined, k: [undefined, 1], '10': 'dez', '9': 'nove', j: {} },
      e: [],
    };
    const text = stableJson(value);
    expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(value)));
    expect(text).to.equal(
      '{\n' +
        '  "a": {\n' +
        '    "10": "dez",\n' +
        '    "9": "nove",\n' +
        '    "j": {},\n' +
        '    "k": [\n' +
        '      null,\n' +
        '      1\n' +
        '    ]\n' +
        '  },\n' +
        '  "e": [],\n' +
        '  "z": [\n' +
        '    {"a":{"c":true,"d":[3,{"x":null,"y":"ç"}]},"b":1},\n' +
        '    "texto \\"com\\" aspas\\n",\n' +
        '    2.5\n' +
        '  ]\n' +
        '}\n',
    );
  });

  it('writes an element of an array on one line whatever order its keys were built in', () => {
    const sorted = { list: [{ a: 1, b: { c: 2, d: 3 } }] };
    const shuffled = { list: [{ b: { d: 3, c: 2 }, a: 1 }] };
    expect(stableJson(shuffled)).to.equal(stableJson(sorted));
    expect(stableJson(sorted)).to.contain('\n    {"a":1,"b":{"c":2,"d":3}}\n');
  });

  it('hands over a piece per array element, so a large array never becomes one string', () => {
    const pieces = [...stableJsonChunks({ changes: Array.from({ length: 1000 }, (_, i) => ({ i })) })];
    expect(pieces.length).to.be.greaterThan(1000);
    expect(Math.max(...pieces.map((p) => p.length))).to.be.lessThan(40);
  });
});

describe('writeChunks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sei-chunks-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every piece in order, multi-byte characters whole across its internal buffer', async () => {
    // 3-byte and 4-byte characters in pieces of every size, well past the 1 MB buffer, plus one piece larger than it.
    const pieces: string[] = [];
    for (let i = 0; i < 300_000; i++) pieces.push(`${i}€ç😀`.repeat((i % 7) + 1));
    pieces.push('x'.repeat(5 << 20));
    pieces.push('fim—');
    const file = join(dir, 'saida.txt');
    await writeChunks(file, pieces);
    expect(readFileSync(file, 'utf8')).to.equal(pieces.join(''));
  });

  it('reuses its buffers from file to file, and never one still in use by another file being written', async () => {
    const piecesOf = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}ç;`);
    const [a, b, c] = [piecesOf('a', 900_000), piecesOf('b', 700_000), piecesOf('c', 10)];
    // Side by side, then one after the other: each file holds its own pieces and nothing of the others.
    await Promise.all([writeChunks(join(dir, 'a'), a), writeChunks(join(dir, 'b'), b)]);
    await writeChunks(join(dir, 'c'), c);
    expect(readFileSync(join(dir, 'a'), 'utf8')).to.equal(a.join(''));
    expect(readFileSync(join(dir, 'b'), 'utf8')).to.equal(b.join(''));
    expect(readFileSync(join(dir, 'c'), 'utf8')).to.equal(c.join(''));
  });

  it('makes a private file readable by its owner only, even one that existed before', async () => {
    const file = join(dir, 'plano.json');
    writeFileSync(file, 'antigo', { mode: 0o644 });
    await writeChunks(file, ['{"cpf":"12345678909"}\n'], { private: true });
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(readFileSync(file, 'utf8')).to.equal('{"cpf":"12345678909"}\n');
  });

  it('leaves the previous file whole, and no temporary file, when the writing stops midway', async () => {
    const file = join(dir, 'plano.json');
    writeFileSync(file, 'o plano de ontem\n', { mode: 0o600 });
    function* failing(): Generator<string> {
      for (let i = 0; i < 200_000; i++) yield `${i} ${'x'.repeat(40)}\n`; // ~9 MB: past the first buffers written
      throw new Error('parou no meio');
    }
    let error: unknown;
    try {
      await writeChunks(file, failing(), { private: true });
    } catch (e) {
      error = e;
    }
    expect((error as Error | undefined)?.message).to.equal('parou no meio');
    expect(readFileSync(file, 'utf8')).to.equal('o plano de ontem\n');
    expect(readdirSync(dir)).to.deep.equal(['plano.json']);
  });

  it('reports a write that fails midway (a full disk) as an error, whole, with no write left running', async () => {
    // /dev/full accepts the open and answers every write with ENOSPC: the error must reach the caller,
    // once, and not surface again as an unhandled rejection.
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const pieces = Array.from({ length: 30_000 }, (_, i) => `${i} ${'x'.repeat(1000)}\n`);
      let error: unknown;
      try {
        await writeChunks('/dev/full', pieces);
      } catch (e) {
        error = e;
      }
      expect((error as NodeJS.ErrnoException | undefined)?.code).to.equal('ENOSPC');
      await new Promise((r) => setImmediate(r));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
