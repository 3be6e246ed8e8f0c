// Convolab compiled natively (build/native/convolab_bench, -O3 -march=native,
// x86 SIMD kernels) as a child process speaking one JSON line per command.
// Its times are measured inside the process, so the pipe is not counted.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeRaw } from '../data.js';
import {
  CONV_BENCHES,
  REFERENCE_SPEC,
  REFERENCE_TRAINING,
  STEP_BENCHES,
  STEP_TRAINING,
  convBenchSpec,
  stepBenchSpec,
} from '../nets.js';

export async function convolabNative({ root, data, seed, threads = 1 }) {
  const exe = join(root, 'build', 'native', 'convolab_bench');
  if (!existsSync(exe)) throw new Error(`${exe} is missing (npm run bench builds it)`);
  const child = spawn(exe, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const send = (cmd) =>
    new Promise((resolve, reject) => {
      waiting.push((line) => {
        const reply = JSON.parse(line);
        if (reply.ok) resolve(reply);
        else reject(new Error(`native bench: ${reply.error}`));
      });
      child.stdin.write(JSON.stringify(cmd) + '\n');
    });
  const rawPath = join(tmpdir(), `convolab-bench-${process.pid}.raw`);
  writeRaw(data, rawPath);
  await send({ cmd: 'data', path: rawPath, count: data.count, size: data.size });
  await send({ cmd: 'threads', n: threads });
  const { kernels } = await send({
    cmd: 'model',
    id: 0,
    spec: REFERENCE_SPEC,
    seed,
    compile: REFERENCE_TRAINING,
  });
  for (const [i, b] of CONV_BENCHES.entries())
    await send({ cmd: 'model', id: i + 1, spec: convBenchSpec(b), seed });
  const stepId = (i) => 100 + i;
  for (const [i, b] of STEP_BENCHES.entries())
    await send({ cmd: 'model', id: stepId(i), spec: stepBenchSpec(b), seed, compile: STEP_TRAINING });
  return {
    key: 'convolab-native',
    label: `Convolab native (build/native/convolab_bench, ${kernels} kernels, 1 thread)`,
    short: 'Convolab native',
    canTrain: true,
    timesInProcess: true,
    async trainBatches(start, batches, batch) {
      return (await send({ cmd: 'train', id: 0, start, batches, batch })).ms;
    },
    async evaluate(start, n) {
      return (await send({ cmd: 'evaluate', id: 0, start, n })).accuracy;
    },
    async predictTimes(start, n, reps) {
      return (await send({ cmd: 'predict', id: 0, start, n, reps })).ms;
    },
    async convTimes(key, reps) {
      const i = CONV_BENCHES.findIndex((c) => c.key === key);
      return (await send({ cmd: 'predict_input', id: i + 1, n: CONV_BENCHES[i].batch, reps })).ms;
    },
    async stepTimes(key, reps) {
      const i = STEP_BENCHES.findIndex((c) => c.key === key);
      return (await send({ cmd: 'train_input', id: stepId(i), n: STEP_BENCHES[i].batch, reps })).ms;
    },
    close() {
      child.stdin.end();
    },
  };
}
