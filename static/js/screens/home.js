// The field home, a work list rather than a long page: what is due for this user, in groups
// that fold away. An inspector: needs attention, returned, drafts, waiting to send, sites due
// this week, findings from their own rounds, recently sent. A lead: findings to fix.
// [data-action=start-inspection] starts an inspection (shared/CONTRACT.md).

import { urls } from "../api.js";
import { el, group, t } from "../ui.js";
import { screen } from "./layout.js";
import {
  appealRow,
  assignmentRow,
  deductionRow,
  findingRow,
  localRow,
  rowList,
  serverRow,
  siteRow,
} from "./rows.js";
import { statusOnPhone } from "./assignments.js";

const RECENT_DAYS = 7;
const FINDINGS_SHOWN = 5;
const OTHERS_SHOWN = 10; // assignments done, closed or not started yet, after those to do

// Server inspections to act on that the phone does not have as something newer.
export function serverToDo(ctx, records, status) {
  const onPhone = new Map(records.map((r) => [r.uuid, r]));
  return ctx.data.inspections.filter((i) => {
    if (i.status !== status) return false;
    const local = onPhone.get(i.id);
    return !local || (local.state === "sent" && i.updated_at > local.sent_at);
  });
}

function greeting(ctx) {
  const user = ctx.data.user;
  return el("div", { class: "home-head" }, [
    el("h1", { class: "greeting", text: t("hello", { name: user.name }) }),
    el("p", {
      class: "muted",
      text: [user.role_label, user.department_name].filter(Boolean).join(" · "),
    }),
  ]);
}

function findingsGroup(ctx, fixes, limit) {
  const busy = new Set(fixes.filter((f) => f.state !== "draft").map((f) => f.uuid));
  const open = ctx.data.findings.filter((f) => !busy.has(f.id));
  const shown = limit ? open.slice(0, limit) : open;
  const more =
    open.length > shown.length
      ? el("a", { href: urls.findings, class: "more", text: t("all_findings", { n: open.length }) })
      : null;
  const title = ctx.data.user.inspects ? t("my_findings") : t("findings");
  return group(title, open.length, [rowList(shown.map(findingRow), t("no_findings")), more], {
    name: "findings",
  });
}

// The rounds' assignments: those to do now first (the most urgent on top, and counted), then
// those of rounds not started yet, then the ones done, refused or closed.
function assignmentsGroup(ctx, inspections, fixes) {
  const rows = (ctx.data.assignments || []).map((a) => ({
    assignment: a,
    status: statusOnPhone(a, inspections, fixes),
  }));
  if (!rows.length) return null;
  const open = rows.filter((r) => r.status === "open" && r.assignment.started);
  const upcoming = rows.filter((r) => r.status === "open" && !r.assignment.started);
  const ended = rows.filter((r) => r.status !== "open");
  const rest = [...upcoming, ...ended].slice(0, OTHERS_SHOWN);
  return group(
    t("my_assignments"),
    open.length,
    [rowList([...open, ...rest].map((r) => assignmentRow(r.assignment, r.status)))],
    { name: "assignments", open: open.length > 0 },
  );
}

function inspectorGroups(ctx, inspections, fixes) {
  const mine = inspections.filter((r) => r.user === ctx.me);
  const by = (...states) => mine.filter((r) => states.includes(r.state));
  const since = new Date(Date.now() - RECENT_DAYS * 86400000).toISOString();
  const returned = serverToDo(ctx, mine, "returned");
  const serverDrafts = serverToDo(ctx, mine, "draft");
  const attention = [...by("attention"), ...fixes.filter((f) => f.state === "attention")];
  const waiting = [
    ...by("waiting", "sending"),
    ...fixes.filter((f) => f.state === "waiting" || f.state === "sending"),
  ];
  const drafts = by("draft");
  const sent = [...by("sent"), ...fixes.filter((f) => f.state === "sent")].filter(
    (r) => r.sent_at > since,
  );
  const due = ctx.data.due_sites;
  return [
    attention.length
      ? group(t("needs_attention"), attention.length, [rowList(attention.map(localRow))], {
          name: "attention",
        })
      : null,
    returned.length
      ? group(t("returned"), returned.length, [rowList(returned.map(serverRow))], {
          name: "returned",
        })
      : null,
    assignmentsGroup(ctx, inspections, fixes),
    group(
      t("drafts"),
      drafts.length + serverDrafts.length,
      [rowList([...drafts.map(localRow), ...serverDrafts.map(serverRow)], t("no_drafts"))],
      { name: "drafts" },
    ),
    waiting.length
      ? group(t("waiting_group"), waiting.length, [rowList(waiting.map(localRow))], {
          name: "waiting",
        })
      : null,
    group(
      t("due_sites"),
      due.length,
      [
        rowList(
          due.map((site) => siteRow(site, urls.startAt(site.code))),
          t("no_due_sites"),
        ),
      ],
      { name: "due", open: due.length > 0 },
    ),
    findingsGroup(ctx, fixes, FINDINGS_SHOWN),
    group(t("recently_sent"), sent.length, [rowList(sent.map(localRow), t("nothing_sent"))], {
      name: "sent",
      open: false,
    }),
  ];
}

// A lead's appeals: deductions still open to appeal (none already on this phone), then the
// department's appeals with their rulings.
function appealGroups(ctx, appeals) {
  const onPhone = new Set(appeals.map((a) => `${a.inspection}/${a.item}`));
  const drafts = appeals.filter((a) => a.state === "draft");
  const data = ctx.data.appeals || { appealable: [], appeals: [] }; // data kept before appeals
  const open = data.appealable.filter((d) => !onPhone.has(`${d.inspection}/${d.item}`));
  const filed = data.appeals;
  return [
    group(
      t("deductions"),
      open.length + drafts.length,
      [rowList([...drafts.map(localRow), ...open.map(deductionRow)], t("no_deductions"))],
      { name: "deductions", open: open.length + drafts.length > 0 },
    ),
    filed.length
      ? group(t("appeals"), filed.length, [rowList(filed.map(appealRow))], {
          name: "appeals",
          open: false,
        })
      : null,
  ];
}

function leadGroups(ctx, fixes, appeals) {
  const mine = [...fixes, ...appeals.filter((a) => a.state !== "draft")].filter(
    (f) => f.user === ctx.me,
  );
  const attention = mine.filter((f) => f.state === "attention");
  const waiting = mine.filter((f) => f.state === "waiting" || f.state === "sending");
  const sent = mine.filter((f) => f.state === "sent");
  return [
    attention.length
      ? group(t("needs_attention"), attention.length, [rowList(attention.map(localRow))], {
          name: "attention",
        })
      : null,
    findingsGroup(ctx, mine, 0),
    ...appealGroups(
      ctx,
      appeals.filter((a) => a.user === ctx.me),
    ),
    waiting.length
      ? group(t("waiting_group"), waiting.length, [rowList(waiting.map(localRow))], {
          name: "waiting",
        })
      : null,
    group(t("recently_sent"), sent.length, [rowList(sent.map(localRow), t("nothing_sent"))], {
      name: "sent",
      open: false,
    }),
  ];
}

export async function homeScreen(ctx) {
  const { inspections, fixes: fixesOnly, appeals, activities } = await ctx.records();
  const fixes = [...fixesOnly, ...activities]; // both are worked and sent the same way
  const inspects = ctx.data.user.inspects;
  screen([
    greeting(ctx),
    inspects
      ? el("a", {
          href: urls.start,
          class: "button primary big start",
          "data-action": "start-inspection",
          text: t("start"),
        })
      : null,
    (ctx.data.activity_kinds || []).length
      ? el("a", {
          href: urls.newActivity,
          class: "button big",
          "data-action": "record-activity",
          text: t("record_activity"),
        })
      : null,
    ...(inspects ? inspectorGroups(ctx, inspections, fixes) : leadGroups(ctx, fixes, appeals)),
  ]);
}
