// The phone's outbox (待发送): sweep visits, care visits and case reports made without a
// network are kept on the device (IndexedDB, photos as blobs) and sent in order when the
// network returns (the online event, and retries with a growing wait). Each submission gets
// its Idempotency-Key when the user submits it, and keeps it through every retry, so the
// server does it exactly once however often it is sent (api/idempotency.c); each photo has
// a key derived from it.
import { reactive, toRaw } from 'vue'
import { ApiError, api } from './api.js'
import { uploadPhoto } from './cases.js'

const DB = 'jiceng-outbox'
const STORE = 'items'

export const outbox = reactive({ items: [], sending: false })

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true })
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

async function tx(mode, fn) {
  const db = await open()
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode)
    const out = fn(t.objectStore(STORE))
    t.oncomplete = () => resolve(out?.result)
    t.onerror = () => reject(t.error)
  })
}

export async function loadOutbox() {
  outbox.items = ((await tx('readonly', (s) => s.getAll())) || []).sort((a, b) => a.id - b.id)
}

export const newKey = () =>
  globalThis.crypto?.randomUUID
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

// A network failure (no answer at all), as opposed to the server refusing.
export const offlineError = (e) => e instanceof ApiError && e.status === 0

// Keeps a submission: kind ('case', 'care_visit', 'sweep_visit'), a label to show, the POST
// path and body, the photos (Blobs) to upload first, and the key made at submit time.
export async function enqueue({ kind, label, path, body, photos = [], key = newKey() }) {
  const item = { kind, label, path, body, photos, key, status: 'pending', error: '', tries: 0, created_at: Date.now() }
  await tx('readwrite', (s) => s.add(plain(item)))
  await loadOutbox()
  later(wait)
  return item
}

// Sends one submission now (online), with its key; the photos are uploaded first.
export async function sendNow({ path, body, photos = [], key = newKey() }) {
  const hashes = []
  for (let i = 0; i < photos.length; i++) {
    const r = await uploadPhoto(photos[i], { headers: { 'Idempotency-Key': `${key}.photo${i}` } })
    hashes.push(r.hash)
  }
  const full = hashes.length ? { ...body, photos: [...(body.photos || []), ...hashes] } : body
  return api.post(path, full, { headers: { 'Idempotency-Key': key } })
}

// Submits: online it is sent at once; without a network it waits in the outbox. Returns
// { sent: answer } or { queued: item }.
export async function submitOrQueue(sub) {
  const key = sub.key || newKey()
  if (navigator.onLine) {
    try {
      return { sent: await sendNow({ ...sub, key }) }
    } catch (e) {
      if (!offlineError(e)) throw e
    }
  }
  return { queued: await enqueue({ ...sub, key }) }
}

// IndexedDB clones plain values only: never Vue's proxies of them.
const plain = (item) => {
  const x = toRaw(item)
  return { ...x, photos: [...(toRaw(x.photos) || [])], body: JSON.parse(JSON.stringify(x.body)) }
}

async function put(item) {
  await tx('readwrite', (s) => s.put(plain(item)))
}

export async function removeItem(item) {
  await tx('readwrite', (s) => s.delete(item.id))
  await loadOutbox()
}

let timer = null
let wait = 2000

// The next try: while the phone says it is offline it only looks again every 2 s; a failed
// send while online waits longer each time (2 s doubling to 60 s).
function later(ms) {
  clearTimeout(timer)
  timer = setTimeout(() => (navigator.onLine ? flush() : later(2000)), ms)
}

// Sends what waits, oldest first; stops at the first network failure and tries again later.
export async function flush() {
  if (outbox.sending) return
  outbox.sending = true
  clearTimeout(timer)
  try {
    await loadOutbox()
    for (const raw of outbox.items) {
      if (raw.status === 'failed') continue
      const item = plain(raw)
      try {
        item.status = 'sending'
        await put(item)
        await sendNow(item)
        await tx('readwrite', (s) => s.delete(item.id))
        wait = 2000
      } catch (e) {
        item.tries += 1
        if (offlineError(e) || [401, 409, 429, 503].includes(e.status)) {
          item.status = 'pending'
          item.error = e.message
          await put(item)
          later(wait)
          wait = Math.min(wait * 2, 60000)
          break
        }
        item.status = 'failed'
        item.error = e.message
        await put(item)
      }
    }
  } finally {
    outbox.sending = false
    await loadOutbox()
  }
}

export async function retry(item) {
  await put({ ...plain(item), status: 'pending', error: '' })
  await flush()
}

let started = false
export function startOutbox() {
  if (started || typeof indexedDB === 'undefined') return
  started = true
  window.addEventListener('online', () => flush())
  loadOutbox().then(() => (navigator.onLine ? flush() : outbox.items.length && later(2000)))
}
