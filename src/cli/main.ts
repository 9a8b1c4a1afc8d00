#!/usr/bin/env node
// First: before any library reads DEBUG.
import './quietLibraryDebug.js';
import { Command, CommanderError, Help, Option } from 'commander';
import { nodeIsRecentEnough } from './nodeVersion.js';
import { installInterruptHandlers } from '../app/interruption.js';
import { applyCommand } from '../app/applyCommand.js';
import { planCommand } from '../app/planCommand.js';
import { resendCommand } from '../app/resendCommand.js';
import { syncCommand } from '../app/syncCommand.js';
import { mailTestCommand } from '../app/mailTestCommand.js';
import { mailFailureCommand } from '../app/mailFailureCommand.js';
import { ExitCode, SeiError, ConfigError } from '../domain/errors.js';
import { cliMessages as m } from '../messages/cli.js';
import { maskCpfsInText } from '../core/cpf.js';
import { buildContext, type GlobalFlags } from './buildContext.js';
import { installLastResort, internalErrorText } from './lastResort.js';
import { registerTrainingCommands } from './trainingCommands.js';
import type { RunContext } from '../app/context.js';

const io = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** The one place where errors become a sentence and an exit code. Commands never exit themselves. */
async function run(flags: GlobalFlags, body: (ctx: RunContext) => Promise<{ exitCode: number }>): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  try {
    const built = buildContext(flags, io);
    close = built.close;
    const { exitCode } = await body(built.ctx);
    process.exitCode = exitCode;
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.stderr.write(`configuração: ${p.key}: ${p.message}\n`);
      process.exitCode = e.exitCode;
    } else if (e instanceof SeiError) {
      // stderr lands in cron mails and the journal: a form's cells or a DN quoted by an error keep no CPF.
      io.stderr.write(`${maskCpfsInText(e.message)}\n`);
      process.exitCode = e.exitCode;
    } else {
      io.stderr.write(`${internalErrorText(e)}\n`);
      if (flags.verbose && e instanceof Error && e.stack) io.stderr.write(`${maskCpfsInText(e.stack)}\n`);
      process.exitCode = ExitCode.unusable;
    }
  } finally {
    await close?.();
  }
}

/** Commander's sentences, line by line, through the pt-BR table. */
export function translateUsageError(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [english, portuguese] of m.usageErrors) if (english.test(line)) return line.replace(english, portuguese);
      return line;
    })
    .join('\n');
}

const encodingOption = () => new Option('--encoding <codificação>', m.optEncoding).choices(['auto', 'utf-8', 'windows-1252']);

export function buildProgram(): Command {
  const program = new Command('sei-contas')
    .description(m.description)
    .option('--config <arquivo>', m.optConfig)
    .option('-v, --verbose', m.optVerbose)
    .option('-q, --quiet', m.optQuiet)
    .showHelpAfterError(m.helpAfterError)
    .helpOption('-h, --help', m.optHelp)
    .helpCommand('help [comando]', m.helpCommand)
    .configureHelp({
      styleTitle: (title: string) => m.helpTitles[title] ?? title,
      commandUsage: (cmd: Command) => new Help().commandUsage(cmd).replace(/\[options\]|\[command\]/g, (w) => m.usageWords[w] ?? w),
    })
    .configureOutput({ outputError: (text, write) => write(translateUsageError(text)) })
    .exitOverride();

  const globals = (cmd: Command): GlobalFlags => cmd.optsWithGlobals<GlobalFlags>();

  program
    .command('plan')
    .description(m.planDescription)
    .argument('<formularios...>', m.optForms)
    .option('--offline', m.optOffline)
    .option('--report-dir <pasta>', m.optReportDir)
    .option('--out <plano.json>', m.optOut)
    .option('--disable-missing', m.optDisableMissing)
    .addOption(encodingOption())
    .action(async (files: string[], opts: { offline?: boolean; reportDir?: string; out?: string; encoding?: 'auto' | 'utf-8' | 'windows-1252'; disableMissing?: boolean }, cmd: Command) => {
      await run(globals(cmd), (ctx) =>
        planCommand(ctx, {
          files,
          offline: Boolean(opts.offline),
          disableMissing: Boolean(opts.disableMissing),
          ...(opts.reportDir ? { reportDir: opts.reportDir } : {}),
          ...(opts.out ? { out: opts.out } : {}),
          ...(opts.encoding ? { encoding: opts.encoding } : {}),
        }),
      );
    });

  program
    .command('apply')
    .description(m.applyDescription)
    .argument('[formularios...]', m.optForms)
    .option('--plan <plano.json>', m.optPlan)
    .option('-y, --yes', m.optYes)
    .option('--force', m.optForce)
    .option('--report-dir <pasta>', m.optReportDir)
    .addOption(encodingOption())
    .action(async (files: string[], opts: { plan?: string; yes?: boolean; force?: boolean; reportDir?: string; encoding?: 'auto' | 'utf-8' | 'windows-1252' }, cmd: Command) => {
      await run(globals(cmd), async (ctx) => {
        if (files.length === 0 && !opts.plan) throw new SeiError(m.noForms, ExitCode.unusable);
        return applyCommand(ctx, {
          files,
          yes: Boolean(opts.yes),
          force: Boolean(opts.force),
          ...(opts.plan ? { planFile: opts.plan } : {}),
          ...(opts.reportDir ? { reportDir: opts.reportDir } : {}),
          ...(opts.encoding ? { encoding: opts.encoding } : {}),
        });
      });
    });

  program
    .command('sync')
    .description(m.syncDescription)
    .argument('[formularios...]', m.optForms)
    .option('--forms-dir <pasta>', m.optFormsDir)
    .option('--disable-missing', m.optDisableMissing)
    .option('--force', m.optForce)
    .option('--export-sip <arquivo>', m.optExportSip)
    .option('--report-dir <pasta>', m.optReportDir)
    .addOption(encodingOption())
    .action(
      async (
        files: string[],
        opts: { formsDir?: string; disableMissing?: boolean; force?: boolean; exportSip?: string; reportDir?: string; encoding?: 'auto' | 'utf-8' | 'windows-1252' },
        cmd: Command,
      ) => {
        await run(globals(cmd), async (ctx) => {
          if (files.length === 0 && !opts.formsDir) throw new SeiError(m.noForms, ExitCode.unusable);
          return syncCommand(ctx, {
            files,
            disableMissing: Boolean(opts.disableMissing),
            force: Boolean(opts.force),
            ...(opts.formsDir ? { formsDir: opts.formsDir } : {}),
            ...(opts.exportSip ? { exportSip: opts.exportSip } : {}),
            ...(opts.reportDir ? { reportDir: opts.reportDir } : {}),
            ...(opts.encoding ? { encoding: opts.encoding } : {}),
          });
        });
      },
    );

  program
    .command('resend')
    .description(m.resendDescription)
    .argument('[cpf|login|e-mail]', m.optWho)
    .option('--pending', m.optPending)
    .action(async (who: string | undefined, opts: { pending?: boolean }, cmd: Command) => {
      await run(globals(cmd), (ctx) => resendCommand(ctx, { pending: Boolean(opts.pending), ...(who ? { who } : {}) }));
    });

  const mail = program.command('mail').description(m.mailDescription);
  mail
    .command('test')
    .description(m.mailTestDescription)
    .argument('<endereco>', m.optAddress)
    .action(async (to: string, _opts: unknown, cmd: Command) => {
      await run(globals(cmd), (ctx) => mailTestCommand(ctx, { to }));
    });
  mail
    .command('failure')
    .description(m.mailFailureDescription)
    .argument('[unidade]', m.optUnit, 'sei-contas-sync.service')
    .action(async (unit: string, _opts: unknown, cmd: Command) => {
      await run(globals(cmd), (ctx) => mailFailureCommand(ctx, { unit }));
    });

  registerTrainingCommands(program, run);
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes are unusable input.
      process.exitCode = e.exitCode === 0 ? 0 : ExitCode.unusable;
      return;
    }
    throw e;
  }
}

installInterruptHandlers((signal) => io.stderr.write(`${m.interrupted(signal)}\n`));
installLastResort(io.stderr);
try {
  // Debian 12's own `nodejs` is 18: a schedule pointing at it must say so, not fail somewhere inside.
  if (!nodeIsRecentEnough(process.versions.node)) throw new SeiError(m.nodeTooOld(process.versions.node, process.execPath), ExitCode.unusable);
  await main();
} catch (e) {
  if (e instanceof SeiError) {
    io.stderr.write(`${maskCpfsInText(e.message)}\n`);
    process.exitCode = e.exitCode;
  } else {
    // Never Node's own exit 1 (which means "finished with problems" here): anything unexpected is exit 2.
    io.stderr.write(`${internalErrorText(e)}\n`);
    process.exitCode = ExitCode.unusable;
  }
}
