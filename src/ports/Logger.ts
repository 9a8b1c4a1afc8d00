/** Structured log: `message` is pt-BR for people; `fields` use English names and never hold secrets or full CPFs. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /** One record per directory write. */
  audit(record: AuditRecord): void;
}

export interface AuditRecord {
  runId: string;
  actor: string;
  action: string;
  dn: string;
  attributes: string[];
  /** For a move: the DN the entry went to. */
  newDn?: string;
  result: 'ok' | 'failed';
  resultCode?: number;
  time: string;
}

/** Progress of a long step: a bar on a terminal, periodic lines otherwise. */
export interface Progress {
  start(label: string, total: number): void;
  tick(n?: number): void;
  stop(): void;
}
