// The scoring rules of the contract, the one JS copy (inspector/scoring.py is the server's).
// Both are checked against the same cases: tests/scoring_cases.json, read by pytest and by
// `node --test`. Points may have decimals (a deduction of 0.5 per case): sums are made in
// exact integers, as the server's Decimal arithmetic does, and rounded half up.

const SCORED = new Set(["check", "scale", "deduct"]);

export function items(template) {
  return template.sections.flatMap((section) => section.items);
}

export function isScored(item) {
  return SCORED.has(item.type);
}

export function isAnswered(answer) {
  return answer !== null && answer !== undefined && answer !== "";
}

// One item: null when it does not count (text, N/A, unanswered); else earned, possible, failed.
export function itemScore(item, answer) {
  if (!isScored(item) || !isAnswered(answer) || answer === "na") return null;
  if (item.type === "check") {
    const passed = answer === "pass";
    return { earned: passed ? item.points : 0, possible: item.points, failed: !passed };
  }
  if (item.type === "scale") return { earned: answer, possible: item.points, failed: false };
  const count = answer.count;
  const earned = Math.max(
    0,
    fromScaled(toScaled(item.points) - BigInt(count) * toScaled(item.per)),
  );
  return { earned, possible: item.points, failed: count > 0 };
}

// The whole inspection: {earned, possible, percent, critical_failed}, as the server answers.
export function scoreInspection(allItems, answers) {
  let earned = 0n;
  let possible = 0n;
  let criticalFailed = false;
  for (const item of allItems) {
    const result = itemScore(item, answers[item.key]);
    if (result === null) continue;
    earned += toScaled(result.earned);
    possible += toScaled(result.possible);
    criticalFailed = criticalFailed || Boolean(item.critical && result.failed);
  }
  return {
    earned: fromScaled(earned),
    possible: fromScaled(possible),
    percent: percent(earned, possible),
    critical_failed: criticalFailed,
  };
}

// 100 × earned / possible, half up to one decimal; null when nothing is possible.
function percent(earned, possible) {
  if (possible === 0n) return null;
  const tenths = (earned * 2000n + possible) / (2n * possible); // floor(x + 1/2), x ≥ 0
  return Number(tenths) / 10;
}

// Numbers as integers of millionths, so 0.1 × 3 is exactly 0.3.
const SCALE = 1000000n;

function toScaled(value) {
  const [whole, fraction = ""] = String(value || 0).split(".");
  return BigInt(whole) * SCALE + BigInt((fraction + "000000").slice(0, 6));
}

function fromScaled(value) {
  return Number(value) / Number(SCALE);
}

// Progress counts the scored items, the ones submitting needs; free text is optional.
export function progress(template, answers) {
  const scored = items(template).filter(isScored);
  const done = scored.filter((item) => isAnswered(answers[item.key])).length;
  return { done, total: scored.length };
}

// What stops submitting, item by item: "unanswered", or "needs_photo" for a failed item
// marked photo_on_fail with no photo. `entries` maps a key to {answer, photos}.
export function problems(template, entries) {
  const found = [];
  for (const item of items(template)) {
    if (!isScored(item)) continue;
    const entry = entries[item.key] || {};
    if (!isAnswered(entry.answer)) {
      found.push({ item, what: "unanswered" });
      continue;
    }
    const result = itemScore(item, entry.answer);
    if (result && result.failed && item.photo_on_fail && !(entry.photos || []).length) {
      found.push({ item, what: "needs_photo" });
    }
  }
  return found;
}
