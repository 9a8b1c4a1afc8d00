import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import { join } from 'node:path';
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import type { AuditRecord, Logger } from '../../ports/Logger.js';
import { maskCpfsInText } from '../../core/cpf.js';
import { codeOrMessage, ExitCode, SeiError } from '../../domain/errors.js';
import { logMessages } from '../../messages/log.js';

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

/** The day's file as the rotator names it (local date, like its default). */
export function dayLogFile(dir: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return join(dir, `sei-contas-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}.jsonl`);
}

/**
 * Opens the day's file once before the run starts: a log folder that is a file, a read-only disk or a
 * directory in the file's place stops the run here, with exit 2, instead of as an unhandled error midway.
 */
function probeLogFile(dir: string): void {
  const path = dayLogFile(dir);
  try {
    mkdirSync(dir, { recursive: true });
    closeSync(openSync(path, 'a', 0o640));
  } catch (e) {
    throw new SeiError(logMessages.fileUnusable(path, codeOrMessage(e)), ExitCode.unusable, { cause: e });
  }
}

export function createLogger(settings: LoggerSettings): Logger & { close(): Promise<void> } {
  const consoleLevel = settings.console === 'quiet' ? 'error' : settings.console === 'verbose' ? 'debug' : 'info';
  const consoleStream = settings.stream ?? process.stderr;
  const transports: winston.transport[] = [
    new winston.transports.Stream({
      stream: consoleStream,
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
  let fileFailed = false;
  let closed = false;
  if (settings.dir) {
    probeLogFile(settings.dir);
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
  // A disk that fills up or a file removed midway: the run goes on without its file (its summary and
  // reports are what people read), said once on the console, instead of dying on an unhandled 'error'.
  // Silenced, not removed: winston adds a transport back when it reports another error.
  const fileError = (e: unknown) => {
    if (fileFailed || !file) return;
    fileFailed = true;
    file.silent = true;
    consoleStream.write(`${logMessages.fileFailed(codeOrMessage(e))}\n`);
  };
  if (file) {
    file.on('error', fileError);
    // The rotator's stream reports its errors on itself, not through the transport.
    (file as unknown as { logStream?: EventEmitter }).logStream?.on('error', fileError);
  }
  // The logger passes on its transports' errors: the file's are handled above. The console's stream reports
  // its own (a closed pipe: `sei-contas plan … | head`, a cron mailer gone) on itself, where unheard they
  // would end the run: there is nothing to tell anyone on, so the console goes quiet and the run goes on.
  const consoleTransport = transports[0];
  consoleStream.on('error', () => {
    if (consoleTransport) consoleTransport.silent = true;
  });
  w.on('error', (e: unknown, transport?: winston.transport) => {
    if (transport === file) fileError(e);
    else if (transport) transport.silent = true;
  });
  const log = (level: string) => (message: string, fields: Record<string, unknown> = {}) => {
    // After close (a late callback of a connection, say): nothing to write to any more.
    if (!closed) w.log(level, message, fields);
  };
  return {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
    audit(record: AuditRecord) {
      // Audit records go to the file only: people read the summary, auditors read the file.
      if (!closed) w.log('info', 'audit', { ...record, audit: true });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) {
          resolve();
          return;
        }
        closed = true;
        if (!file || fileFailed) {
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
