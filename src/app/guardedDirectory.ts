import { ExitCode, ScopeError, SeiError } from '../domain/errors.js';
import { cliMessages } from '../messages/cli.js';
import { stoppingBy } from './interruption.js';
import { dnEquals } from '../core/dn.js';
import { checkScope, isPrivilegedGroup } from '../core/scope.js';
import { scopeMessages as m } from '../messages/scope.js';
import type { AttributeValues, Directory, Modification } from '../ports/Directory.js';
import type { Logger } from '../ports/Logger.js';

/**
 * Wraps a Directory so that every write is checked before it is sent — its DN, and any DN it would put in
 * a `member` value, must lie under the managed root and never be a privileged group — and leaves one audit
 * record (attribute names only, never values). Reads pass through.
 */
export function guardDirectory(inner: Directory, options: { managedRoot: string; logger: Logger; runId: string; clock: () => Date }): Directory {
  // The managed root itself is the tool's too (a first run on a directory without it creates it), though
  // it can never be a group's member.
  const isRoot = (dn: string) => dnEquals(dn, options.managedRoot);
  const inScope = (dn: string) => checkScope(dn, [options.managedRoot]) && !isRoot(dn) && !isPrivilegedGroup(dn);
  const refuse = (dn: string) => new ScopeError(m.outOfScope(dn, options.managedRoot), dn);
  const check = (dn: string, memberDns: string[] = []) => {
    // Told to stop: the writes under way end, no new one starts (the grace is for the journal and the mail).
    const signal = stoppingBy();
    if (signal !== undefined) throw new SeiError(cliMessages.noWriteAfterSignal(signal), ExitCode.partial);
    if (!inScope(dn) && !(isRoot(dn) && checkScope(dn, [options.managedRoot]))) throw refuse(dn);
    for (const member of memberDns) if (!inScope(member)) throw refuse(member);
  };
  const audited = async (action: string, dn: string, attributes: string[], op: () => Promise<void>, newDn?: string) => {
    const base = { runId: options.runId, actor: inner.actor, action, dn, attributes, ...(newDn !== undefined ? { newDn } : {}) };
    try {
      await op();
      options.logger.audit({ ...base, result: 'ok', time: options.clock().toISOString() });
    } catch (e) {
      const resultCode = typeof (e as { resultCode?: unknown }).resultCode === 'number' ? (e as { resultCode: number }).resultCode : undefined;
      options.logger.audit({ ...base, result: 'failed', ...(resultCode !== undefined ? { resultCode } : {}), time: options.clock().toISOString() });
      throw e;
    }
  };
  const membersOf = (mods: Modification[]) => mods.filter((x) => x.attribute.toLowerCase() === 'member').flatMap((x) => x.values);
  return {
    actor: inner.actor,
    get source() {
      return inner.source;
    },
    observe: (policy, now, onSearchDone) => inner.observe(policy, now, onSearchDone),
    read: (dn, attributes) => inner.read(dn, attributes),
    search: (base, filter, attributes) => inner.search(base, filter, attributes),
    tryBind: (dn, password) => inner.tryBind(dn, password),
    close: () => inner.close(),
    async add(dn: string, attributes: AttributeValues, password?: string) {
      const members = attributes.member === undefined ? [] : ([] as string[]).concat(attributes.member);
      check(dn, members);
      const names = Object.keys(attributes).concat(password === undefined ? [] : ['unicodePwd']);
      await audited('add', dn, names, () => inner.add(dn, attributes, password));
    },
    async modify(dn: string, modifications: Modification[]) {
      check(dn, membersOf(modifications));
      await audited('modify', dn, [...new Set(modifications.map((x) => x.attribute))], () => inner.modify(dn, modifications));
    },
    async move(dn: string, newDn: string) {
      check(dn);
      // Both ends strictly inside: nothing comes in from elsewhere, nothing leaves, the root itself never moves.
      for (const end of [dn, newDn]) if (!inScope(end)) throw refuse(end);
      await audited('move', dn, ['distinguishedName'], () => inner.move(dn, newDn), newDn);
    },
    async setPassword(dn: string, password: string, alsoReplace: AttributeValues = {}) {
      check(dn);
      await audited('set-password', dn, ['unicodePwd', ...Object.keys(alsoReplace)], () => inner.setPassword(dn, password, alsoReplace));
    },
  };
}
