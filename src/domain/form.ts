/** The columns of the authentication form, by canonical key. */
export const FIELD_KEYS = [
  'municipio',
  'orgao',
  'nome',
  'nome_social',
  'cpf',
  'email',
  'cargo',
  'unidade',
  'telefone',
  'perfil',
  'acao',
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

export const REQUIRED_FIELDS: readonly FieldKey[] = ['municipio', 'orgao', 'nome', 'cpf', 'email'];

export const PERFIS = ['usuario', 'interlocutor', 'administrador'] as const;
export type Perfil = (typeof PERFIS)[number];

export const ACOES = ['incluir', 'alterar', 'desativar'] as const;
export type Acao = (typeof ACOES)[number];

/** Where a record came from: the file and the physical line where the record starts (header = line 1). */
export interface SourceRef {
  file: string;
  line: number;
}

/** One data record as read from a form file, before validation. Values are raw strings. */
export interface FormRow extends SourceRef {
  values: Partial<Record<FieldKey, string>>;
  /**
   * Set when a quoted value of the record runs over a line break and carries rows with it: a quote opened
   * and never closed. `field` is the column it opened in (null for a column the tool ignores); `cpfs`, every
   * CPF in the record, the swallowed rows' included. Validation refuses the row and keeps those people from
   * being taken for missing.
   */
  overflow?: { field: FieldKey | null; cpfs: string[] };
}

/** A validated, normalised person from a form row. */
export interface Person extends SourceRef {
  municipio: string;
  /** Uppercased sigla, 2–10 letters or digits. */
  orgao: string;
  nome: string;
  nomeSocial?: string;
  /** Exactly 11 digits, check digits valid. Personal data: mask before printing. */
  cpf: string;
  /** Lowercased. */
  email: string;
  cargo?: string;
  unidade?: string;
  telefone?: string;
  perfil: Perfil;
  /**
   * True when the row left perfil blank (or had no such column) and `usuario` was assumed: a new account is
   * a usuario; an existing one keeps the perfil its groups give it (carried to its new órgão if it moves).
   */
  perfilAssumed?: true;
  acao: Acao;
}

/** A rejected row: the field at fault (null when the whole row is at fault) and a pt-BR reason. */
export interface RowRejection extends SourceRef {
  field: FieldKey | null;
  reason: string;
}

/** A non-fatal remark about the input (pt-BR), optionally tied to a place. */
export interface InputWarning {
  file?: string;
  line?: number;
  message: string;
}

/** A row replaced by a later row of the same CPF. */
export interface Superseded extends SourceRef {
  cpf: string;
  by: SourceRef;
}

/** Everything read from the input files. */
export interface FormBatch {
  inputs: { file: string; sha256: string }[];
  rows: FormRow[];
  warnings: InputWarning[];
}

/** Result of validating a batch: the people kept (one per CPF) and what was rejected. */
export interface ValidatedBatch {
  rowsRead: number;
  people: Person[];
  rejected: RowRejection[];
  superseded: Superseded[];
  warnings: InputWarning[];
  /**
   * Valid CPFs of rows that were rejected for another field: those people are still in the forms, so
   * `--disable-missing` must never disable them because of a mistake in their row.
   */
  rejectedCpfs: string[];
  /**
   * E-mails of rejected rows whose CPF cell could not be read (mistyped, scientific notation): with
   * `--disable-missing`, the account holding that address is not taken for someone who left the forms.
   */
  rejectedEmails?: { email: string; source: SourceRef }[];
  /**
   * Files where a quote left open swallowed rows: who was in them cannot all be told (a swallowed row's
   * fields past the header's width are not kept), so nobody is disabled as missing in this run.
   */
  swallowedIn?: string[];
}
