// The page never loses a trained net by accident: a typo in the stack keeps
// the last good net answering (and savable), an edit that keeps the weight
// shapes keeps the weights, and one state decides which net answers, named
// the same way by the pad, See inside, the kernel lab and Save & share.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DIGIT_STROKES, drawStrokes, openPlayground, screenshotPath } from '../support/browser.js';
import { loadConvolab } from '../../bindings/convolab.js';

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1280, height: 900 } });
  await pw.page.waitForSelector('#start:not([disabled])', { timeout: 120_000 });
});
after(async () => {
  await pw?.close();
});

const text = (sel) => pw.page.textContent(sel);
const probs = async () => JSON.parse((await pw.page.getAttribute('#bars', 'data-probs')) || 'null');
const stepsNow = async () => Number((await text('#steps')).replace(/,/g, ''));

// Waits until the pad's bars show `expected` (exactly), answered by the net named `label`.
async function padShows(expected, label) {
  await pw.page
    .waitForFunction(
      ([p, l]) =>
        document.querySelector('#bars').dataset.probs === p &&
        document.querySelector('#predictor').textContent === `by ${l}`,
      [JSON.stringify(expected), label],
      { timeout: 20_000 },
    )
    .catch(async (e) => {
      throw new Error(
        `${e.message}: the pad says ${await text('#predictor')} with ${JSON.stringify(await probs())}`,
      );
    });
}

// Each view names the net that answers, with the same label (which starts with `prefix`).
async function viewsName(prefix) {
  const { page } = pw;
  await page.waitForFunction(
    (l) => document.querySelector('#predictor').textContent.startsWith(`by ${l}`),
    prefix,
    { timeout: 20_000 },
  );
  const label = (await text('#predictor')).slice(3);
  await page.click('#tab-inside');
  await page.waitForFunction(
    (l) => document.querySelector('#inside-note').textContent.startsWith(`Showing ${l} on`),
    label,
    { timeout: 20_000 },
  );
  assert.match(await text('#kernel-answering'), new RegExp(`answers on this page is ${escape(label)};`));
  if (label.startsWith('your'))
    assert.equal(await text('#save-answering'), `Save and Download keep ${label}.`);
  return label;
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function stepTimes(n) {
  for (let i = 0; i < n; i++) {
    const before = await stepsNow();
    await pw.page.click('#step');
    await pw.page.waitForFunction((b) => Number(document.querySelector('#steps').textContent) > b, before);
  }
}

test('one answering net: the pad, See inside, the kernel lab and Save & share name the same net', async () => {
  const { page } = pw;
  await drawStrokes(page, '#pad', DIGIT_STROKES['3']);
  // an untrained stack on MNIST: the pre-trained net answers, everywhere
  assert.match(
    await viewsName('the pre-trained net'),
    /^the pre-trained net \(97\.0 % on all 2,000 held-out digits\)$/,
  );
  assert.match(await text('#save-answering'), /keep your untrained net; the pre-trained net classifies/);
  await page.click('#tab-build');
  await stepTimes(1);
  await viewsName('your trained net');
});

test('a typo costs nothing: the last good net answers, saves and downloads; the fix gets the same weights back', async () => {
  const { page } = pw;
  await page.click('#tab-build');
  await stepTimes(15);
  const steps = await stepsNow();
  await page.waitForTimeout(300);
  const trained = await probs();
  await padShows(trained, 'your trained net');

  // stride 0 is refused at its field: the stack, and the net, stay as they were
  await page.fill('#layer-0-strides', '0');
  assert.match(await text('#layer-0-strides-message'), /stride must be a whole number from 1 to 8/);
  await page.fill('#layer-0-strides', '1');
  await page.waitForSelector('#start:not([disabled])');
  await padShows(trained, 'your trained net');
  assert.equal(await stepsNow(), steps);

  // a typo the stack cannot build (one output for ten classes): the trained net stays the page's net
  await page.fill('#layer-5-units', '1');
  await page.waitForSelector('#stack li[data-index="5"].invalid');
  await page.waitForFunction(() =>
    document.querySelector('#status').textContent.includes('stack before your edit) answers'),
  );
  assert.ok(
    (await text('#status')).endsWith(
      `Until then your trained net (stack before your edit) answers: Save, Download, See inside and the pad use it (${steps} steps).`,
    ),
    await text('#status'),
  );
  assert.ok(await page.isDisabled('#start'), 'it does not train: the stack on screen is not it');
  await padShows(trained, 'your trained net (stack before your edit)');
  await viewsName('your trained net (stack before your edit)');
  await page.screenshot({ path: screenshotPath('lifecycle-typo-inside'), fullPage: false });
  // Download gives that net: ten outputs, the stack before the edit
  await page.click('#tab-models');
  await page.screenshot({ path: screenshotPath('lifecycle-typo-save'), fullPage: false });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const cl = await loadConvolab();
  const saved = cl.load(new Uint8Array(readFileSync(await download.path())));
  assert.deepEqual(saved.outputShape, [10]);
  assert.equal(saved.toJSON().layers.length, 6);
  saved.dispose();
  // Save in this browser keeps it too, with its steps
  await page.fill('#save-name', 'before the typo');
  await page.click('#save-browser');
  await page.waitForFunction(() =>
    document.querySelector('#saved-list').textContent.includes('before the typo'),
  );
  assert.match(await text('#saved-list'), new RegExp(`${steps} steps · .* · 6 layers · 11,274 params`));

  // the fix: the same stack, the same weights, the same answers
  await page.click('#tab-build');
  await page.fill('#layer-5-units', '10');
  await page.waitForSelector('#start:not([disabled])');
  assert.match(
    await text('#status'),
    new RegExp(`Same weight shapes: the net keeps its trained weights \\(${steps} steps\\)`),
  );
  assert.equal(await stepsNow(), steps);
  await padShows(trained, 'your trained net');

  // any edit that keeps the weight shapes keeps the weights: tanh and back to relu answers as before
  await page.selectOption('#layer-0-activation', 'tanh');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Same weight'));
  await page.waitForFunction(
    (p) => document.querySelector('#bars').dataset.probs !== p,
    JSON.stringify(trained),
  );
  await page.selectOption('#layer-0-activation', 'relu');
  await page.waitForSelector('#start:not([disabled])');
  await padShows(trained, 'your trained net');
  assert.equal(await stepsNow(), steps);
  // and it trains on from there
  await stepTimes(1);
  assert.equal(await stepsNow(), steps + 1);
  assert.deepEqual(pw.consoleErrors, []);
});
