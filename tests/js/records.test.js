// The record state machine: draft → waiting → sending → sent | attention.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  STATES,
  activityBody,
  appealBody,
  canTransition,
  fromServer,
  inspectionBody,
  isUsed,
  localPhotos,
  newActivity,
  newAppeal,
  newInspection,
  newWithdrawal,
  recover,
  syncSummary,
  transition,
} from "../../static/js/records.js";
import { api } from "../../static/js/api.js";

const template = {
  id: 7,
  sections: [
    {
      items: [
        { key: "documents", type: "check", points: 3 },
        { key: "windows", type: "scale", points: 3 },
        { key: "remarks", type: "text" },
      ],
    },
  ],
};
const site = { code: "A-302", name: "财务科" };
const now = new Date("2026-11-29T08:00:00Z");

function draft() {
  return newInspection({ uuid: "u1", user: "insp", site, template, now });
}

test("every state's moves, and nothing else", () => {
  const moves = {
    draft: ["submit"],
    waiting: ["send"],
    sending: ["accepted", "refused", "retry"],
    attention: ["submit", "edit"],
    sent: [],
  };
  const events = ["submit", "send", "accepted", "refused", "retry", "edit"];
  assert.deepEqual(Object.keys(moves).sort(), [...STATES].sort());
  for (const state of STATES) {
    for (const event of events) {
      assert.equal(
        canTransition({ state }, event),
        moves[state].includes(event),
        `${state} ${event}`,
      );
    }
  }
  assert.throws(() => transition({ state: "sent" }, "send"), /sent cannot send/);
});

test("a submitted draft carries its body and is sent, then accepted", () => {
  let record = draft();
  record.answers.documents = { answer: "pass", note: "", photos: ["p1"] };
  const body = inspectionBody(record, now);
  record = transition(record, "submit", { body, photo_uuids: ["p1"] }, now);
  assert.equal(record.state, "waiting");
  assert.deepEqual(record.body.responses, [{ item: "documents", answer: "pass", photos: ["p1"] }]);
  record = transition(record, "send", {}, now);
  record = transition(record, "accepted", { result: { id: "u1" } }, now);
  assert.equal(record.state, "sent");
  assert.equal(record.sent_at, now.toISOString());
});

test("a refusal needs attention; it can be edited and submitted again", () => {
  let record = transition(transition(draft(), "submit", { body: {} }), "send");
  record = transition(record, "refused", { error: { status: 422, message: "no" } });
  assert.equal(record.state, "attention");
  assert.equal(record.error.status, 422);
  record = transition(record, "edit");
  assert.equal(record.state, "draft");
  assert.equal(transition(record, "submit", { body: {} }).error, null);
});

test("a record left sending by a closed tab waits again", () => {
  const sending = transition(transition(draft(), "submit", { body: {} }), "send");
  assert.equal(recover(sending).state, "waiting");
  assert.equal(recover({ state: "error" }).state, "attention"); // stored before issue 14
  const waiting = transition(draft(), "submit", { body: {} });
  assert.equal(recover(waiting), waiting);
});

test("an untouched draft is not used; a note is enough", () => {
  const record = draft();
  assert.equal(isUsed(record), false);
  record.answers.windows = { answer: null, note: "积灰", photos: [] };
  assert.equal(isUsed(record), true);
});

test("a returned inspection keeps its uuid; only new photos are sent", () => {
  const record = fromServer(
    {
      id: "srv-1",
      status: "returned",
      review: { comment: "窗户没擦" },
      site: "A-302",
      site_name: "财务科",
      template: 7,
      template_doc: template,
      started_at: "2026-11-20T01:00:00Z",
      responses: [{ item: "documents", answer: "fail", note: "", photos: ["old"] }],
    },
    "insp",
  );
  assert.equal(record.uuid, "srv-1");
  assert.equal(record.returned.comment, "窗户没擦");
  record.answers.documents.photos.push("new");
  assert.deepEqual(localPhotos(record), ["new"]);
});

test("the sync summary: pending counts what the server has not accepted", () => {
  const records = [
    { state: "draft" },
    { state: "waiting" },
    { state: "attention" },
    { state: "sent" },
  ];
  assert.deepEqual(syncSummary(records), {
    pending: 2,
    state: "attention",
    drafts: 1,
    attention: 1,
  });
  assert.equal(syncSummary([{ state: "waiting" }], { sending: true }).state, "sending");
  assert.equal(syncSummary([{ state: "waiting" }]).state, "waiting");
  assert.equal(syncSummary([{ state: "sent" }, { state: "draft" }]).state, "sent");
  assert.equal(syncSummary([{ state: "waiting" }], { signedOut: true }).state, "signed-out");
});

test("an activity is used once titled or photographed, and its body is the contract's", () => {
  const record = newActivity({
    uuid: "a1",
    user: "lead-finance",
    kind: "cleanup",
    date: "2026-11-27",
    department: "finance",
  });
  assert.equal(isUsed(record), false);
  record.title = " 大扫除 ";
  record.participants = "12";
  record.photos = ["p1"];
  assert.equal(isUsed(record), true);
  assert.deepEqual(localPhotos(record), ["p1"]);
  assert.deepEqual(activityBody(record), {
    kind: "cleanup",
    title: "大扫除",
    date: "2026-11-27",
    department: "finance",
    place: "",
    description: "",
    photos: ["p1"],
    participants: 12,
  });
  assert.equal(activityBody({ ...record, department: "", participants: "" }).department, null);
  assert.equal("participants" in activityBody({ ...record, participants: "" }), false);
});

test("an activity's documents are its uploads too, and named in its body", () => {
  const record = newActivity({ uuid: "a1", user: "lead", kind: "study", date: "2026-11-27", now });
  assert.deepEqual(record.files, []);
  assert.equal("files" in activityBody({ ...record, title: "学习" }), false);
  const attached = { ...record, photos: ["p1"], files: ["f1"] };
  assert.equal(isUsed({ ...record, files: ["f1"] }), true);
  assert.deepEqual(localPhotos(attached), ["p1", "f1"]);
  assert.deepEqual(activityBody({ ...attached, title: "学习" }).files, ["f1"]);
});

test("an appeal: used once it has a reason or a photo; its body is the contract's", () => {
  const deduction = {
    inspection: "i1",
    item: "smoking",
    item_text: "公共场所无吸烟",
    site_name: "A",
  };
  const appeal = newAppeal({ uuid: "ap1", deduction, user: "lead", now });
  assert.equal(isUsed(appeal), false);
  const filled = { ...appeal, reason: "来访人员", photos: ["p1"] };
  assert.equal(isUsed(filled), true);
  assert.deepEqual(localPhotos(filled), ["p1"]);
  assert.deepEqual(appealBody(filled), {
    inspection: "i1",
    item: "smoking",
    reason: "来访人员",
    photos: ["p1"],
  });
  assert.deepEqual(appealBody({ ...filled, photos: [] }), {
    inspection: "i1",
    item: "smoking",
    reason: "来访人员",
  });
  const sent = transition(transition(filled, "submit", { body: appealBody(filled) }), "send");
  assert.equal(transition(sent, "accepted", { result: {} }).state, "sent");
});

test("a withdrawal carries the appeal's uuid, has no photos, and goes to the withdraw address", () => {
  const appeal = {
    id: "ap1",
    inspection: "i1",
    item: "smoking",
    item_text: "无吸烟",
    site_name: "A",
  };
  const withdrawal = newWithdrawal({ appeal, user: "lead", now });
  assert.equal(withdrawal.kind, "withdrawal");
  assert.equal(withdrawal.uuid, "ap1");
  assert.deepEqual(localPhotos(withdrawal), []);
  assert.equal(transition(withdrawal, "submit", { body: {} }).state, "waiting");
  assert.deepEqual(api.target("withdrawal", "ap1"), {
    method: "POST",
    url: "/api/v1/appeals/ap1/withdraw",
  });
});

test("signatures drawn at submit are sent as photos first and named in the body", () => {
  const record = {
    ...draft(),
    answers: { documents: { answer: "pass", photos: ["p1"] } },
    signatures: { inspector: "s1", representative: null, representative_name: "" },
  };
  assert.deepEqual(localPhotos(record), ["p1", "s1"]);
  const body = inspectionBody(record, now);
  assert.deepEqual(body.signatures, record.signatures);
  assert.equal("signatures" in inspectionBody({ ...record, signatures: null }, now), false);
});
