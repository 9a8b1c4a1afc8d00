/** pt-BR texts of the training environment. */
const adminCommands = (groupDn: string) => {
  const groupName = /^CN=([^,]+)/i.exec(groupDn)?.[1] ?? 'SEI-Treinamento';
  return [
    'Um administrador do domínio deve executar uma vez:',
    `  Samba:      samba-tool domain passwordsettings pso create SEI-Treinamento-PSO 10 --complexity=off --min-pwd-length=6 --history-length=0 --min-pwd-age=0 --max-pwd-age=0`,
    `              samba-tool domain passwordsettings pso apply SEI-Treinamento-PSO "${groupName}"`,
    `  PowerShell: New-ADFineGrainedPasswordPolicy -Name SEI-Treinamento-PSO -Precedence 10 -ComplexityEnabled $false -MinPasswordLength 6 -PasswordHistoryCount 0 -MinPasswordAge 0 -MaxPasswordAge 0`,
    `              Add-ADFineGrainedPasswordPolicySubject SEI-Treinamento-PSO -Subjects "${groupName}"`,
  ].join('\n');
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const reasonLabels = {
  'password-changed': 'senha trocada',
  'no-record': 'sem registro',
  locked: 'bloqueada',
  disabled: 'desativada',
  flags: 'sinalizadores da conta',
  moved: 'renomeada ou movida',
  attributes: 'atributos',
  restrictions: 'validade, horário ou estações de logon',
} as const;

export const trainingMessages = {
  groupMissing: (dn: string) =>
    `O grupo de treinamento ${dn} não existe; as contas de treinamento não foram criadas.\n` +
    `Um administrador deve criar o grupo (segurança, global) e aplicar a ele o PSO de treinamento.\n${adminCommands(dn)}`,
  groupNotGlobalSecurity: (dn: string) =>
    `O grupo de treinamento ${dn} não é um grupo de segurança global, e um PSO só vale para grupos assim: as senhas "usuario01"… seriam recusadas. ` +
    `Nada foi criado no treinamento.\nUm administrador deve usar (ou converter para) um grupo de segurança global e aplicar a ele o PSO de treinamento.\n${adminCommands(dn)}`,
  psoMissing: (dn: string) =>
    `Nenhuma política de senha (PSO) se aplica ao grupo ${dn}: as senhas "usuario01"… seriam recusadas. ` +
    `Nada foi criado no treinamento.\n${adminCommands(dn)}`,
  psoWrong: (pso: string, dn: string) =>
    `A política de senha ${pso} aplicada a ${dn} exige complexidade ou mais de 9 caracteres: as senhas "usuario01"… seriam recusadas. ` +
    `Nada foi criado no treinamento.\n${adminCommands(dn)}`,

  // The record of the tool's own password sets (estado/treinamento.json).
  surplusAccounts: (n: number, first: string[], count: number) =>
    `${n} conta(s) de treinamento além das ${count} configuradas (naming.trainingCount), como ${first.join(', ')}, continuam ativas ` +
    'e não são mais restauradas: a senha delas pode ter sido trocada por quem treinou. Desative-as ou apague-as no AD, ou volte a contagem.',
  branchMissing: (dn: string, recorded: number) =>
    `O ramo de treinamento ${dn} não existe no diretório, mas o registro do treinamento lista ${recorded} conta(s): ` +
    'ele foi renomeado ou movido, ou naming.trainingOu está errado. Nada foi alterado, e o registro foi mantido. Corrija o nome e rode de novo.',
  recordLost: (file: string) =>
    `O registro das senhas definidas pelo sei-contas (${file}) não existe: sem ele não há como saber quais senhas foram trocadas, ` +
    'então todas as contas de treinamento serão restauradas (mais lento, uma única vez).',
  recordUnreadable: (file: string, detail: string) =>
    `O registro das senhas definidas pelo sei-contas (${file}) está ilegível (${detail}): ele será refeito e todas as contas de ` +
    'treinamento serão restauradas (mais lento, uma única vez).',
  recordUnwritable: (file: string, detail: string) =>
    `Não foi possível gravar o registro das contas de treinamento ${file} (${detail}). As contas foram gravadas no diretório, ` +
    'mas a próxima restauração vai refazer todas. Verifique o espaço e as permissões da pasta de estado.',
  notTrainingOus: (ous: readonly string[]) =>
    `${ous.length === 1 ? 'A UO' : 'As UOs'} ${ous.join(', ')} em Treinamento não ${ous.length === 1 ? 'tem' : 'têm'} contas de ` +
    `treinamento do sei-contas (usuarioNN.<órgão>): ${ous.length === 1 ? 'ficou' : 'ficaram'} de fora da restauração.`,
  accountsMissing: (n: number, example: string, orgao: string) =>
    `${plural(n, 'conta de treinamento não existe', 'contas de treinamento não existem')} no diretório (por exemplo ${example}); ` +
    `a restauração não as cria. Para criá-las: sei-contas training ${orgao}`,
  notInGroup: (detail: string) => `${detail} (a conta não pôde ser recolocada no grupo de treinamento do órgão)`,
  progressReset: 'Restaurando contas de treinamento',

  // sei-contas training <ORGAO>...
  invalidOrgaos: (list: string[]) =>
    `Sigla de órgão inválida: ${list.map((o) => `"${o}"`).join(', ')}. Use de 2 a 10 letras ou algarismos, como nos formulários (ex.: PMC).`,
  noOrgaos: 'Informe ao menos um órgão (ex.: sei-contas training PMC) ou use "sei-contas training reset".',
  nothingToCreate: (orgaos: string[]) => `Treinamento: as contas de ${orgaos.join(', ')} já existem; nada a criar.`,
  createdHeading: 'Contas de treinamento:',
  orgaoLine: (o: { orgao: string; created: number; existing: number; failed: number }) =>
    `  ${o.orgao}: ${plural(o.created, 'conta criada', 'contas criadas')}, ${plural(o.existing, 'já existia', 'já existiam')}` +
    (o.failed > 0 ? `, ${plural(o.failed, 'falha', 'falhas')}` : ''),
  structureFailed: (n: number) =>
    `${plural(n, 'alteração de estrutura (UO, grupo ou membro) falhou', 'alterações de estrutura (UO, grupo ou membro) falharam')}; veja o log.`,
  failureLine: (dn: string, message: string) => `  falha em ${dn}: ${message}`,
  sipLine: (orgao: string, contexto: string) =>
    `  No SIP, ${orgao}: contexto ${contexto}, atributo filtro cn, atributo retorno distinguishedName.`,
  howToLogin: (first: string) => `Acesso: usuário ${first}, senha ${first}, e a sigla do órgão na tela de acesso do SEI.`,

  // sei-contas training reset
  resetSummary: (r: { orgaos: number; checked: number; restored: number }) =>
    `Treinamento: ${plural(r.checked, 'conta verificada', 'contas verificadas')} em ${plural(r.orgaos, 'órgão', 'órgãos')}; ` +
    `${plural(r.restored, 'restaurada', 'restauradas')}.`,
  resetReasons: (byReason: Record<keyof typeof reasonLabels, number>) => {
    const parts = (Object.keys(reasonLabels) as (keyof typeof reasonLabels)[])
      .filter((k) => byReason[k] > 0)
      .map((k) => `${reasonLabels[k]}: ${byReason[k]}`);
    return parts.length > 0 ? `  motivos — ${parts.join(', ')}` : '  nenhuma conta mudou desde que o sei-contas definiu as senhas.';
  },
  nestingRestored: (n: number) => `  ${plural(n, 'grupo de órgão recolocado', 'grupos de órgão recolocados')} no grupo do PSO de treinamento.`,
  membershipsRemoved: (n: number) => `  ${plural(n, 'conta de treinamento retirada', 'contas de treinamento retiradas')} de outros grupos do SEI Cidades (a senha delas é pública).`,
  otherGroupOutside: (group: string, n: number, first: string) =>
    `${n} conta(s) de treinamento (como ${first}) estão também em ${group}, fora da UO do SEI Cidades: a senha delas é pública. ` +
    'A ferramenta não mexe fora da UO dela; retire-as desse grupo à mão.',
  membershipsRestored: (n: number) => `  ${plural(n, 'conta recolocada', 'contas recolocadas')} no grupo de treinamento do órgão.`,
  resetFailed: (n: number) => `${plural(n, 'conta não pôde ser restaurada', 'contas não puderam ser restauradas')}:`,
  nothingFound: 'Nenhuma conta de treinamento encontrada no diretório: nada a restaurar. Para criar: sei-contas training <ORGAO>...',
  warning: (text: string) => `Aviso: ${text}`,

  // The "training ready" notice.
  noInterlocutor: (orgao: string) =>
    `Órgão ${orgao}: nenhum interlocutor nos formulários; o aviso de que o treinamento está pronto não foi enviado ` +
    '(será enviado quando um interlocutor for informado).',
  noticeFailed: (orgao: string, to: string, reason: string) => `Órgão ${orgao}: o aviso do treinamento não chegou a ${to}: ${reason}`,
  noticeNotSent: (orgao: string) => `Órgão ${orgao}: o aviso do treinamento não foi entregue a ninguém; nova tentativa na próxima execução.`,

  noMailHere: 'sei-contas training não envia e-mails (nenhuma conta de pessoa é criada por ele).',

  // Command line.
  cliOrgaos: 'siglas dos órgãos (ex.: PMC SMS)',
  cliResetOrgaos: 'siglas dos órgãos (padrão: todos os que têm contas de treinamento)',
} as const;

