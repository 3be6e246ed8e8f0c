// A seeded fuzz loop over the .cldata decoder (bindings/dataset.js). The
// decoder that meets untrusted files is this JavaScript one (the page's
// uploads, convolab/dataset users); the engine has no dataset parser, so a
// libFuzzer target would fuzz a copy nobody runs. Every mutation of a real
// dataset slice must either be refused with DatasetError or decode to a
// dataset whose every field is what the page and fit rely on. Seeded, so a
// failure reproduces; each case it once found is a row in the catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError, crc32, decodeDataset, encodeDataset } from '../../bindings/dataset.js';
import { dataDir } from '../support/paths.js';
import { seededRandom } from '../../bindings/seeded-random.js';

const CASES = 20000;

const rng = seededRandom;

// Small real slices (the first images of each shipped dataset), so a case costs microseconds.
function slice(file, n) {
  const ds = decodeDataset(readFileSync(join(dataDir, file)));
  const size = ds.height * ds.width * ds.channels;
  const { name, classNames, source, license } = ds;
  return encodeDataset({
    ...ds,
    labels: ds.labels.slice(0, n),
    pixels: ds.pixels.slice(0, n * size),
    meta: { name, classNames, source, license, trainCount: Math.floor(n * 0.8) },
  });
}

const METAS = [
  'null',
  '1',
  '"x"',
  '[]',
  '{}',
  '{"classNames": 5}',
  '{"classNames": ["a"]}',
  '{"classNames": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}',
  '{"classNames": ["<img src=x onerror=alert(1)>","1","2","3","4","5","6","7","8","9"]}',
  '{"trainCount": -1}',
  '{"trainCount": 1e9}',
  '{"trainCount": 2.5}',
  '{"trainCount": "5"}',
  '{"name": {}}',
  '{"name": "<script>alert(1)</script>"}',
  '{"name": null, "classNames": null, "trainCount": null}',
  '{"__proto__": {"polluted": true}}',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  '{"a": "\\ud800"}',
  'not json',
];
const INTERESTING = [0, 1, 2, 0x7f, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

/** One mutation of seed (a Uint8Array), chosen by r. */
function mutate(seed, r) {
  let b = seed.slice();
  const view = () => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const pick = (n) => Math.floor(r() * n);
  switch (pick(6)) {
    case 0: // flip bits
      for (let k = 1 + pick(4); k > 0; k--) b[pick(b.length)] ^= 1 << pick(8);
      break;
    case 1: {
      // a header field set to an interesting value
      const at = 4 + 2 * pick(10);
      const v = r() < 0.7 ? INTERESTING[pick(INTERESTING.length)] : pick(0x100000000);
      if (at === 12 || at === 14 || at === 16 || at === 18) view().setUint16(at, v & 0xffff, true);
      else view().setUint32(at, v >>> 0, true);
      break;
    }
    case 2: // truncated
      b = b.slice(0, pick(b.length));
      break;
    case 3: {
      // other metadata, lengths kept consistent
      const old = view().getUint32(20, true);
      const meta = new TextEncoder().encode(METAS[pick(METAS.length)]);
      const out = new Uint8Array(b.length - old + meta.length);
      out.set(b.subarray(0, 24));
      out.set(meta, 24);
      out.set(b.subarray(24 + old), 24 + meta.length);
      new DataView(out.buffer).setUint32(20, meta.length, true);
      b = out;
      break;
    }
    case 4: {
      // extra bytes
      const out = new Uint8Array(b.length + 1 + pick(16));
      out.set(b);
      b = out;
      break;
    }
    default: // noise
      b = Uint8Array.from({ length: pick(64) }, () => pick(256));
  }
  if (b.length >= 8 && r() < 0.8) {
    // a matching checksum, so the checks behind it are reached
    view().setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
  }
  return b;
}

/** What a decoded dataset must be for the page and fit; null when it is. */
function problem(ds) {
  const shape = [ds.height, ds.width, ds.channels];
  if (!shape.every((d) => Number.isInteger(d) && d >= 1)) return `shape ${shape}`;
  if (!(Number.isInteger(ds.classes) && ds.classes >= 1)) return `classes ${ds.classes}`;
  if (typeof ds.name !== 'string') return `name ${typeof ds.name}`;
  if (!Array.isArray(ds.classNames) || ds.classNames.length !== ds.classes) return 'classNames length';
  if (!ds.classNames.every((c) => typeof c === 'string')) return 'classNames not strings';
  if (!(Number.isInteger(ds.trainCount) && ds.trainCount >= 0 && ds.trainCount <= ds.count))
    return `trainCount ${ds.trainCount}`;
  if (!(ds.labels instanceof Uint8Array) || ds.labels.length !== ds.count) return 'labels length';
  if (
    !(ds.pixels instanceof Uint8Array) ||
    ds.pixels.length !== ds.count * ds.height * ds.width * ds.channels
  )
    return 'pixels length';
  if (ds.labels.some((l) => l >= ds.classes)) return 'label out of range';
  if ({}.polluted !== undefined) return 'prototype polluted';
  return null;
}

test(`the .cldata decoder refuses or cleanly decodes ${CASES} mutations of real datasets`, () => {
  const seeds = [slice('mnist.cldata', 12), slice('fashion-mnist.cldata', 12)];
  const r = rng(12);
  const found = new Map(); // what went wrong → the first input that showed it
  let refused = 0,
    decoded = 0;
  for (let i = 0; i < CASES; i++) {
    const input = mutate(seeds[i % seeds.length], r);
    let ds;
    try {
      ds = decodeDataset(input);
    } catch (e) {
      if (e instanceof DatasetError) {
        refused++;
        continue;
      }
      const key = `${e?.name}: ${e?.message}`;
      if (!found.has(key)) found.set(key, { case: i, bytes: Array.from(input.subarray(0, 64)) });
      continue;
    }
    decoded++;
    const p = problem(ds);
    if (p && !found.has(p)) found.set(p, { case: i, bytes: Array.from(input.subarray(0, 64)) });
  }
  console.log(`dataset fuzz: ${CASES} cases, ${refused} refused with DatasetError, ${decoded} decoded`);
  const report = [...found].map(
    ([what, c]) => `${what} (case ${c.case}: ${Buffer.from(c.bytes).toString('hex')})`,
  );
  assert.deepEqual(report, [], 'the decoder crashed or returned an unusable dataset');
  assert.ok(decoded > 0 && refused > 0, 'both outcomes are reached');
});

// What the loop above found in the decoder before it checked its metadata
// (7 datasets the page could not use, 1 TypeError): each is refused now.
test('metadata the fuzz loop found unusable is refused with DatasetError', () => {
  const seed = decodeDataset(slice('mnist.cldata', 4));
  const found = [
    null,
    { trainCount: '5' },
    { trainCount: 2.5 },
    { trainCount: -1 },
    { trainCount: 1e9 },
    { classNames: ['a'] },
    { classNames: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
    { name: {} },
  ];
  for (const meta of found) {
    const bytes = encodeDataset({ ...seed, meta });
    assert.throws(() => decodeDataset(bytes), DatasetError, JSON.stringify(meta));
  }
});
