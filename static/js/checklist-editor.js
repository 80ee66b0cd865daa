// The checklist editor's add / remove / move buttons, done in place. Each button still posts
// the form to the server, which applies the change (one home for the edit rules,
// checklists/editor.py) and renders the form again; here that answer replaces the form
// without a page load, and the page is scrolled so that what the admin was looking at stays
// where it was on the screen, phone or desktop. Without JavaScript the buttons post as
// usual and their formaction #anchor brings the reloaded page back to the same place.

const ACTION =
  /^(add-item|remove-item|up-item|down-item|add-section|remove-section)(?::(\d+))?(?::(\d+))?$/;

const byId = (id) => document.getElementById(id);
const item = (s, i) => byId(`s${s}-i${i}`);

// For each action: the element to keep in place (before the change, and the same content
// after it), and what to focus afterwards.
const PLACES = {
  "add-item": (s) => ({
    before: byId(`s${s}-end`),
    after: () => byId(`s${s}-end`),
    focus: () => byId(`s${s}-end`)?.previousElementSibling?.querySelector("input"),
  }),
  "remove-item": (s, i) => ({
    before: item(s, i)?.nextElementSibling,
    after: () => item(s, i) ?? byId(`s${s}-end`),
    focus: () => null,
  }),
  "up-item": (s, i) => ({
    before: item(s, i),
    after: () => item(s, i - 1),
    focus: () => item(s, i - 1)?.querySelector("button[value^='up-item']"),
  }),
  "down-item": (s, i) => ({
    before: item(s, i),
    after: () => item(s, i + 1),
    focus: () => item(s, i + 1)?.querySelector("button[value^='down-item']"),
  }),
  "add-section": () => ({
    before: byId("sections-end"),
    after: () => byId("sections-end"),
    focus: () => byId("sections-end")?.previousElementSibling?.querySelector("input"),
  }),
  "remove-section": (s) => ({
    before: byId(`s${s}`)?.nextElementSibling,
    after: () => byId(`s${s}`) ?? byId("sections-end"),
    focus: () => null,
  }),
};

async function changeInPlace(form, button) {
  const match = ACTION.exec(button.value);
  const s = Number(match[2] ?? 0);
  const i = Number(match[3] ?? 0);
  const place = PLACES[match[1]](s, i);
  const body = new FormData(form);
  body.set("action", button.value);
  // form.action would name the buttons called "action": the form posts to its own page.
  const target = form.getAttribute("action") || window.location.href;
  const response = await fetch(target, { method: "POST", body, credentials: "same-origin" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector("form[data-editor]");
  if (!fresh) throw new Error("no editor in the answer");
  const top = place.before?.getBoundingClientRect().top;
  form.replaceChildren(...fresh.childNodes);
  const after = place.after();
  if (top !== undefined && after) window.scrollBy(0, after.getBoundingClientRect().top - top);
  place.focus()?.focus({ preventScroll: true });
}

function enhance(form) {
  let busy = false;
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || !ACTION.test(button.value) || form.dataset.plain) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    form.setAttribute("aria-busy", "true");
    changeInPlace(form, button)
      .catch(() => {
        // Not reachable or an unexpected answer: post the ordinary way, nothing typed is lost.
        form.dataset.plain = "yes";
        form.requestSubmit(button);
      })
      .finally(() => {
        busy = false;
        form.removeAttribute("aria-busy");
      });
  });
}

for (const form of document.querySelectorAll("form[data-editor]")) enhance(form);
