// The field app's screens have real paths (/, /field/start, /field/inspections/<uuid>, ...):
// the service worker answers every one of them with the same shell, and this router draws
// the screen the path names. Links to a known path change screens without a page load.

const routes = [];
let draw = null;

// route(/^\/field\/inspections\/([\w-]+)$/, screen): groups become the screen's arguments.
export function route(pattern, screen) {
  routes.push([pattern, screen]);
}

export function match(path) {
  for (const [pattern, screen] of routes) {
    const found = pattern.exec(path);
    if (found) return { screen, args: found.slice(1).map(decodeURIComponent) };
  }
  return null;
}

export function go(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else if (path !== location.pathname + location.hash) history.pushState(null, "", path);
  dispatch();
}

export function redraw() {
  dispatch({ again: true });
}

function dispatch(options = {}) {
  if (draw) draw(match(location.pathname), options);
}

function follow(event) {
  const link = event.target.closest("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || !match(url.pathname)) return;
  event.preventDefault();
  go(url.pathname + url.hash);
}

export function start(onRoute) {
  draw = onRoute;
  window.addEventListener("popstate", () => dispatch());
  document.addEventListener("click", follow);
  dispatch();
}
