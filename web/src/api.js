// fetch wrapper for /api/v1: JSON in and out, same-origin cookies, the CSRF token
// on every state-changing request, problem+json errors thrown as ApiError. Every request
// names the UI's language (Accept-Language), so the server's details and field messages
// come in the language the user chose.
import { lang, t } from './i18n.js'

const BASE = '/api/v1'
const HAN = /[\u3400-\u9fff]/

// The Accept-Language of the UI's language: Chinese answers unless English is chosen.
export const acceptLanguage = () => (lang.value === 'en' ? 'en' : 'zh-CN')

// A message from the server as shown: its text, unless it is not in the UI's language (a
// detail the server's catalogue has no English for yet), then the UI's own words for it.
function shown(text, fallback) {
  if (!text) return fallback()
  return lang.value === 'en' && HAN.test(text) ? fallback() : text
}

function statusText(status) {
  const key = `errors.status.${status}`
  const s = t(key)
  return s === key ? t('errors.failed', { status }) : s
}

let csrfToken = null
let onUnauthorized = () => {}

export function setCsrfToken(token) {
  csrfToken = token || null
}

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn
}

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    const detail = shown(problem.detail, () => statusText(status))
    super(detail)
    this.name = 'ApiError'
    this.status = status
    this.code = problem.code || ''
    this.title = problem.title || ''
    this.detail = detail
    this.errors = (Array.isArray(problem.errors) ? problem.errors : []).map((e) => ({
      ...e,
      message: shown(e.message, () => t('errors.invalid')),
    }))
    this.retryAfter = retryAfter
    // 409 version_conflict: the record as it is now and its version, to show beside the user's.
    this.current = problem.current ?? null
    this.currentVersion = problem.current_version ?? null
  }

  // The detail and the field messages in one line, for an alert or a toast.
  summary() {
    return joinMessages([this.detail, ...this.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))])
  }

  // errors[] as { field: message }, for el-form-item's `error` prop.
  fieldErrors() {
    const out = {}
    for (const e of this.errors) if (e.field && !out[e.field]) out[e.field] = e.message || e.code
    return out
  }
}

// opts.auth === false: a 401 is the caller's to handle (sign-in, session probe).
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json, application/problem+json', 'Accept-Language': acceptLanguage() }
  if (opts.headers) Object.assign(headers, opts.headers)
  const init = { method, headers, credentials: 'same-origin' }
  if (body instanceof Blob) {
    // Raw bytes (photo uploads): the server sniffs the content and checks the type.
    headers['Content-Type'] = body.type || 'application/octet-stream'
    init.body = body
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8'
    init.body = JSON.stringify(body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res
  try {
    res = await fetch(BASE + path, init)
  } catch {
    throw new ApiError(0, { title: 'network', code: 'network', detail: t('errors.network') })
  }
  if (res.status === 204) return null
  const type = res.headers.get('Content-Type') || ''
  const data = type.includes('json') ? await res.json().catch(() => null) : null
  if (res.ok) return data
  const err = new ApiError(res.status, data || { title: res.statusText }, res.headers.get('Retry-After'))
  if (res.status === 401 && opts.auth !== false) onUnauthorized(err)
  throw err
}

export function query(params) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v)
  const s = q.toString()
  return s ? `?${s}` : ''
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body ?? {}, opts),
  patch: (path, body, opts) => request('PATCH', path, body, opts),
  put: (path, body, opts) => request('PUT', path, body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
  upload: (path, blob, opts) => request('POST', path, blob, opts),
}

// Follows next_cursor until the list ends (or maxPages pages), for short lists such as a node's children.
export async function listAll(path, params = {}, maxPages = 20) {
  const items = []
  let cursor = null
  for (let i = 0; i < maxPages; i++) {
    const page = await api.get(path + query({ ...params, limit: 200, cursor }))
    items.push(...(page.items || []))
    cursor = page.next_cursor
    if (!cursor) break
  }
  return items
}

// Messages shown together, separated as the UI's language writes it.
export function joinMessages(list) {
  return list.filter(Boolean).join(lang.value === 'en' ? '; ' : '；')
}
