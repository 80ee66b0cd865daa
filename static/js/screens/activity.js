// Recording an activity on the phone in a minute: kind, title, date, department, place, how
// many took part, what was done, photos and documents. Kept on the phone as it is typed, then
// sent by the queue (PUT /api/v1/activities/{uuid}), offline too.

import { urls } from "../api.js";
import { activityBody, newActivity, transition } from "../records.js";
import { store } from "../store.js";
import { el, newUuid, t } from "../ui.js";
import { notAvailable, screen, stateLine } from "./layout.js";
import { editing, keep, queueToSend } from "./keeping.js";
import { documentList, draftDocumentList } from "./documents.js";
import { draftPhotoStrip, photoStrip } from "./photostrip.js";
import { refusedBanner } from "./inspection.js";

export function newActivityScreen(ctx) {
  ctx.go(urls.activity(newUuid()), { replace: true });
}

function field(label, control) {
  return el("label", { class: "field-label" }, [label, control]);
}

function choice(name, options, value, onChange) {
  return el(
    "select",
    { name, onchange: (e) => onChange(e.target.value) },
    options.map(([code, text]) => el("option", { value: code, text, selected: code === value })),
  );
}

function sentView(ctx, record) {
  const kind = ctx.data.activity_kinds.find((k) => k.code === record.activity_kind);
  return screen(
    [
      stateLine(record),
      el("p", { class: "muted", text: `${kind ? kind.name : ""} · ${record.date}` }),
      photoStrip({ uuids: record.photos, progress: ctx.queue.state.progress }),
      documentList({ uuids: record.files || [], progress: ctx.queue.state.progress }),
      record.description ? el("p", { text: record.description }) : null,
    ],
    { title: record.title, back: urls.home },
  );
}

export async function activityScreen(ctx, uuid) {
  const kinds = ctx.data.activity_kinds || [];
  let record = await store.get("activities", uuid);
  if ((record && record.user !== ctx.me) || !kinds.length) return notAvailable(ctx);
  record ||= newActivity({
    uuid,
    user: ctx.me,
    kind: kinds[0].code,
    date: ctx.data.today,
    department: ctx.data.user.department,
  });
  if (record.state !== "draft" && record.state !== "attention") return sentView(ctx, record);
  const again = () => activityScreen(ctx, uuid);
  async function save() {
    record = editing(record);
    await keep(ctx, "activities", record);
  }
  const set = (name) => (value) => {
    record[name] = value;
    save();
  };
  const typed = (name) => (e) => set(name)(e.target.value);
  const departments = (ctx.data.departments || []).map((d) => [d.code, d.name]);
  const lead = ctx.data.user.role === "lead";
  const problem = el("p", { class: "flash flash-error", role: "alert", hidden: true });
  screen(
    [
      record.state === "attention" && record.error ? refusedBanner(record.error) : null,
      field(
        t("activity_kind"),
        choice(
          "kind",
          kinds.map((k) => [k.code, k.name]),
          record.activity_kind,
          set("activity_kind"),
        ),
      ),
      field(
        t("activity_title"),
        el("input", {
          name: "title",
          maxlength: 200,
          value: record.title,
          required: true,
          oninput: typed("title"),
        }),
      ),
      field(
        t("activity_date"),
        el("input", {
          name: "date",
          type: "date",
          value: record.date,
          required: true,
          onchange: typed("date"),
        }),
      ),
      field(
        t("activity_department"),
        choice(
          "department",
          lead ? departments : [["", t("whole_unit")], ...departments],
          record.department || "",
          set("department"),
        ),
      ),
      field(
        t("activity_place"),
        el("input", {
          name: "place",
          maxlength: 200,
          value: record.place,
          oninput: typed("place"),
        }),
      ),
      field(
        t("activity_participants"),
        el("input", {
          name: "participants",
          type: "number",
          inputmode: "numeric",
          min: 0,
          value: record.participants,
          oninput: typed("participants"),
        }),
      ),
      field(
        t("activity_description"),
        el("textarea", {
          name: "description",
          rows: 3,
          maxlength: 2000,
          text: record.description,
          oninput: typed("description"),
        }),
      ),
      draftPhotoStrip(record, save, again),
      draftDocumentList(record, save, again, ctx.data.file_max_bytes),
      problem,
      el("div", { class: "actions bottom-bar" }, [
        el("button", {
          type: "button",
          class: "primary",
          "data-action": "submit",
          text: t("save_activity"),
          onclick: async () => {
            if (!record.title.trim() || !record.date) {
              problem.textContent = t("need_title");
              problem.hidden = false;
              return undefined;
            }
            record = transition(record, "submit", {
              body: activityBody(record),
              photo_uuids: [...record.photos, ...(record.files || [])],
            });
            return queueToSend(ctx, "activities", record, urls.activity(uuid));
          },
        }),
      ]),
    ],
    { title: t("record_activity"), back: urls.home, editing: true },
  );
  return undefined;
}
