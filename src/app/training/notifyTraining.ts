import { MailError } from '../../domain/errors.js';
import type { Person } from '../../domain/form.js';
import type { Journal } from '../../ports/Journal.js';
import type { Logger } from '../../ports/Logger.js';
import type { Mailer } from '../../ports/Mailer.js';
import { trainingReadyMessage } from '../../messages/mail.js';
import { trainingMessages as m } from '../../messages/training.js';

export interface NotifyTrainingDeps {
  journal: Journal;
  mailer: Mailer;
  logger: Logger;
  runId: string;
  clock: () => Date;
  /** usuario01…usuarioNN. */
  trainingCount: number;
  trainingUrl: string;
  support: string;
}

export interface NotifyTrainingResult {
  /** Órgãos notified in this run, with who received the notice. */
  notified: { orgao: string; to: string[] }[];
  /** Órgãos with interlocutors none of whom got the notice: tried again next run. */
  undelivered: string[];
  /** pt-BR, for the terminal and the report: órgãos with no interlocutor, notices that failed. */
  warnings: string[];
}

/** The órgão's interlocutors (perfil interlocutor, not being deactivated), one address each, in form order. */
export function interlocutorsOf(people: readonly Person[], orgao: string): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => {
    if (p.orgao !== orgao || p.perfil !== 'interlocutor' || p.acao === 'desativar' || seen.has(p.email)) return false;
    seen.add(p.email);
    return true;
  });
}

/**
 * Sends the "training ready" notice once per órgão to its interlocutors and records `training-notified` in
 * the journal. An órgão with no interlocutor is not recorded (a warning says so), so the notice goes once
 * one is in the forms. If no recipient got it, nothing is recorded and the next run tries again; if some
 * did, it is recorded and the failures are warned about (resending would repeat it to the others).
 */
export async function notifyTraining(deps: NotifyTrainingDeps, orgaos: readonly string[], people: readonly Person[]): Promise<NotifyTrainingResult> {
  const result: NotifyTrainingResult = { notified: [], undelivered: [], warnings: [] };
  if (orgaos.length === 0) return result;
  const already = await deps.journal.trainingNotified();
  // Set once the server could not be reached at all (no SMTP reply): the remaining notices wait for the
  // next run instead of each waiting out its own timeouts and retries.
  let mailDown = false;
  for (const orgao of orgaos) {
    if (already.has(orgao)) continue;
    const recipients = interlocutorsOf(people, orgao);
    if (recipients.length === 0) {
      result.warnings.push(m.noInterlocutor(orgao));
      continue;
    }
    const content = trainingReadyMessage({
      orgao,
      municipio: recipients[0]?.municipio,
      count: deps.trainingCount,
      trainingUrl: deps.trainingUrl,
      support: deps.support,
    });
    const to: string[] = [];
    for (const r of recipients) {
      if (mailDown) break;
      try {
        await deps.mailer.send({ to: r.email, ...content });
        to.push(r.email);
      } catch (e) {
        const warning = m.noticeFailed(orgao, r.email, e instanceof Error ? e.message : String(e));
        result.warnings.push(warning);
        deps.logger.warn(warning, { orgao });
        if (!(e instanceof MailError && (e.permanent || e.serverResponse !== undefined))) mailDown = true;
      }
    }
    if (to.length === 0) {
      result.undelivered.push(orgao);
      result.warnings.push(m.noticeNotSent(orgao));
      continue;
    }
    await deps.journal.append({ type: 'training-notified', orgao, to, runId: deps.runId, time: deps.clock().toISOString() });
    result.notified.push({ orgao, to });
  }
  return result;
}
