// Assignments on the phone: an outcome waits with the fixes and goes to its own endpoint,
// photo first; an inspection made here at an assigned site shows the assignment done.
import assert from "node:assert/strict";
import { test } from "node:test";

import { api } from "../../static/js/api.js";
import { createQueue } from "../../static/js/queue.js";
import {
  isUsed,
  localPhotos,
  newOutcome,
  outcomeBody,
  transition,
} from "../../static/js/records.js";
import { fulfilling, statusOnPhone } from "../../static/js/screens/assignments.js";

const ASSIGNMENT = {
  id: "a1",
  site: "A-301",
  site_name: "办公室",
  round_title: "周检",
  template_code: "office-weekly",
  from: "2026-11-23",
  to: "2026-11-27",
  window: ["2026-11-22T16:00:00+00:00", "2026-11-27T16:00:00+00:00"],
  status: "open",
};

test("an outcome needs nothing new from the state machine and posts to the assignment", async () => {
  let record = newOutcome({ assignment: ASSIGNMENT, user: "insp" });
  assert.equal(isUsed(record), false);
  record = { ...record, status: "refused", note: " 拒绝 ", photos: ["p1"] };
  assert.deepEqual(outcomeBody(record), { status: "refused", reason: "拒绝", photos: ["p1"] });
  assert.deepEqual(localPhotos(record), ["p1"]);
  record = transition(record, "submit", { body: outcomeBody(record), photo_uuids: ["p1"] });
  assert.deepEqual(api.target("outcome", "a1"), {
    method: "POST",
    url: "/api/v1/assignments/a1/outcome",
  });

  const stores = {
    inspections: new Map(),
    fixes: new Map([["a1", record]]),
    activities: new Map(),
    appeals: new Map(),
    photos: new Map(),
  };
  stores.photos.set("p1", { uuid: "p1" });
  const store = {
    get: async (name, key) => stores[name].get(key),
    all: async (name) => [...stores[name].values()],
    put: async (name, value) => void stores[name].set(value.uuid, structuredClone(value)),
    remove: async (name, key) => void stores[name].delete(key),
  };
  const calls = [];
  const fake = {
    target: api.target,
    call: async (method, url) => (calls.push(`${method} ${url}`), { status: 200, body: {} }),
    putUpload: async (photo) => (calls.push(`photo ${photo.uuid}`), { status: 201, body: {} }),
    session: async () => ({}),
  };
  const timers = { set: () => 0, clear: () => {}, now: () => 0 };
  const queue = createQueue({ store, api: fake, timers, isOnline: () => true });
  queue.configure({ me: "insp", csrfToken: "t" });
  await queue.kick();
  assert.deepEqual(calls, ["photo p1", "POST /api/v1/assignments/a1/outcome"]);
  assert.equal(stores.fixes.get("a1").state, "sent");
  assert.equal(statusOnPhone(ASSIGNMENT, [], [stores.fixes.get("a1")]), "refused");
});

test("an inspection submitted here within the dates makes the assignment done", () => {
  const made = (day, state = "waiting", code = "office-weekly") => ({
    uuid: "i1",
    site: "A-301",
    template_doc: { code },
    state,
    body: { submitted_at: `${day}T10:00:00Z` },
  });
  assert.ok(fulfilling(ASSIGNMENT, [made("2026-11-24")]));
  assert.equal(statusOnPhone(ASSIGNMENT, [made("2026-11-24")], []), "done");
  assert.equal(statusOnPhone(ASSIGNMENT, [made("2026-11-30")], []), "open");
  // Shanghai's 28 November has begun at 16:00 UTC on the 27th: outside the round.
  const lateOnFriday = {
    ...made("2026-11-27", "sent"),
    body: { submitted_at: "2026-11-27T16:30:00Z" },
  };
  assert.equal(statusOnPhone(ASSIGNMENT, [lateOnFriday], []), "open");
  assert.equal(statusOnPhone(ASSIGNMENT, [made("2026-11-24", "draft")], []), "open");
  assert.equal(statusOnPhone(ASSIGNMENT, [made("2026-11-24", "sent", "other")], []), "open");
  assert.equal(statusOnPhone({ ...ASSIGNMENT, status: "done" }, [], []), "done");
});
