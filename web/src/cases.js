// Shared pieces of the case closed loop (事件闭环) for the desk and the phone:
// names of states, actions, tiers and ratings in the current language, what each
// action asks for, the category table, and photo upload.
import { ref } from 'vue'
import { api, listAll } from './api.js'
import { lang, t } from './i18n.js'
import { grantsOf } from './session.js'

export const STATUSES = ['reported', 'accepted', 'rejected', 'dispatched', 'handling', 'handled', 'verified', 'closed']
export const TIERS = ['minor', 'private', 'major']
export const RATINGS = ['satisfied', 'basic', 'unsatisfied']
export const SOURCES = ['resident', 'patrol', 'hotline', 'reception', 'open311', 'building']
export const LEVELS = ['grid', 'community', 'street', 'district']
export const ACTIONS = [
  'accept',
  'dispatch',
  'start',
  'handle',
  'verify',
  'feedback',
  'close',
  'reject',
  'return',
  'escalate',
  'reopen',
  'merge',
  'supervise',
]

// What the server requires beyond the action itself; everything also takes an optional comment.
const NEEDS = {
  reject: ['comment'],
  return: ['comment'],
  escalate: ['comment'],
  reopen: ['comment'],
  handle: ['comment'],
  supervise: ['comment'],
  dispatch: ['unit'],
  feedback: ['rating'],
  merge: ['into'],
}
// Actions that may carry photos of the scene (before, during, after handling).
const WITH_PHOTOS = ['handle', 'verify', 'reopen', 'start', 'return', 'escalate']

export const actionNeeds = (a) => NEEDS[a] || []
export const actionTakesPhotos = (a) => WITH_PHOTOS.includes(a)
export const commentRequired = (a) => actionNeeds(a).includes('comment')

const BUTTON_TYPE = {
  accept: 'primary',
  dispatch: 'primary',
  start: 'primary',
  handle: 'primary',
  verify: 'primary',
  feedback: 'primary',
  close: 'success',
  reject: 'danger',
  return: 'danger',
  escalate: 'warning',
  reopen: 'warning',
  merge: 'info',
  supervise: 'warning',
}
export const actionType = (a) => BUTTON_TYPE[a] || 'default'
// The main path is drawn solid, the exceptions as outlines.
export const actionMain = (a) => ['accept', 'dispatch', 'start', 'handle', 'verify', 'feedback'].includes(a)
// Vant knows no 'info' button.
export const vantActionType = (a) => (actionType(a) === 'info' ? 'default' : actionType(a))
// Allowed actions in a steady order: the main path first, then the exceptions.
export const sortActions = (list) => ACTIONS.filter((a) => (list || []).includes(a))

export const statusName = (s) => (s ? t(`case.status.${s}`) : '')
export const actionName = (a) => (a ? t(`case.action.${a}`) : '')
export const tierName = (x) => (x ? t(`case.tier.${x}`) : '')
export const ratingName = (r) => (r ? t(`case.rating.${r}`) : '')
export const sourceName = (s) => (s ? t(`case.source.${s}`) : '')
export const deadlineName = (l) => (l ? t(`case.deadline.${l}`) : '')

const STATUS_TAG = {
  reported: 'warning',
  accepted: 'primary',
  rejected: 'info',
  dispatched: 'primary',
  handling: 'primary',
  handled: 'success',
  verified: 'success',
  closed: 'info',
}
export const statusTagType = (s) => STATUS_TAG[s] || 'info'
export const deadlineTagType = (l) => (l === 'red' ? 'danger' : l === 'yellow' ? 'warning' : 'success')
export const isOpen = (s) => s !== 'closed' && s !== 'rejected'

// The deadline that applies now: accepting while reported, handling while open.
export function currentDue(c) {
  if (!c?.deadlines || !isOpen(c.status)) return null
  return c.status === 'reported' ? c.deadlines.accept_due : c.deadlines.handle_due
}

// ---- categories (code table, cached for the session) ----
export const categories = ref([])
let categoriesLoad = null

export function loadCategories(force = false) {
  if (!categoriesLoad || force) {
    categoriesLoad = api.get('/categories').then(
      (r) => {
        categories.value = r.items || []
        return categories.value
      },
      (e) => {
        categoriesLoad = null
        throw e
      },
    )
  }
  return categoriesLoad
}

// A category's name in the current language; the server's Chinese name as a fallback.
export function categoryName(code, fallback) {
  const c = categories.value.find((x) => x.code === code)
  if (!c) return fallback || code || ''
  return lang.value === 'en' && c.name_en ? c.name_en : c.name
}

// ---- roles ----
export const rolesOf = (user) => new Set(grantsOf(user).map((g) => g.role))
export const isResidentOnly = (user) => {
  const r = rolesOf(user)
  return r.size > 0 && [...r].every((x) => x === 'resident')
}
export const canEditRules = (user) => {
  const r = rolesOf(user)
  return r.has('admin') || r.has('district')
}

// Who may see a reporter's full phone number (GET /cases/{id}?reveal=true, audited).
const REVEALERS = ['admin', 'district', 'street', 'community', 'grid_leader', 'grid_worker']
export const canReveal = (user) => [...rolesOf(user)].some((r) => REVEALERS.includes(r))

// The states a field user is asked to act on, most pressing first ("我的待办").
export function todoStatuses(user) {
  const r = rolesOf(user)
  const out = []
  const add = (...s) => s.forEach((x) => !out.includes(x) && out.push(x))
  if (r.has('admin') || r.has('district') || r.has('street') || r.has('community'))
    add('reported', 'accepted', 'handled')
  if (r.has('grid_leader')) add('reported', 'handled', 'accepted', 'handling')
  if (r.has('grid_worker') || r.has('supervisor')) add('handled', 'accepted', 'handling')
  if (r.has('department')) add('dispatched', 'handling')
  return out
}

// ---- photos ----
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']
export const PHOTO_MAX = 5 * 1024 * 1024
export const PHOTO_LIMIT = 9
export const photoUrl = (hash) => `/api/v1/photos/${encodeURIComponent(hash)}`

// Phone cameras produce large files: anything big or not JPEG/PNG/WebP is redrawn
// as a JPEG of at most 1920 px on its long side. Files the browser cannot decode
// are sent as they are (the server answers 415 for what it does not accept).
async function shrink(file) {
  if (PHOTO_TYPES.includes(file.type) && file.size <= 1.5 * 1024 * 1024) return file
  try {
    const bmp = await createImageBitmap(file)
    const scale = Math.min(1, 1920 / Math.max(bmp.width, bmp.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(bmp.width * scale)
    canvas.height = Math.round(bmp.height * scale)
    canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height)
    bmp.close?.()
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))
    return blob || file
  } catch {
    return file
  }
}

// Uploads one image (POST /photos, the raw bytes) → { hash, url }.
export async function uploadPhoto(file, opts) {
  const blob = await shrink(file)
  if (blob.size > PHOTO_MAX) throw new Error(t('case.photoTooBig'))
  return api.upload('/photos', blob, opts)
}

// ---- misc ----
// Units named in the responsibility list, for the dispatch form's suggestions.
export async function knownUnits() {
  const rules = await listAll('/responsibilities', {}, 5)
  return [...new Set(rules.map((r) => r.unit).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh-CN'))
}

// The body of POST /cases/{id}/actions from a form { comment, unit, rating, into, photos }.
export function actionBody(action, form) {
  const body = { action }
  const comment = (form.comment || '').trim()
  if (comment) body.comment = comment
  if (action === 'dispatch' && (form.unit || '').trim()) body.unit = form.unit.trim()
  if (action === 'feedback' && form.rating) body.rating = form.rating
  if (action === 'merge' && form.into) body.into = Number(form.into)
  if (form.photos?.length && actionTakesPhotos(action)) body.photos = form.photos
  const reply = (form.public_reply || '').trim()
  if (reply && takesPublicReply(action)) body.public_reply = reply
  return body
}

// The reply for the public (tracking page, Open311) is written when the result is told.
export const takesPublicReply = (action) => ['handle', 'close', 'reject'].includes(action)

// Who may declare a matter major (大事) or take a report as from the 12345 hotline (the server's
// rule: POST /cases answers 403 otherwise).
const MAJOR_ROLES = ['admin', 'district', 'street', 'community', 'supervisor', 'grid_leader', 'grid_worker']
const HOTLINE_ROLES = ['admin', 'district', 'street', 'community']
export const mayDeclareMajor = (user) => [...rolesOf(user)].some((r) => MAJOR_ROLES.includes(r))
export const mayTakeHotline = (user) => [...rolesOf(user)].some((r) => HOTLINE_ROLES.includes(r))

// Client checks before sending an action; '' when the form is complete.
export function actionProblem(action, form) {
  const needs = actionNeeds(action)
  if (needs.includes('comment') && !(form.comment || '').trim()) return t('case.needComment')
  if (needs.includes('unit') && !(form.unit || '').trim()) return t('case.needUnit')
  if (needs.includes('rating') && !form.rating) return t('case.needRating')
  if (needs.includes('into') && !(Number(form.into) > 0)) return t('case.needInto')
  return ''
}

// Every photo hash in a case's timeline, report photos first.
export const timelinePhotos = (c) => (c?.timeline || []).flatMap((e) => e.photos || [])

// A timeline entry's action: "report" is not an action code of the state machine.
export const eventName = (e) => (e.action === 'report' ? t('case.reportEvent') : actionName(e.action) || e.action_name)
