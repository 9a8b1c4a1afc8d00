/** pt-BR texts of the nightly sync. */
export const syncMessages = {
  // `sei-contas mail failure <unit>`, run by systemd after the nightly unit ends (ExecStopPost).
  failureNotFromSystemd:
    'mail failure é para o ExecStopPost da unidade do systemd (que informa como a execução terminou em EXIT_CODE e EXIT_STATUS); ' +
    'veja scripts/agendamento/sei-contas-sync.service.',
  failureNothingToTell: (how: string) => `A execução terminou por conta própria (${how}): ela mesma avisou quem precisava; nada a enviar.`,
  failureMailed: (unit: string, how: string, sent: number) => `Aviso de término anormal de ${unit} (${how}) enviado a ${sent} operador(es).`,
  failureNotMailed: (unit: string, how: string) =>
    `Término anormal de ${unit} (${how}), mas nenhum aviso pôde ser enviado aos operadores (veja o log).`,
  endedHow: {
    exited: (status: string) => `código de saída ${status}`,
    crashed: 'erro interno que escapou a todo tratamento, código de saída 70',
    killed: (signal: string) => (signal === 'KILL' ? 'encerrada à força pelo sinal KILL: falta de memória ou tempo esgotado' : `encerrada pelo sinal ${signal}`),
    dumped: (signal: string) => `o Node falhou (sinal ${signal})`,
  },
  mailToFiles: (outbox: string) =>
    `As mensagens desta execução (senhas e avisos) foram gravadas em ${outbox}, não enviadas: mail.transport é "file". ` +
    'Em produção, configure SEI_MAIL_TRANSPORT=smtp e o servidor de e-mail (veja o README).',
  noOperators: 'Nenhum operador configurado (mail.operators): o resumo e os avisos de parada desta execução não foram enviados a ninguém.',
  threshold: (count: number, limit: number, active: number, sample: string[]) =>
    `Limite de segurança: a execução desativaria ${count} conta(s) ausentes dos formulários, acima do limite de ${limit} ` +
    `(de ${active} contas ativas gerenciadas). Nada foi gravado. Confira os formulários; se as desativações estão corretas, ` +
    `rode de novo com --force. Contas que seriam desativadas:\n${sample.map((s) => `  - ${s}`).join('\n')}`,
  orgaoDisableThreshold: (orgao: string, count: number, active: number, percent: number, others: string[], sample: string[]) =>
    `Limite de segurança: a execução desativaria ${count} de ${active} contas ativas do órgão ${orgao}, mais de ${percent} % dele` +
    (others.length > 0 ? ` (e também a maior parte de ${others.join(', ')})` : '') +
    '. Nada foi gravado. O formulário desse órgão está na pasta e foi lido (não ficou de fora, nem foi salvo como .xlsx)? ' +
    `Se as desativações estão corretas, rode de novo com --force. Contas que seriam desativadas:\n${sample.map((s) => `  - ${s}`).join('\n')}`,
  moveThreshold: (count: number, limit: number, managed: number, sample: string[]) =>
    `Limite de segurança: a execução mudaria ${count} conta(s) de órgão ou de nome no AD, acima do limite de ${limit} ` +
    `(de ${managed} contas gerenciadas). Nada foi gravado. Confira as colunas Órgão, Nome e Nome social dos formulários ` +
    `(uma sigla digitada errada muda todo o órgão); se as mudanças estão corretas, rode de novo com --force. Contas que mudariam:\n` +
    sample.map((s) => `  - ${s}`).join('\n'),
  moveSample: (from: string, to: string) => `${from} → ${to}`,
  renameSample: (newDn: string) => `novo nome: ${newDn}`,
  removalThreshold: (count: number, limit: number, managed: number, sample: string[]) =>
    `Limite de segurança: a execução retiraria ${count} conta(s) de grupos (perfil trocado ou grupo de outro órgão), acima ` +
    `do limite de ${limit} (de ${managed} contas gerenciadas). Nada foi gravado. Confira a coluna Perfil dos formulários ` +
    `(uma coluna deslocada diz "usuario" para todos); se as retiradas estão corretas, rode de novo com --force. ` +
    `Contas que sairiam:\n${sample.map((s) => `  - ${s}`).join('\n')}`,
  leaveSample: (member: string, group: string) => `${member} sai de ${group}`,
  stoppedAfterWrites: (detail: string) =>
    `A execução parou depois de começar a gravar no diretório (${detail}): contas podem ter sido criadas ou alteradas. ` +
    'As senhas que não chegaram ficam pendentes no diário e vão na próxima execução; rode de novo para concluir e ter o relatório.',
  duplicateThreshold: (count: number, limit: number, managed: number, sample: string[]) =>
    `Limite de segurança: a execução criaria ${count} conta(s) para pessoas que já têm conta no domínio fora da UO ` +
    `de usuários gerenciada (o mesmo CPF no employeeID), acima do limite de ${limit} (de ${managed} contas gerenciadas). ` +
    `Nada foi gravado. Uma UO gerenciada renomeada ou movida, ou naming.rootOu ou directory.baseDN errados, fazem ` +
    `todas as contas parecerem novas: cada pessoa ganharia uma segunda conta e uma senha nova. Confira; se as contas ` +
    `novas estão corretas, rode de novo com --force. Pessoas que já têm conta:\n${sample.map((s) => `  - ${s}`).join('\n')}`,
  duplicateSample: (maskedCpf: string, newDn: string, holder: string) => `${maskedCpf}: criaria ${newDn}; já tem ${holder}`,
  noFormsInDir: (dir: string) => `Nenhum arquivo .csv encontrado em ${dir}.`,
  formsDirUnreadable: (dir: string) => `Não foi possível ler a pasta de formulários ${dir}.`,
  sipFailed: (file: string, detail: string, reportDir: string) =>
    `A exportação para o SIP não pôde ser gravada em ${file} (${detail}). As contas criadas estão no relatório ${reportDir} ` +
    '(linhas "criar conta" com resultado "concluída").',
  sipWritten: (file: string, n: number) => `Exportação para o SIP: ${n} conta(s) criada(s) gravada(s) em ${file}`,
  stepObserve: 'Lendo o diretório',
  stepApply: 'Aplicando o plano',
  stepTraining: 'Restaurando as contas de treinamento',
  commandWithExit: (command: string, exitCode: number) => `${command} (código de saída ${exitCode})`,
  commandEndedBySignal: (command: string, signal: string) => `${command} (encerrada pelo sinal ${signal})`,
  stoppedUnexpectedly: 'A execução parou por um erro inesperado, antes do resumo; os detalhes estão no log desta execução.',
  summaryMailFailed: (reason: string) => `O resumo por e-mail aos operadores não foi enviado: ${reason}`,
} as const;
