/** pt-BR texts about credential delivery. */
export const credentialMessages = {
  accountGone: 'a conta não existe no diretório (a criação falhou); nada a entregar',
  sameAccountPending: 'outro registro pendente da mesma conta, mais recente, vale por este: uma só senha nova é gerada',
  alreadyChanged: 'a pessoa já trocou a senha provisória (recebeu um e-mail anterior); a senha dela foi mantida e nada foi reenviado',
  moveFailed: 'a conta não mudou de órgão (a mudança falhou); a credencial continua no DN anterior',
  movedByHand: (dn: string) => `a conta foi movida ou renomeada no diretório e agora está em ${dn}; a credencial segue para lá`,
  accountMoved: (dn: string) => `a conta mudou de órgão e agora está em ${dn}; a credencial segue para lá`,
  notTried: 'a execução parou antes de criar a conta; nada a entregar',
  notOurAccount: (dn: string, login: string) =>
    `a entrada ${dn} é de outra conta (${login || 'sem login'}), não da que recebeu esta credencial; nenhuma senha foi trocada: confira quem ocupa esse nome no diretório`,
  unexpected: 'erro inesperado ao redefinir a senha',
  settleSkipped: (login: string, reason: string) => `Credencial pendente de ${login} encerrada: ${reason}`,
  settleFailed: (login: string, reason: string) => `Credencial pendente de ${login} não pôde ser acertada: ${reason}`,
  sendFailed: (login: string, reason: string) => `Senha de ${login} não foi entregue por e-mail: ${reason}`,
  undeliveredLine: (login: string, email: string, reason: string, permanent: boolean) =>
    `  senha de ${login} (${email}) não entregue: ${reason}${permanent ? ' — recusa definitiva: corrija o e-mail e use "sei-contas resend".' : ''}`,
  pendingSummary: (n: number) => `${n} credencial(is) pendente(s) de entrega; serão reenviadas na próxima execução.`,
  permanentHint: 'o servidor de e-mail recusou definitivamente: corrija o e-mail no formulário e use "sei-contas resend".',
} as const;
