// Draw and classify: the pad, the 28×28 input the net sees, and ten
// probability bars that follow the pen.
import { DrawPad } from './drawpad.js';
import { paintInput, preprocessDrawing } from './preprocess.js';
import { el } from './images.js';

const $ = (id) => document.getElementById(id);

const SOURCES = {
  pretrained: (h) =>
    `the pre-trained net${h?.accuracy ? ` (${(h.accuracy * 100).toFixed(1)} % on held-out digits)` : ''}`,
  yours: () => 'your net',
  untrained: () => 'your untrained net (a guess)',
  none: () => '',
};

export function createDrawPanel({ trainer, onInput }) {
  let pixels = null;
  let classNames = Array.from({ length: 10 }, (_, i) => String(i));
  let pretrainedHeader = null;

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
    pixels = preprocessDrawing($('pad'));
    paintInput($('seen'), pixels);
    onInput(pixels);
    predict();
  }

  function predict() {
    if (!pixels) {
      renderBars(null);
      $('predictor').textContent = '';
      return;
    }
    trainer.request('predict', { pixels }, (msg) => {
      if (!pixels) return;
      renderBars(msg.probs);
      $('predictor').textContent = msg.source === 'none' ? '' : `by ${SOURCES[msg.source](pretrainedHeader)}`;
    });
  }

  renderBars(null);
  return {
    get pixels() {
      return pixels;
    },
    predict,
    setClassNames(names) {
      classNames = names;
      renderBars(null);
      predict();
    },
    setPretrained(header) {
      pretrainedHeader = header;
      predict();
    },
  };
}
