// The DOM helper, the page's translated strings and the one format per kind of date: every
// screen builds its elements here, with text set only as text (never as HTML).

let strings = {};
let language = "zh-CN";

export function setStrings(source, lang) {
  strings = source;
  language = lang || "zh-CN";
}

export function t(key, params = {}) {
  let text = strings[key] || key;
  for (const [name, value] of Object.entries(params)) text = text.replace(`{${name}}`, value);
  return text;
}

// el("a", {href, class, text, onclick}, [children]): attributes, listeners and text only.
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// What a person opened or folded, by group name: a screen drawn again (fresh data, the
// queue moving) keeps it, instead of snapping the group back under their finger.
const folded = new Map();

// A group a person can fold away: <details> with a title and a count.
export function group(title, count, children, { open = true, name = null } = {}) {
  const summary = el("summary", {}, [
    el("h2", { text: title }),
    el("span", { class: "count", text: String(count) }),
  ]);
  const shown = name !== null && folded.has(name) ? folded.get(name) : open;
  const node = el("details", { class: "group", open: shown, "data-group": name }, [
    summary,
    ...children,
  ]);
  // A click (or Enter, or Space) on the summary is the person's choice; the default is not.
  if (name !== null) summary.addEventListener("click", () => folded.set(name, !node.open));
  return node;
}

// One format per kind, the same on every screen and as the server writes them
// (inspector/i18n.py): a date (2026年11月29日, Nov 29, 2026), and a date with a 24-hour
// time (2026年11月29日 13:32, Nov 29, 2026 13:32).
const DATE = { year: "numeric", month: "short", day: "numeric" };
const TIME = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

export function formatDate(value) {
  if (!value) return "";
  // A bare date (2026-11-30) is a day, not midnight UTC.
  const when = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  return new Intl.DateTimeFormat(language, DATE).format(when);
}

export function formatTime(value) {
  return new Intl.DateTimeFormat(language, TIME).format(new Date(value));
}

export function formatDateTime(value) {
  return value ? `${formatDate(value)} ${formatTime(value)}` : "";
}

export function percentText(percent) {
  return percent === null || percent === undefined ? "—" : `${percent.toFixed(1)}%`;
}

export function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const SVG = "http://www.w3.org/2000/svg";

export function cameraIcon() {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({
    viewBox: "0 0 24 24",
    width: 22,
    height: 22,
    class: "icon",
    "aria-hidden": "true",
  })) {
    svg.setAttribute(k, v);
  }
  const body = document.createElementNS(SVG, "path");
  body.setAttribute(
    "d",
    "M4 7h3l2-2.5h6L17 7h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z",
  );
  const lens = document.createElementNS(SVG, "circle");
  for (const [k, v] of Object.entries({ cx: 12, cy: 13.5, r: 3.6 })) lens.setAttribute(k, v);
  for (const shape of [body, lens]) {
    shape.setAttribute("fill", "none");
    shape.setAttribute("stroke", "currentColor");
    shape.setAttribute("stroke-width", "2");
    svg.append(shape);
  }
  return svg;
}
