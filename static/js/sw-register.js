// Install the service worker (served at /sw.js) so the field app opens without a network.
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* works online without it */ });
  });
}
