// The phone's storage: IndexedDB, promise-wrapped. Photo bytes are kept as ArrayBuffers,
// which iOS Safari stores reliably where Blobs have failed. A put resolves when the
// transaction is committed: only then does a screen say "saved on this phone".

const NAME = "inspector-field";
const STORES = {
  meta: "key", // {key: "data", value: /field/data.json, saved_at}
  inspections: "uuid", // one inspection: answers, photo uuids, state, the body once queued
  photos: "uuid", // {uuid, user, bytes, type, size, width, height, taken_at, lat, lon, sent},
  // or an activity's document: {uuid, user, kind: "file", name, bytes, type, size, sent}
  fixes: "uuid", // a finding's fix: after photo uuids, note, state
  activities: "uuid", // an activity record: kind, title, date, who and where, photo uuids, state
  appeals: "uuid", // an appeal (申诉) of a deducted item: reason, photo uuids, state
};
let opening = null;

function open() {
  opening ||= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 3);
    request.onupgradeneeded = () => {
      for (const [store, key] of Object.entries(STORES)) {
        if (!request.result.objectStoreNames.contains(store)) {
          request.result.createObjectStore(store, { keyPath: key });
        }
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

async function run(store, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    // "strict" durability: committed to disk before the screen says it is kept.
    const tx = db.transaction(store, mode, { durability: "strict" });
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = tx.onabort = () => reject(tx.error);
    const request = work(tx.objectStore(store));
    if (request) request.onsuccess = () => (result = request.result);
  });
}

export const store = {
  get: (name, key) => run(name, "readonly", (s) => s.get(key)),
  all: (name) => run(name, "readonly", (s) => s.getAll()),
  put: (name, value) => run(name, "readwrite", (s) => s.put(value)),
  remove: (name, key) => run(name, "readwrite", (s) => s.delete(key)),
};
