// Inspector's service worker (rendered by inspector/field/views.py; version {{ version }}).
// At install it keeps everything the field screens need: the shell (one page for every field
// screen: home, start, the inspection, review, my inspections, findings), the ES modules and
// the styles. Field screens come from the network when it answers in time, else from the
// phone; any other page that cannot be reached offline falls back to the field app.
"use strict";

const VERSION = "inspector-{{ version }}";
const PHOTOS = "inspector-photos";
const SHELL = {{ shell_url|tojson }};
const SHELL_HEADER = {{ shell_header|tojson }};
const ASSETS = {{ assets|tojson }};
const MODULES = {{ modules|tojson }};
const SHELL_WAIT_MS = 3000;

// The field screens' paths: the home page and everything under /field/ but its data.
function isFieldScreen(url) {
  return url.pathname === "/" || (url.pathname.startsWith("/field/") && url.pathname !== "/field/data.json");
}

function isShell(response) {
  // The signed-in user's shell, not the sign-in page a signed-out visit is sent to.
  return response.ok && response.type === "basic" && !response.redirected && response.headers.get(SHELL_HEADER) === "1";
}

function keepShell() {
  return fetch(SHELL, { credentials: "same-origin", cache: "no-store" }).then((response) => {
    if (isShell(response)) return caches.open(VERSION).then((cache) => cache.put(SHELL, response));
    return undefined;
  }, () => undefined);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION)
      .then((cache) => cache.addAll([...ASSETS, ...MODULES.map((url) => new Request(url, { cache: "reload" }))]))
      .then(keepShell)
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION && k !== PHOTOS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// A signed-in page asks for its shell to be kept at once (the first page after signing in).
self.addEventListener("message", (event) => {
  if (event.data !== "cache-shell") return;
  event.waitUntil(keepShell().then(() => event.ports.forEach((port) => port.postMessage("kept"))));
});

// The cached shell names its user and the photos are theirs: gone when their session is.
// (The pages do the same, and forget the field data in IndexedDB: static/js/sw-register.js.)
function forgetSession() {
  return Promise.all([
    caches.delete(PHOTOS),
    caches.open(VERSION).then((cache) => cache.delete(SHELL)),
  ]).catch(() => undefined);
}

function cachedShell() {
  return caches.match(SHELL, { ignoreVary: true });
}

function fieldScreen(event) {
  // The network's page when it answers within a few seconds: it names the signed-in user and
  // speaks their language. Otherwise (no signal, or a very slow one) the kept shell, while the
  // network's answer still refreshes it. A signed-out visit gets the redirect to sign in.
  // A shell is kept before the page gets it: a reload with no network right after it opens.
  const network = fetch(event.request).then((response) => {
    if (isShell(response)) {
      const copy = response.clone();
      const kept = caches.open(VERSION).then((cache) => cache.put(SHELL, copy));
      return kept.then(() => response, () => response);
    } else if (response.type === "opaqueredirect" || response.redirected) {
      return forgetSession().then(() => response);  // sent to sign in: nobody is signed in
    }
    return response;
  });
  event.waitUntil(network.catch(() => undefined));
  const slow = new Promise((resolve) => setTimeout(resolve, SHELL_WAIT_MS));
  return Promise.race([network.catch(() => undefined), slow]).then((response) =>
    response || cachedShell().then((cached) => cached || network)
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
  if (request.mode === "navigate" && isFieldScreen(url)) {
    event.respondWith(fieldScreen(event));
  } else if (ASSETS.includes(url.pathname + url.search) || MODULES.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, VERSION));
  } else if (url.pathname.startsWith("/photos/") && url.pathname.endsWith("/thumb")) {
    event.respondWith(cacheFirst(request, PHOTOS));  // before photos of findings, for offline fixes
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => cachedShell().then((cached) => cached || Response.error())));
  }
});
