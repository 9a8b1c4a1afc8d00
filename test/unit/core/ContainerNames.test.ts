import { expect } from 'chai';
import { ContainerNames } from '../../../src/core/ContainerNames.js';
import { foldCn } from '../../../src/core/names.js';

describe('core/ContainerNames', () => {
  const ou = 'OU=PM0001,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
  const otherSpelling = 'ou=pm0001, ou=usuarios,ou=sei cidades,dc=SEI,dc=local';

  it('knows a name in a container however its DN is spelled, before and after it was asked under either', () => {
    const names = new ContainerNames([`CN=Ana Lima,${ou}`]);
    expect(names.has(otherSpelling, foldCn('ANA LIMA'))).to.equal(true);
    names.add(otherSpelling, 'José Silva');
    expect(names.has(ou, foldCn('jose silva'))).to.equal(true);
    expect(names.has(otherSpelling, foldCn('José Silva'))).to.equal(true);
  });

  it('keeps containers apart, and records a name under the folded form given', () => {
    const names = new ContainerNames([]);
    names.add(ou, 'Ana Lima', foldCn('Ana Lima'));
    expect(names.has('OU=PM0002,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local', foldCn('Ana Lima'))).to.equal(false);
    // A container first met empty, then filled under another spelling.
    const later = 'OU=PM0003,OU=Usuarios,OU=SEI Cidades,DC=sei,DC=local';
    expect(names.has(later, 'x')).to.equal(false);
    names.add(later.toLowerCase(), 'X');
    expect(names.has(later, 'x')).to.equal(true);
  });
});
