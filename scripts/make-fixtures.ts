/**
 * Writes the sample forms in fixtures/ with the exact bytes each source produces: Excel pt-BR
 * (Windows-1252, ";", CRLF), a web form platform (UTF-8 with BOM, ",", LF) and a file with one of each
 * mistake. Run with `npx tsx scripts/make-fixtures.ts`; the output is committed, and
 * test/unit/forms/fixtures.test.ts checks what reading it must give.
 * People and municípios are fictitious; CPFs come from generateValidCpf, so none belongs to anyone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWindows1252 } from '../src/adapters/csv/readForms.js';
import { generateValidCpf } from '../src/core/cpf.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'fixtures');

/** A CPF shown with its usual mask. */
function masked(cpf: string): string {
  return `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
}

/** The first generated CPF from `n` on that starts with 0: what Excel shortens to 10 digits. */
function cpfWithLeadingZero(n: number): string {
  for (let i = n; ; i++) {
    const cpf = generateValidCpf(i);
    if (cpf.startsWith('0')) return cpf;
  }
}

/** CSV as spreadsheets write it: a field is quoted only when it holds the delimiter, a quote or a line break. */
function toCsv(rows: readonly (readonly string[])[], delimiter: string, eol: string): string {
  const quote = (field: string): string =>
    field.includes(delimiter) || field.includes('"') || /[\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
  return rows.map((row) => row.map(quote).join(delimiter) + eol).join('');
}

/**
 * Windows-1252 bytes of a text; throws on a character the code page lacks (Excel would write "?").
 * The table comes from the reader's own decoder: Node 20's TextDecoder gets 0x80–0x9F wrong.
 */
function encodeWindows1252(text: string): Uint8Array {
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(decodeWindows1252(Uint8Array.of(b)), b);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const b = byChar.get(ch);
    if (b === undefined) throw new Error(`fixture text has a character outside Windows-1252: ${JSON.stringify(ch)}`);
    bytes[i] = b;
  }
  return bytes;
}

function write(name: string, bytes: Uint8Array | string): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, name), bytes);
  console.log(`fixtures/${name}`);
}

// --- Excel pt-BR: two municípios, three órgãos, one interlocutor each -----------------------------

const sbj = 'saobentodojaguari.sp.gov.br';
const camara = 'camarasaobentodojaguari.sp.gov.br';
const cpa = 'conceicaodaspalmeiras.sp.gov.br';
const excelRows: string[][] = [
  ['Município', 'Sigla do órgão', 'Nome completo', 'Nome social', 'CPF', 'E-mail institucional', 'Cargo/Função', 'Unidade/Setor', 'Telefone', 'Perfil', 'Ação'],
  ['São Bento do Jaguari', 'PMSBJ', 'João Batista de Oliveira', '', masked(generateValidCpf(101)), `joao.oliveira@${sbj}`, 'Diretor de Administração', 'Secretaria de Administração', '(11) 4035-1200', 'Interlocutor', 'Inclusão'],
  ['São Bento do Jaguari', 'PMSBJ', 'Maria da Conceição Ramos', '', generateValidCpf(102), `maria.ramos@${sbj}`, 'Oficial Administrativo', 'Secretaria de Administração', '(11) 4035-1201', 'Usuário', 'Inclusão'],
  ['São Bento do Jaguari', 'PMSBJ', "Fábio Antônio Sant'Anna", '', masked(generateValidCpf(103)), `fabio.santanna@${sbj}`, 'Procurador Municipal', 'Procuradoria-Geral do Município', '(11) 4035-1210', 'Administrador', 'Inclusão'],
  // Excel shows a numeric CPF without its leading zero: 10 digits.
  ['São Bento do Jaguari', 'PMSBJ', 'Ana Cláudia D’Ávila Nogueira', '', cpfWithLeadingZero(200).slice(1), `ana.nogueira@${sbj}`, 'Assistente Social', 'Secretaria de Assistência Social', '', 'Usuário', ''],
  ['São Bento do Jaguari', 'PMSBJ', 'Luiz Gonzaga Araújo', '', masked(generateValidCpf(105)), `Luiz.Araujo@${sbj}`, 'Fiscal de Tributos', 'Secretaria de Finanças; Tributação', '', 'usuário', 'Alteração'],
  ['São Bento do Jaguari', 'cmsbj', 'Cristina Helena Siqueira', '', masked(generateValidCpf(106)), `cristina.siqueira@${camara}`, 'Diretora Legislativa', 'Secretaria da Câmara', '(11) 4035-3300', 'Interlocutor', 'Inclusão'],
  ['São Bento do Jaguari', 'CMSBJ', 'José Raimundo Gonçalves', '', masked(generateValidCpf(107)), `jose.goncalves@${camara}`, 'Assessor Parlamentar', 'Gabinete da Presidência', '', 'Usuário', 'Inclusão'],
  ['Conceição das Palmeiras', 'PMCPA', 'Antônia Aparecida Veiga', '', masked(generateValidCpf(108)), `antonia.veiga@${cpa}`, 'Chefe de Gabinete', 'Gabinete do Prefeito', '(17) 3281-9000', 'Interlocutor', 'Inclusão'],
  ['Conceição das Palmeiras', 'PMCPA', 'Sebastião Luís Peçanha', '', generateValidCpf(109), `sebastiao.pecanha@${cpa}`, 'Coordenador de Licitações', 'Departamento de Compras e Licitações', '(17) 3281-9012', 'Usuário', 'Inclusão'],
  ['Conceição das Palmeiras', 'PMCPA', 'Rafael Lima Brandão', 'Rafaela Lima Brandão', masked(generateValidCpf(110)), `rafaela.brandao@${cpa}`, 'Técnica em Informática', 'Departamento de Tecnologia da Informação', '', 'Usuário', 'Inclusão'],
  ['Conceição das Palmeiras', 'PMCPA', "Joana D'Arc Menezes", '', masked(generateValidCpf(111)), `joana.menezes@${cpa}`, 'Enfermeira', 'Secretaria de Saúde', '(17) 3281-9100', 'Usuário', 'Inclusão'],
  ['Conceição das Palmeiras', 'PMCPA', 'Benedito Márcio Falcão', '', masked(generateValidCpf(112)), `benedito.falcao@${cpa}`, 'Motorista', 'Secretaria de Obras', '', 'Usuário', 'Desativação'],
  // Excel exports rows that were only formatted as a run of delimiters.
  ['', '', '', '', '', '', '', '', '', '', ''],
];
write('formulario-excel.csv', encodeWindows1252(toCsv(excelRows, ';', '\r\n')));

// --- Web form platform: timestamp column, multi-line cell, doubled quote, comma inside a cell -------

const slp = 'santaluziadoparanapanema.sp.gov.br';
const platformRows: string[][] = [
  ['Carimbo de data/hora', 'Município', 'Órgão', 'Nome completo', 'Nome social', 'CPF', 'E-mail', 'Cargo', 'Secretaria', 'Celular', 'Perfil', 'Solicitação'],
  ['11/03/2024 09:12:44', 'Santa Luzia do Paranapanema', 'PMSLP', 'Heloísa Prado Quintana', '', masked(generateValidCpf(301)), `heloisa.quintana@${slp}`, 'Secretária de Governo', 'Secretaria de Governo', '(14) 99812-4410', 'Interlocutor', 'Inclusão'],
  ['11/03/2024 09:30:02', 'Santa Luzia do Paranapanema', 'PMSLP', 'Márcia Regina Toledo', '', masked(generateValidCpf(302)), `marcia.toledo@${slp}`, 'Coordenadora do Programa "Escola da Família"', 'Secretaria Municipal de Educação\nEMEF Profª Zulmira de Almeida', '(14) 99733-0912', 'Usuário', 'Inclusão'],
  ['11/03/2024 10:05:51', 'Santa Luzia do Paranapanema', 'PMSLP', 'Otávio Henrique Bastos', '', generateValidCpf(303), `otavio.bastos@${slp}`, 'Diretor, Departamento de Obras', 'Secretaria de Obras e Serviços', '(14) 99641-2288', 'Usuário', 'Inclusão'],
  // Typed on a Mac: decomposed accents (NFD), which must come out composed.
  ['11/03/2024 11:47:19', 'Santa Luzia do Paranapanema', 'PMSLP', 'José Antônio Rezende'.normalize('NFD'), '', masked(generateValidCpf(304)), `jose.rezende@${slp}`, 'Contador', 'Secretaria de Finanças', '', 'Administrador', 'Inclusão'],
  ['12/03/2024 08:20:37', 'Santa Luzia do Paranapanema', 'PMSLP', 'Priscila Andrade Moura', '', masked(generateValidCpf(305)), `priscila.moura@${slp}`, 'Agente Administrativa', 'Secretaria de Saúde', '(14) 99550-7731', 'Usuário', 'Inclusão'],
  ['12/03/2024 14:02:10', 'Santa Luzia do Paranapanema', 'SAAESLP', 'Valdir Correia Leme', '', masked(generateValidCpf(306)), `valdir.leme@saae.${slp}`, 'Superintendente', 'Superintendência', '(14) 3356-1100', 'Interlocutor', 'Inclusão'],
  ['12/03/2024 14:15:58', 'Santa Luzia do Paranapanema', 'SAAESLP', 'Tereza Cristina Paes', '', masked(generateValidCpf(307)), `tereza.paes@saae.${slp}`, 'Assistente Técnica', 'Departamento Comercial', '', 'Usuário', 'Inclusão'],
  ['13/03/2024 16:40:03', 'Santa Luzia do Paranapanema', 'PMSLP', 'Gilberto Nunes Carvalho', '', masked(generateValidCpf(308)), `gilberto.carvalho@${slp}`, 'Assessor Jurídico', 'Procuradoria Jurídica', '', 'Usuário', 'Desativação'],
];
write('formulario-plataforma.csv', `\uFEFF${toCsv(platformRows, ',', '\n')}`);

// --- One of each mistake, between good rows ----------------------------------------------------

const vrt = 'vilaricadotiete.sp.gov.br';
const badCheckDigit = (() => {
  const cpf = generateValidCpf(403);
  return cpf.slice(0, 10) + String((Number(cpf[10]) + 1) % 10);
})();
const errorRows: string[][] = [
  ['Município', 'Órgão', 'Nome', 'CPF', 'E-mail', 'Cargo', 'Unidade', 'Perfil', 'Ação'],
  /* 2 */ ['Vila Rica do Tietê', 'PMVRT', 'Ana Paula Teixeira', masked(generateValidCpf(401)), `ana.teixeira@${vrt}`, 'Diretora de Gestão', 'Secretaria de Gestão', 'Interlocutor', 'Inclusão'],
  /* 3 */ ['Vila Rica do Tietê', 'PMVRT', '', masked(generateValidCpf(402)), `sem.nome@${vrt}`, 'Escriturário', 'Secretaria de Gestão', 'Usuário', 'Inclusão'],
  /* 4 */ ['Vila Rica do Tietê', 'PMVRT', 'Bruno César Lacerda', masked(badCheckDigit), `bruno.lacerda@${vrt}`, 'Analista', 'Secretaria de Finanças', 'Usuário', 'Inclusão'],
  /* 5 */ ['Vila Rica do Tietê', 'PMVRT', 'Carla Beatriz Fontes', '111.111.111-11', `carla.fontes@${vrt}`, 'Analista', 'Secretaria de Finanças', 'Usuário', 'Inclusão'],
  /* 6 */ ['Vila Rica do Tietê', 'PMVRT', 'Carlos Eduardo Souza', masked(generateValidCpf(406)), `carlos.souza#${vrt}`, 'Agente Fiscal', 'Secretaria de Finanças', 'Usuário', 'Inclusão'],
  /* 7 */ ['Vila Rica do Tietê', 'P.M.V.R.T.', 'Denise Moraes Prado', masked(generateValidCpf(407)), `denise.prado@${vrt}`, 'Assistente', 'Secretaria de Saúde', 'Usuário', 'Inclusão'],
  /* 8 */ ['Vila Rica do Tietê', 'PMVRT', 'Eduardo Tavares Lins', masked(generateValidCpf(408)), `eduardo.lins@${vrt}`, 'Secretário', 'Secretaria de Obras', 'Gestor', 'Inclusão'],
  /* 9 */ ['Vila Rica do Tietê', 'PMVRT', 'Flávia Cunha Rocha', masked(generateValidCpf(409)), `flavia.rocha@${vrt}`, 'Assistente', 'Secretaria de Obras', 'Usuário', 'Transferência'],
  /* 10 */ ['Vila Rica do Tietê', 'PMVRT', 'Gustavo Henrique Paiva', masked(generateValidCpf(410)), `gustavo.paiva@${vrt}`, 'Motorista', 'Secretaria de Obras', 'Usuário', 'Inclusão'],
  // The same e-mail as line 2 under another CPF.
  /* 11 */ ['Vila Rica do Tietê', 'PMVRT', 'Igor Teixeira Bastos', masked(generateValidCpf(411)), `ana.teixeira@${vrt}`, 'Estagiário', 'Secretaria de Gestão', 'Usuário', 'Inclusão'],
  /* 12 */ ['', '', '', '', '', '', '', '', ''],
  // Correction of line 10: same CPF, the e-mail fixed. Line 10 is superseded.
  /* 13 */ ['Vila Rica do Tietê', 'PMVRT', 'Gustavo Henrique Paiva', generateValidCpf(410), `gustavo.h.paiva@${vrt}`, 'Motorista', 'Secretaria de Obras', 'Usuário', 'Alteração'],
];
write('formulario-com-erros.csv', toCsv(errorRows, ';', '\n'));
