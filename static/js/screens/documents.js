// An activity's documents (notices, sign-in sheets, minutes: PDF, DOCX, XLSX) attached on the
// phone, offline too: kept in IndexedDB beside the photos, sent by the queue before the record
// (PUT /api/v1/files/{uuid}), where the server reads each one's kind from its bytes.

import { store } from "../store.js";
import { el, newUuid, t } from "../ui.js";

export const ACCEPTED = [
  ".pdf",
  ".docx",
  ".xlsx",
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
].join(",");

export function sizeText(bytes) {
  if (bytes < 1000 * 1000) return `${Math.max(1, Math.round(bytes / 1000))} KB`;
  return `${(bytes / 1000 / 1000).toFixed(1)} MB`;
}

// Keep each file on the phone; answer {uuids, tooBig: names over maxBytes (not kept)}.
export async function keepDocuments(files, user, maxBytes) {
  const uuids = [];
  const tooBig = [];
  for (const file of files) {
    if (maxBytes && file.size > maxBytes) {
      tooBig.push(file.name);
      continue;
    }
    const upload = {
      uuid: newUuid(),
      user,
      kind: "file",
      name: file.name,
      bytes: await file.arrayBuffer(),
      type: file.type || "application/octet-stream",
      size: file.size,
      sent: false,
    };
    await store.put("photos", upload);
    uuids.push(upload.uuid);
  }
  return { uuids, tooBig };
}

function row(uuid, { progress, onRemove }) {
  const name = el("span", { class: "document-name" });
  const state = el("span", { class: "muted small" });
  const node = el("li", { class: "document", "data-document": uuid }, [name, state]);
  store.get("photos", uuid).then((upload) => {
    name.textContent = upload ? upload.name : t("document");
    const where = !upload
      ? t("photo_sent")
      : progress !== undefined
        ? t("photo_sending", { percent: Math.round(progress * 100) })
        : upload.sent
          ? t("photo_uploaded")
          : t("photo_on_phone");
    state.textContent = upload ? `${sizeText(upload.size)} · ${where}` : where;
    node.dataset.documentState = !upload || upload.sent ? "on-server" : "on-phone";
  });
  if (onRemove) {
    node.append(
      el("button", {
        type: "button",
        class: "delete-photo",
        "aria-label": t("delete_document"),
        text: t("delete"),
        onclick: () => onRemove(uuid),
      }),
    );
  }
  return node;
}

// uuids: the documents; onAdd(files) keeps new ones; onRemove(uuid) drops one.
export function documentList({ uuids, progress = {}, onAdd = null, onRemove = null }) {
  const list = el(
    "ul",
    { class: "documents" },
    uuids.map((uuid) => row(uuid, { progress: progress[uuid], onRemove })),
  );
  if (!onAdd) return uuids.length ? list : null;
  const problem = el("p", { class: "field-error", role: "alert", hidden: true });
  const input = el("input", { type: "file", accept: ACCEPTED, multiple: true, name: "documents" });
  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = "";
    if (files.length) onAdd(files, problem);
  });
  const button = el("label", { class: "button attach" }, [
    input,
    el("span", { text: t("attach") }),
  ]);
  return el("div", { class: "document-list" }, [
    el("h2", { text: t("documents") }),
    list,
    problem,
    button,
    el("p", { class: "hint", text: t("documents_hint") }),
  ]);
}

// The documents of an activity being recorded: kept on the phone, removed from it, the
// record saved each time; files over the server's limit are named and left out.
export function draftDocumentList(record, save, again, maxBytes) {
  return documentList({
    uuids: record.files || [],
    onRemove: async (uuid) => {
      record.files = record.files.filter((f) => f !== uuid);
      await store.remove("photos", uuid);
      await save();
      again();
    },
    onAdd: async (files, problem) => {
      const { uuids, tooBig } = await keepDocuments(files, record.user, maxBytes);
      record.files = [...(record.files || []), ...uuids];
      await save();
      await again();
      if (tooBig.length) {
        const shown = document.querySelector(".document-list .field-error");
        (shown || problem).textContent = t("document_too_big", {
          names: tooBig.join("、"),
          limit: sizeText(maxBytes),
        });
        (shown || problem).hidden = false;
      }
    },
  });
}
