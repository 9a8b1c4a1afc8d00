import { cliMessages } from '../messages/cli.js';

/**
 * Imported first by the CLI, before any library reads DEBUG: ldapts's debug log prints every request in full,
 * the new passwords of adds and password sets with them (its bind password alone is hidden). `DEBUG=ldapts`, or
 * `DEBUG=*`, would put them on stderr, in the journal and in cron's mail. Those patterns are taken out; the
 * others stay.
 */
export function withoutLdaptsDebug(debug: string): { kept: string; dropped: string[] } {
  const parts = debug.split(/[\s,]+/).filter(Boolean);
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test('ldapts');
  // A negated pattern that matches ("-ldapts") wins over every other in debug: ldapts is quiet already.
  if (parts.some((p) => p.startsWith('-') && matches(p.slice(1)))) return { kept: parts.join(','), dropped: [] };
  const reaches = (p: string) => !p.startsWith('-') && matches(p);
  return { kept: parts.filter((p) => !reaches(p)).join(','), dropped: parts.filter(reaches) };
}

const debug = process.env.DEBUG;
if (debug) {
  const { kept, dropped } = withoutLdaptsDebug(debug);
  if (dropped.length > 0) {
    if (kept) process.env.DEBUG = kept;
    else delete process.env.DEBUG;
    process.stderr.write(`${cliMessages.debugDropped(dropped.join(', '))}\n`);
  }
}
