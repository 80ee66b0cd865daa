// What the phone knows of the signed-in user's world (/field/data.json: the user, sites,
// checklists, findings, their server-side drafts and returned inspections, today's closed
// period, a CSRF token): the freshest of the copy in the page, the copy kept in IndexedDB and
// the network's. Forgotten when the session ends (static/js/sw-register.js).

import { fetchData } from "./api.js";
import { store } from "./store.js";

function embedded() {
  const node = document.getElementById("field-data");
  try {
    return node ? JSON.parse(node.textContent) : null;
  } catch {
    return null;
  }
}

const fresher = (a, b) => (!b || (a && a.generated_at > b.generated_at) ? a : b);

async function keep(data) {
  await store.put("meta", { key: "data", value: data, saved_at: new Date().toISOString() });
}

// The data to start with, without waiting for the network.
export async function startingData() {
  const saved = await store.get("meta", "data");
  const page = embedded();
  const best = fresher(page, saved && saved.value);
  // A page of another user than the kept data (sw-register.js forgets on a new session; this
  // is the same rule, in case that check could not run).
  if (best && page && best.user.username !== page.user.username) return page;
  if (best && best === page) await keep(page);
  return best;
}

// From the network: {data} (kept), {signedOut: true} (forgotten), or {} offline.
export async function freshData() {
  const answer = await fetchData();
  if (answer.signedOut) {
    if (window.InspectorSession) await window.InspectorSession.forget();
    return answer;
  }
  if (answer.data) await keep(answer.data);
  return answer;
}

// Before photos of findings, and the photos of deductions a lead may appeal, fetched while
// online so the service worker has them offline.
export function prefetchPhotos(data) {
  const urls = [
    ...data.findings.flatMap((finding) => finding.before),
    ...(data.appeals?.appealable || []).flatMap((deduction) => deduction.photos || []),
  ];
  for (const url of urls) fetch(url, { credentials: "same-origin" }).catch(() => {});
}
