import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { askOnTerminal } from '../../src/cli/confirm.js';

/** A terminal on both ends, as readline sees it. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  output.resume();
  return { input, output };
}

describe('the confirmation before apply', () => {
  it('is a yes only for sim (or s, y, yes)', async () => {
    for (const [typed, expected] of [['sim', true], ['S', true], [' yes ', true], ['não', false], ['', false], ['simm', false]] as const) {
      const { input, output } = terminal();
      const answer = askOnTerminal('Aplicar? ', input, output);
      input.write(`${typed}\r`);
      expect(await answer, typed).to.equal(expected);
    }
  });

  it('takes Ctrl-C at the question as a no, not as an internal error', async () => {
    const { input, output } = terminal();
    const answer = askOnTerminal('Aplicar? ', input, output);
    input.write('\x03');
    expect(await answer).to.equal(false);
  });

  it('takes Ctrl-D (end of input) as a no', async () => {
    const { input, output } = terminal();
    const answer = askOnTerminal('Aplicar? ', input, output);
    input.end();
    expect(await answer).to.equal(false);
  });
});
