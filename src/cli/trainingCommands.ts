import type { Command } from 'commander';
import type { RunContext } from '../app/context.js';
import { trainingCommand, trainingResetCommand } from '../app/training/trainingCommand.js';
import { ExitCode, SeiError } from '../domain/errors.js';
import { cliMessages } from '../messages/cli.js';
import { trainingMessages as m } from '../messages/training.js';
import type { GlobalFlags } from './buildContext.js';

/** main.ts's `run`: builds the context, runs the body, maps errors to exit codes. */
export type RunCommand = (flags: GlobalFlags, body: (ctx: RunContext) => Promise<{ exitCode: number }>) => Promise<void>;

/** The use cases the commands call; tests substitute them to check parsing alone. */
export interface TrainingCommandImpl {
  create: (ctx: RunContext, options: { orgaos: string[] }) => Promise<{ exitCode: number }>;
  reset: (ctx: RunContext, options: { orgaos?: string[] }) => Promise<{ exitCode: number }>;
}

const defaults: TrainingCommandImpl = { create: trainingCommand, reset: trainingResetCommand };

/**
 * `sei-contas training <ORGAO>...` and `sei-contas training reset [<ORGAO>...]`. `reset` is a subcommand,
 * so an órgão cannot be called "reset" (siglas are uppercase; "RESET" still works as an órgão).
 */
export function registerTrainingCommands(program: Command, run: RunCommand, impl: TrainingCommandImpl = defaults): Command {
  const globals = (cmd: Command): GlobalFlags => cmd.optsWithGlobals<GlobalFlags>();

  const training = program
    .command('training')
    .description(cliMessages.trainingDescription)
    .argument('[orgaos...]', m.cliOrgaos)
    .action(async (orgaos: string[], _opts: unknown, cmd: Command) => {
      await run(globals(cmd), async (ctx) => {
        if (orgaos.length === 0) throw new SeiError(m.noOrgaos, ExitCode.unusable);
        return impl.create(ctx, { orgaos });
      });
    });

  training
    .command('reset')
    .description(cliMessages.trainingResetDescription)
    .argument('[orgaos...]', m.cliResetOrgaos)
    .action(async (orgaos: string[], _opts: unknown, cmd: Command) => {
      await run(globals(cmd), (ctx) => impl.reset(ctx, orgaos.length > 0 ? { orgaos } : {}));
    });

  return training;
}
