// Findings to fix, and fixing one: the before photos (fetched while online, so they show
// offline), after photos from the same spot, what was done. Kept on the phone, then sent.

import { urls } from "../api.js";
import { fixBody, newFix, transition } from "../records.js";
import { store } from "../store.js";
import { el, formatDate, t } from "../ui.js";
import { filterBox, notAvailable, screen, stateLine } from "./layout.js";
import { editing, keep, queueToSend } from "./keeping.js";
import { draftPhotoStrip, photoStrip, thumbs } from "./photostrip.js";
import { refusedBanner } from "./inspection.js";
import { findingRow, rowList } from "./rows.js";

export async function findingsScreen(ctx) {
  const { fixes } = await ctx.records();
  const busy = new Set(fixes.filter((f) => f.state !== "draft").map((f) => f.uuid));
  const open = ctx.data.findings.filter((f) => !busy.has(f.id));
  const list = rowList(open.map(findingRow), t("no_findings"));
  const title = ctx.data.user.inspects ? t("my_findings") : t("findings");
  screen([open.length > 8 ? filterBox(list, t("search_findings")) : null, list], { title });
}

export async function fixScreen(ctx, id) {
  const finding = ctx.data.findings.find((f) => f.id === id);
  let record = await store.get("fixes", id);
  if ((!finding && !record) || (record && record.user !== ctx.me))
    return notAvailable(ctx, `/findings/${id}`);
  record ||= newFix({ finding, user: ctx.me });
  const again = () => fixScreen(ctx, id);
  async function save() {
    record = editing(record);
    await keep(ctx, "fixes", record);
  }
  const parts = [];
  if (finding) {
    parts.push(
      el("p", { class: "muted" }, [
        [finding.site_name, finding.due ? t("due", { date: formatDate(finding.due) }) : null]
          .filter(Boolean)
          .join(" · "),
        finding.overdue ? el("span", { class: "tag off", text: t("overdue") }) : null,
      ]),
      finding.description ? el("p", { text: finding.description }) : null,
    );
  }
  const done = record.state !== "draft" && record.state !== "attention";
  if (done) {
    // Where the fix is, first: kept on the phone, sending, or with the server, which then
    // has it to verify (待验收).
    parts.push(stateLine(record));
    if (record.state === "sent") parts.push(el("p", { class: "muted", text: t("fix_to_verify") }));
  }
  if (finding?.before.length) {
    parts.push(el("h2", { text: t("before") }), thumbs(finding.before, t("before")));
  }
  if (done) {
    parts.push(
      el("h2", { text: t("after") }),
      photoStrip({ uuids: record.photos, progress: ctx.queue.state.progress }),
      record.note ? el("p", { text: record.note }) : null,
    );
    return screen(parts, { title: record.title, back: urls.home });
  }
  if (record.state === "attention" && record.error) parts.push(refusedBanner(record.error));
  const problem = el("p", {
    class: "flash flash-error",
    role: "alert",
    hidden: true,
    text: t("need_after"),
  });
  parts.push(
    el("h2", { text: t("after") }),
    draftPhotoStrip(record, save, again),
    el("label", { class: "field-label" }, [
      t("fix_note"),
      el("textarea", {
        rows: 3,
        maxlength: 2000,
        text: record.note,
        oninput: (e) => {
          record.note = e.target.value;
          save();
        },
      }),
    ]),
    problem,
    el("div", { class: "actions bottom-bar" }, [
      el("button", {
        type: "button",
        class: "primary",
        "data-action": "submit",
        text: t("mark_fixed"),
        onclick: async () => {
          if (!record.photos.length) return (problem.hidden = false);
          record = transition(record, "submit", {
            body: fixBody(record),
            photo_uuids: record.photos,
          });
          return queueToSend(ctx, "fixes", record, urls.finding(id));
        },
      }),
    ]),
  );
  screen(parts, { title: record.title, back: urls.home, editing: true });
}
