// Models saved in this browser: IndexedDB records { id, name, savedAt,
// dataset, accuracy, params, bytes }. Small promise wrappers, no library.
const DB = 'convolab',
  STORE = 'models';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () =>
      reject(new Error(`browser storage is not available: ${req.error?.message ?? 'unknown error'}`));
  });
}

async function tx(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const result = fn(t.objectStore(STORE));
    t.oncomplete = () => {
      db.close();
      resolve(result.result);
    };
    t.onerror = t.onabort = () => {
      db.close();
      reject(new Error(`browser storage failed: ${t.error?.message ?? 'unknown error'}`));
    };
  });
}

export const listModels = () => tx('readonly', (s) => s.getAll());
export const saveModel = (record) => tx('readwrite', (s) => s.add(record));
export const deleteModel = (id) => tx('readwrite', (s) => s.delete(id));
export const getModel = (id) => tx('readonly', (s) => s.get(id));
