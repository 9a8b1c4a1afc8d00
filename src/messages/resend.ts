/** pt-BR texts of resend and mail test. */
export const resendMessages = {
  needWho: 'Informe o CPF, o login ou o e-mail da pessoa (ou use --pending).',
  notFound: (who: string) => `Nenhuma conta gerenciada encontrada para "${who}".`,
  ambiguous: (who: string, logins: string[]) =>
    `"${who}" corresponde a mais de uma conta (${logins.join(', ')}); informe o login.`,
  noEmail: (login: string) => `A conta ${login} não tem e-mail cadastrado; corrija o formulário e rode apply.`,
  sent: (login: string, email: string) => `Nova senha temporária de ${login} enviada para ${email}; a anterior deixou de valer.`,
  pendingDone: (sent: number, undelivered: number) =>
    `Credenciais pendentes: ${sent} entregue(s), ${undelivered} ainda pendente(s).`,
  mailTestSent: (to: string, id: string) => `Mensagem de teste enviada para ${to} (id ${id}).`,
  mailTestBadAddress: (to: string) => `"${to}" não é um endereço de e-mail que o envio aceite; informe um só endereço, como nome@prefeitura.sp.gov.br.`,
} as const;
