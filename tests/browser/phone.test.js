// The playground on a phone-sized screen with touch: nothing overflows
// sideways, a digit drawn with a finger (touch Pointer Events) is classified,
// and every view is screenshotted for review.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, screenshotPath } from '../support/browser.js';

let pw;
before(async () => {
  pw = await openPlayground({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});
after(async () => {
  await pw?.close();
});

/** A finger stroke through CDP touch events (points in 280x280 pad units). */
async function touchStroke(page, selector, points) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  const at = ([x, y]) => ({ x: box.x + (x / 280) * box.width, y: box.y + (y / 280) * box.height });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(points[0])] });
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    for (let t = 1; t <= 8; t++)
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: [at([a[0] + ((b[0] - a[0]) * t) / 8, a[1] + ((b[1] - a[1]) * t) / 8])],
      });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

test('phone: fits the width, a finger-drawn 7 is classified, every view renders', async () => {
  const { page, consoleErrors } = pw;
  await page.waitForSelector('#start:not([disabled])', { timeout: 60_000 });
  await touchStroke(page, '#pad', [
    [70, 50],
    [210, 50],
    [120, 250],
  ]);
  await page.waitForFunction(
    () => document.querySelector('#predictor').textContent.includes('pre-trained'),
    null,
    { timeout: 20_000 },
  );
  await page
    .waitForFunction(() => document.querySelector('#prediction').textContent === '7', null, {
      timeout: 3_000,
    })
    .catch(() => {});
  assert.equal(await page.textContent('#prediction'), '7');
  await page.click('#tab-models');
  assert.match(await page.inputValue('#share-link'), /#data=mnist&preset=reference&net=conv2d\(/);
  for (const view of ['build', 'train', 'inside', 'kernel', 'models']) {
    await page.click(`#tab-${view}`);
    await page.waitForTimeout(view === 'inside' ? 800 : 200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${view} view is ${overflow}px wider than the phone`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath(`phone-${view}`), fullPage: true });
  }
  assert.deepEqual(consoleErrors, []);
});

test('phone: all five tabs are in view with no hidden sideways scroll; the split bar’s labels are whole', async () => {
  const { page } = pw;
  await page.evaluate(() => window.scrollTo(0, 0));
  const tabs = await page.$$eval('[role=tab]', (els) =>
    els.map((t) => {
      const r = t.getBoundingClientRect();
      return { name: t.textContent.trim(), left: r.left, right: r.right };
    }),
  );
  assert.equal(tabs.length, 5);
  for (const t of tabs)
    assert.ok(t.left >= 0 && t.right <= 390, `${t.name} is in view (${t.left}–${t.right})`);
  assert.equal(
    await page.$eval('.tabs', (n) => n.scrollWidth - n.clientWidth),
    0,
    'the tab bar does not scroll',
  );
  await page.click('#tab-models');
  assert.ok(await page.isVisible('#view-models'));
  await page.click('#tab-build');
  const clipped = await page.$$eval('.split-bar span', (s) =>
    s.filter((x) => x.scrollWidth > x.clientWidth).map((x) => x.textContent),
  );
  assert.deepEqual(clipped, [], 'no label of the split bar is cut off');
  assert.match(await page.textContent('.split-bar'), /train 8,000.*validation 2,000/);
  await page.screenshot({ path: screenshotPath('phone-tabs-split'), fullPage: false });
});
