// The records made on the phone (inspections, findings' fixes, appeals and their withdrawals,
// assignments' outcomes, activities) and their one state machine.
// Pure: no DOM, no storage. Every change of state goes through transition(), so the states
// and what moves between them are written down here, once, and tested (tests/js/).
//
//   draft ──submit──▶ waiting ──send──▶ sending ──accepted──▶ sent
//     ▲                  ▲                 │ └────refused───▶ attention ──submit──▶ waiting
//     │                  └─────retry───────┘                     │
//     └───────────────────────────edit───────────────────────────┘
//
// `retry` is a network failure, a 5xx, a 429 or a signed-out session: the record waits again.
// `refused` is the server's final no (409, 413, 415, 422): a person must look at it.

import { items, isAnswered } from "./score.js";

export const STATES = ["draft", "waiting", "sending", "sent", "attention"];

const TRANSITIONS = {
  draft: { submit: "waiting" },
  waiting: { send: "sending" },
  sending: { accepted: "sent", refused: "attention", retry: "waiting" },
  attention: { submit: "waiting", edit: "draft" },
  sent: {},
};

// Records the server has not accepted yet (the screens' data-pending).
export const PENDING = new Set(["waiting", "sending", "attention"]);

export function canTransition(record, event) {
  return Boolean(TRANSITIONS[record.state] && TRANSITIONS[record.state][event]);
}

// A copy of `record` after `event`; throws on a move the machine does not have.
export function transition(record, event, detail = {}, now = new Date()) {
  const next = TRANSITIONS[record.state] && TRANSITIONS[record.state][event];
  if (!next) throw new Error(`${record.state} cannot ${event}`);
  const moved = { ...record, state: next, updated_at: now.toISOString() };
  if (event === "submit") {
    moved.body = detail.body;
    moved.photo_uuids = detail.photo_uuids || [];
    moved.error = null;
  }
  if (event === "accepted") {
    moved.result = detail.result;
    moved.sent_at = now.toISOString();
    moved.error = null;
  }
  if (event === "refused") moved.error = detail.error;
  if (event === "edit") moved.body = null;
  return moved;
}

// After a crash or a closed tab in the middle of sending: it waits again (the PUTs are
// idempotent, so sending it once more is safe).
export function recover(record) {
  if (record.state === "error") return { ...record, state: "attention" }; // before issue 14
  return record.state === "sending" ? transition(record, "retry") : record;
}

export function newInspection({ uuid, user, site, template, now = new Date() }) {
  return {
    kind: "inspection",
    uuid,
    user,
    site: site.code,
    site_name: site.name,
    template: template.id,
    template_doc: template,
    started_at: now.toISOString(),
    location: null,
    answers: {},
    state: "draft",
    updated_at: now.toISOString(),
  };
}

// A returned inspection (or a draft saved on the server) taken onto the phone to correct:
// same uuid, so submitting it again updates the server's record. Its photos are on the
// server already (`remote`), only new ones are sent.
export function fromServer(inspection, user, now = new Date()) {
  const answers = {};
  for (const response of inspection.responses) {
    answers[response.item] = {
      answer: response.answer,
      note: response.note || "",
      photos: response.photos || [],
    };
  }
  return {
    kind: "inspection",
    uuid: inspection.id,
    user,
    site: inspection.site,
    site_name: inspection.site_name,
    template: inspection.template,
    template_doc: inspection.template_doc,
    started_at: inspection.started_at,
    location: inspection.location || null,
    answers,
    remote_photos: Object.values(answers).flatMap((a) => a.photos),
    returned: inspection.status === "returned" ? inspection.review : null,
    state: "draft",
    updated_at: now.toISOString(),
  };
}

export function newFix({ finding, user, now = new Date() }) {
  return {
    kind: "fix",
    uuid: finding.id,
    user,
    title: finding.title,
    site_name: finding.site_name,
    photos: [],
    note: "",
    state: "draft",
    updated_at: now.toISOString(),
  };
}

export function newActivity({ uuid, user, kind, date, department, now = new Date() }) {
  return {
    kind: "activity",
    uuid,
    user,
    activity_kind: kind,
    title: "",
    date,
    department,
    place: "",
    participants: "",
    description: "",
    photos: [],
    files: [], // documents (PDF, DOCX, XLSX) kept on the phone and sent before the record
    state: "draft",
    updated_at: now.toISOString(),
  };
}

// An appeal of one deducted item (`deduction`, from the field data's appeals.appealable).
export function newAppeal({ uuid, deduction, user, now = new Date() }) {
  return {
    kind: "appeal",
    uuid,
    user,
    inspection: deduction.inspection,
    item: deduction.item,
    title: deduction.item_text,
    site_name: deduction.site_name,
    photos: [],
    reason: "",
    state: "draft",
    updated_at: now.toISOString(),
  };
}

// Withdrawing a pending appeal (撤回): its own record, with the appeal's uuid, sent by the
// queue like a fix, so a lead can withdraw with no signal. Withdrawing twice is harmless.
export function newWithdrawal({ appeal, user, now = new Date() }) {
  return {
    kind: "withdrawal",
    uuid: appeal.id,
    user,
    inspection: appeal.inspection,
    item: appeal.item,
    title: appeal.item_text,
    site_name: appeal.site_name,
    photos: [],
    state: "draft",
    updated_at: now.toISOString(),
  };
}

// An assignment closed without an inspection: 无法检查 (unable) or 拒检 (refused), with a
// reason and at least one photo (shared/CONTRACT.md "Rounds").
export function newOutcome({ assignment, user, now = new Date() }) {
  return {
    kind: "outcome",
    uuid: assignment.id,
    user,
    title: assignment.site_name,
    site_name: assignment.round_title,
    status: "unable",
    photos: [],
    note: "",
    state: "draft",
    updated_at: now.toISOString(),
  };
}

export function outcomeBody(record) {
  return { status: record.status, reason: record.note.trim(), photos: record.photos };
}

// Was anything made on it? An inspection opened and left untouched leaves nothing behind.
export function isUsed(record) {
  if (record.kind === "activity") {
    return Boolean(record.photos.length || (record.files || []).length || record.title.trim());
  }
  if (record.kind === "appeal") return Boolean(record.photos.length || record.reason);
  if (record.kind !== "inspection") return Boolean(record.photos.length || record.note);
  return Object.values(record.answers).some(
    (e) => isAnswered(e.answer) || e.note || (e.photos || []).length,
  );
}

// The uploads of a record that are on the phone (those already on the server excluded): its
// photos, and an activity's documents.
export function localPhotos(record) {
  const all =
    record.kind === "inspection" ? allPhotos(record) : [...record.photos, ...(record.files || [])];
  const remote = new Set(record.remote_photos || []);
  return all.filter((uuid) => !remote.has(uuid));
}

function allPhotos(record) {
  const answers = Object.values(record.answers).flatMap((entry) => entry.photos || []);
  return [...answers, ...signaturePhotos(record)];
}

// The signatures drawn at submit (screens/signature.js) are photos too: sent before the record.
export function signaturePhotos(record) {
  const signed = record.signatures || {};
  return [signed.inspector, signed.representative].filter(Boolean);
}

// The contract's PUT body, built once at submit and sent as it is on every retry.
export function inspectionBody(record, now = new Date()) {
  const responses = [];
  for (const item of items(record.template_doc)) {
    const entry = record.answers[item.key];
    if (!entry) continue;
    const has = isAnswered(entry.answer);
    if (!has && !(entry.photos || []).length && !entry.note) continue;
    const response = {
      item: item.key,
      answer: has ? entry.answer : item.type === "text" ? "" : null,
    };
    if (entry.note) response.note = entry.note;
    if ((entry.photos || []).length) response.photos = entry.photos;
    responses.push(response);
  }
  const body = {
    template: record.template,
    site: record.site,
    started_at: record.started_at,
    submitted_at: now.toISOString(),
    responses,
    submit: true,
  };
  if (record.location) body.location = record.location;
  if (signaturePhotos(record).length) body.signatures = record.signatures;
  return body;
}

export function fixBody(record) {
  return { after_photos: record.photos, note: record.note };
}

// PUT /api/v1/activities/{uuid}: a whole-unit activity sends "department": null.
export function activityBody(record) {
  const body = {
    kind: record.activity_kind,
    title: record.title.trim(),
    date: record.date,
    department: record.department || null,
    place: record.place.trim(),
    description: record.description,
    photos: record.photos,
  };
  if ((record.files || []).length) body.files = record.files;
  const count = Number.parseInt(record.participants, 10);
  if (Number.isInteger(count) && count >= 0) body.participants = count;
  return body;
}

export function appealBody(record) {
  const body = { inspection: record.inspection, item: record.item, reason: record.reason };
  if (record.photos.length) body.photos = record.photos;
  return body;
}

// What the screens say about the phone's work: how many are pending and the one word for
// the whole (<html data-sync-state>): signed-out, sending, attention, waiting or sent.
export function syncSummary(records, { sending = false, signedOut = false } = {}) {
  const count = (state) => records.filter((r) => r.state === state).length;
  const pending = records.filter((r) => PENDING.has(r.state)).length;
  let state = "sent";
  if (signedOut) state = "signed-out";
  else if (count("sending") || (sending && count("waiting"))) state = "sending";
  else if (count("attention")) state = "attention";
  else if (count("waiting") || count("sending")) state = "waiting";
  return { pending, state, drafts: count("draft"), attention: count("attention") };
}
