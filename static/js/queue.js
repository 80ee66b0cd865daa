// The send queue: each waiting record's photos first, then the record, through the API's
// idempotent PUTs (a retry after a lost answer never makes a second record). Work stays on
// the phone until the server has confirmed it. What it needs from the browser (storage, the
// network, timers, a lock between tabs) is passed in, so its retrying is tested in node.

import { localPhotos, recover, transition } from "./records.js";

// Seconds between attempts while sending fails: 2, 5, 15 s ... then every 5 minutes.
export const DELAYS = [2, 5, 15, 30, 60, 120, 300];
const OFFLINE_POLL_MS = 3000; // no signal: look again soon, without using up the delays

export function nextDelay(failures, retryAfter = 0) {
  const planned = DELAYS[Math.min(failures, DELAYS.length - 1)];
  return Math.max(planned, Math.min(retryAfter || 0, 3600)) * 1000;
}

// What an answer means for the queue.
export function classify(answer) {
  const status = answer.status;
  if (status === 200 || status === 201) return "ok";
  if (status === 401) return "signin";
  if (status === 403 && answer.body && answer.body.error && answer.body.error.code === "csrf") {
    return "csrf";
  }
  if (status === 0 || status >= 500 || status === 429) return "retry";
  return "refused";
}

class Stop {
  constructor(kind, retryAfter = 0) {
    this.kind = kind; // "retry" later, or "signin" first
    this.retryAfter = retryAfter;
  }
}

function refusal(answer, what = null) {
  const error = (answer.body && answer.body.error) || {};
  return {
    status: answer.status,
    what,
    message: error.message || String(answer.status),
    fields: error.fields || {},
  };
}

// An assignment closed as could-not-inspect or refused waits with the fixes: both are a few
// photos and a text, sent with one POST. So does an appeal's withdrawal (a POST, no photos).
const STORES = {
  inspection: "inspections",
  fix: "fixes",
  outcome: "fixes",
  activity: "activities",
  appeal: "appeals",
  withdrawal: "fixes",
};
const STORE_NAMES = [...new Set(Object.values(STORES))];

export function createQueue({ store, api, timers, isOnline, lock = (work) => work() }) {
  const state = { sending: false, signedOut: false, nextTry: null, progress: {}, me: null };
  let csrf = null;
  let timer = null;
  let failures = 0;
  const listeners = [];

  const emit = () => listeners.forEach((listener) => listener(state));

  function configure({ me, csrfToken, signedOut = false }) {
    state.me = me;
    csrf = csrfToken;
    state.signedOut = signedOut;
    emit();
  }

  async function call(method, url, body, renewed = false) {
    const answer = await api.call(method, url, body, csrf);
    const kind = classify(answer);
    if (kind === "csrf" && !renewed) {
      await renewToken();
      return call(method, url, body, true);
    }
    if (kind === "signin") throw new Stop("signin");
    if (kind === "retry") throw new Stop("retry", answer.retryAfter);
    return answer;
  }

  async function renewToken() {
    const fresh = await api.session();
    if (fresh.signedOut || fresh.user !== state.me) throw new Stop("signin");
    if (!fresh.csrf) throw new Stop("retry");
    csrf = fresh.csrf;
  }

  async function sendPhoto(uuid) {
    const photo = await store.get("photos", uuid);
    if (!photo || photo.sent) return null; // confirmed already
    const onProgress = (fraction) => {
      state.progress[uuid] = fraction;
      emit();
    };
    onProgress(0);
    let answer;
    try {
      answer = await api.putUpload(photo, csrf, onProgress);
      if (classify(answer) === "csrf") {
        await renewToken();
        answer = await api.putUpload(photo, csrf, onProgress);
      }
    } finally {
      delete state.progress[uuid];
    }
    const kind = classify(answer);
    if (kind === "signin") throw new Stop("signin");
    if (kind === "retry") throw new Stop("retry", answer.retryAfter);
    if (kind !== "ok") return refusal(answer, photo.kind === "file" ? "file" : "photo");
    await store.put("photos", { ...photo, sent: true });
    emit();
    return null;
  }

  async function save(record) {
    await store.put(STORES[record.kind], record);
    emit();
    return record;
  }

  async function sendRecord({ record: waiting, target }) {
    let record = await save(transition(waiting, "send"));
    try {
      for (const uuid of localPhotos(record)) {
        const refused = await sendPhoto(uuid);
        if (refused) return save(transition(record, "refused", { error: refused }));
      }
      const answer = await call(target.method, target.url, record.body);
      if (classify(answer) !== "ok") {
        return save(transition(record, "refused", { error: refusal(answer) }));
      }
      if (answer.body && answer.body.status === "returned") {
        // A returned inspection sent back exactly as it was: the server reads it as a retry.
        const error = { status: answer.status, code: "unchanged", message: "", fields: {} };
        return save(transition(record, "refused", { error }));
      }
      record = await save(transition(record, "accepted", { result: answer.body }));
      // The server has the photos now: free the phone's space.
      await Promise.all(localPhotos(record).map((uuid) => store.remove("photos", uuid)));
      return record;
    } catch (stop) {
      if (record.state === "sending") await save(transition(record, "retry"));
      throw stop;
    }
  }

  async function waitingRecords() {
    const mine = (r) => r.state === "waiting" && r.user === state.me;
    const waiting = [];
    for (const name of STORE_NAMES) {
      for (const r of (await store.all(name)).filter(mine)) {
        const kind = r.kind || (name === "inspections" ? "inspection" : "fix"); // older records
        waiting.push({ record: r, target: api.target(kind, r.uuid) });
      }
    }
    return waiting;
  }

  async function sendAll() {
    for (const record of await waitingRecords()) await sendRecord(record);
  }

  function schedule(ms) {
    timers.clear(timer);
    timer = timers.set(kick, ms);
    state.nextTry = new Date(timers.now() + ms);
  }

  // Work submitted while a send is under way is looked for again when that send ends;
  // without this it would wait for the next page, signal or timer.
  let again = false;

  async function kick() {
    timers.clear(timer);
    timer = null;
    state.nextTry = null;
    if (state.sending) {
      again = true;
      return;
    }
    if (!state.me) return;
    if (!isOnline()) {
      schedule(OFFLINE_POLL_MS);
      emit();
      return;
    }
    state.sending = true;
    again = false;
    emit();
    try {
      await lock(sendAll);
      failures = 0;
      state.signedOut = false;
    } catch (stop) {
      if (stop instanceof Stop && stop.kind === "signin") {
        state.signedOut = true;
      } else {
        // Offline in the middle: wait for the signal, without counting a failure.
        if (!isOnline()) schedule(OFFLINE_POLL_MS);
        else schedule(nextDelay(failures++, stop && stop.retryAfter));
        if (!(stop instanceof Stop)) console.error(stop); // a bug, not the network
      }
    } finally {
      state.sending = false;
      emit();
    }
    if (again && timer === null && !state.signedOut) await kick();
  }

  // The network is back: try at once, with the delays from the start.
  function online() {
    failures = 0;
    return kick();
  }

  // At start: records left half-sent by a closed tab wait again.
  async function recoverAll() {
    for (const name of STORE_NAMES) {
      for (const record of await store.all(name)) {
        const recovered = recover(record);
        if (recovered !== record) await store.put(name, recovered);
      }
    }
  }

  return {
    state,
    configure,
    kick,
    online,
    recoverAll,
    onChange: (listener) => listeners.push(listener),
  };
}
