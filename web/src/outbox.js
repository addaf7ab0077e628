// The phone's outbox (待发送): sweep visits, care visits, field logs (走访巡查) and case
// reports made without a network are kept on the device (IndexedDB, photos as blobs) and sent
// in order when the network returns (the online event, and retries with a growing wait). Each
// submission gets its Idempotency-Key when the user submits it, and keeps it through every
// retry, so the server does it exactly once however often it is sent (api/idempotency.c); each
// photo has a key derived from it. A sweep visit whose resident someone else changed meanwhile
// comes back 409 version_conflict: the item waits as 'conflict' with both versions until its
// user chooses (conflict.js), and is then sent again under a new key — never resent as it was.
import { reactive, toRaw } from 'vue'
import { ApiError, api } from './api.js'
import { uploadPhoto } from './cases.js'
import { isVersionConflict } from './conflict.js'

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

// Keeps a submission: kind ('case', 'care_visit', 'sweep_visit', 'field_log'), a label to
// show, the POST path and body, the photos (Blobs) to upload first, the key made at submit
// time, and for a sweep visit the residents as the phone loaded them ({ id: resident }, to
// show what someone else changed should they conflict).
export async function enqueue({ kind, label, path, body, photos = [], key = newKey(), basis = null }) {
  const item = {
    kind,
    label,
    path,
    body,
    photos,
    key,
    basis,
    status: 'pending',
    error: '',
    tries: 0,
    created_at: Date.now(),
  }
  await tx('readwrite', (s) => s.add(plain(item)))
  await loadOutbox()
  later(wait)
  return item
}

// Sends one submission now (online), with its key; the photos are uploaded first (under the
// first key the submission had: a resolved conflict changes the body's key, not the photos').
export async function sendNow({ path, body, photos = [], key = newKey(), photo_key: photoKey }) {
  const hashes = []
  for (let i = 0; i < photos.length; i++) {
    const r = await uploadPhoto(photos[i], { headers: { 'Idempotency-Key': `${photoKey || key}.photo${i}` } })
    hashes.push(r.hash)
  }
  const full = hashes.length ? { ...body, photos: [...(body.photos || []), ...hashes] } : body
  return api.post(path, full, { headers: { 'Idempotency-Key': key } })
}

// Submits: online it is sent at once; without a network it waits in the outbox. Returns
// { sent: answer } or { queued: item }. `stamp` names a body field that, when the submission
// is queued, records when it was made (a field log's seen_at), not when it is finally sent.
export async function submitOrQueue({ stamp, ...sub }) {
  const key = sub.key || newKey()
  if (navigator.onLine) {
    try {
      return { sent: await sendNow({ ...sub, key }) }
    } catch (e) {
      if (!offlineError(e)) throw e
    }
  }
  const body = stamp ? { ...sub.body, [stamp]: new Date().toISOString() } : sub.body
  return { queued: await enqueue({ ...sub, body, key }) }
}

// IndexedDB clones plain values only: never Vue's proxies of them.
const plain = (item) => {
  const x = toRaw(item)
  const json = (v) => (v == null ? null : JSON.parse(JSON.stringify(v)))
  return {
    ...x,
    photos: [...(toRaw(x.photos) || [])],
    body: json(x.body),
    basis: json(x.basis),
    conflict: json(x.conflict),
  }
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

// What a refused send leaves the item as: waiting to try again (no network, signed out, busy,
// the same key still running elsewhere), waiting for its user's choice (a stale version), or
// failed (the server refused it: shown with the reason, retried or deleted by hand).
function refused(item, e) {
  item.tries += 1
  item.error = e.message
  if (isVersionConflict(e)) {
    item.status = 'conflict'
    item.conflict = {
      current: e.current,
      current_version: e.currentVersion,
      field: e.errors?.[0]?.field || '',
    }
    return 'conflict'
  }
  const again = offlineError(e) || [401, 429, 503].includes(e.status) || e.code === 'idempotency_in_progress'
  item.status = again ? 'pending' : 'failed'
  return again ? 'later' : 'failed'
}

// Sends what waits, oldest first; stops at the first network failure and tries again later;
// an item that failed or waits for its user's choice is passed over.
export async function flush() {
  if (outbox.sending) return
  outbox.sending = true
  clearTimeout(timer)
  try {
    await loadOutbox()
    for (const raw of outbox.items) {
      if (raw.status === 'failed' || raw.status === 'conflict') continue
      const item = plain(raw)
      try {
        item.status = 'sending'
        await put(item)
        await sendNow(item)
        await tx('readwrite', (s) => s.delete(item.id))
        wait = 2000
      } catch (e) {
        const what = refused(item, e)
        await put(item)
        if (what === 'later') {
          later(wait)
          wait = Math.min(wait * 2, 60000)
          break
        }
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

// A conflict resolved: the item goes again with the body its user chose, under a new key (the
// refused request left nothing under the old one, but the body differs now), its photos still
// under the first one.
export async function resolveConflict(item, body) {
  const x = plain(item)
  await put({
    ...x,
    body,
    key: newKey(),
    photo_key: x.photo_key || x.key,
    status: 'pending',
    error: '',
    conflict: null,
  })
  await flush()
}

let started = false
export function startOutbox() {
  if (started || typeof indexedDB === 'undefined') return
  started = true
  window.addEventListener('online', () => flush())
  loadOutbox().then(() => (navigator.onLine ? flush() : outbox.items.length && later(2000)))
}
