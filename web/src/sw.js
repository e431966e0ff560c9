// Service worker of the ejournal front end: caches the app shell so the app opens without a network.
// API requests (/v1/…) are never cached: journal data must always be fresh, and marks entered offline
// wait in the app's own queue (src/queue.ts), not here.
const CACHE = 'ejournal-shell-__VERSION__';
const FILES = __FILES__;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ejournal-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.includes('/v1/')) {
    return;
  }
  if (req.mode === 'navigate') {
    // The page itself: the network first (a new build), the cached shell when offline.
    event.respondWith(fetch(req).catch(() => caches.match('./', { ignoreSearch: true, ignoreVary: true }).then((r) => r || Response.error())));
    return;
  }
  if (url.pathname.endsWith('/config.json')) {
    event.respondWith(
      fetch(req)
        .then((r) => { const copy = r.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); return r; })
        .catch(() => caches.match(req, { ignoreVary: true }).then((r) => r || Response.error())),
    );
    return;
  }
  // Built files have hashed names: the cached copy is always right. Hosts may send Vary: Origin, which a
  // module script's CORS request would not match, so Vary is ignored.
  event.respondWith(caches.match(req, { ignoreVary: true }).then((r) => r || fetch(req)));
});
