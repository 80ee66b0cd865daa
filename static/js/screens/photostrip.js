// A row of photos: each says where it is (being shrunk, saved on this phone, sending n %,
// on the server), can be deleted with a 44 px button while it is a draft's, and a camera
// button adds more. Photos are shrunk (photos.js) and kept in IndexedDB before they show.

import { position, shrink } from "../photos.js";
import { store } from "../store.js";
import { cameraIcon, el, newUuid, t } from "../ui.js";
import { objectUrl } from "./layout.js";

const SERVER_THUMB = (uuid) => `/photos/${uuid}/thumb`;

// Shrink and keep each photo on the phone; answer with the new uuids, in order.
export async function keepPhotos(files, user, onEach = () => {}) {
  const uuids = [];
  for (const file of files) {
    const [shrunk, where] = await Promise.all([shrink(file), position()]);
    const photo = {
      uuid: newUuid(),
      user,
      bytes: shrunk.bytes,
      type: shrunk.type,
      size: shrunk.bytes.byteLength,
      width: shrunk.width,
      height: shrunk.height,
      taken_at: new Date(file.lastModified || Date.now()).toISOString(),
      lat: where ? where.lat : null,
      lon: where ? where.lon : null,
      sent: false,
    };
    await store.put("photos", photo);
    uuids.push(photo.uuid);
    onEach(photo.uuid);
  }
  return uuids;
}

function status(photo, progress, remote) {
  if (remote) return ["on-server", t("photo_on_server")];
  if (!photo) return ["on-server", t("photo_sent")]; // confirmed and freed from the phone
  if (progress !== undefined)
    return ["sending", t("photo_sending", { percent: Math.round(progress * 100) })];
  if (photo.sent) return ["on-server", t("photo_uploaded")];
  return ["on-phone", t("photo_on_phone")];
}

function thumb(uuid, { remote, progress, onRemove }) {
  const img = el("img", { alt: t("photo"), width: 96, height: 96 });
  const label = el("span", { class: "photo-state", "data-photo-state": "" });
  const bar = el("progress", { max: 100, hidden: true });
  const node = el("figure", { class: "thumb", "data-photo": uuid }, [img, bar, label]);
  const show = (photo) => {
    const [kind, words] = status(photo, progress, remote);
    label.textContent = words;
    node.dataset.photoState = kind;
    bar.hidden = progress === undefined;
    if (progress !== undefined) bar.value = Math.round(progress * 100);
    if (photo && photo.bytes) img.src = objectUrl(photo.bytes, photo.type);
    else img.src = SERVER_THUMB(uuid);
  };
  if (remote) show(null);
  else store.get("photos", uuid).then(show);
  if (onRemove) {
    node.append(
      el("button", {
        type: "button",
        class: "delete-photo",
        "aria-label": t("delete_photo"),
        text: t("delete"),
        onclick: () => onRemove(uuid),
      }),
    );
  }
  return node;
}

// uuids: the photos; remote: those on the server already; progress: {uuid: 0..1} while sent.
// Thumbnails the server keeps (a finding's before photos, a deduction's), by their URLs.
export function thumbs(urls, alt) {
  return el(
    "div",
    { class: "photos" },
    urls.map((src) =>
      el("figure", { class: "thumb" }, [el("img", { src, alt, width: 96, height: 96 })]),
    ),
  );
}

export function photoStrip({
  uuids,
  remote = [],
  progress = {},
  onAdd = null,
  onRemove = null,
  hint = null,
}) {
  const strip = el("div", { class: "photos" });
  for (const uuid of uuids) {
    strip.append(
      thumb(uuid, { remote: remote.includes(uuid), progress: progress[uuid], onRemove }),
    );
  }
  if (onAdd) {
    const input = el("input", {
      type: "file",
      accept: "image/*",
      capture: "environment",
      multiple: true,
    });
    input.addEventListener("change", () => {
      const files = [...input.files];
      input.value = "";
      if (!files.length) return;
      const pending = files.map(() =>
        el("figure", { class: "thumb shrinking" }, [
          el("span", { class: "photo-state", text: t("photo_shrinking") }),
        ]),
      );
      strip.insertBefore(el("span", { class: "pending-photos" }, pending), camera);
      onAdd(files, () => pending.shift()?.remove());
    });
    const camera = el("label", { class: "button camera" }, [
      input,
      el("span", {}, [cameraIcon(), ` ${t("photo")}`]),
    ]);
    strip.append(camera);
  }
  if (hint) strip.append(el("p", { class: "hint photo-hint", text: hint }));
  return strip;
}

// The photos of a record being made (a fix, an appeal, an activity, an assignment's outcome):
// added ones are kept on the phone, removed ones deleted from it, the record saved each time.
export function draftPhotoStrip(record, save, again) {
  return photoStrip({
    uuids: record.photos,
    onRemove: async (uuid) => {
      record.photos = record.photos.filter((p) => p !== uuid);
      await store.remove("photos", uuid);
      await save();
      again();
    },
    onAdd: async (files, oneDone) => {
      record.photos = [...record.photos, ...(await keepPhotos(files, record.user, oneDone))];
      await save();
      again();
    },
  });
}
