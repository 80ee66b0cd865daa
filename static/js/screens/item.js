// One checklist item on the inspection screen: big 合格 / 不合格 / 不适用 buttons for a check,
// − / + steppers for a scale or a count of cases, a note. Hooks (shared/CONTRACT.md): the card
// is [data-item=KEY]; [data-answer=pass|fail|na] answers a check item. Scale and deduction
// items have [data-answer=pass] (full marks, none found) and [data-answer=na] too.

import { isAnswered, itemScore } from "../score.js";
import { el, t } from "../ui.js";

const points = (n) => String(n);

function choice(value, label, pressed, set) {
  return el("button", {
    type: "button",
    class: `seg seg-${value}`,
    "data-answer": value,
    "aria-pressed": String(pressed),
    text: label,
    onclick: () => set(value),
  });
}

function checkControl(item, entry, set) {
  return el("div", { class: "segmented", role: "group", "aria-label": item.text }, [
    choice("pass", t("pass"), entry.answer === "pass", set),
    choice("fail", t("fail"), entry.answer === "fail", set),
    choice("na", t("na"), entry.answer === "na", set),
  ]);
}

function stepperControl(item, entry, set) {
  const deduct = item.type === "deduct";
  const answer = entry.answer;
  const isNa = answer === "na";
  const count = !isAnswered(answer) || isNa ? "" : deduct ? answer.count : answer;
  const clamp = (n) => Math.max(0, deduct ? n : Math.min(item.points, n));
  const box = el("input", {
    type: "number",
    min: 0,
    max: deduct ? null : item.points,
    inputmode: "numeric",
    value: count,
    disabled: isNa,
    "aria-label": deduct ? t("cases_found") : t("mark"),
  });
  const setCount = (raw) => {
    if (raw === "") return set(null);
    const n = clamp(parseInt(raw, 10) || 0);
    box.value = n;
    return set(deduct ? { count: n } : n);
  };
  box.addEventListener("change", () => setCount(box.value));
  const step = (by) => {
    const start = box.value === "" ? (by < 0 ? 1 : 0) : parseInt(box.value, 10) || 0;
    setCount(String(start + by));
  };
  const full = deduct ? { count: 0 } : item.points;
  const isFull = JSON.stringify(answer) === JSON.stringify(full);
  return el("div", { class: "stepper-row" }, [
    el("div", { class: "stepper" }, [
      el("button", { type: "button", "aria-label": t("less"), text: "−", onclick: () => step(-1) }),
      box,
      el("button", { type: "button", "aria-label": t("more"), text: "+", onclick: () => step(1) }),
    ]),
    el("span", {
      class: "stepper-unit muted",
      text: deduct
        ? t("cases", { per: points(item.per) })
        : t("of", { points: points(item.points) }),
    }),
    el("div", { class: "quick" }, [
      el("button", {
        type: "button",
        class: "seg seg-pass small",
        "data-answer": "pass",
        "aria-pressed": String(isFull),
        text: deduct ? t("none_found") : t("full_marks"),
        onclick: () => set(full),
      }),
      el("button", {
        type: "button",
        class: "seg seg-na small",
        "data-answer": "na",
        "aria-pressed": String(isNa),
        text: t("na"),
        onclick: () => set(isNa ? null : "na"),
      }),
    ]),
  ]);
}

function textControl(item, entry, set) {
  return el("textarea", {
    rows: 2,
    maxlength: 2000,
    "aria-label": item.text,
    placeholder: t("optional"),
    text: entry.answer || "",
    oninput: (event) => set(event.target.value, { typing: true }),
  });
}

export function answerControl(item, entry, set) {
  if (item.type === "check") return checkControl(item, entry, set);
  if (item.type === "text") return textControl(item, entry, set);
  return stepperControl(item, entry, set);
}

// Marks the card answered, failed, or failed and still missing its photo.
export function markCard(node, item, entry) {
  const result = itemScore(item, entry.answer);
  node.classList.toggle("answered", isAnswered(entry.answer));
  node.classList.toggle("failed", Boolean(result && result.failed));
  const needsPhoto = Boolean(result && result.failed && item.photo_on_fail && !entry.photos.length);
  node.classList.toggle("needs-photo", needsPhoto);
}

export function itemHeader(item) {
  return [
    el("p", { class: "item-text" }, [
      item.text,
      " ",
      item.critical ? el("span", { class: "tag off", text: t("veto") }) : null,
      el("span", {
        class: "tag",
        text: item.type === "text" ? t("optional") : t("points", { points: points(item.points) }),
      }),
    ]),
    item.guidance ? el("p", { class: "hint", text: item.guidance }) : null,
  ];
}

export function noteBox(entry, onInput) {
  return el("details", { class: "note", open: Boolean(entry.note) }, [
    el("summary", { text: t("note") }),
    el("textarea", {
      rows: 2,
      maxlength: 2000,
      "aria-label": t("note"),
      text: entry.note || "",
      oninput: onInput,
    }),
  ]);
}
