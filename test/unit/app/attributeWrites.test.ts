import { expect } from 'chai';
import { attributeWrites } from '../../../src/app/applyPlan.js';

describe('attributeWrites: an update written only over the values the plan saw', () => {
  it('swaps a value by deleting the old one by value and adding the new one', () => {
    expect(attributeWrites([{ attribute: 'title', before: 'Analista', after: 'Coordenadora' }])).to.deep.equal([
      { operation: 'delete', attribute: 'title', values: ['Analista'] },
      { operation: 'add', attribute: 'title', values: ['Coordenadora'] },
    ]);
  });

  it('adds a value where there was none (refused if one appeared), and clears one by its value', () => {
    expect(
      attributeWrites([
        { attribute: 'telephoneNumber', before: null, after: '(11) 4000-0000' },
        { attribute: 'department', before: 'Saúde', after: null },
      ]),
    ).to.deep.equal([
      { operation: 'add', attribute: 'telephoneNumber', values: ['(11) 4000-0000'] },
      { operation: 'delete', attribute: 'department', values: ['Saúde'] },
    ]);
  });

  it('writes nothing for no change', () => {
    expect(attributeWrites([])).to.deep.equal([]);
  });
});
