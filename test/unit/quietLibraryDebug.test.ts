import { expect } from 'chai';
import { withoutLdaptsDebug } from '../../src/cli/quietLibraryDebug.js';

describe('cli/quietLibraryDebug: no library debug log that would print passwords', () => {
  it('takes out the DEBUG patterns that reach ldapts, keeps the others', () => {
    expect(withoutLdaptsDebug('ldapts')).to.deep.equal({ kept: '', dropped: ['ldapts'] });
    expect(withoutLdaptsDebug('*')).to.deep.equal({ kept: '', dropped: ['*'] });
    expect(withoutLdaptsDebug('express:*,ldap*,nodemailer')).to.deep.equal({ kept: 'express:*,nodemailer', dropped: ['ldap*'] });
    expect(withoutLdaptsDebug('*,-ldapts')).to.deep.equal({ kept: '*,-ldapts', dropped: [] });
    expect(withoutLdaptsDebug('mocha:*')).to.deep.equal({ kept: 'mocha:*', dropped: [] });
  });
});
