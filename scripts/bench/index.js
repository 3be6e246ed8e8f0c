// `npm run bench`: Convolab (wasm 1 thread, wasm 2 threads, native) against
// TensorFlow.js (cpu, wasm) and ConvNetJS, in one Node process, contenders
// interleaved round by round on the same data from the same starting
// weights. Prints a table and writes bench-results/bench-<time>.json.
// Slow contenders get a time budget per section; their throughput comes
// from the batches they finished. Nothing here is asserted: the machine is
// shared and noisy, so read medians and ratios, not single runs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { convnet } from './contenders/convnetjs.js';
import { convolabNative } from './contenders/convolab-native.js';
import { convolabWasm } from './contenders/convolab-wasm.js';
import { tfjs } from './contenders/tfjs.js';
import { loadMnist } from './data.js';
import { CONV_BENCHES, REFERENCE_TRAINING, STEP_BENCHES } from './nets.js';
import { printReport } from './report.js';
import { summarize } from './stats.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = 7;
const BATCH = REFERENCE_TRAINING.batchSize;
const TRAIN_ROUNDS = 10; // 10 rounds x 25 batches x 32 = one 8,000-example epoch
const WARMUP_BATCHES = 10;
const LATENCY_ROUNDS = 5,
  LATENCY_REPS = 25;
const THROUGHPUT_ROUNDS = 5,
  THROUGHPUT_BATCH = 256;
const CONV_ROUNDS = 5,
  CONV_ROUND_MS = 250;
const STEP_ROUNDS = 5,
  STEP_ROUND_MS = 500;

// Per-contender time budgets (ms): per training round, and per section for
// the inference sections. Contenders not listed are never cut short.
const BUDGETS = {
  'tfjs-cpu': { trainRound: 2500, evaluate: 8000, section: 8000 },
  convnetjs: { trainRound: 10000, evaluate: 20000, section: 10000 },
};

const now = () => performance.now();
const log = (...a) => console.error(...a);

async function main() {
  const started = now();
  const data = loadMnist(root);
  const epochBatches = Math.floor(data.trainCount / BATCH);
  const perRound = Math.ceil(epochBatches / TRAIN_ROUNDS);

  log('loading contenders…');
  const c1 = await convolabWasm({ threads: 1, data, seed: SEED });
  const initialParams = c1.initialParams();
  const contenders = [c1];
  const skipped = {};
  const tryAdd = async (key, make) => {
    try {
      contenders.push(await make());
    } catch (e) {
      skipped[key] = e.message;
      log(`  ${key}: not run (${e.message})`);
    }
  };
  await tryAdd('convolab-wasm-2t', () => convolabWasm({ threads: 2, data, seed: SEED }));
  await tryAdd('convolab-native', () => convolabNative({ root, data, seed: SEED }));
  await tryAdd('tfjs-cpu', () => tfjs({ backend: 'cpu', data, initialParams }));
  await tryAdd('tfjs-wasm', () => tfjs({ backend: 'wasm', data, initialParams }));
  await tryAdd('convnetjs', () => convnet({ data, initialParams }));
  const budget = (c) => BUDGETS[c.key] ?? {};
  const rotate = (list, r) => list.map((_, i) => list[(i + r) % list.length]);
  // Each contender's turn starts on a collected heap: otherwise V8 may still
  // be marking the previous contender's garbage (ConvNetJS and tfjs-cpu make
  // plenty) on a background thread, which on a 2-core machine takes the core
  // the 2-thread build needs. run.sh starts node with --expose-gc.
  const takeTurn = async (c) => {
    globalThis.gc?.();
    await c.activate?.();
  };

  // Warm-up on scratch models: V8 first runs wasm on its baseline compiler
  // and optimises hot functions on background threads (and JS likewise), so
  // without it the first rounds pay for, and share a core with, compilation.
  log('warming up…');
  for (const c of contenders) {
    await takeTurn(c);
    await c.warmUp?.(WARMUP_BATCHES, BATCH);
  }

  const results = Object.fromEntries(
    contenders.map((c) => [c.key, { label: c.label, short: c.short, notes: [] }]),
  );
  for (const c of contenders) if (!c.canTrain) results[c.key].notes.push(`cannot train: ${c.cannotTrainWhy}`);

  // Training: one epoch in TRAIN_ROUNDS rounds; examples/s per round.
  log(`training: ${TRAIN_ROUNDS} rounds of up to ${perRound} batches of ${BATCH}`);
  const trainers = contenders.filter((c) => c.canTrain);
  const pos = new Map(trainers.map((c) => [c.key, 0]));
  const rates = new Map(trainers.map((c) => [c.key, []]));
  for (let r = 0; r < TRAIN_ROUNDS; r++) {
    for (const c of rotate(trainers, r)) {
      await takeTurn(c);
      const start = pos.get(c.key);
      const batches = Math.min(perRound, epochBatches - start / BATCH);
      if (batches <= 0) continue;
      let ms, done;
      if (c.trainBatches) {
        ms = await c.trainBatches(start, batches, BATCH);
        done = batches;
      } else {
        const t0 = now(),
          limit = budget(c).trainRound ?? Infinity;
        for (done = 0; done < batches && (done === 0 || now() - t0 < limit); done++)
          await c.trainBatch(start + done * BATCH, BATCH);
        ms = now() - t0;
      }
      pos.set(c.key, start + done * BATCH);
      rates.get(c.key).push(((done * BATCH) / ms) * 1000);
    }
    log(
      `  round ${r + 1}: ${trainers.map((c) => `${c.key} ${Math.round(rates.get(c.key).at(-1) ?? 0)}/s`).join(', ')}`,
    );
  }
  for (const c of trainers) {
    const res = results[c.key];
    res.trainExamplesPerSec = summarize(rates.get(c.key));
    res.trainedExamples = pos.get(c.key);
    if (res.trainedExamples < epochBatches * BATCH)
      res.notes.push(
        `time budget: trained ${res.trainedExamples} of ${epochBatches * BATCH} examples; examples/s from those ` +
          `batches`,
      );
  }

  // Held-out accuracy after the epoch (or what the budget allowed).
  log('held-out accuracy');
  const heldStart = data.trainCount,
    held = data.count - data.trainCount;
  for (const c of trainers) {
    await takeTurn(c);
    const limit = budget(c).evaluate ?? Infinity,
      chunk = 250,
      t0 = now();
    let right = 0,
      seen = 0;
    while (seen < held && (seen === 0 || now() - t0 < limit)) {
      const n = Math.min(chunk, held - seen);
      right += (await c.evaluate(heldStart + seen, n)) * n;
      seen += n;
    }
    results[c.key].accuracy = right / seen;
    results[c.key].accuracyExamples = seen;
    results[c.key].accuracyAfterEpoch = results[c.key].trainedExamples >= epochBatches * BATCH;
    if (seen < held)
      results[c.key].notes.push(`time budget: accuracy on the first ${seen} of ${held} held-out digits`);
  }

  // Inference sections: all contenders, budgets per section.
  const sectionRounds = async (name, rounds, measure, store, among = contenders) => {
    log(name);
    const spent = new Map(among.map((c) => [c.key, 0]));
    const samples = new Map(among.map((c) => [c.key, []]));
    for (let r = 0; r < rounds; r++) {
      for (const c of rotate(among, r)) {
        const limit = budget(c).section ?? Infinity;
        if (samples.get(c.key).length > 0 && spent.get(c.key) > limit) continue;
        await takeTurn(c);
        const t0 = now();
        samples.get(c.key).push(await measure(c, r));
        spent.set(c.key, spent.get(c.key) + now() - t0);
      }
    }
    for (const c of among) {
      results[c.key][store] = summarize(samples.get(c.key));
      if (samples.get(c.key).length < rounds)
        results[c.key].notes.push(`time budget: ${name}: ${samples.get(c.key).length} of ${rounds} rounds`);
    }
  };

  const medianOf = (a) => summarize(a).median;
  await sectionRounds(
    '1-image latency',
    LATENCY_ROUNDS,
    async (c, r) => {
      const start = heldStart + ((r * LATENCY_REPS) % (held - LATENCY_REPS));
      if (c.predictTimes) return medianOf(await c.predictTimes(start, 1, LATENCY_REPS));
      for (let i = 0; i < 3; i++) await c.predict(start + i, 1);
      const times = [];
      const limit = budget(c).section ?? Infinity,
        t0 = now();
      for (let i = 0; i < LATENCY_REPS && (i === 0 || now() - t0 < limit / LATENCY_ROUNDS); i++) {
        const t = now();
        await c.predict(start + i, 1);
        times.push(now() - t);
      }
      return medianOf(times);
    },
    'latencyMs',
  );

  await sectionRounds(
    `batch-${THROUGHPUT_BATCH} inference`,
    THROUGHPUT_ROUNDS,
    async (c, r) => {
      const start = heldStart + ((r * 97) % (held - THROUGHPUT_BATCH));
      if (c.predictTimes)
        return (THROUGHPUT_BATCH / medianOf(await c.predictTimes(start, THROUGHPUT_BATCH, 3))) * 1000;
      if (r === 0) await c.predict(start, 8);
      const t = now();
      await c.predict(start, THROUGHPUT_BATCH);
      return (THROUGHPUT_BATCH / (now() - t)) * 1000;
    },
    'batchExamplesPerSec',
  );

  for (const b of CONV_BENCHES) {
    await sectionRounds(
      b.title,
      CONV_ROUNDS,
      async (c, r) => {
        if (c.convTimes) return b.flops / (medianOf(await c.convTimes(b.key, 10)) * 1e6);
        if (r === 0) await c.conv(b.key);
        const times = [],
          t0 = now();
        for (let i = 0; i < 20 && (i === 0 || now() - t0 < CONV_ROUND_MS); i++) {
          const t = now();
          await c.conv(b.key);
          times.push(now() - t);
        }
        return b.flops / (medianOf(times) * 1e6);
      },
      `${b.key}GFlops`,
    );
  }

  // Depthwise/separable training steps: ms per forward + backward, for the
  // contenders that have the layer (ConvNetJS has none).
  for (const b of STEP_BENCHES) {
    const able = contenders.filter((c) => (c.stepTimes || c.step) && (c.canStep?.(b.key) ?? true));
    for (const c of contenders)
      if (!able.includes(c))
        results[c.key].notes.push(`${b.title}: not run (${c.cannotStepWhy?.(b.key) ?? 'no such layer'})`);
    await sectionRounds(
      b.title,
      STEP_ROUNDS,
      async (c, r) => {
        if (c.stepTimes) return medianOf(await c.stepTimes(b.key, 10));
        // a warm-up step, except for the budgeted contenders (a tfjs-cpu step takes seconds)
        if (r === 0 && budget(c).section === undefined) await c.step(b.key);
        const times = [],
          t0 = now();
        for (let i = 0; i < 20 && (i === 0 || now() - t0 < STEP_ROUND_MS); i++) {
          const t = now();
          await c.step(b.key);
          times.push(now() - t);
        }
        return medianOf(times);
      },
      `${b.key}Ms`,
      able,
    );
  }

  for (const c of contenders) c.close();

  const size = (f) => readFileSync(join(root, 'dist', f));
  const gz = (files) => files.reduce((s, f) => s + gzipSync(size(f), { level: 9 }).length, 0);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    settings: {
      seed: SEED,
      batch: BATCH,
      trainRounds: TRAIN_ROUNDS,
      latencyRounds: LATENCY_ROUNDS,
      latencyReps: LATENCY_REPS,
      throughputRounds: THROUGHPUT_ROUNDS,
      throughputBatch: THROUGHPUT_BATCH,
      convRounds: CONV_ROUNDS,
      stepRounds: STEP_ROUNDS,
      budgets: BUDGETS,
    },
    sizes: {
      singleThreadGzipBytes: gz(['convolab-core.wasm', 'convolab-core.js']),
      threadedGzipBytes: gz(['convolab-core-mt.wasm', 'convolab-core-mt.js', 'convolab-core-mt.worker.js']),
    },
    skipped,
    results,
    seconds: (now() - started) / 1000,
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const file = join(root, 'bench-results', `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  writeFileSync(join(root, 'bench-results', 'latest.json'), JSON.stringify(report, null, 2));
  printReport(report);
  console.log(`\nJSON: ${file}`);
}

main().then(
  // The threaded build's pthread workers would keep Node alive: exit.
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
