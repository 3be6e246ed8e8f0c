// Snapshots kept in IndexedDB when the learner asks for it (the Snapshots
// panel's checkbox), so they survive a reload: one record per snapshot,
// keyed by its id, at most the panel's last 10. The choice itself is kept in
// localStorage. Calls reject when the browser refuses storage; the panel says so.
const DB = 'convolab-snapshots';
const STORE = 'snapshots';
const CHOICE = 'convolab-keep-snapshots';

function open() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('this browser has no IndexedDB'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('the browser refused to store the snapshot'));
    });
  } finally {
    db.close();
  }
}

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
