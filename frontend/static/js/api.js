// Writes to the API with an Idempotency-Key: a retry after a dropped connection sends
// the same key, so the server stores the write once. Pupils' writes go through
// outbox.js, which keeps them until the server confirmed them.

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; a school server on plain http has none.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// The cookie first: a page served from the offline cache may carry an older token.
export function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// POST with retries on network failures and 5xx, with backoff, always with the same key.
async function send(url, body, contentType, { key = newKey(), attempts = 4 } = {}) {
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      const headers = { Accept: "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": key };
      if (contentType) headers["Content-Type"] = contentType;
      const response = await fetch(url, { method: "POST", credentials: "same-origin", headers, body });
      if (response.status < 500) {
        const data = await response.json().catch(() => ({}));
        return { ok: response.ok, status: response.status, data };
      }
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await sleep(Math.min(4000, 300 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
  throw lastError;
}

export function postJSON(url, body, options) {
  return send(url, JSON.stringify(body), "application/json", options);
}

export function errorText(data) {
  const first = Object.values(data || {})[0];
  return Array.isArray(first) ? String(first[0]) : typeof first === "string" ? first : "";
}
