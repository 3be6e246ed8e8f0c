// The builder offers every layer the engine has, with tfjs-layers names and
// options: a link with the new layers opens with the engine's shapes and
// parameter counts on each row (worked by hand below), the sizes fields take
// n, h×w or top×bottom×left×right and refuse anything else inline, the link
// round-trips them, and the stack trains a step.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, screenshotPath } from '../support/browser.js';

const NET = [
  'conv2d(filters:4,kernelSize:3,strides:1,padding:same,activation:relu)',
  'zeroPadding2d(padding:1x2x0x1)',
  'cropping2d(cropping:1)',
  'depthwiseConv2d(kernelSize:3,depthMultiplier:2,strides:1,padding:same,activation:relu)',
  'separableConv2d(filters:6,kernelSize:3,depthMultiplier:1,strides:1,padding:valid,activation:relu)',
  'conv2dTranspose(filters:4,kernelSize:2,strides:2,padding:same,activation:relu)',
  'maxPooling2d(poolSize:4,strides:4,padding:valid)',
  'upSampling2d(size:2x1,interpolation:bilinear)',
  'globalMaxPooling2d',
  'dense(units:10,activation:softmax)',
].join('+');

// 28×28×1 → conv 'same' → zero-pad top 1, bottom 2, right 1 → crop 1 all round → depthwise ×2 →
// separable 3×3 'valid' → transposed 2×2 stride 2 'same' → pool 4 → upsample 2×1 → max per channel → 10
const SHAPES = [
  '28×28×4',
  '31×29×4',
  '29×27×4',
  '29×27×8',
  '27×25×6',
  '54×50×4',
  '13×12×4',
  '26×12×4',
  '4',
  '10',
];
// conv 3·3·1·4 + 4; depthwise 3·3·4·2 + 8; separable 3·3·8·1 + 8·6 + 6; transposed 2·2·4·6 + 4; dense 4·10 + 10
const PARAMS = ['40', '0', '0', '80', '126', '100', '0', '0', '0', '50'];

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1400, height: 950 }, hash: `#data=mnist&net=${NET}` });
});
after(async () => {
  await pw?.close();
});

const rowTexts = (selector) =>
  pw.page.$$eval(`#stack li ${selector}`, (cells) => cells.map((c) => c.textContent.trim()));

test('a link with the new layers opens with the engine shapes and parameter counts on every row', async () => {
  const { page, consoleErrors } = pw;
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  assert.deepEqual(
    await page.$$eval('#stack .type-select', (s) => s.map((x) => x.value)),
    NET.split('+').map((l) => l.replace(/\(.*/, '')),
  );
  await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('#stack li .params')].filter((p) => p.textContent.trim()).length === n,
    SHAPES.length,
  );
  assert.deepEqual(await rowTexts('.shape'), SHAPES);
  assert.deepEqual(await rowTexts('.params'), PARAMS);
  assert.equal(await page.inputValue('#layer-1-padding'), '1×2×0×1');
  assert.equal(await page.inputValue('#layer-7-size'), '2×1');
  assert.equal(await page.inputValue('#layer-7-interpolation'), 'bilinear');
  await page.screenshot({ path: screenshotPath('desktop-new-layers'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

test('a sizes field refuses what is not n, h×w or four sides, and the engine names a shape that does not fit', async () => {
  const { page } = pw;
  await page.fill('#layer-2-cropping', '1×2×3');
  assert.match(await page.textContent('#layer-2-cropping-message'), /1, 2 or 4 whole numbers from 0 to 64/);
  assert.ok(await page.isDisabled('#start'));
  await page.fill('#layer-2-cropping', '2x1');
  await page.waitForSelector('#start:not([disabled])');
  // cropping 2 rows and 1 column off each side of 31×29
  await page.waitForFunction(
    () => document.querySelector('#stack li[data-index="2"] .shape').textContent === '27×27×4',
  );
  assert.match(await page.evaluate(() => location.hash), /cropping2d\(cropping:2x1\)/);
  // a Reshape whose shape does not hold the values: the engine's message on its row
  await page.selectOption('#layer-8-type', 'reshape');
  await page.fill('#layer-8-targetShape', '7×7×16');
  await page.waitForSelector('#stack li[data-index="8"].invalid');
  assert.match(await page.textContent('#stack li[data-index="8"] .layer-error'), /targetShape.*784 values/);
  await page.fill('#layer-8-targetShape', '-1');
  await page.waitForSelector('#start:not([disabled])');
  // 27×27 → depthwise 27×27×8 → separable 25×25×6 → transposed 50×50×4 → pool 12×12×4 → upsample 24×12×4
  assert.equal(await page.textContent('#stack li[data-index="8"] .shape'), '1,152');
});

test('the stack with the new layers trains a step in the worker', async () => {
  const { page } = pw;
  await page.click('#tab-train');
  await page.click('#step');
  await page.waitForFunction(
    () => document.querySelector('#status').textContent.startsWith('Paused after step 1.'),
    null,
    {
      timeout: 60_000,
    },
  );
  assert.deepEqual(pw.consoleErrors, []);
});
