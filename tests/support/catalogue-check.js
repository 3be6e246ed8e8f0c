// Runs one catalogue row: the call must fail with the row's error class and
// fields, and the model's state (as state() reads it) must not change.
import assert from 'node:assert/strict';

export function countsByEntry(rows) {
  const counts = {};
  for (const r of rows) counts[r.entry] = (counts[r.entry] ?? 0) + 1;
  return counts;
}

const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

// mustReject: the call must return a promise that rejects (an asynchronous
// API never throws synchronously).
export async function checkRow(row, ctx, state, { mustReject = false } = {}) {
  const before = await state();
  let error = null;
  try {
    const result = row.run(ctx);
    if (mustReject) assert.ok(typeof result?.then === 'function', 'the call returned no promise');
    await result;
  } catch (e) {
    if (e?.code === 'ERR_ASSERTION') throw e;
    error = e;
  }
  assert.ok(error, 'the call did not fail');
  // says: what the message must show a person (the fields decide; this is about the text)
  const { name, check, says, ...fields } = row.expect;
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  for (const [k, v] of Object.entries(fields))
    assert.ok(
      Object.is(error[k], v),
      `${k} is ${JSON.stringify(error[k])}, expected ${JSON.stringify(v)} (${error.message})`,
    );
  if (check)
    assert.ok(check(error), `the error's fields do not hold: ${JSON.stringify(error)} (${error.message})`);
  if (says) assert.match(error.message, says);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 10, `a message that names the problem: '${error.message}'`);
  const after = await state();
  assert.ok(same(before.bytes, after.bytes), 'the saved model (weights, state, optimizer) changed');
  assert.ok(same(before.predictions, after.predictions), 'the predictions changed');
}
