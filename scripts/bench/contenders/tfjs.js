// TensorFlow.js 4.22 (tfjs-layers model, same architecture and starting
// weights) on its cpu backend (plain JS) and its wasm backend (XNNPACK,
// SIMD, single-threaded here like Convolab's 1-thread build). The wasm
// backend cannot train this net: it has no Conv2DBackpropFilter kernel.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { CONV_BENCHES, REFERENCE_PARAM_SHAPES, REFERENCE_TRAINING, STEP_BENCHES } from '../nets.js';

let wasmReady = false;

async function useBackend(name) {
  if (name === 'wasm' && !wasmReady) {
    // In Node the backend reads its .wasm files from node_modules.
    const require = createRequire(import.meta.url);
    setWasmPaths(
      dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + '/',
    );
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmReady = true;
  }
  if (tf.getBackend() !== name) {
    if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  }
}

function referenceModel() {
  const m = tfl.sequential();
  m.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 5,
      padding: 'same',
      activation: 'relu',
    }),
  );
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

function setParams(model, params) {
  let offset = 0;
  const tensors = REFERENCE_PARAM_SHAPES.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(params.subarray(offset, offset + size), shape);
    offset += size;
    return t;
  });
  if (offset !== params.length) throw new Error(`expected ${offset} parameters, got ${params.length}`);
  model.setWeights(tensors);
  tf.dispose(tensors);
}

export async function tfjs({ backend, data, initialParams }) {
  await useBackend(backend);
  const model = referenceModel();
  setParams(model, initialParams);
  const { learningRate, momentum } = REFERENCE_TRAINING.optimizer;
  model.compile({ optimizer: tf.train.momentum(learningRate, momentum), loss: 'categoricalCrossentropy' });
  const [h, w, c] = data.shape;
  const size = data.size;
  const images = (start, n) =>
    tf.tensor4d(data.images.subarray(start * size, (start + n) * size), [n, h, w, c]);
  const convs = new Map(
    CONV_BENCHES.map((b) => [
      b.key,
      {
        x: tf.randomUniform([b.batch, b.h, b.w, b.c], -0.5, 0.5, 'float32', 1),
        f: tf.randomUniform([b.k, b.k, b.c, b.filters], -0.1, 0.1, 'float32', 2),
      },
    ]),
  );
  // The step benches: the block's op alone, its input and weight gradients
  // from tf.grads (dL/dy = 1), so tfjs is not charged for a head or loss. A
  // backend runs a bench only when it has every kernel the step needs (asked
  // of the registry: one tfjs-cpu separable step takes about a minute).
  const steps = new Map();
  const cannotStep = {};
  const depthwiseKernels = [
    'DepthwiseConv2dNative',
    'DepthwiseConv2dNativeBackpropInput',
    'DepthwiseConv2dNativeBackpropFilter',
  ];
  const pointwiseKernels = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];
  for (const b of STEP_BENCHES) {
    const separable = b.layer.type === 'separableConv2d';
    const missing = [...depthwiseKernels, ...(separable ? pointwiseKernels : [])].find(
      (k) => !tf.getKernel(k, backend),
    );
    if (missing) {
      cannotStep[b.key] = `Kernel '${missing}' not registered for backend '${backend}'`;
      continue;
    }
    const x = tf.randomUniform([b.batch, b.h, b.w, b.c], -0.5, 0.5, 'float32', 3);
    const weights = [x, tf.randomUniform([3, 3, b.c, 1], -0.1, 0.1, 'float32', 4)];
    let op = (xx, k) => tf.sum(tf.depthwiseConv2d(xx, k, 1, 'same'));
    if (separable) {
      weights.push(tf.randomUniform([1, 1, b.c, b.layer.filters], -0.1, 0.1, 'float32', 5));
      op = (xx, k, pk) => tf.sum(tf.separableConv2d(xx, k, pk, 1, 'same'));
    }
    steps.set(b.key, () => {
      const grads = tf.grads(op)(weights);
      for (const g of grads) g.dataSync();
      tf.dispose(grads);
    });
  }
  return {
    key: `tfjs-${backend}`,
    label:
      `TensorFlow.js ${tf.version_core} ${backend} ` +
      `backend${backend === 'wasm' ? ' (XNNPACK, SIMD, 1 thread)' : ''}`,
    short: `tfjs ${backend}`,
    canTrain: backend !== 'wasm',
    cannotTrainWhy:
      backend === 'wasm'
        ? 'tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so it cannot train a conv net'
        : undefined,
    async activate() {
      await useBackend(backend);
    },
    // A scratch model, so the measured one keeps its weights; the wasm
    // backend only runs inference. One batch: tfjs-cpu takes seconds for it.
    async warmUp(batches, n) {
      const scratch = referenceModel();
      const x = images(0, n);
      if (backend === 'wasm') {
        tf.dispose(scratch.predict(x));
      } else {
        scratch.compile({
          optimizer: tf.train.momentum(learningRate, momentum),
          loss: 'categoricalCrossentropy',
        });
        const y = tf.oneHot(tf.tensor1d(data.labels.subarray(0, n), 'int32'), 10);
        await scratch.trainOnBatch(x, y);
        y.dispose();
      }
      x.dispose();
      scratch.dispose();
    },
    async trainBatch(start, n) {
      const x = images(start, n);
      const y = tf.oneHot(tf.tensor1d(data.labels.subarray(start, start + n), 'int32'), 10);
      const loss = await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
      return loss;
    },
    evaluate(start, n) {
      const probs = tf.tidy(() => tf.argMax(model.predict(images(start, n)), -1));
      const guess = probs.dataSync();
      probs.dispose();
      let right = 0;
      for (let i = 0; i < n; i++) if (guess[i] === data.labels[start + i]) right++;
      return right / n;
    },
    predict(start, n) {
      const x = images(start, n);
      const y = model.predict(x);
      y.dataSync();
      tf.dispose([x, y]);
    },
    conv(key) {
      const b = CONV_BENCHES.find((cb) => cb.key === key);
      const { x, f } = convs.get(key);
      const y = tf.conv2d(x, f, 1, 'same');
      y.dataSync();
      y.dispose();
      return b;
    },
    canStep: (key) => steps.has(key),
    cannotStepWhy: (key) => cannotStep[key],
    step(key) {
      steps.get(key)();
    },
    close() {},
  };
}
