// Where My data's examples come from besides the pad: image files (several
// at once into a class; dropped or picked folders of folders, one subfolder
// per class), the camera (hold a button to record into a class), and what
// the net says of an uploaded picture or the live camera. Files that cannot
// be decoded are listed and skipped.
import { el } from './images.js';
import { addClass, addExamples } from './my-data.js';
import { decodeImageFile, pictureToExample } from './image-import.js';
import { startCamera, stopCamera } from './camera.js';

const RECORD_EVERY_MS = 150;
const LIVE_EVERY_MS = 250;
const IMAGE_NAME = /\.(png|jpe?g|webp)$/i;

export function createMyDataSources({ container, getMine, getMode, apply, classify, notify, rerender }) {
  let stream = null;
  let recording = null; // { timer, k, frames } while a record button is held
  let live = null;

  const video = el('video', {
    id: 'my-video',
    class: 'my-video',
    hidden: true,
    'aria-label': 'Camera preview',
  });
  const cameraButton = el('button', { id: 'my-camera', type: 'button', text: 'Start the camera' });
  const cameraState = el('p', { id: 'my-camera-state', class: 'note', role: 'status' });
  const liveBox = el('input', { id: 'my-camera-live', type: 'checkbox', disabled: true });
  const folderInput = el('input', { id: 'my-folder', type: 'file', multiple: true, webkitdirectory: true });
  const classifyInput = el('input', {
    id: 'my-classify-file',
    type: 'file',
    accept: 'image/png,image/jpeg,image/webp',
  });
  const skipped = el('ul', { id: 'my-skipped', class: 'my-skipped', 'aria-live': 'polite' });
  const drop = el(
    'div',
    { id: 'my-drop', class: 'my-drop', tabindex: '-1' },
    el('span', { text: 'Drop pictures here (into the first class) or a folder of folders (one per class)' }),
  );
  container.append(
    drop,
    el(
      'div',
      { class: 'controls' },
      el('label', { class: 'file-button' }, 'Pick a folder of folders', folderInput),
      el('label', { class: 'file-button' }, 'Classify a picture', classifyInput),
      cameraButton,
      el('label', { class: 'inline' }, liveBox, ' classify the camera live'),
    ),
    cameraState,
    video,
    skipped,
  );

  function listSkipped(problems) {
    skipped.replaceChildren(
      ...problems.map(({ name, why }) => el('li', { class: 'warn', text: `Skipped ${name}: ${why}.` })),
    );
  }

  // Decodes files into examples of one class; a bad file is listed, never fatal.
  async function examplesOf(files, problems) {
    const mine = getMine();
    const out = [];
    for (const file of files) {
      const name = file.webkitRelativePath || file.name;
      try {
        const bitmap = await decodeImageFile(file);
        const pixels = pictureToExample(bitmap, mine.shape, getMode());
        bitmap.close?.();
        if (!pixels) throw new Error('it is blank');
        out.push(pixels);
      } catch (e) {
        problems.push({ name, why: e.message });
      }
    }
    return out;
  }

  async function addFiles(k, files) {
    const problems = [];
    const pixels = await examplesOf(files, problems);
    if (pixels.length) apply(addExamples(getMine(), k, pixels));
    listSkipped(problems);
    notify?.(
      `${pixels.length} picture${pixels.length === 1 ? '' : 's'} added to “${getMine().classNames[k]}”.`,
      true,
    );
  }

  // Files grouped by their folder just below the dropped/picked one: each folder a class.
  async function addFolders(groups) {
    const problems = [];
    let mine = getMine();
    let added = 0;
    for (const [folder, files] of groups) {
      let k = mine.classNames.indexOf(folder);
      if (k < 0) {
        const next = addClass(mine, folder);
        if (next.error) {
          problems.push({ name: `${folder}/`, why: next.error });
          continue;
        }
        mine = next.mine;
        k = mine.classNames.length - 1;
      }
      const pixels = await examplesOf(files, problems);
      mine = addExamples(mine, k, pixels).mine;
      added += pixels.length;
    }
    apply(mine);
    listSkipped(problems);
    notify?.(
      `${added} picture${added === 1 ? '' : 's'} added from ${groups.size} folder${groups.size === 1 ? '' : 's'}.`,
      true,
    );
  }

  folderInput.addEventListener('change', () => {
    const groups = new Map();
    const loose = [];
    for (const f of folderInput.files) {
      const parts = f.webkitRelativePath.split('/');
      if (parts.length >= 3) {
        if (!groups.has(parts[1])) groups.set(parts[1], []);
        groups.get(parts[1]).push(f);
      } else loose.push(f);
    }
    folderInput.value = '';
    if (groups.size) addFolders(groups);
    else if (loose.length) addFiles(0, loose);
  });

  // Drag and drop: files go into the first class; directories become classes.
  const readEntries = (dir) =>
    new Promise((resolve) => {
      const reader = dir.createReader();
      const all = [];
      const next = () =>
        reader.readEntries(
          (batch) => {
            if (!batch.length) return resolve(all);
            all.push(...batch);
            next();
          },
          () => resolve(all),
        );
      next();
    });
  const fileOf = (entry) => new Promise((resolve, reject) => entry.file(resolve, reject));
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
    const dirs = entries.filter((x) => x.isDirectory);
    if (!dirs.length) return addFiles(0, [...e.dataTransfer.files]);
    const groups = new Map();
    for (const dir of dirs) {
      const inside = await readEntries(dir);
      const sub = inside.filter((x) => x.isDirectory);
      // a folder of folders: its subfolders are the classes; a folder of pictures: it is one
      for (const d of sub.length ? sub : [dir]) {
        const files = (sub.length ? await readEntries(d) : inside).filter((x) => x.isFile);
        groups.set(d.name, await Promise.all(files.map(fileOf)));
      }
    }
    addFolders(groups);
  });

  // ---- camera
  function frame() {
    return pictureToExample(video, getMine().shape, getMode());
  }
  cameraButton.addEventListener('click', async () => {
    if (stream) return stop();
    cameraButton.disabled = true;
    cameraState.textContent = 'Asking for the camera…';
    const started = await startCamera(video);
    cameraButton.disabled = false;
    if (started.problem) {
      cameraState.textContent = started.problem;
      cameraButton.textContent = started.denied
        ? 'Camera permission denied — try again'
        : 'No camera — try again';
      container.dataset.camera = 'unavailable';
      return;
    }
    stream = started.stream;
    video.hidden = false;
    liveBox.disabled = false;
    cameraButton.textContent = 'Stop the camera';
    cameraState.textContent = 'Camera on: hold a class’s “Hold to record” to add frames to it.';
    container.dataset.camera = 'on';
    rerender();
  });
  function stop() {
    stopRecording();
    clearInterval(live);
    live = null;
    liveBox.checked = false;
    liveBox.disabled = true;
    stopCamera(stream, video);
    stream = null;
    video.hidden = true;
    cameraButton.textContent = 'Start the camera';
    cameraState.textContent = '';
    container.dataset.camera = 'off';
    rerender();
  }
  // Frames collect while the button is held and join the class on release
  // (re-rendering the cards mid-hold would take the held button away).
  function startRecording(k, button) {
    if (!stream || recording) return;
    const frames = [];
    const grab = () => {
      const pixels = frame();
      if (pixels) frames.push(pixels);
      button.textContent = `Recording… ${frames.length}`;
    };
    grab();
    recording = { timer: setInterval(grab, RECORD_EVERY_MS), k, frames };
  }
  function stopRecording() {
    if (!recording) return;
    const { timer, k, frames } = recording;
    clearInterval(timer);
    recording = null;
    if (frames.length) apply(addExamples(getMine(), k, frames));
  }
  liveBox.addEventListener('change', () => {
    clearInterval(live);
    live = null;
    if (!liveBox.checked || !stream) return;
    const tick = () => {
      const pixels = frame();
      if (pixels)
        classify(
          Float32Array.from(pixels, (v) => v / 255),
          'the camera',
        );
    };
    tick();
    live = setInterval(tick, LIVE_EVERY_MS);
  });

  classifyInput.addEventListener('change', async () => {
    const file = classifyInput.files[0];
    classifyInput.value = '';
    if (!file) return;
    const problems = [];
    const [pixels] = await examplesOf([file], problems);
    listSkipped(problems);
    if (pixels)
      classify(
        Float32Array.from(pixels, (v) => v / 255),
        file.name,
      );
  });

  /** The per-class buttons: upload pictures, hold to record. */
  function classButtons(k) {
    const upload = el('input', {
      class: 'my-upload',
      type: 'file',
      multiple: true,
      accept: 'image/png,image/jpeg,image/webp',
    });
    upload.addEventListener('change', () => {
      const files = [...upload.files];
      upload.value = '';
      if (files.length) addFiles(k, files);
    });
    const record = el('button', {
      type: 'button',
      class: 'my-record',
      text: 'Hold to record',
      disabled: !stream,
      title: stream ? 'Hold to add camera frames to this class' : 'Start the camera first',
    });
    record.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      record.setPointerCapture?.(e.pointerId);
      startRecording(k, record);
    });
    for (const ev of ['pointerup', 'pointercancel', 'lostpointercapture'])
      record.addEventListener(ev, stopRecording);
    record.addEventListener('keydown', (e) => {
      if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) startRecording(k, record);
    });
    record.addEventListener('keyup', stopRecording);
    return el(
      'span',
      { class: 'my-class-sources' },
      el('label', { class: 'file-button' }, 'Upload', upload),
      record,
    );
  }

  return { classButtons, stopCamera: () => stream && stop() };
}
