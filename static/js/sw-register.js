// On every page: install the service worker (served at /sw.js) so the field app opens without
// a network, and on sign-out forget what the field app keeps about the user on this phone.
"use strict";
(function () {
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* works online without it */ });
    });
  }

  // The sites, checklists, findings and cached before photos belong to the signed-in user; a
  // shared phone must not show them to the next one. Work waiting to be sent stays: it is
  // only ever sent by the user who made it.
  function forgetFieldData() {
    var done = [];
    if (window.caches) {
      // Before photos, and the shell, which names the user.
      done.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("inspector-") === 0; })
          .map(function (name) {
            return name === "inspector-photos" ? caches.delete(name)
              : caches.open(name).then(function (cache) { return cache.delete("/field/"); });
          }));
      }).catch(function () {}));
    }
    if (window.indexedDB) {
      done.push(new Promise(function (resolve) {
        var request = indexedDB.open("inspector-field");
        request.onsuccess = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("meta")) { db.close(); resolve(); return; }
          var tx = db.transaction("meta", "readwrite");
          tx.objectStore("meta").delete("data");
          tx.oncomplete = tx.onerror = function () { db.close(); resolve(); };
        };
        request.onerror = function () { resolve(); };
      }));
    }
    return Promise.all(done);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-logout]") || form.dataset.forgotten) return;
    event.preventDefault();
    var timeout = new Promise(function (resolve) { setTimeout(resolve, 1500); });
    Promise.race([forgetFieldData(), timeout]).then(function () {
      form.dataset.forgotten = "1";
      form.submit();
    });
  });
})();
