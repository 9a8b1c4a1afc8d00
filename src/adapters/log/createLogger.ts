import { join } from 'node:path';
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import type { AuditRecord, Logger } from '../../ports/Logger.js';
import { maskCpfsInText } from '../../core/cpf.js';

export interface LoggerSettings {
  /** Folder of the JSON-lines logs; omitted: console only. */
  dir?: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  retentionDays: number;
  /** Console verbosity for people. */
  console: 'quiet' | 'normal' | 'verbose';
  color: boolean;
  runId: string;
  /** Where console lines go (stderr keeps stdout for the summary). */
  stream?: NodeJS.WritableStream;
}

const SECRET_KEY = /pass(word|wd)?|senha|secret|unicodepwd/i;


/** Defence in depth: whatever a caller passes, no secret field and no full CPF reaches a log. */
export function redact(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key)) return '[omitido]';
  if (typeof value === 'string') return maskCpfsInText(value);
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redact(v, k);
    return out;
  }
  return value;
}

/** Audit records are for the file; the console shows people the summary instead. */
const notAudit = winston.format((info) => (info.audit ? false : info));

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    (info as Record<string, unknown>)[key] = redact((info as Record<string, unknown>)[key], key);
  }
  return info;
});

export function createLogger(settings: LoggerSettings): Logger & { close(): Promise<void> } {
  const consoleLevel = settings.console === 'quiet' ? 'error' : settings.console === 'verbose' ? 'debug' : 'info';
  const transports: winston.transport[] = [
    new winston.transports.Stream({
      stream: settings.stream ?? process.stderr,
      level: consoleLevel,
      format: winston.format.combine(
        notAudit(),
        redactFormat(),
        ...(settings.color ? [winston.format.colorize({ level: true })] : []),
        winston.format.printf((info) => (info.level.includes('info') ? `${String(info.message)}` : `${info.level}: ${String(info.message)}`)),
      ),
    }),
  ];
  let file: DailyRotateFile | undefined;
  if (settings.dir) {
    file = new DailyRotateFile({
      dirname: settings.dir,
      filename: 'sei-contas-%DATE%.jsonl',
      datePattern: 'YYYY-MM-DD',
      maxFiles: `${settings.retentionDays}d`,
      level: settings.level === 'error' || settings.level === 'warn' ? 'info' : settings.level,
      options: { flags: 'a', mode: 0o640 },
      auditFile: join(settings.dir, '.rotacao.json'),
      format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
    });
    transports.push(file);
  }
  const w = winston.createLogger({ level: 'debug', defaultMeta: { runId: settings.runId }, transports });
  const log = (level: string) => (message: string, fields: Record<string, unknown> = {}) => w.log(level, message, fields);
  return {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
    audit(record: AuditRecord) {
      // Audit records go to the file only: people read the summary, auditors read the file.
      w.log('info', 'audit', { ...record, audit: true });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!file) {
          w.close();
          resolve();
          return;
        }
        file.on('finish', () => resolve());
        w.end();
        setTimeout(resolve, 2000).unref();
      }),
  };
}
