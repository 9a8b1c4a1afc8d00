import { expect } from 'chai';
import { ConfigError, ExitCode, InputError, LockHeldError, ThresholdError } from '../../src/domain/errors.js';

describe('errors', () => {
  it('carry the exit code each situation promises', () => {
    expect(new InputError('x', 'a.csv', 3).exitCode).to.equal(ExitCode.unusable);
    expect(new LockHeldError('x').exitCode).to.equal(3);
    expect(new ThresholdError('x').exitCode).to.equal(4);
  });
  it('a config error names every key at fault', () => {
    const e = new ConfigError([{ key: 'directory.url', message: 'inválida' }, { key: 'mail.from', message: 'vazia' }]);
    expect(e.message).to.contain('directory.url').and.contain('mail.from');
  });
});
