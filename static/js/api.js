// Every URL the field app uses, in one place, and the calls the send queue makes. Calls go
// through XMLHttpRequest, the one browser API that reports upload progress (a photo on a weak
// uplink takes seconds: the phone shows how far it got).

export const urls = {
  home: "/",
  start: "/field/start",
  startAt: (site) => `/field/start/${encodeURIComponent(site)}`,
  mine: "/field/inspections",
  inspection: (uuid) => `/field/inspections/${uuid}`,
  review: (uuid) => `/field/inspections/${uuid}/review`,
  findings: "/field/findings",
  finding: (id) => `/field/findings/${id}`,
  newActivity: "/field/activities/new",
  activity: (uuid) => `/field/activities/${uuid}`,
  assignment: (id) => `/field/assignments/${id}`,
  appeal: (inspection, item) => `/field/appeals/${inspection}/${encodeURIComponent(item)}`,
  serverAppeal: (id) => `/appeals/${id}`,
  data: "/field/data.json",
  shell: "/field/",
  signIn: "/login?next=/",
  serverInspection: (uuid) => `/inspections/${uuid}`,
  scores: "/scores/",
  apiPhoto: (uuid) => `/api/v1/photos/${uuid}`,
  apiFile: (uuid) => `/api/v1/files/${uuid}`,
  apiInspection: (uuid) => `/api/v1/inspections/${uuid}`,
  apiFix: (id) => `/api/v1/findings/${id}/fix`,
  apiActivity: (uuid) => `/api/v1/activities/${uuid}`,
  apiOutcome: (id) => `/api/v1/assignments/${id}/outcome`,
  apiAppeal: (uuid) => `/api/v1/appeals/${uuid}`,
  apiWithdrawal: (uuid) => `/api/v1/appeals/${uuid}/withdraw`,
};

// {status, body, retryAfter}; status 0 when the network failed.
function request(method, url, payload, headers, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onProgress) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
    }
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText || "{}");
      } catch {
        body = {};
      }
      // Sent to the sign-in page: the session is gone.
      const status =
        xhr.responseURL && new URL(xhr.responseURL).pathname === "/login" ? 401 : xhr.status;
      resolve({ status, body, retryAfter: Number(xhr.getResponseHeader("Retry-After")) || 0 });
    };
    xhr.onerror =
      xhr.ontimeout =
      xhr.onabort =
        () => resolve({ status: 0, body: {}, retryAfter: 0 });
    xhr.send(payload);
  });
}

export const api = {
  target(kind, uuid) {
    if (kind === "fix") return { method: "POST", url: urls.apiFix(uuid) };
    if (kind === "activity") return { method: "PUT", url: urls.apiActivity(uuid) };
    if (kind === "outcome") return { method: "POST", url: urls.apiOutcome(uuid) };
    if (kind === "appeal") return { method: "PUT", url: urls.apiAppeal(uuid) };
    if (kind === "withdrawal") return { method: "POST", url: urls.apiWithdrawal(uuid) };
    return { method: "PUT", url: urls.apiInspection(uuid) };
  },

  call(method, url, body, csrf) {
    const headers = {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrf || "",
    };
    return request(method, url, JSON.stringify(body), headers, null);
  },

  // A photo to /api/v1/photos, or a document (kind "file") to /api/v1/files under its name.
  putUpload(photo, csrf, onProgress) {
    const form = new FormData();
    const headers = { Accept: "application/json", "X-CSRFToken": csrf || "" };
    if (photo.kind === "file") {
      form.append("file", new Blob([photo.bytes], { type: photo.type }), photo.name);
      return request("PUT", urls.apiFile(photo.uuid), form, headers, onProgress);
    }
    form.append("file", new Blob([photo.bytes], { type: photo.type }), `${photo.uuid}.jpg`);
    if (photo.taken_at) form.append("taken_at", photo.taken_at);
    if (photo.lat != null) {
      form.append("lat", photo.lat);
      form.append("lon", photo.lon);
    }
    return request("PUT", urls.apiPhoto(photo.uuid), form, headers, onProgress);
  },

  // The session as the server sees it now: {user, csrf}, or {signedOut: true}.
  async session() {
    const answer = await fetchData();
    if (answer.signedOut) return { signedOut: true };
    if (!answer.data) return {};
    return { user: answer.data.user.username, csrf: answer.data.csrf_token, data: answer.data };
  },
};

// GET /field/data.json: {data}, {signedOut: true}, or {} when the network failed.
export async function fetchData() {
  try {
    const response = await fetch(urls.data, { credentials: "same-origin", cache: "no-store" });
    if (response.redirected || response.status === 401) return { signedOut: true };
    if (!response.ok) return {};
    return { data: await response.json() };
  } catch {
    return {};
  }
}
