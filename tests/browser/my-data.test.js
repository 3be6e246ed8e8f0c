// My data in real headless Chromium: three classes drawn with jittered mouse
// strokes train the default stack past 90 % validation accuracy and new
// drawings are classified right; the dataset survives a reload and an
// export → delete → import round trip byte for byte; PNG and JPEG uploads,
// a corrupt file listed and skipped, a folder of folders made into classes;
// Chromium's fake camera records into a class and is classified live, a
// denied camera says so; the starter set; a link without the data explains;
// the builder fits the last layer to the classes; desktop and phone shots.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPlayground, screenshotPath } from '../support/browser.js';
import { shapeStrokes } from '../../scripts/starter-shapes.js';
import { seededRandom } from '../../bindings/seeded-random.js';

const CAMERA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const NAMES = ['circle', 'triangle', 'cross'];
let pw;
const scratch = mkdtempSync(join(tmpdir(), 'convolab-my-data-'));
before(async () => {
  pw = await openPlayground({ viewport: { width: 1280, height: 900 }, args: CAMERA });
  pw.page.on('dialog', (d) => d.accept()); // "delete …?" is answered yes
});
after(async () => {
  await pw?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const text = (sel) => pw.page.textContent(sel);
const counts = () => pw.page.$$eval('.my-count', (e) => e.map((x) => parseInt(x.textContent, 10)));
const names = () => pw.page.$$eval('.my-name', (e) => e.map((x) => x.value));

// Mouse strokes on the 280x280 pad; the strokes are already dense, so one move per point.
async function draw(strokes) {
  const { page } = pw;
  await page.click('#clear');
  const box = await page.locator('#pad').boundingBox();
  const at = ([x, y]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
  for (const s of strokes) {
    await page.mouse.move(...at(s[0]));
    await page.mouse.down();
    for (const p of s.slice(1)) await page.mouse.move(...at(p));
    await page.mouse.up();
  }
}

async function download(selector) {
  const [d] = await Promise.all([pw.page.waitForEvent('download'), pw.page.click(selector)]);
  return readFileSync(await d.path());
}

test('three drawn classes train past 90 %, new drawings are classified right, the data outlives a reload and a .cldata round trip', async () => {
  const { page, consoleErrors } = pw;
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  await page.selectOption('#dataset', 'mine');
  await page.waitForSelector('.my-class');
  await page.click('#my-add-class');
  for (const [k, n] of NAMES.entries()) {
    await page.fill(`.my-class[data-class="${k}"] .my-name`, n);
    await page.press(`.my-class[data-class="${k}"] .my-name`, 'Enter');
  }
  assert.deepEqual(await names(), NAMES);
  // a name already in use is refused, the old one stays
  await page.fill('.my-class[data-class="1"] .my-name', 'circle');
  await page.press('.my-class[data-class="1"] .my-name', 'Enter');
  assert.equal((await names())[1], 'triangle');
  await page.click('.error-toast button');

  const rng = seededRandom(7);
  for (const [k, n] of NAMES.entries())
    for (let i = 0; i < 12; i++) {
      await draw(shapeStrokes(n, rng));
      if (i === 0)
        await page.click(`.my-class[data-class="${k}"] .my-add`); // one click...
      else await page.keyboard.press(String(k + 1)); // ...or one key
    }
  assert.deepEqual(await counts(), [12, 12, 12]);
  // the split: 2 of each class's 12 validate (20 %); the last layer was set to 3 units
  await page.waitForFunction(() =>
    /train 30.*validation 6/s.test(document.querySelector('#split').textContent),
  );
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'));
  assert.equal(await page.inputValue('#stack > li:last-child [data-key="units"]'), '3');
  // a stack that does not end in 3 units is offered the fix
  await page.fill('#stack > li:last-child [data-key="units"]', '5');
  await page.waitForSelector('#fix-classes-box:not([hidden])');
  assert.match(await text('#fix-classes'), /3 units/);
  assert.ok(await page.isDisabled('#start'));
  await page.click('#fix-classes');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'));
  assert.equal(await page.inputValue('#stack > li:last-child [data-key="units"]'), '3');

  await page.click('#tab-train');
  await page.fill('#hyper-epochs', '20');
  await page.press('#hyper-epochs', 'Tab');
  await page.selectOption('#hyper-batchSize', '8');
  const t0 = Date.now();
  await page.click('#start');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Done'), null, {
    timeout: 180_000,
  });
  const seconds = (Date.now() - t0) / 1000;
  const accuracy = parseFloat(await text('#val-acc'));
  console.log(
    `# my data: 36 drawings, 20 epochs in ${seconds.toFixed(1)} s, validation accuracy ${accuracy} %`,
  );
  assert.ok(accuracy >= 90, `validation accuracy ${accuracy} %`);
  // the epoch report speaks the class names
  assert.match(await text('#confusion'), /circle/);
  await page.screenshot({ path: screenshotPath('my-data-train'), fullPage: true });

  const fresh = seededRandom(99);
  for (const n of NAMES) {
    await draw(shapeStrokes(n, fresh));
    await page
      .waitForFunction((want) => document.querySelector('#prediction').textContent === want, n, {
        timeout: 5_000,
      })
      .catch(() => {});
    assert.equal(await text('#prediction'), n, `drew a ${n}`);
    assert.match(await text('#predictor'), /your trained net/);
  }

  // a rename keeps the trained net: the last drawing (a cross) is now called by its new name
  await page.click('#tab-build');
  const steps = await text('#steps');
  await page.fill('.my-class[data-class="2"] .my-name', 'plus');
  await page.press('.my-class[data-class="2"] .my-name', 'Enter');
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === 'plus');
  assert.equal(await text('#steps'), steps);
  assert.match(await text('#predictor'), /your trained net/);
  await page.fill('.my-class[data-class="2"] .my-name', 'cross');
  await page.press('.my-class[data-class="2"] .my-name', 'Enter');
  await page.waitForFunction(() => document.querySelector('#prediction').textContent === 'cross');
  const exported = await download('#my-export');
  assert.equal(exported.subarray(0, 4).toString(), 'CLDS');
  await page.waitForFunction(() => document.querySelector('#my-data').dataset.saved === '36');
  await page.reload();
  await page.waitForSelector('.my-class');
  await page.waitForFunction(() => document.querySelectorAll('.my-example').length === 36);
  assert.deepEqual(await names(), NAMES);
  assert.deepEqual(await counts(), [12, 12, 12]);
  assert.match(await text('#my-size'), /36 examples in 3 classes, 2\d\.\d KB/);
  console.log(`# my data: ${await text('#my-size')}`);

  await page.click('#my-delete-all');
  await page.waitForFunction(() => document.querySelectorAll('.my-example').length === 0);
  const file = join(scratch, 'mine.cldata');
  writeFileSync(file, exported);
  await page.setInputFiles('#my-import', file);
  await page.waitForFunction(() => document.querySelectorAll('.my-example').length === 36);
  assert.deepEqual(Buffer.compare(await download('#my-export'), exported), 0, 'the same bytes after import');
  // a broken file is refused, the data stays
  writeFileSync(file, exported.subarray(0, 100));
  await page.setInputFiles('#my-import', file);
  await page.waitForFunction(() =>
    document.querySelector('#errors').textContent.includes('could not be imported'),
  );
  assert.match(await text('#errors'), /truncated/);
  assert.equal(await page.locator('.my-example').count(), 36);
  assert.deepEqual(consoleErrors, []);
});

test('uploads (PNG, JPEG, a corrupt file skipped, a folder of folders), the fake camera, a denied camera, the starter set', async () => {
  const { page, consoleErrors } = pw;
  await page.click('#tab-build');
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  if ((await page.inputValue('#dataset')) !== 'mine') await page.selectOption('#dataset', 'mine');
  await page.waitForSelector('.my-class');
  await page.click('#my-delete-all');
  await page.waitForFunction(() => document.querySelectorAll('.my-class').length === 2);
  // pictures from the browser's own encoders: a white ring on black (PNG), a dark cross on white (JPEG)
  const pics = await page.evaluate(() => {
    const make = (type, paint) => {
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 48;
      paint(c.getContext('2d'));
      return c.toDataURL(type).split(',')[1];
    };
    return {
      png: make('image/png', (x) => {
        x.fillStyle = '#000';
        x.fillRect(0, 0, 64, 48);
        x.strokeStyle = '#fff';
        x.lineWidth = 5;
        x.beginPath();
        x.arc(32, 24, 15, 0, 7);
        x.stroke();
      }),
      jpeg: make('image/jpeg', (x) => {
        x.fillStyle = '#fff';
        x.fillRect(0, 0, 64, 48);
        x.strokeStyle = '#000';
        x.lineWidth = 5;
        x.beginPath();
        x.moveTo(16, 8);
        x.lineTo(48, 40);
        x.moveTo(48, 8);
        x.lineTo(16, 40);
        x.stroke();
      }),
    };
  });
  const png = Buffer.from(pics.png, 'base64'),
    jpeg = Buffer.from(pics.jpeg, 'base64');
  await page.setInputFiles('.my-class[data-class="0"] .my-upload', [
    { name: 'ring.png', mimeType: 'image/png', buffer: png },
    { name: 'cross.jpg', mimeType: 'image/jpeg', buffer: jpeg },
    { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') },
  ]);
  await page.waitForFunction(() => document.querySelector('#my-skipped').textContent.includes('broken.png'));
  assert.deepEqual(await counts(), [2, 0]);
  // both pictures were centred like MNIST: light ink on black, whatever the original's colours
  const inks = await page.$$eval('.my-class[data-class="0"] canvas', (cs) =>
    cs.map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
      let corner = d[0],
        max = 0;
      for (let i = 0; i < d.length; i += 4) max = Math.max(max, d[i]);
      return { corner, max };
    }),
  );
  for (const ink of inks) assert.ok(ink.corner === 0 && ink.max > 200, JSON.stringify(ink));

  const root = join(scratch, 'shapes');
  for (const [cls, n] of [
    ['star', 3],
    ['heart', 2],
  ]) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(root, cls, `${i}.png`), png);
  }
  writeFileSync(join(root, 'heart', 'notes.png'), 'garbage');
  await page.setInputFiles('#my-folder', root);
  await page.waitForFunction(() => document.querySelectorAll('.my-class').length === 4);
  assert.deepEqual(await names(), ['class 1', 'class 2', 'star', 'heart']);
  assert.deepEqual(await counts(), [2, 0, 3, 2]);
  assert.match(await text('#my-skipped'), /heart\/notes\.png/);
  // one example deleted from its grid
  await page.click('.my-class[data-class="2"] .my-del-example');
  await page.waitForFunction(() => parseInt(document.querySelectorAll('.my-count')[2].textContent, 10) === 2);
  // plainly resized pictures, into class 2
  await page.selectOption('#my-mode', 'plain');
  await page.setInputFiles('.my-class[data-class="1"] .my-upload', [
    { name: 'ring.png', mimeType: 'image/png', buffer: png },
  ]);
  await page.waitForFunction(() => parseInt(document.querySelectorAll('.my-count')[1].textContent, 10) === 1);
  await page.selectOption('#my-mode', 'centred');
  // the augmentation preview: the original and seven draws, redrawn when a setting changes
  const preview = () => page.$$eval('#aug-preview canvas', (cs) => cs.map((c) => c.toDataURL()));
  await page.waitForFunction(() => document.querySelectorAll('#aug-preview canvas').length === 8);
  const before = await preview();
  await page.fill('#aug-rotate', '45');
  await page.waitForFunction(
    (b) =>
      [...document.querySelectorAll('#aug-preview canvas')]
        .slice(1)
        .some((c, i) => c.toDataURL() !== b[i + 1]),
    before,
  );
  assert.equal((await preview())[0], before[0], 'the original stays as it is');

  await page.click('#my-camera');
  await page.waitForFunction(() => document.querySelector('#my-sources').dataset.camera === 'on', null, {
    timeout: 15_000,
  });
  const rec = await page.locator('.my-class[data-class="1"] .my-record').boundingBox();
  await page.mouse.move(rec.x + 5, rec.y + 5);
  await page.mouse.down();
  await page.waitForTimeout(600); // hold: frames every 150 ms
  await page.mouse.up();
  await page.waitForFunction(() => parseInt(document.querySelectorAll('.my-count')[1].textContent, 10) >= 3);
  // an uploaded picture is classified with the class names (every class has 2 examples now: the net is built)
  await page.setInputFiles('#my-classify-file', { name: 'probe.png', mimeType: 'image/png', buffer: png });
  await page.waitForFunction(() =>
    document.querySelector('#predictor').textContent.includes('for probe.png'),
  );
  assert.equal(
    (await page.$$eval('#bars .bar-label', (e) => e.map((x) => x.textContent))).join(),
    'class 1,class 2,star,heart',
  );
  await page.check('#my-camera-live');
  await page.waitForFunction(() =>
    document.querySelector('#predictor').textContent.includes('for the camera'),
  );
  assert.equal(
    (await page.$$eval('#bars .bar-label', (e) => e.map((x) => x.textContent))).join(),
    'class 1,class 2,star,heart',
  );
  await page.screenshot({ path: screenshotPath('my-data-sources'), fullPage: true });
  await page.click('#my-camera'); // stop
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no', 'NotAllowedError'));
  });
  await page.click('#my-camera');
  await page.waitForFunction(() => document.querySelector('#my-camera').textContent.includes('denied'));
  assert.match(await text('#my-camera-state'), /permission denied/);

  await page.click('#my-starter');
  await page.waitForFunction(() => document.querySelectorAll('.my-example').length === 320);
  assert.deepEqual(await names(), ['circle', 'triangle', 'cross', 'square']);
  // 16 of each class's 80 validate (the data reaches the trainer a moment after a burst of changes)
  await page.waitForFunction(() =>
    /train 256.*validation 64/s.test(document.querySelector('#split').textContent),
  );
  assert.deepEqual(consoleErrors, []);
});

test('a link for "my data" opened where there is none explains what is missing; phone screenshots', async () => {
  const phone = await openPlayground({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    hash: '#data=mine&net=flatten+dense(units:10,activation:softmax)',
  });
  try {
    const { page } = phone;
    await page.waitForSelector('#my-missing:not([hidden])', { timeout: 60_000 });
    assert.match(await page.textContent('#my-missing'), /uses “my data”.*not the images/);
    assert.match(await page.textContent('#status'), /add at least 2 examples/);
    await page.screenshot({ path: screenshotPath('phone-my-data-missing'), fullPage: true });
    await page.click('#my-starter');
    await page.waitForFunction(() => document.querySelectorAll('.my-example').length === 320);
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    await page.screenshot({ path: screenshotPath('phone-my-data'), fullPage: true });
    assert.deepEqual(phone.consoleErrors, []);
  } finally {
    await phone.close();
  }
});
