// The local test Active Directory (Samba 4 AD DC on 127.0.0.1) made by scripts/local-ad.sh.
// No test framework calls here: tests use these from their own hooks, e.g.
//
//   before(function () {
//     this.timeout(120_000); // the first reset provisions a domain (~6 s), later ones take ~1.5 s
//     resetLocalAd();
//     ad = readLocalAd();
//   });
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What scripts/local-ad.sh writes to <dir>/connection.json. */
export interface LocalAdConnection {
  /** ldaps://127.0.0.1:636 */
  url: string;
  /** DC=sei,DC=local */
  baseDN: string;
  /** CN=Administrator,CN=Users,DC=sei,DC=local */
  bindDN: string;
  password: string;
  /** file holding the password (no trailing newline), for SEI_LDAP_PASSWORD_FILE */
  passwordFile: string;
  /** CA that signed the server certificate (valid for localhost and 127.0.0.1) */
  caFile: string;
  /** sei.local */
  upnSuffix: string;
  /** SEI.LOCAL */
  realm: string;
  /** SEI */
  netbiosDomain: string;
  /** OU=SEI Cidades,DC=sei,DC=local */
  rootOuDn: string;
  /** OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local */
  trainingOuDn: string;
  /** CN=SEI-Treinamento,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local */
  trainingGroupDn: string;
  /** name of the Password Settings Object meant for the training group */
  psoName: string;
  /** whether that PSO existed when the file was written (reset --no-pso / pso-remove make it false) */
  psoPresent: boolean;
  /** the state folder */
  dir: string;
}

export const repoRoot: string = fileURLToPath(new URL('../..', import.meta.url));
export const localAdScript: string = path.join(repoRoot, 'scripts', 'local-ad.sh');

/** The state folder: $SEI_LOCAL_AD_DIR or <repo>/.local/ad. */
export function localAdDir(): string {
  const fromEnv = process.env.SEI_LOCAL_AD_DIR;
  return fromEnv ? path.resolve(fromEnv) : path.join(repoRoot, '.local', 'ad');
}

const requiredStrings = [
  'url', 'baseDN', 'bindDN', 'password', 'caFile', 'upnSuffix', 'realm', 'trainingGroupDn', 'psoName',
] as const;

/** Reads <dir>/connection.json; throws, saying what to run, when the local AD was never brought up. */
export function readLocalAd(): LocalAdConnection {
  const file = path.join(localAdDir(), 'connection.json');
  if (!existsSync(file)) {
    throw new Error(
      `No local test Active Directory: ${file} is missing. Start it with: bash scripts/local-ad.sh up`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(
      `Cannot read ${file} (${(e as Error).message}). Recreate it with: bash scripts/local-ad.sh reset`,
    );
  }
  const obj = parsed as Record<string, unknown>;
  const missing = requiredStrings.filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
  if (missing.length > 0) {
    throw new Error(
      `${file} lacks ${missing.join(', ')}. Recreate it with: bash scripts/local-ad.sh reset`,
    );
  }
  return obj as unknown as LocalAdConnection;
}

function runScript(args: string[]): void {
  try {
    // The script's output goes to our stderr (not into mocha's report); Samba itself is detached from it.
    execFileSync('bash', [localAdScript, ...args], {
      stdio: ['ignore', process.stderr, process.stderr],
      timeout: 300_000,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { status?: number | null; signal?: string | null };
    const how = err.status != null ? `exit ${err.status}` : (err.signal ?? err.code ?? err.message);
    throw new Error(`bash scripts/local-ad.sh ${args.join(' ')} failed (${how}); see its output above`);
  }
}

/**
 * Gives a fresh directory: stops the local AD, throws the domain away, restores a pristine provision and
 * starts it (synchronously, ~1.5 s; the very first time ~6 s). With `{ pso: false }` the training PSO is not
 * created. Call readLocalAd() afterwards (the password and CA stay the same across resets).
 */
export function resetLocalAd(options: { pso?: boolean } = {}): void {
  runScript(options.pso === false ? ['reset', '--no-pso'] : ['reset']);
}

/** Starts the local AD if it is not running (provisioning it if needed); a no-op when it is up. */
export function upLocalAd(): void {
  runScript(['up']);
}

/** Creates and applies (true) or deletes (false) the training PSO on the running local AD. */
export function setLocalAdPso(present: boolean): void {
  runScript([present ? 'pso-add' : 'pso-remove']);
}

/** The environment variables that point sei-contas' CLI at the local AD (same as <dir>/connection.env). */
export function localAdEnv(ad: LocalAdConnection = readLocalAd()): Record<string, string> {
  return {
    SEI_LDAP_URL: ad.url,
    SEI_LDAP_BIND_DN: ad.bindDN,
    SEI_LDAP_PASSWORD_FILE: ad.passwordFile,
    SEI_LDAP_CA_FILE: ad.caFile,
    SEI_LDAP_BASE_DN: ad.baseDN,
    SEI_UPN_SUFFIX: ad.upnSuffix,
  };
}
