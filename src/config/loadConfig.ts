import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../domain/errors.js';
import type { NamingPolicy } from '../domain/policy.js';
import { configMessages as m } from '../messages/config.js';
import type { Config } from './schema.js';
import { validateConfig, type Env } from './validateConfig.js';

/** config/default.json ships with the package: found from this file, not from the working directory. */
export const DEFAULT_CONFIG_FILE = fileURLToPath(new URL('../../config/default.json', import.meta.url));

function readJson(file: string, key: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError([{ key, message: m.unreadable(file) }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // V8's message quotes the text around the mistake, which may be a secret typed in the wrong place:
    // only where it is goes out.
    const at = /line (\d+) column (\d+)/.exec((e as Error).message);
    throw new ConfigError([{ key, message: m.notJson(file, at ? `linha ${at[1]}, coluna ${at[2]}` : 'confira aspas, vírgulas e chaves') }]);
  }
}

/** Defaults, then `--config FILE`, then the environment. Every problem is named by its key; exit 2. */
export function loadConfig(options: { configFile?: string | undefined; env: Env }): Config {
  const layers: { source: string; value: unknown; trusted?: boolean }[] = [
    { source: DEFAULT_CONFIG_FILE, value: readJson(DEFAULT_CONFIG_FILE, 'config/default.json'), trusted: true },
  ];
  if (options.configFile) layers.push({ source: options.configFile, value: readJson(options.configFile, '--config') });
  const { config, errors } = validateConfig(layers, options.env);
  if (!config || errors.length > 0) throw new ConfigError(errors);
  return config;
}

/**
 * A secret from `NAME` or from the file named by `NAME_FILE`. From a file: a BOM (Notepad's) and every
 * trailing line break dropped. An empty secret is a missing one (an empty bind password is an anonymous
 * bind), and both set is refused: which one counts would be a guess.
 */
export function readSecret(env: Env, name: string): string {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '' && file) {
    throw new ConfigError([{ key: name, message: m.secretTwice(name) }]);
  }
  if (direct) return direct;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError([{ key: `${name}_FILE`, message: m.secretFileUnreadable(`${name}_FILE`, file) }]);
    }
    const secret = text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
    if (secret === '') throw new ConfigError([{ key: `${name}_FILE`, message: m.secretFileEmpty(`${name}_FILE`, file) }]);
    return secret;
  }
  throw new ConfigError([{ key: name, message: m.secretMissing(name) }]);
}

export function namingPolicyOf(config: Config): NamingPolicy {
  return { ...config.naming, baseDN: config.directory.baseDN };
}
