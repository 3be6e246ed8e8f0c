// The page's TensorFlow/Keras and ONNX exports in Chromium: a trained net
// exported as model.json + weights.bin opens again with identical
// probabilities; the .onnx runs in ONNX Runtime; a model that does not fit
// the dataset opens to be looked at, and the page says why it can't train.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { DIGIT_STROKES, drawStrokes, openPlayground, screenshotPath } from '../support/browser.js';
import { loadConvolab } from '../../bindings/convolab.js';

ort.env.wasm.numThreads = 1;
let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1280, height: 900 } });
});
after(async () => {
  await pw?.close();
});

const text = (sel) => pw.page.textContent(sel);
const probs = async () => JSON.parse((await pw.page.getAttribute('#bars', 'data-probs')) || 'null');

async function downloads(count, click) {
  const got = [];
  const done = new Promise((resolve) => {
    const on = (d) => {
      got.push(d);
      if (got.length === count) {
        pw.page.off('download', on);
        resolve();
      }
    };
    pw.page.on('download', on);
  });
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`expected ${count} downloads, got ${got.length}`)), 30_000);
  });
  await click();
  await Promise.race([done, late]).finally(() => clearTimeout(timer));
  return Promise.all(
    got.map(async (d) => ({ name: d.suggestedFilename(), buffer: readFileSync(await d.path()) })),
  );
}

test('a trained net goes out as model.json + weights.bin and comes back with identical probabilities', async () => {
  const { page, consoleErrors } = pw;
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  await page.click('#tab-build');
  await page.selectOption('#preset', 'tiny');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'));
  await page.click('#tab-train');
  // more epochs than the test waits for: the pause below must find the run still running, however fast it is
  await page.fill('#hyper-epochs', '5');
  await page.press('#hyper-epochs', 'Tab');
  await page.click('#start');
  await page.waitForFunction(
    () => Number(document.querySelector('#steps').textContent.replace(/,/g, '')) >= 40,
    null,
    {
      timeout: 60_000,
    },
  );
  await page.click('#start'); // pause
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Paused'));
  await page.click('#clear');
  await drawStrokes(page, '#pad', DIGIT_STROKES['3']);
  await page.waitForFunction(() =>
    document.querySelector('#predictor').textContent.includes('your trained net'),
  );
  await page.waitForTimeout(300);
  const before = await probs();

  await page.click('#tab-models');
  const files = await downloads(2, () => page.click('#export-tfjs'));
  assert.deepEqual(files.map((f) => f.name).sort(), ['model.json', 'weights.bin']);
  const modelJSON = JSON.parse(files.find((f) => f.name === 'model.json').buffer.toString('utf8'));
  assert.equal(modelJSON.format, 'layers-model');
  assert.deepEqual(modelJSON.weightsManifest[0].paths, ['weights.bin']);

  const [onnx] = await downloads(1, () => page.click('#export-onnx'));
  assert.match(onnx.name, /\.onnx$/);
  const session = await ort.InferenceSession.create(new Uint8Array(onnx.buffer));
  assert.deepEqual(session.inputNames, ['input']);
  await session.release();

  await page.click('#reset'); // fresh random weights: the probabilities change
  await page.waitForFunction(
    (b) => document.querySelector('#bars').dataset.probs !== b,
    JSON.stringify(before),
  );
  await page.setInputFiles(
    '#open-tfjs',
    files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: f.buffer })),
  );
  await page.waitForFunction(() =>
    document.querySelector('#status').textContent.startsWith('Loaded “model”'),
  );
  await page.waitForFunction(
    (b) => document.querySelector('#bars').dataset.probs === b,
    JSON.stringify(before),
    {
      timeout: 5_000,
    },
  );
  const why = await page.evaluate(() => [
    document.querySelector('#input-problems')?.textContent,
    document.querySelector('#status').textContent,
    document.querySelector('#start').dataset.guarded,
  ]);
  assert.equal(
    await page.isDisabled('#start'),
    false,
    `an imported model that fits trains on ${JSON.stringify(why)}`,
  );
  await page.screenshot({ path: screenshotPath('desktop-interop'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

test('a model for other inputs opens to be looked at and says why it cannot train; a missing .bin is named', async () => {
  const { page } = pw;
  const cl = await loadConvolab();
  const other = cl.sequential({
    inputShape: [8, 8, 3],
    layers: [
      { type: 'conv2d', filters: 2, kernelSize: 3 },
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'softmax' },
    ],
  });
  const { modelJSON, weightData } = other.exportTfjs();
  other.dispose();
  await page.click('#tab-models');
  await page.setInputFiles('#open-tfjs', [
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(modelJSON)) },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weightData) },
  ]);
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes("can't train"));
  assert.match(await text('#status'), /8×8×3 inputs; .*28×28×1/);
  assert.ok(await page.isDisabled('#start'));
  await page.click('#tab-build');
  assert.equal(await page.$$eval('#stack .type-select', (s) => s.length), 3, 'its layers are in the builder');
  await page.click('#tab-models');
  await page.setInputFiles('#open-tfjs', [
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(modelJSON)) },
  ]);
  await page.waitForSelector('.error-toast:has-text("weights.bin")');
  await page.click('.error-toast button');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('phone-interop'), fullPage: true });
});
