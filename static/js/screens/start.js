// Starting an inspection: the site ([data-site=CODE]; searchable, the ones visited last and
// the ones due first), then the checklist ([data-template=ID]; the one suited to the site
// first, with as many items as the progress bar will count; only those used at the site's
// kind, and drafts only for the admins trying them, marked). A draft already on the phone
// for the same site and checklist is continued, never doubled.

import { urls } from "../api.js";
import { newInspection } from "../records.js";
import { isScored, items } from "../score.js";
import { store } from "../store.js";
import { el, newUuid, t } from "../ui.js";
import { filterBox, notAvailable, screen } from "./layout.js";
import { siteRow } from "./rows.js";

export function sitesScreen(ctx) {
  if (!ctx.data.user.inspects) return notAvailable(ctx);
  const list = el(
    "ul",
    { class: "rows field-sites" },
    ctx.data.sites.map((s) => siteRow(s, urls.startAt(s.code))),
  );
  screen([filterBox(list, t("search")), list], { title: t("choose_site"), back: urls.home });
}

export function checklistScreen(ctx, code) {
  const site = ctx.data.sites.find((s) => s.code === code);
  if (!site) return notAvailable(ctx);
  const templates = ctx.data.templates
    .filter(suits(site))
    .sort(
      (a, b) =>
        (a.code !== site.suggested) - (b.code !== site.suggested) || a.name.localeCompare(b.name),
    );
  const choices = templates.map((template) => {
    const count = items(template).filter(isScored).length;
    const suggested = template.code === site.suggested;
    return el(
      "button",
      {
        type: "button",
        class: `choice-card${suggested ? " suggested" : ""}`,
        "data-template": String(template.id),
        onclick: () => start(ctx, site, template),
      },
      [
        el("strong", { text: template.name }),
        el("span", {
          class: "muted",
          text: [
            t("n_items", { n: count }),
            suggested ? t("suggested") : null,
            template.status === "draft" ? t("draft_checklist") : null,
          ]
            .filter(Boolean)
            .join(" · "),
        }),
      ],
    );
  });
  screen(
    [
      el("p", { class: "muted", text: [site.kind_label, site.department].join(" · ") }),
      el("h2", { text: t("choose_checklist") }),
      choices.length
        ? el("div", { class: "choices" }, choices)
        : el("p", { class: "empty", text: t("no_checklists") }),
    ],
    { title: site.name, back: urls.start },
  );
}

// A checklist limited to some site kinds is offered only there (none listed: everywhere).
const suits = (site) => (template) =>
  !template.site_kinds?.length || template.site_kinds.includes(site.kind);

export async function start(ctx, site, template) {
  const all = await store.all("inspections");
  const open = all.find(
    (r) =>
      r.user === ctx.me &&
      (r.state === "draft" || r.state === "attention") &&
      r.site === site.code &&
      r.template === template.id,
  );
  if (open) return ctx.go(urls.inspection(open.uuid), { replace: true });
  const record = newInspection({ uuid: newUuid(), user: ctx.me, site, template });
  await store.put("inspections", record);
  return ctx.go(urls.inspection(record.uuid), { replace: true });
}
