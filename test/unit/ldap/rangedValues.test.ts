import { expect } from 'chai';
import { completeRangedValues } from '../../../src/adapters/ldap/rangedValues.js';
import { DirectoryError } from '../../../src/domain/errors.js';
import type { RawEntry } from '../../../src/ports/Directory.js';

const G = 'CN=SEI-Interlocutores,OU=Grupos,DC=x';
const members = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `CN=p${from + i},OU=U,DC=x`);

/** A server slicing `member` of G into slices of `size` values, as Active Directory does past MaxValRange. */
function slicingServer(all: string[], size: number) {
  const asked: string[] = [];
  const slice = (low: number): [string, string[]] => {
    const high = Math.min(low + size, all.length) - 1;
    return [`member;range=${low}-${high === all.length - 1 ? '*' : high}`, all.slice(low, high + 1)];
  };
  const readRange = async (dn: string, request: string): Promise<RawEntry | null> => {
    asked.push(request);
    const m = /^member;range=(\d+)-\*$/.exec(request);
    if (dn !== G || !m) return null;
    const low = Number(m[1]);
    if (low >= all.length) return { dn, attributes: {} };
    const [key, values] = slice(low);
    return { dn, attributes: { [key]: values } };
  };
  const first = (): RawEntry => {
    const [key, values] = slice(0);
    return { dn: G, attributes: { [key]: values, usnchanged: ['42'] } };
  };
  return { readRange, first, asked };
}

describe('adapters/ldap/rangedValues: an attribute sent in slices is read whole', () => {
  it('follows the slices to the one ending in *, and keeps the values under the plain name', async () => {
    const all = members(0, 3499);
    const server = slicingServer(all, 1500);
    const [entry] = await completeRangedValues([server.first()], server.readRange);
    expect(entry?.attributes).to.deep.equal({ member: all, usnchanged: ['42'] });
    expect(server.asked).to.deep.equal(['member;range=1500-*', 'member;range=3000-*']);
  });

  it('leaves an entry with every value at once as it is, asking nothing', async () => {
    const server = slicingServer([], 1500);
    const entry: RawEntry = { dn: G, attributes: { member: members(0, 2), 'member;x': [] } };
    await completeRangedValues([entry], server.readRange);
    expect(entry.attributes).to.deep.equal({ member: members(0, 2), 'member;x': [] });
    expect(server.asked).to.deep.equal([]);
  });

  it('a first slice that is already the last (range=0-*) needs no more reads', async () => {
    const server = slicingServer(members(0, 9), 1500);
    const [entry] = await completeRangedValues([server.first()], server.readRange);
    expect(entry?.attributes.member).to.have.length(10);
    expect(server.asked).to.deep.equal([]);
  });

  it('a slice that does not go on where the last ended (the group lost members meanwhile) fails the read, to be tried again', async () => {
    const all = members(0, 3999);
    const server = slicingServer(all, 1500);
    const shrinking = async (dn: string, request: string) => {
      all.length = 1200; // the group lost 2,800 members between the two reads
      return server.readRange(dn, request);
    };
    const err = await completeRangedValues([server.first()], shrinking).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DirectoryError);
    expect((err as DirectoryError).transient).to.equal(true);
    expect((err as DirectoryError).message).to.include(G).and.include('1500');
  });

  it('an entry gone between the slices fails the read too', async () => {
    const server = slicingServer(members(0, 1999), 1500);
    const err = await completeRangedValues([server.first()], async () => null).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DirectoryError);
  });
});
