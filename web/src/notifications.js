// The in-app inbox (GET /notifications): what awaits the signed-in user — cases to
// accept, verify or rate. Polled once a minute while a layout is shown.
import { computed, reactive } from 'vue'
import { api } from './api.js'

const POLL_MS = 60_000
export const inbox = reactive({ items: [], loaded: false })
export const unread = computed(() => inbox.items.filter((n) => !n.read_at).length)

let timer = null
let users = 0

let pending = null
export function loadInbox() {
  pending ??= api
    .get('/notifications?limit=30')
    .then(
      (r) => {
        inbox.items = r.items || []
        inbox.loaded = true
      },
      () => {
        /* a missed poll is retried on the next one */
      },
    )
    .finally(() => {
      pending = null
    })
  return pending
}

export async function markRead(n) {
  if (n.read_at) return
  try {
    const r = await api.post(`/notifications/${n.id}/read`)
    n.read_at = r?.read_at || new Date().toISOString()
  } catch {
    /* the notice stays unread; nothing else depends on it */
  }
}

export async function markAllRead() {
  await Promise.all(inbox.items.filter((n) => !n.read_at).map(markRead))
}

// Layouts call start() when mounted and stop() when unmounted.
export function startInbox() {
  users++
  if (timer) return
  loadInbox()
  timer = setInterval(() => document.visibilityState !== 'hidden' && loadInbox(), POLL_MS)
}

export function stopInbox() {
  users = Math.max(0, users - 1)
  if (!users && timer) {
    clearInterval(timer)
    timer = null
    inbox.items = []
    inbox.loaded = false
  }
}

// Opening a case answers the notices about it.
export async function markCaseRead(caseId) {
  if (!inbox.loaded) await loadInbox()
  return Promise.all(inbox.items.filter((n) => n.case_id === caseId && !n.read_at).map(markRead))
}
