// The send queue's retries: photos before the record, backoff, Retry-After, refusals, sign-in.
import assert from "node:assert/strict";
import { test } from "node:test";

import { DELAYS, classify, createQueue, nextDelay } from "../../static/js/queue.js";

function memoryStore(initial = {}) {
  const stores = {
    inspections: new Map(),
    fixes: new Map(),
    activities: new Map(),
    appeals: new Map(),
    photos: new Map(),
  };
  for (const [name, values] of Object.entries(initial)) {
    for (const value of values) stores[name].set(value.uuid, value);
  }
  return {
    stores,
    get: async (name, key) => stores[name].get(key),
    all: async (name) => [...stores[name].values()],
    put: async (name, value) => void stores[name].set(value.uuid, structuredClone(value)),
    remove: async (name, key) => void stores[name].delete(key),
  };
}

// A fake network: answers taken in order from `script` (a status, or {status, ...}).
function fakeApi(script) {
  const calls = [];
  const next = (what) => {
    calls.push(what);
    const answer = script.shift() ?? 201;
    return typeof answer === "number" ? { status: answer, body: {}, retryAfter: 0 } : answer;
  };
  return {
    calls,
    target: (kind, uuid) => ({ method: "PUT", url: `/api/${kind}/${uuid}` }),
    call: async (method, url, body, csrf) => next(`${method} ${url} ${csrf}`),
    putUpload: async (photo, csrf, onProgress) => {
      onProgress(0.5);
      return next(`photo ${photo.uuid} ${csrf}`);
    },
    session: async () => ({ user: "insp", csrf: "fresh" }),
  };
}

function fakeTimers() {
  const timers = { scheduled: [], clock: 0 };
  return Object.assign(timers, {
    set: (fn, ms) => (timers.scheduled.push(ms), timers.scheduled.length),
    clear: () => {},
    now: () => timers.clock,
  });
}

function waiting(uuid, photos = []) {
  return {
    kind: "inspection",
    uuid,
    user: "insp",
    state: "waiting",
    answers: { a: { answer: "fail", photos } },
    body: { submit: true },
  };
}

function setUp(script, records, photos = []) {
  const store = memoryStore({ inspections: records, photos });
  const api = fakeApi(script);
  const timers = fakeTimers();
  const queue = createQueue({ store, api, timers, isOnline: () => true });
  queue.configure({ me: "insp", csrfToken: "t1" });
  return { store, api, timers, queue };
}

test("photos go first, then the record; sent photos leave the phone", async () => {
  const { store, api, queue } = setUp([201, 201], [waiting("i1", ["p1"])], [{ uuid: "p1" }]);
  const seen = [];
  queue.onChange((s) => seen.push(JSON.stringify(s.progress)));
  await queue.kick();
  assert.deepEqual(api.calls, ["photo p1 t1", "PUT /api/inspection/i1 t1"]);
  assert.equal(store.stores.inspections.get("i1").state, "sent");
  assert.equal(store.stores.photos.size, 0);
  assert.ok(seen.includes('{"p1":0.5}'), "upload progress is reported");
});

test("a photo the server already has is not sent again", async () => {
  const { api, queue } = setUp([200], [waiting("i1", ["p1"])], [{ uuid: "p1", sent: true }]);
  await queue.kick();
  assert.deepEqual(api.calls, ["PUT /api/inspection/i1 t1"]);
});

test("no network: the record waits again and the delays grow", async () => {
  const { store, timers, queue } = setUp([0, 503, 0], [waiting("i1")]);
  await queue.kick();
  await queue.kick();
  await queue.kick();
  assert.equal(store.stores.inspections.get("i1").state, "waiting");
  assert.deepEqual(timers.scheduled, [2000, 5000, 15000]);
  assert.ok(queue.state.nextTry instanceof Date);
});

test("back online, the delays start again from the first", async () => {
  const { timers, queue } = setUp([0, 0, 0], [waiting("i1")]);
  await queue.kick();
  await queue.kick();
  await queue.online();
  assert.deepEqual(timers.scheduled, [2000, 5000, 2000]);
});

test("a busy server's Retry-After is respected", async () => {
  const busy = { status: 503, body: {}, retryAfter: 20 };
  const { timers, queue } = setUp([busy], [waiting("i1", ["p1"])], [{ uuid: "p1" }]);
  await queue.kick();
  assert.deepEqual(timers.scheduled, [20000]);
});

test("the delays, then every five minutes", () => {
  assert.deepEqual(
    DELAYS.map((_, i) => nextDelay(i)),
    [2000, 5000, 15000, 30000, 60000, 120000, 300000],
  );
  assert.equal(nextDelay(50), 300000);
  assert.equal(nextDelay(0, 7), 7000);
});

test("a refusal needs attention, with the server's message", async () => {
  const refused = { status: 422, body: { error: { message: "bad", fields: { x: "y" } } } };
  const { store, timers, queue } = setUp([refused], [waiting("i1")]);
  await queue.kick();
  const record = store.stores.inspections.get("i1");
  assert.equal(record.state, "attention");
  assert.deepEqual(record.error, { status: 422, what: null, message: "bad", fields: { x: "y" } });
  assert.deepEqual(timers.scheduled, []); // not retried: a person must look
});

test("a refused photo stops its record", async () => {
  const { api, store, queue } = setUp([415], [waiting("i1", ["p1"])], [{ uuid: "p1" }]);
  await queue.kick();
  assert.deepEqual(api.calls, ["photo p1 t1"]);
  assert.equal(store.stores.inspections.get("i1").error.what, "photo");
});

test("a stale CSRF token is renewed once", async () => {
  const csrf = { status: 403, body: { error: { code: "csrf" } } };
  const { api, queue, store } = setUp([csrf, 201], [waiting("i1")]);
  await queue.kick();
  assert.deepEqual(api.calls, ["PUT /api/inspection/i1 t1", "PUT /api/inspection/i1 fresh"]);
  assert.equal(store.stores.inspections.get("i1").state, "sent");
});

test("signed out: sending stops, the work stays", async () => {
  const { store, timers, queue } = setUp([401], [waiting("i1")]);
  await queue.kick();
  assert.equal(queue.state.signedOut, true);
  assert.equal(store.stores.inspections.get("i1").state, "waiting");
  assert.deepEqual(timers.scheduled, []);
});

test("another user's work is never sent", async () => {
  const other = { ...waiting("i2"), user: "someone-else" };
  const { api, queue } = setUp([], [other]);
  await queue.kick();
  assert.deepEqual(api.calls, []);
});

test("offline: no request, a quick look again later", async () => {
  const store = memoryStore({ inspections: [waiting("i1")] });
  const api = fakeApi([]);
  const timers = fakeTimers();
  const queue = createQueue({ store, api, timers, isOnline: () => false });
  queue.configure({ me: "insp", csrfToken: "t" });
  await queue.kick();
  assert.deepEqual(api.calls, []);
  assert.deepEqual(timers.scheduled, [3000]);
});

test("records left sending by a closed tab are sent again", async () => {
  const { store, queue } = setUp([201], [{ ...waiting("i1"), state: "sending" }]);
  await queue.recoverAll();
  await queue.kick();
  assert.equal(store.stores.inspections.get("i1").state, "sent");
});

test("answers are told apart", () => {
  assert.equal(classify({ status: 201 }), "ok");
  assert.equal(classify({ status: 0 }), "retry");
  assert.equal(classify({ status: 429 }), "retry");
  assert.equal(classify({ status: 503 }), "retry");
  assert.equal(classify({ status: 401 }), "signin");
  assert.equal(classify({ status: 403, body: { error: { code: "csrf" } } }), "csrf");
  assert.equal(classify({ status: 403, body: {} }), "refused");
  assert.equal(classify({ status: 409 }), "refused");
});

test("a returned inspection sent back unchanged needs attention, not 'sent'", async () => {
  const { store, queue } = setUp([{ status: 200, body: { status: "returned" } }], [waiting("i1")]);
  await queue.kick();
  const record = store.stores.inspections.get("i1");
  assert.equal(record.state, "attention");
  assert.equal(record.error.code, "unchanged");
});

test("an activity recorded offline is sent like the rest: its photos, then its PUT", async () => {
  const activity = { ...waiting("a1"), kind: "activity", photos: ["p9"], body: { kind: "x" } };
  delete activity.answers;
  const store = memoryStore({ activities: [activity], photos: [{ uuid: "p9", sent: false }] });
  const api = fakeApi([201, 201]);
  const queue = createQueue({ store, api, timers: fakeTimers(), isOnline: () => true });
  queue.configure({ me: "insp", csrfToken: "t1" });
  await queue.kick();
  assert.deepEqual(api.calls, ["photo p9 t1", "PUT /api/activity/a1 t1"]);
  assert.equal(store.stores.activities.get("a1").state, "sent");
  assert.equal(store.stores.photos.has("p9"), false);
});

test("an appeal made offline is sent with its photos, to the appeal's own address", async () => {
  const appeal = {
    kind: "appeal",
    uuid: "ap1",
    user: "insp",
    state: "waiting",
    photos: ["p9"],
    body: { inspection: "i1", item: "smoking", reason: "来访人员", photos: ["p9"] },
  };
  const store = memoryStore({
    appeals: [appeal],
    photos: [{ uuid: "p9", user: "insp", bytes: new ArrayBuffer(1), sent: false }],
  });
  const api = fakeApi([201, 201]);
  const queue = createQueue({ store, api, timers: fakeTimers(), isOnline: () => true });
  queue.configure({ me: "insp", csrfToken: "t" });
  await queue.kick();
  assert.deepEqual(api.calls, ["photo p9 t", "PUT /api/appeal/ap1 t"]);
  assert.equal(store.stores.appeals.get("ap1").state, "sent");
  assert.equal(store.stores.photos.has("p9"), false); // the server has it: space freed
});

test("an activity's documents are sent before it, then freed from the phone", async () => {
  const activity = { ...waiting("a2"), kind: "activity", photos: [], files: ["f1"], body: {} };
  delete activity.answers;
  const store = memoryStore({
    activities: [activity],
    photos: [{ uuid: "f1", user: "insp", kind: "file", name: "签到表.pdf", sent: false }],
  });
  const api = fakeApi([201, 201]);
  const queue = createQueue({ store, api, timers: fakeTimers(), isOnline: () => true });
  queue.configure({ me: "insp", csrfToken: "t" });
  await queue.kick();
  assert.deepEqual(api.calls, ["photo f1 t", "PUT /api/activity/a2 t"]);
  assert.equal(store.stores.photos.has("f1"), false);
});

test("a refused document says it was the document", async () => {
  const activity = { ...waiting("a3"), kind: "activity", photos: [], files: ["f2"], body: {} };
  delete activity.answers;
  const store = memoryStore({
    activities: [activity],
    photos: [{ uuid: "f2", user: "insp", kind: "file", name: "a.exe", sent: false }],
  });
  const api = fakeApi([{ status: 415, body: { error: { message: "not a PDF" } } }]);
  const queue = createQueue({ store, api, timers: fakeTimers(), isOnline: () => true });
  queue.configure({ me: "insp", csrfToken: "t" });
  await queue.kick();
  const refused = store.stores.activities.get("a3");
  assert.equal(refused.state, "attention");
  assert.equal(refused.error.what, "file");
});

test("a withdrawal waits with the fixes and is sent once, without photos", async () => {
  const withdrawal = {
    kind: "withdrawal",
    uuid: "ap1",
    user: "lead",
    state: "waiting",
    photos: [],
  };
  const store = memoryStore({ fixes: [withdrawal] });
  const api = fakeApi([200]);
  const queue = createQueue({ store, api, timers: fakeTimers(), isOnline: () => true });
  queue.configure({ me: "lead", csrfToken: "t" });
  await queue.kick();
  await queue.kick();
  assert.deepEqual(api.calls, ["PUT /api/withdrawal/ap1 t"]);
  assert.equal(store.stores.fixes.get("ap1").state, "sent");
});

test("a record submitted while a send is under way goes when that send ends", async () => {
  const store = memoryStore({ inspections: [waiting("i1")] });
  const api = fakeApi([]);
  const slow = api.call;
  let queue = null;
  api.call = async (...args) => {
    if (args[1].endsWith("/i1")) {
      // The user submits another inspection while the first is on its way.
      await store.put("inspections", waiting("i2"));
      queue.kick();
    }
    return slow(...args);
  };
  queue = createQueue({ store, api, timers: fakeTimers(), isOnline: () => true });
  queue.configure({ me: "insp", csrfToken: "t" });
  await queue.kick();
  assert.deepEqual(api.calls, ["PUT /api/inspection/i1 t", "PUT /api/inspection/i2 t"]);
  assert.equal(store.stores.inspections.get("i2").state, "sent");
});
