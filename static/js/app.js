// The field app's entry: the one offline-first screen for inspectors and leads. It starts
// from what the phone keeps (no network needed), draws the screen the path names, keeps the
// sync bar and the automation hooks true, and sends waiting work whenever it can.

import { api, urls } from "./api.js";
import { freshData, prefetchPhotos, startingData } from "./data.js";
import { createQueue } from "./queue.js";
import { fromServer, isUsed } from "./records.js";
import { activityScreen, newActivityScreen } from "./screens/activity.js";
import { go, match, redraw, route, start } from "./router.js";
import { appealScreen } from "./screens/appeal.js";
import { checklistScreen, sitesScreen } from "./screens/start.js";
import { assignmentScreen } from "./screens/assignments.js";
import { findingsScreen, fixScreen } from "./screens/findings.js";
import { homeScreen } from "./screens/home.js";
import { inspectionScreen } from "./screens/inspection.js";
import { isEditing, notAvailable, signedOutScreen } from "./screens/layout.js";
import { mineScreen } from "./screens/mine.js";
import { reviewScreen } from "./screens/review.js";
import { store } from "./store.js";
import { showSync } from "./sync.js";
import { el, setStrings, t } from "./ui.js";

const KEEP_SENT_DAYS = 7;
const RECORD_STORES = ["inspections", "fixes", "appeals", "activities"];
const UUID = "([0-9a-f-]{36})";
// Screens that show the queue's progress are drawn again as it changes.
const LIVE = new Set([
  homeScreen,
  mineScreen,
  takeUp,
  liveFix,
  liveAppeal,
  findingsScreen,
  liveActivity,
  liveAssignment,
]);

const bar = document.getElementById("sync");
let current = null;
let lastInspection = null;

const queue = createQueue({
  store,
  api,
  isOnline: () => navigator.onLine,
  timers: {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (id) => clearTimeout(id),
    now: () => Date.now(),
  },
  // One tab sends at a time; the others leave it to that one.
  lock: (work) =>
    navigator.locks
      ? navigator.locks.request("inspector-send", { ifAvailable: true }, (lock) =>
          lock ? work() : null,
        )
      : work(),
});

const ctx = {
  data: null,
  me: null,
  queue,
  go,
  kick: () => queue.kick(),
  async records() {
    const [inspections, fixes, appeals, activities] = await Promise.all(
      RECORD_STORES.map((name) => store.all(name)),
    );
    return { inspections, fixes, appeals, activities };
  },
  async refreshSync() {
    const { inspections, fixes, appeals, activities } = await ctx.records();
    const all = [...inspections, ...fixes, ...appeals, ...activities];
    showSync(bar, all, queue.state, () => queue.kick());
  },
};

// A draft or returned inspection kept on the server, taken onto the phone to carry on.
async function takeUp(_ctx, uuid) {
  // Drawn again as the queue moves: a receipt, yes; a draft being typed into, never.
  if (ctx.again && isEditing()) return undefined;
  const local = await store.get("inspections", uuid);
  const server = ctx.data.inspections.find((i) => i.id === uuid && i.editable);
  if (server && (!local || (local.state === "sent" && server.updated_at > local.sent_at))) {
    await store.put("inspections", fromServer({ ...server, ...server.editable }, ctx.me));
  }
  return inspectionScreen(ctx, uuid);
}

route(/^\/(?:field\/)?$/, homeScreen);
route(/^\/field\/start$/, sitesScreen);
route(/^\/field\/start\/([^/]+)$/, checklistScreen);
route(/^\/field\/inspections$/, mineScreen);
route(new RegExp(`^/field/inspections/${UUID}$`), takeUp);
route(new RegExp(`^/field/inspections/${UUID}/review$`), reviewScreen);
route(/^\/field\/findings$/, findingsScreen);
route(new RegExp(`^/field/findings/${UUID}$`), liveFix);
route(/^\/field\/activities\/new$/, newActivityScreen);
route(new RegExp(`^/field/activities/${UUID}$`), liveActivity);

async function liveActivity(_ctx, uuid) {
  return ctx.again && isEditing() ? undefined : activityScreen(ctx, uuid);
}
route(new RegExp(`^/field/assignments/${UUID}$`), liveAssignment);
route(new RegExp(`^/field/appeals/${UUID}/([^/]+)$`), liveAppeal);

async function liveAppeal(_ctx, inspection, item) {
  return ctx.again && isEditing() ? undefined : appealScreen(ctx, inspection, item);
}

async function liveFix(_ctx, id) {
  return ctx.again && isEditing() ? undefined : fixScreen(ctx, id);
}

async function liveAssignment(_ctx, id) {
  return ctx.again && isEditing() ? undefined : assignmentScreen(ctx, id);
}

// A checklist opened and left without an answer, note or photo leaves nothing behind.
async function dropIfUnused(uuid) {
  const record = await store.get("inspections", uuid);
  if (record && record.state === "draft" && !record.returned && !isUsed(record)) {
    await store.remove("inspections", uuid);
  }
}

// Draws one after another: each reads the phone's records when it runs, so the last one asked
// for shows the latest state (two at once could finish out of order and show an older one).
// A redraw also reads the screen then: one queued before a tap on a link redraws the screen
// the link opened, not the one it left.
let drawing = Promise.resolve();
let queuedRedraw = false;

function draw(found, options = {}) {
  if (options.again) {
    if (queuedRedraw) return drawing; // one redraw waiting is enough: it reads the latest
    queuedRedraw = true;
  }
  drawing = drawing
    .then(() => {
      if (!options.again) return drawNow(found, options);
      queuedRedraw = false;
      return drawNow(match(location.pathname), options);
    })
    .catch((error) => console.error(error));
  return drawing;
}

async function drawNow(found, { again = false } = {}) {
  const path = location.pathname;
  const leaving =
    lastInspection && !path.startsWith(urls.inspection(lastInspection)) ? lastInspection : null;
  lastInspection = /^\/field\/inspections\/[0-9a-f-]{36}/.test(path) ? path.split("/")[3] : null;
  if (leaving) await dropIfUnused(leaving);
  if (!ctx.data) return queue.state.signedOut ? signedOutScreen() : notAvailable(ctx);
  if (!found) return notAvailable(ctx);
  if (again && !LIVE.has(found.screen)) return undefined;
  current = found.screen;
  ctx.again = again;
  await found.screen(ctx, ...found.args);
  markTab(path);
  return ctx.refreshSync();
}

function markTab(path) {
  for (const tab of document.querySelectorAll("nav.tabs a")) {
    const here = new URL(tab.href).pathname;
    if (here === path || (here !== "/" && path.startsWith(here)))
      tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
}

async function pruneSent() {
  const limit = new Date(Date.now() - KEEP_SENT_DAYS * 86400000).toISOString();
  for (const name of RECORD_STORES) {
    for (const r of await store.all(name)) {
      if (r.state === "sent" && r.sent_at < limit) await store.remove(name, r.uuid);
    }
  }
}

// The header's unread count, from the field data: as of the last sync, offline too (the kept
// shell carries none, which would be as old as the shell).
function showUnread(data) {
  const link = document.querySelector("a.inbox");
  if (!link || !data || typeof data.unread !== "number") return;
  link.dataset.unread = String(data.unread);
  link.setAttribute("aria-label", t("inbox_unread", { n: data.unread }));
  let badge = link.querySelector(".badge");
  if (!data.unread) return badge && badge.remove();
  badge ||= link.appendChild(el("span", { class: "badge" }));
  badge.textContent = data.unread < 100 ? String(data.unread) : "99+";
}

async function refreshFromNetwork() {
  if (!navigator.onLine) return;
  const fresh = await freshData();
  if (fresh.signedOut) {
    queue.configure({ me: ctx.me, csrfToken: null, signedOut: true });
    ctx.refreshSync();
    return;
  }
  if (!fresh.data) return;
  const changed = !ctx.data || fresh.data.generated_at !== ctx.data.generated_at;
  ctx.data = fresh.data;
  ctx.me = fresh.data.user.username;
  showUnread(fresh.data);
  queue.configure({ me: ctx.me, csrfToken: fresh.data.csrf_token });
  for (const input of document.querySelectorAll("input[name=csrf_token]"))
    input.value = fresh.data.csrf_token;
  prefetchPhotos(fresh.data);
  if (current === null) go(location.pathname + location.hash, { replace: true });
  else if (changed) redraw();
  queue.kick();
}

const within = (promise, ms) => Promise.race([promise, new Promise((r) => setTimeout(r, ms))]);

// The first page after signing in: the service worker keeps this user's shell before the
// screen is drawn, so a reload with no network right away still opens (a few hundred ms, once
// per sign-in; later pages find it kept, and the service worker refreshes it as they load).
async function keepShellFirst() {
  if (!navigator.serviceWorker || !window.caches || !navigator.onLine) return;
  if (await caches.match(urls.shell)) return;
  const registration = await within(navigator.serviceWorker.ready, 3000);
  if (!registration || !registration.active) return;
  const channel = new MessageChannel();
  const kept = new Promise((resolve) => (channel.port1.onmessage = resolve));
  registration.active.postMessage("cache-shell", [channel.port2]);
  await within(kept, 4000);
}

async function boot() {
  setStrings(
    JSON.parse(document.getElementById("field-strings").textContent),
    document.documentElement.lang,
  );
  // sw-register.js first forgets the data of a session that ended since the last page.
  if (window.InspectorSession) await window.InspectorSession.ready;
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  await queue.recoverAll();
  await pruneSent();
  ctx.data = await startingData();
  ctx.me = ctx.data ? ctx.data.user.username : null;
  showUnread(ctx.data);
  queue.configure({ me: ctx.me, csrfToken: ctx.data && ctx.data.csrf_token });
  if (!ctx.data && !navigator.onLine) queue.state.signedOut = false;
  if (!/^\/(field\/.*)?$/.test(location.pathname)) {
    // Another page, opened with no network: the service worker answered with this app.
    bar.after(el("p", { class: "flash flash-info", role: "status", text: t("needs_network") }));
  }
  let pending = null;
  queue.onChange(() => {
    pending ||= requestAnimationFrame(() => {
      pending = null;
      redraw();
      ctx.refreshSync();
    });
  });
  await keepShellFirst();
  start(draw);
  window.addEventListener("online", () => {
    queue.online();
    refreshFromNetwork();
  });
  window.addEventListener("offline", () => ctx.refreshSync());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") queue.kick();
  });
  await refreshFromNetwork();
  queue.kick();
}

boot();
