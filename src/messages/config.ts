/** pt-BR texts about configuration and secrets. */
export const configMessages = {
  secretInFile: (envName: string) =>
    `segredo escrito no arquivo de configuração; retire-o e use a variável de ambiente ${envName} (ou ${envName}_FILE)`,
  credentialsInUrl: 'a URL não pode conter usuário ou senha; use as variáveis de ambiente',
  notJson: (file: string, detail: string) => `o arquivo de configuração ${file} não é JSON válido (${detail})`,
  unreadable: (file: string) => `não foi possível ler o arquivo de configuração ${file}`,
  invalidValue: (detail: string) => `valor inválido: ${detail}`,
  parentGroupOutsideRoot: (rootDn: string) =>
    `o grupo da política de senha do treinamento precisa estar sob ${rootDn}: a ferramenta só grava sob a UO dela, e com o grupo fora dali toda execução seria recusada`,
  unknownKey: 'chave desconhecida',
  secretFileUnreadable: (envName: string, file: string) =>
    `não foi possível ler o arquivo indicado por ${envName} (${file})`,
  secretFileEmpty: (envName: string, file: string) => `o arquivo indicado por ${envName} (${file}) está vazio`,
  secretTwice: (envName: string) => `defina só uma: ${envName} ou ${envName}_FILE (as duas estão definidas)`,
  aliasTwice: (spelling: string, otherKey: string) => `o título "${spelling}" já está em forms.headerAliases.${otherKey}: cada título alimenta um campo só`,
  secretMissing: (envName: string) => `senha ausente: defina ${envName} ou ${envName}_FILE`,
  badUrl: (url: string) => `URL inválida: ${url}`,
  operatorAddress: 'endereço de e-mail que o envio recusaria: use um só endereço, sem nome, aspas, apóstrofo ou vírgula',
  badScheme: (url: string) => `esquema não suportado em ${url}; use ldaps:// (ou ldap:// com StartTLS)`,
  plainNotLoopback: (url: string) =>
    `conexão sem TLS recusada para ${url}: ldap:// sem StartTLS só é permitido para o endereço local (127.0.0.1) e com directory.allowPlainLoopback`,
  smtpPlainNotLoopback: (url: string) =>
    `SMTP sem TLS recusado para ${url}: só é permitido para o endereço local e com mail.allowPlainLoopback`,
  mailTransport: 'use "smtp" ou "file"',
  baseDnRequired: 'informe o DN base do diretório (directory.baseDN ou SEI_LDAP_BASE_DN)',
  bindDnRequired: 'informe a conta de serviço (directory.bindDN ou SEI_LDAP_BIND_DN)',
} as const;
