// The app shell's service worker (hand-written): pages are fetched from the network first and
// fall back to the cached shell (/index.html) without one; the built files (/assets/…, content-
// hashed, all cached when it installs) and icons come from the cache. The API is never cached: what the phone
// records offline waits in its outbox (src/outbox.js), not here.
const CACHE = 'jiceng-shell-v1'
const SHELL = ['/', '/index.html', '/manifest.json', '/icon.svg', '/icon-192.png', '/favicon.svg']

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // The shell, then every built file the build listed (precache.json, vite.config.js).
      .then((c) =>
        c.addAll(SHELL).then(() =>
          fetch('/precache.json')
            .then((r) => (r.ok ? r.json() : []))
            .then((files) => c.addAll(files))
            .catch(() => {}),
        ),
      )
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  const url = new URL(req.url)
  if (req.method !== 'GET' || url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/metrics') return
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          const copy = res.clone()
          caches.open(CACHE).then((c) => c.put('/index.html', copy))
          return res
        })
        .catch(() => caches.match('/index.html')),
    )
    return
  }
  event.respondWith(
    caches.match(req).then(
      (hit) =>
        hit ||
        fetch(req).then((res) => {
          if (res.ok) {
            const copy = res.clone()
            caches.open(CACHE).then((c) => c.put(req, copy))
          }
          return res
        }),
    ),
  )
})
