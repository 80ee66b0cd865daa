// The JS scoring rules against the cases pytest checks the server's rules with.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { problems, progress, scoreInspection } from "../../static/js/score.js";

const { cases } = JSON.parse(readFileSync(new URL("../scoring_cases.json", import.meta.url)));

for (const c of cases) {
  test(`scores as the server does: ${c.name}`, () => {
    assert.deepEqual(scoreInspection(c.items, c.answers), c.expected);
  });
}

const template = {
  sections: [
    {
      items: [
        { key: "documents", type: "check", points: 3, photo_on_fail: true },
        { key: "windows", type: "scale", points: 3 },
        { key: "remarks", type: "text" },
      ],
    },
  ],
};

test("progress counts the scored items only", () => {
  assert.deepEqual(progress(template, { documents: "pass", remarks: "x" }), { done: 1, total: 2 });
});

test("problems name unanswered items and failed ones without their photo", () => {
  const found = problems(template, { documents: { answer: "fail", photos: [] } });
  assert.deepEqual(
    found.map((p) => [p.item.key, p.what]),
    [
      ["documents", "needs_photo"],
      ["windows", "unanswered"],
    ],
  );
  const fixed = problems(template, {
    documents: { answer: "fail", photos: ["p1"] },
    windows: { answer: 0 },
  });
  assert.deepEqual(fixed, []);
});
