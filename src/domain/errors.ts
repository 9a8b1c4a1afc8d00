/**
 * Exit codes, the same for every command:
 * 0 all good; 1 finished with rejected rows, failed actions or pending credentials;
 * 2 unusable input or config, nothing done; 3 another run holds the lock; 4 a safety threshold stopped the run;
 * 70 an error nobody caught (a defect).
 */
export const ExitCode = {
  ok: 0,
  partial: 1,
  unusable: 2,
  locked: 3,
  threshold: 4,
  /**
   * An error nobody caught (from a socket's or a stream's callback, a promise nobody awaited): a defect, met
   * wherever the run was, so nobody could be told by the run itself (sysexits' EX_SOFTWARE).
   */
  crashed: 70,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Base of every error meant for the operator: `message` is one clear pt-BR sentence, free of secrets
 * and of full CPFs; `exitCode` is what the process ends with.
 */
export class SeiError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A Node error's code (ENOSPC, EISDIR…), else its message: the few words an operator's sentence quotes. */
export function codeOrMessage(e: unknown): string {
  if (e !== null && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}

/** A forms file that cannot be used at all (not CSV, missing column, unreadable). */
export class InputError extends SeiError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(message: string, file: string, line?: number, options?: { cause?: unknown }) {
    super(message, ExitCode.unusable, options);
    this.file = file;
    this.line = line;
  }
}

/** Configuration that cannot be used; `key` names the offending setting (dotted path). */
export class ConfigError extends SeiError {
  readonly problems: { key: string; message: string }[];
  constructor(problems: { key: string; message: string }[]) {
    super(problems.map((p) => `${p.key}: ${p.message}`).join('; '), ExitCode.unusable);
    this.problems = problems;
  }
}

/** Another run holds the lock. */
export class LockHeldError extends SeiError {
  constructor(message: string) {
    super(message, ExitCode.locked);
  }
}

/** A safety threshold stopped the run before anything was written. */
export class ThresholdError extends SeiError {
  constructor(message: string) {
    super(message, ExitCode.threshold);
  }
}

/** A saved plan that no longer matches the directory, or of another version. */
export class StalePlanError extends SeiError {
  constructor(message: string) {
    super(message, ExitCode.unusable);
  }
}

/** A write outside the managed OUs, or into a privileged group: refused before it is sent. */
export class ScopeError extends SeiError {
  readonly dn: string;
  constructor(message: string, dn: string) {
    super(message, ExitCode.unusable);
    this.dn = dn;
  }
}

/** A bug or an impossible state: reported as such, exit 2. */
export class InternalError extends SeiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.unusable, options);
  }
}

/**
 * A directory operation that failed. Keeps the LDAP result code and AD's extended code (e.g. `0000052D`);
 * `message` is one pt-BR sentence saying what happened and what to do. `exitCode` 1: the run goes on.
 */
export class DirectoryError extends SeiError {
  readonly resultCode: number;
  readonly adCode: string | undefined;
  readonly dn: string | undefined;
  readonly operation: string;
  readonly transient: boolean;
  constructor(
    message: string,
    details: { resultCode: number; adCode?: string | undefined; dn?: string | undefined; operation: string; transient: boolean },
    options?: { cause?: unknown },
  ) {
    super(message, ExitCode.partial, options);
    this.resultCode = details.resultCode;
    this.adCode = details.adCode;
    this.dn = details.dn;
    this.operation = details.operation;
    this.transient = details.transient;
  }
}

/** The directory cannot be reached or refuses the connection itself (TLS, bind): nothing can be done. */
export class DirectoryUnavailableError extends SeiError {
  /** A refused or reset connection (worth another try), as opposed to TLS or credentials. */
  readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, ExitCode.unusable, options);
    this.retryable = options?.retryable ?? false;
  }
}

/** A message that did not go out. `permanent`: the server refused it for good (5xx). */
export class MailError extends SeiError {
  readonly permanent: boolean;
  readonly serverResponse: string | undefined;
  /** The server refused the sending itself (the sender, the relay, a filter on the text): every message fails alike. */
  readonly serverWide: boolean;
  constructor(
    message: string,
    details: { permanent: boolean; serverResponse?: string | undefined; serverWide?: boolean },
    options?: { cause?: unknown },
  ) {
    super(message, ExitCode.partial, options);
    this.permanent = details.permanent;
    this.serverResponse = details.serverResponse;
    this.serverWide = details.serverWide ?? false;
  }
}
