// The page's failing-training rules (web/src/training-health.js), on made-up
// loss and prediction streams: the loss far above its start for several
// updates, predictions collapsed onto one class, and back to healthy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainingHealth, failureMessage } from '../../web/src/training-health.js';

const feed = (h, losses) => losses.forEach((l) => h.batch(l));
const oneClass = (n, c) => new Int32Array(n).fill(c);
const spread = (n, k) => Int32Array.from({ length: n }, (_, i) => i % k);

test('the loss far above its starting value for ten updates in a row is a failure; twenty good ones end it', () => {
  const h = new TrainingHealth();
  feed(h, [2.3, ...Array(9).fill(30)]);
  assert.equal(h.failing, null, 'nine updates are not yet several');
  h.batch(4.5); // below max(2 × 2.3, 2.3 + 1) = 4.6: the streak starts again
  feed(h, Array(9).fill(30));
  assert.equal(h.failing, null);
  h.batch(30);
  assert.deepEqual(h.failing, { kind: 'loss', startLoss: 2.3, loss: 30, updates: 10 });
  feed(h, Array(19).fill(1));
  assert.equal(h.failing?.kind, 'loss');
  h.batch(1);
  assert.equal(h.failing, null);
  assert.ok(h.healthy);
});

test('a net that starts near zero loss is judged against start + 1, not twice a tiny start', () => {
  const h = new TrainingHealth();
  feed(h, [0.05, ...Array(30).fill(0.5)]);
  assert.equal(h.failing, null);
  feed(h, Array(10).fill(1.2));
  assert.equal(h.failing?.kind, 'loss');
});

test('predictions collapsed onto one class the data does not hold: three sample checks, or one whole-set check', () => {
  const labels = spread(300, 10);
  const h = new TrainingHealth();
  feed(h, Array(60).fill(2.3));
  h.predictions(oneClass(300, 8), labels, 10);
  h.predictions(oneClass(300, 8), labels, 10);
  assert.equal(h.failing, null);
  h.predictions(oneClass(300, 8), labels, 10);
  assert.deepEqual(h.failing, { kind: 'collapse', predictedClass: 8, share: 1, checked: 300 });
  h.predictions(spread(300, 10), labels, 10);
  assert.equal(h.failing, null, 'predictions spread out again');
  const whole = new TrainingHealth();
  feed(whole, Array(60).fill(2.3));
  whole.predictions(oneClass(2000, 1), spread(2000, 10), 10, { whole: true });
  assert.equal(whole.failing?.kind, 'collapse');
});

test('no collapse is called on a fresh net, on a class that most of the data holds, or below 90 %', () => {
  const fresh = new TrainingHealth();
  feed(fresh, Array(10).fill(2.3));
  for (let i = 0; i < 3; i++) fresh.predictions(oneClass(300, 3), spread(300, 10), 10);
  assert.equal(fresh.failing, null, 'a fresh net may favour one class');
  const h = new TrainingHealth();
  feed(h, Array(60).fill(0.3));
  const mostlyThree = Int32Array.from({ length: 300 }, (_, i) => (i % 10 < 6 ? 3 : i % 10));
  for (let i = 0; i < 3; i++) h.predictions(oneClass(300, 3), mostlyThree, 10);
  assert.equal(h.failing, null, 'the data is mostly that class');
  const eightyFive = Int32Array.from({ length: 300 }, (_, i) => (i % 20 < 17 ? 4 : 5));
  for (let i = 0; i < 3; i++) h.predictions(eightyFive, spread(300, 10), 10);
  assert.equal(h.failing, null);
});

test('every failure ends with the same hint', () => {
  const hint = 'Lower the learning rate (now 10), press Reset for fresh weights, or restore a snapshot.';
  const messages = [
    { kind: 'loss', startLoss: 2.3, loss: 30, updates: 10 },
    { kind: 'collapse', predictedClass: 8, share: 0.97, checked: 300 },
    { kind: 'diverged', epoch: 0, batch: 2, value: NaN },
  ].map((f) =>
    failureMessage({ ...f, learningRate: 10 }, ['zero', 'one', '2', '3', '4', '5', '6', '7', 'eight']),
  );
  for (const m of messages) assert.ok(m.endsWith(hint), m);
  assert.match(
    messages[0],
    /the loss is 30\.0000, far above the 2\.3000 it started from, for 10 updates in a row/,
  );
  assert.match(messages[1], /predicts “eight” for 97 % of the 300 validation images/);
  assert.match(messages[2], /diverged in epoch 1, batch 3: the loss became NaN/);
});
