// The signed-in user, kept in memory; the CSRF token lives in api.js.
import { reactive } from 'vue'
import { api, setCsrfToken } from './api.js'

export const DESK_ROLES = ['admin', 'district', 'street', 'community', 'department']

export const session = reactive({ user: null, loaded: false })

// The signed-in user as last seen, so the phone app opens without a network (its outbox sends
// later with the session's CSRF token); forgotten on sign-out and when the session is gone.
const KEPT = 'jiceng-me'

export async function loadMe() {
  try {
    const me = await api.get('/me', { auth: false })
    setCsrfToken(me.csrf_token)
    session.user = me
    localStorage.setItem(KEPT, JSON.stringify(me))
  } catch (e) {
    const kept = e.status === 0 ? JSON.parse(localStorage.getItem(KEPT) || 'null') : null
    if (kept) {
      setCsrfToken(kept.csrf_token)
      session.user = kept
      return
    }
    if (e.status !== 401) throw e
    localStorage.removeItem(KEPT)
    session.user = null
  } finally {
    session.loaded = true
  }
}

export async function signIn(username, password) {
  const r = await api.post('/session', { username, password }, { auth: false })
  setCsrfToken(r.csrf_token)
  session.user = r.user
  session.loaded = true
  return r.user
}

export async function signOut() {
  try {
    await api.del('/session', { auth: false })
  } finally {
    forget()
  }
}

export function forget() {
  localStorage.removeItem(KEPT)
  session.user = null
  setCsrfToken(null)
}

export const grantsOf = (user) => (user && Array.isArray(user.grants) ? user.grants : [])
export const isAdmin = (user) => grantsOf(user).some((g) => g.role === 'admin')
// Field roles only (supervisor, grid staff, building leaders, cadres, residents) → the phone layout.
export const isFieldOnly = (user) => {
  const g = grantsOf(user)
  return g.length > 0 && g.every((x) => !DESK_ROLES.includes(x.role))
}
export const homeFor = (user) => (isFieldOnly(user) ? '/m' : '/')
