// Appealing a deduction (申诉) on the phone: the item as the inspector recorded it, the
// reason, optional photos. Kept on the phone, then sent by the queue like a fix (offline too).

import { urls } from "../api.js";
import { appealBody, newAppeal, newWithdrawal, transition } from "../records.js";
import { store } from "../store.js";
import { el, formatDateTime, t } from "../ui.js";
import { notAvailable, screen, stateLine, stateTag } from "./layout.js";
import { editing, keep, queueToSend } from "./keeping.js";
import { draftPhotoStrip, photoStrip, thumbs } from "./photostrip.js";
import { refusedBanner } from "./inspection.js";

// The appeal as the server last told the phone (the field data): filed here or elsewhere.
function filedAppeal(ctx, inspection, item) {
  const appeals = (ctx.data.appeals || {}).appeals || [];
  return appeals.find((a) => a.inspection === inspection && a.item === item) || null;
}

async function recordFor(ctx, inspection, item) {
  const all = await store.all("appeals");
  return all.find((r) => r.inspection === inspection && r.item === item && r.user === ctx.me);
}

function asInspected(deduction) {
  return el("section", { class: "card", id: "as-inspected" }, [
    el("h2", { text: t("as_inspected") }),
    el("p", { class: "muted", text: deduction.site_name }),
    el("p", {}, [
      el("strong", { text: deduction.answer }),
      deduction.possible ? ` · ${deduction.earned}/${deduction.possible}` : "",
    ]),
    deduction.note ? el("p", { class: "hint", text: deduction.note }) : null,
    (deduction.photos || []).length ? thumbs(deduction.photos, t("as_inspected")) : null,
    el("p", {
      class: "muted",
      text: t("appeal_until", { when: formatDateTime(deduction.deadline) }),
    }),
  ]);
}

export async function appealScreen(ctx, inspection, item) {
  const deduction = ((ctx.data.appeals || {}).appealable || []).find(
    (d) => d.inspection === inspection && d.item === item,
  );
  const filed = filedAppeal(ctx, inspection, item);
  let record = await recordFor(ctx, inspection, item);
  if (!record && filed) return filedScreen(ctx, { deduction, filed, record, inspection, item });
  if (!deduction && !record) return withdrawalOnly(ctx, inspection, item);
  record ||= newAppeal({ uuid: crypto.randomUUID(), deduction, user: ctx.me });
  const again = () => appealScreen(ctx, inspection, item);
  async function save() {
    record = editing(record);
    await keep(ctx, "appeals", record);
  }
  if (record.state !== "draft" && record.state !== "attention") {
    return filedScreen(ctx, { deduction, filed, record, inspection, item });
  }
  const parts = [deduction ? asInspected(deduction) : null];
  if (record.state === "attention" && record.error) parts.push(refusedBanner(record.error));
  const problem = el("p", {
    class: "flash flash-error",
    role: "alert",
    hidden: true,
    text: t("need_appeal_reason"),
  });
  parts.push(
    el("label", { class: "field-label" }, [
      t("appeal_reason"),
      el("textarea", {
        rows: 4,
        maxlength: 2000,
        name: "reason",
        text: record.reason,
        oninput: (e) => {
          record.reason = e.target.value;
          save();
        },
      }),
    ]),
    el("h2", { text: t("appeal_photos") }),
    draftPhotoStrip(record, save, again),
    problem,
    el("div", { class: "actions bottom-bar" }, [
      el("button", {
        type: "button",
        class: "primary",
        "data-action": "submit",
        text: t("file_appeal"),
        onclick: async () => {
          if (!record.reason.trim()) return (problem.hidden = false);
          record = transition(record, "submit", {
            body: appealBody(record),
            photo_uuids: record.photos,
          });
          return queueToSend(ctx, "appeals", record, urls.appeal(inspection, item));
        },
      }),
    ]),
  );
  screen(parts, { title: record.title, back: urls.home, editing: true });
}

// An appeal the server has, or that waits to be sent: where it stands, and for its author,
// while it is pending, the way to withdraw it (kept and sent by the queue, offline too).
async function filedScreen(ctx, { deduction, filed, record, inspection, item }) {
  const id = record ? record.uuid : filed.id;
  const withdrawal = await store.get("fixes", id);
  const status = filed ? filed.status : "pending";
  const mine = filed ? filed.mine : record.user === ctx.me;
  const again = () => appealScreen(ctx, inspection, item);
  const parts = [deduction ? asInspected(deduction) : null];
  if (record) {
    parts.push(
      stateLine(record),
      el("p", { text: record.reason }),
      photoStrip({ uuids: record.photos, progress: ctx.queue.state.progress }),
    );
  }
  if (filed || record.state === "sent") {
    parts.push(
      el("p", { class: "appeal-status", "data-appeal-status": status }, [
        el("span", { class: `tag appeal-${status}`, text: t(`appeal_${status}`) }),
        filed && filed.comment ? el("span", { class: "review-note", text: filed.comment }) : null,
      ]),
      el("a", { href: urls.serverAppeal(id), text: t("open_on_server") }),
    );
  }
  if (withdrawal) parts.push(withdrawalState(ctx, withdrawal, again));
  else if (mine && status === "pending" && (filed || record.state === "sent")) {
    parts.push(withdrawBox(ctx, filed || { ...record, id, item_text: record.title }, again));
  }
  screen(parts, { title: record ? record.title : filed.item_text, back: urls.home });
}

// A withdrawal whose appeal the phone no longer knows (filed elsewhere, and gone from the
// field data's recent list): still shown, so a refused one can be taken off the phone.
async function withdrawalOnly(ctx, inspection, item) {
  const withdrawal = (await store.all("fixes")).find(
    (r) =>
      r.kind === "withdrawal" &&
      r.inspection === inspection &&
      r.item === item &&
      r.user === ctx.me,
  );
  if (!withdrawal) return notAvailable(ctx);
  const again = () => appealScreen(ctx, inspection, item);
  return screen([withdrawalState(ctx, withdrawal, again)], {
    title: withdrawal.title,
    back: urls.home,
  });
}

function withdrawBox(ctx, appeal, again) {
  return el("details", { class: "discard", id: "withdraw" }, [
    el("summary", { text: t("withdraw_appeal") }),
    el("p", { class: "muted", text: t("confirm_withdraw") }),
    el("button", {
      type: "button",
      class: "danger",
      "data-action": "withdraw",
      text: t("withdraw_appeal"),
      onclick: async () => {
        const draft = newWithdrawal({ appeal, user: ctx.me });
        await keep(ctx, "fixes", transition(draft, "submit", { body: {} }));
        again();
        return ctx.kick();
      },
    }),
  ]);
}

// A withdrawal on the phone: waiting for a network, sent, or refused (the appeal was decided
// first): then the refusal, and a way to take it off the phone.
function withdrawalState(ctx, withdrawal, again) {
  if (withdrawal.state === "attention") {
    return el("div", { id: "withdrawal" }, [
      refusedBanner(withdrawal.error),
      el("button", {
        type: "button",
        "data-action": "dismiss",
        text: t("dismiss"),
        onclick: async () => {
          await store.remove("fixes", withdrawal.uuid);
          await ctx.refreshSync();
          again();
        },
      }),
    ]);
  }
  const text = withdrawal.state === "sent" ? t("appeal_withdrawn") : t("withdrawal_waiting");
  return el(
    "p",
    {
      id: "withdrawal",
      class: `record-state state-${withdrawal.state}`,
      role: "status",
      "data-state": withdrawal.state,
    },
    [stateTag(withdrawal), " ", text],
  );
}
