// Starts the playground server and Debian's Chromium (never a downloaded
// browser) for one test file, and collects console errors.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.js';
import { resultsDir } from './paths.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function openPlayground({
  viewport = { width: 1280, height: 900 },
  hash = '',
  isMobile = false,
  hasTouch = false,
  args = [], // more Chromium switches, e.g. the fake camera's
} = {}) {
  const { server, url } = await startServer({ port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'convolab-chromium-'));
  let context;
  const cspViolations = [];
  const close = async () => {
    await context?.close().catch(() => {});
    await new Promise((r) => server.close(r));
    server.closeAllConnections?.();
    rmSync(profile, { recursive: true, force: true });
    if (cspViolations.length)
      throw new Error(`Content-Security-Policy violations: ${cspViolations.join('; ')}`);
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, ...args],
      viewport,
      isMobile,
      hasTouch,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    // every test runs under the page's Content-Security-Policy; a violation is a failure
    await page.exposeFunction('__reportCspViolation', (v) => cspViolations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const where = e.target?.outerHTML?.slice(0, 120) ?? String(e.target);
        const v = `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber}) at ${where}`;
        (window.__cspViolations ??= []).push(v);
        window.__reportCspViolation(v);
      });
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(url + hash);
    return { page, url, context, consoleErrors, cspViolations, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export function screenshotPath(name) {
  mkdirSync(resultsDir, { recursive: true });
  return join(resultsDir, `${name}.png`);
}

/** Draws polylines (arrays of [x, y] in canvas pixels of a 280x280 pad) with the mouse. */
export async function drawStrokes(page, selector, strokes) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  const sx = box.width / 280,
    sy = box.height / 280;
  for (const stroke of strokes) {
    const [x0, y0] = stroke[0];
    await page.mouse.move(box.x + x0 * sx, box.y + y0 * sy);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x * sx, box.y + y * sy, { steps: 8 });
    await page.mouse.up();
  }
}

/** Strokes for digits on a 280x280 pad, drawn the way people write them. */
export const DIGIT_STROKES = {
  0: [
    Array.from({ length: 26 }, (_, i) => {
      const a = (i / 24) * 2 * Math.PI - Math.PI / 2;
      return [140 + 62 * Math.cos(a), 140 + 95 * Math.sin(a)];
    }),
  ],
  1: [
    [
      [140, 40],
      [142, 140],
      [144, 240],
    ],
  ],
  2: [
    [
      [80, 90],
      [100, 55],
      [140, 40],
      [185, 55],
      [200, 95],
      [185, 135],
      [80, 235],
      [215, 235],
    ],
  ],
  3: [
    [
      [80, 60],
      [140, 40],
      [195, 70],
      [190, 115],
      [135, 140],
      [195, 165],
      [200, 210],
      [140, 240],
      [80, 220],
    ],
  ],
  4: [
    [
      [150, 40],
      [70, 170],
      [215, 170],
    ],
    [
      [175, 90],
      [175, 250],
    ],
  ],
  7: [
    [
      [70, 50],
      [210, 50],
      [120, 250],
    ],
  ],
};
