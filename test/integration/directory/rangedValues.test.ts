import { expect } from 'chai';
import type { Client } from 'ldapts';
import type { Directory } from '../../../src/ports/Directory.js';
import { newRun, newWorkDir, reader } from '../harness.js';
import { readLocalAd, upLocalAd, type LocalAdConnection } from '../localAd.js';

/**
 * Range retrieval against the real controller. Active Directory slices `member` past 1,500 values without
 * being asked; Samba slices only when the request names a range, so these searches name one (`member;range=0-4`)
 * and the adapter must follow the slices the server sends to the last.
 */
describe('reading an attribute in slices (Samba AD DC)', function () {
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
    const run = newRun(newWorkDir('sei-it-ranged-'));
    close = run.close;
    directory = await run.ctx.openDirectory();
    const tag = Date.now() % 100000;
    ou = `OU=Teste Faixas ${tag},${ad.rootOuDn}`;
    await client.add(ou, { objectClass: ['top', 'organizationalUnit'] });
    for (let n = 1; n <= 12; n++) {
      const dn = `CN=Pessoa ${n},${ou}`;
      await client.add(dn, { objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName: `faixa${n}.${tag}`, userAccountControl: '514' });
      users.push(dn);
    }
    group = `CN=Grupo Faixas,${ou}`;
    await client.add(group, { objectClass: ['top', 'group'], sAMAccountName: `grupo.faixas.${tag}`, member: users });
  });
  after(async () => {
    for (const dn of [group, ...users, ou]) await client?.del(dn).catch(() => undefined);
    await directory?.close();
    await close?.();
    await client?.unbind();
  });

  it('a search that gets the first 5 members goes on to read all 12', async () => {
    const found = await directory.search(ou, '(objectClass=group)', ['member;range=0-4', 'sAMAccountName']);
    expect(found).to.have.length(1);
    expect(Object.keys(found[0]!.attributes).sort()).to.deep.equal(['member', 'samaccountname']);
    expect([...found[0]!.attributes.member!].sort()).to.deep.equal([...users].sort());
  });

  it('so does a read of one entry, slice after slice', async () => {
    const entry = await directory.read(group, ['member;range=0-2']);
    expect(entry?.attributes.member).to.have.length(12);
    expect(new Set(entry?.attributes.member)).to.deep.equal(new Set(users));
  });
});
