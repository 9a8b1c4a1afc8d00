import { expect } from 'chai';
import { nodeIsRecentEnough } from '../../src/cli/nodeVersion.js';

describe('cli/nodeVersion: the Node the tool runs on', () => {
  it('accepts 20.19 and newer, refuses Debian 12\'s 18 and older 20s', () => {
    expect(['20.19.0', '20.20.2', '22.1.0', '24.0.0'].map(nodeIsRecentEnough)).to.deep.equal([true, true, true, true]);
    expect(['18.19.0', '20.18.3', '19.9.0', ''].map(nodeIsRecentEnough)).to.deep.equal([false, false, false, false]);
  });
});
