// The playground never silently ignores what was typed: a value outside its
// stated range stays on screen, marked with its own message naming the
// range; Train and Step wait while any such field is open; the run bar says
// which values are in effect; the kernel lab computes with exactly the
// numbers its cells show.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, screenshotPath } from '../support/browser.js';

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 1280, height: 900 } });
  await pw.page.waitForSelector('#start:not([disabled])', { timeout: 120_000 });
});
after(async () => {
  await pw?.close();
});

const text = (sel) => pw.page.textContent(sel);
const runDisabled = async () => [await pw.page.isDisabled('#start'), await pw.page.isDisabled('#step')];

async function type(sel, value) {
  await pw.page.fill(sel, value);
  await pw.page.press(sel, 'Tab');
}

test('a hyperparameter outside its range is marked at its field, blocks Train and Step, and the run bar shows the value in effect', async () => {
  const { page } = pw;
  await page.click('#tab-train');
  const cases = [
    [
      'learningRate',
      ['1e6', '0', '-1', 'abc'],
      /Learning rate must be a number from 0\.00001 to 10|“abc” is not a number: enter a number from 0\.00001 to 10/,
    ],
    ['epochs', ['0', '1000', '2.5'], /a whole number from 1 to 50/],
    ['momentum', ['5'], /a number from 0 to 0\.999/],
    ['l2', ['-1'], /a number from 0 to 1 /],
  ];
  for (const [key, values, message] of cases) {
    const before = await page.inputValue(`#hyper-${key}`);
    for (const v of values) {
      await type(`#hyper-${key}`, v);
      assert.equal(await page.inputValue(`#hyper-${key}`), v, 'the field keeps what was typed');
      assert.match(await text(`#hyper-${key}-message`), message, `${key}=${v}`);
      assert.ok(await page.isVisible(`#hyper-${key}-message`));
      assert.deepEqual(await runDisabled(), [true, true], `Train and Step wait while ${key} is ${v}`);
      assert.match(await text('#input-problems'), /Train and Step wait for this field/);
    }
    // the value in effect is the old one, in the run bar and in the link
    assert.match(
      page.url(),
      new RegExp(`&${{ learningRate: 'lr' }[key] ?? key}=${before.replace('.', '\\.')}(&|$)`),
    );
    if (key === 'learningRate') {
      assert.match(await text('#hyper-effect'), /In effect: momentum · lr 0\.01 · /);
      await page.screenshot({ path: screenshotPath('trust-hyper-invalid'), fullPage: false });
    }
    await type(`#hyper-${key}`, before);
    assert.ok(await page.isHidden(`#hyper-${key}-message`));
    assert.deepEqual(await runDisabled(), [false, false]);
  }
  await type('#hyper-learningRate', '0.05');
  assert.match(await text('#hyper-effect'), /lr 0\.05/);
  assert.match(page.url(), /&lr=0\.05&/);
  // another optimizer's option does not hold training up; it is marked again when it is back in use
  await type('#hyper-momentum', '5');
  assert.deepEqual(await runDisabled(), [true, true]);
  await page.selectOption('#hyper-optimizer', 'adam');
  await page.waitForFunction(() => !document.querySelector('#start').disabled);
  assert.ok(await page.isHidden('#input-problems'));
  await page.selectOption('#hyper-optimizer', 'momentum');
  await page.waitForFunction(() => document.querySelector('#start').disabled);
  assert.equal(await page.inputValue('#hyper-momentum'), '5');
  await type('#hyper-momentum', '0.9');
  await type('#hyper-learningRate', '0.01');
  await page.waitForSelector('#start:not([disabled])');
});

test('a layer option past its stated limit (kernel 50 > 15) is refused at the field; the layer keeps its last good value', async () => {
  const { page } = pw;
  await page.click('#tab-build');
  const shape = await text('#stack li[data-index="0"] .params');
  await page.fill('#layer-0-kernelSize', '50');
  assert.match(
    await text('#layer-0-kernelSize-message'),
    /kernel must be a whole number from 1 to 15 \(you typed 50\)/,
  );
  assert.deepEqual(await runDisabled(), [true, true]);
  assert.match(await text('#input-problems'), /layer 1 kernel/);
  assert.match(page.url(), /conv2d\(filters:8,kernelSize:5,/, 'the stack in effect keeps kernel 5');
  await page.waitForTimeout(400); // no rebuild comes: the engine still has kernel 5
  assert.equal(await text('#stack li[data-index="0"] .params'), shape);
  await page.screenshot({ path: screenshotPath('trust-layer-invalid'), fullPage: false });
  await page.fill('#layer-0-kernelSize', '3');
  assert.ok(await page.isHidden('#layer-0-kernelSize-message'));
  await page.waitForFunction(
    () => document.querySelector('#stack li[data-index="0"] .params').textContent === '80',
  );
  await page.waitForSelector('#start:not([disabled])');
  await page.fill('#layer-0-kernelSize', '5');
  await page.waitForFunction(
    () => document.querySelector('#stack li[data-index="0"] .params').textContent === '208',
  );
  await page.waitForSelector('#start:not([disabled])');
});

test('a kernel-lab cell that is blank, “abc”, “-” or “1e400” is marked and the output waits; the sums use exactly the cells shown', async () => {
  const { page } = pw;
  await page.click('#tab-kernel');
  await page.selectOption('#kl-source', 'vbar');
  await page.selectOption('#kl-kernel', 'boxBlur');
  // a blur weight is shown as the fraction it is, so the arithmetic matches the cell
  assert.equal(await page.inputValue('#kl-cell-0-0'), '1/9');
  const box = await page.locator('#kernel-lab canvas.clickable').boundingBox();
  const sumAt = async (row, col, n = 26) => {
    await page.mouse.click(box.x + ((col + 0.5) / n) * box.width, box.y + ((row + 0.5) / n) * box.height);
    return Number(await page.getAttribute('#kl-sum', 'data-value'));
  };
  // the window at output (10, 11) covers input columns 11..13: the bar (columns 12..15) fills two of them
  assert.ok(Math.abs((await sumAt(10, 11)) - 6 / 9) < 1e-9);
  for (const bad of ['', 'abc', '-', '1e400']) {
    await page.fill('#kl-cell-1-1', bad);
    assert.equal(await page.getAttribute('#kl-cell-1-1', 'aria-invalid'), 'true', `“${bad}” is marked`);
    assert.equal(await page.inputValue('#kl-cell-1-1'), bad, 'the cell shows what was typed');
    assert.match(await text('#kl-cell-message'), /row 2, column 2/);
    assert.match(await text('#kl-formula'), /waits for the marked cell/);
    assert.equal(await page.locator('#kl-sum').count(), 0, 'no sum is shown from a number not on screen');
  }
  await page.screenshot({ path: screenshotPath('trust-kernel-invalid'), fullPage: false });
  // a centre weight of 2: the output changes by exactly one more centre pixel
  await page.fill('#kl-cell-1-1', '2');
  assert.ok(await page.isHidden('#kl-cell-message'));
  assert.equal(await page.inputValue('#kl-kernel'), 'custom');
  assert.ok(Math.abs((await sumAt(10, 11)) - (6 / 9 - 1 / 9 + 2)) < 1e-9);
});

test('a sample number past the validation set is marked with the range; the view keeps the sample in use', async () => {
  const { page } = pw;
  await page.click('#tab-inside');
  await page.fill('#inside-sample', '5');
  await page.waitForFunction(() =>
    document.querySelector('#inside-note').textContent.includes('validation sample #5'),
  );
  await page.fill('#inside-sample', '99999');
  assert.match(
    await text('#inside-sample-message'),
    /Sample # must be a whole number from 0 to 1999 \(you typed 99999\)/,
  );
  assert.equal(await page.inputValue('#inside-sample'), '99999');
  assert.match(await text('#inside-note'), /validation sample #5/);
  // a sample number is not a training setting: training is not held up
  assert.deepEqual(await runDisabled(), [false, false]);
  await page.fill('#inside-sample', '7');
  await page.waitForFunction(() =>
    document.querySelector('#inside-note').textContent.includes('validation sample #7'),
  );
  assert.ok(await page.isHidden('#inside-sample-message'));
  assert.deepEqual(pw.consoleErrors, []);
});

test('a partial link applies each valid key on top of the defaults and names the keys it ignored', async () => {
  const { page } = pw;
  const go = (h) =>
    page.evaluate((x) => {
      location.hash = x;
    }, h);
  await go('#data=fashion');
  await page.waitForFunction(() => document.querySelector('#split').textContent.includes('train 10,000'));
  assert.equal(await page.inputValue('#dataset'), 'fashion');
  assert.equal(await page.locator('#stack .layer').count(), 6, 'the default stack');
  assert.match(
    page.url(),
    /#data=fashion&preset=reference&net=conv2d\(/,
    'the link keeps the key and fills in the rest',
  );
  assert.equal(await page.locator('.error-toast').count(), 0, 'nothing was ignored');
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  await go('#batch=64&lr=0.05');
  await page.waitForFunction(() => document.querySelector('#split').textContent.includes('train 8,000'));
  assert.equal(await page.inputValue('#hyper-batchSize'), '64');
  assert.equal(await page.inputValue('#hyper-learningRate'), '0.05');
  assert.match(await text('#hyper-effect'), /lr 0\.05 · .*batch 64/);
  assert.equal(await page.locator('.error-toast').count(), 0);
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  // the ignored keys are named; the valid ones still apply
  await go('#batch=16&lr=abc&foo=1&net=flatten+nope');
  await page.waitForSelector('.error-toast');
  const message = await text('#errors');
  assert.match(message, /“foo” is not a setting/);
  assert.match(message, /unknown layer type 'nope'/);
  assert.match(message, /lr=abc is not valid/);
  assert.equal(await page.inputValue('#hyper-batchSize'), '16');
  assert.equal(await page.inputValue('#hyper-learningRate'), '0.01', 'the default stands in for lr');
  assert.match(page.url(), /&lr=0\.01&.*&batch=16&/);
  await page.locator('.error-toast button').first().click();
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
});

test('the stack has a stated maximum of 200 layers: adding past it is refused with a message, a 3,000-layer link at once', async () => {
  const { page } = pw;
  const net = [
    'flatten',
    ...Array(198).fill('dense(units:10,activation:relu)'),
    'dense(units:10,activation:softmax)',
  ];
  await page.evaluate(
    (h) => {
      location.hash = h;
    },
    `#data=mnist&net=${net.join('+')}`,
  );
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 200, null, {
    timeout: 60_000,
  });
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  await page.click('#tab-build');
  await page.click('#add-layer');
  assert.match(await text('#stack-limit'), /A stack holds at most 200 layers: remove one to add another/);
  await page.click('#stack li[data-index="5"] .insert');
  assert.equal(await page.locator('#stack .layer').count(), 200);
  // an edit rebuilds only what it changed: removing the last row keeps every other row as it was
  await page.$$eval('#stack .layer', (rows) => rows.forEach((r) => (r.dataset.seen = 'before')));
  await page.click('#stack li[data-index="198"] .remove');
  assert.equal(await page.locator('#stack .layer').count(), 199);
  assert.equal(await page.locator('#stack .layer[data-seen="before"]').count(), 199, 'every other row stays');
  await page.fill('#layer-3-units', '12');
  assert.equal(
    await page.locator('#stack .layer[data-seen="before"]').count(),
    199,
    'an option edit rebuilds no row',
  );
  assert.ok(await page.isHidden('#stack-limit'), 'below the limit the message goes');
  // a link with 3,000 layers is refused before it is read; the page keeps its stack
  await page.evaluate(
    (h) => {
      location.hash = h;
    },
    `#net=${Array(3000).fill('dense(units:10)').join('+')}`,
  );
  await page.waitForFunction(() =>
    /3,000 layers, more than the 200/.test(document.querySelector('#errors').textContent),
  );
  assert.equal(await page.locator('#stack .layer').count(), 199);
  await page.locator('.error-toast button').first().click();
  assert.deepEqual(pw.consoleErrors, []);
});

test('identical error messages merge into one toast with a count; toasts sit in the corner with room below the page; a log keeps the last few', async () => {
  const { page } = pw;
  const go = (h) =>
    page.evaluate((x) => {
      location.hash = x;
    }, h);
  await go('#foo=1');
  await page.waitForSelector('.error-toast');
  await go('#foo=1');
  await page.waitForFunction(() => document.querySelector('.error-toast .error-count').textContent === '×2');
  assert.equal(await page.locator('.error-toast').count(), 1, 'the same message twice is one toast');
  await go('#bar=1');
  await page.waitForFunction(() => document.querySelectorAll('.error-toast').length === 2);
  // in the bottom-right corner, and the page can scroll its last content clear of them
  const corner = await page.locator('#messages').boundingBox();
  const vp = page.viewportSize();
  assert.ok(corner.x + corner.width <= vp.width - 8 && corner.x > vp.width / 2, 'right side');
  assert.ok(corner.y + corner.height <= vp.height - 8 && corner.y > vp.height / 2, 'bottom');
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const lastContent = await page.evaluate(
    () => document.querySelector('.layout').getBoundingClientRect().bottom,
  );
  assert.ok(lastContent <= corner.y + 1, `the page's end (${lastContent}) clears the toasts (${corner.y})`);
  await page.screenshot({ path: screenshotPath('trust-toasts'), fullPage: false });
  while (await page.locator('.error-toast').count())
    await page.locator('.error-toast button').first().click();
  assert.equal(await page.locator('.error-toast').count(), 0);
  // dismissed, but still readable in the log, newest first, with the count
  await page.click('#error-log summary');
  const entries = await page.$$eval('#error-log li', (li) => li.map((x) => x.textContent));
  assert.ok(entries.length >= 2 && entries.length <= 8, `the last few: ${entries.length}`);
  assert.match(entries[0], /“bar” is not a setting/);
  assert.match(entries[1], /“foo” is not a setting.*\(×2\)/);
  await page.click('#error-log summary');
  await page.evaluate(() => window.scrollTo(0, 0));
});

test('the layer formula opens inside its row: it covers neither the row below nor the stack’s message; preset notes fit the dataset', async () => {
  const { page } = pw;
  await page.click('#tab-build');
  await page.selectOption('#preset', 'reference');
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 6);
  assert.match(await text('#preset-note'), /~95 % after one epoch on MNIST/);
  await page.focus('#layer-0-filters');
  const formula = await page.locator('#formula-0').boundingBox();
  const below = await page.locator('#stack li[data-index="1"]').boundingBox();
  assert.ok(formula.height > 20, 'the arithmetic shows');
  assert.ok(below.y >= formula.y + formula.height, 'the next row starts below the arithmetic');
  // the last row's arithmetic and the stack's error message both stay readable
  await page.fill('#layer-5-units', '5');
  await page.waitForSelector('#stack-error:not([hidden])');
  await page.focus('#layer-5-units');
  const last = await page.locator('#formula-5').boundingBox();
  const error = await page.locator('#stack-error').boundingBox();
  assert.ok(error.y >= last.y + last.height, 'the message is not covered');
  await page.screenshot({ path: screenshotPath('trust-formula'), fullPage: false });
  await page.fill('#layer-5-units', '10');
  await page.waitForSelector('#stack-error[hidden]', { state: 'attached' });
  await page.selectOption('#preset', 'reference');
  await page.selectOption('#dataset', 'fashion');
  await page.waitForFunction(() => document.querySelector('#split').textContent.includes('train 10,000'));
  assert.equal(
    await text('#preset-note'),
    'two 5×5 conv + max-pool blocks',
    'no MNIST figure on Fashion-MNIST',
  );
  await page.selectOption('#dataset', 'mnist');
  await page.waitForFunction(() => document.querySelector('#split').textContent.includes('train 8,000'));
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
});

test('the loss chart shows the values under the pointer and has a log scale', async () => {
  const { page } = pw;
  await page.selectOption('#preset', 'tiny');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'), null, {
    timeout: 60_000,
  });
  await page.click('#tab-train');
  await page.click('#start');
  await page.waitForFunction(
    () => Number(document.querySelector('#steps').textContent.replace(/,/g, '')) > 60,
    null,
    {
      timeout: 60_000,
    },
  );
  await page.click('#start'); // pause
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Paused'));
  const plot = await page.locator('#chart-loss .u-over').boundingBox();
  const hover = async () => {
    await page.mouse.move(plot.x + plot.width * 0.5, plot.y + plot.height / 2);
    await page.mouse.move(plot.x + plot.width * 0.6, plot.y + plot.height / 2, { steps: 3 });
    return page.$$eval('#chart-loss .u-legend .u-series .u-value', (v) => v.map((x) => x.textContent));
  };
  const [epoch, trainLoss] = await hover();
  assert.match(epoch, /^0\.\d\d$/, `the epoch under the pointer: ${epoch}`);
  assert.match(trainLoss, /^\d\.\d{4}$/, `the training loss under the pointer: ${trainLoss}`);
  await page.check('#loss-log');
  assert.equal(await page.getAttribute('#chart-loss', 'data-scale'), 'log');
  const [epochLog, trainLossLog] = await hover();
  assert.deepEqual([epochLog, trainLossLog], [epoch, trainLoss], 'the same points, on a log axis');
  await page.screenshot({ path: screenshotPath('trust-chart-log'), fullPage: false });
  await page.uncheck('#loss-log');
  assert.equal(await page.getAttribute('#chart-loss', 'data-scale'), 'linear');
  assert.deepEqual(pw.consoleErrors, []);
});

test('stack edits undo and redo with the buttons and Ctrl+Z / Ctrl+Shift+Z outside text fields', async () => {
  const { page } = pw;
  await page.click('#tab-build');
  await page.selectOption('#preset', 'tiny');
  await page.waitForFunction(() => document.querySelectorAll('#stack .layer').length === 4);
  const types = () => page.$$eval('#stack .type-select', (s) => s.map((x) => x.value));
  const tiny = await types();
  await page.click('#stack li[data-index="1"] .remove');
  assert.deepEqual(await types(), ['conv2d', 'flatten', 'dense']);
  await page.click('#stack-undo');
  assert.deepEqual(await types(), tiny, 'Undo brings the layer back');
  await page.click('#stack-redo');
  assert.deepEqual(await types(), ['conv2d', 'flatten', 'dense']);
  // typing into a field is one step, whatever the number of keys
  await page.click('#layer-0-filters');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('12');
  await page.waitForFunction(() => /conv2d\(filters:12,/.test(location.hash));
  // outside the text field (here on a select) the keys undo the stack: the typing was one step
  await page.focus('#add-type');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => /conv2d\(filters:4,/.test(location.hash));
  assert.equal(await page.inputValue('#layer-0-filters'), '4');
  await page.click('#stack-title'); // focus on no field at all
  await page.keyboard.press('Control+z');
  assert.deepEqual(await types(), tiny);
  await page.keyboard.press('Control+Shift+Z');
  assert.deepEqual(await types(), ['conv2d', 'flatten', 'dense']);
  await page.keyboard.press('Control+Shift+Z');
  assert.equal(await page.inputValue('#layer-0-filters'), '12');
  assert.ok(await page.isDisabled('#stack-redo'), 'nothing left to redo');
  await page.selectOption('#preset', 'tiny');
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
});

test('a single click on the pad is a stroke: the net sees a dot and answers; Undo takes it back', async () => {
  const { page } = pw;
  await page.click('#clear');
  const box = await page.locator('#pad').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.querySelector('#prediction').textContent !== '–');
  const ink = await page.$eval('#seen', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++;
    return n;
  });
  assert.ok(ink > 0, 'the 28×28 input holds the dot');
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === '–');
});

test('deleting a saved model can be undone at once; saves of one name are told apart', async () => {
  const { page } = pw;
  await page.click('#tab-models');
  await page.fill('#save-name', 'twin');
  await page.click('#save-browser');
  await page.waitForSelector('.saved-name:text("twin")');
  await page.click('#save-browser');
  await page.waitForFunction(() => document.querySelectorAll('#saved-list .saved').length === 2);
  const facts = await page.$$eval('#saved-list .saved .note', (n) => n.map((x) => x.textContent));
  assert.notEqual(facts[0], facts[1], `two saves named “twin” read differently: ${facts.join(' | ')}`);
  assert.match(facts[0], /saved .* · \d+ steps/);
  const labels = await page.$$eval('#saved-list button[aria-label^="Load"]', (b) =>
    b.map((x) => x.getAttribute('aria-label')),
  );
  assert.equal(new Set(labels).size, 2, 'each Load button names its own save');
  await page.locator('#saved-list button[aria-label^="Delete"]').first().click();
  await page.waitForFunction(() => document.querySelectorAll('#saved-list .saved').length === 1);
  assert.match(await text('#saved-undo'), /Deleted “twin”/);
  await page.click('#undo-delete');
  await page.waitForFunction(() => document.querySelectorAll('#saved-list .saved').length === 2);
  assert.deepEqual(await page.$$eval('#saved-list .saved .note', (n) => n.map((x) => x.textContent)), facts);
  assert.deepEqual(pw.consoleErrors, []);
});

test('with an empty pad, See inside and the kernel lab start from a validation sample instead of a blank panel', async () => {
  const { page } = pw;
  await page.click('#clear');
  await page.click('#tab-inside');
  await page.selectOption('#inside-source', 'drawing');
  await page.waitForFunction(() =>
    /validation sample #\d+ .*the pad is empty/.test(document.querySelector('#inside-note').textContent),
  );
  await page.waitForFunction(() => document.querySelectorAll('#inside .map-grid').length > 0);
  await page.click('#tab-kernel');
  await page.selectOption('#kl-source', 'drawing');
  await page.selectOption('#kl-kernel', 'sobelX');
  assert.match(await text('#kl-formula'), /the pad is empty: validation sample #0 is shown/);
  const painted = await page.$eval('#kernel-lab canvas.clickable', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 2]) coloured++; // Sobel answers in blue and red
    return coloured;
  });
  assert.ok(painted > 100, `the output shows the sample's edges (${painted} coloured pixels)`);
});

test('Conv2D after Dense says plainly that a conv needs a map, not a vector; the rows above keep their shapes', async () => {
  const { page } = pw;
  await page.click('#tab-build');
  const setup = page.url();
  await page.evaluate((h) => {
    location.hash = h;
  }, '#net=flatten+dense(units:10,activation:relu)+conv2d(filters:4,kernelSize:1)+flatten+dense(units:10,activation:softmax)');
  await page.waitForSelector('#stack li[data-index="2"].invalid');
  assert.match(
    await text('#stack li[data-index="2"] .layer-error'),
    /layer 3 \(Conv2D\) needs a feature map \(height × width × channels\), but layer 2 \(Dense\) turned the data into a vector; put conv and pool layers before Dense/,
  );
  assert.equal(await text('#stack li[data-index="1"] .shape'), '10');
  assert.ok(await page.isDisabled('#start'));
  await page.goto(setup);
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
});

test('See inside shows the value under the pointer, 1×1 maps as bars, and ends with the probability of each class', async () => {
  const { page } = pw;
  const setup = page.url();
  // 28 → conv 5 → 24 → pool 8 → 3 → pool 3 → 1×1×4
  await page.evaluate((h) => {
    location.hash = h;
  }, '#net=conv2d(filters:4,kernelSize:5,activation:relu)+maxPooling2d(poolSize:8,strides:8)+maxPooling2d(poolSize:3,strides:3)+flatten+dense(units:10,activation:softmax)');
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  await page.click('#step'); // one batch: this net, not the pre-trained one, answers
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Paused'));
  await page.click('#tab-inside');
  await page.fill('#inside-sample', '3');
  await page.waitForSelector('.inside-block[data-layer="2"] .value-bars');
  // the 1×1 maps: four bars with their numbers, not four grey squares
  const ones = page.locator('.inside-block[data-layer="2"] .value-bars li');
  assert.equal(await ones.count(), 4);
  for (const v of await ones.evaluateAll((li) => li.map((x) => x.dataset.value)))
    assert.ok(Number.isFinite(Number(v)) && Number(v) >= 0, `a ReLU'd max is ≥ 0: ${v}`);
  // the output: ten probabilities that sum to 1, the same the prediction uses
  const probs = await page.$$eval('.probabilities li', (li) => li.map((x) => Number(x.dataset.value)));
  assert.equal(probs.length, 10);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  // the value under the pointer: the input pixel's own value, in [0, 1]
  // the panel may redraw once more after the step's activations arrive: wait for a laid-out canvas
  const settledBox = async (selector) => {
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getBoundingClientRect().width > 0,
      selector,
    );
    return page.locator(selector).first().boundingBox();
  };
  const input = await settledBox('#inside canvas.big');
  await page.mouse.move(input.x + input.width / 2, input.y + input.height / 2);
  await page.mouse.move(input.x + input.width / 2 + 2, input.y + input.height / 2, { steps: 2 });
  assert.match(await text('#inside .readout >> nth=0'), /^row 14, column 14: \d\.\d{4}$/);
  const grid = await settledBox('#inside .map-grid[data-layer="0"] canvas');
  await page.mouse.move(grid.x + 2, grid.y + 2);
  await page.mouse.move(grid.x + 3, grid.y + 3, { steps: 2 });
  assert.match(
    await text('.inside-block:has(.map-grid[data-layer="0"]) .readout'),
    /^channel 1, row [01], column [01]: -?\d\.\d{4}$/,
  );
  await page.screenshot({ path: screenshotPath('trust-inside'), fullPage: true });
  await page.goto(setup);
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
});

test('an augmentation setting outside its range is marked at its field and holds Train until fixed', async () => {
  const { page } = pw;
  await page
    .locator('#aug-rotate')
    .scrollIntoViewIfNeeded()
    .catch(() => {});
  if (!(await page.isVisible('#aug-rotate'))) {
    for (const tab of ['build', 'train']) {
      await page.click(`#tab-${tab}`);
      if (await page.isVisible('#aug-rotate')) break;
    }
  }
  await page.fill('#aug-rotate', '90');
  assert.match(
    await text('#aug-rotate-message'),
    /rotate ± ° must be a number from 0 to 45 \(you typed 90\)/,
  );
  assert.deepEqual(await runDisabled(), [true, true]);
  await page.fill('#aug-rotate', '10');
  assert.ok(await page.isHidden('#aug-rotate-message'));
  assert.deepEqual(await runDisabled(), [false, false]);
});
