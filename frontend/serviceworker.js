// Leerregie's service worker (served at /sw.js by frontend/views/app.py, which puts
// VERSION, PRECACHE and OFFLINE_HTML above this line).
//
// - The app's own static files: cached at install, served from the cache (a new VERSION
//   means new files: the old cache is dropped).
// - Pupil pages (/leerling/...): from the network when it answers, and kept; from the
//   cache when it does not, so a pupil page opens offline and shows what still waits in
//   the outbox. Switching pupils empties this cache (outbox.js).
// - Everything else (the API, photos, teacher pages, WebSockets) is never cached.
const STATIC = `leerregie-static-${VERSION}`;
const PAGES = "leerregie-pages";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("leerregie-static-") && key !== STATIC)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function offline() {
  return new Response(OFFLINE_HTML, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate" && url.pathname.startsWith("/leerling/")) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(PAGES).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() =>
          caches
            .open(PAGES)
            .then((cache) => cache.match(request))
            .then((hit) => hit || offline()),
        ),
    );
  }
});
