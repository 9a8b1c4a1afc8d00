/** pt-BR texts of the scope guard. */
export const scopeMessages = {
  outside: (kind: string, dn: string, root: string) =>
    `${kind}: ${dn} está fora da UO gerenciada ${root}; a ferramenta não escreve fora dela.`,
  privileged: (kind: string, dn: string) =>
    `${kind}: ${dn} é um grupo privilegiado do domínio; a ferramenta nunca altera esses grupos.`,
  outOfScope: (dn: string, root: string) =>
    `Operação recusada: ${dn} está fora das UOs gerenciadas (${root}) ou é um grupo privilegiado; nada foi enviado ao diretório.`,
  planOutOfScope: (count: number, first: string) =>
    `Plano recusado: ${count} alteração(ões) fora das UOs gerenciadas ou em grupos privilegiados (por exemplo ${first}); nada foi enviado ao diretório.`,
} as const;
