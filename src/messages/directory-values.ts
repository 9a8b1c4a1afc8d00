/**
 * pt-BR text the tool writes into the directory, and the sentences the pure core (names, DNs, plan,
 * scope) can raise. Changing a directory value here makes the next plan update every account that holds
 * the old text: that is intended, the directory follows this file.
 */

/** Values stored on accounts. */
export const directoryValues = {
  /** `description` of a person's account. */
  description: (municipio: string) => `SEI Cidades — ${municipio}`,
  /** Used when a disabled account's município is unknown (it left the forms) and it had no description. */
  descriptionWithoutMunicipio: 'SEI Cidades',
  /** `description` written when an account is disabled; `date` is dd/mm/aaaa. */
  withDisabledNote: (description: string, date: string) => `${description} — desativada em ${date}`,
  /** Finds a note written by withDisabledNote, so a second disable replaces it instead of stacking. */
  disabledNotePattern: / — desativada em \d{2}\/\d{2}\/\d{4}$/,
} as const;

/** Contract violations inside the core: reported as internal errors (they mean a bug or a bad config). */
export const coreMessages = {
  invalidDn: (dn: string) => `O DN "${dn}" não é válido (RFC 4514); corrija a configuração ou o arquivo de plano.`,
  invalidLoginStrategy: (strategy: string) =>
    `A estratégia de login "${strategy}" não é válida; use "first.last", "cpf" ou um modelo com {first}, {last}, {f} e {l}.`,
  invalidNow: (now: string) => `A data de referência "${now}" não é uma data ISO válida.`,
  duplicatePerson: (file: string, line: number, firstFile: string, firstLine: number) =>
    `A linha ${line} de ${file} repete o CPF da linha ${firstLine} de ${firstFile}; a validação deveria ter mantido só uma.`,
} as const;
