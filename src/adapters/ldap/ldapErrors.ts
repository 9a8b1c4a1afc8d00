import { ResultCodeError } from 'ldapts';
import { DirectoryError } from '../../domain/errors.js';
import { directoryMessages as m } from '../../messages/directory.js';

/** AD puts its own code first in the diagnostic message: `0000052D: Constraint violation - …`. */
export function adCodeOf(message: string): string | undefined {
  return /\b([0-9A-F]{8}):/i.exec(message)?.[1]?.toUpperCase();
}

/** A bind failure's sub-code: `data 773` (must change), `52e` (wrong password), `533` (disabled). */
export function bindSubCodeOf(message: string): string | undefined {
  return /data ([0-9a-f]{3,4})/i.exec(message)?.[1]?.toLowerCase();
}

/** Errors that say the connection itself failed (not the operation): the client must be discarded. */
export function isConnectionFailure(e: unknown): boolean {
  if (e instanceof ResultCodeError) return false;
  const msg = e instanceof Error ? e.message : String(e);
  return /socket|connect|ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|timed out|timeout|closed|not established/i.test(msg);
}

const TRANSIENT_CODES = new Set([51, 52]);

/** Our error for a server answer: keeps the result code and AD's code and says what to do, in pt-BR. */
export function toDirectoryError(e: unknown, operation: string, dn: string): DirectoryError {
  if (e instanceof DirectoryError) return e;
  if (e instanceof ResultCodeError) {
    const adCode = adCodeOf(e.message);
    const details = { resultCode: e.code, adCode, dn, operation, transient: TRANSIENT_CODES.has(e.code) };
    switch (e.code) {
      case 19:
        if (adCode === '0000052D') return new DirectoryError(m.passwordPolicy(dn), details, { cause: e });
        if (adCode === '0000202F') return new DirectoryError(m.alreadyExists(dn), details, { cause: e });
        return new DirectoryError(m.constraint(dn, adCode ?? 'restrição'), details, { cause: e });
      case 68:
        return new DirectoryError(m.alreadyExists(dn), details, { cause: e });
      case 50:
        return new DirectoryError(m.insufficientRights(dn), details, { cause: e });
      case 53:
        return new DirectoryError(m.unwilling(dn), details, { cause: e });
      case 51:
      case 52:
        return new DirectoryError(m.busy(dn), details, { cause: e });
      case 32:
        return new DirectoryError(m.noSuchObject(dn), details, { cause: e });
      default:
        return new DirectoryError(m.other(dn, e.code), details, { cause: e });
    }
  }
  // No answer from the server at all: transient by nature (the next run may succeed).
  return new DirectoryError(m.busy(dn), { resultCode: 52, dn, operation, transient: true }, { cause: e });
}
