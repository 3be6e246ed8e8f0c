// Page controller: wires the panels to the training worker.
import { DrawPad } from './drawpad.js';
import { paintInput, preprocessDrawing } from './preprocess.js';

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

function renderBars(probs) {
  const bars = $('bars');
  const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
  bars.replaceChildren(...Array.from({ length: 10 }, (_, d) => {
    const li = document.createElement('li');
    const p = probs ? probs[d] : 0;
    li.className = d === top ? 'top' : '';
    li.innerHTML = `<span>${d}</span><span class="bar" style="width:${(p * 100).toFixed(1)}%"></span><span>${(p * 100).toFixed(1)}%</span>`;
    return li;
  }));
  $('prediction').textContent = probs ? String(top) : '–';
}

let ready = false;
let pendingPredict = false;
const pad = new DrawPad($('pad'), { onChange: () => requestPrediction() });

function requestPrediction() {
  const pixels = preprocessDrawing($('pad'));
  paintInput($('seen'), pixels);
  if (!pixels) { renderBars(null); return; }
  if (!ready || pendingPredict) return;
  pendingPredict = true;
  worker.postMessage({ type: 'predict', pixels });
}

$('clear').addEventListener('click', () => pad.clear());
$('train').addEventListener('click', () => {
  $('train').disabled = true;
  $('status').textContent = 'Training…';
  worker.postMessage({ type: 'train', epochs: 1 });
});

worker.onmessage = ({ data: msg }) => {
  switch (msg.type) {
    case 'ready':
      ready = true;
      $('summary').textContent = msg.summary;
      $('status').textContent = `${msg.dataset.name}: ${msg.dataset.train} training, ${msg.dataset.heldOut} held-out digits`;
      $('train').disabled = false;
      break;
    case 'progress':
      $('progress').value = msg.step / msg.total;
      $('loss').textContent = msg.loss.toFixed(4);
      $('speed').textContent = Math.round(msg.examplesPerSec).toLocaleString('en');
      $('eta').textContent = `${msg.secondsLeft.toFixed(1)} s`;
      break;
    case 'evaluated':
      $('accuracy').textContent = `${(msg.accuracy * 100).toFixed(1)} %`;
      break;
    case 'done':
      $('status').textContent = 'Trained. Draw a digit!';
      $('train').disabled = false;
      requestPrediction();
      break;
    case 'prediction':
      pendingPredict = false;
      renderBars(msg.probs);
      break;
    case 'error':
      pendingPredict = false;
      $('train').disabled = false;
      showError(msg.message);
      break;
  }
};
worker.onerror = (e) => showError(`The training worker failed: ${e.message}`);

renderBars(null);
worker.postMessage({ type: 'init', datasetUrl: '/data/mnist.cldata' });
