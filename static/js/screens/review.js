// Review before submitting: the score the phone works out, what is still missing (each a link
// back to its item), a warning when today's score period is closed, and [data-action=submit].
// Submitting replaces this screen in the history: Back shows the submitted inspection.

import { urls } from "../api.js";
import { inspectionBody, localPhotos, transition } from "../records.js";
import { items, problems, scoreInspection } from "../score.js";
import { store } from "../store.js";
import { el, formatDate, percentText, t } from "../ui.js";
import { queueToSend } from "./keeping.js";
import { notAvailable, screen } from "./layout.js";
import { signatureCard } from "./signature.js";

export async function reviewScreen(ctx, uuid) {
  const record = await store.get("inspections", uuid);
  if (!record || record.user !== ctx.me) return notAvailable(ctx, `/inspections/${uuid}`);
  if (record.state !== "draft" && record.state !== "attention") {
    return ctx.go(urls.inspection(uuid), { replace: true });
  }
  const template = record.template_doc;
  const answers = Object.fromEntries(Object.entries(record.answers).map(([k, e]) => [k, e.answer]));
  const score = scoreInspection(items(template), answers);
  const missing = problems(template, record.answers);
  const closed = ctx.data.closed_period;
  const parts = [
    el("section", { class: "card" }, [
      el("p", { class: "muted", text: template.name }),
      el("div", { class: `big-score${score.critical_failed ? " bad" : ""}` }, [
        el("span", { class: "figure", text: percentText(score.percent) }),
        el("span", {
          class: "label",
          text: t("earned_of", { earned: score.earned, possible: score.possible }),
        }),
      ]),
      score.critical_failed
        ? el("p", { class: "flash flash-error", text: t("veto_warning") })
        : null,
    ]),
    closed
      ? el("p", {
          class: "flash flash-error closed-period",
          role: "alert",
          text: t("period_closed", {
            first: formatDate(closed.first),
            last: formatDate(closed.last),
          }),
        })
      : null,
  ];
  if (missing.length) {
    parts.push(
      el("section", { class: "card field-problems" }, [
        el("h2", { text: t("missing") }),
        el(
          "ul",
          { class: "problems" },
          missing.map((p) =>
            el("li", {}, [
              el("a", { href: `${urls.inspection(uuid)}#item-${p.item.key}`, text: p.item.text }),
              ` — ${t(p.what)}`,
            ]),
          ),
        ),
        el("a", {
          class: "button primary",
          href: urls.inspection(uuid),
          text: t("back_to_checklist"),
        }),
      ]),
    );
  } else {
    const signatures = signatureCard();
    parts.push(
      signatures.node,
      el("section", { class: "card" }, [
        el("h2", { text: t("ready") }),
        el("p", { text: t("ready_text") }),
        el("div", { class: "actions" }, [
          el("button", {
            type: "button",
            class: "primary",
            "data-action": "submit",
            text: t("submit"),
            onclick: () => submit(ctx, record, signatures),
          }),
          el("a", { class: "button", href: urls.inspection(uuid), text: t("back_to_checklist") }),
        ]),
      ]),
    );
  }
  screen(parts, { title: record.site_name, back: urls.inspection(uuid) });
}

async function submit(ctx, record, signatures) {
  record = { ...record, signatures: await signatures.keep(ctx.me) };
  const body = inspectionBody(record);
  const queued = transition(record, "submit", { body, photo_uuids: localPhotos(record) });
  return queueToSend(ctx, "inspections", queued, urls.inspection(record.uuid));
}
