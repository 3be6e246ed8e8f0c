// The page locked down: every response carries the Content-Security-Policy
// (and web/index.html the same policy as a <meta>), the page runs under it
// with no violation, strings from a link, a file name or a saved model never
// become markup, and uploads are size-limited before anything parses them.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../scripts/csp.js';
import { openPlayground } from '../support/browser.js';
import { root } from '../support/paths.js';

const HOSTILE = '<img src=x onerror=window.__pwned=1>';
let pw;
before(async () => {
  const net = encodeURIComponent(
    `conv2d(filters:4,kernelSize:5,activation:${HOSTILE})+flatten+dense(units:10,kernelInitializer:${HOSTILE})`,
  );
  pw = await openPlayground({ hash: `#data=mnist&net=${net}&opt=${encodeURIComponent(HOSTILE)}` });
});
after(async () => {
  await pw?.close();
});

const pwned = () =>
  pw.page.evaluate(() => window.__pwned === 1 || document.querySelector('img[src="x"]') !== null);

test('every response carries the policy: scripts only from here, wasm-unsafe-eval only for wasm', async () => {
  for (const path of [
    '',
    'index.html',
    'build/main.js',
    'dist/convolab-core.wasm',
    'data/mnist.cldata',
    'nope',
  ]) {
    const res = await fetch(pw.url + path, { method: 'HEAD' });
    assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, path);
  }
  const script = /script-src ([^;]*)/.exec(CONTENT_SECURITY_POLICY)[1];
  assert.doesNotMatch(script, /'unsafe-inline'|(^|\s)'unsafe-eval'|\*|http|data:|blob:/);
  for (const d of ["object-src 'none'", "base-uri 'none'", "'wasm-unsafe-eval'"])
    assert.ok(CONTENT_SECURITY_POLICY.includes(d), d);
  const html = readFileSync(join(root, 'web', 'index.html'), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
  assert.ok(meta, 'index.html carries the policy for a static copy of web/');
  assert.equal(meta[1], META_CONTENT_SECURITY_POLICY);
});

test('a link with markup in layer options loads the page under the policy; nothing executes', async () => {
  const { page } = pw;
  await page.waitForSelector('#status', { timeout: 60_000 });
  await page.waitForFunction(() => /Ready|Fix the stack|link/.test(document.body.textContent), null, {
    timeout: 60_000,
  });
  assert.equal(await pwned(), false);
});

test('model names from a file name and the save box stay text', async () => {
  const { page } = pw;
  await page.click('#tab-build');
  await page.selectOption('#preset', 'tiny');
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Ready:'), null, {
    timeout: 60_000,
  });
  await page.click('#tab-models');
  await page.fill('#save-name', HOSTILE);
  await page.click('#save-browser');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Saved'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const bytes = readFileSync(await download.path());
  await page.setInputFiles('#upload', {
    name: `${HOSTILE}.clmodel`,
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Loaded'));
  assert.match(await page.textContent('#saved-list'), /<img src=x/);
  assert.equal(await pwned(), false);
});

test('an upload over the size limit is refused with its size and the limit, before it is read', async () => {
  const { page } = pw;
  await page.evaluate(() => {
    // a File whose size is 300 MB without 300 MB of memory: only its size is read
    const input = document.querySelector('#upload');
    const big = new File([new Blob([new Uint8Array(16)])], 'huge.clmodel');
    Object.defineProperty(big, 'size', { value: 300 * 1024 * 1024 });
    Object.defineProperty(big, 'arrayBuffer', { value: () => Promise.reject(new Error('read')) });
    Object.defineProperty(input, 'files', { value: [big], configurable: true });
    input.dispatchEvent(new Event('change'));
  });
  const toast = page.locator('.error-toast:has-text("300 MB")');
  await toast.waitFor();
  assert.match(await toast.textContent(), /huge\.clmodel is 300 MB; a model file is at most 256 MB/);
  await toast.locator('button').click();
});

test('no policy violation and no console error in the whole run', async () => {
  const violations = await pw.page.evaluate(() => window.__cspViolations ?? []);
  assert.deepEqual(violations, []);
  assert.deepEqual(pw.cspViolations, []);
  assert.deepEqual(pw.consoleErrors, []);
});
