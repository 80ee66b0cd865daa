// What every screen shares: drawing into #field (keeping the scroll position when the same
// screen is drawn again), the state words of a record, and the object URLs of thumbnails,
// released when their screen goes.

import { urls } from "../api.js";
import { el, t } from "../ui.js";

const root = () => document.getElementById("field");
const objectUrls = new Set();
let shown = null;

export function objectUrl(bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  objectUrls.add(url);
  return url;
}

export function releaseUrl(url) {
  if (objectUrls.delete(url)) URL.revokeObjectURL(url);
}

// A part of a screen drawn anew (an item card): its thumbnails' object URLs go with it.
export function replace(node, fresh) {
  for (const img of node.querySelectorAll("img[src^='blob:']")) releaseUrl(img.src);
  node.replaceWith(fresh);
}

function releaseAll() {
  for (const url of objectUrls) URL.revokeObjectURL(url);
  objectUrls.clear();
}

// A screen being typed into (`editing`) is never drawn again under the person's fingers.
export function isEditing() {
  return root().dataset.editing === "1";
}

export function screen(
  children,
  { title = null, back = null, again = false, editing = false } = {},
) {
  const here = location.pathname;
  const y = window.scrollY;
  const stay = again || shown === here;
  shown = here;
  releaseAll();
  root().dataset.editing = editing ? "1" : "";
  root().replaceChildren(
    ...[
      back ? el("a", { href: back, class: "back-link", text: `‹ ${t("back")}` }) : null,
      title ? el("h1", { text: title }) : null,
      ...children,
    ].filter(Boolean),
  );
  window.scrollTo(0, stay ? y : 0);
  if (!stay && location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView({ block: "center" });
  }
}

export const STATE_WORDS = {
  draft: "state_draft",
  waiting: "state_waiting",
  sending: "state_sending",
  sent: "state_sent",
  attention: "state_attention",
};

export function stateTag(record) {
  return el("span", { class: `tag state-${record.state}`, text: t(STATE_WORDS[record.state]) });
}

// Where a record stands (a sent inspection, fix, activity, outcome or appeal), in words that
// begin with its state ("Sent: the server has it."): a tag beside them would say it twice.
export function stateLine(record) {
  return el("p", {
    class: `record-state state-${record.state}`,
    role: "status",
    text: t(`explain_${record.state}`),
  });
}

// The server's words for a refusal, or ours for the ones the phone tells apart.
export function errorText(error) {
  return error.code ? t(error.code) : error.message;
}

// Before the first sync the phone holds nothing: open the app once with a network. After it,
// what the phone lacks was made on another phone, or sent and cleared from this one: it is on
// the server, whose own page for it (`serverPage`) opens when there is a network.
export function notAvailable(ctx, serverPage = null) {
  if (!ctx || !ctx.data) {
    screen([el("p", { class: "flash flash-info", text: t("not_available") })], { back: urls.home });
    return;
  }
  const parts = [el("p", { class: "flash flash-info", text: t("not_on_this_phone") })];
  if (serverPage && navigator.onLine) {
    parts.push(
      el("p", {}, [el("a", { class: "button", href: serverPage, text: t("open_on_server") })]),
    );
  }
  screen(parts, { back: urls.home });
}

export function signedOutScreen() {
  screen([
    el("p", { class: "flash flash-info" }, [
      `${t("signed_out")} `,
      el("a", { href: urls.signIn, text: t("sign_in_link") }),
    ]),
  ]);
}

// A search box over a list's rows (li[data-text]).
export function filterBox(list, label) {
  const empty = el("li", { class: "empty", role: "status", text: t("no_match"), hidden: true });
  list.append(empty);
  const box = el("input", {
    type: "search",
    placeholder: label,
    "aria-label": label,
    class: "search",
  });
  box.addEventListener("input", () => {
    const q = box.value.trim().toLowerCase();
    let visible = 0;
    for (const row of list.querySelectorAll("li[data-text]")) {
      row.hidden = q !== "" && !row.dataset.text.toLowerCase().includes(q);
      if (!row.hidden) visible += 1;
    }
    empty.hidden = visible > 0;
  });
  return box;
}
