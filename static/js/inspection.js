// The answering screen: steppers, a live score, photo prompts and autosave of drafts.
// Everything also works without this script; it only makes the phone flow quicker.
"use strict";

(function () {
  // Said when the live filter hides every row. The list may carry its own text in
  // data-empty (from the template, translated); otherwise the page language picks one.
  var NO_MATCH = { zh: "没有符合条件的检查点。", en: "No sites match." };

  function siteFilter() {
    document.querySelectorAll("input[data-filter]").forEach(function (input) {
      var list = document.querySelector(input.dataset.filter);
      if (!list) return;
      var rows = list.querySelectorAll("li[data-text]");
      if (!rows.length) return;
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.setAttribute("role", "status");
      empty.textContent = list.dataset.empty ||
        NO_MATCH[(document.documentElement.lang || "en").slice(0, 2)] || NO_MATCH.en;
      empty.hidden = true;
      list.appendChild(empty);
      function filter() {
        var q = input.value.trim().toLowerCase();
        var shown = 0;
        rows.forEach(function (row) {
          row.hidden = q !== "" && row.dataset.text.toLowerCase().indexOf(q) === -1;
          if (!row.hidden) shown += 1;
        });
        empty.hidden = shown > 0;
      }
      input.addEventListener("input", filter);
      filter(); // the box may come back filled (back button, or ?q=)
    });
  }

  function itemState(card) {
    var type = card.dataset.type;
    var points = parseFloat(card.dataset.points) || 0;
    if (type === "text") return null;
    if (type === "check") {
      var picked = card.querySelector("input[type=radio]:checked");
      if (!picked) return { answered: false };
      if (picked.value === "na") return { answered: true, na: true };
      var pass = picked.value === "pass";
      return { answered: true, earned: pass ? points : 0, possible: points, failed: !pass };
    }
    var na = card.querySelector("input[name^='na.']");
    var number = card.querySelector("input[type=number]");
    if (na && na.checked) return { answered: true, na: true };
    if (number.value === "") return { answered: false };
    var n = Math.max(0, parseInt(number.value, 10) || 0);
    if (type === "scale") return { answered: true, earned: Math.min(n, points), possible: points, failed: false };
    var per = parseFloat(card.dataset.per) || 1;
    return { answered: true, earned: Math.max(0, points - n * per), possible: points, failed: n > 0 };
  }

  function refresh(form) {
    var cards = form.querySelectorAll(".item-card");
    var earned = 0, possible = 0, done = 0, required = 0;
    cards.forEach(function (card) {
      var state = itemState(card);
      var answered = state === null ? card.querySelector("textarea").value.trim() !== "" : state.answered;
      // Progress counts the scored items, the ones submitting needs; free-text remarks are optional.
      if (state !== null) {
        required += 1;
        if (answered) done += 1;
      }
      card.classList.toggle("answered", answered);
      if (state && state.answered && !state.na) {
        earned += state.earned;
        possible += state.possible;
      }
      var failed = Boolean(state && state.failed);
      card.classList.toggle("failed", failed);
      var photos = card.querySelectorAll(".thumb input:checked").length;
      card.classList.toggle("needs-photo", failed && "photoOnFail" in card.dataset && photos === 0);
      var number = card.querySelector("input[type=number]");
      if (number) number.disabled = Boolean(state && state.na);
    });
    var score = form.querySelector("[data-score]");
    // Half-up rounding to one decimal, as the server does.
    score.textContent = possible ? (Math.round((earned * 1000) / possible) / 10).toFixed(1) + "%" : "—";
    var progress = form.querySelector("[data-progress]");
    progress.textContent = progress.dataset.template.replace("{done}", done).replace("{total}", required);
  }

  function steppers(form) {
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-step]");
      if (!button) return;
      var input = button.parentElement.querySelector("input[type=number]");
      // Counting on an item marked N/A means it applies after all.
      var na = button.closest(".item-card").querySelector("input[name^='na.']");
      if (na && na.checked) na.checked = false;
      var max = input.max === "" ? Infinity : parseInt(input.max, 10);
      var value = (parseInt(input.value, 10) || 0) + parseInt(button.dataset.step, 10);
      if (input.value === "" && button.dataset.step === "-1") value = 0;
      input.value = Math.min(max, Math.max(0, value));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function autosave(form) {
    var state = form.querySelector("[data-save-state]");
    var timer = null;
    function show(name) {
      state.textContent = state.dataset[name];
      state.className = "save-state " + name;
    }
    function formData() {
      var data = new FormData(form);
      data.set("action", "save");
      return data;
    }
    function save() {
      timer = null;
      var data = formData();
      show("saving");
      fetch(window.location.pathname, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (body) {
        show(body.saved ? "saved" : "failed");
      }).catch(function () {
        show("failed");
        timer = setTimeout(save, 10000);
      });
    }
    form.addEventListener("change", function (event) {
      refresh(form);
      if (event.target.type === "file") {
        if (!event.target.files.length) return;
        // Upload the photo now, with everything else, so nothing waits on the phone.
        clearTimeout(timer);
        timer = null;
        show("saving");
        var camera = event.target.closest(".camera");
        if (camera) camera.classList.add("uploading");
        var action = document.createElement("input");
        action.type = "hidden"; action.name = "action"; action.value = "save";
        form.appendChild(action);
        // Come back to this item, not the top of a long checklist: the redirect after the
        // upload keeps the fragment of the request it answers.
        var card = event.target.closest(".item-card");
        form.action = window.location.pathname + window.location.search + (card ? "#" + card.id : "");
        form.submit();
        return;
      }
      show("saving");
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    });
    // Leaving or locking the phone before the timer fires: send what is pending now.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer !== null) {
        clearTimeout(timer);
        timer = null;
        navigator.sendBeacon(window.location.pathname, formData());
      }
    });
    form.addEventListener("input", function () { refresh(form); });
  }

  // Opening a note means writing one: put the cursor in it (and bring up the keyboard).
  function notes(form) {
    form.addEventListener("click", function (event) {
      var summary = event.target.closest(".note > summary");
      if (!summary || summary.parentElement.open) return;
      setTimeout(function () {
        var box = summary.parentElement.querySelector("textarea");
        if (box && summary.parentElement.open) box.focus();
      }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    siteFilter();
    var form = document.getElementById("answers");
    if (!form) return;
    steppers(form);
    notes(form);
    autosave(form);
    refresh(form);
  });
})();
