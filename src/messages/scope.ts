/** pt-BR texts of the scope guard. */
export const scopeMessages = {
  outside: (kind: string, dn: string, root: string) =>
    `${kind}: ${dn} está fora da UO gerenciada ${root}; a ferramenta não escreve fora dela.`,
  outsideTraining: (dn: string, trainingDn: string) =>
    `create-training-account: ${dn} está fora de ${trainingDn}; uma conta de treinamento só existe lá, e o plano foi editado à mão.`,
  privileged: (kind: string, dn: string) =>
    `${kind}: ${dn} é um grupo privilegiado do domínio; a ferramenta nunca altera esses grupos.`,
  unmanagedAttribute: (kind: string, dn: string, attribute: string) =>
    `${kind}: ${dn} gravaria o atributo ${attribute}, que a ferramenta não gerencia; o plano foi editado à mão.`,
  moveOutsideUsers: (dn: string, usersDn: string) =>
    `update-user: a mudança de órgão de ${dn} sai de ${usersDn} ou leva para fora dele; só contas de pessoas mudam de UO, e o plano foi editado à mão.`,
  removalNotPeoplesGroup: (dn: string) =>
    `remove-member: ${dn} não é um grupo de pessoas da ferramenta (o de um órgão ou de um perfil); o plano foi editado à mão.`,
  removalNotPerson: (dn: string, usersDn: string) =>
    `remove-member: ${dn} não é uma conta de pessoa (fora de ${usersDn}); o plano foi editado à mão.`,
  disableThatEnables: (dn: string, userAccountControl: number) =>
    `disable-user: ${dn} gravaria userAccountControl ${userAccountControl}, que não desativa a conta; o plano foi editado à mão.`,
  outOfScope: (dn: string, root: string) =>
    `Operação recusada: ${dn} está fora das UOs gerenciadas (${root}) ou é um grupo privilegiado; nada foi enviado ao diretório.`,
  planOutOfScope: (count: number, first: string) =>
    `Plano recusado: ${count} alteração(ões) fora das UOs gerenciadas, em grupos privilegiados ou em atributos que a ferramenta não gerencia (por exemplo ${first}); nada foi enviado ao diretório.`,
} as const;
