// One IndexedDB object store, opened for each call and closed after it.
// run(mode, fn) gives fn the store inside one transaction and resolves with
// the result of the request fn returns (undefined for none) once the
// transaction completes; it rejects when the browser has no IndexedDB or
// refuses the transaction (refused: the message of an abort that names no error).
export function idbStore({ db: name, store, storeOptions, refused }) {
  function open() {
    return new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new Error('this browser has no IndexedDB'));
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(store, storeOptions);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  return async function run(mode, fn) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const req = fn(tx.objectStore(store));
        tx.oncomplete = () => resolve(req?.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error(refused));
      });
    } finally {
      db.close();
    }
  };
}
