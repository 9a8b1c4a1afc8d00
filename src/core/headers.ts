import { FIELD_KEYS, REQUIRED_FIELDS, type FieldKey } from '../domain/form.js';
import type { HeaderAliases } from '../domain/policy.js';
import { foldAccents, foldForMatch } from './normalise.js';

/**
 * Header spellings accepted out of the box. Matching ignores case, accents, spaces, `_`, `-` and `/`,
 * so each entry stands for all its variants ("E-mail" also matches "EMAIL" and "e_mail").
 * "Endereço de e-mail" is deliberately absent: Google Forms uses it for whoever filled the form.
 */
export const DEFAULT_HEADER_ALIASES: Readonly<Record<FieldKey, readonly string[]>> = {
  municipio: ['Município', 'Cidade', 'Nome do município'],
  orgao: ['Órgão', 'Sigla do órgão', 'Sigla', 'Sigla da prefeitura', 'Órgão/Sigla'],
  nome: ['Nome', 'Nome completo'],
  nome_social: ['Nome social'],
  cpf: ['CPF', 'Nº do CPF', 'Número do CPF'],
  email: ['E-mail', 'Email', 'E-mail institucional', 'Correio eletrônico'],
  cargo: ['Cargo', 'Função', 'Cargo/Função'],
  unidade: ['Unidade', 'Setor', 'Secretaria', 'Lotação', 'Unidade/Setor'],
  telefone: ['Telefone', 'Celular', 'Telefone/Celular', 'Telefone de contato'],
  perfil: ['Perfil', 'Perfil de acesso', 'Perfil no SEI'],
  acao: ['Ação', 'Solicitação', 'Tipo de solicitação'],
};

/** Folded spelling → key. */
export type HeaderIndex = ReadonlyMap<string, FieldKey>;

/**
 * The lookup used to match headers: the defaults plus the configured aliases. A configured spelling
 * that collides with a default of another key wins: the operator said so explicitly.
 */
export function buildHeaderIndex(aliases: HeaderAliases = {}): HeaderIndex {
  const index = new Map<string, FieldKey>();
  for (const key of FIELD_KEYS) {
    for (const spelling of DEFAULT_HEADER_ALIASES[key]) index.set(foldForMatch(spelling), key);
  }
  for (const key of FIELD_KEYS) {
    for (const spelling of aliases[key] ?? []) {
      const folded = foldForMatch(spelling);
      if (folded !== '') index.set(folded, key);
    }
  }
  return index;
}

// No alias is anywhere near this long; skipping the fold keeps a hostile 10 MB header cell cheap.
const MAX_MATCHABLE_HEADER = 300;
// Forms decorate questions: "CPF (somente números)", "Nome completo*", "Perfil:".
const DECORATIONS = /\([^()]*\)|[*:?]+/g;

/** The key a header feeds, or null. */
export function matchHeader(header: string, index: HeaderIndex): FieldKey | null {
  if (header.length > MAX_MATCHABLE_HEADER) return null;
  const exact = index.get(foldForMatch(header));
  if (exact !== undefined) return exact;
  const bare = foldForMatch(header.replace(DECORATIONS, ' '));
  return bare === '' ? null : (index.get(bare) ?? null);
}

export interface IgnoredColumn {
  /** 0-based column index. */
  index: number;
  header: string;
  /** Set when the header matched a key already fed by an earlier column. */
  duplicateOf?: { key: FieldKey; index: number; header: string };
}

export interface HeaderMapping {
  /** For each column, the key it feeds, or null when the column is ignored. */
  columns: (FieldKey | null)[];
  /** Required keys no column feeds. */
  missing: FieldKey[];
  /** Named columns that feed nothing: unknown headers and repeats of a key. */
  ignored: IgnoredColumn[];
  /** 0-based indexes of columns whose header cell is empty (Excel leaves these after the last column). */
  unnamed: number[];
  /**
   * Unrecognised columns whose title names the ação or the perfil ("Ação solicitada", "Perfil do usuário")
   * while no column feeds that key: read without them, every row would be "incluir" or "usuario", and a
   * "desativar" would be taken for an inclusion. A form with one of these is refused.
   */
  doubtful: { index: number; header: string; key: 'perfil' | 'acao' }[];
}

/**
 * Words that, in an unrecognised title, say the column is the ação or the perfil ("Ação solicitada", "Tipo de
 * ação", "Perfil do usuário")…
 */
const DOUBTFUL_WORDS: Readonly<Record<string, 'perfil' | 'acao'>> = { acao: 'acao', acoes: 'acao', solicitacao: 'acao', perfil: 'perfil', perfis: 'perfil' };
/** …unless the title starts by saying it is about something else: "Data da solicitação", "Link do perfil". */
const NOT_DOUBTFUL_FIRST = new Set(['data', 'hora', 'horario', 'link', 'numero', 'n', 'no', 'protocolo', 'justificativa', 'motivo', 'observacao', 'observacoes', 'descricao', 'historico', 'status', 'situacao', 'url', 'foto']);

/**
 * Map a header row to canonical keys. When two columns match the same key the first one is read: the
 * form's own column comes before anything a city appended.
 */
export function mapHeaders(headers: readonly string[], aliases: HeaderAliases = {}): HeaderMapping {
  const index = buildHeaderIndex(aliases);
  const columns: (FieldKey | null)[] = [];
  const firstColumn = new Map<FieldKey, number>();
  const ignored: IgnoredColumn[] = [];
  const unnamed: number[] = [];
  headers.forEach((header, i) => {
    const key = matchHeader(header, index);
    if (key === null) {
      columns.push(null);
      if (foldForMatch(header.slice(0, MAX_MATCHABLE_HEADER)) === '') unnamed.push(i);
      else ignored.push({ index: i, header });
      return;
    }
    const first = firstColumn.get(key);
    if (first !== undefined) {
      const firstHeader = headers[first] ?? '';
      // "Órgão" (the full name) beside "Sigla do órgão": the sigla is what the tool needs, wherever it is.
      if (key === 'orgao' && namesSigla(header) && !namesSigla(firstHeader)) {
        columns[first] = null;
        ignored.push({ index: first, header: firstHeader, duplicateOf: { key, index: i, header } });
        firstColumn.set(key, i);
        columns.push(key);
        return;
      }
      columns.push(null);
      ignored.push({ index: i, header, duplicateOf: { key, index: first, header: firstHeader } });
      return;
    }
    firstColumn.set(key, i);
    columns.push(key);
  });
  const missing = REQUIRED_FIELDS.filter((key) => !firstColumn.has(key));
  const doubtful: HeaderMapping['doubtful'] = [];
  for (const column of ignored) {
    if (column.duplicateOf !== undefined || column.header.length > MAX_MATCHABLE_HEADER) continue;
    const words = foldAccents(column.header.replace(DECORATIONS, ' ')).split(/[^a-z0-9]+/).filter((w) => w !== '');
    if (NOT_DOUBTFUL_FIRST.has(words[0] ?? '')) continue;
    const key = words.map((w) => DOUBTFUL_WORDS[w]).find((k) => k !== undefined);
    if (key !== undefined && !firstColumn.has(key)) doubtful.push({ index: column.index, header: column.header, key });
  }
  ignored.sort((a, b) => a.index - b.index);
  return { columns, missing, ignored, unnamed, doubtful };
}

const namesSigla = (header: string): boolean => foldForMatch(header.slice(0, MAX_MATCHABLE_HEADER)).includes('sigla');
