// Builds data/starter-shapes.cldata: the page's one-click starter set, 80
// seeded sketches each of a circle, a triangle, a cross and a square
// (scripts/starter-shapes.js), made here at build time and never committed.
// Written only when its bytes change, so the build stays incremental.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataset } from '../bindings/dataset-object.js';
import { seededRandom } from '../bindings/seeded-random.js';
import { SHAPES, rasterise, shapeStrokes } from './starter-shapes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'data', 'starter-shapes.cldata');
const PER_SHAPE = 80;

const rng = seededRandom(2024);
const images = new Uint8Array(PER_SHAPE * SHAPES.length * 784);
const labels = [];
for (let i = 0; i < PER_SHAPE * SHAPES.length; i++) {
  const k = i % SHAPES.length; // interleaved, so any prefix is balanced
  images.set(rasterise(shapeStrokes(SHAPES[k], rng)), i * 784);
  labels.push(k);
}
const bytes = dataset({
  images,
  labels,
  shape: [28, 28, 1],
  classNames: SHAPES,
  name: 'Starter shapes',
}).toBytes();
if (!existsSync(out) || !Buffer.from(readFileSync(out)).equals(Buffer.from(bytes))) {
  writeFileSync(out, bytes);
  console.log(`convolab build: ${labels.length} starter sketches written to data/starter-shapes.cldata`);
}
