// The web forms that still post photos (a finding opened by hand or a campaign spot, a fix
// made from the web page of a finding): each photo chosen is shrunk on the phone, as in the
// field app (photos.js), before the form sends it. Without JavaScript the form still works,
// and the server makes its 1600 px copy.

import { shrink } from "./photos.js";

const kb = (bytes) => `${Math.round(bytes / 1024)} KB`;

async function shrunkFile(file) {
  const done = await shrink(file);
  if (!done.width) return file; // a format this browser cannot draw: sent as it is
  const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
  return new File([done.bytes], name, { type: done.type, lastModified: file.lastModified });
}

function watch(form) {
  const pending = new Set();
  for (const input of form.querySelectorAll("input[type=file]")) {
    const note = document.createElement("output");
    note.className = "shrink-state";
    input.closest("label")?.after(note);
    input.addEventListener("change", () => {
      const files = [...input.files];
      if (!files.length) return;
      note.textContent = note.dataset.working;
      const job = Promise.all(files.map(shrunkFile)).then((shrunk) => {
        const list = new DataTransfer();
        for (const file of shrunk) list.items.add(file);
        input.files = list.files; // setting files fires no change event
        const total = shrunk.reduce((sum, file) => sum + file.size, 0);
        note.textContent = note.dataset.done.replace("{size}", kb(total));
      });
      pending.add(job);
      job.finally(() => pending.delete(job));
    });
    Object.assign(note.dataset, { working: form.dataset.shrinking, done: form.dataset.shrunk });
  }
  form.addEventListener("submit", (event) => {
    if (!pending.size) return;
    event.preventDefault(); // send the shrunk photos, once they are ready
    Promise.all(pending).then(() => form.requestSubmit(event.submitter));
  });
}

for (const form of document.querySelectorAll("form[data-shrink-photos]")) watch(form);
