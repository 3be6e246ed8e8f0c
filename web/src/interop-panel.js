// TensorFlow/Keras and ONNX: export the net as a TensorFlow.js layers model
// (model.json + weights.bin, which tensorflowjs_converter turns into Keras)
// or as .onnx, and open a TensorFlow.js model (picked or dropped: its
// model.json with the .bin files its manifest names).
import { el } from './images.js';
import { showError } from './errors.js';

const $ = (id) => document.getElementById(id);

function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** { modelJSON, weightData: ArrayBuffer[] } from the chosen files, or throws saying which file is missing. */
export async function readTfjsFiles(files) {
  const list = [...files];
  const jsons = list.filter((f) => /\.json$/i.test(f.name));
  if (jsons.length !== 1)
    throw new Error(
      jsons.length
        ? `pick one model.json, not ${jsons.length} .json files`
        : 'pick the model.json with its .bin files',
    );
  let modelJSON;
  try {
    modelJSON = JSON.parse(await jsons[0].text());
  } catch (e) {
    throw new Error(`${jsons[0].name} is not JSON (${e.message})`);
  }
  const paths = (Array.isArray(modelJSON?.weightsManifest) ? modelJSON.weightsManifest : []).flatMap((g) =>
    Array.isArray(g?.paths) ? g.paths : [],
  );
  const byName = new Map(list.map((f) => [f.name, f]));
  // the manifest's paths are relative to model.json; a picked file has only its base name
  const shards = paths.map((p) => byName.get(String(p).split('/').pop()));
  const missing = paths.filter((_, i) => !shards[i]);
  if (missing.length) throw new Error(`model.json needs ${missing.join(', ')}: pick or drop them with it`);
  const weightData = await Promise.all(shards.map((f) => f.arrayBuffer()));
  return { modelJSON, weightData };
}

export function createInteropPanel({ trainer, baseName }) {
  const fileBase = () => baseName().replace(/[^\p{L}\p{N}_.-]+/gu, '-') || 'convolab-model';
  trainer.on('exportedTfjs', ({ modelJSON, weightData }) => {
    // model.json names weights.bin; the two go in one folder
    download('model.json', JSON.stringify(modelJSON), 'application/json');
    download('weights.bin', weightData, 'application/octet-stream');
    $('status').textContent = 'Exported model.json and weights.bin (a TensorFlow.js layers model).';
  });
  trainer.on('exportedOnnx', ({ bytes }) => {
    download(`${fileBase()}.onnx`, bytes, 'application/octet-stream');
    $('status').textContent = 'Exported an ONNX model (opset 13, input NHWC).';
  });
  $('export-tfjs').addEventListener('click', () => trainer.send('exportTfjs'));
  $('export-onnx').addEventListener('click', () => trainer.send('exportOnnx'));

  async function open(files) {
    try {
      const { modelJSON, weightData } = await readTfjsFiles(files);
      const name = [...files].find((f) => /\.json$/i.test(f.name)).name.replace(/\.json$/i, '');
      trainer.send('importTfjs', { modelJSON, weightData, meta: { name } });
    } catch (e) {
      showError(`Could not open the TensorFlow.js model: ${e.message}`, { topic: 'importTfjs' });
    }
  }
  $('open-tfjs').addEventListener('change', async () => {
    const files = $('open-tfjs').files;
    if (files.length) await open(files);
    $('open-tfjs').value = '';
  });
  const zone = $('interop-panel');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging-files');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging-files'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging-files');
    if (e.dataTransfer?.files?.length) open(e.dataTransfer.files);
  });
}
