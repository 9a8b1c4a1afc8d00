import { createInterface } from 'node:readline/promises';

/**
 * Asks a yes/no question on the terminal; only "sim" (or s, y, yes) is a yes. Ctrl-C or Ctrl-D at the
 * question is a no, the same as typing "não": nothing was written yet, so the run ends as declined.
 */
export async function askOnTerminal(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<boolean> {
  const rl = createInterface({ input, output });
  // A question left pending when the input closes never settles on Node 20: the abort ends it.
  const unanswered = new AbortController();
  rl.on('close', () => unanswered.abort());
  // Without a listener readline only pauses on Ctrl-C.
  rl.on('SIGINT', () => {
    output.write('\n');
    rl.close();
  });
  try {
    return /^\s*(s|sim|y|yes)\s*$/i.test(await rl.question(question, { signal: unanswered.signal }));
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e && e.code === 'ABORT_ERR') return false;
    throw e;
  } finally {
    rl.close();
  }
}
