// Rows of the work lists: an inspection or a fix on this phone, one on the server, a site due,
// a finding to fix. Each is a link to its screen, with its state in words.

import { urls } from "../api.js";
import { el, formatDate, formatDateTime, percentText, t } from "../ui.js";
import { errorText, stateTag } from "./layout.js";

const LINKS = {
  fix: (r) => urls.finding(r.uuid),
  appeal: (r) => urls.appeal(r.inspection, r.item),
  withdrawal: (r) => urls.appeal(r.inspection, r.item),
  outcome: (r) => urls.assignment(r.uuid),
  inspection: (r) => urls.inspection(r.uuid),
};

export function localRow(record) {
  if (record.kind === "activity") return activityRow(record);
  const kind = record.kind || "inspection";
  const flat = kind !== "inspection";
  const href = LINKS[kind](record);
  const title = flat ? record.title : record.site_name;
  let detail = flat ? record.site_name : record.template_doc.name;
  if (kind === "appeal") detail = `${t("appeal")} · ${detail}`;
  if (kind === "withdrawal") detail = `${t("withdraw_appeal")} · ${detail}`;
  if (record.state === "sent" && record.result && record.result.score) {
    detail += ` · ${t("score", { percent: percentText(record.result.score.percent) })}`;
  }
  const veto = record.state === "sent" && record.result && record.result.critical_failed;
  const body = [
    el("span", { class: "row-main" }, [el("strong", { text: title }), stateTag(record)]),
    el("span", {
      class: "muted",
      text: `${detail} · ${formatDateTime(record.sent_at || record.updated_at)}`,
    }),
    veto ? el("span", { class: "tag off", text: t("veto") }) : null,
    record.state === "attention" && record.error
      ? el("span", { class: "field-error", text: errorText(record.error) })
      : null,
  ];
  return el("li", { "data-uuid": record.uuid, "data-state": record.state }, [
    el("a", { href, class: "row-link" }, body),
  ]);
}

function activityRow(record) {
  const body = [
    el("span", { class: "row-main" }, [
      el("strong", { text: record.title || t("activity") }),
      stateTag(record),
    ]),
    el("span", { class: "muted", text: `${t("activity")} · ${formatDate(record.date)}` }),
    record.state === "attention" && record.error
      ? el("span", { class: "field-error", text: errorText(record.error) })
      : null,
  ];
  return el("li", { "data-uuid": record.uuid, "data-state": record.state }, [
    el("a", { href: urls.activity(record.uuid), class: "row-link" }, body),
  ]);
}

const SERVER_STATUS = {
  draft: "status_draft",
  returned: "status_returned",
  submitted: "status_submitted",
  approved: "status_approved",
};

export function serverRow(inspection) {
  const editable = inspection.status === "draft" || inspection.status === "returned";
  const href = editable ? urls.inspection(inspection.id) : urls.serverInspection(inspection.id);
  const when = inspection.submitted_at || inspection.updated_at;
  return el("li", { "data-uuid": inspection.id, "data-status": inspection.status }, [
    el("a", { href, class: "row-link" }, [
      el("span", { class: "row-main" }, [
        el("strong", { text: inspection.site_name }),
        el("span", {
          class: `tag status-${inspection.status}`,
          text: t(SERVER_STATUS[inspection.status]),
        }),
      ]),
      el("span", {
        class: "muted",
        text: `${inspection.template_name} · ${formatDateTime(when)}${editable ? "" : ` · ${percentText(inspection.percent)}`}`,
      }),
      inspection.review && inspection.review.comment
        ? el("span", { class: "review-note returned", text: inspection.review.comment })
        : null,
      inspection.amended
        ? el("span", { class: "tag appeal-overturned", text: t("appeal_overturned") })
        : null,
    ]),
  ]);
}

export function siteRow(site, href) {
  return el("li", { "data-text": `${site.name} ${site.code} ${site.department}` }, [
    el("a", { href, class: "row-link", "data-site": site.code }, [
      el("span", { class: "row-main" }, [
        el("strong", { text: site.name }),
        site.due ? el("span", { class: `tag due-${site.due}`, text: t(`site_${site.due}`) }) : null,
      ]),
      el("span", {
        class: "muted",
        text: [
          site.kind_label,
          site.department,
          site.last_visit ? t("last_visit", { date: formatDate(site.last_visit) }) : null,
        ]
          .filter(Boolean)
          .join(" · "),
      }),
    ]),
  ]);
}

// An assignment of a round: the site, the round and its last day, where it stands.
export function assignmentRow(assignment, status) {
  // A round that has not started yet is not work to do now, and says so.
  let [kind, words] = [`assignment-${status}`, `assignment_${status}`];
  if (status === "open" && assignment.overdue) [kind, words] = ["off", "overdue"];
  if (status === "open" && assignment.started === false)
    [kind, words] = ["assignment-upcoming", "assignment_upcoming"];
  const tag = el("span", { class: `tag ${kind}`, text: t(words) });
  return el(
    "li",
    {
      "data-text": `${assignment.site_name} ${assignment.site} ${assignment.round_title}`,
      "data-assignment": assignment.id,
      "data-status": status,
    },
    [
      el("a", { href: urls.assignment(assignment.id), class: "row-link" }, [
        el("span", { class: "row-main" }, [el("strong", { text: assignment.site_name }), tag]),
        el("span", {
          class: "muted",
          text: `${assignment.round_title} · ${t("until", { date: formatDate(assignment.to) })}`,
        }),
      ]),
    ],
  );
}

export function findingRow(finding) {
  const due = finding.overdue
    ? el("span", { class: "tag off", text: t("overdue") })
    : finding.due
      ? el("span", { class: "tag", text: t("due", { date: formatDate(finding.due) }) })
      : null;
  return el(
    "li",
    { "data-text": `${finding.title} ${finding.site_name}`, "data-finding": finding.id },
    [
      el("a", { href: urls.finding(finding.id), class: "row-link" }, [
        el("span", { class: "row-main" }, [el("strong", { text: finding.title }), due]),
        el("span", { class: "muted", text: `${finding.site_name} · ${finding.department}` }),
      ]),
    ],
  );
}

// A deduction the lead may still appeal (field data appeals.appealable).
export function deductionRow(deduction) {
  return el("li", { "data-deduction": `${deduction.inspection}/${deduction.item}` }, [
    el("a", { href: urls.appeal(deduction.inspection, deduction.item), class: "row-link" }, [
      el("span", { class: "row-main" }, [
        el("strong", { text: deduction.item_text }),
        el("span", { class: "tag off", text: deduction.answer }),
      ]),
      el("span", {
        class: "muted",
        text: `${deduction.site_name} · ${t("appeal_until", { when: formatDateTime(deduction.deadline) })}`,
      }),
    ]),
  ]);
}

// An appeal on the server, with its ruling.
// One of the department's appeals. The lead's own open on the phone (where they may withdraw
// it, offline too); the others on the server.
export function appealRow(appeal) {
  const href = appeal.mine
    ? urls.appeal(appeal.inspection, appeal.item)
    : urls.serverAppeal(appeal.id);
  return el("li", { "data-appeal": appeal.id, "data-status": appeal.status }, [
    el("a", { href, class: "row-link" }, [
      el("span", { class: "row-main" }, [
        el("strong", { text: appeal.item_text }),
        el("span", { class: `tag appeal-${appeal.status}`, text: t(`appeal_${appeal.status}`) }),
      ]),
      el("span", {
        class: "muted",
        text: `${appeal.site_name} · ${formatDateTime(appeal.created_at)}`,
      }),
      appeal.comment ? el("span", { class: "review-note", text: appeal.comment }) : null,
    ]),
  ]);
}

export function rowList(rows, emptyText) {
  if (!rows.length) return el("p", { class: "muted empty", text: emptyText });
  return el("ul", { class: "rows" }, rows);
}
