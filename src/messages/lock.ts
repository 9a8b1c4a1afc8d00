/** pt-BR texts of the run lock. */
export const lockMessages = {
  held: (pid: number, startedAt: string, command: string, file: string) =>
    `Outra execução do sei-contas está em andamento (PID ${pid}, "${command}", iniciada em ${startedAt}); aguarde o fim dela. Trava: ${file}`,
  heldElsewhere: (host: string, pid: number, startedAt: string, command: string, file: string) =>
    `Outra execução do sei-contas está em andamento em ${host} (PID ${pid} lá, "${command}", iniciada em ${startedAt}); aguarde o fim dela. ` +
    `Se ela não existe mais, a trava vale até 10 minutos sem sinal dela; ou apague ${file}.`,
  otherContainer: (host: string) => `outro contêiner de ${host}`,
  unusable: (dir: string, reason: string) =>
    `Não foi possível criar a trava de execução em ${dir} (${reason}): confira o espaço em disco e as permissões da pasta (state.dir). Nada foi feito.`,
  contended: (file: string) => `Não foi possível obter a trava ${file}: outra execução a disputa agora; tente de novo.`,
  tookOver: (pid: number, startedAt: string) =>
    `Trava abandonada de uma execução que não existe mais (PID ${pid}, iniciada em ${startedAt}) foi assumida.`,
  interruptedUnknownRun:
    'Uma execução anterior terminou sem liberar a trava, que ficou danificada (sem dizer qual execução era): foi interrompida ' +
    '(tempo esgotado, desligamento, falta de memória) e pode não ter gerado relatório nem avisado ninguém. Confira os logs da noite anterior.',
  interruptedRun: (command: string, startedAt: string) =>
    `A execução anterior ("${command}", iniciada em ${startedAt}) terminou sem liberar a trava: foi interrompida ` +
    '(tempo esgotado, desligamento, falta de memória) e pode não ter gerado relatório nem avisado ninguém. ' +
    'Esta execução retoma o que ficou pendente; confira o log daquela.',
} as const;
