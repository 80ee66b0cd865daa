// On every page, in the <head>: install the service worker (served at /sw.js) at once, even on
// the sign-in page, so the field screens open without a network right after signing in; and
// forget what the field app keeps about a user on this phone once their session
// ends, however it ends: signing out, an idle or absolute timeout, another user signing in.
"use strict";
(function () {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {
      /* works online without it */
    });
  }

  // The sites, checklists, findings and cached before photos belong to the signed-in user; a
  // shared phone must not show them to the next one. Work waiting to be sent stays: it is
  // only ever sent by the user who made it.
  function forgetFieldData() {
    const done = [];
    if (window.caches) {
      // Before photos, and the shell, which names the user.
      done.push(
        caches
          .keys()
          .then(function (names) {
            return Promise.all(
              names
                .filter(function (name) {
                  return name.indexOf("inspector-") === 0;
                })
                .map(function (name) {
                  return name === "inspector-photos"
                    ? caches.delete(name)
                    : caches.open(name).then(function (cache) {
                        return cache.delete("/field/");
                      });
                }),
            );
          })
          .catch(function () {}),
      );
    }
    if (window.indexedDB) {
      done.push(
        new Promise(function (resolve) {
          const request = indexedDB.open("inspector-field");
          // No field data on this phone yet: do not create an empty database (store.js makes
          // it with its stores).
          request.onupgradeneeded = function () {
            request.transaction.abort();
          };
          request.onsuccess = function () {
            const db = request.result;
            if (!db.objectStoreNames.contains("meta")) {
              db.close();
              resolve();
              return;
            }
            const tx = db.transaction("meta", "readwrite");
            tx.objectStore("meta").delete("data");
            tx.oncomplete = tx.onerror = function () {
              db.close();
              resolve();
            };
          };
          request.onerror = function () {
            resolve();
          };
        }),
      );
    }
    return Promise.all(done);
  }

  // Each page names its session (base.html: "" when signed out; a new name at each sign-in).
  // A page of another session than the last one seen here means that one ended: forget it.
  // Pages the service worker serves offline carry the name they had when cached, which is the
  // last one seen, so working offline forgets nothing.
  const SEEN = "inspector-session";

  function checkSession() {
    const meta = document.querySelector('meta[name="inspector-session"]');
    if (!meta) return Promise.resolve();
    const now = meta.getAttribute("content") || "";
    let before = null;
    try {
      before = localStorage.getItem(SEEN);
      localStorage.setItem(SEEN, now);
    } catch {
      return Promise.resolve(); // no storage to compare with: rely on the other signs
    }
    // Never seen before (a first visit, or from before this check): only a signed-out page says
    // for sure that nobody's data should stay. Signed out before this session began: that page
    // forgot the last user's data already, and what is kept since (the service worker keeps
    // this session's first page as it arrives) is this user's.
    if (before === now || ((before === null || before === "") && now !== "")) {
      return Promise.resolve();
    }
    return forgetFieldData();
  }

  // The field app waits for this before it reads or fetches its data (app.js).
  window.InspectorSession = { ready: checkSession(), forget: forgetFieldData };

  // Signing in waits (at most 2 s, once: later the service worker is there already) for the
  // service worker, so the first page after it is kept for offline use as it arrives.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-sign-in]") || form.dataset.ready || !navigator.serviceWorker)
      return;
    event.preventDefault();
    const timeout = new Promise(function (resolve) {
      setTimeout(resolve, 2000);
    });
    Promise.race([navigator.serviceWorker.ready, timeout]).then(function () {
      form.dataset.ready = "1";
      form.submit();
    });
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-logout]") || form.dataset.forgotten) return;
    event.preventDefault();
    const timeout = new Promise(function (resolve) {
      setTimeout(resolve, 1500);
    });
    Promise.race([forgetFieldData(), timeout]).then(function () {
      form.dataset.forgotten = "1";
      form.submit();
    });
  });
})();
