import { expect } from 'chai';
import { setImmediate as tick } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { collectGarbage, takeGc } from '../../../src/adapters/runtime/collectGarbage.js';

describe('collectGarbage', () => {
  it('collects what nothing refers to any more, now', async () => {
    let big: number[] | null = new Array<number>(1_000_000).fill(1);
    const ref = new WeakRef(big);
    big = null;
    // A WeakRef keeps its target until the current job ends.
    await tick();
    collectGarbage();
    expect(ref.deref()).to.equal(undefined);
  });

  it('turns the flag off again: no context made afterwards has a gc to call', () => {
    collectGarbage();
    expect(runInNewContext('typeof gc')).to.equal('undefined');
    expect((globalThis as { gc?: unknown }).gc).to.equal(undefined);
  });

  it('does nothing, rather than fail the run, where the runtime gives no gc', () => {
    expect(() => takeGc(() => undefined)()).not.to.throw();
    expect(() => takeGc(() => {
      throw new ReferenceError('gc is not defined');
    })()).not.to.throw();
    expect(runInNewContext('typeof gc')).to.equal('undefined');
  });

  it('in a process started with --expose-gc, uses its global gc and leaves the flag as it was', () => {
    const own = (): void => undefined;
    const g = globalThis as { gc?: unknown };
    g.gc = own;
    try {
      expect(takeGc(() => undefined)).to.equal(own);
    } finally {
      delete g.gc;
    }
  });
});
