// Which net answers on the page — classifies the pad, fills See inside, is
// saved and exported — and the one label every view shows for it. The
// trainer decides (answerSource); the views only print answerLabel's text,
// so they can never disagree.
import { accuracyText } from './number-format.js';

// "97.0 % on all 2,000 held-out digits": the figure with what it was measured on
const heldOutAccuracy = (h) =>
  h.heldOut
    ? `${accuracyText(h.accuracy, { checked: h.heldOut, full: true })} held-out digits`
    : `${(h.accuracy * 100).toFixed(1)} % on held-out digits`;

/**
 * The answering net's source for the user's net `net` (or null), the
 * pre-trained net (or null), the dataset `ds` and the task ('classify' or 'denoise'):
 *   'yours'      the net of the stack on screen, trained (or loaded from a file)
 *   'kept'       the last good net, kept while the stack on screen does not build
 *   'untrained'  the stack's fresh net, when no pre-trained net fits the data
 *   'pretrained' the pre-trained MNIST net (an untrained net, or a file that can't run here)
 *   'none'
 */
export function answerSource(net, pretrained, ds, task = 'classify') {
  // the pre-trained net classifies digits: it cannot answer for another dataset or a denoiser
  const pretrainedFits =
    task !== 'denoise' && !!pretrained && !!ds?.name && !ds.mine && !/fashion/i.test(ds.name);
  if (net?.unfit) return pretrainedFits ? 'pretrained' : 'none';
  if (net?.kept) return 'kept';
  const trained = net?.steps > 0 || !!net?.fromFile; // a loaded file counts as trained even when it says nothing of its steps
  if (net && (trained || !pretrainedFits)) return trained ? 'yours' : 'untrained';
  if (pretrainedFits) return 'pretrained';
  return net ? 'untrained' : 'none';
}

/** The label of a source; pretrainedMeta: the pre-trained net's facts ({ accuracy }). */
export function answerLabel(source, pretrainedMeta) {
  switch (source) {
    case 'yours':
      return 'your trained net';
    case 'kept':
      return 'your trained net (stack before your edit)';
    case 'untrained':
      return 'your untrained net (a guess)';
    case 'pretrained':
      return `the pre-trained net${pretrainedMeta?.accuracy ? ` (${heldOutAccuracy(pretrainedMeta)})` : ''}`;
    default:
      return 'no net';
  }
}
