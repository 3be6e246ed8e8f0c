// The playground in real headless Chromium, desktop size: loads clean, the
// pre-trained net reads drawn digits, a stack built through the UI shows the
// engine's shapes and arithmetic, a bad layer blocks training, the URL
// reproduces the stack, training in the worker passes 90 % validation
// accuracy with pause/resume, the kernel lab's numbers match hand-worked
// ones, and a saved model predicts the same after a reload.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DIGIT_STROKES, drawStrokes, openPlayground, screenshotPath } from '../support/browser.js';

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1400, height: 950 } });
});
after(async () => {
  await pw?.close();
});

const text = (sel) => pw.page.textContent(sel);
const stackTypes = () => pw.page.$$eval('#stack .type-select', (s) => s.map((x) => x.value));
const probs = async () => JSON.parse((await pw.page.getAttribute('#bars', 'data-probs')) || 'null');

// Builds a preset from the Build view, waits for the engine, and opens Train.
async function trainPreset(name) {
  await pw.page.click('#tab-build');
  await pw.page.selectOption('#preset', name);
  await pw.page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'));
  await pw.page.click('#tab-train');
}

async function drawDigit(strokes) {
  await pw.page.click('#clear');
  await drawStrokes(pw.page, '#pad', strokes);
}

test('the page loads the engine and the dataset with no console errors', async () => {
  const { page, consoleErrors } = pw;
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  assert.match(await text('#status'), /Ready/);
  assert.match(await text('#split'), /train 8,000.*validation 2,000/s);
  assert.equal(await page.locator('#samples .sample').count(), 40);
  assert.deepEqual(await stackTypes(), [
    'conv2d',
    'maxPooling2d',
    'conv2d',
    'maxPooling2d',
    'flatten',
    'dense',
  ]);
  await page.screenshot({ path: screenshotPath('desktop-build'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

test('the pre-trained net classifies digits drawn with mouse strokes', async () => {
  const { page } = pw;
  for (const digit of ['0', '1', '2', '3', '4', '7']) {
    await drawDigit(DIGIT_STROKES[digit]);
    await page.waitForFunction(
      () => document.querySelector('#predictor').textContent.includes('pre-trained'),
      null,
      { timeout: 20_000 },
    );
    await page
      .waitForFunction((d) => document.querySelector('#prediction').textContent === d, digit, {
        timeout: 3_000,
      })
      .catch(() => {});
    assert.equal(
      await text('#prediction'),
      digit,
      `drew ${digit}, the pre-trained net said ${await text('#prediction')}`,
    );
    const p = await probs();
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-3, 'ten probabilities that sum to 1');
  }
});

test('the pad: undo removes the last stroke, clear empties it', async () => {
  const { page } = pw;
  await drawDigit(DIGIT_STROKES['4']);
  await page
    .waitForFunction(() => document.querySelector('#prediction').textContent === '4', null, {
      timeout: 5_000,
    })
    .catch(() => {});
  const four = await probs();
  await page.click('#undo');
  await page.waitForFunction(
    (p) => document.querySelector('#bars').dataset.probs !== p,
    JSON.stringify(four),
  );
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === '–');
  await drawDigit(DIGIT_STROKES['1']);
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === '1');
  await page.click('#clear');
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === '–');
  // Undo right after Clear brings the drawing back
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === '1');
  await page.click('#clear');
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === '–');
});

test('a stack built through the UI shows shapes, parameters, MACs and the arithmetic', async () => {
  const { page } = pw;
  await page.selectOption('#preset', 'tiny');
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 4);
  // insert Dense(32, relu) after Flatten (layer 3), then check the engine's numbers
  await page.selectOption('#add-type', 'dense');
  await page.click('#stack li[data-index="2"] .insert');
  await page.fill('#layer-3-units', '32');
  await page.selectOption('#layer-3-activation', 'relu');
  // 24x24x4 → pool 12x12x4 = 576 → 576*32+32 = 18,464 → 32*10+10 = 330
  const facts = () =>
    page.$$eval('#stack .layer', (rows) =>
      rows.map((r) => ['.shape', '.params', '.macs'].map((c) => r.querySelector(c).textContent).join(' ')),
    );
  // MACs 5*5*1*4*24*24, 576*32, 32*10
  const expected = ['24×24×4 104 57,600', '12×12×4 0 0', '576 0 0', '32 18,464 18,432', '10 330 320'];
  await page
    .waitForFunction(
      (e) =>
        [...document.querySelectorAll('#stack .layer')]
          .map((r) => ['.shape', '.params', '.macs'].map((c) => r.querySelector(c).textContent).join(' '))
          .join('|') === e.join('|'),
      expected,
      { timeout: 10_000 },
    )
    .catch(() => {});
  assert.deepEqual(await facts(), expected);
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'));
  assert.match(await text('#stack-totals'), /18,898/);
  // the arithmetic appears on focus, numbers filled in
  await page.focus('#layer-0-filters');
  assert.ok(await page.isVisible('#formula-0'));
  assert.match(await text('#formula-0'), /out = ⌊\(28 − 5 \+ 2·0\)\/1⌋ \+ 1 = 24/);
  assert.match(await text('#formula-0'), /5·5·1·4 = 100/);
  await page.selectOption('#layer-0-padding', 'same');
  await page.waitForFunction(
    () => document.querySelector('#stack li[data-index="0"] .shape').textContent === '28×28×4',
  );
  await page.focus('#layer-0-filters');
  assert.match(await text('#formula-0'), /out = ⌊\(28 − 5 \+ 2·2\)\/1⌋ \+ 1 = 28/);
  await page.selectOption('#layer-0-padding', 'valid');
  // reorder with the keyboard: move the new Dense above Flatten and back
  await page.focus('#stack li[data-index="3"] .handle');
  await page.keyboard.press('ArrowUp');
  assert.deepEqual(await stackTypes(), ['conv2d', 'maxPooling2d', 'dense', 'flatten', 'dense']);
  // focus follows the moved layer (set on the next frame)
  await page.waitForFunction(() => document.activeElement.closest('li')?.dataset.index === '2', null, {
    timeout: 2_000,
  });
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await stackTypes(), ['conv2d', 'maxPooling2d', 'flatten', 'dense', 'dense']);
  // reorder by dragging the handle: pool to the top, then back
  const drag = async (from, to) => {
    const a = await page.locator(`#stack li[data-index="${from}"] .handle`).boundingBox();
    const b = await page.locator(`#stack li[data-index="${to}"]`).boundingBox();
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2, b.y + (to < from ? 4 : b.height - 4), { steps: 6 });
    await page.mouse.up();
  };
  await drag(1, 0);
  assert.deepEqual(await stackTypes(), ['maxPooling2d', 'conv2d', 'flatten', 'dense', 'dense']);
  await drag(0, 1);
  assert.deepEqual(await stackTypes(), ['conv2d', 'maxPooling2d', 'flatten', 'dense', 'dense']);
  // remove the extra Dense
  await page.click('#stack li[data-index="3"] .remove');
  assert.deepEqual(await stackTypes(), ['conv2d', 'maxPooling2d', 'flatten', 'dense']);
  await page.waitForSelector('#start:not([disabled])');
});

test('BatchNormalization without γ (scale: false) learns only β; the choice reaches the engine and the link', async () => {
  const { page } = pw;
  await page.selectOption('#add-type', 'batchNormalization');
  await page.click('#stack li[data-index="0"] .insert');
  assert.deepEqual(await stackTypes(), ['conv2d', 'batchNormalization', 'maxPooling2d', 'flatten', 'dense']);
  const bnParams = () => page.textContent('#stack li[data-index="1"] .params');
  await page.waitForFunction(
    () => document.querySelector('#stack li[data-index="1"] .params').textContent === '8',
  ); // γ and β, 4 each
  await page.selectOption('#layer-1-scale', 'false');
  await page
    .waitForFunction(() => document.querySelector('#stack li[data-index="1"] .params').textContent === '4')
    .catch(() => {});
  assert.equal(await bnParams(), '4', 'only β is learned');
  assert.match(await page.evaluate(() => location.hash), /batchNormalization\(momentum:0\.99,scale:false\)/);
  await page.waitForSelector('#start:not([disabled])');
  await page.click('#stack li[data-index="1"] .remove');
  assert.deepEqual(await stackTypes(), ['conv2d', 'maxPooling2d', 'flatten', 'dense']);
  await page.waitForSelector('#start:not([disabled])');
});

test('an invalid layer shows the engine’s message and blocks Train until fixed', async () => {
  const { page } = pw;
  // past the field's stated limit: refused at the field, the layer keeps its kernel
  await page.fill('#layer-0-kernelSize', '40');
  assert.match(await text('#layer-0-kernelSize-message'), /from 1 to 15 \(you typed 40\)/);
  assert.ok(await page.isDisabled('#start'));
  assert.ok(await page.isDisabled('#step'));
  await page.fill('#layer-0-kernelSize', '5');
  await page.waitForSelector('#start:not([disabled])');
  // within the limit but too big for the maps: the engine says so. Stride 4 leaves 6×6 maps, too small for a 8×8 window
  await page.fill('#layer-0-strides', '4');
  await page.fill('#layer-1-poolSize', '8');
  await page.waitForSelector('#stack li[data-index="1"].invalid');
  assert.match(
    await text('#stack li[data-index="1"] .layer-error'),
    /layer 2 \(MaxPooling2D\): .*does not fit a 6x6 input/,
  );
  assert.ok(await page.isDisabled('#start'));
  assert.ok(await page.isDisabled('#step'));
  await page.screenshot({ path: screenshotPath('desktop-build-invalid'), fullPage: true });
  // layer 1 keeps its facts (measured with a Flatten after it)
  await page.waitForFunction(
    () => document.querySelector('#stack li[data-index="0"] .params').textContent === '104',
  );
  assert.equal(await text('#stack li[data-index="0"] .shape'), '6×6×4');
  await page.fill('#layer-1-poolSize', '2');
  await page.fill('#layer-1-strides', '2');
  await page.fill('#layer-0-strides', '1');
  await page.waitForSelector('#start:not([disabled])');
  assert.equal(await page.locator('#stack .invalid').count(), 0);
  // Dense straight on the feature maps is valid (it works on each pixel's channels, as in tfjs), but
  // then the net ends in a map while the dataset has one label per image: the last layer says what to add
  await page.selectOption('#layer-2-type', 'dense');
  await page.waitForSelector('#stack li[data-index="3"].invalid');
  assert.equal(await page.locator('#stack li[data-index="2"].invalid').count(), 0);
  assert.equal(await text('#stack li[data-index="2"] .shape'), '12×12×10');
  assert.match(
    await text('#stack li[data-index="3"] .layer-error'),
    /ends in a 12×12×10 map, but the dataset has one label per image; add Flatten/,
  );
  assert.ok(await page.isDisabled('#start'));
  await page.selectOption('#layer-2-type', 'flatten');
  await page.waitForSelector('#start:not([disabled])');
  // an output layer that does not match the dataset's 10 classes is caught before Train
  await page.fill('#layer-3-units', '5');
  await page.waitForSelector('#stack li[data-index="3"].invalid');
  assert.match(
    await text('#stack li[data-index="3"] .layer-error'),
    /ends in 5 outputs, but the dataset has 10 classes/,
  );
  assert.ok(await page.isDisabled('#start'));
  await page.fill('#layer-3-units', '10');
  await page.waitForSelector('#start:not([disabled])');
  // a net too big for its batch is refused at build, not at the first step
  const setup = page.url();
  const wide = 'conv2d(filters:128,kernelSize:3,padding:same,activation:relu)';
  await page.evaluate(
    (h) => {
      location.hash = h;
    },
    `#data=mnist&net=${Array(8).fill(wide).join('+')}+flatten+dense(units:10,activation:softmax)&batch=256`,
  );
  await page.waitForFunction(
    () =>
      /a batch of 256 needs more .*: at most \d+ examples fit this net/.test(
        document.querySelector('#stack-error').textContent,
      ),
    null,
    { timeout: 20_000 },
  );
  assert.ok(await page.isDisabled('#start'));
  assert.equal(await text('#status'), 'Fix the stack to train.');
  await page.goto(setup);
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 4);
  await page.waitForSelector('#start:not([disabled])');
});

test('the URL hash reproduces the stack and hyperparameters', async () => {
  const { page, context } = pw;
  await page.click('#tab-train');
  await page.fill('#hyper-learningRate', '0.02');
  await page.press('#hyper-learningRate', 'Tab');
  const url = page.url();
  assert.match(url, /#data=mnist&net=conv2d\(filters:4,kernelSize:5,.*\)\+maxPooling2d\(.*&lr=0\.02&/);
  const other = await context.newPage();
  try {
    await other.goto(url);
    await other.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
    const read = (p) =>
      p.$$eval('#stack .layer', (rows) =>
        rows.map((r) => [...r.querySelectorAll('select, input')].map((i) => i.value).join(' ')),
      );
    assert.deepEqual(await read(other), await read(page));
    assert.equal(await other.inputValue('#hyper-learningRate'), '0.02');
    assert.equal(await other.textContent('#stack-totals'), await text('#stack-totals'));
  } finally {
    await other.close();
  }
  // the Save & share box holds the setup as it is now, not one change behind
  await page.fill('#hyper-learningRate', '0.03');
  await page.press('#hyper-learningRate', 'Tab');
  assert.equal(await page.inputValue('#share-link'), page.url());
  // a garbled link is explained and the page keeps working
  await page.evaluate(() => {
    location.hash = '#net=%E0%A4%A';
  });
  await page.waitForFunction(() => /garbled/.test(document.querySelector('#errors').textContent));
  await page.locator('.error-toast button').click();
  assert.equal(await page.inputValue('#hyper-learningRate'), '0.03', 'the setup stays as it was');
});

test("the hyperparameter panel shows the chosen optimizer's own options: momentum, or Adam's β₁ and β₂", async () => {
  const { page } = pw;
  await page.click('#tab-train');
  const visible = (id) => page.isVisible(`#hyper-${id}`);
  assert.equal(await page.inputValue('#hyper-optimizer'), 'momentum');
  assert.deepEqual(
    [await visible('momentum'), await visible('beta1'), await visible('beta2')],
    [true, false, false],
  );
  await page.selectOption('#hyper-optimizer', 'adam');
  assert.deepEqual(
    [await visible('momentum'), await visible('beta1'), await visible('beta2')],
    [false, true, true],
  );
  assert.equal(await page.inputValue('#hyper-beta2'), '0.999');
  await page.fill('#hyper-beta1', '0.8');
  await page.press('#hyper-beta1', 'Tab');
  assert.match(page.url(), /&opt=adam&.*&b1=0\.8&b2=0\.999&/);
  await page.selectOption('#hyper-optimizer', 'sgd');
  assert.deepEqual([await visible('momentum'), await visible('beta1')], [false, false]);
  await page.selectOption('#hyper-optimizer', 'momentum');
  await page.waitForSelector('#start:not([disabled])');
});

test('training in the worker passes 90 % validation accuracy; pause and resume work', async () => {
  const { page, consoleErrors } = pw;
  await trainPreset('reference');
  await page.fill('#hyper-epochs', '3');
  await page.press('#hyper-epochs', 'Tab');
  await page.click('#start');
  await page.waitForFunction(() => document.querySelector('#progress').value > 0.15, null, {
    timeout: 60_000,
  });
  // the page stays responsive while the worker trains
  const delay = await page.evaluate(
    () =>
      new Promise((r) => {
        const t = performance.now();
        setTimeout(() => r(performance.now() - t), 0);
      }),
  );
  assert.ok(delay < 200, `main thread blocked for ${delay} ms`);
  await page.click('#start'); // pause
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Paused'));
  const steps = await text('#steps');
  assert.equal(await text('#start'), 'Resume');
  await page.waitForTimeout(800);
  assert.equal(await text('#steps'), steps, 'no steps while paused');
  await page.click('#step');
  await page.waitForFunction((s) => document.querySelector('#steps').textContent !== s, steps);
  assert.equal(
    Number((await text('#steps')).replace(/,/g, '')),
    Number(steps.replace(/,/g, '')) + 1,
    'Step trains exactly one batch',
  );
  await page.click('#start'); // resume
  // hyperparameters change while training and reach the next batches
  await page.selectOption('#hyper-batchSize', '64');
  await page.fill('#hyper-learningRate', '0.005');
  await page.press('#hyper-learningRate', 'Tab');
  await page
    .waitForFunction(
      () => /momentum · lr 0\.005 · batch 64/.test(document.querySelector('#hyper-text').textContent),
      null,
      { timeout: 60_000 },
    )
    .catch(async (e) => {
      throw new Error(`${e.message}: ${await text('#hyper-text')} / ${await text('#status')}`);
    });
  assert.match(await text('#hyper-text'), /lr 0\.005 · batch 64/);
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Done'), null, {
    timeout: 180_000,
  });
  assert.equal(await page.getAttribute('#val-acc', 'data-full'), 'true');
  const accuracy = parseFloat(await text('#val-acc'));
  assert.ok(accuracy > 90, `validation accuracy ${accuracy} %`);
  // the epoch report: 10x10 confusion counts summing to the validation set, and misclassified images
  const cells = await page.$$eval('#confusion td', (tds) => tds.map((td) => Number(td.textContent || 0)));
  assert.equal(cells.length, 100);
  assert.equal(
    cells.reduce((a, b) => a + b, 0),
    2000,
  );
  assert.ok((await page.locator('#wrong canvas').count()) > 0);
  assert.equal(await page.locator('#timings .timing-row').count(), 6);
  assert.match(await text('#speed-text'), /\d examples\/s/);
  await page.screenshot({ path: screenshotPath('desktop-train'), fullPage: true });
  // the drawing is now classified by the user's net
  await drawDigit(DIGIT_STROKES['7']);
  await page.waitForFunction(() =>
    document.querySelector('#predictor').textContent.includes('your trained net'),
  );
  assert.deepEqual(consoleErrors, []);
});

test('every control has a label, and the views work from the keyboard', async () => {
  const { page } = pw;
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, canvas[tabindex], [role=tab]')]
      .filter((el) => {
        const name =
          el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.title;
        return !name || !name.trim();
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);
  await page.focus('#tab-train');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-inside', 'aria-selected'), 'true');
  assert.ok(await page.isVisible('#view-inside'));
  await page.keyboard.press('End');
  assert.ok(await page.isVisible('#view-models'));
  await page.keyboard.press('Home');
  assert.ok(await page.isVisible('#view-build'));
  // the sample grid is one tab stop; arrow keys move within it
  const focusedSample = () =>
    page.evaluate(() => [...document.querySelectorAll('#samples .sample')].indexOf(document.activeElement));
  await page.focus('#samples .sample >> nth=0');
  await page.keyboard.press('ArrowRight');
  assert.equal(await focusedSample(), 1);
  await page.keyboard.press('End');
  assert.equal(await focusedSample(), 39);
  await page.keyboard.press('Tab');
  assert.equal(await focusedSample(), -1, 'Tab leaves the grid');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focusedSample(), 39, 'and comes back to the last sample visited');
});

test('see inside: first-layer filters and every layer down to the output', async () => {
  const { page } = pw;
  await page.click('#tab-inside');
  await page.waitForFunction(() => document.querySelectorAll('#inside .map-grid').length >= 5);
  assert.equal(await page.locator('#inside canvas.filter').count(), 8);
  const titles = await page.$$eval('#inside h3', (h) => h.map((x) => x.textContent));
  assert.deepEqual(titles.slice(2), [
    'Layer 1 Conv2D: 28×28×8',
    'Layer 2 MaxPooling2D: 14×14×8',
    'Layer 3 Conv2D: 14×14×16',
    'Layer 4 MaxPooling2D: 7×7×16',
    'Layer 5 Flatten: 784 — every value in one row',
    'Layer 6 Dense — the output: the probability of each class (softmax)',
  ]);
  await page.screenshot({ path: screenshotPath('desktop-inside'), fullPage: true });
  await page.click('#tab-build');
  await page.click('#samples .sample >> nth=3');
  await page.waitForFunction(() =>
    document.querySelector('#inside-note').textContent.includes('validation sample'),
  );
  // the last sample by number
  await page.fill('#inside-sample', '1999');
  await page.waitForFunction(() =>
    document.querySelector('#inside-note').textContent.includes('validation sample #1999'),
  );
});

test('kernel lab: Sobel X on a vertical bar gives + on its left edge, − on its right, 0 inside', async () => {
  const { page } = pw;
  await page.click('#tab-kernel');
  await page.selectOption('#kl-source', 'vbar');
  await page.selectOption('#kl-kernel', 'sobelX');
  assert.match(await text('#kl-formula'), /⌊\(28 − 3 \+ 2·0\)\/1⌋ \+ 1 = 26/);
  // bar = 1 in columns 12..15, rows 4..23; output (r, c) sees input rows r..r+2, columns c..c+2
  const box = await page.locator('#kernel-lab canvas.clickable').boundingBox();
  const sumAt = async (row, col, n = 26) => {
    await page.mouse.click(box.x + ((col + 0.5) / n) * box.width, box.y + ((row + 0.5) / n) * box.height);
    return Number(await page.getAttribute('#kl-sum', 'data-value'));
  };
  // hand-worked: the right column minus the left column, rows weighted 1, 2, 1
  assert.equal(await sumAt(10, 9), 0);
  assert.equal(await sumAt(10, 10), 4);
  assert.equal(await sumAt(10, 11), 4);
  assert.equal(await sumAt(10, 12), 0);
  assert.equal(await sumAt(10, 13), 0);
  assert.equal(await sumAt(10, 14), -4);
  assert.equal(await sumAt(10, 15), -4);
  assert.equal(await sumAt(10, 16), 0);
  assert.equal(await sumAt(2, 10), 1); // rows 2..4: only row 4 (weight 1) is in the bar
  assert.match(await text('#kl-explain'), /input window rows 2…4, columns 10…12/);
  // the arrow keys move the chosen output pixel
  await page.focus('#kernel-lab canvas.clickable');
  await page.keyboard.press('ArrowRight');
  assert.match(await text('#kl-explain'), /output row 2, column 11/);
  // a custom kernel: editing a cell switches to Custom; the identity kernel copies the input
  for (let y = 0; y < 3; y++)
    for (let x = 0; x < 3; x++) await page.fill(`#kl-cell-${y}-${x}`, y === 1 && x === 1 ? '1' : '0');
  assert.equal(await page.inputValue('#kl-kernel'), 'custom');
  assert.equal(await sumAt(10, 11), 1); // centre = input (11, 12), inside the bar
  assert.equal(await sumAt(10, 9), 0);
  // stride 2, padding 1: ⌊(28 − 3 + 2)/2⌋ + 1 = 14
  await page.selectOption('#kl-stride', '2');
  await page.selectOption('#kl-pad', '1');
  assert.match(await text('#kl-formula'), /⌊\(28 − 3 \+ 2·1\)\/2⌋ \+ 1 = 14/);
  await page.screenshot({ path: screenshotPath('desktop-kernel-lab'), fullPage: true });
});

test('save in the browser, reload, load: identical predictions', async () => {
  const { page, consoleErrors } = pw;
  await drawDigit(DIGIT_STROKES['3']);
  await page.waitForFunction(() =>
    document.querySelector('#predictor').textContent.includes('your trained net'),
  );
  await page.waitForTimeout(300);
  const before = await probs();
  await page.click('#tab-models');
  await page.fill('#save-name', 'reference after one epoch');
  await page.click('#save-browser');
  await page.waitForSelector('.saved-name:text("reference after one epoch")');
  await page.screenshot({ path: screenshotPath('desktop-save-share'), fullPage: true });
  await page.reload();
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  await page.click('#tab-models');
  await page.click('button[aria-label="Load reference after one epoch"]');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Loaded'));
  await drawDigit(DIGIT_STROKES['3']);
  await page.waitForFunction(() =>
    document.querySelector('#predictor').textContent.includes('your trained net'),
  );
  await page.waitForTimeout(300);
  const afterReload = await probs();
  assert.deepEqual(afterReload, before);
  assert.deepEqual(consoleErrors, []);
});

test('download a .clmodel, upload it back: identical predictions; a broken file is refused on the page', async () => {
  const { page } = pw;
  await page.click('#tab-models');
  const before = await probs();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.match(download.suggestedFilename(), /\.clmodel$/);
  const file = await download.path();
  await page.click('#reset'); // fresh random weights: predictions change
  await page.waitForFunction(
    (b) => document.querySelector('#bars').dataset.probs !== b,
    JSON.stringify(before),
  );
  await page.setInputFiles('#upload', file);
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Loaded'));
  await page.waitForFunction(
    (b) => document.querySelector('#bars').dataset.probs === b,
    JSON.stringify(before),
    { timeout: 5_000 },
  );
  assert.equal(await text('#steps'), '0', 'a file says nothing of the steps it took');
  await page.setInputFiles('#upload', {
    name: 'broken.clmodel',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('not a model at all'),
  });
  await page.waitForSelector('.error-toast:has-text("Could not load the model")');
  await page.click('.error-toast button');
});

test('switching to Fashion-MNIST loads its split, samples and class names', async () => {
  const { page, consoleErrors } = pw;
  await page.click('#tab-build');
  await page.selectOption('#dataset', 'fashion');
  await page.waitForFunction(() => document.querySelector('#split').textContent.includes('train 10,000'));
  assert.match(await text('#split'), /validation 2,000/);
  assert.match(await text('#samples'), /Ankle boot|Sneaker|Trouser/);
  await page.waitForSelector('#start:not([disabled])');
  assert.match(await text('#bars'), /Trouser/);
  assert.match(page.url(), /#data=fashion&/);
  await page.selectOption('#dataset', 'mnist');
  await page.waitForFunction(() => document.querySelector('#split').textContent.includes('train 8,000'));
  await page.waitForSelector('#start:not([disabled])');
  assert.deepEqual(consoleErrors, []);
});

test('Step from a fresh net trains one batch; a rebuild during training stops the old fit and nothing of it shows', async () => {
  const { page, consoleErrors } = pw;
  await trainPreset('tiny');
  assert.equal(await text('#steps'), '0');
  await page.click('#step');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Paused'));
  assert.equal(await text('#steps'), '1', 'Step with no run trains exactly one batch');
  assert.equal(await text('#start'), 'Resume');
  await page.click('#start');
  await page.waitForFunction(
    () => Number(document.querySelector('#steps').textContent.replace(/,/g, '')) > 20,
    null,
    { timeout: 30_000 },
  );
  // a new stack while the fit runs: the old fit stops, the new net starts from nothing
  await page.click('#tab-build');
  await page.fill('#layer-0-filters', '6');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'), null, {
    timeout: 30_000,
  });
  assert.equal(await text('#steps'), '0');
  assert.equal(await text('#start'), 'Train');
  await page.waitForTimeout(1000);
  assert.equal(await text('#steps'), '0', 'no progress from the old fit after the rebuild');
  assert.equal(await text('#val-acc'), '–');
  assert.match(await text('#status'), /^Fresh weights\. Ready:/);
  // the trained net is not gone: it is a snapshot, and Undo is one click away
  assert.match(
    await text('#net-undo'),
    /^New stack, fresh weights; the trained net \([\d,]+ steps\) is snapshot #\d+ — Undo$/,
  );
  assert.deepEqual(consoleErrors, []);
});

test('a diverging learning rate stops training, says so, and keeps the last good weights', async () => {
  const { page } = pw;
  // a deep stack with no non-linearity and a huge learning rate: the loss is NaN within a few steps
  const linear = 'dense(units:64,activation:linear)';
  const setup = `#data=mnist&net=flatten+${linear}+${linear}+${linear}+dense(units:10)&opt=momentum&lr=10&momentum=0.9&batch=32&epochs=1&l2=0`;
  await page.evaluate((h) => {
    location.hash = h;
  }, setup);
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 5);
  await page.waitForSelector('#start:not([disabled])');
  await page.click('#tab-train');
  assert.equal(await page.inputValue('#hyper-learningRate'), '10');
  await page.click('#start');
  await page.waitForSelector('.error-toast', { timeout: 60_000 });
  assert.match(await text('#errors'), /diverged.*restored.*Lower the learning rate \(now 10\)/s);
  assert.match(await text('#status'), /Diverged/);
  assert.equal(await text('#start'), 'Resume');
  await drawDigit(DIGIT_STROKES['1']);
  await page.waitForFunction(() => document.querySelector('#bars').dataset.probs);
  const p = await probs();
  assert.ok(p.every(Number.isFinite), 'predictions stay finite after divergence');
  assert.equal(
    await page.locator('.error-toast').count(),
    1,
    `only the divergence is reported: ${await text('#errors')}`,
  );
  assert.ok(
    (await text('#train-loss')).length <= 10,
    `the blown-up loss prints short: ${await text('#train-loss')}`,
  );
  assert.deepEqual(
    await page.$$eval('#timings .timing-name', (els) => els.map((e) => e.textContent)),
    ['1 Flatten', '2 Dense', '3 Dense', '4 Dense', '5 Dense'],
    "the timings are this net's, not the last one's",
  );
  await page.screenshot({ path: screenshotPath('desktop-diverged'), fullPage: true });
  // a sane learning rate resumes from the restored checkpoint (weights and momentum) and finishes the epoch
  await page.locator('.error-toast button').click();
  await page.fill('#hyper-learningRate', '0.01');
  await page.dispatchEvent('#hyper-learningRate', 'change');
  await page.click('#start');
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status').textContent), null, {
    timeout: 60_000,
  });
  assert.equal(await page.locator('.error-toast').count(), 0, await text('#errors'));
  assert.ok(
    Number.parseFloat(await text('#val-acc')) > 50,
    `validation accuracy after resuming: ${await text('#val-acc')}`,
  );
});
