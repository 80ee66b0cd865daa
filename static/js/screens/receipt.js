// A submitted inspection as the phone has it: what was answered, the score, and, in words that
// never run ahead of the server, where it is: saved on this phone and waiting, sending (each
// photo with its progress), sent (the server's own score), or refused with its reason.

import { urls } from "../api.js";
import { items, scoreInspection } from "../score.js";
import { el, formatDateTime, percentText, t } from "../ui.js";
import { refusedBanner } from "./inspection.js";
import { screen, stateLine, stateTag } from "./layout.js";
import { photoStrip } from "./photostrip.js";

function answerText(item, answer) {
  if (answer === null || answer === undefined || answer === "") return "—";
  if (answer === "na") return t("na");
  if (item.type === "check") return t(answer);
  if (item.type === "deduct") return t("n_cases", { n: answer.count });
  return String(answer);
}

export function receiptScreen(ctx, record) {
  const template = record.template_doc;
  const answers = Object.fromEntries(Object.entries(record.answers).map(([k, e]) => [k, e.answer]));
  const sent = record.state === "sent" && record.result;
  const score = sent
    ? { ...record.result.score, critical_failed: record.result.critical_failed }
    : scoreInspection(items(template), answers);
  const rows = [];
  for (const item of items(template)) {
    const entry = record.answers[item.key];
    if (!entry) continue;
    rows.push(
      el("li", {}, [
        el("span", { class: "item-text", text: item.text }),
        el("span", { class: "answer", text: answerText(item, entry.answer) }),
        entry.note ? el("p", { class: "hint", text: entry.note }) : null,
        (entry.photos || []).length
          ? photoStrip({
              uuids: entry.photos,
              remote: record.remote_photos || [],
              progress: ctx.queue.state.progress,
            })
          : null,
      ]),
    );
  }
  screen(
    [
      el(
        "section",
        { class: "card receipt", "data-record": record.uuid, "data-state": record.state },
        [
          el("div", { class: "page-head" }, [
            el("h1", { text: record.site_name }),
            stateTag(record),
          ]),
          el("p", { class: "muted", text: template.name }),
          stateLine(record),
          el("div", { class: `big-score${score.critical_failed ? " bad" : ""}` }, [
            el("span", { class: "figure", text: percentText(score.percent) }),
            el("span", { class: "label", text: sent ? t("server_score") : t("phone_score") }),
          ]),
          score.critical_failed
            ? el("p", { class: "flash flash-error", text: t("veto_warning") })
            : null,
          record.body
            ? el("p", {
                class: "muted",
                text: t("submitted_at", { when: formatDateTime(record.body.submitted_at) }),
              })
            : null,
          record.state === "attention" && record.error ? refusedBanner(record.error) : null,
          el("div", { class: "actions" }, [
            sent
              ? el("a", {
                  class: "button",
                  href: urls.serverInspection(record.uuid),
                  text: t("open_on_server"),
                })
              : null,
            el("a", { class: "button", href: urls.home, text: t("back_home") }),
          ]),
        ],
      ),
      el("section", { class: "card" }, [el("ul", { class: "answers-list" }, rows)]),
    ],
    { back: urls.home },
  );
}
