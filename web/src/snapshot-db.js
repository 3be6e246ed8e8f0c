// Snapshots kept in IndexedDB when the learner asks for it (the Snapshots
// panel's checkbox), so they survive a reload: one record per snapshot,
// keyed by its id, at most the panel's last 10. The choice itself is kept in
// localStorage. Calls reject when the browser refuses storage; the panel says so.
import { idbStore } from './idb-store.js';

const CHOICE = 'convolab-keep-snapshots';
const run = idbStore({
  db: 'convolab-snapshots',
  store: 'snapshots',
  storeOptions: { keyPath: 'id' },
  refused: 'the browser refused to store the snapshot',
});

/** Every stored snapshot, oldest first. */
export const listSnapshots = () =>
  run('readonly', (s) => s.getAll()).then((all) => (all ?? []).sort((a, b) => a.id - b.id));
/** Stores the snapshots given and drops every other one. */
export const keepSnapshots = (snapshots) =>
  run('readwrite', (s) => {
    s.clear();
    for (const snap of snapshots) s.put(snap);
    return null;
  });
export const clearSnapshots = () => run('readwrite', (s) => s.clear());

export const keepChoice = () => {
  try {
    return localStorage.getItem(CHOICE) === 'yes';
  } catch {
    return false;
  }
};
export const setKeepChoice = (on) => {
  try {
    if (on) localStorage.setItem(CHOICE, 'yes');
    else localStorage.removeItem(CHOICE);
  } catch {
    /* the choice lasts this session only */
  }
};
