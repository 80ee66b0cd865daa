// Signatures on the review screen: the inspector's and, when given, the inspected department's
// representative's, drawn with a finger. On submit each drawn pad becomes a PNG kept on the
// phone like a photo (sent first, then named in the inspection's "signatures"); the server
// prints them on the inspection report.

import { store } from "../store.js";
import { el, newUuid, t } from "../ui.js";

const HEIGHT = 140; // CSS pixels: room for a signature with a thumb

function pad(role, label) {
  const canvas = el("canvas", { class: "signature-pad", "data-signature": role, height: HEIGHT });
  let drawn = false;
  let last = null;
  const context = () => canvas.getContext("2d");
  function prepare() {
    // Sized on first touch, when the card is laid out: sharp on high-density screens.
    if (canvas.dataset.ready) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.clientWidth * ratio;
    canvas.height = HEIGHT * ratio;
    const ctx = context();
    ctx.fillStyle = "#fff"; // a PNG with no transparency: the server's JPEG copy stays white
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2.5;
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
    canvas.dataset.ready = "1";
  }
  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }
  canvas.addEventListener("pointerdown", (event) => {
    prepare();
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const next = point(event);
    const ctx = context();
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...next);
    ctx.stroke();
    last = next;
    drawn = true;
  });
  const lift = () => {
    last = null;
  };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  function clear() {
    delete canvas.dataset.ready;
    drawn = false;
    prepare();
  }
  const node = el("div", { class: "field signature" }, [
    el("span", { class: "label", text: label }),
    canvas,
    el("button", { type: "button", class: "link", text: t("clear_signature"), onclick: clear }),
  ]);
  const toBlob = () => new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  return { node, isDrawn: () => drawn, toBlob, canvas };
}

// The card, and keep(record) to store what was drawn and answer the record's "signatures".
export function signatureCard() {
  const inspector = pad("inspector", t("signature_inspector"));
  const representative = pad("representative", t("signature_representative"));
  const name = el("input", {
    id: "representative-name",
    name: "representative_name",
    maxlength: 100,
    autocomplete: "off",
  });
  const node = el("section", { class: "card signatures-card" }, [
    el("h2", { text: t("signatures") }),
    el("p", { class: "muted", text: t("signatures_hint") }),
    inspector.node,
    representative.node,
    el("div", { class: "field" }, [
      el("label", { for: "representative-name", text: t("representative_name") }),
      name,
    ]),
  ]);
  async function keep(user) {
    const signatures = { inspector: null, representative: null, representative_name: "" };
    for (const [role, drawing] of [
      ["inspector", inspector],
      ["representative", representative],
    ]) {
      if (!drawing.isDrawn()) continue;
      const blob = await drawing.toBlob();
      const bytes = await blob.arrayBuffer();
      const photo = {
        uuid: newUuid(),
        user,
        bytes,
        type: "image/png",
        size: bytes.byteLength,
        width: drawing.canvas.width,
        height: drawing.canvas.height,
        taken_at: new Date().toISOString(),
        lat: null,
        lon: null,
        sent: false,
      };
      await store.put("photos", photo);
      signatures[role] = photo.uuid;
    }
    signatures.representative_name = name.value.trim();
    return signatures.inspector || signatures.representative ? signatures : null;
  }
  return { node, keep };
}
