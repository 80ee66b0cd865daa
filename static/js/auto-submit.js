// A filter that applies itself: choosing in a <select data-auto-submit> sends its form.
// (An inline onchange would be refused by the Content-Security-Policy: script-src 'self'.)
// Without JavaScript, the form's <noscript> button sends it.
for (const select of document.querySelectorAll("select[data-auto-submit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
