// The denoising autoencoder on MNIST: noisy digit in, clean digit out, mean
// squared error. The preset (or the Task picker) makes the page train on
// noisy copies against the clean images; the net must end in the input's
// shape; See inside shows input, output and target side by side, and the
// pad gives back the drawing denoised.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DIGIT_STROKES, drawStrokes, openPlayground, screenshotPath } from '../support/browser.js';

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1400, height: 950 }, hash: '#data=mnist&preset=denoise' });
});
after(async () => {
  await pw?.close();
});

const text = (sel) => pw.page.textContent(sel);
// mean squared difference of two canvases' grey values, in [0, 1]
const canvasMse = (a, b) =>
  pw.page.evaluate(
    ([a, b]) => {
      const grey = (sel) => {
        const c = document.querySelector(sel);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        return Array.from({ length: d.length / 4 }, (_, i) => d[i * 4] / 255);
      };
      const x = grey(a),
        y = grey(b);
      return x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / x.length;
    },
    [a, b],
  );

test('the denoising preset builds an image-to-image net and the page shows no accuracy', async () => {
  const { page } = pw;
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  assert.equal(await page.inputValue('#task'), 'denoise');
  assert.match(await page.evaluate(() => location.hash), /task=denoise/);
  const shapes = await page.$$eval('#stack li .shape', (c) => c.map((x) => x.textContent));
  assert.equal(shapes.at(-1), '28×28×1', 'it ends in the input’s shape');
  assert.ok(shapes.includes('7×7×8'), 'through a 7×7 bottleneck');
  assert.equal(await text('#draw-title'), 'Draw and denoise');
  await page.click('#tab-train');
  assert.equal(await page.isVisible('#chart-acc'), false, 'a denoiser has no accuracy chart');
  assert.equal(await page.isVisible('#val-acc'), false);
});

test('training on noisy copies lowers the validation error below a blank image’s', async () => {
  const { page } = pw;
  await page.click('#start');
  await page.waitForFunction(
    () => Number(document.querySelector('#steps').textContent.replace(/,/g, '')) >= 80,
    null,
    { timeout: 120_000 },
  );
  await page.click('#start'); // pause
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Paused'));
  await page.waitForFunction(() => Number(document.querySelector('#val-loss').textContent) > 0);
  // an all-black answer scores the mean square of MNIST's pixels, about 0.11
  const valLoss = Number(await text('#val-loss'));
  assert.ok(valLoss < 0.08, `validation mean squared error ${valLoss}`);
});

test('See inside shows input, output and target side by side, and the output is closer to the target', async () => {
  const { page } = pw;
  await page.click('#tab-inside');
  await page.waitForSelector('.side-by-side canvas[aria-label="the net output image"]');
  assert.match(await text('#inside-note'), /validation sample #0 with noise/);
  const labels = await page.$$eval('.side-by-side figcaption', (f) => f.map((x) => x.textContent));
  assert.deepEqual(labels, ['input (noisy)', 'output (the net)', 'target (clean)']);
  const noisy = await canvasMse(
    'canvas[aria-label="noisy input image"]',
    'canvas[aria-label="clean target image"]',
  );
  const out = await canvasMse(
    'canvas[aria-label="the net output image"]',
    'canvas[aria-label="clean target image"]',
  );
  assert.ok(out < noisy / 2, `output error ${out.toFixed(4)} vs input error ${noisy.toFixed(4)}`);
  await page.screenshot({ path: screenshotPath('desktop-denoise-inside') });
});

test('the pad gives back the drawing denoised, not class bars', async () => {
  const { page } = pw;
  await drawStrokes(page, '#pad', DIGIT_STROKES['3']);
  await page.waitForSelector('#pad-output-box:not([hidden])');
  assert.equal(await page.isVisible('#bars'), false);
  assert.match(await text('#predictor'), /your trained net/);
  await page.locator('.draw-panel').screenshot({ path: screenshotPath('desktop-denoise-pad') });
});

test('switching the task away from a trained denoiser can be undone: Undo brings back the task and the net', async () => {
  const { page } = pw;
  const steps = () => page.textContent('#steps');
  const trained = await steps();
  assert.ok(Number(trained.replace(/,/g, '')) >= 80, `${trained} steps`);
  await page.click('#tab-build');
  await page.selectOption('#task', 'classify');
  await page.waitForFunction(() =>
    /^Switched to “Classify the images”; the trained net/.test(
      document.querySelector('#net-undo').textContent,
    ),
  );
  await page.click('#undo-net');
  await page.waitForFunction(
    (s) => document.querySelector('#steps').textContent === s && !document.querySelector('#start').disabled,
    trained,
    { timeout: 60_000 },
  );
  assert.equal(await page.inputValue('#task'), 'denoise');
  assert.match(await page.evaluate(() => location.hash), /task=denoise/);
  assert.equal(await text('#draw-title'), 'Draw and denoise');
  // the net is the trained denoiser again: the pad gives back an image, said to be by your net
  await drawStrokes(page, '#pad', DIGIT_STROKES['3']);
  await page.waitForSelector('#pad-output-box:not([hidden])');
  assert.match(await text('#predictor'), /your trained net/);
  assert.deepEqual(pw.consoleErrors, []);
});

test('a denoiser must end in the input’s shape; a classifier may not end in a map', async () => {
  const { page } = pw;
  await page.click('#tab-build');
  const last = await page.locator('#stack li').count();
  await page.fill(`#layer-${last - 1}-filters`, '2');
  await page.waitForSelector(`#stack li[data-index="${last - 1}"].invalid`);
  assert.match(
    await text(`#stack li[data-index="${last - 1}"] .layer-error`),
    /ends in 28×28×2, but denoising gives back the 28×28×1 image/,
  );
  assert.ok(await page.isDisabled('#start'));
  await page.fill(`#layer-${last - 1}-filters`, '1');
  await page.waitForSelector('#start:not([disabled])');
  // the same net as a classifier: one label per image, so the map output is refused
  await page.selectOption('#task', 'classify');
  await page.waitForSelector(`#stack li[data-index="${last - 1}"].invalid`);
  assert.match(await text(`#stack li[data-index="${last - 1}"] .layer-error`), /one label per image/);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /task=/);
  await page.selectOption('#task', 'denoise');
  await page.waitForSelector('#start:not([disabled])');
  assert.deepEqual(pw.consoleErrors, []);
});
