// Draw and classify: the pad, the 28×28 input the net sees, and ten
// probability bars that follow the pen.
import { DrawPad } from './drawpad.js';
import { paintInput, preprocessDrawing } from './preprocess.js';
import { el, paintGrey } from './images.js';
import { accuracyText } from './number-format.js';

const $ = (id) => document.getElementById(id);

/**
 * toInput(pixels): the drawing (784 floats) as the net's input (another
 * dataset shape needs it converted); classifyInput() shows the net's answer
 * for another picture (an upload, the camera) until the pad changes.
 */
export function createDrawPanel({ trainer, onInput, toInput = (p) => p }) {
  let pixels = null;
  let external = null; // { input, caption }: a picture from elsewhere being classified
  let classNames = Array.from({ length: 10 }, (_, i) => String(i));

  const pad = new DrawPad($('pad'), { onChange: () => changed() });
  $('clear').addEventListener('click', () => pad.clear());
  $('undo').addEventListener('click', () => pad.undo());
  $('pad').addEventListener('keydown', (e) => {
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      pad.clear();
    }
    if ((e.ctrlKey || e.metaKey) && e.key === 'z') {
      e.preventDefault();
      pad.undo();
    }
  });

  function renderBars(probs) {
    const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
    $('bars').replaceChildren(
      ...classNames.map((name, d) => {
        const p = probs ? probs[d] : 0;
        return el(
          'li',
          { class: d === top ? 'top' : '', 'aria-label': `${name}: ${(p * 100).toFixed(1)} percent` },
          el('span', { class: 'bar-label', text: name }),
          el(
            'span',
            { class: 'bar-track' },
            el('span', { class: 'bar', style: `width:${(p * 100).toFixed(1)}%` }),
          ),
          el('span', { class: 'bar-value', text: `${(p * 100).toFixed(1)}%` }),
        );
      }),
    );
    $('prediction').textContent = probs ? classNames[top] : '–';
    $('bars').dataset.probs = probs ? JSON.stringify(probs) : '';
  }

  function changed() {
    external = null;
    pixels = preprocessDrawing($('pad'));
    paintInput($('seen'), pixels);
    onInput(pixels);
    predict();
  }

  function predict() {
    if (!pixels && !external) {
      renderBars(null);
      $('predictor').textContent = '';
      return;
    }
    const asked = external;
    const input = asked ? asked.input : toInput(pixels);
    trainer.request('predict', { pixels: input }, (msg) => {
      if (asked !== external || (!asked && !pixels)) return; // a newer input replaced it
      // a denoiser answers with an image, not classes
      $('pad-output-box').hidden = !msg.image;
      $('bars').hidden = !!msg.image;
      if (msg.image) {
        const [h, w] = msg.shape;
        paintGrey($('pad-output'), msg.image, w, h);
        $('prediction').textContent = 'the image below';
        $('predictor').textContent = `by ${msg.label}`;
        return;
      }
      // a net for other classes (My data still too small to train, the old dataset's net answered) says nothing
      if (msg.probs && msg.probs.length !== classNames.length) msg = { probs: null, source: 'none' };
      renderBars(msg.probs);
      const of = asked ? `, for ${asked.caption}` : '';
      // a linear last layer gives logits: the bars are their softmax
      const softmax = msg.probs && msg.softmaxed ? ' (bars: softmax of its linear outputs)' : '';
      $('predictor').textContent = msg.source === 'none' ? '' : `by ${msg.label}${of}${softmax}`;
      $('bars').setAttribute(
        'aria-label',
        softmax ? 'Class probabilities: softmax of the outputs' : 'Class probabilities',
      );
    });
  }

  renderBars(null);
  return {
    get pixels() {
      return pixels;
    },
    predict,
    clear: () => pad.clear(),
    /** Classifies input (floats in the net's input shape); caption says what it is. */
    classifyInput(input, caption) {
      external = { input, caption };
      if (input.length === 784) paintInput($('seen'), input);
      predict();
    },
    setClassNames(names) {
      classNames = names;
      renderBars(null);
      predict();
    },
    /** The pre-trained net has arrived: it may be the one that answers now. */
    setPretrained() {
      predict();
    },
  };
}
