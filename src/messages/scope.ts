/** pt-BR texts of the scope guard. */
export const scopeMessages = {
  outOfScope: (dn: string, root: string) =>
    `Operação recusada: ${dn} está fora das UOs gerenciadas (${root}) ou é um grupo privilegiado; nada foi enviado ao diretório.`,
  planOutOfScope: (count: number, first: string) =>
    `Plano recusado: ${count} alteração(ões) fora das UOs gerenciadas ou em grupos privilegiados (por exemplo ${first}); nada foi enviado ao diretório.`,
} as const;
