// The trainer's requests of the answering net (answering-net.js): predict
// {pixels} → prediction and inspect {pixels} → inspected, the latest one of
// each kind only. It reads the trainer's state (trainer-state.js).
import { asProbabilities, readsLogits } from './logits.js';
import { latestOnly } from './latest-request.js';
import { firstFilters } from './net-check.js';
import { answerLabel } from './answering-net.js';
import { predictor } from './net-replacement.js';

const asInput = (model, pixels) => ({ data: pixels, shape: [1, ...model.inputShape] });

export function createNetRequests(state) {
  return {
    predict: latestOnly(async ({ pixels }) => {
      const p = predictor(state);
      if (!p) return { type: 'prediction', probs: null, source: 'none', label: answerLabel('none') };
      const out = await p.model.predict(asInput(p.model, pixels));
      if (state.task === 'denoise')
        return {
          type: 'prediction',
          image: out.data,
          shape: out.shape.slice(1),
          source: p.source,
          label: p.label,
        };
      const probs = asProbabilities(p, out.data, out.shape.at(-1));
      return {
        type: 'prediction',
        probs: Array.from(probs),
        softmaxed: readsLogits(p),
        source: p.source,
        label: p.label,
      };
    }),
    inspect: latestOnly(async ({ pixels }) => {
      const p = predictor(state);
      if (!p)
        return { type: 'inspected', layers: [], filters: null, source: 'none', label: answerLabel('none') };
      const [acts, filters] = await Promise.all([
        p.model.activations(asInput(p.model, pixels)),
        firstFilters(p.model, p.summary),
      ]);
      // every layer's output, whatever its type: maps, vectors and the last layer's probabilities
      const layers = p.summary.layers.map((l, i) => ({
        index: i,
        type: l.type,
        shape: l.outputShape,
        options: l.options,
        maps: acts[i].data,
      }));
      const last = acts.at(-1);
      const { task } = state;
      if (task === 'denoise')
        return {
          type: 'inspected',
          image: last.data,
          layers,
          filters,
          source: p.source,
          label: p.label,
          task,
        };
      const probs = Array.from(asProbabilities(p, last.data, last.shape.at(-1)));
      return {
        type: 'inspected',
        probs,
        softmaxed: readsLogits(p),
        layers,
        filters,
        source: p.source,
        label: p.label,
      };
    }),
  };
}
