import { configSchema, type Config } from './schema.js';
import { configMessages as m } from '../messages/config.js';
import { isDnUnder, tryParseDn } from '../core/dn.js';

export interface ConfigProblem {
  key: string;
  message: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const SECRET_KEY = /(pass(word|wd)?|senha|secret|segredo|token|api[-_]?key)$/i;

/** Which environment variable replaces a secret found at this config key. */
function secretEnvFor(key: string): string {
  return key.startsWith('mail.') ? 'SEI_SMTP_PASSWORD' : 'SEI_LDAP_PASSWORD';
}

/** A URL naming a user (and maybe a password) before its host; a password may hold "/" or ":". */
const URL_WITH_USER = /^[a-z][a-z0-9+.-]*:\/\/\S*@/i;

/** A URL as it may be shown (errors, reports): whatever stands before its last "@" is hidden. */
export function withoutCredentials(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)\S*@/i, '$1***@');
}

/** Refuse secrets written literally in a config file, wherever they are. */
export function findLiteralSecrets(value: unknown, path: string[] = []): ConfigProblem[] {
  if (value === null || typeof value !== 'object') return [];
  const problems: ConfigProblem[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const here = [...path, k];
    const key = here.join('.');
    if (SECRET_KEY.test(k) && v !== '' && v !== null && v !== undefined) {
      problems.push({ key, message: m.secretInFile(secretEnvFor(key)) });
    } else if (typeof v === 'string' && URL_WITH_USER.test(v)) {
      problems.push({ key, message: m.credentialsInUrl });
    } else {
      problems.push(...findLiteralSecrets(v, here));
    }
  }
  return problems;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Later layers win; objects merge key by key, arrays and scalars replace. */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeConfig(base[k], v);
  return out;
}

/** The environment variables that point the tool at a directory and a mail relay. */
export function envOverrides(env: Env): Record<string, unknown> {
  const o: Record<string, Record<string, unknown>> = { directory: {}, naming: {}, mail: {}, state: {} };
  const set = (section: string, key: string, value: unknown) => {
    (o[section] ??= {})[key] = value;
  };
  if (env.SEI_LDAP_URL) set('directory', 'urls', env.SEI_LDAP_URL.split(/[\s,]+/).filter(Boolean));
  if (env.SEI_LDAP_BIND_DN) set('directory', 'bindDN', env.SEI_LDAP_BIND_DN);
  if (env.SEI_LDAP_CA_FILE) set('directory', 'caFile', env.SEI_LDAP_CA_FILE);
  if (env.SEI_LDAP_BASE_DN) set('directory', 'baseDN', env.SEI_LDAP_BASE_DN);
  if (env.SEI_UPN_SUFFIX) set('naming', 'upnSuffix', env.SEI_UPN_SUFFIX);
  if (env.SEI_STATE_DIR) set('state', 'dir', env.SEI_STATE_DIR);
  if (env.SEI_SMTP_URL) set('mail', 'url', env.SEI_SMTP_URL);
  if (env.SEI_SMTP_USER) set('mail', 'user', env.SEI_SMTP_USER);
  if (env.SEI_SMTP_CA_FILE) set('mail', 'caFile', env.SEI_SMTP_CA_FILE);
  if (env.SEI_MAIL_FROM) set('mail', 'from', env.SEI_MAIL_FROM);
  if (env.SEI_MAIL_TRANSPORT) set('mail', 'transport', env.SEI_MAIL_TRANSPORT);
  if (env.SEI_MAIL_OUTBOX) set('mail', 'outbox', env.SEI_MAIL_OUTBOX);
  return o;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/i;
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

function checkDirectoryUrls(c: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  c.directory.urls.forEach((raw, i) => {
    const key = `directory.urls.${i}`;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      problems.push({ key, message: m.badUrl(withoutCredentials(raw)) });
      return;
    }
    if (url.protocol !== 'ldaps:' && url.protocol !== 'ldap:') {
      problems.push({ key, message: m.badScheme(withoutCredentials(raw)) });
    } else if (url.protocol === 'ldap:' && !c.directory.startTls) {
      if (!(c.directory.allowPlainLoopback && isLoopbackHost(url.hostname))) {
        problems.push({ key, message: m.plainNotLoopback(withoutCredentials(raw)) });
      }
    }
  });
  return problems;
}

function checkMailUrl(c: Config): ConfigProblem[] {
  if (c.mail.transport !== 'smtp') return [];
  let url: URL;
  try {
    url = new URL(c.mail.url);
  } catch {
    return [{ key: 'mail.url', message: m.badUrl(withoutCredentials(c.mail.url)) }];
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return [{ key: 'mail.url', message: m.badUrl(withoutCredentials(c.mail.url)) }];
  return [];
}

/**
 * Pure: merge the layers (defaults first), apply the environment, check everything, and name every
 * problem by its key. Nothing is read here; `load.ts` reads the files.
 */
export function validateConfig(
  layers: { source: string; value: unknown; trusted?: boolean }[],
  env: Env,
): { config?: Config; errors: ConfigProblem[] } {
  const errors: ConfigProblem[] = [];
  let merged: unknown = {};
  for (const layer of layers) {
    if (!layer.trusted) errors.push(...findLiteralSecrets(layer.value));
    merged = mergeConfig(merged, layer.value);
  }
  const fromEnv = envOverrides(env);
  // The environment is no place for a password inside a URL either: it would be shown wherever the URL is.
  errors.push(...findLiteralSecrets(fromEnv).filter((p) => p.message === m.credentialsInUrl));
  merged = mergeConfig(merged, fromEnv);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.') || '(raiz)';
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) errors.push({ key: key === '(raiz)' ? k : `${key}.${k}`, message: m.unknownKey });
      } else {
        errors.push({ key, message: m.invalidValue(issue.message) });
      }
    }
    return { errors };
  }
  const config = parsed.data;
  const rootDn = `OU=${config.naming.rootOu},${config.directory.baseDN}`;
  if (!config.naming.trainingParentGroupDn) {
    config.naming.trainingParentGroupDn = `CN=SEI-Treinamento,OU=${config.naming.trainingOu},${rootDn}`;
  } else if (tryParseDn(config.naming.trainingParentGroupDn) === null || !isDnUnder(config.naming.trainingParentGroupDn, rootDn)) {
    // The tool writes only under its root: a parent group elsewhere would have every plan refused by the scope guard.
    errors.push({ key: 'naming.trainingParentGroupDn', message: m.parentGroupOutsideRoot(rootDn) });
  }
  errors.push(...checkDirectoryUrls(config), ...checkMailUrl(config));
  return errors.length > 0 ? { errors } : { config, errors };
}
