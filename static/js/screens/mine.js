// My inspections and drafts: what is on this phone (in any state) and what the server has
// of mine (drafts and returned ones to take up here, submitted and approved ones to read).

import { urls } from "../api.js";
import { el, group, t } from "../ui.js";
import { notAvailable, screen } from "./layout.js";
import { localRow, rowList, serverRow } from "./rows.js";
import { serverToDo } from "./home.js";

export async function mineScreen(ctx) {
  if (!ctx.data.user.inspects) return notAvailable(ctx);
  const { inspections } = await ctx.records();
  const mine = inspections.filter((r) => r.user === ctx.me);
  const onPhone = new Set(mine.map((r) => r.uuid));
  const by = (...states) => mine.filter((r) => states.includes(r.state)).map(localRow);
  const server = (status) => serverToDo(ctx, mine, status).map(serverRow);
  const done = ctx.data.inspections.filter(
    (i) => (i.status === "submitted" || i.status === "approved") && !onPhone.has(i.id),
  );
  const unsent = by("attention", "waiting", "sending");
  const groups = [
    unsent.length ? group(t("waiting_group"), unsent.length, [rowList(unsent)]) : null,
    group(t("returned"), server("returned").length, [rowList(server("returned"), t("none"))]),
    group(t("drafts"), by("draft").length + server("draft").length, [
      rowList([...by("draft"), ...server("draft")], t("no_drafts")),
    ]),
    // Folded when long: the page stays a list of what to do, not a 4,000 px archive.
    group(
      t("submitted_group"),
      by("sent").length + done.length,
      [rowList([...by("sent"), ...done.map(serverRow)], t("none"))],
      { open: by("sent").length + done.length <= 5 },
    ),
  ];
  screen(
    [
      el("a", {
        href: urls.start,
        class: "button primary start",
        "data-action": "start-inspection",
        text: t("start"),
      }),
      ...groups,
    ],
    { title: t("my_inspections") },
  );
}
