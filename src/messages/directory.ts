/** pt-BR sentences for directory failures: what happened, then what to do. */
export const directoryMessages = {
  passwordPolicy: (dn: string) =>
    `A senha foi recusada pela política de senhas do domínio para ${dn}; verifique a política (complexidade, tamanho, histórico) ou o PSO aplicado.`,
  alreadyExists: (dn: string) =>
    `Já existe no diretório uma entrada com o mesmo nome ou login (${dn}); rode o plano de novo para ver o estado atual.`,
  insufficientRights: (dn: string) =>
    `A conta de serviço não tem permissão para alterar ${dn}; peça ao administrador do domínio a delegação nas UOs gerenciadas.`,
  unwilling: (dn: string) =>
    `O servidor recusou a operação em ${dn} (por exemplo, senha sem TLS ou atributo não gravável); confira a conexão LDAPS e os atributos.`,
  busy: (dn: string) =>
    `O servidor de diretório está ocupado ou indisponível (${dn}); a operação foi tentada de novo e falhou, rode novamente mais tarde.`,
  observeFailed: (detail: string) => `Não foi possível ler o diretório (${detail}); nada foi gravado. Rode de novo quando ele responder.`,
  incompleteRead: (usersDn: string, example: string) =>
    `a leitura de ${usersDn} veio incompleta (${example} aparece numa busca e não na outra; uma página perdida ou uma busca cortada pelo controlador)`,
  incompleteValues: (dn: string, attribute: string, read: number) =>
    `a leitura de ${attribute} de ${dn} veio incompleta: o diretório mandou os valores em partes e parou depois de ${read} (a entrada mudou durante a leitura?)`,
  stalled: (url: string, n: number) =>
    `O diretório em ${url} aceita conexões mas não respondeu a ${n} operações seguidas; o resto da execução não é tentado (fica para a próxima). Verifique o controlador de domínio.`,
  groupGone: (group: string) =>
    `O grupo ${group} não existe no diretório (foi apagado?): ninguém entrou nele. A próxima execução de "sei-contas sync" (ou "sei-contas training <ÓRGÃO>", para um grupo de treinamento) o cria de novo.`,
  membersMissing: (group: string, n: number, first: string) =>
    `${n} membro(s) não existem no diretório e não entraram em ${group} (por exemplo ${first}); os demais entraram.`,
  noSuchObject: (dn: string) => `A entrada ${dn} ou sua UO pai não existe no diretório.`,
  constraint: (dn: string, detail: string) => `O diretório recusou um valor em ${dn} (${detail}); corrija o dado no formulário.`,
  other: (dn: string, code: number) => `O diretório recusou a operação em ${dn} (código LDAP ${code}).`,
  timeout: (url: string) => `O servidor de diretório ${url} não respondeu a tempo; verifique se ele está no ar e rode novamente.`,
  connection: (url: string, detail: string) =>
    `Não foi possível conectar ao diretório em ${url} (${detail}); verifique endereço, porta e firewall.`,
  tls: (url: string, detail: string) =>
    `O certificado do diretório em ${url} não foi aceito (${detail}); confira o arquivo da CA (SEI_LDAP_CA_FILE) e o nome do servidor.`,
  insecureUrl: (url: string) =>
    `O endereço do diretório ${url} não é LDAPS nem LDAP com StartTLS (texto puro só para loopback, com directory.allowPlainLoopback): a conexão não foi aberta.`,
  startTlsFailed: (url: string) =>
    `O StartTLS falhou em ${url}; a conexão não continua sem criptografia. Verifique o certificado do servidor.`,
  bindFailed: (dn: string, adCode?: string) => {
    // What AD adds to a refused bind ("data 775"), in words: the same answer 49 means very different fixes.
    const why: Record<string, string> = {
      '52e': 'senha ou DN errados',
      '525': 'a conta não existe',
      '530': 'fora do horário permitido à conta',
      '531': 'a conta não pode entrar desta máquina',
      '532': 'a senha da conta expirou',
      '533': 'a conta está desativada',
      '701': 'a conta expirou',
      '773': 'a conta precisa trocar a senha',
      '775': 'a conta está bloqueada por tentativas erradas: espere o desbloqueio ou peça a um administrador',
    };
    const detail = adCode !== undefined && why[adCode] !== undefined ? ` (${why[adCode]})` : '';
    return `A conta de serviço ${dn} não conseguiu autenticar${detail}; confira SEI_LDAP_BIND_DN e a senha (SEI_LDAP_PASSWORD ou SEI_LDAP_PASSWORD_FILE).`;
  },
  caUnreadable: (file: string) => `Não foi possível ler o arquivo da CA do diretório (${file}).`,
  allUrlsFailed: (urls: string) => `Nenhum servidor de diretório respondeu (${urls}).`,
} as const;
