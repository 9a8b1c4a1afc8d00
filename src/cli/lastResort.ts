import { maskCpfsInText } from '../core/cpf.js';
import { ExitCode } from '../domain/errors.js';
import { cliMessages as m } from '../messages/cli.js';

/** The sentence for an error nobody expected: masked, since stderr lands in cron mails and the journal. */
export function internalErrorText(e: unknown): string {
  return maskCpfsInText(m.internal(e instanceof Error ? e.message : String(e)));
}

/**
 * An error thrown from a socket or stream callback, or a promise nobody awaited, would end Node with its
 * own exit 1 (here: "finished with problems", which the nightly unit treats as done) and a stack with
 * whatever the error held. Here it ends the run as an internal error: one masked sentence, exit 70 — a code
 * of its own, so the nightly unit's `mail failure` knows the run told nobody (2 is a stop the run mailed).
 */
export function installLastResort(stderr: NodeJS.WritableStream): void {
  const fail = (e: unknown) => {
    stderr.write(`${internalErrorText(e)}\n`);
    process.exit(ExitCode.crashed);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
