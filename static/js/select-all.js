// "Select all shown" on a list of ticked rows (the review queue's bulk approve): ticks or
// clears every row of its form. Without JavaScript each row is ticked by hand.

for (const all of document.querySelectorAll("input[data-select-all]")) {
  const boxes = () => [...all.form.querySelectorAll("input[name=uuid]")];
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
  });
  all.form.addEventListener("change", (event) => {
    if (event.target === all) return;
    const ticked = boxes().filter((box) => box.checked).length;
    all.checked = ticked === boxes().length;
    all.indeterminate = ticked > 0 && ticked < boxes().length;
  });
}
