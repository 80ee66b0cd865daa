// On every page: install the service worker (served at /sw.js) so the field app opens without
// a network, and forget what the field app keeps about a user on this phone once their session
// ends, however it ends: signing out, an idle or absolute timeout, another user signing in.
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
        // No field data on this phone yet: do not create an empty database (field-db.js makes
        // it with its stores).
        request.onupgradeneeded = function () { request.transaction.abort(); };
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

  // Each page names its session (base.html: "" when signed out; a new name at each sign-in).
  // A page of another session than the last one seen here means that one ended: forget it.
  // Pages the service worker serves offline carry the name they had when cached, which is the
  // last one seen, so working offline forgets nothing.
  var SEEN = "inspector-session";

  function checkSession() {
    var meta = document.querySelector('meta[name="inspector-session"]');
    if (!meta) return Promise.resolve();
    var now = meta.getAttribute("content") || "", before = null;
    try {
      before = localStorage.getItem(SEEN);
      localStorage.setItem(SEEN, now);
    } catch (error) {
      return Promise.resolve(); // no storage to compare with: rely on the other signs
    }
    // Never seen before (a first visit, or from before this check): only a signed-out page says
    // for sure that nobody's data should stay.
    if (before === now || (before === null && now !== "")) return Promise.resolve();
    return forgetFieldData();
  }

  // The field app waits for this before it reads or fetches its data (field.js).
  window.InspectorSession = { ready: checkSession(), forget: forgetFieldData };

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
