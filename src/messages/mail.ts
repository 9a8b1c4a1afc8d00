/**
 * pt-BR texts of every e-mail the tool sends (text and HTML) and of mail failures. Values reach the HTML
 * only through `esc`, and reach a subject only through `oneLine`, because they come from the forms.
 */

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The label of the line that carries the temporary password in a new-account message. The password is
 * alone on that line, after this label and one space, so tests (and a person) find it without guessing.
 */
export const PASSWORD_LINE_LABEL = 'Senha temporária:';

export function esc(value: string | number): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A header value from form data must not carry a line break into the subject. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

function oneLineAll<T extends object>(values: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'string' ? oneLine(v) : v;
  return out as T;
}

/** Only http(s) addresses become links: a config value like `javascript:` stays inert text. */
function link(url: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${esc(url)}">${esc(url)}</a>` : esc(url);
}

function page(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="pt-BR">',
    '<head><meta charset="utf-8"><title>' + esc(title) + '</title></head>',
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; color: #222;">',
    body,
    '</body>',
    '</html>',
  ].join('\n');
}

const FOOTER_TEXT = 'Esta é uma mensagem automática do SEI Cidades; não responda a este e-mail.';

function orgaoLabel(orgao: string, municipio?: string): string {
  return municipio ? `${orgao} — ${municipio}` : orgao;
}

export interface NewAccountInput {
  name: string;
  login: string;
  upn: string;
  password: string;
  email: string;
  loginUrl: string;
  support: string;
  orgao: string;
  municipio: string;
}

/** The message with a new person's temporary password. The password is in the body only. */
export function newAccountMessage(input: NewAccountInput): MailContent {
  // A line break smuggled into a form field must not fake a line of its own (say, a second password line).
  const p = oneLineAll(input);
  const where = orgaoLabel(p.orgao, p.municipio);
  const subject = `SEI Cidades — sua conta de acesso (${oneLine(p.orgao)})`;
  const text = [
    `Olá, ${p.name},`,
    '',
    `Sua conta de acesso ao SEI Cidades foi criada (${where}).`,
    '',
    `Usuário (login): ${p.login}`,
    `Login alternativo: ${p.upn}`,
    `${PASSWORD_LINE_LABEL} ${p.password}`,
    '',
    'Esta senha é provisória: no primeiro acesso o sistema pedirá que você crie uma senha nova, só sua.',
    'Não repasse esta senha a ninguém. A equipe do SEI Cidades nunca pede sua senha por e-mail ou telefone.',
    '',
    `Acesse: ${p.loginUrl}`,
    '',
    `Dúvidas ou problemas: ${p.support}`,
    '',
    `Mensagem enviada para ${p.email}. ${FOOTER_TEXT}`,
    '',
  ].join('\n');
  const html = page(
    subject,
    [
      `<p>Olá, ${esc(p.name)},</p>`,
      `<p>Sua conta de acesso ao SEI Cidades foi criada (${esc(where)}).</p>`,
      '<table style="border-collapse: collapse;">',
      `<tr><td style="padding: 2px 12px 2px 0;">Usuário (login):</td><td><strong>${esc(p.login)}</strong></td></tr>`,
      `<tr><td style="padding: 2px 12px 2px 0;">Login alternativo:</td><td>${esc(p.upn)}</td></tr>`,
      `<tr><td style="padding: 2px 12px 2px 0;">${esc(PASSWORD_LINE_LABEL)}</td>` +
        `<td><code style="font-size: 16px;">${esc(p.password)}</code></td></tr>`,
      '</table>',
      '<p>Esta senha é provisória: no primeiro acesso o sistema pedirá que você crie uma senha nova, só sua.<br>',
      'Não repasse esta senha a ninguém. A equipe do SEI Cidades nunca pede sua senha por e-mail ou telefone.</p>',
      `<p>Acesse: ${link(p.loginUrl)}</p>`,
      `<p>Dúvidas ou problemas: ${esc(p.support)}</p>`,
      `<p style="color: #666; font-size: 12px;">Mensagem enviada para ${esc(p.email)}. ${esc(FOOTER_TEXT)}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}

export interface TrainingReadyInput {
  orgao: string;
  municipio?: string | undefined;
  count: number;
  trainingUrl: string;
  support: string;
}

const trainingUser = (n: number): string => `usuario${String(n).padStart(2, '0')}`;

/** Tells an órgão its training accounts exist: usuario01…usuarioNN, password equal to the user name. */
export function trainingReadyMessage(input: TrainingReadyInput): MailContent {
  const p = oneLineAll(input);
  const first = trainingUser(1);
  const last = trainingUser(p.count);
  const range = p.count === 1 ? first : `${first} a ${last}`;
  const where = orgaoLabel(p.orgao, p.municipio);
  const subject = `SEI Cidades — ambiente de treinamento pronto (${oneLine(p.orgao)})`;
  const text = [
    'Olá,',
    '',
    `O ambiente de treinamento do SEI Cidades está pronto para o órgão ${where}.`,
    '',
    `Usuários: ${range} (${p.count} ${p.count === 1 ? 'usuário' : 'usuários'})`,
    `Senha: igual ao nome do usuário (por exemplo, usuário ${first}, senha ${first})`,
    `Órgão a escolher na tela de acesso: ${p.orgao}`,
    '',
    `Acesse: ${p.trainingUrl}`,
    '',
    'Essas contas servem só para treinamento: não use dados reais nelas.',
    '',
    `Dúvidas ou problemas: ${p.support}`,
    '',
    FOOTER_TEXT,
    '',
  ].join('\n');
  const html = page(
    subject,
    [
      '<p>Olá,</p>',
      `<p>O ambiente de treinamento do SEI Cidades está pronto para o órgão <strong>${esc(where)}</strong>.</p>`,
      '<ul>',
      `<li>Usuários: <strong>${esc(range)}</strong> (${esc(p.count)} ${p.count === 1 ? 'usuário' : 'usuários'})</li>`,
      `<li>Senha: igual ao nome do usuário (por exemplo, usuário <code>${esc(first)}</code>, senha <code>${esc(first)}</code>)</li>`,
      `<li>Órgão a escolher na tela de acesso: <strong>${esc(p.orgao)}</strong></li>`,
      '</ul>',
      `<p>Acesse: ${link(p.trainingUrl)}</p>`,
      '<p>Essas contas servem só para treinamento: não use dados reais nelas.</p>',
      `<p>Dúvidas ou problemas: ${esc(p.support)}</p>`,
      `<p style="color: #666; font-size: 12px;">${esc(FOOTER_TEXT)}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}

/** Counts shown at the top of the operators' summary; absent ones are not shown. */
export interface OperatorCounts {
  created?: number;
  updated?: number;
  disabled?: number;
  rejectedRows?: number;
  failed?: number;
  credentialsSent?: number;
  credentialsPending?: number;
}

const countLabels: Record<keyof OperatorCounts, string> = {
  created: 'contas criadas',
  updated: 'contas atualizadas',
  disabled: 'contas desativadas',
  rejectedRows: 'linhas rejeitadas',
  failed: 'ações com falha',
  credentialsSent: 'senhas enviadas',
  credentialsPending: 'senhas pendentes de envio',
};

export interface OperatorSummaryInput {
  runId: string;
  /** `apply`, `sync`… */
  command: string;
  /** Already rendered in pt-BR by the caller, with CPFs masked and no password. */
  summaryText: string;
  counts: OperatorCounts;
  /** Marks the subject "requer atenção" whatever the counts (a run that stopped). */
  attention?: boolean;
}

/** A short note to the operators after apply or sync. It carries no password. */
export function operatorSummaryMessage(p: OperatorSummaryInput): MailContent {
  const lines = (Object.keys(countLabels) as (keyof OperatorCounts)[])
    .filter((k) => p.counts[k] !== undefined)
    .map((k) => ({ label: countLabels[k], value: p.counts[k] ?? 0 }));
  const attention = p.attention === true || (p.counts.failed ?? 0) + (p.counts.rejectedRows ?? 0) + (p.counts.credentialsPending ?? 0) > 0;
  const subject =
    `SEI Cidades — resumo de ${oneLine(p.command)} (${oneLine(p.runId)})` + (attention ? ' — requer atenção' : '');
  const text = [
    `Execução ${p.runId} do comando ${p.command}.`,
    '',
    ...lines.map((l) => `${l.label}: ${l.value}`),
    ...(lines.length > 0 ? [''] : []),
    p.summaryText.trimEnd(),
    '',
    FOOTER_TEXT,
    '',
  ].join('\n');
  const html = page(
    subject,
    [
      `<p>Execução <strong>${esc(p.runId)}</strong> do comando <strong>${esc(p.command)}</strong>.</p>`,
      ...(lines.length > 0 ? ['<ul>', ...lines.map((l) => `<li>${esc(l.label)}: ${esc(l.value)}</li>`), '</ul>'] : []),
      `<pre style="font-family: Consolas, monospace; font-size: 13px;">${esc(p.summaryText.trimEnd())}</pre>`,
      `<p style="color: #666; font-size: 12px;">${esc(FOOTER_TEXT)}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}

/** `sei-contas mail test <address>`: proves the relay delivers, says nothing about any account. */
export function testMessage(): MailContent {
  const subject = 'SEI Cidades — mensagem de teste';
  const body = 'Esta é uma mensagem de teste do sei-contas. Se você a recebeu, o envio de e-mails está funcionando.';
  return {
    subject,
    text: `${body}\n\nNenhuma ação é necessária.\n\n${FOOTER_TEXT}\n`,
    html: page(subject, `<p>${esc(body)}</p>\n<p>Nenhuma ação é necessária.</p>\n<p style="color: #666; font-size: 12px;">${esc(FOOTER_TEXT)}</p>`),
  };
}

/**
 * `sei-contas mail failure <unit>` (systemd's ExecStopPost): the run ended in a way that left it no chance to
 * mail its own summary or reason (killed, crashed, Node itself failing). `how` says how, in a few words.
 */
export function serviceFailureMessage(p: { unit: string; how: string; host: string; logsDir: string }): MailContent {
  const subject = `SEI Cidades — ${oneLine(p.unit)} terminou sem resumo — requer atenção`;
  const paragraphs = [
    `A execução de ${p.unit} em ${p.host} terminou de forma anormal (${p.how}) e não pôde enviar o resumo nem o motivo.`,
    `Veja o que aconteceu com "journalctl -u ${p.unit}" e nos logs em ${p.logsDir}.`,
    'O que já foi gravado no diretório fica; as senhas que não chegaram ficam pendentes e vão na próxima execução.',
  ];
  return {
    subject,
    text: `${paragraphs.join('\n\n')}\n\n${FOOTER_TEXT}\n`,
    html: page(subject, [...paragraphs.map((t) => `<p>${esc(t)}</p>`), `<p style="color: #666; font-size: 12px;">${esc(FOOTER_TEXT)}</p>`].join('\n')),
  };
}

/** pt-BR sentences for mail failures: what happened (with the server's reply), then what to do. */
export const mailMessages = {
  rejected: (to: string, reply: string) =>
    `O servidor de e-mail recusou a mensagem para ${to} de forma definitiva (resposta: ${reply}); confira o endereço no formulário.`,
  sendingPostponed: (url: string, command: string, reply: string) =>
    `O servidor de e-mail ${url} adiou o envio em ${command} (resposta: ${reply}); o problema não é o endereço das pessoas, e as senhas continuam pendentes para a próxima execução. ` +
    'Se a resposta fala de conexões ou de limite de envio, peça ao responsável pelo relay um limite maior para este servidor.',
  sendingRefused: (url: string, command: string, reply: string) =>
    `O servidor de e-mail ${url} recusou o envio em ${command} (resposta: ${reply}); o problema não é o endereço das pessoas, e as senhas continuam pendentes. ` +
    'Confira o remetente (SEI_MAIL_FROM) e a permissão deste servidor para enviar pelo relay.',
  refusedAtData: (to: string, reply: string) =>
    `O servidor de e-mail recusou o texto da mensagem para ${to} (resposta: ${reply}); a senha continua pendente e será reenviada na próxima execução. ` +
    'Se a resposta fala da caixa postal (cheia, inexistente), confira o endereço; se fala do conteúdo, veja o filtro do relay.',
  tempFailed: (to: string, reply: string) =>
    `O servidor de e-mail adiou a mensagem para ${to} (resposta: ${reply}); a senha continua pendente e será reenviada na próxima execução.`,
  connection: (url: string, detail: string) =>
    `Não foi possível conectar ao servidor de e-mail ${url} (${detail}); a senha continua pendente. Verifique endereço, porta e firewall.`,
  timeout: (url: string, ms: number) =>
    `O servidor de e-mail ${url} não respondeu em ${ms} ms; a senha continua pendente e será reenviada na próxima execução.`,
  tls: (url: string, detail: string) =>
    `O certificado do servidor de e-mail ${url} não foi aceito (${detail}); confira o arquivo da CA (SEI_SMTP_CA_FILE) e o nome do servidor.`,
  noStartTls: (url: string, reply: string) =>
    `O servidor de e-mail ${url} não aceitou STARTTLS (${reply}); o envio não continua sem criptografia. ` +
    'Use smtps:// ou um servidor com STARTTLS (SMTP sem TLS só é permitido no endereço local com mail.allowPlainLoopback).',
  auth: (url: string, user: string, reply: string) =>
    `O servidor de e-mail ${url} recusou o usuário ${user} (resposta: ${reply}); confira SEI_SMTP_USER e a senha (SEI_SMTP_PASSWORD ou SEI_SMTP_PASSWORD_FILE).`,
  other: (url: string, detail: string) => `O envio pelo servidor de e-mail ${url} falhou (${detail}); a senha continua pendente.`,
  closed: 'O envio de e-mails já foi encerrado nesta execução (erro interno).',
  invalidAddress: (to: string) =>
    `O endereço de e-mail "${to}" não é um endereço único e válido; corrija o e-mail no formulário.`,
  caUnreadable: (file: string) => `não foi possível ler o arquivo da CA do servidor de e-mail (${file})`,
  badUrl: (url: string) => `URL de SMTP inválida: ${url}; use smtps://servidor:465 ou smtp://servidor:587`,
  outboxUnwritable: (dir: string, detail: string) =>
    `Não foi possível gravar a mensagem na caixa de saída ${dir} (${detail}); verifique a pasta e suas permissões.`,
  savedToOutbox: (file: string) => `gravada em ${file}`,
} as const;
