// Every trained net is kept: a snapshot at each epoch's end (stack,
// hyperparameters, steps, accuracy, weights) that Restore brings back
// exactly; Reset, another dataset, another preset and a stack that needs
// fresh weights can be undone at once; a worker that dies is noticed and
// replaced, and the net goes on from its last checkpoint.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DIGIT_STROKES, drawStrokes, openPlayground, screenshotPath } from '../support/browser.js';

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1280, height: 900 } });
  await pw.page.waitForSelector('#start:not([disabled])', { timeout: 120_000 });
  await drawStrokes(pw.page, '#pad', DIGIT_STROKES['3']);
});
after(async () => {
  await pw?.close();
});

const text = (sel) => pw.page.textContent(sel);
const probs = () => pw.page.getAttribute('#bars', 'data-probs');
// the accuracy figure, without what it was measured on
const accuracy = async () => /^[\d.]+ %/.exec(await text('#val-acc'))?.[0];
const stepsNow = async () => Number((await text('#steps')).replace(/,/g, ''));
const snapshotRows = () =>
  pw.page.$$eval('#snapshots-list li.snapshot', (lis) =>
    lis.map(
      (li) => `${li.querySelector('.saved-name').textContent} | ${li.querySelector('.note').textContent}`,
    ),
  );

async function type(sel, value) {
  await pw.page.fill(sel, value);
  await pw.page.press(sel, 'Tab');
}
// Waits for the pad to answer from a net other than the one that gave `old`, and returns its answer.
async function padChangedFrom(old) {
  await pw.page.waitForFunction(
    (o) => {
      const p = document.querySelector('#bars').dataset.probs;
      return p && p !== o && document.querySelector('#predictor').textContent.startsWith('by your');
    },
    old,
    { timeout: 30_000 },
  );
  return probs();
}
async function padShows(expected) {
  await pw.page
    .waitForFunction((p) => document.querySelector('#bars').dataset.probs === p, expected, {
      timeout: 30_000,
    })
    .catch(async (e) => {
      throw new Error(`${e.message}: the pad shows ${await probs()}, not ${expected}`);
    });
}
async function trainToDone() {
  await pw.page.click('#start');
  await pw.page.waitForFunction(
    () => document.querySelector('#status').textContent.startsWith('Done'),
    null,
    {
      timeout: 120_000,
    },
  );
}

let first; // snapshot #1: { steps, acc, probs }

test('a snapshot at each epoch end: listed with its facts; Restore brings back stack, settings and weights exactly', async () => {
  const { page } = pw;
  await page.click('#tab-train');
  await trainToDone();
  first = { steps: await stepsNow(), acc: await accuracy(), probs: await padChangedFrom('') };
  await page.waitForFunction(() => document.querySelectorAll('#snapshots-list li.snapshot').length === 1);
  const [row] = await snapshotRows();
  assert.match(
    row,
    new RegExp(
      `^#1 after epoch 1 \\| ${first.steps} steps · ${first.acc.replace('.', '\\.')} on all 2,000 validation · ` +
        `MNIST.* · 6 layers · momentum · lr 0\\.01 · batch 32 · `,
    ),
  );
  // another learning rate, another epoch: snapshot #2
  await type('#hyper-learningRate', '0.005');
  await trainToDone();
  await page.waitForFunction(() => document.querySelectorAll('#snapshots-list li.snapshot').length === 2);
  const second = await padChangedFrom(first.probs);
  assert.match((await snapshotRows())[0], /^#2 after epoch 2.* · lr 0\.005 · /);
  await page.screenshot({ path: screenshotPath('snapshots-panel'), fullPage: false });
  // and another stack (fresh weights, put aside as snapshot #3)
  await page.click('#tab-build');
  await page.fill('#layer-0-filters', '4');
  await page.waitForSelector('#start:not([disabled])');
  assert.match((await snapshotRows())[0], /^#3 before: New stack, fresh weights/);
  // Restore #1: its stack, its learning rate, its steps, its accuracy, its answers
  await page.click('#tab-train');
  await page.click('button[aria-label="Restore snapshot #1"]');
  await page.waitForFunction(() =>
    document.querySelector('#status').textContent.startsWith('Restored snapshot #1'),
  );
  await padShows(first.probs);
  assert.equal(await page.inputValue('#hyper-learningRate'), '0.01');
  assert.equal(await stepsNow(), first.steps);
  assert.equal(await accuracy(), first.acc);
  assert.match(await text('#val-acc'), / on all 2,000 \(when saved\)$/);
  assert.match(page.url(), /net=conv2d\(filters:8,/);
  assert.notEqual(first.probs, second);
  // the net it replaced had not trained: nothing to keep
  assert.match((await snapshotRows())[0], /^#3 /);
  assert.deepEqual(pw.consoleErrors, []);
});

test('Reset, another dataset or preset, a stack needing fresh weights: each offers Undo, which gives the same net back', async () => {
  const { page } = pw;
  const trained = await probs();
  const steps = await stepsNow();
  const undoes = async (action, message, expectUrl) => {
    await action();
    await page.waitForSelector('#net-undo:not([hidden])', { timeout: 60_000 });
    assert.match(await text('#net-undo'), message);
    await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
    await page.click('#undo-net');
    await page.waitForFunction(
      () => document.querySelector('#status').textContent.startsWith('Restored'),
      null,
      {
        timeout: 60_000,
      },
    );
    await padShows(trained);
    assert.equal(await stepsNow(), steps);
    assert.ok(await page.isHidden('#net-undo'));
    if (expectUrl) assert.match(page.url(), expectUrl);
  };
  await undoes(
    () => page.click('#reset'),
    new RegExp(`^Net reset; the trained net \\(${steps} steps\\) is snapshot #\\d+ — Undo$`),
  );
  await page.screenshot({ path: screenshotPath('snapshots-undo-before'), fullPage: false });
  await page.click('#tab-build');
  await undoes(
    () => page.selectOption('#dataset', 'fashion'),
    /^Switched to Fashion-MNIST; the trained net .* — Undo$/,
    /#data=mnist&/,
  );
  assert.equal(await page.inputValue('#dataset'), 'mnist');
  await undoes(
    () => page.selectOption('#preset', 'lenet'),
    /^New preset, fresh weights; .* — Undo$/,
    /net=conv2d\(filters:8,/,
  );
  await undoes(
    () => page.fill('#layer-2-filters', '6'),
    /^New stack, fresh weights; .* — Undo$/,
    /net=conv2d\(filters:8,kernelSize:5,.*\+conv2d\(filters:16,/,
  );
  assert.deepEqual(pw.consoleErrors, []);
});

test('a worker that dies mid-training is noticed: the engine restarts and the net trains on from its last epoch', async () => {
  const { page } = pw;
  await page.click('#tab-train');
  await type('#hyper-epochs', '3');
  const before = (await snapshotRows()).length;
  await page.click('#start');
  // past the first epoch's end (a checkpoint), well into the next one
  await page.waitForFunction(
    (n) => document.querySelectorAll('#snapshots-list li.snapshot').length === Math.min(10, n + 1),
    before,
    {
      timeout: 120_000,
    },
  );
  const checkpoint = (await snapshotRows())[0];
  const checkpointSteps = Number(/\| ([\d,]+) steps/.exec(checkpoint)[1].replace(/,/g, ''));
  await page.waitForFunction(
    (s) => Number(document.querySelector('#steps').textContent.replace(/,/g, '')) > s + 30,
    checkpointSteps,
    {
      timeout: 60_000,
    },
  );
  // the engine's worker ends as a crashed or killed one does: at once, saying nothing
  const engine = page.workers().find((w) => w.url().includes('worker-thread.js'));
  assert.ok(engine, `the engine worker among ${page.workers().map((w) => w.url())}`);
  const dying = await probs();
  await engine.evaluate(() => self.close());
  await page.waitForFunction(
    () =>
      /^The engine died \(the Convolab worker stopped unexpectedly\) and was restarted/.test(
        document.querySelector('#status').textContent,
      ),
    null,
    {
      timeout: 60_000,
    },
  );
  assert.match(
    await text('#status'),
    new RegExp(
      `Your net is back as it was after epoch \\d+ \\(${checkpoint.match(/\| ([\d,]+) steps/)[1]} steps; ` +
        `the [\\d,]+ steps since were lost\\)\\. Press Train to continue\\.$`,
    ),
  );
  assert.equal(await stepsNow(), checkpointSteps);
  // the run bar counts from the checkpoint's epoch: the next Train does 3 more
  const epochBack = Number(/as it was after epoch (\d+)/.exec(await text('#status'))[1]);
  assert.equal(await text('#epoch-text'), `Epoch ${epochBack} of ${epochBack + 3}`);
  await page.screenshot({ path: screenshotPath('snapshots-worker-died'), fullPage: false });
  await page.waitForSelector('#start:not([disabled])');
  const back = await padChangedFrom(dying); // the checkpoint's net, 30 and more steps before

  // it is the checkpoint's net: the snapshot of that epoch answers the same
  const id = /^#(\d+)/.exec(checkpoint)[1];
  await page.click(`button[aria-label="Restore snapshot #${id}"]`);
  await page.waitForFunction(
    (i) => document.querySelector('#status').textContent.startsWith(`Restored snapshot #${i}`),
    id,
  );
  await padShows(back);
  // and it trains on from the checkpoint: steps count on, accuracy is not a fresh net's
  await page.click('#step');
  await page.waitForFunction(
    (s) => Number(document.querySelector('#steps').textContent.replace(/,/g, '')) === s + 1,
    checkpointSteps,
    {
      timeout: 30_000,
    },
  );
  assert.ok(
    parseFloat(/[\d.]+/.exec(await text('#val-acc'))[0]) > 80,
    `accuracy after one more step: ${await text('#val-acc')}`,
  );
  assert.deepEqual(pw.consoleErrors, []);
});

test('the Undo line and the snapshots panel fit a phone (390 px): screenshots', async () => {
  const { page } = pw;
  await page.waitForSelector('#start:not([disabled])');
  await page.click('#reset');
  await page.waitForSelector('#net-undo:not([hidden])', { timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('snapshots-undo-desktop'), fullPage: false });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('snapshots-undo-phone'), fullPage: false });
  const undo = await page.locator('#undo-net').boundingBox();
  assert.ok(undo.x >= 0 && undo.x + undo.width <= 390, `Undo at ${undo.x}..${undo.x + undo.width}`);
  await page.locator('#snapshots-panel').screenshot({ path: screenshotPath('snapshots-panel-phone') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `the page is ${overflow} px wide`);
  await page.click('#undo-net');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Restored'));
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('kept in this browser (IndexedDB), the snapshots survive a reload and restore the same net', async () => {
  const { page } = pw;
  await page.click('#tab-train');
  await page.check('#snapshots-keep');
  const keptAll = () =>
    page.waitForFunction(
      () =>
        document.querySelector('#snapshots-note').textContent ===
        `${document.querySelectorAll('#snapshots-list li.snapshot').length} snapshots kept in this browser.`,
    );
  await keptAll();
  // the second oldest: restoring puts the current net aside too, and a full list drops its oldest
  const id = /^#(\d+)/.exec((await snapshotRows()).at(-2))[1];
  const current = await probs();
  await page.click(`button[aria-label="Restore snapshot #${id}"]`);
  await page.waitForFunction(
    (i) => document.querySelector('#status').textContent.startsWith(`Restored snapshot #${i}`),
    id,
  );
  const restored = await padChangedFrom(current);
  await keptAll(); // the trained net that restoring replaced is one of them now
  const rows = await snapshotRows();
  await page.reload();
  await page.waitForSelector('#start:not([disabled])', { timeout: 120_000 });
  await page.click('#tab-train');
  await page.waitForFunction(
    (n) => document.querySelectorAll('#snapshots-list li.snapshot').length === n,
    rows.length,
  );
  assert.deepEqual(await snapshotRows(), rows, 'the same snapshots, with the same facts');
  assert.ok(await page.isChecked('#snapshots-keep'));
  await drawStrokes(page, '#pad', DIGIT_STROKES['3']);
  await page.click(`button[aria-label="Restore snapshot #${id}"]`);
  await page.waitForFunction(
    (i) => document.querySelector('#status').textContent.startsWith(`Restored snapshot #${i}`),
    id,
  );
  await padShows(restored);
  await page.uncheck('#snapshots-keep');
  assert.deepEqual(pw.consoleErrors, []);
});
