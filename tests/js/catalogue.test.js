// The catalogue of abuse (tests/support/catalogue.js) against the package
// in this thread: every row must throw its error class with its fields, and
// leave the trained model bit-identical (its saved bytes: spec, compile
// config, weights, BatchNormalization state, optimizer state; and its
// predictions). The .cldata decoder and the page's link parser have their
// own rows here, as they take no model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConvolab } from '../../bindings/convolab.js';
import { DatasetError, crc32, decodeDataset, encodeDataset } from '../../bindings/dataset.js';
import { DATASETS, OPTIMIZERS, defaultState, fromHash } from '../../web/src/state.js';
import { dataDir } from '../support/paths.js';
import { catalogue, COMPILE, PROBE, SPEC, Y, x } from '../support/catalogue.js';
import { checkRow, countsByEntry } from '../support/catalogue-check.js';

const cl = await loadConvolab();
const model = cl.sequential(SPEC, { seed: 5 });
model.compile(COMPILE);
await model.fit(x(), Y, { epochs: 2, batchSize: 4 });
const ctx = { cl, model, bytes: model.save() };
const state = async () => ({ bytes: model.save(), predictions: model.predict(PROBE).data });

const rows = catalogue();
const HOSTILE = '<img src=x onerror=alert(1)>';
const counts = countsByEntry(rows);

test('the catalogue has at least 150 distinct bad inputs', () => {
  console.log(`catalogue: ${rows.length} rows through the package: ${JSON.stringify(counts)}`);
  assert.ok(rows.length >= 150, `${rows.length} rows`);
});

for (const row of rows) {
  test(`${row.entry}: ${row.name}`, async () => {
    await checkRow(row, ctx, state);
  });
}

// ---- dataset files: refused with DatasetError, never a partial set
const seed = decodeDataset(readFileSync(join(dataDir, 'mnist.cldata')));
const small = encodeDataset({
  ...seed,
  labels: seed.labels.slice(0, 6),
  pixels: seed.pixels.slice(0, 6 * 784),
  meta: { name: seed.name, classNames: seed.classNames, trainCount: 4 },
});
const fixCrc = (b) => {
  new DataView(b.buffer).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
  return b;
};
const header = (offset, value, bits = 32) => {
  const b = small.slice();
  const v = new DataView(b.buffer);
  if (bits === 16) v.setUint16(offset, value, true);
  else v.setUint32(offset, value, true);
  return fixCrc(b);
};
const withMeta = (meta) => encodeDataset({ ...decodeDataset(small), meta });
const DATASET_ROWS = {
  'an empty file': new Uint8Array(0),
  'a header only': small.slice(0, 24),
  'a model file': Uint8Array.from([67, 76, 77, 68, ...small.subarray(4)]),
  'version 2': header(4, 2),
  'a count of 4 billion': header(8, 0xffffffff),
  'height 0': header(12, 0, 16),
  'classes 0': header(18, 0, 16),
  'a metadata length of 4 GB': header(20, 0xffffffff),
  'cut in the pixels': fixCrc(small.slice(0, small.length - 100)),
  'trailing bytes': fixCrc(Uint8Array.from([...small, 0, 0, 0, 0])),
  'a flipped pixel bit': (() => {
    const b = small.slice();
    b[b.length - 50] ^= 1;
    return b;
  })(),
  'a label out of range': (() => {
    const b = small.slice();
    b[24 + new DataView(b.buffer).getUint32(20, true)] = 200;
    return fixCrc(b);
  })(),
  'metadata that is not JSON': (() => {
    const b = small.slice();
    b[24] = 0x7b ^ 0x40;
    return fixCrc(b);
  })(),
  'metadata null': withMeta(null),
  'class names of the wrong count': withMeta({ classNames: ['a', 'b'] }),
  'class names that are not text': withMeta({ classNames: Array.from({ length: 10 }, (_, i) => ({ i })) }),
  'a trainCount beyond the count': withMeta({ trainCount: 7 }),
  'a fractional trainCount': withMeta({ trainCount: 2.5 }),
  'a name that is an object': withMeta({ name: { html: HOSTILE } }),
};
for (const [name, bytes] of Object.entries(DATASET_ROWS)) {
  test(`dataset file: ${name}`, () => {
    assert.throws(() => decodeDataset(bytes), DatasetError);
  });
}

// ---- URL hashes: the link parser never throws; a link with nothing usable changes nothing and says why
const HASH_ROWS = {
  'a broken %-escape': '#net=%E0%A4%A',
  'only unknown settings': '#layers=5&rate=fast',
  'an unknown layer type': '#net=conv3d(filters:2)+flatten+dense(units:10)',
  'a layer type named after an Object method': '#net=constructor+flatten+dense(units:10)',
  'a layer type __proto__': '#net=__proto__+dense(units:10)',
  'markup as a layer type': `#net=${encodeURIComponent(HOSTILE)}`,
  'an option without a value': '#net=conv2d(filters)+flatten+dense(units:10)',
  'a stack of 10,000 layers': `#net=${Array(10000).fill('flatten').join('+')}`,
  'an unclosed option list': '#net=conv2d(filters:2+flatten',
};
for (const [name, hash] of Object.entries(HASH_ROWS)) {
  test(`URL hash: ${name}`, () => {
    const r = fromHash(hash);
    assert.equal(r.state, null);
    assert.equal(typeof r.error, 'string');
    assert.ok(r.error.length > 10, r.error);
  });
}
// Hyperparameters and names a link may not set are ignored (and named); the rest of the link is used.
const IGNORED_ROWS = {
  'a NaN learning rate': '&lr=NaN',
  'a learning rate of 1e308': '&lr=1e308',
  'a negative learning rate': '&lr=-1',
  'an unknown optimizer': '&opt=lion',
  'an optimizer named after an Object method': '&opt=constructor',
  'a dataset named after an Object method': '&data=constructor',
  'a dataset given as markup': `&data=${encodeURIComponent(HOSTILE)}`,
  'a batch size of 1e9': '&batch=1000000000',
  'epochs of -5': '&epochs=-5',
  'a huge l2': '&l2=1e99',
};
for (const [name, extra] of Object.entries(IGNORED_ROWS)) {
  test(`URL hash: ${name}`, () => {
    const r = fromHash(`#net=flatten+dense(units:10)${extra}`);
    assert.ok(r.state, r.error);
    assert.match(r.error, /ignored/);
    const d = defaultState();
    assert.ok(Object.hasOwn(DATASETS, r.state.dataset));
    assert.ok(OPTIMIZERS.includes(r.state.hyper.optimizer));
    for (const k of ['learningRate', 'batchSize', 'epochs', 'l2'])
      if (r.state.hyper[k] !== d.hyper[k]) assert.ok(Number.isFinite(r.state.hyper[k]), k);
  });
}

test('the catalogue reaches every entry point, with at least 150 rows in all', () => {
  const all = {
    ...counts,
    'dataset file': Object.keys(DATASET_ROWS).length,
    'URL hash': Object.keys(HASH_ROWS).length + Object.keys(IGNORED_ROWS).length,
  };
  const total = Object.values(all).reduce((a, b) => a + b, 0);
  console.log(`catalogue: ${total} bad inputs: ${JSON.stringify(all)}`);
  assert.ok(total >= 150);
});
