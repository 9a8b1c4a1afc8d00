import { expect } from 'chai';
import { removeMembers } from '../../../src/app/removeMembers.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import type { Directory, Modification } from '../../../src/ports/Directory.js';

const GROUP = 'CN=SEI-PREF,OU=Grupos,OU=SEI Cidades,DC=sei,DC=local';
const member = (n: string): string => `CN=${n},OU=PREF,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`;
const refusal = (resultCode: number, adCode?: string): DirectoryError =>
  new DirectoryError(`recusa ${resultCode}`, { resultCode, adCode, dn: GROUP, operation: 'modify', transient: false });

/**
 * A group holding `members`; `answers` says how the server refuses a delete of a given member. Every member
 * DN named exists, except those in `gone`.
 */
function groupDirectory(members: string[], answers: Record<string, DirectoryError>, groupExists = true, gone: string[] = []) {
  const held = new Set(members);
  const sent: string[][] = [];
  const directory = {
    read: async (dn: string) => {
      const exists = dn === GROUP ? groupExists : !gone.includes(dn);
      return exists ? { dn, attributes: held.has(dn) ? { memberof: [GROUP.toLowerCase()] } : {} } : null;
    },
    modify: async (_dn: string, mods: Modification[]) => {
      const values = mods.flatMap((m) => m.values);
      sent.push(values);
      for (const v of values) {
        const answer = answers[v];
        if (answer) throw answer;
      }
      for (const v of values) held.delete(v);
    },
  } as unknown as Directory; // only read and modify are reached
  return { directory, held, sent };
}

describe('app/removeMembers', () => {
  it('takes everyone out in one modify when the server takes the batch', async () => {
    const { directory, held, sent } = groupDirectory([member('a'), member('b')], {});
    await removeMembers(directory, { kind: 'remove-member', groupDn: GROUP, memberDns: [member('a'), member('b')] });
    expect([...held]).to.deep.equal([]);
    expect(sent).to.have.length(1);
  });

  it('treats "not a member" (Samba 16, AD 53/0x561) and a member DN gone (32, Samba 53) as done, one at a time', async () => {
    const { directory, held } = groupDirectory(
      [member('a'), member('d')],
      {
        [member('b')]: refusal(16),
        [member('c')]: refusal(53, '00000561'),
        [member('x')]: refusal(32),
        [member('y')]: refusal(53, '00002035'),
        // Samba, for a member taken out before: 53 with no AD code; it no longer lists the group.
        [member('z')]: refusal(53),
      },
      true,
      [member('x'), member('y')],
    );
    await removeMembers(directory, { kind: 'remove-member', groupDn: GROUP, memberDns: [member('b'), member('a'), member('c'), member('x'), member('y'), member('z'), member('d')] });
    expect([...held]).to.deep.equal([]);
  });

  it('reports a 53 for a member still in the group: a refusal, not a member already out', async () => {
    const { directory, held } = groupDirectory([member('a'), member('b')], { [member('b')]: refusal(53, '00002035') });
    let error: unknown;
    try {
      await removeMembers(directory, { kind: 'remove-member', groupDn: GROUP, memberDns: [member('b'), member('a')] });
    } catch (e) {
      error = e;
    }
    expect((error as DirectoryError).resultCode).to.equal(53);
    expect([...held]).to.deep.equal([member('b')]);
  });

  it('reports a real refusal after taking the others out', async () => {
    // The batch is refused for a member already out (16); one at a time, b meets a real refusal.
    const { directory, held } = groupDirectory([member('a'), member('b'), member('c')], { [member('x')]: refusal(16), [member('b')]: refusal(53, '0000202F') });
    let error: unknown;
    try {
      await removeMembers(directory, { kind: 'remove-member', groupDn: GROUP, memberDns: [member('a'), member('x'), member('b'), member('c')] });
    } catch (e) {
      error = e;
    }
    expect((error as DirectoryError).resultCode).to.equal(53);
    expect([...held]).to.deep.equal([member('b')]);
  });

  it('reports a group that is not there', async () => {
    const { directory } = groupDirectory([], { [member('a')]: refusal(32) }, false);
    let error: unknown;
    try {
      await removeMembers(directory, { kind: 'remove-member', groupDn: GROUP, memberDns: [member('a')] });
    } catch (e) {
      error = e;
    }
    expect((error as DirectoryError).resultCode).to.equal(32);
  });
});
