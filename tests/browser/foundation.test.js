// The page in real headless Chromium: loads cleanly, trains in the worker
// past 80 % held-out accuracy, and classifies a digit drawn with the mouse.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { drawStrokes, openPlayground, screenshotPath } from '../support/browser.js';

let pw;
before(async () => { pw = await openPlayground(); });
after(async () => { await pw?.close(); });

test('the page loads the engine in a worker with no console errors', async () => {
  const { page, consoleErrors } = pw;
  await page.waitForSelector('#train:not([disabled])', { timeout: 60_000 });
  assert.match(await page.textContent('#summary'), /Conv2D/);
  assert.match(await page.textContent('#status'), /8000 training, 2000 held-out/);
  assert.deepEqual(consoleErrors, []);
});

test('training runs in the worker and held-out accuracy rises above 80 %', async () => {
  const { page, consoleErrors } = pw;
  await page.click('#train');
  // the progress bar moves while the main thread stays responsive
  await page.waitForFunction(() => document.querySelector('#progress').value > 0.1, null, { timeout: 60_000 });
  const responsive = await page.evaluate(() => new Promise((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); }));
  assert.ok(responsive < 200, `main thread blocked for ${responsive} ms during training`);
  await page.waitForFunction(() => document.querySelector('#accuracy').textContent.includes('%'), null, { timeout: 180_000 });
  const accuracy = parseFloat(await page.textContent('#accuracy'));
  assert.ok(accuracy > 80, `held-out accuracy ${accuracy} %`);
  assert.deepEqual(consoleErrors, []);
});

test('a digit drawn with mouse strokes gets a prediction', async () => {
  const { page, consoleErrors } = pw;
  await page.waitForSelector('#train:not([disabled])');
  await page.click('#clear');
  // a "1": one vertical stroke
  await drawStrokes(page, '#pad', [[[140, 40], [142, 140], [144, 240]]]);
  await page.waitForFunction(() => document.querySelector('#prediction').textContent !== '–', null, { timeout: 10_000 });
  const predicted = (await page.textContent('#prediction')).trim();
  assert.equal(predicted, '1');
  await page.screenshot({ path: screenshotPath('foundation'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});
