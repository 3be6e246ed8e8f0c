// The catalogue of abuse (tests/support/catalogue.js) through convolab/worker:
// every call must reject (never throw synchronously, never hang) with the
// row's error class and fields, the model in the worker must be
// bit-identical afterwards, and the worker must go on answering.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConvolabWorker } from '../../bindings/worker.js';
import { catalogue, COMPILE, PROBE, SPEC, Y, x } from '../support/catalogue.js';
import { checkRow, countsByEntry } from '../support/catalogue-check.js';

const cl = await loadConvolabWorker();
after(() => cl.terminate());
const model = await cl.sequential(SPEC, { seed: 5 });
await model.compile(COMPILE);
await model.fit(x(), Y, { epochs: 2, batchSize: 4 });
const ctx = { cl, model, bytes: await model.save() };
const state = async () => ({ bytes: await model.save(), predictions: (await model.predict(PROBE)).data });

const rows = catalogue();

test('the whole catalogue runs through the worker too', () => {
  console.log(
    `catalogue: ${rows.length} rows through convolab/worker: ${JSON.stringify(countsByEntry(rows))}`,
  );
  assert.ok(rows.length >= 150);
});

for (const row of rows) {
  test(`worker ${row.entry}: ${row.name}`, async () => {
    await checkRow(row, ctx, state, { mustReject: true });
  });
}

test('after the whole catalogue the worker still trains, predicts and saves', async () => {
  const m = await cl.sequential(SPEC, { seed: 6 });
  await m.compile(COMPILE);
  const h = await m.fit(x(), Y, { epochs: 1, batchSize: 4 });
  assert.equal(h.history.loss.length, 1);
  assert.ok(Number.isFinite(h.history.loss[0]));
  assert.equal((await m.predict(PROBE)).shape[0], 3);
  await m.dispose();
});
