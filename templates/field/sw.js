// Inspector's service worker (rendered by inspector/field/views.py; version {{ version }}).
// Static files have content-hashed URLs, so they are served from the cache for ever; the
// field app's shell is served from the cache at once and refreshed in the background; any
// other page that cannot be reached offline falls back to the field app.
"use strict";

const VERSION = "inspector-{{ version }}";
const PHOTOS = "inspector-photos";
const SHELL = {{ shell|tojson }};
const ASSETS = {{ assets|tojson }};

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

function shellFromCacheThenRefresh(event) {
  // The page's own request (its redirect mode is "manual": a redirect to the sign-in page
  // reaches the page as a redirect, and is never cached as the shell).
  const refreshed = fetch(event.request).then((response) => {
    if (isShell(response)) {
      const copy = response.clone();
      caches.open(VERSION).then((cache) => cache.put(SHELL, copy));
    }
    return response;
  });
  event.waitUntil(refreshed.catch(() => undefined));
  return caches.match(SHELL, { ignoreVary: true }).then((cached) => cached || refreshed);
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
    event.respondWith(shellFromCacheThenRefresh(event));
  } else if (ASSETS.includes(url.pathname + url.search)) {
    event.respondWith(cacheFirst(request, VERSION));
  } else if (url.pathname.startsWith("/photos/") && url.pathname.endsWith("/thumb")) {
    event.respondWith(cacheFirst(request, PHOTOS));  // before photos of findings, for offline fixes
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(SHELL, { ignoreVary: true }).then((cached) => cached || Response.error())));
  }
});
