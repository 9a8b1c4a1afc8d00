/** pt-BR sentences about the credentials journal (`credenciais.jsonl`). */
export const journalMessages = {
  secretKey: (key: string) =>
    `Registro recusado pelo diário de credenciais: o campo "${key}" parece conter uma senha, e o diário nunca guarda senhas (erro interno).`,
  corrupt: (file: string, line: number) =>
    `O diário de credenciais ${file} está corrompido na linha ${line}; ele não foi alterado. ` +
    'Restaure uma cópia ou corrija a linha antes de rodar de novo, senão senhas pendentes podem ser esquecidas.',
  unreadable: (file: string, detail: string) => `Não foi possível ler o diário de credenciais ${file} (${detail}).`,
  unwritable: (file: string, detail: string) =>
    `Não foi possível gravar no diário de credenciais ${file} (${detail}); verifique a pasta de estado e suas permissões.`,
} as const;
