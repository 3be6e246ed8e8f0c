// The page says what is happening and shows everything: a training that is
// clearly failing is called so, with one hint; a later success clears the
// error it resolves; each accuracy says what it was measured on; the run
// bar's epoch count and time left are honest; See inside reaches the output
// for every layer type; a stack edit rebuilds only the rows it changed.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DIGIT_STROKES, drawStrokes, openPlayground, screenshotPath } from '../support/browser.js';

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1280, height: 900 } });
  await pw.page.waitForSelector('#start:not([disabled])', { timeout: 120_000 });
});
after(async () => {
  await pw?.close();
});

const text = (sel) => pw.page.textContent(sel);
const go = (hash) =>
  pw.page.evaluate((h) => {
    location.hash = h;
  }, hash);
const ready = () => pw.page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
const paused = () =>
  pw.page.waitForFunction(() => /^(Paused|Done)/.test(document.querySelector('#status').textContent));

test('See inside reaches the output for every layer type: BatchNormalization, activation and dropout like the others, Flatten as a strip, Dense as bars, the softmax as probabilities', async () => {
  const { page } = pw;
  const setup = page.url();
  // 28 → conv 3 → 26 → pool 2 → 13×13×4 → 676 → 16 → 10
  const layers = [
    'conv2d(filters:4,kernelSize:3,activation:linear)',
    'batchNormalization',
    'activation(activation:relu)',
    'dropout(rate:0.5)',
    'maxPooling2d(poolSize:2,strides:2)',
    'flatten',
    'dense(units:16,activation:relu)',
    'dropout(rate:0.3)',
    'dense(units:10,activation:softmax)',
  ];
  await go(`#data=mnist&net=${layers.join('+')}`);
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 9);
  await ready();
  await page.click('#step'); // this net, not the pre-trained one, answers
  await paused();
  await page.click('#tab-inside');
  await page.fill('#inside-sample', '4');
  await page.waitForSelector('.inside-block[data-layer="8"]');
  const blocks = await page.$$eval('#inside .inside-block[data-layer]', (b) =>
    b.map((x) => [Number(x.dataset.layer), x.querySelector('h3').textContent]),
  );
  assert.deepEqual(
    blocks.map(([i]) => i),
    [0, 1, 2, 3, 4, 5, 6, 7, 8],
    `one block per layer: ${blocks.map(([, t]) => t).join(' | ')}`,
  );
  assert.deepEqual(
    blocks.map(([, t]) => t),
    [
      'Layer 1 Conv2D: 26×26×4',
      'Layer 2 BatchNormalization: 26×26×4',
      'Layer 3 Activation: 26×26×4',
      'Layer 4 Dropout: 26×26×4',
      'Layer 5 MaxPooling2D: 13×13×4',
      'Layer 6 Flatten: 676 — every value in one row',
      'Layer 7 Dense: 16',
      'Layer 8 Dropout: 16',
      'Layer 9 Dense — the output: the probability of each class (softmax)',
    ],
  );
  // the maps of BatchNormalization, the activation and the dropout: four pictures each, with values
  for (const i of [1, 2, 3])
    assert.equal(await page.locator(`.map-grid[data-layer="${i}"] canvas`).count(), 4, `layer ${i + 1}`);
  // the value under the pointer (the panel may redraw once more as the step's activations arrive: point again)
  const pointAt = async (canvas, readout, fx, fy) => {
    for (let tries = 0; tries < 5; tries++) {
      await page.locator(canvas).first().scrollIntoViewIfNeeded(); // a pointer off screen moves nothing
      const box = await page.locator(canvas).first().boundingBox();
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await page.mouse.move(box.x + box.width * fx + 1, box.y + box.height * fy, { steps: 2 });
      if ((await page.getAttribute(readout, 'data-value')) !== null) break;
      await page.waitForTimeout(200);
    }
    return page.locator(readout);
  };
  const valueAt = async (layer, fx, fy) => {
    const readout = await pointAt(
      `.map-grid[data-layer="${layer}"] canvas`,
      `.inside-block[data-layer="${layer}"] .readout`,
      fx,
      fy,
    );
    return Number(await readout.getAttribute('data-value'));
  };

  const [bn, relu, drop] = [
    await valueAt(1, 0.5, 0.5),
    await valueAt(2, 0.5, 0.5),
    await valueAt(3, 0.5, 0.5),
  ];
  assert.ok(Math.abs(relu - Math.max(0, bn)) < 1e-6, `ReLU of ${bn} is ${relu}`);
  assert.equal(drop, relu, 'outside training, dropout passes every value through');
  assert.match(await text('.inside-block[data-layer="3"]'), /Dropout only drops values while training/);
  // Flatten: one strip of 676 values, each readable under the pointer
  assert.equal(await page.getAttribute('.inside-block[data-layer="5"] canvas.strip', 'width'), '676');
  await pointAt(
    '.inside-block[data-layer="5"] canvas.strip',
    '.inside-block[data-layer="5"] .readout',
    0.0005,
    0.5,
  );
  assert.match(await text('.inside-block[data-layer="5"] .readout'), /^value \d+ of 676: -?\d/);
  // Dense as 16 bars; the dropout after it shows the same 16 numbers
  const bars = (i) =>
    page.$$eval(`.inside-block[data-layer="${i}"] .value-bars li`, (li) =>
      li.map((x) => Number(x.dataset.value)),
    );
  const dense = await bars(6);
  assert.equal(dense.length, 16);
  assert.ok(dense.every((v) => v >= 0) && dense.some((v) => v > 0), 'ReLU units: ≥ 0, not all zero');
  assert.deepEqual(await bars(7), dense);
  // the softmax: ten probabilities that sum to 1, and the note names the most likely one
  const probs = await bars(8);
  assert.equal(probs.length, 10);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  const top = probs.indexOf(Math.max(...probs));
  assert.match(
    await text('#inside-note'),
    new RegExp(`your trained net .* it says “${top}” \\(${Math.round(probs[top] * 100)} %\\)`),
  );
  await page.screenshot({ path: screenshotPath('say-show-inside-every-layer'), fullPage: true });
  await page.goto(setup);
  await ready();
  assert.deepEqual(pw.consoleErrors, []);
});

const HINT =
  /Lower the learning rate \(now ([\d.]+)\), press Reset for fresh weights, or restore a snapshot\.$/;
const toastTexts = () => pw.page.$$eval('.error-toast p', (p) => p.map((x) => x.textContent));
const dismissAll = async () => {
  while (await pw.page.locator('.error-toast').count())
    await pw.page.locator('.error-toast button').first().click();
};
const logEntries = () => pw.page.$$eval('#error-log li', (li) => li.map((x) => x.textContent));

test('training that is clearly failing is called so, with the same hint every time: the loss far above its start (momentum, lr 10), one class for everything (SGD, lr 5), a NaN loss', async () => {
  const { page } = pw;
  await dismissAll();
  // the steps: the reference net with momentum at lr 10
  await go('#data=mnist&preset=reference&opt=momentum&lr=10&momentum=0.9&batch=32&epochs=1&l2=0');
  await page.waitForFunction(() => document.querySelector('#hyper-learningRate').value === '10');
  await ready();
  await page.click('#tab-train');
  await page.click('#start');
  await page.waitForFunction(
    () => /the loss is .* far above/.test(document.querySelector('#errors').textContent),
    null,
    {
      timeout: 60_000,
    },
  );
  const [loss] = await toastTexts();
  assert.match(
    loss,
    /^Training is failing: the loss is \d+\.\d{4}, far above the 2\.\d{4} it started from, for \d+ updates in a row\. /,
  );
  assert.match(loss, HINT);
  assert.match(
    await text('#status'),
    /^Training is failing \(see the message\)\. Lower the learning rate \(now 10\)/,
  );
  await page.screenshot({ path: screenshotPath('say-show-failing-loss'), fullPage: false });
  await page.click('#start'); // pause
  await paused();
  await dismissAll();
  // one class for everything while the loss stays where it started: dead ReLUs after SGD at lr 5
  await go(
    '#data=mnist&net=flatten+dense(units:32,activation:relu)+dense(units:10,activation:softmax)&opt=sgd&lr=5&batch=32&epochs=1&l2=0',
  );
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 3);
  await ready();
  await page.click('#start');
  await page.waitForFunction(
    () => /Training is failing: the net predicts/.test(document.querySelector('#errors').textContent),
    null,
    {
      timeout: 60_000,
    },
  );
  const [collapse] = await toastTexts();
  assert.match(
    collapse,
    /^Training is failing: the net predicts “\d” for (9\d|100) % of the [\d,]+ validation images it was checked on\. /,
  );
  assert.match(collapse, HINT);
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  // the epoch's report agrees: one column of the confusion matrix holds (nearly) every image
  const columns = await page.$$eval('#confusion tbody tr', (rows) =>
    rows.reduce((sum, r) => {
      [...r.querySelectorAll('td')].forEach((td, c) => (sum[c] += Number(td.textContent || 0)));
      return sum;
    }, new Array(10).fill(0)),
  );
  assert.ok(Math.max(...columns) >= 0.9 * 2000, `predicted per class: ${columns}`);
  await dismissAll();
  // a NaN loss (a deep linear stack at lr 10): the engine's own divergence, with the same hint
  const linear = 'dense(units:64,activation:linear)';
  await go(
    `#data=mnist&net=flatten+${linear}+${linear}+${linear}+dense(units:10)&opt=momentum&lr=10&momentum=0.9&batch=32&epochs=1&l2=0`,
  );
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 5);
  await ready();
  await page.click('#start');
  await page.waitForFunction(() => /diverged/.test(document.querySelector('#errors').textContent), null, {
    timeout: 60_000,
  });
  const diverged = (await toastTexts()).find((t) => /diverged/.test(t));
  assert.match(
    diverged,
    /^Training diverged in epoch 1, batch \d+: the loss became (NaN|infinite)\. The weights were restored to the last good ones\. /,
  );
  assert.match(diverged, HINT);
  assert.equal(
    await page.locator('.error-toast').count(),
    1,
    'the divergence replaces the warning before it',
  );
  assert.match(
    await text('#status'),
    /^Diverged: the weights were restored to the last good ones\. Lower the learning rate \(now 10\)/,
  );
  // the same hint, word for word, but for the learning rate it names
  const hints = [loss, collapse, diverged].map((m) => m.match(HINT)[0].replace(/\(now [\d.]+\)/, ''));
  assert.equal(new Set(hints).size, 1);
  assert.deepEqual(pw.consoleErrors, []);
});

test('an error that a later success resolves goes away: training healthy again after a divergence, a model upload after a bad file', async () => {
  const { page } = pw;
  // continuing from the divergence above: a sane learning rate, and training that goes well
  assert.equal(await page.locator('.error-toast').count(), 1);
  await page.fill('#hyper-learningRate', '0.001');
  await page.press('#hyper-learningRate', 'Tab');
  await page.click('#start');
  await page.waitForFunction(() => document.querySelectorAll('.error-toast').length === 0, null, {
    timeout: 60_000,
  });
  assert.match(await text('#status'), /^(Training…|Done)/);
  if ((await text('#start')) === 'Pause') await page.click('#start');
  await paused();
  await page.click('#error-log summary');
  assert.match((await logEntries())[0], /Training diverged/, 'the log keeps it');
  await page.click('#error-log summary');
  // a model file that is not one, then a real one
  await page.click('#tab-models');
  await page.setInputFiles('#upload', {
    name: 'broken.clmodel',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('not a model'),
  });
  await page.waitForFunction(() =>
    /Could not load the model/.test(document.querySelector('#errors').textContent),
  );
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const bytes = readFileSync(await download.path());
  await page.setInputFiles('#upload', {
    name: 'good.clmodel',
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await page.waitForFunction(() => /Loaded “good”/.test(document.querySelector('#status').textContent));
  assert.equal(await page.locator('.error-toast').count(), 0, await text('#errors'));
  await page.click('#error-log summary');
  assert.ok((await logEntries()).some((e) => /Could not load the model/.test(e)));
  await page.click('#error-log summary');
  assert.deepEqual(pw.consoleErrors, []);
});

test('“Epoch 0 of N” follows the Epochs field as it is typed (valid values), before, during a pause and between runs; time left waits for measured training', async () => {
  const { page } = pw;
  // batches of 8: 1,000 steps an epoch, so a pause after some 40 comes well before its end
  await go('#data=mnist&preset=tiny&opt=momentum&lr=0.02&momentum=0.9&batch=8&epochs=1&l2=0');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'), null, {
    timeout: 60_000,
  });
  await ready();
  await page.click('#tab-train');
  assert.equal(await text('#epoch-text'), 'Epoch 0 of 1');
  const typeEpochs = async (v) => {
    await page.click('#hyper-epochs', { clickCount: 3 });
    await page.keyboard.type(v); // typed, not yet left: the run bar follows already
  };
  await typeEpochs('3');
  await page.waitForFunction(() => document.querySelector('#epoch-text').textContent === 'Epoch 0 of 3');
  await typeEpochs('0'); // not valid: the value in effect stays 3
  assert.match(await text('#hyper-epochs-message'), /a whole number from 1 to 50/);
  assert.equal(await text('#epoch-text'), 'Epoch 0 of 3');
  await typeEpochs('2');
  await page.waitForFunction(() => document.querySelector('#epoch-text').textContent === 'Epoch 0 of 2');
  // one Step: its batch carries the start of a fit, so no time left is made up from it
  await page.click('#step');
  await paused();
  assert.equal(await text('#eta-text'), '– left');
  assert.equal(await text('#speed-text'), '– examples/s');
  assert.equal(await text('#epoch-text'), 'Epoch 1 of 2', 'the first epoch is under way');
  // paused in a run: the run follows the field too
  await typeEpochs('3');
  await page.waitForFunction(() => document.querySelector('#epoch-text').textContent === 'Epoch 1 of 3');
  // real training: the time left is the examples left at the measured speed
  await page.click('#start');
  // an estimate comes once enough batches were measured
  await page.waitForFunction(() => /\d s left$/.test(document.querySelector('#eta-text').textContent), null, {
    timeout: 60_000,
  });
  await page.click('#start');
  await paused();
  assert.match(await text('#status'), /^Paused/, 'three epochs are not over yet');
  const speed = Number((await text('#speed-text')).replace(/[^\d]/g, ''));
  const fraction = await page.$eval('#progress', (p) => p.value);
  const left = await text('#eta-text');
  const [, min = '0', sec] = left.match(/^(?:(\d+) min )?(\d+) s left$/) ?? [];
  const seconds = Number(min) * 60 + Number(sec);
  const expected = ((1 - fraction) * 3 * 8000) / speed;
  assert.ok(speed > 0 && Number.isFinite(seconds), `${speed} examples/s, ${left}`);
  assert.ok(
    Math.abs(seconds - expected) <= 1 + expected * 0.02,
    `${left} for ${Math.round((1 - fraction) * 3 * 8000)} examples at ${speed}/s`,
  );
  // one epoch for this Train: the run ends with the epoch under way; paused
  // just after an epoch's end, the next epoch's fit is waiting and the Train does it
  const shownNow = Number((await text('#epoch-text')).match(/^Epoch (\d+) of/)[1]);
  await typeEpochs('1');
  const ends = [shownNow, shownNow + 1].map((e) => `Epoch ${shownNow} of ${e}`);
  await page.waitForFunction(
    (ends) => ends.includes(document.querySelector('#epoch-text').textContent),
    ends,
  );
  // "Epoch 2 of 3" is also the text before the edit: give the worker's answer time to come
  if (shownNow + 1 === 3) await page.waitForTimeout(1000);
  const now = Number((await text('#epoch-text')).match(/ of (\d+)$/)[1]);
  const epochText = (t) =>
    page.waitForFunction((t) => document.querySelector('#epoch-text').textContent === t, t);
  await page.click('#start');
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  assert.equal(await text('#epoch-text'), `Epoch ${now} of ${now}`);
  // between runs: the field says what the next Train does
  await typeEpochs('2');
  await epochText(`Epoch ${now} of ${now + 2}`);
  await page.press('#hyper-epochs', 'Tab');
  assert.match(page.url(), /&epochs=2(&|$)/);
  await typeEpochs('1');
  await page.press('#hyper-epochs', 'Tab');
  assert.deepEqual(pw.consoleErrors, []);
});

test('each validation accuracy says what it is: “≈ 96 % on 300 samples” during an epoch, “95.9 % on all 2,000” at its end, in the run bar, the status, the charts and saved models', async () => {
  const { page } = pw;
  await page.click('#reset');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'));
  await ready();
  // before this net trains, the pre-trained net answers the pad, with its figure's basis
  await drawStrokes(page, '#pad', DIGIT_STROKES['7']);
  await page.waitForFunction(() => document.querySelector('#predictor').textContent.includes('pre-trained'));
  assert.match(await text('#predictor'), /the pre-trained net \(\d+\.\d % on all 2,000 held-out digits\)/);
  await page.click('#clear');
  await page.click('#step');
  await paused();
  assert.match(await text('#val-acc'), /^≈ \d+ % on 300 samples$/);
  assert.equal(await page.getAttribute('#val-acc', 'data-full'), 'false');
  const legend = () =>
    page.$$eval('#chart-acc .u-legend .u-series th', (t) => t.map((x) => x.textContent.trim()));
  assert.deepEqual((await legend()).slice(1), [
    'training accuracy',
    'validation, ≈ 300 samples',
    'validation, all 2,000 (epoch end)',
  ]);
  await page.click('#start');
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  const full = await text('#val-acc');
  assert.match(full, /^\d+\.\d % on all 2,000$/);
  assert.equal(await page.getAttribute('#val-acc', 'data-full'), 'true');
  assert.ok((await text('#status')).endsWith(`validation accuracy ${full}.`), await text('#status'));
  // the chart: the epoch's end is a point of its own series, its value under the pointer
  await page.waitForTimeout(100); // the chart redraws in the next frame
  const points = await page.evaluate(() => {
    const u = document.querySelector('#chart-acc');
    return u.querySelectorAll('.u-legend .u-series').length;
  });
  assert.equal(points, 4);
  await page.screenshot({ path: screenshotPath('say-show-accuracy'), fullPage: false });
  // a save keeps the figure's basis
  await page.click('#tab-models');
  await page.fill('#save-name', 'labelled');
  await page.click('#save-browser');
  await page.waitForSelector('.saved-name:text("labelled")');
  const facts = await page.$$eval('#saved-list .saved', (s) =>
    s
      .filter((x) => x.querySelector('.saved-name').textContent === 'labelled')
      .map((x) => x.querySelector('.note').textContent),
  );
  assert.ok(facts[0].includes(`${full} validation`), facts[0]);
  assert.deepEqual(pw.consoleErrors, []);
});

test('a stack edit rebuilds only the rows it changed: after an insert in the middle of 60 layers every old row is the same element, renumbered', async () => {
  const { page } = pw;
  const net = [
    'flatten',
    ...Array(58).fill('dense(units:10,activation:relu)'),
    'dense(units:10,activation:softmax)',
  ];
  await go(`#data=mnist&net=${net.join('+')}`);
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 60, null, {
    timeout: 60_000,
  });
  await ready();
  await page.click('#tab-build');
  await page.selectOption('#add-type', 'dropout');
  await page.evaluate(() => {
    window.__rows = [...document.querySelectorAll('#stack .layer')];
  });
  await page.click('#stack li[data-index="29"] .insert');
  assert.equal(await page.locator('#stack .layer').count(), 61);
  const reuse = await page.evaluate(() => {
    const now = [...document.querySelectorAll('#stack .layer')];
    return {
      above: window.__rows.slice(0, 30).every((r, i) => now[i] === r),
      below: window.__rows.slice(30).every((r, i) => now[i + 31] === r),
      inserted: !window.__rows.includes(now[30]),
    };
  });
  assert.deepEqual(reuse, { above: true, below: true, inserted: true });
  assert.equal(await page.getAttribute('#stack .layer >> nth=30', 'data-type'), 'dropout');
  // a renumbered row says its new place everywhere, and its fields edit the right layer
  const row = page.locator('#stack li[data-index="40"]');
  assert.equal(await row.locator('.idx').textContent(), '41');
  assert.equal(await row.locator('.remove').getAttribute('aria-label'), 'Remove layer 41 (Dense)');
  await page.fill('#layer-40-units', '2000');
  assert.match(await text('#input-problems'), /layer 41 units/);
  assert.equal(await page.getAttribute('#layer-40-units', 'aria-describedby'), 'layer-40-units-message');
  await page.fill('#layer-40-units', '12');
  await page.waitForFunction(() => location.hash.split('+')[40] === 'dense(units:12,activation:relu)');
  await page.click('#stack li[data-index="30"] .remove');
  assert.equal(await page.locator('#stack .layer').count(), 60);
  assert.ok(
    await page.evaluate(() =>
      [...document.querySelectorAll('#stack .layer')].every((r) => window.__rows.includes(r)),
    ),
    'removing the inserted row keeps all the others',
  );
  await page.screenshot({ path: screenshotPath('say-show-stack-60'), fullPage: false });
  assert.deepEqual(pw.consoleErrors, []);
});
