import { expect } from 'chai';
import { deriveTrainingAccounts } from '../../../src/core/desiredState.js';
import {
  diffTrainingAccounts,
  orgaoOfTrainingDn,
  orgaosInTrainingTree,
  recordKey,
  trainingOrgaosAmong,
  trainingDriftReasons,
  type TrainingAccountView,
} from '../../../src/core/trainingDrift.js';
import { TRAINING_DN, aPolicy, groupDn, trainingOu } from '../core/builders.js';

const policy = aPolicy({ trainingCount: 3 });
const desired = deriveTrainingAccounts(['PMC', 'SMS'], policy);
const PMC_GROUP = groupDn('SEI-Treinamento-PMC');
const SMS_GROUP = groupDn('SEI-Treinamento-SMS');

/** An account exactly as the tool leaves it, with the pwdLastSet it recorded. */
function asLeft(orgao: string, n: number, overrides: Partial<TrainingAccountView> = {}): TrainingAccountView {
  const cn = `usuario0${n}`;
  return {
    dn: `CN=${cn},${trainingOu(orgao)}`,
    sAMAccountName: `${cn}.${orgao.toLowerCase()}`,
    userPrincipalName: `${cn}.${orgao.toLowerCase()}@sei.local`,
    userAccountControl: 66048,
    pwdLastSet: `13440000000000000${n}`,
    lockoutTime: '0',
    uSNChanged: '5000',
    memberOf: [groupDn(`SEI-Treinamento-${orgao}`)],
    ...overrides,
  };
}

const allAsLeft = (): TrainingAccountView[] => ['PMC', 'SMS'].flatMap((o) => [1, 2, 3].map((n) => asLeft(o, n)));
const recordOf = (accounts: TrainingAccountView[]): Map<string, string> => new Map(accounts.map((a) => [recordKey(a.sAMAccountName), a.pwdLastSet]));

describe('training drift', () => {
  it('writes nothing when every account is as the tool left it', () => {
    const observed = allAsLeft();
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.checked).to.equal(6);
    expect(drift.restore).to.deep.equal([]);
    expect(drift.missing).to.deep.equal([]);
    expect(drift.memberships).to.deep.equal([]);
  });

  it('restores a password set by someone else: pwdLastSet moved since the tool recorded it', () => {
    const recorded = recordOf(allAsLeft());
    const observed = allAsLeft();
    observed[1] = asLeft('PMC', 2, { pwdLastSet: '134400000000009999' });
    const drift = diffTrainingAccounts({ desired, observed, recorded, policy });
    expect(drift.restore).to.have.length(1);
    expect(drift.restore[0]).to.deep.include({ login: 'usuario02.pmc', cn: 'usuario02', orgao: 'PMC', reasons: ['password-changed'] });
    expect(drift.restore[0]!.replace).to.deep.equal({ lockoutTime: '0', userAccountControl: '66048' });
    expect(drift.byReason['password-changed']).to.equal(1);
  });

  it('lifts logon restrictions set by hand (expiry, hours, workstations), and only the ones set', () => {
    const never: NonNullable<TrainingAccountView['restrictions']> = { accountExpires: '9223372036854775807', logonHours: false, userWorkstations: false };
    const observed = allAsLeft().map((a) => ({ ...a, restrictions: never }));
    const recorded = recordOf(observed);
    observed[0] = { ...observed[0]!, restrictions: { ...never, accountExpires: '133800000000000000' } };
    observed[1] = { ...observed[1]!, restrictions: { accountExpires: '0', logonHours: true, userWorkstations: true } };
    observed[2] = { ...observed[2]!, restrictions: { accountExpires: undefined, logonHours: false, userWorkstations: false } };
    const drift = diffTrainingAccounts({ desired, observed, recorded, policy });
    expect(drift.restore.map((r) => [r.login, r.reasons])).to.deep.equal([
      ['usuario01.pmc', ['restrictions']],
      ['usuario02.pmc', ['restrictions']],
    ]);
    expect(drift.restore[0]!.replace).to.deep.equal({ lockoutTime: '0', userAccountControl: '66048', accountExpires: '0' });
    expect(drift.restore[1]!.replace).to.deep.equal({ lockoutTime: '0', userAccountControl: '66048', logonHours: [], userWorkstations: [] });
    expect(drift.byReason.restrictions).to.equal(2);
  });

  it('treats any other pwdLastSet as changed, also an older one or 0 (must change at logon)', () => {
    const d = desired[0]!;
    const recorded = new Map([[recordKey(d.login), '134400000000000005']]);
    expect(trainingDriftReasons(asLeft('PMC', 1, { pwdLastSet: '134400000000000001' }), d, recorded)).to.deep.equal(['password-changed']);
    expect(trainingDriftReasons(asLeft('PMC', 1, { pwdLastSet: '0' }), d, recorded)).to.deep.equal(['password-changed']);
    expect(trainingDriftReasons(asLeft('PMC', 1, { pwdLastSet: '134400000000000005' }), d, recorded)).to.deep.equal([]);
  });

  it('finds the record by login, whatever its case and wherever the account was moved', () => {
    const d = desired[0]!;
    const recorded = new Map([[recordKey(d.login), '7']]);
    const moved = asLeft('PMC', 1, { dn: `CN=usuario01,OU=Outra,${trainingOu('PMC')}`, sAMAccountName: 'USUARIO01.PMC', pwdLastSet: '7' });
    expect(trainingDriftReasons(moved, d, recorded)).to.deep.equal([]);
  });

  it('puts back an account renamed or moved by hand (SIP finds trainees by CN in the órgão OU); one only spelled otherwise stays', () => {
    const observed = allAsLeft();
    const renamed = observed[2]!; // usuario03.pmc
    renamed.dn = `CN=Fulano de Tal,${trainingOu('PMC')}`;
    const moved = observed[3]!; // usuario01.sms
    moved.dn = `CN=usuario01,${trainingOu('PMC')}`;
    const respelled = observed[4]!; // usuario02.sms
    respelled.dn = respelled.dn.toUpperCase().replace(/,/g, ', ');
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.restore.map((r) => [r.login, r.reasons, r.dn, r.moveTo])).to.deep.equal([
      ['usuario03.pmc', ['moved'], renamed.dn, `CN=usuario03,${trainingOu('PMC')}`],
      ['usuario01.sms', ['moved'], moved.dn, `CN=usuario01,${trainingOu('SMS')}`],
    ]);
    expect(drift.byReason.moved).to.equal(2);
  });

  it('names the accounts of its órgãos past the configured count (the count lowered), which it no longer restores', () => {
    const observed = [
      ...allAsLeft(),
      asLeft('PMC', 4, { sAMAccountName: 'usuario04.pmc' }),
      asLeft('PMC', 5, { sAMAccountName: 'USUARIO05.PMC' }),
      asLeft('PMC', 6, { sAMAccountName: 'instrutor.pmc' }),
      asLeft('PMC', 7, { sAMAccountName: 'usuario07.xyz' }),
      asLeft('PMC', 8, { sAMAccountName: 'usuario08.pmc', userAccountControl: 66050 }), // disabled, as the warning asks
    ];
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.surplus).to.deep.equal(['usuario04.pmc', 'usuario05.pmc']);
    expect(drift.restore).to.deep.equal([]);
  });

  it('lists the other groups training accounts were put in by hand (their password is public), by group', () => {
    const observed = allAsLeft();
    const admins = 'CN=Domain Admins,CN=Users,DC=sei,DC=local';
    observed[0]!.memberOf = [PMC_GROUP, SMS_GROUP, admins];
    observed[1]!.memberOf = [PMC_GROUP.toUpperCase(), admins];
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.otherGroups).to.deep.equal([
      { groupDn: SMS_GROUP, memberDns: [observed[0]!.dn] },
      { groupDn: admins, memberDns: [observed[0]!.dn, observed[1]!.dn] },
    ]);
    expect(drift.memberships).to.deep.equal([]);
  });

  it('recognises the órgão group in memberOf whatever the spelling of its DN', () => {
    const observed = allAsLeft();
    observed[0] = asLeft('PMC', 1, { memberOf: [PMC_GROUP.toUpperCase().replace(/,/g, ', ')] });
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.memberships).to.deep.equal([]);
  });

  it('restores a locked account (lockoutTime not 0), a disabled one (66050) and one with other flags (512)', () => {
    const observed = allAsLeft();
    const recorded = recordOf(observed);
    observed[0] = asLeft('PMC', 1, { lockoutTime: '134401321359139860' });
    observed[1] = asLeft('PMC', 2, { userAccountControl: 66050 });
    observed[2] = asLeft('PMC', 3, { userAccountControl: 512 });
    const drift = diffTrainingAccounts({ desired, observed, recorded, policy });
    expect(drift.restore.map((r) => [r.login, r.reasons])).to.deep.equal([
      ['usuario01.pmc', ['locked']],
      ['usuario02.pmc', ['disabled']],
      ['usuario03.pmc', ['flags']],
    ]);
    expect(drift.byReason).to.deep.include({ locked: 1, disabled: 1, flags: 1, 'password-changed': 0 });
  });

  it('a disabled 514 account is both disabled and has the wrong flags', () => {
    const d = desired[0]!;
    const a = asLeft('PMC', 1, { userAccountControl: 514 });
    expect(trainingDriftReasons(a, d, recordOf([a]))).to.deep.equal(['disabled', 'flags']);
  });

  it('with the record lost, every account is restored as "no-record"', () => {
    const drift = diffTrainingAccounts({ desired, observed: allAsLeft(), recorded: null, policy });
    expect(drift.restore).to.have.length(6);
    expect(drift.restore.every((r) => r.reasons.join() === 'no-record')).to.equal(true);
    expect(drift.byReason['no-record']).to.equal(6);
  });

  it('an account missing from an existing record is restored as "no-record"', () => {
    const observed = allAsLeft();
    const recorded = recordOf(observed);
    recorded.delete(recordKey(observed[4]!.sAMAccountName));
    const drift = diffTrainingAccounts({ desired, observed, recorded, policy });
    expect(drift.restore.map((r) => [r.login, r.reasons])).to.deep.equal([['usuario02.sms', ['no-record']]]);
  });

  it('rewrites a wrong UPN in the same modify', () => {
    const observed = allAsLeft();
    const recorded = recordOf(observed);
    observed[0] = asLeft('PMC', 1, { userPrincipalName: 'someone@else' });
    const drift = diffTrainingAccounts({ desired, observed, recorded, policy });
    expect(drift.restore[0]!.reasons).to.deep.equal(['attributes']);
    expect(drift.restore[0]!.replace).to.deep.equal({ lockoutTime: '0', userAccountControl: '66048', userPrincipalName: 'usuario01.pmc@sei.local' });
  });

  it('puts accounts that left their órgão group back, one add per group, without a password write', () => {
    const observed = allAsLeft();
    const recorded = recordOf(observed);
    observed[0] = asLeft('PMC', 1, { memberOf: [] });
    observed[2] = asLeft('PMC', 3, { memberOf: [SMS_GROUP] });
    observed[3] = asLeft('SMS', 1, { memberOf: [] });
    const drift = diffTrainingAccounts({ desired, observed, recorded, policy });
    expect(drift.restore).to.deep.equal([]);
    expect(drift.memberships).to.deep.equal([
      { groupDn: PMC_GROUP, memberDns: [observed[0]!.dn, observed[2]!.dn] },
      { groupDn: SMS_GROUP, memberDns: [observed[3]!.dn] },
    ]);
  });

  it('does not check membership when memberOf was not read', () => {
    const observed = allAsLeft().map(({ memberOf: _unused, ...rest }) => rest);
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.memberships).to.deep.equal([]);
  });

  it('lists desired accounts that do not exist and never restores them', () => {
    const observed = allAsLeft().filter((a) => a.sAMAccountName !== 'usuario03.sms');
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.missing.map((d) => d.login)).to.deep.equal(['usuario03.sms']);
    expect(drift.checked).to.equal(5);
    expect(drift.restore).to.deep.equal([]);
  });

  it('leaves alone accounts that are not desired (another órgão, a number above the count)', () => {
    const observed = [...allAsLeft(), asLeft('XYZ', 1, { lockoutTime: '5' }), { ...asLeft('PMC', 9), sAMAccountName: 'usuario99.pmc', userAccountControl: 514 }];
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(allAsLeft()), policy });
    expect(drift.checked).to.equal(6);
    expect(drift.restore).to.deep.equal([]);
  });

  it('correlates by login, so an account moved within the branch is restored where it is', () => {
    const moved = asLeft('PMC', 1, { dn: `CN=usuario01,OU=Antigo,${trainingOu('PMC')}`, userAccountControl: 66050 });
    const observed = [moved, ...allAsLeft().slice(1)];
    const drift = diffTrainingAccounts({ desired, observed, recorded: recordOf(observed), policy });
    expect(drift.restore.map((r) => r.dn)).to.deep.equal([moved.dn]);
  });

  it('tells the órgão of a training DN from its OU right under the branch', () => {
    expect(orgaoOfTrainingDn(`CN=usuario01,${trainingOu('PMC')}`, TRAINING_DN)).to.equal('PMC');
    expect(orgaoOfTrainingDn(`CN=usuario01,OU=x,${trainingOu('PMC')}`, TRAINING_DN)).to.equal('PMC');
    expect(orgaoOfTrainingDn(`CN=SEI-Treinamento,${TRAINING_DN}`, TRAINING_DN)).to.equal(undefined);
    expect(orgaoOfTrainingDn('CN=x,OU=Usuarios,DC=sei,DC=local', TRAINING_DN)).to.equal(undefined);
    expect(orgaosInTrainingTree([...allAsLeft(), { dn: `CN=SEI-Treinamento,${TRAINING_DN}` }], TRAINING_DN)).to.deep.equal(['PMC', 'SMS']);
    // Spelled otherwise by the server, or deeper: the slow path gives the same answer.
    const odd = [{ dn: `cn=usuario01, ou=ABC, ${TRAINING_DN.toUpperCase()}` }, { dn: `CN=usuario01,OU=x,${trainingOu('DEF')}` }, { dn: `CN=a\\,b,${trainingOu('GHI')}` }];
    expect(orgaosInTrainingTree(odd, TRAINING_DN)).to.deep.equal(['ABC', 'DEF', 'GHI']);
  });

  it('takes for an órgão only an OU holding one of its training logins, not an OU an administrator made there', () => {
    const policy = aPolicy();
    const loginsOf = (o: string) => deriveTrainingAccounts([o], policy).map((t) => t.login);
    const observed = [{ sAMAccountName: 'usuario01.pmc' }, { sAMAccountName: 'USUARIO02.SMS' }, { sAMAccountName: 'maria.instrutora' }];
    expect(trainingOrgaosAmong(['Instrutores', 'PMC', 'SMS'], observed, loginsOf)).to.deep.equal({ orgaos: ['PMC', 'SMS'], others: ['Instrutores'] });
  });

  it('handles 63,855 accounts with 1 % drifted in well under a second (no DN parsing per account)', () => {
    const big = aPolicy({ trainingCount: 99 });
    const orgaos = Array.from({ length: 645 }, (_, i) => `O${String(i).padStart(3, '0')}`);
    const want = deriveTrainingAccounts(orgaos, big);
    const observed: TrainingAccountView[] = want.map((d, i) => ({
      dn: d.dn,
      sAMAccountName: d.login,
      userPrincipalName: d.upn,
      userAccountControl: 66048,
      pwdLastSet: String(134400000000000000 + i),
      lockoutTime: '0',
      uSNChanged: '1',
      memberOf: [groupDn(`SEI-Treinamento-${d.orgao}`)],
    }));
    const recorded = recordOf(observed);
    for (let i = 0; i < observed.length; i += 100) observed[i]!.pwdLastSet = '1';
    const t0 = performance.now();
    const found = orgaosInTrainingTree(observed, TRAINING_DN);
    const drift = diffTrainingAccounts({ desired: want, observed, recorded, policy: big });
    const ms = performance.now() - t0;
    expect(found).to.have.length(645);
    expect(drift.checked).to.equal(63_855);
    expect(drift.restore).to.have.length(639);
    // About 0.4 s here; the bound leaves room for a busy machine and still catches per-account DN parsing (8 s).
    expect(ms).to.be.below(2500);
  });
});
