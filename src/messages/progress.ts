/** pt-BR progress lines for logs without a terminal. */
export const progressMessages = {
  observe: 'Lendo o diretório',
  started: (label: string, total: number) => `${label}: ${total} a processar`,
  progress: (label: string, done: number, total: number) => `${label}: ${done}/${total}`,
  finished: (label: string, done: number, total: number) => `${label}: concluído (${done}/${total})`,
} as const;
