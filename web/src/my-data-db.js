// Keeps My data in IndexedDB (one record, see my-data.js toRecord), so the
// learner's classes survive reloads. Every call resolves; a browser without
// IndexedDB (or a private window that refuses it) just keeps nothing.
const DB = 'convolab-my-data';
const STORE = 'datasets';
const KEY = 'current';

function open() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('this browser has no IndexedDB'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
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
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('the browser refused to store the dataset'));
    });
  } finally {
    db.close();
  }
}

/** The stored record, or null. */
export const loadRecord = () => run('readonly', (s) => s.get(KEY)).then((r) => r ?? null);
export const saveRecord = (record) => run('readwrite', (s) => s.put(record, KEY));
export const deleteRecord = () => run('readwrite', (s) => s.delete(KEY));
