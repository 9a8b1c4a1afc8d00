/** The steps of a plan whose duration the log records. */
export type PlanPhase = 'read' | 'validate' | 'observe' | 'plan' | 'planFile' | 'model' | 'reports';

const PHASES: Record<PlanPhase, string> = {
  read: 'Leitura e validação das linhas dos formulários',
  validate: 'Fechamento do lote (correções, e-mails e órgãos repetidos)',
  observe: 'Leitura do diretório',
  plan: 'Cálculo do plano',
  planFile: 'Gravação do plano (plano.json)',
  model: 'Montagem do relatório',
  reports: 'Gravação dos relatórios',
};

/** pt-BR progress lines for logs without a terminal. */
export const progressMessages = {
  observe: 'Lendo o diretório',
  started: (label: string, total: number) => `${label}: ${total} a processar`,
  progress: (label: string, done: number, total: number) => `${label}: ${done}/${total}`,
  finished: (label: string, done: number, total: number) => `${label}: concluído (${done}/${total})`,
  /** One step of a plan, with how long it took (log at debug level: `--verbose` shows it). */
  phase: (phase: PlanPhase, ms: number) => `${PHASES[phase]}: ${(ms / 1000).toFixed(2).replace('.', ',')} s`,
} as const;
