/**
 * JSON for files people diff and tools read: keys sorted at every depth, so two runs of the same plan
 * give the same bytes; the outer objects spread over lines, and every element of an array on a line of
 * its own, written compactly. A report of 10⁵ changes is then 10⁵ lines, not millions, and is produced
 * piece by piece, so it never has to exist as one string.
 *
 * Same values as JSON.stringify: keys holding `undefined` are left out, `undefined` in an array is null.
 */
export function* stableJsonChunks(value: unknown): Generator<string> {
  yield* spread(value, '');
  yield '\n';
}

/** The whole text at once (small documents, tests). */
export function stableJson(value: unknown): string {
  return [...stableJsonChunks(value)].join('');
}

function* spread(value: unknown, indent: string): Generator<string> {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    const last = value.length - 1;
    for (let i = 0; i <= last; i++) yield `${inner}${compact(value[i])}${i < last ? ',' : ''}\n`;
    yield `${indent}]`;
    return;
  }
  if (value === null || typeof value !== 'object') {
    yield compact(value);
    return;
  }
  const o = value as Record<string, unknown>; // a plain object: read by its own keys
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    yield `${inner}${JSON.stringify(k)}: `;
    yield* spread(o[k], inner);
    yield i < keys.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

function compact(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  // The plan and the report build their objects with keys in order: checking is much cheaper than
  // rebuilding, and lets the engine's own serialiser do the work.
  if (keysSorted(v)) return JSON.stringify(v);
  return sortedCompact(v);
}

/** True when every object in `v`, at every depth, lists its keys in sorted order. */
function keysSorted(v: object): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object' && !keysSorted(x as object)) return false;
    return true;
  }
  // toJSON would let JSON.stringify write something else than the keys checked here.
  if ('toJSON' in v) return false;
  let previous: string | undefined;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) return false;
    if (previous !== undefined && !(previous < k)) return false;
    previous = k;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object' && !keysSorted(x)) return false;
  }
  return true;
}

function sortedCompact(v: object): string {
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + compact(v[i]);
    return `${s}]`;
  }
  const o = v as Record<string, unknown>; // a plain object: read by its own keys
  const keys = Object.keys(o).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(k)}:${compact(x)}`;
    first = false;
  }
  return `${s}}`;
}
