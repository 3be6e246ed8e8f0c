// The real thing: `npm pack`, install the tarball into an empty project
// (offline, from the file), then use it as a user would: ESM and CJS Node
// scripts that train and predict, the typings under tsc, and an esbuild
// bundle run in headless Debian Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'esbuild';
import { root } from '../support/paths.js';
import { serveDirectory } from '../support/static-server.js';

const work = mkdtempSync(join(tmpdir(), 'convolab-pack-'));
const project = join(work, 'project');
const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, ...opts });

// the threaded build ships when the build made it (dist/convolab-core-mt.*)
const threadedShipped = existsSync(join(root, 'dist', 'convolab-core-mt.js'));

before(() => {
  const [{ filename, files }] = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root }),
  );
  const shipped = files.map((f) => f.path);
  assert.ok(shipped.includes('dist/convolab-core.wasm') && shipped.includes('bindings/worker-thread.js'));
  if (threadedShipped)
    for (const f of [
      'dist/convolab-core-mt.js',
      'dist/convolab-core-mt.wasm',
      'dist/convolab-core-mt.worker.js',
      'dist/convolab-core-mt.worker.cjs',
    ])
      assert.ok(shipped.includes(f), `${f} ships`);
  assert.ok(
    !shipped.some((p) => p.startsWith('tests/') || p.startsWith('engine/') || p.endsWith('.cpp')),
    `only what runs ships: ${shipped}`,
  );
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'uses-convolab', private: true, version: '1.0.0' }),
  );
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, filename)], {
    cwd: project,
  });
  cpSync(join(root, 'tests', 'package'), project, { recursive: true });
});
after(() => rmSync(work, { recursive: true, force: true }));

const learned = (r) => {
  assert.ok(r.loss.at(-1) < r.loss[0] / 2, `loss fell: ${r.loss}`);
  assert.ok(r.accuracy >= 0.9, `accuracy ${r.accuracy}`);
};

test('an ESM Node script trains and predicts through the installed package (main thread and worker)', () => {
  const r = JSON.parse(run('node', ['esm.mjs'], { cwd: project }));
  learned(r);
  learned({ loss: r.workerLoss, accuracy: r.workerAccuracy });
  assert.equal(r.streamed, 4 * 6);
  assert.equal(r.specError, "layer 1 (Conv2D): a 3x3 kernel does not fit a 2x2 input with padding 'valid'");
  assert.equal(r.crc, 0x55bc801d); // CRC-32 of bytes 1,2,3 (zlib's value)
  assert.deepEqual(r.threadedBackend, {
    build: threadedShipped ? 'threaded' : 'single-thread',
    threads: threadedShipped ? 2 : 1,
    kernels: r.threadedBackend.kernels,
  });
  learned({ loss: r.threadedLoss, accuracy: 1 });
});

test('a CommonJS Node script trains and predicts through require()', () => {
  const r = JSON.parse(run('node', ['cjs.cjs'], { cwd: project }));
  learned(r);
  assert.equal(r.errorClass, 'InputError');
  assert.equal(r.worker, 'function');
});

test('the shipped typings compile a typed usage example (ESM and CJS) under tsc --noEmit', () => {
  const types = join(project, 'types');
  cpSync(join(root, 'tests', 'types'), types, { recursive: true });
  // usage.ts is an ES module, usage.cts CommonJS
  writeFileSync(join(types, 'package.json'), JSON.stringify({ type: 'module' }));
  try {
    run(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(types, 'tsconfig.json')],
      { cwd: types },
    );
  } catch (e) {
    assert.fail(`tsc found errors:\n${e.stdout}${e.stderr}`);
  }
});

test('in headless Chromium, an esbuild bundle and the unbundled package (import map) train in the page and in a Web Worker', async () => {
  const out = join(project, 'out');
  await build({
    entryPoints: [
      { in: join(project, 'browser-app.mjs'), out: 'browser-app' },
      { in: join(project, 'node_modules', 'convolab', 'bindings', 'worker-thread.js'), out: 'worker-thread' },
    ],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: out,
    logLevel: 'error',
    absWorkingDir: project,
  });
  // the engine's .wasm sits beside the bundles, where the glue looks for it
  copyFileSync(
    join(project, 'node_modules', 'convolab', 'dist', 'convolab-core.wasm'),
    join(out, 'convolab-core.wasm'),
  );
  const head = '<!doctype html><meta charset="utf-8"><title>convolab</title><link rel="icon" href="data:,">';
  writeFileSync(
    join(out, 'index.html'),
    `${head}<script>window.bundled = true</script><script type="module" src="browser-app.js"></script>`,
  );
  assert.deepEqual(readdirSync(out).sort(), [
    'browser-app.js',
    'convolab-core.wasm',
    'index.html',
    'worker-thread.js',
  ]);
  const imports = {
    convolab: './node_modules/convolab/bindings/convolab.js',
    'convolab/worker': './node_modules/convolab/bindings/worker.js',
  };
  writeFileSync(
    join(project, 'unbundled.html'),
    `${head}<script type="importmap">${JSON.stringify({ imports })}</script><script type="module" ` +
      `src="browser-app.mjs"></script>`,
  );

  const server = await serveDirectory(project);
  const profile = mkdtempSync(join(work, 'chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    for (const path of ['out/index.html', 'unbundled.html']) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('response', (res) => {
        if (res.status() >= 400) errors.push(`${res.status()} ${res.url()}`);
      });
      await page.goto(server.url + path);
      await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
      const r = await page.evaluate(() => window.result);
      console.log(
        `${path}: backend ${JSON.stringify(r.backend)}, worker ${JSON.stringify(r.workerBackend)}, accuracy ` +
          `${r.accuracy} / ${r.workerAccuracy}`,
      );
      assert.equal(r.error, undefined, `${path}: ${r.error}`);
      learned(r);
      learned({ loss: r.workerLoss, accuracy: r.workerAccuracy });
      assert.equal(r.streamed, 4 * 6);
      assert.equal(r.isolated, true);
      // crossOriginIsolated: the unbundled package picks the threaded build by itself (a bundle runs
      // single-thread unless given threadedUrl)
      const expected = path === 'unbundled.html' && threadedShipped ? 'threaded' : 'single-thread';
      assert.equal(r.backend.build, expected, path);
      assert.equal(r.workerBackend.build, expected, path);
      assert.deepEqual(errors, [], path);
      await page.close();
    }
  } finally {
    await context?.close().catch(() => {});
    await server.close();
  }
});
