// My data's model (web/src/my-data.js), in Node: classes and examples change
// as asked (a deleted class takes its examples and later labels move down),
// the split holds out each class's share with training examples first, the
// warnings, and the .cldata and IndexedDB forms round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addClass,
  addExamples,
  deleteClass,
  deleteExample,
  emptyMine,
  fromCldata,
  fromRecord,
  renameClass,
  toCldata,
  toPageDataset,
  toRecord,
  warnings,
} from '../../web/src/my-data.js';

const img = (v) => new Uint8Array(784).fill(v);
function three(n) {
  let m = addClass(emptyMine()).mine;
  for (let k = 0; k < 3; k++)
    m = addExamples(
      m,
      k,
      Array.from({ length: n }, (_, i) => img(k * 50 + i)),
    ).mine;
  return m;
}

test('classes: names are unique and non-empty, at most 10, at least 2; deleting one relabels the rest', () => {
  const m = three(2);
  assert.deepEqual(m.classNames, ['class 1', 'class 2', 'class 3']);
  assert.match(renameClass(m, 1, 'class 1').error, /already a class named/);
  assert.match(renameClass(m, 1, '  ').error, /needs a name/);
  assert.equal(renameClass(m, 1, ' star ').mine.classNames[1], 'star');
  let full = m;
  while (full.classNames.length < 10) full = addClass(full).mine;
  assert.match(addClass(full).error, /at most 10/);
  const less = deleteClass(m, 0).mine;
  assert.deepEqual(less.classNames, ['class 2', 'class 3']);
  assert.deepEqual(
    less.examples.map((e) => [e.label, e.pixels[0]]),
    [
      [0, 50],
      [0, 51],
      [1, 100],
      [1, 101],
    ],
  );
  assert.match(deleteClass(less, 0).error, /at least 2 classes/);
  assert.equal(deleteExample(m, 0).mine.examples.length, 5);
  assert.equal(m.examples.length, 6, 'changes make new objects');
});

test('the page dataset: each class holds out its share, training examples first; too few examples is explained', () => {
  assert.match(
    toPageDataset(three(1), 0.2).problem,
    /at least 2 examples to “class 1”, “class 2”, “class 3”/,
  );
  const ds = toPageDataset(three(12), 0.25);
  assert.equal(ds.count, 36);
  assert.equal(ds.trainCount, 27);
  const perClass = (from, to) =>
    [0, 1, 2].map((k) => ds.labels.subarray(from, to).filter((l) => l === k).length);
  assert.deepEqual(perClass(0, 27), [9, 9, 9]);
  assert.deepEqual(perClass(27, 36), [3, 3, 3]);
  // each image keeps its label (class k's pixels start at 50k)
  for (let i = 0; i < 36; i++) assert.equal(Math.floor(ds.pixels[i * 784] / 50), ds.labels[i]);
  assert.deepEqual([ds.height, ds.width, ds.channels, ds.classes], [28, 28, 1, 3]);
});

test('warnings: too few examples, unbalanced classes', () => {
  const m = addExamples(three(6), 0, [img(1), img(2), img(3), img(4), img(5), img(6), img(7)]).mine;
  assert.deepEqual(warnings(three(6), 0.2), []);
  assert.match(warnings(m, 0.2).join(' '), /unbalanced: “class 1” has 13 examples, “class 2” 6/);
  assert.match(warnings(three(3), 0.2).join(' '), /“class 1” has 3 examples: too few/);
});

test('.cldata and the IndexedDB record round-trip', () => {
  const m = renameClass(three(4), 2, 'cross').mine;
  const bytes = toCldata(m);
  const back = fromCldata(bytes);
  assert.deepEqual(back.classNames, m.classNames);
  assert.deepEqual(
    back.examples.map((e) => [e.label, e.pixels[0]]),
    m.examples.map((e) => [e.label, e.pixels[0]]),
  );
  assert.deepEqual(toCldata(back), bytes);
  assert.deepEqual(fromRecord(structuredClone(toRecord(m))), m);
  assert.throws(() => fromCldata(bytes.subarray(0, 50)), /truncated/);
  assert.throws(() => toCldata(emptyMine()), /no examples/);
});

test('the link says "my data" and the validation share, and refuses a share out of range', async () => {
  const { defaultState, fromHash, toHash } = await import('../../web/src/state.js');
  const s = { ...defaultState(), dataset: 'mine', valSplit: 30 };
  assert.match(toHash(s), /^#data=mine&val=30&/);
  const back = fromHash(toHash(s));
  assert.deepEqual([back.state.dataset, back.state.valSplit, back.error], ['mine', 30, undefined]);
  assert.doesNotMatch(toHash(defaultState()), /val=/, 'the dataset’s own split stays out of the link');
  const bad = fromHash('#data=mine&val=99&net=flatten+dense(units:3)');
  assert.equal(bad.state.valSplit, null);
  assert.match(bad.error, /val=99 is not valid/);
});
