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
  it('writes the model as it is, pretty-printed, ending with a newline', () => {
    const { plan, batch } = aScenario();
    const model = summarisePlan(plan, batch);
    const text = renderReportJson(model);
    expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(model)));
    expect(text).to.match(/^\{\n {2}"changes": \[\n/);
    expect(text.endsWith('}\n')).to.equal(true);
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
