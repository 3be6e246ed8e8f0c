// Keeps My data in IndexedDB (one record, see my-data.js toRecord), so the
// learner's classes survive reloads. Every call resolves; a browser without
// IndexedDB (or a private window that refuses it) just keeps nothing.
import { idbStore } from './idb-store.js';

const KEY = 'current';
const run = idbStore({
  db: 'convolab-my-data',
  store: 'datasets',
  refused: 'the browser refused to store the dataset',
});

/** The stored record, or null. */
export const loadRecord = () => run('readonly', (s) => s.get(KEY)).then((r) => r ?? null);
export const saveRecord = (record) => run('readwrite', (s) => s.put(record, KEY));
export const deleteRecord = () => run('readwrite', (s) => s.delete(KEY));
