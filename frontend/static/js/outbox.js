// The pupil's outbox. Every pupil write goes through `submit`: it is kept in IndexedDB
// until the server has confirmed it, sent with one idempotency key however often it is
// retried (so it is stored once), and retried with backoff, at once when the connection
// returns, and on the next page load. Photos wait here as Blobs, so they survive a
// reload. The banner [data-outbox] tells the pupil calmly what is still waiting.
//
// Items belong to the pupil who made them (`owner`): on a shared Chromebook the next
// pupil's session never sends them.
import { csrfToken, newKey } from "./api.js";
import { format, texts } from "./texts.js";

const DB_NAME = "leerregie";
const STORE = "outbox";
const owner = document.body.dataset.pupil || "";
const banner = document.querySelector("[data-outbox]");
let attempt = 0;
let timer = null;
let flushing = null;
let hadPending = false;
let stalled = false; // the last flush stopped on an item without an answer

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = action(transaction.objectStore(STORE));
    transaction.oncomplete = () => {
      db.close();
      resolve(request ? request.result : undefined);
    };
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

const put = (item) => store("readwrite", (s) => s.put(item));
const remove = (key) => store("readwrite", (s) => s.delete(key));

export async function pending() {
  const all = (await store("readonly", (s) => s.getAll())) || [];
  return all.filter((item) => item.owner === owner).sort((a, b) => a.created - b.created);
}

function body(item) {
  if (item.kind === "json") return item.body;
  const form = new FormData();
  for (const [name, value, filename] of item.body) {
    if (filename) form.append(name, value, filename);
    else form.append(name, value);
  }
  return form;
}

// saved: the server stored it. refused: the server said no (it will never say yes).
// waiting: no answer, or "try later" (offline, server trouble, logged out).
async function send(item) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": item.key };
  if (item.kind === "json") headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(item.url, { method: item.method, credentials: "same-origin", headers, body: body(item) });
  } catch {
    return { state: "waiting" };
  }
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (response.ok) return { state: "saved", status: response.status, data };
  if (response.status >= 500 || [401, 403, 408, 429].includes(response.status)) return { state: "waiting" };
  return { state: "refused", status: response.status, data };
}

function show(count, justDrained) {
  if (!banner) return;
  if (count > 0) {
    banner.hidden = false;
    banner.dataset.state = "saving";
    banner.textContent = format(texts.waiting, { count });
  } else if (justDrained) {
    banner.hidden = false;
    banner.dataset.state = "saved";
    banner.textContent = texts.allSaved;
    setTimeout(() => { banner.hidden = true; }, 4000);
  }
}

async function refreshBanner() {
  const count = (await pending()).length;
  show(count, hadPending && count === 0);
  if (count === 0 && hadPending) window.dispatchEvent(new CustomEvent("outbox:drained"));
  hadPending = count > 0;
  document.body.dataset.outboxPending = String(count);
  return count;
}

function schedule() {
  clearTimeout(timer);
  const delay = Math.min(60000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
  attempt += 1;
  timer = setTimeout(flush, delay);
}

const results = new Map(); // what the server said, for the submit() that waits for it

// Sends what waits, oldest first, one at a time (a later choice may depend on an earlier).
export function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    stalled = false;
    try {
      for (const item of await pending()) {
        const result = await send(item);
        if (result.state === "waiting") {
          stalled = true;
          schedule();
          return;
        }
        await remove(item.key);
        results.set(item.key, result);
        window.dispatchEvent(new CustomEvent("outbox:sent", { detail: { item, result } }));
      }
      attempt = 0;
    } finally {
      flushing = null;
      await refreshBanner();
    }
  })();
  return flushing;
}

// One pupil write. `payload` is an object (sent as JSON) or a FormData (files included).
// Resolves to {state: "saved"|"refused", status, data} or {state: "waiting"}.
export async function submit(url, payload, { method = "POST" } = {}) {
  const item = { key: newKey(), owner, url, method, created: Date.now() };
  if (payload instanceof FormData) {
    item.kind = "form";
    item.body = [...payload.entries()].map(([name, value]) =>
      value instanceof Blob ? [name, value, value.name || "upload"] : [name, value],
    );
  } else {
    item.kind = "json";
    item.body = payload === undefined ? null : JSON.stringify(payload);
  }
  try {
    await put(item);
  } catch {
    return send(item); // no IndexedDB (a private window): at least try once
  }
  await flush();
  if (!results.has(item.key) && !stalled && (await pending()).some((i) => i.key === item.key)) {
    // A flush that began before this item was kept did not see it; one more, in order.
    await flush();
  }
  const result = results.get(item.key) || { state: "waiting" };
  results.delete(item.key);
  return result;
}

if (owner) {
  window.addEventListener("online", () => {
    attempt = 0;
    flush();
  });
  refreshBanner().then((count) => {
    if (count) flush();
  });
  document.body.dataset.outboxReady = "1";
}

// The installable app: the service worker keeps the pupil's pages and files for offline.
if ("serviceWorker" in navigator && owner) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}

// Leaving (switch pupil, log out): the next pupil on this device must not see this
// pupil's pages from the offline cache.
document.querySelectorAll("form[data-forget-pages]").forEach((form) => {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.forgotten) return;
    event.preventDefault();
    try {
      await caches.delete("leerregie-pages");
    } catch {
      // no Cache API: nothing was kept
    }
    form.dataset.forgotten = "1";
    form.submit();
  });
});
