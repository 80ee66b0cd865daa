// The send queue: photos first, then the inspection (or a finding's fix), through the API's
// idempotent PUTs, so a retry after a lost answer never makes a second record. Work stays in
// IndexedDB until the server has confirmed it; sending resumes whenever the app is open and
// online. Final refusals (409, 422, ...) are kept on the record for the inspector to fix.
"use strict";

window.FieldQueue = (function () {
  var DELAYS = [2, 5, 15, 30, 60, 120, 300]; // seconds between attempts while sending fails
  var state = { sending: false, signedOut: false, online: navigator.onLine, nextTry: null };
  var me = null, csrf = null, timer = null, failures = 0, listeners = [];

  function emit() { listeners.forEach(function (listener) { listener(state); }); }

  function Stop(kind) { this.kind = kind; } // "retry" later, or "signin" first

  function configure(data, signedOut) {
    me = data ? data.user.username : null;
    csrf = data ? data.csrf_token : null;
    state.signedOut = Boolean(signedOut);
    emit();
  }

  function freshToken() {
    return fetch("/field/data.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected || response.status === 401) throw new Stop("signin");
        if (!response.ok) throw new Stop("retry");
        return response.json();
      })
      .then(function (data) {
        if (data.user.username !== me) throw new Stop("signin"); // someone else signed in
        csrf = data.csrf_token;
      }, function (error) {
        throw error instanceof Stop ? error : new Stop("retry");
      });
  }

  // One API call: {status, body}. Network failures, 5xx and 429 become Stop("retry"),
  // 401 Stop("signin"); a stale CSRF token is renewed and the call made once more.
  function call(method, url, body, renewed) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrf || "" };
    var payload = body;
    if (!(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    return fetch(url, { method: method, body: payload, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return { status: response.status, body: json };
        });
      }, function () { throw new Stop("retry"); })
      .then(function (answer) {
        var code = answer.body.error && answer.body.error.code;
        if (answer.status === 403 && code === "csrf" && !renewed) {
          return freshToken().then(function () { return call(method, url, body, true); });
        }
        if (answer.status === 401) throw new Stop("signin");
        if (answer.status >= 500 || answer.status === 429) throw new Stop("retry");
        return answer;
      });
  }

  function refusal(answer, what) {
    var error = answer.body.error || {};
    return { status: answer.status, what: what || null, message: error.message || String(answer.status), fields: error.fields || {} };
  }

  function sendPhoto(uuid) {
    return FieldDB.get("photos", uuid).then(function (photo) {
      if (!photo || photo.sent) return null; // confirmed already
      var form = new FormData();
      form.append("file", new Blob([photo.bytes], { type: photo.type }), uuid + ".jpg");
      if (photo.taken_at) form.append("taken_at", photo.taken_at);
      if (photo.lat != null) { form.append("lat", photo.lat); form.append("lon", photo.lon); }
      return call("PUT", "/api/v1/photos/" + uuid, form).then(function (answer) {
        if (answer.status !== 200 && answer.status !== 201) return refusal(answer, "photo");
        photo.sent = true;
        return FieldDB.put("photos", photo).then(function () { return null; });
      });
    });
  }

  // Photos one after another; the first refusal stops the record.
  function sendPhotos(uuids) {
    return uuids.reduce(function (chain, uuid) {
      return chain.then(function (refused) { return refused || sendPhoto(uuid); });
    }, Promise.resolve(null));
  }

  function finish(store, record, answer) {
    if (answer.status === 200 || answer.status === 201) {
      record.state = "sent";
      record.result = answer.body;
      record.sent_at = new Date().toISOString();
      record.error = null;
      // The server has the photos now: free the phone's space.
      return Promise.all(record.photo_uuids.map(function (uuid) { return FieldDB.remove("photos", uuid); }))
        .then(function () { return FieldDB.put(store, record); });
    }
    record.state = "error";
    record.error = refusal(answer);
    return FieldDB.put(store, record);
  }

  function sendRecord(item) {
    var record = item.record;
    return sendPhotos(record.photo_uuids).then(function (refused) {
      if (refused) {
        record.state = "error";
        record.error = refused;
        return FieldDB.put(item.store, record);
      }
      return call(item.method, item.url, record.body).then(function (answer) {
        return finish(item.store, record, answer);
      });
    }).then(emit);
  }

  function waiting() {
    return Promise.all([FieldDB.all("inspections"), FieldDB.all("fixes")]).then(function (lists) {
      var items = lists[0].filter(mine).map(function (record) {
        return { store: "inspections", record: record, method: "PUT", url: "/api/v1/inspections/" + record.uuid };
      });
      return items.concat(lists[1].filter(mine).map(function (record) {
        return { store: "fixes", record: record, method: "POST", url: "/api/v1/findings/" + record.uuid + "/fix" };
      }));
    });
  }

  function mine(record) { return record.state === "waiting" && record.user === me; }

  function sendAll() {
    return waiting().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () { return sendRecord(item); });
      }, Promise.resolve());
    });
  }

  function withLock(work) {
    // One tab sends at a time; the others leave it to that one.
    if (navigator.locks) {
      return navigator.locks.request("inspector-send", { ifAvailable: true }, function (lock) {
        return lock ? work() : null;
      });
    }
    return work();
  }

  function kick() {
    clearTimeout(timer);
    timer = null;
    if (state.sending || !me) return Promise.resolve();
    state.sending = true;
    emit();
    state.nextTry = null;
    return withLock(sendAll).then(function () {
      failures = 0;
      state.signedOut = false;
    }, function (stop) {
      if (stop instanceof Stop && stop.kind === "signin") {
        // The session ended or is someone else's: forget its cached data (sw-register.js).
        if (!state.signedOut && window.InspectorSession) window.InspectorSession.forget();
        state.signedOut = true;
      } else {
        var delay = DELAYS[Math.min(failures, DELAYS.length - 1)] * 1000;
        timer = setTimeout(kick, delay);
        state.nextTry = new Date(Date.now() + delay);
        failures += 1;
      }
    }).then(function () {
      state.sending = false;
      emit();
    });
  }

  window.addEventListener("online", function () { state.online = true; failures = 0; kick(); });
  window.addEventListener("offline", function () { state.online = false; emit(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") kick();
  });

  return {
    configure: configure,
    kick: kick,
    state: state,
    onChange: function (listener) { listeners.push(listener); },
    me: function () { return me; },
  };
})();
