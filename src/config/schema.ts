import { z } from 'zod';
import { FIELD_KEYS, PERFIS } from '../domain/form.js';
import { configMessages as m } from '../messages/config.js';
import { isSingleAddress } from '../core/mailbox.js';
import { foldForMatch } from '../core/normalise.js';

const positiveInt = z.number().int().positive();

/** A header spelling given under two keys: which column feeds which field would depend on the order of keys. */
function oneKeyPerSpelling(aliases: Partial<Record<string, string[]>>, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  for (const [key, spellings] of Object.entries(aliases)) {
    (spellings ?? []).forEach((spelling, i) => {
      const folded = foldForMatch(spelling);
      const earlier = seen.get(folded);
      if (earlier !== undefined && earlier !== key) ctx.addIssue({ code: 'custom', path: [key, i], message: m.aliasTwice(spelling, earlier) });
      else seen.set(folded, key);
    });
  }
}

export const configSchema = z
  .object({
    directory: z
      .object({
        urls: z.array(z.string().min(1)).min(1),
        bindDN: z.string(),
        baseDN: z.string().min(1, m.baseDnRequired),
        caFile: z.string(),
        startTls: z.boolean(),
        allowPlainLoopback: z.boolean(),
        connectTimeoutMs: positiveInt,
        timeoutMs: positiveInt,
        poolSize: positiveInt.max(16),
        searchConnections: positiveInt.max(8),
        concurrency: positiveInt.max(64),
        pageSize: positiveInt.max(5000),
        retries: z.number().int().min(0).max(10),
      })
      .strict(),
    naming: z
      .object({
        upnSuffix: z.string().min(1),
        rootOu: z.string().min(1),
        usersOu: z.string().min(1),
        trainingOu: z.string().min(1),
        groupsOu: z.string().min(1),
        loginStrategy: z.string().min(1),
        orgaoGroup: z.string().min(1),
        perfilGroups: z.partialRecord(z.enum(PERFIS), z.string().min(1)),
        trainingCount: z.number().int().min(1).max(99),
        trainingGroup: z.string().min(1),
        /** Empty: `CN=SEI-Treinamento,OU=<trainingOu>,OU=<rootOu>,<baseDN>`. */
        trainingParentGroupDn: z.string(),
      })
      .strict(),
    forms: z
      .object({
        encoding: z.enum(['auto', 'utf-8', 'windows-1252']),
        headerAliases: z.partialRecord(z.enum(FIELD_KEYS), z.array(z.string().min(1))).superRefine(oneKeyPerSpelling),
      })
      .strict(),
    mail: z
      .object({
        transport: z.enum(['smtp', 'file'], { message: m.mailTransport }),
        outbox: z.string().min(1),
        url: z.string().min(1),
        allowPlainLoopback: z.boolean(),
        user: z.string(),
        caFile: z.string(),
        from: z.string().min(3),
        concurrency: positiveInt.max(32),
        timeoutMs: positiveInt,
        retries: z.number().int().min(0).max(10),
        loginUrl: z.string().min(1),
        trainingUrl: z.string().min(1),
        support: z.string().min(1),
        // The rule the mailer sends by: an address it would refuse must not pass here and fail every night.
        operators: z.array(z.string().refine(isSingleAddress, { message: m.operatorAddress })),
      })
      .strict(),
    passwords: z.object({ length: z.number().int().min(12).max(64) }).strict(),
    state: z.object({ dir: z.string().min(1) }).strict(),
    reports: z.object({ dir: z.string().min(1) }).strict(),
    logs: z
      .object({
        dir: z.string().min(1),
        level: z.enum(['error', 'warn', 'info', 'debug']),
        retentionDays: positiveInt.max(3650),
      })
      .strict(),
    safety: z
      .object({
        disableMaxPercent: z.number().min(0).max(100),
        disableMaxCount: z.number().int().min(0),
        moveMaxPercent: z.number().min(0).max(100),
        moveMaxCount: z.number().int().min(0),
        removalMaxPercent: z.number().min(0).max(100),
        removalMaxCount: z.number().int().min(0),
        duplicateMaxPercent: z.number().min(0).max(100),
        duplicateMaxCount: z.number().int().min(0),
        orgaoDisableMaxPercent: z.number().min(0).max(100),
        orgaoDisableMinAccounts: z.number().int().min(0),
      })
      .strict(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
