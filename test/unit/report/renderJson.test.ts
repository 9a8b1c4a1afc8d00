import { expect } from 'chai';
import { summarisePlan } from '../../../src/core/summarisePlan.js';
import { renderPlanJson, renderReportJson } from '../../../src/adapters/report/renderJson.js';
import { aScenario } from './builders.js';

/** Every object's keys, at every depth, in the order the text gives them. */
function keyOrders(v: unknown, acc: string[][] = []): string[][] {
  if (Array.isArray(v)) v.forEach((x) => keyOrders(x, acc));
  else if (v !== null && typeof v === 'object') {
    acc.push(Object.keys(v));
    Object.values(v).forEach((x) => keyOrders(x, acc));
  }
  return acc;
}

describe('renderReportJson / renderPlanJson', () => {
  it('writes every change once, one per line, ending with a newline', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    const text = renderReportJson(model);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json.changes).to.deep.equal(JSON.parse(JSON.stringify(model.changes)));
    for (const key of ['version', 'plan', 'summary', 'structureSummary', 'rejected', 'superseded', 'warnings'] as const) {
      expect(json[key], key).to.deep.equal(JSON.parse(JSON.stringify(model[key])));
    }
    expect(text).to.match(/^\{\n {2}"changes": \[\n/);
    expect(text.endsWith('}\n')).to.equal(true);
    // One line per change: the file of 10⁵ people is 10⁵ lines a diff can follow.
    const changeLines = text.split('\n').filter((l) => l.startsWith('    {"') && l.includes('"kind":'));
    expect(changeLines).to.have.length(model.changes.length);
  });

  it('lists each person once: órgãos carry counts, unchanged people their órgão', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    const json = JSON.parse(renderReportJson(model)) as {
      orgaos: Record<string, unknown>[];
      unchanged: { orgao: string; login: string }[];
    };
    expect(json.orgaos.map((o) => o.orgao)).to.deep.equal(model.orgaos.map((o) => o.orgao));
    for (const o of json.orgaos) {
      expect(o).not.to.have.property('people');
      expect(o).not.to.have.property('training');
      const source = model.orgaos.find((x) => x.orgao === o.orgao);
      expect(o.create).to.equal(source?.create);
      expect(o.trainingCreate).to.equal(source?.trainingCreate);
    }
    const unchanged = model.orgaos.flatMap((o) => o.people.unchanged.map((u) => ({ orgao: o.orgao, login: u.login })));
    expect(unchanged).to.not.be.empty;
    expect(json.unchanged.map((u) => ({ orgao: u.orgao, login: u.login }))).to.deep.equal(unchanged);
  });

  it('sorts keys at every depth, so the output does not depend on how the model was built', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    const text = renderReportJson(model);
    for (const keys of keyOrders(JSON.parse(text))) expect(keys).to.deep.equal([...keys].sort());
    const shuffled = JSON.parse(JSON.stringify(model, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ));
    expect(renderReportJson(shuffled)).to.equal(text);
  });

  it('keeps the plan whole, CPFs and change order included, for apply to read back', () => {
    const { plan, people } = aScenario();
    const text = renderPlanJson(plan);
    expect(JSON.parse(text)).to.deep.equal(plan);
    expect(text).to.contain(people.maria.cpf);
    expect((JSON.parse(text) as typeof plan).changes.map((c) => c.kind)).to.deep.equal(plan.changes.map((c) => c.kind));
  });
});
