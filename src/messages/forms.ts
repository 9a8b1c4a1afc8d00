/**
 * Every pt-BR text of the forms area: why a row was rejected, remarks about the input, and why a file
 * cannot be used. Messages never carry a full CPF (only `maskCpf` output) and quote user text clipped,
 * so a hostile 10 MB cell cannot flood a report.
 */
import type { FieldKey, RowRejection, SourceRef } from '../domain/form.js';

export const FIELD_LABELS: Readonly<Record<FieldKey, string>> = {
  municipio: 'Município',
  orgao: 'Órgão',
  nome: 'Nome',
  nome_social: 'Nome social',
  cpf: 'CPF',
  email: 'E-mail',
  cargo: 'Cargo',
  unidade: 'Unidade',
  telefone: 'Telefone',
  perfil: 'Perfil',
  acao: 'Ação',
};

const numberFormat = new Intl.NumberFormat('pt-BR');
function num(n: number): string {
  return numberFormat.format(n);
}

/** User text inside a message: one line, at most `max` characters, in quotes. */
function quoted(text: string, max = 60): string {
  const oneLine = text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  const clipped = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return `"${clipped}"`;
}

/** "a, b e c"; past `max` items, "a, b, … e mais 7". */
function enumerate(items: readonly string[], max = 10): string {
  if (items.length > max) return `${items.slice(0, max).join(', ')} e mais ${num(items.length - max)}`;
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} e ${items[items.length - 1] ?? ''}`;
}

/** Where a record is: "formulario.csv, linha 12". */
export function place(ref: SourceRef): string {
  return `${ref.file}, linha ${num(ref.line)}`;
}

/** A rejection as one line for the terminal and the reports. */
export function formatRejection(r: RowRejection): string {
  const field = r.field === null ? '' : ` (${FIELD_LABELS[r.field]})`;
  return `${place(r)}${field}: ${r.reason}`;
}

// ---------------------------------------------------------------------------------------------
// Why a row is rejected. The place and the field travel in the RowRejection itself.

export type EmailProblem = 'spaces' | 'at' | 'domain-dot' | 'chars' | 'domain-chars' | 'local-long' | 'too-long';

export const rejectionReasons = {
  required: (field: FieldKey): string => `o campo ${FIELD_LABELS[field]} é obrigatório e está vazio`,
  unreadable: (field: FieldKey): string =>
    `o campo ${FIELD_LABELS[field]} tem caracteres ilegíveis ("�": bytes que não são UTF-8 no arquivo); ` +
    'salve o arquivo de novo como UTF-8 (ou CSV do Excel) e confira a linha',
  mojibake: (field: FieldKey, sample: string): string =>
    `o campo ${FIELD_LABELS[field]} tem acentos corrompidos ("${sample}" no lugar de uma letra acentuada): ` +
    'a linha veio de um arquivo em outra codificação ou foi convertida duas vezes; corrija o texto e envie de novo',
  lineBreak: (field: FieldKey | null): string =>
    `${field === null ? 'uma coluna ignorada' : `o campo ${FIELD_LABELS[field]}`} ocupa mais de uma linha do arquivo e traz outras linhas ` +
    'dentro dela: uma aspas (") aberta e não fechada juntou as linhas seguintes; corrija as aspas nesta linha e envie de novo ' +
    '(as linhas que ela juntou também não foram lidas, e ninguém nelas é desativado por ausência)',
  tooLong: (field: FieldKey, length: number, max: number): string =>
    `o campo ${FIELD_LABELS[field]} tem ${num(length)} caracteres; o máximo é ${num(max)}`,
  cpfFormat: (): string =>
    'o CPF precisa ter 11 dígitos, com ou sem pontuação (ex.: 123.456.789-09 ou 12345678909)',
  cpfScientific: (): string =>
    'o CPF chegou em notação científica (ex.: 1,23457E+10) porque o Excel o tratou como número: ' +
    'formate a coluna CPF como Texto e digite o número de novo',
  cpfAllEqual: (): string => 'CPF inválido: todos os dígitos são iguais',
  cpfCheckDigits: (masked: string): string => `CPF inválido: os dígitos verificadores não conferem (${masked})`,
  email: (value: string, problem: EmailProblem): string => {
    const v = quoted(value);
    switch (problem) {
      case 'spaces':
        return `o e-mail ${v} contém espaços`;
      case 'at':
        return `o e-mail ${v} precisa ter exatamente um @`;
      case 'domain-dot':
        return `o e-mail ${v} não tem um domínio completo depois do @ (ex.: prefeitura.sp.gov.br)`;
      case 'chars':
        return (
          `o e-mail ${v} não é um endereço válido: use letras sem acento, dígitos e . _ - + ` +
          'antes do @, e um domínio como prefeitura.sp.gov.br'
        );
      case 'domain-chars':
        return (
          `o e-mail ${v} tem um domínio inválido depois do @: use letras sem acento, dígitos, hífens e pontos, ` +
          'sem ponto no fim (ex.: prefeitura.sp.gov.br)'
        );
      case 'local-long':
        return `o e-mail ${v} tem mais de 64 caracteres antes do @, mais do que um servidor de e-mail aceita`;
      case 'too-long':
        return `o e-mail ${v} tem mais de 254 caracteres, mais do que um servidor de e-mail aceita`;
    }
  },
  formulaStart: (field: FieldKey, first: string): string =>
    `o campo ${FIELD_LABELS[field]} começa com ${quoted(first)}, que uma planilha executa como fórmula ` +
    '(e o arquivo de carga do SIP leva esse valor como está): tire esse caractere do início',
  orgao: (value: string): string =>
    `a sigla do órgão ${quoted(value)} deve ter de 2 a 10 letras sem acento ou dígitos, sem espaços nem pontuação`,
  perfil: (value: string): string =>
    `perfil ${quoted(value)} desconhecido: use usuário, interlocutor ou administrador (vazio = usuário)`,
  acao: (value: string): string =>
    `ação ${quoted(value)} desconhecida: use incluir, alterar ou desativar (vazio = incluir)`,
};

// ---------------------------------------------------------------------------------------------
// Remarks about valid input (InputWarning.message).

export const validationWarnings = {
  /** A name the plan would create that another object of the domain already holds (see core/namesTaken). */
  nameTaken: (kind: 'group' | 'training-login' | 'training-upn', name: string, dn: string): string =>
    kind === 'group'
      ? `O grupo ${dn} não poderá ser criado: o nome ${name} já é usado por outro objeto do domínio. Renomeie um dos dois (ou ajuste naming.orgaoGroup) antes de aplicar.`
      : `A conta de treinamento ${dn} não poderá ser criada: ${kind === 'training-login' ? 'o login' : 'o UPN'} ${name} já é de outra conta do domínio, fora do ramo de treinamento. ` +
        'Mova essa conta de volta para a UO de treinamento do órgão, ou apague-a, antes de aplicar.',
  missingNotDisabled: (files: readonly string[]): string =>
    `Nenhuma conta foi desativada por ausência nesta execução: em ${files.join(', ')} uma aspas aberta e não fechada ` +
    'juntou linhas, e quem estava nelas não pode ser conferido. Corrija as aspas e rode de novo.',
  emailUnderSeveralCpfs: (email: string, uses: readonly { maskedCpf: string; ref: SourceRef }[]): string =>
    `O e-mail ${quoted(email, 120)} aparece com ${num(uses.length)} CPFs diferentes: ` +
    `${enumerate(uses.map((u) => `${u.maskedCpf} (${place(u.ref)})`))}. Cada pessoa precisa do próprio e-mail.`,
  orgaoUnderSeveralMunicipios: (orgao: string, uses: readonly { municipio: string; ref: SourceRef }[]): string =>
    `O órgão ${orgao} aparece em ${num(uses.length)} municípios: ` +
    `${enumerate(uses.map((u) => `${quoted(u.municipio)} (${place(u.ref)})`))}. Confira a sigla ou o município.`,
  correctionRejected: (maskedCpf: string, rejected: SourceRef, kept: SourceRef): string =>
    `A linha que corrigiria o CPF ${maskedCpf} (${place(rejected)}) foi rejeitada; ` +
    `continua valendo a anterior (${place(kept)}).`,
};

// ---------------------------------------------------------------------------------------------
// Remarks made while reading a file.

export const readWarnings = {
  emptyFile: (file: string): string => `O arquivo ${file} está vazio: nenhuma linha foi lida.`,
  titleRowsSkipped: (file: string, from: number, header: number): string =>
    `O arquivo ${file} tem ${header - from === 1 ? 'uma linha de título' : 'linhas de título'} antes do cabeçalho ` +
    `(${header - from === 1 ? `linha ${num(from)}` : `linhas ${num(from)} a ${num(header - 1)}`}); o cabeçalho é a linha ${num(header)}.`,
  noDataRows: (file: string): string => `O arquivo ${file} só tem o cabeçalho: nenhuma linha de dados.`,
  ignoredColumn: (file: string, header: string): string =>
    `Arquivo ${file}: a coluna ${quoted(header)} não faz parte do formulário e foi ignorada.`,
  duplicateColumn: (file: string, header: string, field: FieldKey, firstHeader: string): string =>
    `Arquivo ${file}: a coluna ${quoted(header)} repete o campo ${FIELD_LABELS[field]}, ` +
    `já lido da coluna ${quoted(firstHeader)}, e foi ignorada.`,
  moreIgnoredColumns: (file: string, count: number): string =>
    `Arquivo ${file}: mais ${num(count)} colunas desconhecidas foram ignoradas.`,
  unnamedColumnWithData: (file: string, columnNumber: number, firstLine: number): string =>
    `Arquivo ${file}: a coluna ${num(columnNumber)} não tem título no cabeçalho e foi ignorada, ` +
    `mas tem dados (a partir da linha ${num(firstLine)}).`,
  rowsWithExtraFields: (file: string, lines: readonly number[]): string =>
    `Arquivo ${file}: ${lines.length === 1 ? 'a linha' : `${num(lines.length)} linhas`} ` +
    `${enumerate(lines.map(num))} ${lines.length === 1 ? 'tem' : 'têm'} mais colunas preenchidas que o cabeçalho ` +
    '(talvez um ";" ou "," dentro de um campo sem aspas); as colunas a mais foram ignoradas.',
  suspectedMojibake: (file: string, line: number, sample: string): string =>
    `Arquivo ${file}, linha ${num(line)}: acentos corrompidos (${quoted(sample)}); ` +
    'o arquivo parece ter sido convertido duas vezes. Confira os nomes.',
  invalidUtf8Replaced: (file: string): string =>
    `O arquivo ${file} tem bytes que não são UTF-8 válido; foram trocados por "�". Confira os nomes.`,
  sameContent: (file: string, earlier: string): string =>
    `O arquivo ${file} tem o mesmo conteúdo de ${earlier} e foi lido só uma vez.`,
};

// ---------------------------------------------------------------------------------------------
// Why a file cannot be used at all (InputError.message).

export type NotCsvKind = 'xlsx' | 'xls' | 'pdf';

const NOT_CSV_WHAT: Readonly<Record<NotCsvKind, string>> = {
  xlsx: 'uma planilha do Excel (.xlsx) ou outro arquivo compactado',
  xls: 'uma planilha do Excel antigo (.xls)',
  pdf: 'um PDF',
};

const SAVE_AS_CSV = 'Abra a planilha e use "Salvar como" > "CSV (separado por vírgulas)".';

/** Why the file system refused a file, from the Node error code. */
export function fsErrorDetail(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'arquivo não encontrado';
    case 'EISDIR':
      return 'é uma pasta, não um arquivo';
    case 'ENOTREG':
      return 'não é um arquivo comum';
    case 'EACCES':
    case 'EPERM':
      return 'sem permissão de leitura';
    default:
      return code === undefined ? 'erro desconhecido' : `erro ${code}`;
  }
}

export const inputErrors = {
  unreadable: (file: string, detail: string): string => `Não foi possível ler o arquivo ${file}: ${detail}.`,
  tooLarge: (file: string, bytes: number, maxBytes: number): string =>
    `O arquivo ${file} tem ${num(Math.ceil(bytes / 1_048_576))} MB; o limite é ${num(maxBytes / 1_048_576)} MB.`,
  notCsv: (file: string, kind: NotCsvKind): string =>
    `O arquivo ${file} não é um CSV: parece ser ${NOT_CSV_WHAT[kind]}. ${SAVE_AS_CSV}`,
  binary: (file: string, line: number): string =>
    `O arquivo ${file} não é um CSV: tem caracteres de controle ou bytes nulos (a partir da linha ${num(line)}). ` +
    `Pode ser um arquivo binário ou em UTF-16. ${SAVE_AS_CSV}`,
  unterminatedQuote: (file: string, line: number): string =>
    `O arquivo ${file} não é um CSV válido: as aspas abertas no registro da linha ${num(line)} nunca são fechadas.`,
  tooManyColumns: (file: string, line: number, count: number, max: number): string =>
    `O arquivo ${file} não parece o formulário: o cabeçalho (linha ${num(line)}) tem ${num(count)} colunas; ` +
    `o máximo aceito é ${num(max)}.`,
  tooManyRows: (file: string, max: number): string =>
    `O arquivo ${file} tem mais de ${num(max)} linhas de dados; divida-o em arquivos menores.`,
  noRecognisableHeader: (file: string, line: number, headers: readonly string[]): string =>
    `O arquivo ${file} não tem um cabeçalho reconhecível na linha ${num(line)}: nenhuma coluna conhecida entre ` +
    `${enumerate(headers.map((h) => quoted(h, 40)), 20)}. ` +
    'A primeira linha deve ter os títulos das colunas (Município, Órgão, Nome, CPF, E-mail…).',
  doubtfulColumn: (file: string, line: number, header: string, key: 'perfil' | 'acao'): string =>
    `O arquivo ${file} tem, no cabeçalho (linha ${num(line)}), a coluna ${quoted(header, 60)}, que parece dizer ` +
    `${key === 'acao' ? 'a ação (incluir, alterar, desativar)' : 'o perfil (usuário, interlocutor, administrador)'}, mas esse título não ` +
    `é reconhecido: sem ela, toda linha seria lida como "${key === 'acao' ? 'incluir' : 'usuário'}". Renomeie a coluna para ` +
    `"${key === 'acao' ? 'Ação' : 'Perfil'}" ou acrescente o título em forms.headerAliases.${key} na configuração.`,
  missingColumns: (file: string, line: number, missing: readonly FieldKey[], headers: readonly string[]): string =>
    `O arquivo ${file} não tem ${missing.length === 1 ? 'a coluna obrigatória' : 'as colunas obrigatórias'} ` +
    `${enumerate(missing.map((k) => FIELD_LABELS[k]))}. ` +
    `Cabeçalho encontrado na linha ${num(line)}: ${enumerate(headers.map((h) => quoted(h, 40)), 20)}.`,
};
