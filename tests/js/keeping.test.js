// Editing a refused record keeps the same object: the screen's photo strip and document list
// hold on to it, and what they add must be on the record that is saved.
import assert from "node:assert/strict";
import { test } from "node:test";

import { editing } from "../../static/js/screens/keeping.js";

test("a refused record becomes a draft again, the same object", () => {
  const refused = { uuid: "a1", state: "attention", body: { x: 1 }, files: [], error: {} };
  const held = refused; // as a screen's document list holds it
  const draft = editing(refused);
  assert.equal(draft, held);
  assert.equal(draft.state, "draft");
  assert.equal(draft.body, null);
  held.files.push("f1");
  assert.deepEqual(draft.files, ["f1"]);
});

test("a draft stays the same object and is stamped", () => {
  const record = { uuid: "a2", state: "draft", updated_at: "2026-01-01T00:00:00.000Z" };
  assert.equal(editing(record), record);
  assert.notEqual(record.updated_at, "2026-01-01T00:00:00.000Z");
});
