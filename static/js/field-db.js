// The field app's storage on the phone: IndexedDB, promise-wrapped. Photo bytes are kept as
// ArrayBuffers, which iOS Safari stores reliably where Blobs have failed.
"use strict";

window.FieldDB = (function () {
  var NAME = "inspector-field";
  var STORES = {
    meta: "key",          // {key: "data", value: /field/data.json, saved_at}
    inspections: "uuid",  // one inspection: answers, photo uuids, state, the body once queued
    photos: "uuid",       // {uuid, bytes, type, taken_at, lat, lon, sent}
    fixes: "uuid",        // a finding's fix: after photo uuids, note, state
  };
  var opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        Object.keys(STORES).forEach(function (store) {
          if (!request.result.objectStoreNames.contains(store)) {
            request.result.createObjectStore(store, { keyPath: STORES[store] });
          }
        });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opening;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        var request = work(tx.objectStore(store));
        if (request) request.onsuccess = function () { result = request.result; };
      });
    });
  }

  return {
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    remove: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
  };
})();
