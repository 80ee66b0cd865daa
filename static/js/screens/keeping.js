// A record edited on one screen (a fix, an assignment's outcome, an appeal, an activity) is kept
// on the phone as it is typed, then queued for the send queue; every such screen does both so,
// and a submitted inspection is queued the same way (review.js).

import { transition } from "../records.js";
import { store } from "../store.js";

// The record being edited: a refused one becomes a draft again; stamped now. The same object,
// changed in place: a screen's parts (its photo strip, its documents) hold on to it, and a
// copy would leave what they add on an object nobody saves.
export function editing(record) {
  if (record.state === "attention") Object.assign(record, transition(record, "edit"));
  record.updated_at = new Date().toISOString();
  return record;
}

// Keep the record on the phone and show it on the sync bar. Resolves once the bar and the
// automation hooks (data-sync-state, data-pending) count it: a screen that moves on after a
// submit must never leave them saying "sent" while the record waits to be sent.
export async function keep(ctx, storeName, record) {
  await store.put(storeName, record);
  await ctx.refreshSync();
}

// Keep a record just queued (transition "submit"), show where it stands, and start sending.
export async function queueToSend(ctx, storeName, record, url) {
  await keep(ctx, storeName, record);
  ctx.go(url, { replace: true });
  return ctx.kick();
}
