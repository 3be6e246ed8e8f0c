// The end-of-epoch numbers from the whole validation set's predictions: the
// confusion matrix (true × predicted), loss and accuracy, and the first
// misclassified examples for the gallery.

/**
 * probs: Float32Array (N*K) of class probabilities; labels: the N true
 * classes; firstIndex: the dataset index of validation example 0.
 */
export function validationReport(probs, labels, k, firstIndex, maxWrong = 40) {
  const n = labels.length;
  const confusion = Array.from({ length: k }, () => new Array(k).fill(0));
  const wrong = [];
  let lossSum = 0,
    correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    const t = labels[i];
    confusion[t][best]++;
    lossSum -= Math.log(Math.max(probs[i * k + t], 1e-7));
    if (best === t) correct++;
    else if (wrong.length < maxWrong)
      wrong.push({ index: firstIndex + i, predicted: best, label: t, confidence: probs[i * k + best] });
  }
  return { confusion, wrong, valLoss: lossSum / n, valAcc: correct / n };
}

/** The predicted class of each of the N examples (probs: N*K). */
export function predictedClasses(probs, n, k) {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}
