// Appealing a deduction (申诉) on the phone: the item as the inspector recorded it, the
// reason, optional photos. Kept on the phone, then sent by the queue like a fix (offline too).

import { urls } from "../api.js";
import { appealBody, newAppeal, transition } from "../records.js";
import { store } from "../store.js";
import { el, formatDateTime, t } from "../ui.js";
import { notAvailable, screen, stateTag } from "./layout.js";
import { editing, keep, queueToSend } from "./keeping.js";
import { draftPhotoStrip, photoStrip } from "./photostrip.js";
import { refusedBanner } from "./inspection.js";

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
  let record = await recordFor(ctx, inspection, item);
  if (!deduction && !record) return notAvailable();
  record ||= newAppeal({ uuid: crypto.randomUUID(), deduction, user: ctx.me });
  const again = () => appealScreen(ctx, inspection, item);
  async function save() {
    record = editing(record);
    await keep(ctx, "appeals", record);
  }
  const parts = [deduction ? asInspected(deduction) : null];
  if (record.state !== "draft" && record.state !== "attention") {
    parts.push(
      el("p", { class: `record-state state-${record.state}`, role: "status" }, [
        stateTag(record),
        " ",
        t(`explain_${record.state}`),
      ]),
      el("p", { text: record.reason }),
      photoStrip({ uuids: record.photos, progress: ctx.queue.state.progress }),
      record.state === "sent"
        ? el("a", { href: urls.serverAppeal(record.uuid), text: t("open_on_server") })
        : null,
    );
    return screen(parts, { title: record.title, back: urls.home });
  }
  if (record.state === "attention" && record.error) parts.push(refusedBanner(record.error));
  const problem = el("p", {
    class: "flash flash-error",
    role: "alert",
    hidden: true,
    text: t("need_reason"),
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
