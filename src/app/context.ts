import type { Config } from '../config/schema.js';
import type { Env } from '../config/validateConfig.js';
import type { Directory } from '../ports/Directory.js';
import type { Logger, Progress } from '../ports/Logger.js';
import type { Mailer } from '../ports/Mailer.js';

/**
 * What every command receives: plain values and factories, so tests call commands as functions with no
 * argv, and the CLI is the only place that knows about process, terminals and flags.
 */
export interface RunContext {
  config: Config;
  env: Env;
  cwd: string;
  clock: () => Date;
  runId: string;
  logger: Logger;
  progress?: Progress;
  /** Opens the (guarded, audited) directory connection. */
  openDirectory: () => Promise<Directory>;
  openMailer: () => Mailer;
  /** Writes human text (the summary) for the operator. */
  print: (text: string) => void;
  /** Asks the operator to confirm; undefined when there is no terminal. */
  confirm?: (question: string) => Promise<boolean>;
  color: boolean;
}
