import type { FieldKey, Perfil } from '../domain/form.js';
import type { ManagedUserAttribute } from '../domain/directory.js';
import type { OutcomeStatus, ReportChange, ReportChangeKind, ReportSummary, StructureSummary } from '../domain/report.js';

/** pt-BR texts of the reports (terminal, CSV, HTML). Renderers only arrange these; they write no text of their own. */

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const kind: Record<ReportChangeKind, string> = {
  'create-user': 'criar conta',
  'update-user': 'atualizar',
  'disable-user': 'desativar',
  'create-ou': 'criar UO',
  'create-group': 'criar grupo',
  'add-member': 'incluir membros',
  'remove-member': 'retirar membros',
  'create-training-account': 'criar conta de treinamento',
  'create-training-accounts': 'criar contas de treinamento',
};

const field: Record<FieldKey, string> = {
  municipio: 'município',
  orgao: 'órgão',
  nome: 'nome',
  nome_social: 'nome social',
  cpf: 'CPF',
  email: 'e-mail',
  cargo: 'cargo',
  unidade: 'unidade',
  telefone: 'telefone',
  perfil: 'perfil',
  acao: 'ação',
};

const attribute: Record<ManagedUserAttribute, string> = {
  displayName: 'nome de exibição',
  givenName: 'prenome',
  sn: 'sobrenome',
  mail: 'e-mail',
  title: 'cargo',
  department: 'unidade',
  company: 'órgão',
  telephoneNumber: 'telefone',
  description: 'descrição',
};

const perfil: Record<Perfil, string> = {
  usuario: 'usuário',
  interlocutor: 'interlocutor',
  administrador: 'administrador',
};

const disableReason = {
  form: 'pedido no formulário',
  missing: 'ausente dos formulários',
} as const;

const outcome: Record<OutcomeStatus | 'pending', string> = {
  done: 'concluída',
  failed: 'falhou',
  skipped: 'ignorada',
  pending: 'pendente',
};

const quoted = (v: string | null): string => (v === null || v === '' ? '(vazio)' : `"${v}"`);

/** One line saying what a change does beyond its kind, login and DN. */
function detail(c: ReportChange): string {
  switch (c.kind) {
    case 'create-user': {
      const groups = c.groups.join(', ');
      return `perfil ${perfil[c.perfil]}; e-mail ${c.email}` + (groups ? `; grupos: ${groups}` : '');
    }
    case 'update-user': {
      const move =
        c.moveTo === undefined
          ? []
          : c.movedFrom === undefined
            ? [`novo nome no AD: ${c.moveTo}`]
            : [`muda de órgão: ${c.movedFrom} → ${c.orgao}, para ${c.moveTo}`];
      return [...move, ...c.changes.map((a) => `${attribute[a.attribute]}: ${quoted(a.before)} → ${quoted(a.after)}`)].join('; ');
    }
    case 'disable-user':
      return `motivo: ${disableReason[c.reason]}; descrição: ${quoted(c.description)}`;
    case 'create-training-account':
      return `UPN ${c.upn}`;
    case 'create-training-accounts':
      return trainingAccounts(c.count, c.cns.join(', '));
    case 'create-ou':
      return '';
    case 'create-group':
      return `grupo ${c.name}`;
    case 'add-member':
      return `${c.group} ← ${plural(c.members.length, 'membro', 'membros')}: ${c.members.join(', ')}`;
    case 'remove-member':
      return `${c.group} → ${c.members.length === 1 ? 'sai' : 'saem'} ${plural(c.members.length, 'membro', 'membros')}: ${c.members.map((m) => m.name).join(', ')}`;
  }
}

const trainingAccounts = (n: number, names: string): string => `${plural(n, 'conta', 'contas')}: ${names}`;

const summaryLabels: Record<keyof ReportSummary, string> = {
  rows: 'Linhas lidas',
  valid: 'Pessoas válidas',
  rejected: 'Linhas rejeitadas',
  superseded: 'Linhas substituídas por outra do mesmo CPF',
  create: 'Contas a criar',
  update: 'Contas a atualizar',
  disable: 'Contas a desativar',
  unchanged: 'Contas sem mudança',
  trainingCreate: 'Contas de treinamento a criar',
};

export const reportMessages = {
  kind,
  field,
  attribute,
  perfil,
  disableReason,
  outcome,
  detail,
  summaryLabels,
  rejectedKind: 'linha rejeitada',
  warningKind: 'aviso',

  titleDryRun: 'SEI Cidades — simulação: nada foi alterado no diretório',
  titleApply: 'SEI Cidades — resultado da aplicação do plano',
  planCreated: (at: string) => `Plano gerado em ${at}`,
  directoryRead: (source: string, observedAt: string) => `Diretório lido em ${observedAt}: ${source}`,
  baseDn: (baseDN: string) => `Base: ${baseDN}`,
  inputs: 'Arquivos lidos',

  /** Short column headings of the per-órgão table (the terminal has 80 columns). */
  columns: {
    orgao: 'Órgão',
    municipio: 'Município',
    create: 'Criar',
    update: 'Atualizar',
    disable: 'Desativar',
    unchanged: 'Sem mudança',
    trainingCreate: 'Treinamento',
  },
  total: 'Total',
  noOrgaos: 'Nenhuma conta de pessoa ou de treinamento no plano.',

  structure: ({ ous, groups, memberships, removals }: StructureSummary) =>
    `Estrutura: ${plural(ous, 'UO', 'UOs')} a criar, ${plural(groups, 'grupo', 'grupos')} a criar, ` +
    `${plural(memberships, 'inclusão', 'inclusões')} de membros em grupos` +
    (removals > 0 ? `, ${plural(removals, 'retirada', 'retiradas')} de membros de grupos` : ''),
  disablesHeading: (n: number) => `Contas a desativar (${n})`,
  movesHeading: (n: number) => `Contas que mudam de órgão (${n})`,
  keptByEmail: (login: string, dn: string, maskedCpf: string, file: string, line: number) =>
    `A conta ${login} (${dn}, CPF ${maskedCpf}) não está em nenhum formulário pelo CPF, mas o e-mail dela está em ${file}:${line}: ` +
    'não foi desativada por ausência. Confira o CPF dessa linha (digitado errado ou trocado) e acerte a linha ou a conta.',
  /** A warning of the row's own file and line (every rendering shows them beside it): not repeated here. */
  disableWithoutAccount: (maskedCpf: string, orgao: string) =>
    `Pedido de desativação (${orgao}) para o CPF ${maskedCpf}, que não tem conta no diretório: nada foi desativado. Confira o CPF; se estiver errado, a conta da pessoa continua ativa.`,
  disabledAskedHeading: (n: number) =>
    `Contas desativadas que os formulários pedem de novo (${n}): a ferramenta não reativa; reative no AD se for o caso`,
  disabledAskedKind: 'conta desativada (não reativada)',
  moveLine: (from: string, to: string) => `${from} → ${to}`,

  sipHeading: 'Configuração do SIP para as contas de treinamento',
  sip: {
    orgao: 'Órgão',
    contexto: 'Contexto',
    atributoFiltro: 'Atributo Filtro',
    atributoRetorno: 'Atributo Retorno',
    sufixo: 'Sufixo',
    alternativa: 'Alternativa',
  },

  rejectedHeading: (rows: number, problems: number) =>
    `Linhas rejeitadas: ${rows}` + (problems > rows ? ` (${plural(problems, 'problema', 'problemas')})` : ''),
  warningsHeading: (n: number) => `Avisos (${n})`,
  supersededHeading: (n: number) => `Linhas substituídas por outra do mesmo CPF (${n})`,
  supersededBy: 'substituída por',
  supersededKind: 'linha substituída',
  supersededAt: (file: string, line: number) => `substituída pela linha ${file}:${line} (mesmo CPF)`,

  totals: (s: ReportSummary) =>
    `Totais: ${plural(s.rows, 'linha lida', 'linhas lidas')}, ${plural(s.valid, 'pessoa válida', 'pessoas válidas')}, ` +
    `${plural(s.rejected, 'linha rejeitada', 'linhas rejeitadas')}, ${plural(s.superseded, 'substituída', 'substituídas')}.`,
  totalsPeople: (s: ReportSummary) =>
    `Contas: criar ${s.create}, atualizar ${s.update}, desativar ${s.disable}, sem mudança ${s.unchanged}; ` +
    `treinamento: criar ${s.trainingCreate}.`,
  results: (r: { done: number; failed: number; skipped: number; pending: number }) =>
    `Resultado: ${plural(r.done, 'concluída', 'concluídas')}, ${r.failed} com falha, ${plural(r.skipped, 'ignorada', 'ignoradas')}, ${plural(r.pending, 'pendente', 'pendentes')}.`,
  failuresHeading: (n: number) => `Alterações com falha (${n})`,
  terminalMore: (n: number) => `  … e mais ${n}: a lista completa está em relatorio.html e relatorio.csv.`,
  ldapCode: (code: number) => `código LDAP ${code}`,

  html: {
    title: 'SEI Cidades — relatório de contas',
    summary: 'Resumo',
    results: 'Resultado da aplicação',
    orgaos: 'Órgãos',
    orgao: (sigla: string) => (sigla === '' ? 'Contas fora das UOs de órgão' : `Órgão ${sigla}`),
    peopleCreate: 'Contas a criar',
    peopleUpdate: 'Contas a atualizar',
    peopleDisable: 'Contas a desativar',
    peopleUnchanged: (n: number) => `Contas sem mudança (${n})`,
    training: 'Contas de treinamento a criar',
    /** The same headings in the report of an apply, where the Resultado column says what became of each. */
    applied: {
      peopleCreate: 'Criação de contas',
      peopleUpdate: 'Atualização de contas',
      peopleDisable: 'Desativação de contas',
      training: 'Criação de contas de treinamento',
    },
    trainingAccounts,
    structure: 'Estrutura: UOs, grupos e membros',
    rejected: 'Linhas rejeitadas',
    superseded: 'Linhas substituídas por outra do mesmo CPF',
    warnings: 'Avisos',
    disabledAsked: 'Contas desativadas pedidas nos formulários',
    none: 'Nenhuma.',
    quantity: 'Quantidade',
    item: 'Item',
    change: 'Alteração',
    sipIntro: 'Valores a informar no SIP do SEI (servidor de autenticação LDAP) para este órgão:',
  },

  /** Column headings of relatorio.csv, in order. */
  csvColumns: [
    'Tipo',
    'Órgão',
    'Município',
    'Login',
    'Nome',
    'CPF (mascarado)',
    'Perfil',
    'DN',
    'Detalhe',
    'Arquivo',
    'Linha',
    'Campo',
    'Motivo',
    'Resultado',
    'Mensagem',
    'Código LDAP',
  ] as const,

  labels: {
    login: 'Login',
    nome: 'Nome',
    cpf: 'CPF (mascarado)',
    dn: 'DN',
    detail: 'Detalhe',
    file: 'Arquivo',
    line: 'Linha',
    field: 'Campo',
    reason: 'Motivo',
    result: 'Resultado',
    where: 'Local',
    message: 'Mensagem',
    kind: 'Tipo',
    upn: 'UPN',
    perfil: 'Perfil',
  },

  outcomeOutOfRange: (index: number, total: number) =>
    `resultado de aplicação para a alteração ${index}, mas o plano tem ${total} alterações`,
  outcomeDuplicate: (index: number) => `dois resultados de aplicação para a alteração ${index}`,
} as const;
