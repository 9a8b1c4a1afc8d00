import { expect } from 'chai';
import { timePhase } from '../../../src/app/timePhase.js';
import type { Logger } from '../../../src/ports/Logger.js';

function recordingLogger(): Logger & { debugs: { message: string; fields?: Record<string, unknown> }[] } {
  const debugs: { message: string; fields?: Record<string, unknown> }[] = [];
  const none = (): void => undefined;
  return { debugs, info: none, warn: none, error: none, audit: none, debug: (message, fields) => debugs.push({ message, ...(fields ? { fields } : {}) }) };
}

describe('timePhase', () => {
  it('returns what the step returns and logs the step with how long it took, in pt-BR and in fields', async () => {
    const logger = recordingLogger();
    const value = await timePhase(logger, 'plan', async () => {
      await new Promise((r) => setTimeout(r, 30));
      return 42;
    });
    expect(value).to.equal(42);
    expect(logger.debugs).to.have.length(1);
    const [entry] = logger.debugs;
    expect(entry?.fields?.phase).to.equal('plan');
    expect(entry?.fields?.ms).to.be.a('number').and.to.be.at.least(25);
    expect(entry?.message).to.match(/^Cálculo do plano: \d+,\d{2} s$/);
  });

  it('logs a step that fails too, and lets its error through', async () => {
    const logger = recordingLogger();
    const boom = new Error('falhou');
    let caught: unknown;
    await timePhase(logger, 'read', () => {
      throw boom;
    }).catch((e: unknown) => {
      caught = e;
    });
    expect(caught).to.equal(boom);
    expect(logger.debugs.map((d) => d.fields?.phase)).to.deep.equal(['read']);
  });
});
