import {
  FIELD_KEYS,
  REQUIRED_FIELDS,
  type Acao,
  type FieldKey,
  type FormRow,
  type InputWarning,
  type Perfil,
  type Person,
  type RowRejection,
  type SourceRef,
  type Superseded,
  type ValidatedBatch,
} from '../domain/form.js';
import { rejectionReasons, validationWarnings, type EmailProblem } from '../messages/forms.js';
import { cpfProblem, looksLikeScientificNotation, maskCpf, normaliseCpf } from './cpf.js';
import { foldAccents, foldKeyword, MOJIBAKE_IN_CELL, normaliseText } from './normalise.js';
import { memo } from './memo.js';

/** "-", "—", "...", "…" (what Office's AutoCorrect makes of "...") and the like: a cell that says "nothing here". */
const PLACEHOLDER = /^[-\u2010-\u2015.\u2026]+$/;

/** AD's rangeUpper for the attributes written from a field as typed: mail 256, telephoneNumber 64. */
const AD_VERBATIM_LIMITS = { email: 256, telefone: 64 } as const;

/** Longer cells are rejected unread: no form field needs more, and hostile files bring megabytes. */
export const MAX_FIELD_LENGTH = 1000;

const REQUIRED: ReadonlySet<FieldKey> = new Set(REQUIRED_FIELDS);
const ORGAO = /^[A-Za-z0-9]{2,10}$/;
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Spellings people use for each option, folded by foldKeyword. Empty means the default. */
const PERFIL_SPELLINGS: ReadonlyMap<string, Perfil> = spellings<Perfil>({
  usuario: ['usuario', 'usuaria', 'user'],
  interlocutor: ['interlocutor', 'interlocutora'],
  administrador: ['administrador', 'administradora', 'admin'],
});
const ACAO_SPELLINGS: ReadonlyMap<string, Acao> = spellings<Acao>({
  incluir: ['incluir', 'inclusao', 'cadastrar', 'cadastro'],
  alterar: ['alterar', 'alteracao', 'atualizar', 'atualizacao'],
  // Accounts are never deleted, only disabled: "exclusão" on a form asks for the same thing.
  desativar: ['desativar', 'desativacao', 'excluir', 'exclusao', 'desligamento'],
});

// Record<T, …> makes the compiler demand a row for every option the domain defines.
function spellings<T extends string>(table: Record<T, string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of Object.entries(table) as [T, string[]][]) {
    map.set(value, value);
    for (const w of words) map.set(w, value);
  }
  return map;
}

type RowOutcome =
  | { ok: true; person: Person }
  /** `cpf` is set when the CPF itself was valid, so a rejected correction can be noticed. */
  | { ok: false; problems: RowRejection[]; cpf: string | null; email: string | null };

/**
 * Validate and normalise the rows of one or more forms. Every problem of a row becomes its own
 * RowRejection (same file and line), so a city fixes everything in one pass; count rejected rows with
 * `countRejectedRows`. A rejected row never blocks the others. When a CPF appears several times the
 * last valid row wins (a correction) and the earlier ones are returned as superseded by it.
 */
export function validateRows(rows: Iterable<FormRow>, warnings: InputWarning[]): ValidatedBatch {
  const validator = new RowValidator();
  for (const row of rows) validator.add(row);
  return validator.finish(warnings);
}

/**
 * validateRows a row at a time, as the reader produces them: a raw row is validated and dropped at once, so
 * 10⁵ of them never sit in memory together (nor get copied by the garbage collector as they age), only the
 * people made from them. Rows in the order of the forms; `finish` once, after the last.
 */
export class RowValidator {
  private readonly rejected: RowRejection[] = [];
  /** Valid rows in input order, with their position among the rows added (parallel arrays). */
  private readonly valid: Person[] = [];
  private readonly validAt: number[] = [];
  /** CPF → index in `valid` of its last row. */
  private readonly lastByCpf = new Map<string, number>();
  /** CPF → position and place of its last rejected row, when the CPF itself was valid. */
  private readonly rejectedAt = new Map<string, { at: number; ref: SourceRef }>();
  private readonly rejectedEmails = new Map<string, SourceRef>();
  private readonly swallowedIn = new Set<string>();
  // One string per distinct value for the columns thousands of rows repeat (município, órgão, cargo, unidade):
  // 10⁵ people then hold a few thousand strings, not 10⁵ copies of each, and so do the plan and report made from them.
  private readonly shared = memo((s: string) => s);
  private rowsRead = 0;

  add(row: FormRow): void {
    const at = this.rowsRead++;
    // A quote left open made one record of several rows: refused whole, and every CPF it swallowed is
    // named as in the forms, so nobody in it is disabled as missing.
    if (row.overflow !== undefined) {
      this.swallowedIn.add(row.file);
      this.rejected.push({ file: row.file, line: row.line, field: row.overflow.field, reason: rejectionReasons.lineBreak(row.overflow.field) });
      for (const cpf of row.overflow.cpfs) this.rejectedAt.set(cpf, { at, ref: ref(row) });
      return;
    }
    const outcome = validateRow(row, this.shared);
    if (outcome.ok) {
      this.lastByCpf.set(outcome.person.cpf, this.valid.length);
      this.valid.push(outcome.person);
      this.validAt.push(at);
    } else {
      for (const problem of outcome.problems) this.rejected.push(problem);
      if (outcome.cpf !== null) this.rejectedAt.set(outcome.cpf, { at, ref: ref(row) });
      // A CPF cell mistyped (or in Excel's scientific notation): the e-mail still says who the row is.
      else if (outcome.email !== null) this.rejectedEmails.set(outcome.email, { file: row.file, line: row.line });
    }
  }

  finish(warnings: InputWarning[]): ValidatedBatch {
    const { valid, validAt, lastByCpf } = this;
    const people: Person[] = [];
    const superseded: Superseded[] = [];
    valid.forEach((person, i) => {
      const last = lastByCpf.get(person.cpf) ?? i;
      const winner = valid[last];
      if (last === i || winner === undefined) people.push(person);
      // `by` names the row that finally counts, even when several corrections were chained.
      else superseded.push({ ...ref(person), cpf: person.cpf, by: ref(winner) });
    });

    const newWarnings: InputWarning[] = [];
    for (const [cpf, bad] of this.rejectedAt) {
      const last = lastByCpf.get(cpf);
      const kept = last === undefined ? undefined : valid[last];
      if (last === undefined || kept === undefined || (validAt[last] ?? 0) > bad.at) continue;
      newWarnings.push({
        ...bad.ref,
        message: validationWarnings.correctionRejected(maskCpf(cpf), bad.ref, ref(kept)),
      });
    }
    // concat, not push(...): a hostile batch can produce more warnings than the call stack takes arguments.
    return {
      rowsRead: this.rowsRead,
      people,
      rejected: this.rejected,
      superseded,
      warnings: warnings.concat(newWarnings, emailWarnings(people), orgaoWarnings(people)),
      rejectedCpfs: [...this.rejectedAt.keys()],
      rejectedEmails: [...this.rejectedEmails].map(([email, source]) => ({ email, source })),
      ...(this.swallowedIn.size > 0 ? { swallowedIn: [...this.swallowedIn] } : {}),
    };
  }
}

/** Rows with at least one problem (a RowRejection is per problem, several can share a line). */
export function countRejectedRows(rejected: readonly RowRejection[]): number {
  return new Set(rejected.map((r) => `${r.line}\u0000${r.file}`)).size;
}

function validateRow(row: FormRow, shared: (s: string) => string): RowOutcome {
  const problems: RowRejection[] = [];
  // Named reads rather than a loop over FIELD_KEYS: a computed key is a slow, megamorphic lookup.
  const v = row.values;
  const municipio = textOf(row, 'municipio', v.municipio, problems);
  const orgaoText = textOf(row, 'orgao', v.orgao, problems);
  const nome = textOf(row, 'nome', v.nome, problems);
  const nomeSocial = textOf(row, 'nome_social', v.nome_social, problems);
  const cpfText = textOf(row, 'cpf', v.cpf, problems);
  const emailText = textOf(row, 'email', v.email, problems);
  const cargo = textOf(row, 'cargo', v.cargo, problems);
  const unidade = textOf(row, 'unidade', v.unidade, problems);
  const telefone = textOf(row, 'telefone', v.telefone, problems);
  const perfilText = textOf(row, 'perfil', v.perfil, problems);
  const acaoText = textOf(row, 'acao', v.acao, problems);

  let cpf: string | null = null;
  if (cpfText !== undefined) {
    const digits = normaliseCpf(cpfText);
    if (digits === null) {
      const reason = looksLikeScientificNotation(cpfText) ? rejectionReasons.cpfScientific() : rejectionReasons.cpfFormat();
      reject(problems, row, 'cpf', reason);
    } else {
      const problem = cpfProblem(digits);
      if (problem === null) cpf = digits;
      else if (problem === 'all-equal') reject(problems, row, 'cpf', rejectionReasons.cpfAllEqual());
      else reject(problems, row, 'cpf', rejectionReasons.cpfCheckDigits(maskCpf(digits)));
    }
  }

  // These go verbatim into SIP's load file, where no apostrophe may neutralise them: a value a spreadsheet
  // would run as a formula is refused here instead (no real name, unit or address starts like one).
  formulaStart(row, 'nome', nome, problems);
  formulaStart(row, 'nome_social', nomeSocial, problems);
  formulaStart(row, 'unidade', unidade, problems);
  formulaStart(row, 'email', emailText, problems);

  // Written whole, never shortened (a cut address or number is wrong): longer than AD takes, refused here
  // rather than by the directory in the middle of an apply.
  if (emailText !== undefined && emailText.length > AD_VERBATIM_LIMITS.email) {
    reject(problems, row, 'email', rejectionReasons.tooLong('email', emailText.length, AD_VERBATIM_LIMITS.email));
  }
  if (telefone !== undefined && telefone.length > AD_VERBATIM_LIMITS.telefone) {
    reject(problems, row, 'telefone', rejectionReasons.tooLong('telefone', telefone.length, AD_VERBATIM_LIMITS.telefone));
  }

  const email = emailText?.toLowerCase();
  if (email !== undefined && email.length <= AD_VERBATIM_LIMITS.email) {
    const problem = emailProblem(email);
    if (problem !== null) reject(problems, row, 'email', rejectionReasons.email(email, problem));
  }

  // Tested as typed: uppercasing first would turn "ß" into "SS" and the dotless "ı" into "I".
  const orgao = orgaoText?.toUpperCase();
  if (orgaoText !== undefined && orgao !== undefined && !ORGAO.test(orgaoText)) {
    reject(problems, row, 'orgao', rejectionReasons.orgao(orgaoText));
  }

  const perfil = perfilText === undefined ? 'usuario' : PERFIL_SPELLINGS.get(keywordOf(perfilText));
  if (perfilText !== undefined && perfil === undefined) reject(problems, row, 'perfil', rejectionReasons.perfil(perfilText));

  const acao = acaoText === undefined ? 'incluir' : ACAO_SPELLINGS.get(keywordOf(acaoText));
  if (acaoText !== undefined && acao === undefined) reject(problems, row, 'acao', rejectionReasons.acao(acaoText));

  // An undefined value always comes with a rejection; the extra tests let the compiler see it.
  if (
    problems.length > 0 ||
    municipio === undefined ||
    nome === undefined ||
    cpf === null ||
    email === undefined ||
    orgao === undefined ||
    perfil === undefined ||
    acao === undefined
  ) {
    // Field checks run after the emptiness checks; reports read best in column order.
    if (problems.length > 1) problems.sort((a, b) => fieldOrder(a.field) - fieldOrder(b.field));
    const usableEmail = email !== undefined && emailProblem(email) === null ? email : null;
    return { ok: false, problems, cpf, email: usableEmail };
  }

  const person: Person = { file: row.file, line: row.line, municipio: shared(municipio), orgao: shared(orgao), nome, cpf, email, perfil, acao };
  if (nomeSocial !== undefined) person.nomeSocial = nomeSocial;
  if (cargo !== undefined) person.cargo = shared(cargo);
  if (unidade !== undefined) person.unidade = shared(unidade);
  if (telefone !== undefined) person.telefone = telefone;
  if (perfilText === undefined) person.perfilAssumed = true;
  return { ok: true, person };
}

/** The normalised text of a field, or undefined when empty or too long (recording why, if it matters). */
function textOf(row: FormRow, key: FieldKey, raw: string | undefined, problems: RowRejection[]): string | undefined {
  // Checked before normalising so a 10 MB cell costs nothing more than its length.
  if (raw !== undefined && raw.length > MAX_FIELD_LENGTH) {
    reject(problems, row, key, rejectionReasons.tooLong(key, raw.length, MAX_FIELD_LENGTH));
    return undefined;
  }
  const text = raw === undefined ? '' : normaliseText(raw);
  // A cell holding only dashes or dots is how spreadsheets say "none": empty, not a value "-".
  const c = text.charCodeAt(0);
  const value = (c === 0x2d || c === 0x2e || (c >= 0x2010 && c <= 0x2015) || c === 0x2026) && PLACEHOLDER.test(text) ? '' : text;
  if (value !== '') {
    // Bytes the reader could not decode: an account named with them would carry the garbage for good.
    if (value.includes('\uFFFD')) {
      reject(problems, row, key, rejectionReasons.unreadable(key));
      return undefined;
    }
    const mojibake = value.includes('Ã') ? MOJIBAKE_IN_CELL.exec(value) : null;
    if (mojibake !== null) {
      reject(problems, row, key, rejectionReasons.mojibake(key, mojibake[0]));
      return undefined;
    }
    return value;
  }
  if (REQUIRED.has(key)) reject(problems, row, key, rejectionReasons.required(key));
  return undefined;
}

/** = + - @ (or their fullwidth forms): what makes Excel, LibreOffice and Google Sheets read a cell as a formula. */
function formulaStart(row: FormRow, key: FieldKey, value: string | undefined, problems: RowRejection[]): void {
  const first = value?.[0];
  if (first === undefined) return;
  const c = first.charCodeAt(0) < 0x80 ? first : first.normalize('NFKC');
  if (c === '=' || c === '+' || c === '-' || c === '@') reject(problems, row, key, rejectionReasons.formulaStart(key, first));
}

function reject(problems: RowRejection[], row: FormRow, field: FieldKey, reason: string): void {
  problems.push({ file: row.file, line: row.line, field, reason });
}

/**
 * foldKeyword, remembered: a form repeats the same few options ("Usuário", "Inclusão") on every row.
 * Bounded, so a file of unique junk values cannot grow it without limit.
 */
const keywordCache = new Map<string, string>();
function keywordOf(value: string): string {
  let folded = keywordCache.get(value);
  if (folded === undefined) {
    folded = foldKeyword(value);
    if (keywordCache.size < 1000) keywordCache.set(value, folded);
  }
  return folded;
}

function emailProblem(email: string): EmailProblem | null {
  if (email.includes(' ')) return 'spaces';
  const at = email.indexOf('@');
  if (at < 0 || email.indexOf('@', at + 1) >= 0) return 'at';
  const domain = email.slice(at + 1);
  if (!domain.includes('.')) return 'domain-dot';
  if (!EMAIL_LOCAL.test(email.slice(0, at))) return 'chars';
  if (!EMAIL_DOMAIN.test(domain)) return 'domain-chars';
  // RFC 5321: the relay refuses these, so the password would never arrive.
  if (at > 64) return 'local-long';
  if (email.length > 254) return 'too-long';
  return null;
}

function emailWarnings(people: readonly Person[]): InputWarning[] {
  // A list only for e-mails seen twice: 100,000 one-element arrays would cost more than the check.
  const firstByEmail = new Map<string, Person>();
  const shared = new Map<string, Person[]>();
  for (const p of people) {
    const first = firstByEmail.get(p.email);
    if (first === undefined) firstByEmail.set(p.email, p);
    else shared.get(p.email)?.push(p) ?? shared.set(p.email, [first, p]);
  }
  const warnings: InputWarning[] = [];
  for (const [email, list] of shared) {
    // `people` holds one person per CPF, so more than one entry means more than one CPF.
    const first = list[0];
    if (first === undefined) continue;
    const uses = list.map((p) => ({ maskedCpf: maskCpf(p.cpf), ref: ref(p) }));
    warnings.push({ ...ref(first), message: validationWarnings.emailUnderSeveralCpfs(email, uses) });
  }
  return warnings;
}

function orgaoWarnings(people: readonly Person[]): InputWarning[] {
  /** órgão → folded município → the first person seen there. */
  const byOrgao = new Map<string, Map<string, Person>>();
  const folded = new Map<string, string>();
  for (const p of people) {
    let places = byOrgao.get(p.orgao);
    if (places === undefined) byOrgao.set(p.orgao, (places = new Map()));
    // "São Paulo" and "SAO PAULO" are the same município typed twice, not a conflict.
    let key = folded.get(p.municipio);
    if (key === undefined) folded.set(p.municipio, (key = foldAccents(p.municipio)));
    if (!places.has(key)) places.set(key, p);
  }
  const warnings: InputWarning[] = [];
  for (const [orgao, places] of byOrgao) {
    if (places.size < 2) continue;
    const uses = [...places.values()].map((p) => ({ municipio: p.municipio, ref: ref(p) }));
    const first = uses[0];
    if (first === undefined) continue;
    warnings.push({ ...first.ref, message: validationWarnings.orgaoUnderSeveralMunicipios(orgao, uses) });
  }
  return warnings;
}

function ref(r: SourceRef): SourceRef {
  return { file: r.file, line: r.line };
}

function fieldOrder(field: FieldKey | null): number {
  return field === null ? -1 : FIELD_KEYS.indexOf(field);
}
