import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import { renderReportCsv } from '../../../src/adapters/report/renderCsv.js';
import type { CreateUser } from '../../../src/domain/plan.js';
import { aBatch, aPerson, aPlan, aScenario, createUser, rejection, superseded, TRAINING } from './builders.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Reads the CSV back as Excel would: `;`, BOM, quotes. */
function readBack(buf: Buffer): Record<string, string>[] {
  return parse(buf, { delimiter: ';', bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];
}

/**
 * The CSV of people with these names. The names are put into the model as given: summarisePlan replaces a
 * carriage return (see its own tests), and the renderer must still quote whatever a model holds.
 */
function csvOf(...nomes: string[]): Buffer {
  const people = nomes.map((nome, i) => aPerson({ nome: `Pessoa ${i}`, line: i + 2 }));
  const plan = aPlan(people.map((p) => createUser(p, { attributes: { displayName: p.nome } })));
  const model = summarisePlan(plan, aBatch({ people }));
  for (const c of model.changes) if (c.kind === 'create-user') c.nome = nomes[c.index] ?? c.nome;
  return renderReportCsv(model);
}

describe('renderReportCsv', () => {
  it('starts with a UTF-8 BOM and separates columns with ;', () => {
    const buf = renderReportCsv(summarisePlan(aScenario().plan, aScenario().batch));
    expect(buf.subarray(0, 3).equals(BOM)).to.equal(true);
    const header = buf.subarray(3).toString('utf8').split('\r\n')[0];
    expect(header).to.equal(
      'Tipo;Órgão;Município;Login;Nome;CPF (mascarado);Perfil;DN;Detalhe;Arquivo;Linha;Campo;Motivo;Resultado;Mensagem;Código LDAP',
    );
  });

  it('ends every line with CRLF, and no line with a bare LF', () => {
    const text = csvOf('Maria da Silva').subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).to.equal(true);
    expect(text.replace(/\r\n/g, '')).not.to.match(/[\r\n]/);
  });

  it('has one row per change, one per rejection, per superseded row and per warning, the Tipo column telling which', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    const rows = readBack(renderReportCsv(model));
    // 5 training accounts of 2 órgãos: one row per órgão.
    const training = plan.changes.filter((c) => c.kind === 'create-training-account');
    expect(training).to.have.length(5);
    expect(model.warnings.length).to.be.greaterThan(0);
    expect(batch.superseded).to.have.length(1);
    expect(rows).to.have.length(plan.changes.length - training.length + 2 + batch.rejected.length + batch.superseded.length + model.warnings.length);
    expect(rows.filter((r) => r.Tipo === 'linha substituída')).to.have.length(1);
    expect(rows.filter((r) => r.Tipo === 'aviso').map((r) => r.Mensagem)).to.deep.equal(model.warnings.map((w) => w.message));
    expect(rows.filter((r) => r.Tipo === 'linha rejeitada')).to.have.length(3);
    expect(rows.filter((r) => r.Tipo === 'criar conta').map((r) => r.Login)).to.deep.equal(['maria.silva', 'carla.dias']);
    expect(rows.filter((r) => r.Tipo === 'criar conta de treinamento')).to.have.length(0);
    expect(rows.filter((r) => r.Tipo === 'criar contas de treinamento').map((r) => [r['Órgão'], r.Detalhe, r.DN])).to.deep.equal([
      ['PMSP', '3 contas: usuario01, usuario02, usuario03', `OU=PMSP,${TRAINING}`],
      ['CMSP', '2 contas: usuario01, usuario02', `OU=CMSP,${TRAINING}`],
    ]);
    const rejected = rows.find((r) => r.Tipo === 'linha rejeitada' && r.Campo === 'e-mail');
    expect(rejected).to.include({ Arquivo: 'formularios/pmsp.csv', Linha: '5', Motivo: 'e-mail inválido' });
    const update = rows.find((r) => r.Tipo === 'atualizar');
    expect(update?.Detalhe).to.equal('telefone: (vazio) → "11987654321"');
    expect(rows.find((r) => r.Tipo === 'desativar')?.['Município']).to.equal('São Paulo');
  });

  it('leaves a cell empty for a value a saved plan edited by hand lacks (a perfil it made up), never "undefined"', () => {
    const p = aPerson();
    const change = { ...createUser(p, { attributes: { displayName: p.nome } }), perfil: 'chefe' } as unknown as CreateUser;
    const rows = readBack(renderReportCsv(summarisePlan(aPlan([change]), aBatch({ people: [p] }))));
    const created = rows.find((r) => r.Tipo === 'criar conta');
    expect(created?.Perfil).to.equal('');
    expect(Object.values(created ?? {})).not.to.include('undefined');
  });

  it('quotes fields holding ; " CR or LF, doubling the quotes', () => {
    const buf = csvOf('Ana "Nina"; Souza', 'Bia\nCosta', 'Caio\rLeal');
    const text = buf.toString('utf8');
    expect(text).to.contain(';"Ana ""Nina""; Souza";');
    expect(text).to.contain(';"Bia\nCosta";');
    expect(text).to.contain(';"Caio\rLeal";');
    expect(readBack(buf).map((r) => r.Nome)).to.deep.equal(['Ana "Nina"; Souza', 'Bia\nCosta', 'Caio\rLeal']);
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    const evil = ["=cmd|' /C calc'!A0", '+1', '-1', '@SUM(A1:A9)', '\tx', '\rx'];
    const buf = csvOf(...evil);
    expect(readBack(buf).map((r) => r.Nome)).to.deep.equal(evil.map((e) => `'${e}`));
    const text = buf.toString('utf8');
    expect(text).to.contain(";'=cmd|' /C calc'!A0;");
    expect(text).to.contain(";'+1;");
    expect(text).to.contain(";'-1;");
    expect(text).to.contain(";'@SUM(A1:A9);");
    expect(text).to.contain(";'\tx;");
    expect(text).to.contain(`;"'\rx";`);
  });

  it('neutralises a formula after leading spaces, and in the full-width forms some spreadsheets read as ASCII', () => {
    const evil = [' =1+1', '\u3000+1', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20SUM(A1)'];
    expect(readBack(csvOf(...evil)).map((r) => r.Nome)).to.deep.equal(evil.map((e) => `'${e}`));
    expect(readBack(csvOf('Ana = Bia', 'José-Maria')).map((r) => r.Nome)).to.deep.equal(['Ana = Bia', 'José-Maria']);
  });

  it('after an apply, says "pendente" for a change the run never reached', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch, { outcomes: [{ index: 0, status: 'done' }] });
    const rows = readBack(renderReportCsv(model)).filter((r) => r.Tipo !== 'linha rejeitada' && r.Tipo !== 'aviso' && r.Tipo !== 'linha substituída');
    expect(rows[0]?.Resultado).to.equal('concluída');
    expect(rows.slice(1).every((r) => r.Resultado === 'pendente')).to.equal(true);
    expect(readBack(renderReportCsv(summarisePlan(plan, batch))).every((r) => r.Resultado === '')).to.equal(true);
  });

  it('neutralises formulas in rejection reasons too', () => {
    const batch = aBatch({ rejected: [rejection('a.csv', 2, { field: 'nome', reason: '=HYPERLINK("http://x")' })] });
    const [row] = readBack(renderReportCsv(summarisePlan(aPlan([]), batch)));
    expect(row?.Motivo).to.equal(`'=HYPERLINK("http://x")`);
  });

  it('lists a row a later row of the same CPF replaced, with where the correction is, CPF masked', () => {
    const p = aPerson({ nome: 'Ana Lima', file: 'pmc.csv', line: 3 });
    const batch = aBatch({ people: [{ ...p, line: 9 }], superseded: [superseded(p, 9)] });
    const rows = readBack(renderReportCsv(summarisePlan(aPlan([]), batch))).filter((r) => r.Tipo === 'linha substituída');
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ Arquivo: 'pmc.csv', Linha: '3', 'CPF (mascarado)': `***.${p.cpf.slice(3, 6)}.${p.cpf.slice(6, 9)}-**`, Mensagem: 'substituída pela linha pmc.csv:9 (mesmo CPF)' });
  });

  it('fills Resultado, Mensagem and Código LDAP after an apply', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch, { outcomes: [{ index: 2, status: 'failed', message: 'já existe', resultCode: 68 }] });
    const row = readBack(renderReportCsv(model)).find((r) => r.Login === 'maria.silva');
    expect(row).to.include({ Resultado: 'falhou', Mensagem: 'já existe', 'Código LDAP': '68' });
  });
});
