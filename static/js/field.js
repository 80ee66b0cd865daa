// The field app's screens: home (sync state, work on this phone, sites, findings), choosing a
// checklist, answering it, and fixing a finding. Everything is saved on the phone first
// (field-db.js) and sent by field-queue.js; no screen needs the network once data is kept.
"use strict";

(function () {
  var S = JSON.parse(document.getElementById("field-strings").textContent);
  var root = document.getElementById("field");
  var data = null;
  var KEEP_SENT_DAYS = 7;

  // --- small helpers --------------------------------------------------------------------

  function t(key, params) {
    var text = S[key] || key;
    Object.keys(params || {}).forEach(function (name) { text = text.replace("{" + name + "}", params[name]); });
    return text;
  }

  // Build elements with text content only: names and notes typed by people are never HTML.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function number(value) { return Number.isInteger(value) ? String(value) : String(value); }

  // --- data ---------------------------------------------------------------------------

  function loadData() {
    return fetch("/field/data.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected || response.status === 401) {
          // The session ended (signed out, timed out, or someone else signed in elsewhere):
          // its data goes; work waiting to be sent stays for its user.
          return forgetSession().then(function () { return { signedOut: true, forgotten: true }; });
        }
        if (!response.ok) throw new Error(response.status);
        return response.json().then(function (fresh) {
          return FieldDB.put("meta", { key: "data", value: fresh, saved_at: new Date().toISOString() })
            .then(function () { return { data: fresh, fresh: true }; });
        });
      })
      .catch(function () { return {}; })
      .then(function (loaded) {
        if (loaded.data || loaded.forgotten) return loaded;
        return FieldDB.get("meta", "data").then(function (saved) {
          return { data: saved ? saved.value : null, signedOut: loaded.signedOut };
        });
      });
  }

  function forgetSession() {
    return window.InspectorSession ? window.InspectorSession.forget() : Promise.resolve();
  }

  function prefetchBeforePhotos(fresh) {
    // Fetched now, while there is a network, so the service worker has them for offline fixes.
    fresh.findings.forEach(function (finding) {
      finding.before.forEach(function (url) { fetch(url, { credentials: "same-origin" }).catch(function () {}); });
    });
  }

  function refreshCsrfInputs(token) {
    // The shell may come from the phone's cache: its forms get the session's current token.
    document.querySelectorAll("input[name=csrf_token]").forEach(function (input) { input.value = token; });
  }

  function pruneSent() {
    var limit = Date.now() - KEEP_SENT_DAYS * 86400000;
    return Promise.all(["inspections", "fixes"].map(function (store) {
      return FieldDB.all(store).then(function (records) {
        return Promise.all(records.filter(function (r) {
          return r.state === "sent" && Date.parse(r.sent_at) < limit;
        }).map(function (r) { return FieldDB.remove(store, r.uuid); }));
      });
    }));
  }

  // --- scoring, as the server does it (for the live score only; the server decides) -------

  function items(template) {
    var all = [];
    template.sections.forEach(function (section) { section.items.forEach(function (item) { all.push(item); }); });
    return all;
  }

  function itemState(item, entry) {
    var answer = entry && entry.answer;
    if (item.type === "text") return null;
    if (answer === undefined || answer === null || answer === "") return { answered: false };
    if (answer === "na") return { answered: true, na: true };
    if (item.type === "check") {
      var pass = answer === "pass";
      return { answered: true, earned: pass ? item.points : 0, possible: item.points, failed: !pass };
    }
    if (item.type === "scale") return { answered: true, earned: Math.min(answer, item.points), possible: item.points, failed: false };
    var count = answer.count;
    return { answered: true, earned: Math.max(0, item.points - count * item.per), possible: item.points, failed: count > 0 };
  }

  function summary(template, answers) {
    var earned = 0, possible = 0, done = 0, required = 0, problems = [];
    items(template).forEach(function (item) {
      var entry = answers[item.key] || {};
      var state = itemState(item, entry);
      if (state === null) return;
      required += 1;
      if (!state.answered) { problems.push({ item: item, what: t("unanswered") }); return; }
      done += 1;
      if (!state.na) { earned += state.earned; possible += state.possible; }
      if (state.failed && item.photo_on_fail && !(entry.photos || []).length) {
        problems.push({ item: item, what: t("needs_photo") });
      }
    });
    var percent = possible ? (Math.round((earned * 1000) / possible) / 10).toFixed(1) + "%" : "—";
    return { percent: percent, done: done, required: required, problems: problems };
  }

  // --- sync bar -----------------------------------------------------------------------

  var bar = document.getElementById("sync");

  function counts() {
    var me = FieldQueue.me();
    return Promise.all([FieldDB.all("inspections"), FieldDB.all("fixes")]).then(function (lists) {
      var c = { draft: 0, waiting: 0, others: 0, error: 0, sent: 0 };
      lists[0].concat(lists[1]).forEach(function (r) {
        if (r.state === "waiting" && r.user !== me) c.others += 1;
        else c[r.state] += 1;
      });
      return c;
    });
  }

  function showSync() {
    counts().then(function (c) {
      var q = FieldQueue.state;
      var text, kind = "ok";
      if (q.signedOut && c.waiting) { text = t("sign_in"); kind = "error"; }
      else if (q.sending && c.waiting) { text = t("sending"); kind = "wait"; }
      else if (c.error) { text = t("n_errors", { n: c.error }); kind = "error"; }
      else if (c.waiting && q.online && q.nextTry) {
        text = t("retrying", { n: c.waiting, time: q.nextTry.toTimeString().slice(0, 5) }); kind = "wait";
      }
      else if (c.waiting) { text = t(q.online ? "n_waiting" : "offline_waiting", { n: c.waiting }); kind = "wait"; }
      else if (c.draft) { text = t(q.online ? "saved_here" : "offline_saved"); if (!q.online) kind = "offline"; }
      else if (c.others) { text = t("other_user", { n: c.others }); kind = "wait"; }
      else if (q.online) { text = t("all_sent"); }
      else { text = t("offline"); kind = "offline"; }
      bar.className = "sync-bar sync-" + kind;
      bar.dataset.waiting = c.waiting;
      bar.dataset.errors = c.error;
      var label = bar.querySelector(".sync-text");
      label.textContent = text;
      if (q.signedOut && c.waiting) {
        label.appendChild(document.createTextNode(" "));
        label.appendChild(el("a", { href: "/login?next=/field/", text: t("sign_in_link") }));
      }
      bar.querySelector(".sync-now").hidden = !(c.waiting && q.online && !q.sending && !q.signedOut);
      // The score bar sits just under this one, however tall its text makes it.
      document.documentElement.style.setProperty("--sync-h", bar.offsetHeight + "px");
    });
  }

  bar.querySelector(".sync-now").addEventListener("click", function () { FieldQueue.kick(); });
  FieldQueue.onChange(function () { showSync(); if (!location.hash) render(); });

  // --- screens ------------------------------------------------------------------------

  var shown = null;

  function screen(title, children, back) {
    // Drawn again for the same screen (a photo added): stay where the inspector was.
    var again = shown === location.hash, y = window.scrollY;
    shown = location.hash;
    root.textContent = "";
    if (back) root.appendChild(el("a", { href: back, class: "back-link", text: "‹ " + t("back") }));
    if (title) root.appendChild(el("h1", { text: title }));
    children.forEach(function (child) { if (child) root.appendChild(child); });
    window.scrollTo(0, again ? y : 0);
  }

  function stateTag(record) {
    return el("span", { class: "tag state-" + record.state, text: t(record.state) });
  }

  function home() {
    return Promise.all([FieldDB.all("inspections"), FieldDB.all("fixes")]).then(function (lists) {
      var me = data.user.username;
      var local = lists[0].concat(lists[1]).filter(function (r) { return r.user === me; });
      local.sort(function (a, b) { return (b.updated_at || "").localeCompare(a.updated_at || ""); });
      var onPhone = el("ul", { class: "rows field-local" }, local.map(localRow));
      if (!local.length) onPhone = el("p", { class: "muted", text: t(data.user.inspects ? "nothing_on_phone" : "fixes_on_phone") });
      screen(null, [
        el("section", { class: "field-section" }, [el("h2", { text: t("on_phone") }), onPhone]),
        data.user.inspects ? sitesSection() : null,
        findingsSection(lists[1].reduce(function (done, r) {
          if (r.state === "waiting" || r.state === "sent") done[r.uuid] = true;
          return done;
        }, {})),
        el("p", { class: "muted field-foot" }, [el("a", { href: "/", text: t("full_site") })]),
      ]);
    });
  }

  function localRow(record) {
    var isFix = !record.template;
    var href = isFix ? "#f/" + record.uuid : "#i/" + record.uuid;
    var title = isFix ? record.title : record.site_name;
    var detail = isFix ? record.site_name : record.template_doc.name;
    if (record.state === "sent" && record.result && record.result.score) {
      detail += " · " + t("score", { percent: record.result.score.percent === null ? "—" : record.result.score.percent + "%" });
    }
    var veto = record.state === "sent" && record.result && record.result.critical_failed;
    var body = [el("strong", { text: title }), " ", stateTag(record), veto ? el("span", { class: "tag off", text: t("veto") }) : null,
      el("br"), el("span", { class: "muted", text: detail })];
    if (record.state === "error") body.push(el("p", { class: "field-error", text: record.error.message }));
    if (record.state === "sent" && !isFix) href = "/inspections/" + record.uuid; // the server's copy
    var link = record.state === "draft" || record.state === "error" || (record.state === "sent" && !isFix);
    return el("li", { "data-uuid": record.uuid, "data-state": record.state }, [link ? el("a", { href: href, class: "row-link" }, body) : el("div", { class: "row-link" }, body)]);
  }

  function sitesSection() {
    var list = el("ul", { class: "rows field-sites" }, data.sites.map(function (site) {
      return el("li", { "data-text": site.name + " " + site.code + " " + site.department }, [
        el("a", { href: "#site/" + encodeURIComponent(site.code), class: "row-link" }, [
          el("strong", { text: site.name }), el("br"), el("span", { class: "muted", text: site.department }),
        ]),
      ]);
    }));
    return el("section", { class: "field-section" }, [el("h2", { text: t("start") }), filterBox(list, t("search")), list]);
  }

  function filterBox(list, label) {
    var empty = el("li", { class: "empty", text: t("no_sites"), hidden: true });
    list.appendChild(empty);
    var search = el("input", { type: "search", placeholder: label, "aria-label": label, class: "search", oninput: function () {
      var q = search.value.trim().toLowerCase(), shown = 0;
      list.querySelectorAll("li[data-text]").forEach(function (row) {
        row.hidden = q !== "" && row.dataset.text.toLowerCase().indexOf(q) === -1;
        if (!row.hidden) shown += 1;
      });
      empty.hidden = shown > 0;
    } });
    return search;
  }

  function findingsSection(done) {
    // A fix already on its way is listed under "On this phone", not here.
    var rows = data.findings.filter(function (f) { return !done[f.id]; }).map(function (f) {
      var due = f.overdue ? el("span", { class: "tag off", text: t("overdue") }) : (f.due ? el("span", { class: "tag", text: t("due", { date: f.due }) }) : null);
      return el("li", { "data-text": f.title + " " + f.site_name }, [el("a", { href: "#f/" + f.id, class: "row-link" }, [
        el("strong", { text: f.title }), " ", due, el("br"), el("span", { class: "muted", text: f.site_name }),
      ])]);
    });
    if (!rows.length) return el("section", { class: "field-section" }, [el("h2", { text: t("findings") }), el("p", { class: "muted", text: t("no_findings") })]);
    var list = el("ul", { class: "rows field-findings" }, rows);
    return el("section", { class: "field-section" }, [el("h2", { text: t("findings") }), rows.length > 8 ? filterBox(list, t("search_findings")) : null, list]);
  }

  function chooseChecklist(code) {
    var site = data.sites.find(function (s) { return s.code === code; });
    if (!site) return notAvailable();
    var templates = data.templates.slice().sort(function (a, b) {
      return (a.code !== site.suggested) - (b.code !== site.suggested) || a.name.localeCompare(b.name);
    });
    screen(site.name, [el("h2", { text: t("choose_checklist") }), el("ul", { class: "rows" }, templates.map(function (template) {
      return el("li", {}, [el("button", { type: "button", class: "row-link", onclick: function () { start(site, template); } }, [
        el("strong", { text: template.name }), template.code === site.suggested ? el("span", { class: "tag", text: t("suggested") }) : null,
      ])]);
    }))], "#");
  }

  function start(site, template) {
    var me = data.user.username;
    // A draft already on the phone for this site and checklist is continued, not doubled.
    FieldDB.all("inspections").then(function (records) {
      var open = records.find(function (r) {
        return r.user === me && (r.state === "draft" || r.state === "error") && r.site === site.code && r.template === template.id;
      });
      if (open) { location.hash = "#i/" + open.uuid; return null; }
      var record = {
        uuid: newUuid(), user: me, site: site.code, site_name: site.name, template: template.id,
        template_doc: template, started_at: new Date().toISOString(), location: null, answers: {},
        state: "draft", updated_at: new Date().toISOString(),
      };
      return FieldDB.put("inspections", record).then(function () {
        location.hash = "#i/" + record.uuid;
      });
    });
  }

  function signedOutScreen() {
    screen(null, [el("p", { class: "flash flash-info" }, [t("signed_out") + " ",
      el("a", { href: "/login?next=/field/", text: t("sign_in_link") })])]);
  }

  function notAvailable() { screen(null, [el("p", { class: "flash flash-info", text: t("not_available") })], "#"); }

  // --- answering ----------------------------------------------------------------------

  function photoStrip(uuids, onRemove, onAdd, hint) {
    var strip = el("div", { class: "photos" });
    uuids.forEach(function (uuid) {
      var img = el("img", { alt: t("photo"), width: 96, height: 96 });
      FieldDB.get("photos", uuid).then(function (photo) {
        if (photo && photo.bytes) img.src = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
      });
      strip.appendChild(el("div", { class: "thumb" }, [img, onRemove ? el("button", { type: "button", class: "link remove-photo", "aria-label": t("remove_photo"), title: t("remove_photo"), text: "×", onclick: function () { onRemove(uuid); } }) : null]));
    });
    if (onAdd) {
      var input = el("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, onchange: function () {
        if (input.files.length) onAdd(Array.prototype.slice.call(input.files), strip);
      } });
      strip.appendChild(el("label", { class: "button camera" }, [input, el("span", {}, [cameraIcon(), " " + t("photo")])]));
    }
    if (hint) strip.appendChild(el("p", { class: "hint photo-hint", text: hint }));
    return strip;
  }

  function cameraIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    [["viewBox", "0 0 24 24"], ["width", "22"], ["height", "22"], ["class", "icon"], ["aria-hidden", "true"]].forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    var body = document.createElementNS(ns, "path");
    body.setAttribute("d", "M4 7h3l2-2.5h6L17 7h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z");
    var lens = document.createElementNS(ns, "circle");
    [["cx", "12"], ["cy", "13.5"], ["r", "3.6"]].forEach(function (a) { lens.setAttribute(a[0], a[1]); });
    [body, lens].forEach(function (shape) {
      shape.setAttribute("fill", "none"); shape.setAttribute("stroke", "currentColor"); shape.setAttribute("stroke-width", "2");
      svg.appendChild(shape);
    });
    return svg;
  }

  function keepPhotos(files, user) {
    // Shrink and keep each photo on the phone; answer with the new uuids.
    return Promise.all(files.map(function (file) {
      return Promise.all([FieldPhotos.shrink(file), FieldPhotos.position()]).then(function (done) {
        var shrunk = done[0], where = done[1] || {};
        var photo = {
          uuid: newUuid(), user: user, bytes: shrunk.bytes, type: shrunk.type, size: shrunk.bytes.byteLength,
          taken_at: new Date().toISOString(), lat: where.lat, lon: where.lon, sent: false,
        };
        return FieldDB.put("photos", photo).then(function () { return photo.uuid; });
      });
    }));
  }

  function answerControl(item, entry, set) {
    var answer = entry.answer;
    if (item.type === "check") {
      return el("div", { class: "segmented", role: "radiogroup", "aria-label": item.text }, ["pass", "fail", "na"].map(function (value) {
        return el("label", { class: "seg seg-" + value }, [
          el("input", { type: "radio", name: "answer." + item.key, value: value, checked: answer === value, onchange: function () { set(value); } }),
          el("span", { text: t(value) }),
        ]);
      }));
    }
    if (item.type === "text") {
      return el("textarea", { rows: 2, "aria-label": item.text, placeholder: t("optional"), text: answer || "", oninput: function (e) { set(e.target.value); } });
    }
    var isNa = answer === "na";
    var count = answer === undefined || answer === null || isNa ? "" : (item.type === "deduct" ? answer.count : answer);
    var box = el("input", { type: "number", min: 0, max: item.type === "scale" ? item.points : null, inputmode: "numeric", value: count, disabled: isNa, "aria-label": item.text });
    function setCount(value) {
      if (value === "") { set(null); return; }
      var n = Math.max(0, parseInt(value, 10) || 0);
      if (item.type === "scale") n = Math.min(n, item.points);
      set(item.type === "deduct" ? { count: n } : n);
    }
    box.addEventListener("change", function () {
      if (box.value !== "" && item.type === "scale") box.value = Math.max(0, Math.min(item.points, parseInt(box.value, 10) || 0));
      setCount(box.value);
    });
    function step(by) {
      var value = (parseInt(box.value, 10) || 0) + by;
      if (box.value === "" && by < 0) value = 0;
      box.value = Math.max(0, item.type === "scale" ? Math.min(item.points, value) : value);
      setCount(box.value);
    }
    var na = el("input", { type: "checkbox", checked: isNa, onchange: function () { set(na.checked ? "na" : null); } });
    return el("div", { class: "stepper-row" }, [
      el("div", { class: "stepper" }, [
        el("button", { type: "button", "aria-label": t("less"), text: "−", onclick: function () { step(-1); } }),
        box,
        el("button", { type: "button", "aria-label": t("more"), text: "+", onclick: function () { step(1); } }),
      ]),
      el("span", { class: "stepper-unit muted", text: item.type === "deduct" ? t("cases", { per: number(item.per) }) : t("of", { points: number(item.points) }) }),
      el("label", { class: "seg seg-na small" }, [na, el("span", { text: t("na") })]),
    ]);
  }

  function inspect(uuid) {
    FieldDB.get("inspections", uuid).then(function (record) {
      if (!record || record.user !== data.user.username) return notAvailable();
      if (record.state !== "draft" && record.state !== "error") { location.hash = ""; return null; }
      var template = record.template_doc;
      var scoreLine = el("span", { class: "live-score" });
      var progress = el("span", { class: "progress" });
      var problemsBox = el("div", { class: "field-problems", role: "alert", hidden: true });

      function save(rerender) {
        record.updated_at = new Date().toISOString();
        return FieldDB.put("inspections", record).then(function () {
          var s = summary(template, record.answers);
          scoreLine.textContent = s.percent;
          progress.textContent = t("answered", { done: s.done, total: s.required });
          showSync();
          if (rerender) inspect(uuid);
        });
      }

      function card(item) {
        var entry = record.answers[item.key] || (record.answers[item.key] = { answer: null, note: "", photos: [] });
        var state = itemState(item, entry);
        var node = el("article", { class: "item-card", id: "item-" + item.key, "data-key": item.key, "data-type": item.type });
        function refreshCard() {
          var s = itemState(item, entry);
          node.classList.toggle("answered", s === null ? Boolean(entry.answer) : s.answered);
          node.classList.toggle("failed", Boolean(s && s.failed));
          node.classList.toggle("needs-photo", Boolean(s && s.failed && item.photo_on_fail && !entry.photos.length));
        }
        function set(answer) {
          var wasNa = entry.answer === "na";
          entry.answer = answer;
          refreshCard();
          save(item.type !== "check" && item.type !== "text" && (wasNa || answer === "na"));
        }
        node.appendChild(el("p", { class: "item-text" }, [item.text, " ",
          item.critical ? el("span", { class: "tag off", text: t("veto") }) : null,
          item.type !== "text" ? el("span", { class: "tag", text: t("points", { points: number(item.points) }) }) : el("span", { class: "tag", text: t("optional") }),
        ]));
        if (item.guidance) node.appendChild(el("p", { class: "hint", text: item.guidance }));
        node.appendChild(answerControl(item, entry, set));
        if (item.type !== "text") {
          var note = el("details", { class: "note", open: Boolean(entry.note) }, [
            el("summary", { text: t("note") }),
            el("textarea", { rows: 2, "aria-label": t("note"), text: entry.note || "", oninput: function (e) { entry.note = e.target.value; save(); } }),
          ]);
          node.appendChild(note);
        }
        node.appendChild(photoStrip(entry.photos, function (photoUuid) {
          entry.photos = entry.photos.filter(function (u) { return u !== photoUuid; });
          FieldDB.remove("photos", photoUuid).then(function () { save(true); });
        }, function (files, strip) {
          strip.classList.add("uploading");
          keepPhotos(files, record.user).then(function (uuids) {
            entry.photos = entry.photos.concat(uuids);
            return save(true);
          });
        }, item.photo_on_fail ? t("photo_required") : null));
        if (state) refreshCard();
        return node;
      }

      var children = [
        el("div", { class: "scorebar" }, [
          el("div", { class: "scorebar-title" }, [el("strong", { text: record.site_name }), el("span", { class: "muted", text: template.name })]),
          el("div", { class: "scorebar-figures" }, [progress, scoreLine]),
        ]),
      ];
      if (record.state === "error") {
        children.push(el("div", { class: "flash flash-error", role: "alert" }, [
          el("strong", { text: t("refused") }), " ", record.error.message,
          el("ul", {}, Object.keys(record.error.fields || {}).map(function (f) { return el("li", { text: f + ": " + record.error.fields[f] }); })),
        ]));
      }
      template.sections.forEach(function (section) {
        children.push(el("h2", { class: "section-title", text: section.title }));
        section.items.forEach(function (item) { children.push(card(item)); });
      });
      children.push(problemsBox);
      children.push(el("div", { class: "actions bottom-bar" }, [
        el("button", { type: "button", class: "primary", text: t("submit"), onclick: function () { submit(record, problemsBox); } }),
      ]));
      children.push(el("details", { class: "discard" }, [
        el("summary", { text: t("delete_draft") }),
        el("p", { class: "muted", text: t("confirm_delete") }),
        el("button", { type: "button", class: "danger", text: t("delete_draft"), onclick: function () { discard(record); } }),
      ]));
      screen(null, children, "#");
      save();
      if (!record.location) {
        // Where the inspection is made, if the inspector allows it; on this screen's record,
        // so the answers saved meanwhile keep it.
        FieldPhotos.position().then(function (where) {
          if (where && !record.location) { record.location = where; save(); }
        });
      }
      return null;
    });
  }

  function photoUuids(record) {
    var all = [];
    Object.keys(record.answers).forEach(function (key) { all = all.concat(record.answers[key].photos || []); });
    return all;
  }

  function inspectionBody(record) {
    var responses = [];
    items(record.template_doc).forEach(function (item) {
      var entry = record.answers[item.key];
      if (!entry) return;
      var has = entry.answer !== null && entry.answer !== undefined && entry.answer !== "";
      if (!has && !(entry.photos || []).length && !entry.note) return;
      var response = { item: item.key, answer: has ? entry.answer : (item.type === "text" ? "" : null) };
      if (entry.note) response.note = entry.note;
      if ((entry.photos || []).length) response.photos = entry.photos;
      responses.push(response);
    });
    var body = { template: record.template, site: record.site, started_at: record.started_at, submitted_at: new Date().toISOString(), responses: responses, submit: true };
    if (record.location) body.location = record.location;
    return body;
  }

  function submit(record, problemsBox) {
    var s = summary(record.template_doc, record.answers);
    if (s.problems.length) {
      problemsBox.textContent = "";
      problemsBox.hidden = false;
      problemsBox.className = "field-problems flash flash-error";
      problemsBox.appendChild(el("strong", { text: t("missing") }));
      problemsBox.appendChild(el("ul", {}, s.problems.map(function (p) {
        return el("li", {}, [el("a", { href: "#i/" + record.uuid, "data-target": "item-" + p.item.key, onclick: function (e) {
          e.preventDefault();
          document.getElementById("item-" + p.item.key).scrollIntoView({ block: "center" });
        }, text: p.item.text }), " — " + p.what]);
      })));
      problemsBox.scrollIntoView({ block: "center" });
      return;
    }
    record.body = inspectionBody(record);
    record.photo_uuids = photoUuids(record);
    record.state = "waiting";
    record.error = null;
    record.updated_at = new Date().toISOString();
    FieldDB.put("inspections", record).then(function () {
      location.hash = "";
      FieldQueue.kick();
    });
  }

  function discard(record) {
    Promise.all(photoUuids(record).map(function (u) { return FieldDB.remove("photos", u); }))
      .then(function () { return FieldDB.remove("inspections", record.uuid); })
      .then(function () { location.hash = ""; });
  }

  // --- fixing a finding ---------------------------------------------------------------

  function fix(id) {
    var finding = data.findings.find(function (f) { return f.id === id; });
    FieldDB.get("fixes", id).then(function (record) {
      if (!finding && !record) return notAvailable();
      record = record || {
        uuid: id, user: data.user.username, title: finding.title, site_name: finding.site_name,
        photos: [], note: "", state: "draft", updated_at: new Date().toISOString(),
      };
      if (record.state === "waiting" || record.state === "sent") { location.hash = ""; return null; }
      function save(rerender) {
        record.updated_at = new Date().toISOString();
        return FieldDB.put("fixes", record).then(function () { showSync(); if (rerender) fix(id); });
      }
      var problem = el("p", { class: "flash flash-error", role: "alert", hidden: true, text: t("need_after") });
      var children = [];
      if (finding) {
        children.push(el("p", { class: "muted" }, [finding.site_name + (finding.due ? " · " + t("due", { date: finding.due }) + " " : ""),
          finding.overdue ? el("span", { class: "tag off", text: t("overdue") }) : null]));
        if (finding.description) children.push(el("p", { text: finding.description }));
        if (finding.before.length) {
          children.push(el("h2", { text: t("before") }));
          children.push(el("div", { class: "photos" }, finding.before.map(function (src) {
            return el("div", { class: "thumb" }, [el("img", { src: src, alt: t("before"), width: 96, height: 96 })]);
          })));
        }
      }
      if (record.state === "error") {
        children.push(el("p", { class: "flash flash-error", role: "alert" }, [el("strong", { text: t("refused") }), " ", record.error.message]));
      }
      children.push(el("h2", { text: t("after") }));
      children.push(photoStrip(record.photos, function (u) {
        record.photos = record.photos.filter(function (p) { return p !== u; });
        FieldDB.remove("photos", u).then(function () { save(true); });
      }, function (files, strip) {
        strip.classList.add("uploading");
        keepPhotos(files, record.user).then(function (uuids) { record.photos = record.photos.concat(uuids); return save(true); });
      }));
      children.push(el("label", { class: "field-label" }, [t("fix_note"),
        el("textarea", { rows: 3, text: record.note, oninput: function (e) { record.note = e.target.value; save(); } })]));
      children.push(problem);
      children.push(el("div", { class: "actions bottom-bar" }, [el("button", { type: "button", class: "primary", text: t("mark_fixed"), onclick: function () {
        if (!record.photos.length) { problem.hidden = false; return; }
        record.body = { after_photos: record.photos, note: record.note };
        record.photo_uuids = record.photos.slice();
        record.state = "waiting";
        record.error = null;
        save().then(function () { location.hash = ""; FieldQueue.kick(); });
      } })]));
      screen(record.title, children, "#");
      return null;
    });
  }

  // --- routing ------------------------------------------------------------------------

  // A checklist opened and left without an answer, note or photo leaves nothing behind.
  var lastInspection = null;

  function dropIfEmpty(uuid) {
    return FieldDB.get("inspections", uuid).then(function (record) {
      if (!record || record.state !== "draft") return null;
      var used = Object.keys(record.answers).some(function (key) {
        var e = record.answers[key];
        return (e.answer !== null && e.answer !== undefined && e.answer !== "") || e.note || (e.photos || []).length;
      });
      return used ? null : FieldDB.remove("inspections", uuid);
    });
  }

  function render() {
    if (!data) return FieldQueue.state.signedOut ? signedOutScreen() : notAvailable();
    if (lastInspection && location.hash !== "#i/" + lastInspection) {
      var leaving = lastInspection;
      lastInspection = null;
      return dropIfEmpty(leaving).then(render);
    }
    if (location.hash.slice(0, 3) === "#i/") lastInspection = decodeURIComponent(location.hash.slice(3));
    var hash = decodeURIComponent(location.hash.slice(1));
    var slash = hash.indexOf("/");
    var kind = slash === -1 ? hash : hash.slice(0, slash), arg = hash.slice(slash + 1);
    if (kind === "site") return chooseChecklist(arg);
    if (kind === "i") return inspect(arg);
    if (kind === "f") return fix(arg);
    return home();
  }

  window.addEventListener("hashchange", render);

  document.addEventListener("DOMContentLoaded", function () {
    // Ask the browser not to evict the phone's copy of the work when space runs low.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    // sw-register.js first forgets the data of a session that ended since the last page.
    var checked = window.InspectorSession ? window.InspectorSession.ready : Promise.resolve();
    checked.then(pruneSent).then(loadData).then(function (loaded) {
      data = loaded.data;
      if (data && !loaded.signedOut) refreshCsrfInputs(data.csrf_token);
      FieldQueue.configure(data, loaded.signedOut);
      if (location.pathname !== "/field/") {
        // Another page, opened with no network: the service worker answered with this app.
        root.parentNode.insertBefore(el("p", { class: "flash flash-info", role: "status", text: t("needs_network") }), root);
      }
      if (loaded.fresh) prefetchBeforePhotos(data);
      render();
      showSync();
      FieldQueue.kick();
    });
  });
})();
