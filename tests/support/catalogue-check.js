// Runs one catalogue row: the call must fail with the row's error class and
// fields, and the model's state (as state() reads it) must not change.
import assert from 'node:assert/strict';

export function countsByEntry(rows) {
  const counts = {};
  for (const r of rows) counts[r.entry] = (counts[r.entry] ?? 0) + 1;
  return counts;
}

const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

export async function checkRow(row, ctx, state) {
  const before = await state();
  let error = null;
  try {
    await row.run(ctx);
  } catch (e) {
    error = e;
  }
  assert.ok(error, 'the call did not fail');
  const { name, ...fields } = row.expect;
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  for (const [k, v] of Object.entries(fields))
    assert.ok(
      Object.is(error[k], v),
      `${k} is ${JSON.stringify(error[k])}, expected ${JSON.stringify(v)} (${error.message})`,
    );
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 10, `a message that names the problem: '${error.message}'`);
  const after = await state();
  assert.ok(same(before.bytes, after.bytes), 'the saved model (weights, state, optimizer) changed');
  assert.ok(same(before.predictions, after.predictions), 'the predictions changed');
}
