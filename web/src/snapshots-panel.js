// Snapshots: the last trained nets of this session, kept in the page's
// memory — one at each epoch's end, and one of every trained net that an
// action replaced (Reset, another dataset or preset, fresh weights, a
// loaded model), which is what that action's Undo restores. Each holds the
// net's .clmodel bytes (weights and optimizer state), its stack, its
// hyperparameters, its steps and its accuracy; Restore brings all back.
// With "keep them in this browser" ticked they are in IndexedDB as well
// (snapshot-db.js) and come back after a reload.
import { el } from './images.js';
import { accuracyText } from './number-format.js';
import { clearSnapshots, keepChoice, keepSnapshots, listSnapshots, setKeepChoice } from './snapshot-db.js';

export const SNAPSHOT_LIMIT = 10;

const $ = (id) => document.getElementById(id);
const time = (d) => d.toLocaleTimeString('en-GB');

/** onRestore(snapshot): the page brings the snapshot's net, stack and settings back. */
export function createSnapshotsPanel({ onRestore }) {
  const list = [];
  let nextId = 1;

  function render() {
    if (!list.length) {
      $('snapshots-list').replaceChildren(
        el('li', {
          class: 'note',
          text: "None yet: a snapshot is taken at each epoch's end, and before an action replaces a trained net.",
        }),
      );
      return;
    }
    $('snapshots-list').replaceChildren(
      ...list
        .slice()
        .reverse()
        .map((s) => {
          const restore = el(
            'button',
            { type: 'button', 'aria-label': `Restore snapshot #${s.id}`, 'data-snapshot': s.id },
            'Restore',
          );
          restore.addEventListener('click', () => onRestore(s));
          const h = s.hyper ?? {};
          const facts = [
            `${s.steps.toLocaleString('en')} steps`,
            s.valAcc != null ? `${accuracyText(s.valAcc, s.valAccBasis)} validation` : null,
            s.datasetName,
            `${s.layers.length} layers`,
            h.optimizer ? `${h.optimizer} · lr ${h.learningRate} · batch ${h.batchSize}` : null,
            time(s.takenAt),
          ]
            .filter(Boolean)
            .join(' · ');
          return el(
            'li',
            { class: 'saved snapshot', 'data-snapshot': s.id },
            el('span', { class: 'saved-name', text: `#${s.id} ${s.reason}` }),
            el('span', { class: 'note', text: facts }),
            el('span', { class: 'saved-actions' }, restore),
          );
        }),
    );
  }
  render();

  // IndexedDB, when chosen: what it holds joins the list (ids go on from its last)
  const keep = $('snapshots-keep');
  const say = (text) => ($('snapshots-note').textContent = text);
  const kept = () => `${list.length} snapshot${list.length === 1 ? '' : 's'} kept in this browser.`;
  const store = () =>
    keep.checked
      ? keepSnapshots(list).then(
          () => say(kept()),
          (e) => say(`The browser did not keep the snapshots: ${e.message ?? e}.`),
        )
      : null;
  keep.checked = keepChoice();
  keep.addEventListener('change', async () => {
    setKeepChoice(keep.checked);
    if (keep.checked) await store();
    else {
      await clearSnapshots().catch(() => {});
      say('Kept in this page only: a reload forgets them.');
    }
  });
  const loaded = keep.checked
    ? listSnapshots()
        .then((stored) => {
          const mine = new Set(list.map((s) => s.id));
          list.unshift(...stored.filter((s) => !mine.has(s.id)));
          list.splice(0, Math.max(0, list.length - SNAPSHOT_LIMIT));
          nextId = Math.max(nextId, ...list.map((s) => s.id + 1));
          if (stored.length)
            say(`${stored.length} snapshot${stored.length === 1 ? '' : 's'} from this browser.`);
          render();
        })
        .catch((e) => say(`The snapshots kept in this browser could not be read: ${e.message ?? e}.`))
    : Promise.resolve();

  return {
    /** Resolves once the snapshots kept in this browser are listed. */
    loaded,
    /** Keeps a snapshot (the oldest goes past SNAPSHOT_LIMIT); returns it with its id. */
    add(snapshot) {
      const s = { id: nextId++, takenAt: new Date(), ...snapshot };
      list.push(s);
      if (list.length > SNAPSHOT_LIMIT) list.shift();
      render();
      store();
      return s;
    },
    get: (id) => list.find((s) => s.id === id) ?? null,
    get all() {
      return list.slice();
    },
  };
}
