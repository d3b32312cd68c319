// The pupil's outbox. Every pupil write goes through `submit`: it is kept in IndexedDB
// until the server has confirmed it, sent with one idempotency key however often it is
// retried (so it is stored once), and retried with backoff, at once when the connection
// returns, and on the next page load. Photos wait here as Blobs, so they survive a
// reload. The banner [data-outbox] tells the pupil calmly what is still waiting.
//
// Items belong to the pupil who made them (`owner`): on a shared Chromebook the next
// pupil's session never sends them.
//
// Nothing traps what comes after it. An item the server refuses (a 4xx answer: it will
// never say yes) or that meets a server error three times is final: it is no longer
// retried and the items after it are sent. A photo that ends so is kept aside, and the
// pupil sees "Deze foto lukte niet" with its picture, read-aloud, "Opnieuw" (send it
// again) and "Weggooien" (remove it); any other write is answered as refused.
import { csrfToken, errorText, newKey } from "./api.js";
import { speak } from "./speak.js";
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
const SERVER_ERRORS_BEFORE_FINAL = 3;
const icon = (name) => new URL(`../icons/${name}.svg`, import.meta.url).href;

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

async function mine() {
  const all = (await store("readonly", (s) => s.getAll())) || [];
  return all.filter((item) => item.owner === owner).sort((a, b) => a.created - b.created);
}

// What still waits to be sent (not the photos kept aside after they failed).
export async function pending() {
  return (await mine()).filter((item) => !item.failed);
}

export async function failed() {
  return (await mine()).filter((item) => item.failed);
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
// error: the server broke on it (500); three of those in a row and it is final.
// waiting: no answer, or "try later" (offline, busy, a proxy between restarts, logged out).
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
  if ([401, 403, 408, 429, 502, 503, 504].includes(response.status)) return { state: "waiting" };
  if (response.status >= 500) return { state: "error", status: response.status, data };
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
  await showFailed();
  return count;
}

function schedule() {
  clearTimeout(timer);
  const delay = Math.min(60000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
  attempt += 1;
  timer = setTimeout(flush, delay);
}

const results = new Map(); // what the server said, for the submit() that waits for it

// A final answer for `item`: a photo is kept aside for the pupil to retry or throw away;
// any other write is done with.
async function settle(item, result) {
  if (item.kind === "form" && result.state === "refused") {
    await put({ ...item, failed: true, errors: 0, failure: { status: result.status, message: errorText(result.data) } });
  } else {
    await remove(item.key);
  }
  results.set(item.key, result);
  window.dispatchEvent(new CustomEvent("outbox:sent", { detail: { item, result } }));
}

// Sends what waits, oldest first, one at a time (a later choice may depend on an earlier).
export function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    stalled = false;
    try {
      for (const item of await pending()) {
        let result = await send(item);
        if (result.state === "error") {
          const errors = (item.errors || 0) + 1;
          if (errors < SERVER_ERRORS_BEFORE_FINAL) {
            await put({ ...item, errors });
            result = { state: "waiting" };
          } else {
            result = { ...result, state: "refused" };
          }
        }
        if (result.state === "waiting") {
          stalled = true;
          schedule();
          return;
        }
        await settle(item, result);
      }
      attempt = 0;
    } finally {
      flushing = null;
      await refreshBanner();
    }
  })();
  return flushing;
}

// --- Photos that did not work -------------------------------------------------------------

const shown = new Map(); // key -> object URL of the photo's picture

function failedPanel() {
  let panel = document.querySelector("section[data-outbox-failed]");
  if (!panel && banner) {
    panel = document.createElement("section");
    panel.className = "outbox-failed";
    panel.dataset.outboxFailed = "";
    panel.dataset.testid = "outbox-failed";
    panel.setAttribute("aria-live", "polite");
    banner.after(panel);
  }
  return panel;
}

function button(className, iconName, label) {
  const el = document.createElement("button");
  el.type = "button";
  el.className = className;
  const img = document.createElement("img");
  img.src = icon(iconName);
  img.alt = "";
  img.width = 40;
  img.height = 40;
  el.append(img, document.createTextNode(label));
  return el;
}

function failedCard(item) {
  const card = document.createElement("div");
  card.className = "failed-photo";
  card.dataset.failedItem = item.key;
  card.setAttribute("role", "group");
  card.setAttribute("aria-label", texts.photoDidNotWork);
  const blob = (item.body || []).find(([, value]) => value instanceof Blob)?.[1];
  const picture = document.createElement("img");
  picture.className = "failed-picture";
  picture.alt = "";
  picture.width = 96;
  picture.height = 96;
  if (blob) {
    const url = URL.createObjectURL(blob);
    shown.set(item.key, url);
    picture.src = url;
  } else {
    picture.src = icon("camera");
  }
  const words = document.createElement("p");
  const title = document.createElement("strong");
  title.textContent = texts.photoDidNotWork;
  words.append(title);
  const message = item.failure?.message || "";
  if (message) {
    const why = document.createElement("span");
    why.textContent = message;
    words.append(document.createElement("br"), why);
  }
  const spoken = [texts.photoDidNotWorkSpoken, message].filter(Boolean).join(" ");
  const listen = document.createElement("button");
  listen.type = "button";
  listen.className = "speak";
  listen.setAttribute("aria-label", `${texts.readAloud}: ${texts.photoDidNotWork}`);
  const speaker = document.createElement("img");
  speaker.src = icon("speaker");
  speaker.alt = "";
  speaker.width = 28;
  speaker.height = 28;
  listen.append(speaker);
  listen.addEventListener("click", () => speak(spoken));
  const retry = button("button big", "retry", texts.retry);
  retry.dataset.retry = "";
  retry.addEventListener("click", () => retryFailed(item.key));
  const away = button("button big secondary", "erase", texts.throwAway);
  away.dataset.throwAway = "";
  away.addEventListener("click", () => throwAway(item.key));
  const actions = document.createElement("div");
  actions.className = "failed-actions";
  actions.append(retry, away);
  card.append(picture, words, listen, actions);
  return card;
}

async function showFailed() {
  const panel = failedPanel();
  if (!panel) return;
  let items = [];
  try {
    items = await failed();
  } catch {
    return; // no IndexedDB: nothing can be kept aside
  }
  for (const url of shown.values()) URL.revokeObjectURL(url);
  shown.clear();
  panel.replaceChildren(...items.map(failedCard));
  panel.hidden = items.length === 0;
  document.body.dataset.outboxFailedCount = String(items.length);
}

async function retryFailed(key) {
  const item = (await failed()).find((i) => i.key === key);
  if (!item) return;
  const { failed: _failed, failure: _failure, ...again } = item;
  await put({ ...again, errors: 0 });
  attempt = 0;
  await showFailed();
  await flush();
}

async function throwAway(key) {
  await remove(key);
  window.dispatchEvent(new CustomEvent("outbox:discarded", { detail: { key } }));
  await showFailed();
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
    // No IndexedDB (a private window): at least try once.
    const result = await send(item);
    return result.state === "error" ? { ...result, state: "refused" } : result;
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
