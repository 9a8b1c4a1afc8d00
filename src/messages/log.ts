/** pt-BR texts about the run's own log file. */
export const logMessages = {
  fileUnusable: (path: string, reason: string) =>
    `Não foi possível abrir o arquivo de log ${path} (${reason}). Corrija logs.dir na configuração ou as permissões da pasta; nada foi feito.`,
  fileFailed: (reason: string) =>
    `aviso: o arquivo de log deixou de ser gravado (${reason}); a execução continua, e o resumo e o relatório seguem normalmente.`,
} as const;
