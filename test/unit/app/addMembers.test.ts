import { expect } from 'chai';
import { addMembers } from '../../../src/app/addMembers.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import type { Directory, Modification } from '../../../src/ports/Directory.js';

const GROUP = 'CN=SEI-PMC,OU=Grupos,OU=SEI Cidades,DC=sei,DC=local';
const member = (n: number): string => `CN=Pessoa ${n},OU=PMC,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local`;
const refusal = (resultCode: number): DirectoryError =>
  new DirectoryError(`recusado (${resultCode})`, { resultCode, operation: 'modify', transient: resultCode === 51 || resultCode === 80 });

/** A group that refuses the batch, then answers each member as `answers` says (undefined: joins). */
function groupAnswering(answers: Map<string, number>): { directory: Directory; joined: string[] } {
  const joined: string[] = [];
  const directory = {
    modify: async (_dn: string, mods: Modification[]) => {
      const values = mods[0]?.values ?? [];
      if (values.length > 1) throw refusal(68);
      const one = values[0] as string;
      const code = answers.get(one);
      if (code !== undefined) throw refusal(code);
      joined.push(one);
    },
  } as unknown as Directory; // modify is all addMembers uses
  return { directory, joined };
}

describe('addMembers, one member at a time after the batch was refused', () => {
  it('lets every other member join when one is refused for another reason, then reports that refusal', async () => {
    const { directory, joined } = groupAnswering(new Map([[member(2), 50]]));
    let error: unknown;
    await addMembers(directory, { kind: 'add-member', groupDn: GROUP, memberDns: [member(1), member(2), member(3)] }).catch((e: unknown) => {
      error = e;
    });
    expect(joined).to.deep.equal([member(1), member(3)]);
    expect(error).to.be.instanceOf(DirectoryError);
    expect((error as DirectoryError).resultCode).to.equal(50);
  });

  it('stops at a lost connection or a timeout instead of waiting it out for every member left', async () => {
    const { directory, joined } = groupAnswering(new Map([[member(2), 80]]));
    let error: unknown;
    await addMembers(directory, { kind: 'add-member', groupDn: GROUP, memberDns: [member(1), member(2), member(3)] }).catch((e: unknown) => {
      error = e;
    });
    expect(joined).to.deep.equal([member(1)]);
    expect((error as DirectoryError).resultCode).to.equal(80);
  });

  it('takes members already there as joined, and reports those that do not exist together', async () => {
    const { directory, joined } = groupAnswering(new Map([[member(1), 68], [member(3), 32]]));
    let error: unknown;
    await addMembers(directory, { kind: 'add-member', groupDn: GROUP, memberDns: [member(1), member(2), member(3)] }).catch((e: unknown) => {
      error = e;
    });
    expect(joined).to.deep.equal([member(2)]);
    expect((error as DirectoryError).resultCode).to.equal(32);
  });
});

describe('addMembers, when the group itself is gone', () => {
  it('says the group does not exist, instead of calling every member missing', async () => {
    const tried: string[] = [];
    const directory = {
      modify: async (_dn: string, mods: Modification[]) => {
        tried.push(...(mods[0]?.values ?? []));
        throw refusal(32);
      },
      read: async () => null,
    } as unknown as Directory; // modify and read are all addMembers uses
    let error: unknown;
    await addMembers(directory, { kind: 'add-member', groupDn: GROUP, memberDns: [member(1), member(2)] }).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.contain(`O grupo ${GROUP} não existe`).and.not.contain('membro(s) não existem');
    expect(tried).to.deep.equal([member(1), member(2)]); // the one batch, no member-by-member round
  });

  it('still goes member by member when the group is there and only a member is missing', async () => {
    const joined: string[] = [];
    const directory = {
      modify: async (_dn: string, mods: Modification[]) => {
        const values = mods[0]?.values ?? [];
        if (values.length > 1 || values[0] === member(2)) throw refusal(32);
        joined.push(values[0] as string);
      },
      read: async (dn: string) => ({ dn, attributes: { objectclass: ['group'] } }),
    } as unknown as Directory; // modify and read are all addMembers uses
    let error: unknown;
    await addMembers(directory, { kind: 'add-member', groupDn: GROUP, memberDns: [member(1), member(2)] }).catch((e: unknown) => (error = e));
    expect(joined).to.deep.equal([member(1)]);
    expect((error as Error).message).to.contain('1 membro(s) não existem');
  });
});
