// An inspector's assignments (rounds planned by a supervisor): where each stands on this
// phone, and one assignment's screen: start its inspection, or close it as could not inspect
// (无法检查) or refused (拒检) with a reason and a photo, kept on the phone and then sent.

import { urls } from "../api.js";
import { newOutcome, outcomeBody, transition } from "../records.js";
import { store } from "../store.js";
import { el, formatDate, t } from "../ui.js";
import { notAvailable, screen, stateLine } from "./layout.js";
import { editing, keep, queueToSend } from "./keeping.js";
import { draftPhotoStrip, photoStrip } from "./photostrip.js";
import { refusedBanner } from "./inspection.js";
import { start } from "./start.js";

const SENT_OR_GOING = new Set(["waiting", "sending", "sent", "attention"]);

// Within the round's days in the deployment's time zone ([start, end) instants from the
// server), whatever time zone the phone is set to.
function within(assignment, iso) {
  const moment = Date.parse(iso);
  return moment >= Date.parse(assignment.window[0]) && moment < Date.parse(assignment.window[1]);
}

// An inspection on this phone that fulfils the assignment: same site and checklist, by its
// inspector, submitted within the round's dates (the server counts it once it has it).
export function fulfilling(assignment, inspections) {
  return inspections.find(
    (r) =>
      r.site === assignment.site &&
      r.template_doc &&
      r.template_doc.code === assignment.template_code &&
      ["waiting", "sending", "sent"].includes(r.state) &&
      r.body &&
      within(assignment, r.body.submitted_at),
  );
}

// Where an assignment stands for this phone: the server's word, or newer work made here.
export function statusOnPhone(assignment, inspections, fixes) {
  if (assignment.status !== "open") return assignment.status;
  if (fulfilling(assignment, inspections)) return "done";
  const outcome = fixes.find((f) => f.kind === "outcome" && f.uuid === assignment.id);
  if (outcome && SENT_OR_GOING.has(outcome.state)) return outcome.status;
  return "open";
}

function startButton(ctx, assignment) {
  const template = ctx.data.templates.find((x) => x.code === assignment.template_code);
  if (!template) return el("p", { class: "muted", text: t("no_checklist") });
  const site = ctx.data.sites.find((s) => s.code === assignment.site) || {
    code: assignment.site,
    name: assignment.site_name,
  };
  return el("button", {
    type: "button",
    class: "primary big",
    "data-action": "start-assignment",
    text: t("start_assignment"),
    onclick: () => start(ctx, site, template),
  });
}

function outcomeChoice(record, save) {
  return el(
    "div",
    { class: "segmented outcome-choice", role: "radiogroup", "aria-label": t("why_not") },
    ["unable", "refused"].map((status) =>
      el("button", {
        type: "button",
        class: `seg-button${record.status === status ? " chosen" : ""}`,
        role: "radio",
        "aria-checked": String(record.status === status),
        "data-outcome": status,
        text: t(`assignment_${status}`),
        onclick: async (event) => {
          record.status = status;
          for (const b of event.target.parentNode.children) {
            const on = b.dataset.outcome === status;
            b.classList.toggle("chosen", on);
            b.setAttribute("aria-checked", String(on));
          }
          await save();
        },
      }),
    ),
  );
}

export async function assignmentScreen(ctx, id) {
  const assignment = ctx.data.assignments.find((a) => a.id === id);
  let record = await store.get("fixes", id);
  if (!assignment || (record && record.user !== ctx.me)) return notAvailable(ctx);
  const { inspections, fixes } = await ctx.records();
  const status = statusOnPhone(assignment, inspections, fixes);
  const parts = [
    el("p", { class: "muted" }, [
      [
        assignment.round_title,
        `${formatDate(assignment.from)} – ${formatDate(assignment.to)}`,
        assignment.template_name,
      ].join(" · "),
    ]),
    el("p", {}, [
      el("span", {
        class: `tag assignment-${status}`,
        "data-status": status,
        text: t(`assignment_${status}`),
      }),
      status === "open" && assignment.overdue
        ? el("span", { class: "tag off", text: t("overdue") })
        : null,
    ]),
  ];
  if (record && record.state !== "draft" && record.state !== "attention") {
    parts.push(
      stateLine(record),
      el("p", { text: record.note }),
      photoStrip({ uuids: record.photos, progress: ctx.queue.state.progress }),
    );
    return screen(parts, { title: assignment.site_name, back: urls.home });
  }
  if (status !== "open") {
    const done = fulfilling(assignment, inspections);
    if (done) parts.push(el("a", { href: urls.inspection(done.uuid), text: t("the_inspection") }));
    else if (assignment.reason) parts.push(el("p", { text: assignment.reason }));
    return screen(parts, { title: assignment.site_name, back: urls.home });
  }
  record ||= newOutcome({ assignment, user: ctx.me });
  const again = () => assignmentScreen(ctx, id);
  async function save() {
    record = editing(record);
    await keep(ctx, "fixes", record);
  }
  const problem = el("p", { class: "flash flash-error", role: "alert", hidden: true });
  parts.push(
    el("div", { class: "actions" }, [startButton(ctx, assignment)]),
    el("h2", { class: "why-not", text: t("why_not") }),
    el("p", { class: "muted", text: t("why_not_hint") }),
  );
  if (record.state === "attention" && record.error) parts.push(refusedBanner(record.error));
  parts.push(
    outcomeChoice(record, save),
    el("label", { class: "field-label" }, [
      t("reason"),
      el("textarea", {
        rows: 3,
        maxlength: 2000,
        name: "reason",
        text: record.note,
        oninput: (e) => {
          record.note = e.target.value;
          save();
        },
      }),
    ]),
    draftPhotoStrip(record, save, again),
    problem,
    el("div", { class: "actions" }, [
      el("button", {
        type: "button",
        "data-action": "submit",
        text: t("close_assignment"),
        onclick: async () => {
          const missing = !record.note.trim() ? t("need_reason") : !record.photos.length;
          if (missing) {
            problem.textContent = missing === true ? t("need_evidence_photo") : missing;
            problem.hidden = false;
            return undefined;
          }
          record = transition(record, "submit", {
            body: outcomeBody(record),
            photo_uuids: record.photos,
          });
          return queueToSend(ctx, "fixes", record, urls.assignment(id));
        },
      }),
    ]),
  );
  return screen(parts, { title: assignment.site_name, back: urls.home, editing: true });
}
