import { expect } from 'chai';
import { Command } from 'commander';
import type { RunContext } from '../../../src/app/context.js';
import { registerTrainingCommands, type RunCommand } from '../../../src/cli/trainingCommands.js';
import type { GlobalFlags } from '../../../src/cli/buildContext.js';

/** Parses argv with fake use cases; returns what was called, and the error the body threw, if any. */
async function parse(argv: string[]) {
  const calls: { command: string; options: unknown; flags: GlobalFlags }[] = [];
  let error: unknown;
  const program = new Command('sei-contas').option('--config <arquivo>').option('-q, --quiet').exitOverride();
  const run: RunCommand = async (flags, body) => {
    try {
      await body({} as RunContext); // the fakes below never look at the context
    } catch (e) {
      error = e;
    }
    calls.forEach((c) => (c.flags = flags));
  };
  registerTrainingCommands(program, run, {
    create: async (_ctx, options) => {
      calls.push({ command: 'create', options, flags: {} });
      return { exitCode: 0 };
    },
    reset: async (_ctx, options) => {
      calls.push({ command: 'reset', options, flags: {} });
      return { exitCode: 0 };
    },
  });
  await program.parseAsync(['node', 'sei-contas', ...argv]);
  return { calls, error };
}

describe('CLI: sei-contas training', () => {
  it('training <ORGAO>... creates for the named órgãos', async () => {
    const { calls } = await parse(['training', 'PMC', 'sms']);
    expect(calls).to.deep.equal([{ command: 'create', options: { orgaos: ['PMC', 'sms'] }, flags: {} }]);
  });

  it('training reset restores every órgão; with órgãos, only those', async () => {
    expect((await parse(['training', 'reset'])).calls.map((c) => [c.command, c.options])).to.deep.equal([['reset', {}]]);
    expect((await parse(['training', 'reset', 'PMC'])).calls.map((c) => [c.command, c.options])).to.deep.equal([['reset', { orgaos: ['PMC'] }]]);
  });

  it('passes the global flags through', async () => {
    const { calls } = await parse(['--config', 'x.json', 'training', 'reset', '-q']);
    expect(calls[0]?.flags).to.deep.include({ config: 'x.json', quiet: true });
  });

  it('training with no órgão is an unusable command line (exit 2), in pt-BR', async () => {
    const { calls, error } = await parse(['training']);
    expect(calls).to.deep.equal([]);
    expect((error as { exitCode?: number }).exitCode).to.equal(2);
    expect((error as Error).message).to.match(/Informe ao menos um órgão/);
  });
});
