// Inspector's service worker (rendered by inspector/field/views.py; version {{ version }}).
// Static files have content-hashed URLs, so they are served from the cache for ever; the
// field app's shell comes from the network when it answers in time, else from the cache; any
// other page that cannot be reached offline falls back to the field app.
"use strict";

const VERSION = "inspector-{{ version }}";
const PHOTOS = "inspector-photos";
const SHELL = {{ shell_url|tojson }};
const ASSETS = {{ assets|tojson }};
const SHELL_WAIT_MS = 3000;

function isShell(response) {
  // Not the sign-in page that a signed-out visit is redirected to.
  return response.ok && response.type === "basic" && !response.redirected;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((cache) => cache.addAll(ASSETS).then(() =>
      fetch(SHELL, { credentials: "same-origin" }).then((response) => {
        if (isShell(response)) return cache.put(SHELL, response);
        return undefined;
      }, () => undefined)
    )).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION && k !== PHOTOS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The cached shell names its user and the photos are theirs: gone when their session is.
// (The pages do the same, and forget the field data in IndexedDB: static/js/sw-register.js.)
function forgetSession() {
  return Promise.all([
    caches.delete(PHOTOS),
    caches.open(VERSION).then((cache) => cache.delete(SHELL)),
  ]).catch(() => undefined);
}

function shellNetworkFirst(event) {
  // The network's shell when it answers within a few seconds: it names the signed-in user and
  // speaks their language. Otherwise (no signal, or a very slow one) the cached shell, while
  // the network's answer still refreshes the cache. The request keeps redirect mode "manual",
  // so a signed-out visit gets the redirect to sign-in, which is never cached as the shell.
  const network = fetch(event.request).then((response) => {
    if (isShell(response)) {
      const copy = response.clone();
      caches.open(VERSION).then((cache) => cache.put(SHELL, copy));
    } else if (response.type === "opaqueredirect" || response.redirected) {
      return forgetSession().then(() => response);  // sent to sign in: nobody is signed in
    }
    return response;
  });
  event.waitUntil(network.catch(() => undefined));
  const slow = new Promise((resolve) => setTimeout(resolve, SHELL_WAIT_MS));
  return Promise.race([network.catch(() => undefined), slow]).then((response) =>
    response || caches.match(SHELL, { ignoreVary: true }).then((cached) => cached || network)
  );
}

function cacheFirst(request, cacheName) {
  return caches.match(request, { ignoreVary: true }).then((cached) => cached || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(cacheName).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === SHELL) {
    event.respondWith(shellNetworkFirst(event));
  } else if (ASSETS.includes(url.pathname + url.search)) {
    event.respondWith(cacheFirst(request, VERSION));
  } else if (url.pathname.startsWith("/photos/") && url.pathname.endsWith("/thumb")) {
    event.respondWith(cacheFirst(request, PHOTOS));  // before photos of findings, for offline fixes
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(SHELL, { ignoreVary: true }).then((cached) => cached || Response.error())));
  }
});
