import { randomInt as cryptoRandomInt } from 'node:crypto';
import { InternalError } from '../domain/errors.js';

/*
 * The alphabet leaves out what a person misreads or mistypes when copying from an e-mail:
 * 0 O o and 1 l I look alike; quotes, backtick, backslash and | break e-mail, HTML, CSV or a shell (and
 * `"` would also break AD's quoted unicodePwd); space gets lost at the end of a line; `.` and `,` read as
 * punctuation next to the password; `^` `~` are dead keys on the Brazilian ABNT2 keyboard (`~a` types `ã`);
 * `&` `<` `>` need HTML escaping and `$` expands in shells and templates.
 */
export const PASSWORD_CLASSES = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnpqrstuvwxyz',
  digit: '23456789',
  symbol: '!#%*+-=?@_',
} as const;

export const PASSWORD_ALPHABET =
  PASSWORD_CLASSES.upper + PASSWORD_CLASSES.lower + PASSWORD_CLASSES.digit + PASSWORD_CLASSES.symbol;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/**
 * A draw that breaks a rule is thrown away whole and drawn again, so the result is uniform over the
 * passwords that pass. With the real alphabet about four draws in five pass at 16 characters (the
 * rest mostly lack a digit or a symbol); the bound only stops a broken random source from looping for ever.
 */
const MAX_DRAWS = 1000;

/** AD's delimiters for splitting displayName into tokens. */
const NAME_DELIMITERS = /[,.\-_#\t ]+/;

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * What AD refuses to find in a password: the sAMAccountName when it has 3+ characters, and each
 * displayName token of 3+ characters. The login's own tokens are added for margin: `maria.souza` also
 * bars `maria`. Accents are folded so `João` bars `joao`.
 */
export function forbiddenFragments(login: string, displayName?: string): string[] {
  const parts = [login, ...login.split(NAME_DELIMITERS), ...(displayName ?? '').split(NAME_DELIMITERS)];
  return [...new Set(parts.map(fold).filter((p) => p.length >= 3))];
}

function hasEveryClass(candidate: string): boolean {
  return Object.values(PASSWORD_CLASSES).every((chars) => [...candidate].some((c) => chars.includes(c)));
}

/**
 * A temporary password for a new account: crypto-random, with upper and lower case, a digit and a symbol
 * (AD asks for three of the four), no look-alike characters, and no fragment of the person's name.
 */
export function generateTemporaryPassword(opts: {
  length?: number;
  login: string;
  displayName?: string;
  randomInt?: (maxExclusive: number) => number;
}): string {
  const length = opts.length ?? 16;
  if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new InternalError(
      `Tamanho de senha inválido (${length}); use de ${MIN_PASSWORD_LENGTH} a ${MAX_PASSWORD_LENGTH} caracteres.`,
    );
  }
  const pick = opts.randomInt ?? ((max: number) => cryptoRandomInt(max));
  const forbidden = forbiddenFragments(opts.login, opts.displayName);
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    let candidate = '';
    for (let i = 0; i < length; i++) {
      const index = pick(PASSWORD_ALPHABET.length);
      const c = PASSWORD_ALPHABET[index];
      if (c === undefined || !Number.isInteger(index)) {
        throw new InternalError(`A fonte de números aleatórios devolveu um índice fora do alfabeto (${index}).`);
      }
      candidate += c;
    }
    const folded = candidate.toLowerCase();
    if (hasEveryClass(candidate) && !forbidden.some((f) => folded.includes(f))) return candidate;
  }
  throw new InternalError(`Não foi possível gerar uma senha válida em ${MAX_DRAWS} tentativas; a fonte aleatória parece viciada.`);
}
