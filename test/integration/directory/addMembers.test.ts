import { expect } from 'chai';
import type { Client } from 'ldapts';
import { addMembers } from '../../../src/app/addMembers.js';
import { removeMembers } from '../../../src/app/removeMembers.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import type { Directory } from '../../../src/ports/Directory.js';
import { caught, newRun, newWorkDir, reader } from '../harness.js';
import { readLocalAd, upLocalAd, type LocalAdConnection } from '../localAd.js';

/**
 * Group adds against the real controller, which answers 68 (not 20) for a member already there and 32 for
 * a member DN that does not exist: one such member must not keep the others out.
 */
describe('adding group members (Samba AD DC)', function () {
  this.timeout(60_000);
  let ad: LocalAdConnection;
  let client: Client;
  let directory: Directory;
  let close: () => Promise<void>;
  let ou: string;
  let group: string;
  const users: string[] = [];

  before(async () => {
    upLocalAd();
    ad = readLocalAd();
    client = await reader(ad);
    const run = newRun(newWorkDir('sei-it-members-'));
    close = run.close;
    directory = await run.ctx.openDirectory();
    ou = `OU=Teste Membros ${Date.now()},${ad.rootOuDn}`;
    await client.add(ou, { objectClass: ['top', 'organizationalUnit'] });
    group = `CN=Grupo Teste,${ou}`;
    await client.add(group, { objectClass: ['top', 'group'], sAMAccountName: `grupo.teste.${Date.now() % 100000}` });
    for (const n of [1, 2, 3]) {
      const dn = `CN=Pessoa ${n},${ou}`;
      await client.add(dn, { objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName: `membro${n}.${Date.now() % 100000}`, userAccountControl: '514' });
      users.push(dn);
    }
  });
  after(async () => {
    // Each suite creates and removes its own entries.
    for (const dn of [...users, group, ou]) await client?.del(dn).catch(() => undefined);
    await directory?.close();
    await close?.();
    await client?.unbind();
  });

  const members = async (): Promise<string[]> => {
    const { searchEntries } = await client.search(group, { scope: 'base', attributes: ['member'] });
    return ([] as string[]).concat((searchEntries[0]?.member as string | string[] | undefined) ?? []).sort();
  };

  it('a member already in the group does not keep the others out', async () => {
    await addMembers(directory, { kind: 'add-member', groupDn: group, memberDns: [users[0]!] });
    await addMembers(directory, { kind: 'add-member', groupDn: group, memberDns: [users[0]!, users[1]!] });
    expect(await members()).to.deep.equal([users[0]!, users[1]!].sort());
  });

  it('removes members in one go, and one no longer in the group (or gone) does not keep the others in', async () => {
    await addMembers(directory, { kind: 'add-member', groupDn: group, memberDns: users });
    await removeMembers(directory, { kind: 'remove-member', groupDn: group, memberDns: [users[0]!] });
    expect(await members()).to.deep.equal([users[1]!, users[2]!].sort());
    const ghost = users[2]!.replace('Pessoa 3', 'Pessoa Inexistente');
    await removeMembers(directory, { kind: 'remove-member', groupDn: group, memberDns: [users[0]!, ghost, users[1]!] });
    expect(await members()).to.deep.equal([users[2]!]);
    await removeMembers(directory, { kind: 'remove-member', groupDn: group, memberDns: [users[2]!] });
    expect(await members()).to.deep.equal([]);
  });

  it('a member that does not exist is reported after the others joined', async () => {
    const ghost = users[2]!.replace('Pessoa 3', 'Pessoa Inexistente');
    const error = await caught(addMembers(directory, { kind: 'add-member', groupDn: group, memberDns: [ghost, users[2]!] }));
    expect(error).to.be.instanceOf(DirectoryError);
    expect((error as DirectoryError).message).to.contain('Pessoa Inexistente');
    expect(await members()).to.include(users[2]!);
  });
});
