import { expect } from 'chai';
import { guardDirectory } from '../../../src/app/guardedDirectory.js';
import { ScopeError } from '../../../src/domain/errors.js';
import { markStopping } from '../../../src/app/interruption.js';
import type { Directory } from '../../../src/ports/Directory.js';
import type { AuditRecord, Logger } from '../../../src/ports/Logger.js';

const ROOT = 'OU=SEI Cidades,DC=sei,DC=local';

function recordingDirectory(sent: string[]): Directory {
  return {
    actor: 'CN=svc,DC=sei,DC=local',
    source: 'fake',
    observe: () => Promise.reject(new Error('not used')),
    read: () => Promise.resolve(null),
    search: () => Promise.resolve([]),
    add: (dn) => {
      sent.push(`add ${dn}`);
      return Promise.resolve();
    },
    modify: (dn) => {
      sent.push(`modify ${dn}`);
      return Promise.resolve();
    },
    setPassword: (dn) => {
      sent.push(`password ${dn}`);
      return Promise.resolve();
    },
    move: (dn, newDn) => {
      sent.push(`move ${dn} -> ${newDn}`);
      return Promise.resolve();
    },
    tryBind: () => Promise.resolve({ ok: true }),
    close: () => Promise.resolve(),
  };
}

function setup() {
  const sent: string[] = [];
  const audits: AuditRecord[] = [];
  const logger: Logger = { info() {}, warn() {}, error() {}, debug() {}, audit: (r) => audits.push(r) };
  const dir = guardDirectory(recordingDirectory(sent), { managedRoot: ROOT, logger, runId: 'r1', clock: () => new Date(0) });
  return { sent, audits, dir };
}

describe('guarded directory', () => {
  it('lets writes under the managed root through and audits each one with attribute names only', async () => {
    const { sent, audits, dir } = setup();
    await dir.add(`CN=Ana,OU=PREF,OU=Usuarios,${ROOT}`, { sAMAccountName: 'ana', mail: 'a@b.c' }, 'S3gredo!Muito');
    await dir.setPassword(`CN=Ana,OU=PREF,OU=Usuarios,${ROOT}`, 'Outr0!Segredo');
    expect(sent).to.have.length(2);
    expect(audits.map((a) => a.action)).to.deep.equal(['add', 'set-password']);
    expect(audits[0]?.attributes).to.include.members(['sAMAccountName', 'mail', 'unicodePwd']);
    expect(audits[0]?.actor).to.equal('CN=svc,DC=sei,DC=local');
    expect(JSON.stringify(audits)).not.to.contain('S3gredo').and.not.to.contain('Outr0');
  });

  it('starts no new write once the run was told to stop (SIGTERM): the grace is for the journal and the mail', async () => {
    const { sent, dir } = setup();
    const ana = `CN=Ana,OU=PREF,OU=Usuarios,${ROOT}`;
    markStopping('SIGTERM');
    try {
      for (const write of [() => dir.add(ana, { sAMAccountName: 'ana' }), () => dir.setPassword(ana, 'x'), () => dir.modify(ana, []), () => dir.move(ana, `CN=Ana,OU=PMV,OU=Usuarios,${ROOT}`)]) {
        const e = await write().then(
          () => null,
          (x: unknown) => x,
        );
        expect((e as Error).message).to.contain('interrompida pelo sinal SIGTERM');
      }
    } finally {
      markStopping(undefined);
    }
    expect(sent).to.deep.equal([]);
    await dir.setPassword(ana, 'x');
    expect(sent).to.deep.equal([`password ${ana}`]);
  });

  for (const dn of [
    'CN=Administrator,CN=Users,DC=sei,DC=local',
    'CN=x,OU=Domain Controllers,DC=sei,DC=local',
    `CN=x\\,OU=Usuarios\\,${ROOT.replace(/,/g, '\\,')},OU=Domain Controllers,DC=sei,DC=local`,
    `CN=Domain Admins,${ROOT}`,
    // Twins of the root the server keeps apart from it: behind a byte-order mark (escaped), or the root itself so spelled.
    'CN=x,OU=\\EF\\BB\\BFSEI Cidades,DC=sei,DC=local',
    'OU=\\EF\\BB\\BFSEI Cidades,DC=sei,DC=local',
  ]) {
    it(`refuses before sending: ${dn}`, async () => {
      const { sent, dir } = setup();
      let error: unknown;
      try {
        await dir.modify(dn, [{ operation: 'replace', attribute: 'description', values: ['x'] }]);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ScopeError);
      expect(sent).to.deep.equal([]);
    });
  }

  it('lets through a write to an account named by hand with a decomposed accent or an invisible character, under the root', async () => {
    const { sent, dir } = setup();
    for (const dn of [`CN=${'José Souza'.normalize('NFD')},OU=PREF,OU=Usuarios,${ROOT}`, `CN=Sou\u00ADza,OU=PREF,OU=Usuarios,${ROOT}`]) {
      await dir.modify(dn, [{ operation: 'replace', attribute: 'description', values: ['x'] }]);
    }
    expect(sent).to.have.length(2);
  });

  it('refuses to put a member from outside the managed root into a managed group', async () => {
    const { sent, dir } = setup();
    let error: unknown;
    try {
      await dir.modify(`CN=SEI-PREF,OU=Grupos,${ROOT}`, [{ operation: 'add', attribute: 'member', values: ['CN=Administrator,CN=Users,DC=sei,DC=local'] }]);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ScopeError);
    expect(sent).to.deep.equal([]);
  });

  it('moves an account between OUs under the managed root, audited, and refuses a move that starts or ends outside it', async () => {
    const { sent, audits, dir } = setup();
    const from = `CN=Ana,OU=PREF,OU=Usuarios,${ROOT}`;
    const to = `CN=Ana,OU=CAM,OU=Usuarios,${ROOT}`;
    await dir.move(from, to);
    expect(sent).to.deep.equal([`move ${from} -> ${to}`]);
    expect(audits.map((a) => [a.action, a.dn, a.newDn, a.result])).to.deep.equal([['move', from, to, 'ok']]);
    for (const [a, b] of [
      [from, 'CN=Ana,CN=Users,DC=sei,DC=local'],
      ['CN=Administrator,CN=Users,DC=sei,DC=local', to],
      [ROOT, `OU=SEI Cidades,OU=PREF,OU=Usuarios,${ROOT}`],
      [from, `CN=Domain Admins,${ROOT}`],
    ] as const) {
      let error: unknown;
      try {
        await dir.move(a, b);
      } catch (e) {
        error = e;
      }
      expect(error, `${a} -> ${b}`).to.be.instanceOf(ScopeError);
    }
    expect(sent).to.have.length(1);
  });

  it('creates the managed root itself (a first run on a directory without it), but nothing above or beside it', async () => {
    const { sent, dir } = setup();
    await dir.add(ROOT, { objectClass: 'organizationalUnit' });
    expect(sent).to.deep.equal([`add ${ROOT}`]);
    for (const dn of ['DC=sei,DC=local', 'OU=SEI Cidades 2,DC=sei,DC=local']) {
      let error: unknown;
      try {
        await dir.add(dn, { objectClass: 'organizationalUnit' });
      } catch (e) {
        error = e;
      }
      expect(error, dn).to.be.instanceOf(ScopeError);
    }
    expect(sent).to.have.length(1);
  });
});
