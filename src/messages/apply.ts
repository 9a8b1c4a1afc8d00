/** pt-BR texts of apply. */
export const applyMessages = {
  unexpected: (detail: string) => `Erro inesperado: ${detail}`,
  progressPeople: 'Contas de pessoas',
  progressTraining: 'Contas de treinamento',
  noMembersLeft: 'Nenhum membro a incluir: as contas correspondentes não foram criadas.',
  noMembersToRemove: 'Nenhum membro a retirar agora: as contas não chegaram à UO do novo órgão ou não entraram nos grupos novos; a próxima execução tenta de novo.',
  disableFlagsEdited: (dn: string, planned: number, expected: number) =>
    `Plano recusado: a desativação de ${dn} gravaria userAccountControl ${planned}, mas desativar essa conta é gravar ${expected} (o plano foi alterado à mão). Gere um plano novo.`,
  staleEntry: (dn: string) => `Plano desatualizado: ${dn} mudou no diretório depois que o plano foi feito. Gere um plano novo.`,
  changedSincePlan: (dn: string, attributes: string) =>
    `Os atributos de ${dn} não foram alterados: ${attributes} mudou no diretório depois que o plano foi feito, e nada foi gravado por cima. A próxima execução planeja a partir do valor atual.`,
  disableChangedSincePlan: (dn: string, attributes: string) =>
    `A conta ${dn} não foi desativada: ${attributes} mudou no diretório depois que o plano foi feito, e nada foi gravado por cima. A próxima execução planeja a partir do valor atual.`,
  staleCreate: (dn: string) => `Plano desatualizado: ${dn} já existe no diretório. Gere um plano novo.`,
  groupNameTaken: (dn: string, name: string) =>
    `O grupo ${dn} não foi criado: o nome ${name} já é usado por outro objeto do domínio. Renomeie um dos dois (ou ajuste naming.orgaoGroup) e rode de novo.`,
  trainingLoginTaken: (login: string, dn: string) =>
    `${dn} não foi criada: o login ${login} já é de outra conta do domínio, fora do ramo de treinamento (movida para lá à mão?). ` +
    'Mova essa conta de volta para a UO de treinamento do órgão, ou apague-a, e rode de novo.',
  trainingNotOurs: (dn: string, login: string) =>
    `${dn} já existe e não é a conta de treinamento ${login}; nenhuma senha foi trocada. Confira quem ocupa esse nome no diretório.`,
  staleCpf: (maskedCpf: string, dn: string) =>
    `Plano desatualizado: a pessoa de CPF ${maskedCpf} já tem conta (${dn}), criada depois do plano. Gere um plano novo.`,
  staleLogin: (login: string) => `Plano desatualizado: o login ${login} já está em uso no domínio. Gere um plano novo.`,
  planVersion: (found: unknown, expected: number) => `Plano de versão ${String(found)} não suportado (esperado ${expected}). Gere um plano novo.`,
  planUnreadable: (file: string) => `Não foi possível ler o plano ${file} (não é um plano.json do sei-contas).`,
} as const;
