// In the <head> of the field shell, before anything is drawn: the automation hooks
// (data-pending, data-sync-state) as the phone last knew them, so a check reading them as
// soon as the page loads never finds them missing. static/js/sync.js keeps them true.
"use strict";
(function () {
  try {
    const known = JSON.parse(localStorage.getItem("inspector-sync") || "null");
    if (known) {
      document.documentElement.setAttribute("data-pending", String(known.pending));
      document.documentElement.setAttribute("data-sync-state", known.state);
    }
  } catch {
    // no storage: sync.js sets them once IndexedDB answers
  }
})();
