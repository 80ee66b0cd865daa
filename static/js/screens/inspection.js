// The inspection screen: every item of the checklist, a live score and progress, and each
// change kept on the phone the moment it is made ("saved on this phone" shows only once
// IndexedDB has committed it). [data-action=submit] leads to the review before submitting.

import { urls } from "../api.js";
import { position } from "../photos.js";
import { canTransition, transition } from "../records.js";
import { items, progress, scoreInspection } from "../score.js";
import { store } from "../store.js";
import { el, percentText, t } from "../ui.js";
import { answerControl, itemHeader, markCard, noteBox } from "./item.js";
import { errorText, notAvailable, replace, screen } from "./layout.js";
import { keepPhotos, photoStrip } from "./photostrip.js";
import { receiptScreen } from "./receipt.js";

export async function inspectionScreen(ctx, uuid) {
  let record = await store.get("inspections", uuid);
  if (!record || record.user !== ctx.me) return notAvailable(ctx, `/inspections/${uuid}`);
  if (record.state !== "draft" && record.state !== "attention") return receiptScreen(ctx, record);
  const template = record.template_doc;
  const figures = el("span", { class: "progress" });
  const score = el("span", { class: "live-score" });
  const saved = el("span", { class: "save-state", role: "status" });

  function refreshFigures() {
    const answers = Object.fromEntries(
      Object.entries(record.answers).map(([k, e]) => [k, e.answer]),
    );
    const p = progress(template, answers);
    figures.textContent = t("answered", { done: p.done, total: p.total });
    score.textContent = percentText(scoreInspection(items(template), answers).percent);
  }

  // Every change: kept on the phone at once; the words follow the commit.
  async function save() {
    if (record.state === "attention" && canTransition(record, "edit"))
      record = transition(record, "edit");
    record.updated_at = new Date().toISOString();
    saved.textContent = t("saving");
    saved.className = "save-state saving";
    refreshFigures();
    try {
      await store.put("inspections", record);
      saved.textContent = t("saved_on_phone");
      saved.className = "save-state saved";
    } catch {
      saved.textContent = t("not_saved");
      saved.className = "save-state failed";
    }
    ctx.refreshSync();
  }

  function entryOf(item) {
    record.answers[item.key] ||= { answer: null, note: "", photos: [] };
    return record.answers[item.key];
  }

  function card(item) {
    const entry = entryOf(item);
    const node = el("article", {
      class: "item-card",
      id: `item-${item.key}`,
      "data-item": item.key,
      "data-type": item.type,
    });
    const set = (answer, { typing = false } = {}) => {
      entry.answer = answer;
      save();
      if (!typing)
        replace(node, card(item)); // pressed buttons and steppers drawn anew
      else markCard(node, item, entry);
    };
    const strip = photoStrip({
      uuids: entry.photos,
      remote: record.remote_photos || [],
      hint: item.photo_on_fail ? t("photo_required") : null,
      onRemove: async (photo) => {
        entry.photos = entry.photos.filter((u) => u !== photo);
        if (!(record.remote_photos || []).includes(photo)) await store.remove("photos", photo);
        await save();
        replace(node, card(item));
      },
      onAdd: async (files, oneDone) => {
        const added = await keepPhotos(files, record.user, oneDone);
        entry.photos = [...entry.photos, ...added];
        await save();
        const shown = document.getElementById(`item-${item.key}`);
        if (shown) replace(shown, card(item));
      },
    });
    // DOM append writes a null as the text "null": a text item has no note box.
    const note =
      item.type !== "text" &&
      noteBox(entry, (event) => {
        entry.note = event.target.value;
        save();
      });
    node.append(
      ...[...itemHeader(item), answerControl(item, entry, set), note, strip].filter(Boolean),
    );
    markCard(node, item, entry);
    return node;
  }

  const banners = [];
  if (record.returned) {
    banners.push(
      el("p", { class: "flash flash-error", role: "alert" }, [
        el("strong", { text: t("returned_for") }),
        ` ${record.returned.comment || ""}`,
      ]),
    );
  }
  if (record.state === "attention" && record.error) banners.push(refusedBanner(record.error));
  const body = [];
  for (const section of template.sections) {
    body.push(el("h2", { class: "section-title", text: section.title }));
    for (const item of section.items) body.push(card(item));
  }
  screen(
    [
      el("div", { class: "scorebar" }, [
        el("div", { class: "scorebar-title" }, [
          el("strong", { text: record.site_name }),
          el("span", { class: "muted", text: template.name }),
        ]),
        el("div", { class: "scorebar-figures" }, [figures, score]),
        saved,
      ]),
      ...banners,
      ...body,
      el("div", { class: "actions bottom-bar" }, [
        el("a", {
          href: urls.review(record.uuid),
          class: "button primary",
          "data-action": "submit",
          text: t("review_submit"),
        }),
      ]),
      record.returned ? null : discardBox(ctx, record),
    ],
    { back: urls.home, editing: true },
  );
  refreshFigures();
  saved.textContent = t("saved_on_phone");
  saved.className = "save-state saved";
  if (!record.location) {
    // Where the inspection is made, if the inspector allows it.
    position().then((where) => {
      if (where && !record.location) {
        record.location = where;
        save();
      }
    });
  }
}

export function refusedBanner(error) {
  return el("div", { class: "flash flash-error", role: "alert" }, [
    el("strong", { text: t("refused") }),
    ` ${errorText(error)}`,
    el(
      "ul",
      {},
      Object.entries(error.fields || {}).map(([f, m]) => el("li", { text: `${f}: ${m}` })),
    ),
  ]);
}

function discardBox(ctx, record) {
  return el("details", { class: "discard" }, [
    el("summary", { text: t("delete_draft") }),
    el("p", { class: "muted", text: t("confirm_delete") }),
    el("button", {
      type: "button",
      class: "danger",
      text: t("delete_draft"),
      onclick: async () => {
        const photos = Object.values(record.answers).flatMap((e) => e.photos || []);
        await Promise.all(photos.map((u) => store.remove("photos", u)));
        await store.remove("inspections", record.uuid);
        ctx.refreshSync();
        ctx.go(urls.home, { replace: true });
      },
    }),
  ]);
}
