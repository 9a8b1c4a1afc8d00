import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/domain/errors.js';
import { loadConfig, readSecret } from '../../../src/config/loadConfig.js';
import { findLiteralSecrets } from '../../../src/config/validateConfig.js';

function tmpConfig(value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'sei-cfg-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

function problemsOf(fn: () => unknown): { key: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    expect((e as ConfigError).exitCode).to.equal(2);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('loads the committed defaults as they are', () => {
    const c = loadConfig({ env: {} });
    expect(c.directory.urls[0]).to.match(/^ldaps:/);
    expect(c.naming.trainingParentGroupDn).to.equal('CN=SEI-Treinamento,OU=Treinamento,OU=SEI Cidades,DC=sei,DC=local');
  });

  it('merges a --config file over the defaults', () => {
    const c = loadConfig({ configFile: tmpConfig({ directory: { concurrency: 7 } }), env: {} });
    expect(c.directory.concurrency).to.equal(7);
    expect(c.directory.poolSize).to.equal(1);
    expect(c.directory.searchConnections).to.equal(2);
  });

  it('lets the environment override the directory and mail settings', () => {
    const c = loadConfig({
      env: {
        SEI_LDAP_URL: 'ldaps://dc1.example:636,ldaps://dc2.example:636',
        SEI_LDAP_BASE_DN: 'DC=example,DC=org',
        SEI_UPN_SUFFIX: 'example.org',
        SEI_STATE_DIR: '/var/lib/sei',
        SEI_MAIL_TRANSPORT: 'smtp',
        SEI_SMTP_URL: 'smtp://relay.example:587',
      },
    });
    expect(c.directory.urls).to.deep.equal(['ldaps://dc1.example:636', 'ldaps://dc2.example:636']);
    expect(c.directory.baseDN).to.equal('DC=example,DC=org');
    expect(c.naming.upnSuffix).to.equal('example.org');
    expect(c.state.dir).to.equal('/var/lib/sei');
    expect(c.mail.transport).to.equal('smtp');
  });

  it('names every bad key', () => {
    const problems = problemsOf(() =>
      loadConfig({ configFile: tmpConfig({ directory: { poolSize: 0, colour: 'x' }, naming: { trainingCount: 100 } }), env: {} }),
    );
    const keys = problems.map((p) => p.key);
    expect(keys).to.include.members(['directory.poolSize', 'directory.colour', 'naming.trainingCount']);
  });

  it('refuses a training parent group outside the managed root, where the tool never writes', () => {
    for (const dn of ['CN=Domain Admins,CN=Users,DC=sei,DC=local', 'CN=SEI-Treinamento,OU=Outra,DC=sei,DC=local', 'não é um DN']) {
      const problems = problemsOf(() => loadConfig({ configFile: tmpConfig({ naming: { trainingParentGroupDn: dn } }), env: {} }));
      expect(problems.map((p) => p.key)).to.deep.equal(['naming.trainingParentGroupDn']);
      expect(problems[0]?.message).to.contain('OU=SEI Cidades,DC=sei,DC=local');
    }
    const inside = 'CN=Treinamento-PSO,OU=Grupos,OU=SEI Cidades,DC=sei,DC=local';
    expect(loadConfig({ configFile: tmpConfig({ naming: { trainingParentGroupDn: inside } }), env: {} }).naming.trainingParentGroupDn).to.equal(inside);
  });

  it('refuses a secret written in the config file', () => {
    const problems = problemsOf(() => loadConfig({ configFile: tmpConfig({ directory: { password: 'S3nha!' } }), env: {} }));
    expect(problems[0]?.key).to.equal('directory.password');
    expect(problems[0]?.message).to.contain('SEI_LDAP_PASSWORD');
    expect(JSON.stringify(problems)).not.to.contain('S3nha!');
    expect(findLiteralSecrets({ mail: { url: 'smtp://u:p@relay:587' } })[0]?.key).to.equal('mail.url');
  });

  it('refuses ldap:// to a remote host, and allows it to loopback only when asked', () => {
    problemsOf(() => loadConfig({ env: { SEI_LDAP_URL: 'ldap://dc1.example:389' } }));
    problemsOf(() => loadConfig({ env: { SEI_LDAP_URL: 'ldap://127.0.0.1:389' } }));
    const c = loadConfig({ configFile: tmpConfig({ directory: { allowPlainLoopback: true } }), env: { SEI_LDAP_URL: 'ldap://127.0.0.1:389' } });
    expect(c.directory.urls[0]).to.equal('ldap://127.0.0.1:389');
    const tls = loadConfig({ configFile: tmpConfig({ directory: { startTls: true } }), env: { SEI_LDAP_URL: 'ldap://dc1.example:389' } });
    expect(tls.directory.startTls).to.equal(true);
  });

  it('reports a config file that is not JSON', () => {
    const problems = problemsOf(() => loadConfig({ configFile: tmpConfig('{ nope'), env: {} }));
    expect(problems[0]?.message).to.contain('JSON');
  });

  it('never shows a password written into a URL, from a file or the environment, and refuses it', () => {
    const cases: [string | undefined, Record<string, string>][] = [
      [tmpConfig({ directory: { urls: ['ldap://svc:S3cr3t@dc01.pm.sp.gov.br'] } }), {}],
      [tmpConfig({ directory: { urls: ['ldaps://svc:S3/cr3t@dc01'] } }), {}],
      [undefined, { SEI_LDAP_URL: 'ldaps://svc:S3cr3t@dc01' }],
      [undefined, { SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: 'smtps://u:S3cr3t@relay' }],
      [undefined, { SEI_MAIL_TRANSPORT: 'smtp', SEI_SMTP_URL: 'smtps://u:S3/cr3t@relay' }],
    ];
    for (const [configFile, env] of cases) {
      const problems = problemsOf(() => loadConfig({ configFile, env }));
      const label = JSON.stringify({ configFile: configFile !== undefined, env });
      expect(JSON.stringify(problems), label).not.to.match(/S3\/?cr3t/);
      expect(problems.map((p) => p.message).join(' '), label).to.contain('não pode conter usuário ou senha');
    }
  });

  it('a config file that is not JSON is named without quoting its text (it may hold a secret typed there)', () => {
    const problems = problemsOf(() => loadConfig({ configFile: tmpConfig('{ "directory": { "password": S3cr3t-Pw } }'), env: {} }));
    expect(problems[0]?.message).to.contain('JSON').and.not.to.contain('S3cr3t');
  });

  it('refuses an operator address the mailer would refuse to send to', () => {
    // A display name turns one operator into a header nodemailer reads its own way: refused, as the mailer does.
    const problems = problemsOf(() => loadConfig({ configFile: tmpConfig({ mail: { operators: ['ok@prodesp.sp.gov.br', 'João <joao@prefeitura.sp.gov.br>'] } }), env: {} }));
    expect(problems.map((p) => p.key)).to.deep.equal(['mail.operators.1']);
  });

  it('refuses one header spelling configured for two fields, naming the second', () => {
    const problems = problemsOf(() => loadConfig({ configFile: tmpConfig({ forms: { headerAliases: { nome: ['Nome do servidor'], unidade: ['Órgão de lotação', 'NOME DO SERVIDOR'] } } }), env: {} }));
    expect(problems.map((p) => p.key)).to.deep.equal(['forms.headerAliases.unidade.1']);
    expect(problems[0]?.message).to.contain('forms.headerAliases.nome');
    // The same spelling twice under one key is harmless.
    expect(loadConfig({ configFile: tmpConfig({ forms: { headerAliases: { nome: ['Servidor', 'servidor'] } } }), env: {} }).forms.headerAliases.nome).to.have.length(2);
  });

  it('reads a secret from the environment or from a file', () => {
    expect(readSecret({ SEI_LDAP_PASSWORD: 'a' }, 'SEI_LDAP_PASSWORD')).to.equal('a');
    const f = tmpConfig('from-file\n');
    expect(readSecret({ SEI_LDAP_PASSWORD_FILE: f }, 'SEI_LDAP_PASSWORD')).to.equal('from-file');
    problemsOf(() => readSecret({}, 'SEI_LDAP_PASSWORD'));
  });

  it('drops a BOM and every trailing line break from a secret file, and refuses an empty one or both ways at once', () => {
    expect(readSecret({ SEI_LDAP_PASSWORD_FILE: tmpConfig('\uFEFFs3nh@ com espaço\r\n\r\n') }, 'SEI_LDAP_PASSWORD')).to.equal('s3nh@ com espaço');
    // Empty would be an anonymous bind, and the error would come from the server, if at all.
    for (const empty of ['', '\n', '\r\n\n', '\uFEFF\n']) {
      const problems = problemsOf(() => readSecret({ SEI_LDAP_PASSWORD_FILE: tmpConfig(empty) }, 'SEI_LDAP_PASSWORD'));
      expect(problems.map((p) => p.key), JSON.stringify(empty)).to.deep.equal(['SEI_LDAP_PASSWORD_FILE']);
      expect(problems[0]?.message).to.contain('vazio');
    }
    const both = problemsOf(() => readSecret({ SEI_LDAP_PASSWORD: 'a', SEI_LDAP_PASSWORD_FILE: tmpConfig('b') }, 'SEI_LDAP_PASSWORD'));
    expect(both.map((p) => p.message).join()).to.contain('SEI_LDAP_PASSWORD_FILE').and.not.to.match(/\ba\b|\bb\b/);
  });
});
