// The sync bar, and the screens' automation hooks: <html data-pending="N"
// data-sync-state="sent|waiting|sending|attention|signed-out"> (shared/CONTRACT.md). Both are
// drawn from the records on the phone and the queue's state, never kept apart from them.
// The figures are mirrored in localStorage so static/js/sync-mark.js shows them at once on
// the next page, before IndexedDB has answered.

import { urls } from "./api.js";
import { syncSummary } from "./records.js";
import { el, formatTime, t } from "./ui.js";

export const MIRROR = "inspector-sync";

function text(summary, records, queue, online) {
  const waiting = records.filter((r) => r.state === "waiting" || r.state === "sending");
  const mine = waiting.filter((r) => r.user === queue.me).length;
  const others = waiting.length - mine;
  const sending = Object.values(queue.progress);
  switch (summary.state) {
    case "signed-out":
      return [t("sign_in"), "error"];
    case "sending":
      if (sending.length)
        return [t("sending_photo", { percent: Math.round(sending[0] * 100) }), "wait"];
      return [t("sending"), "wait"];
    case "attention":
      return [t("n_errors", { n: summary.attention }), "error"];
    case "waiting":
      if (!mine) return [t("other_user", { n: others }), "wait"];
      if (!online) return [t("offline_waiting", { n: mine }), "offline"];
      if (queue.nextTry)
        return [t("retrying", { n: mine, time: formatTime(queue.nextTry) }), "wait"];
      return [t("n_waiting", { n: mine }), "wait"];
    default:
      if (summary.drafts)
        return [t(online ? "saved_here" : "offline_saved"), online ? "ok" : "offline"];
      return online ? [t("all_sent"), "ok"] : [t("offline"), "offline"];
  }
}

export function showSync(bar, records, queue, onSendNow) {
  const online = navigator.onLine;
  const summary = syncSummary(records, queue);
  const root = document.documentElement;
  root.dataset.pending = String(summary.pending);
  root.dataset.syncState = summary.state;
  try {
    localStorage.setItem(
      MIRROR,
      JSON.stringify({ pending: summary.pending, state: summary.state }),
    );
  } catch {
    // private mode: the hooks still come from IndexedDB, a moment later
  }
  const [words, kind] = text(summary, records, queue, online);
  bar.className = `sync-bar sync-${kind}`;
  const label = el("span", { class: "sync-text", text: words });
  if (summary.state === "signed-out")
    label.append(" ", el("a", { href: urls.signIn, text: t("sign_in_link") }));
  const canSend = summary.state === "waiting" && online && !queue.signedOut;
  const parts = [
    el("span", { class: "sync-dot", "aria-hidden": "true" }),
    label,
    canSend
      ? el("button", {
          type: "button",
          class: "link sync-now",
          text: t("send_now"),
          onclick: onSendNow,
        })
      : null,
  ];
  bar.replaceChildren(...parts.filter(Boolean));
  // The score bar sits just under this one, however tall its text makes it.
  root.style.setProperty("--sync-h", `${bar.offsetHeight}px`);
  return summary;
}
