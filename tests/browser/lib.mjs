// What every browser test sets up the same way, in one place: the server and accounts it runs
// against (from the environment scripts/browser-tests.sh sets), one headless Chromium, desk and
// phone browser contexts, signing in through the login page, the API as a user (Node's fetch) or
// with a page's own session, screenshots, and small makers of test data (a PNG, an ID number,
// dates in Asia/Shanghai). Not a test file itself: node --test picks only *.test.mjs here.
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { deflateSync } from 'node:zlib'

// playwright-core comes from web/node_modules (npm ci in web/); the browser is the system's.
const require = createRequire(new URL('../../web/package.json', import.meta.url))
const { chromium } = require('playwright-core')

/** The server under test, without a trailing slash. */
export const BASE = (process.env.JICENG_URL || '').replace(/\/$/, '')
/** The demo users' password (JICENG_DEMO_PASSWORD overrides it). */
export const DEMO_PASSWORD = process.env.JICENG_DEMO_PASSWORD || 'Demo@2026jc'
/** Where screenshots go. */
export const SHOTS = process.env.JICENG_SHOTS || '/tmp/jiceng-shots'
/** With JICENG_DOC_SHOTS=DIR, the screenshots the docs show are copied into DIR too. */
export const DOC_SHOTS = process.env.JICENG_DOC_SHOTS || ''
/** The platform admin (the password has no default: tests that need it skip without it). */
export const ADMIN = { user: process.env.JICENG_ADMIN_USER || 'admin', password: process.env.JICENG_ADMIN_PASSWORD }

/** Why a test file cannot run (its describe's skip), or '' when it can. */
export const missing = !BASE ? 'JICENG_URL is not set' : ''
/** The same for tests that sign in as the admin. */
export const missingAdmin = missing || (!ADMIN.password ? 'JICENG_ADMIN_PASSWORD is not set' : '')

/** A demo user's account. */
export const demo = (user) => ({ user, password: DEMO_PASSWORD })
// Who signs in: a demo username, or { user, password }.
const account = (who) => (typeof who === 'string' ? demo(who) : who)

/** One headless Chromium for a test file (Debian's, or CHROMIUM_PATH); makes the screenshot folder. */
export async function launchBrowser() {
  mkdirSync(SHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    // no sandbox (root in a container), and nothing that reaches out to the network by itself
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

/** A desk browser's context options: a laptop screen, Chinese. */
export const DESK = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' }
/** A phone's: 390×844 at 2×, touch, Chinese. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
}

// A new context of `device` (other context options override it) with one page; signed in as
// `who` unless who is null, waiting for `landing`.
async function open(browser, device, who, { landing, lang, ...options }) {
  const context = await browser.newContext({ ...device, ...options })
  const page = await context.newPage()
  if (who) await signIn(page, who, { landing, lang })
  return { context, page }
}

/**
 * A desk browser: { context, page }, signed in as `who` (landing on '/' unless opts.landing says
 * otherwise) unless who is null. Other opts are context options (viewport, locale, …).
 */
export const openDesk = (browser, who = null, opts = {}) => open(browser, DESK, who, { landing: '/', ...opts })

/** A phone: the same as openDesk, landing on '/m'. */
export const openPhone = (browser, who = null, opts = {}) => open(browser, PHONE, who, { landing: '/m', ...opts })

/**
 * Signs in through the login page as `who` (a demo username or { user, password }). With
 * opts.landing (a path, or a URL predicate for waitForURL) waits until the page lands there; with
 * opts.lang the login page is switched to that language first (as its language menu stores it).
 */
export async function signIn(page, who, { landing, lang } = {}) {
  const { user, password } = account(who)
  await page.goto(`${BASE}/login`)
  if (lang) {
    await page.evaluate((l) => localStorage.setItem('jiceng.lang', l), lang)
    await page.reload()
  }
  await field(page, 'username').fill(user)
  await field(page, 'password').fill(password)
  await page.locator('[data-test="sign-in"]').click()
  if (landing !== undefined) await page.waitForURL(typeof landing === 'string' ? `${BASE}${landing}` : landing)
}

/** An Element Plus / Vant input: data-test lands on the <input> itself or on its wrapper. */
export const field = (page, name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first()
/** The same for a <textarea>. */
export const textarea = (page, name) =>
  page.locator(`textarea[data-test="${name}"], [data-test="${name}"] textarea`).first()

/** A full-page screenshot SHOTS/name.png; with doc, also into DOC_SHOTS when that is set. */
export async function shot(page, name, doc = false) {
  const path = `${SHOTS}/${name}.png`
  await page.screenshot({ path, fullPage: true })
  if (doc && DOC_SHOTS) {
    mkdirSync(DOC_SHOTS, { recursive: true })
    copyFileSync(path, `${DOC_SHOTS}/${name}.png`)
  }
}

/**
 * The API as one user, outside the browser (Node's fetch with a session of its own: its cookie
 * and CSRF token), for set-up and for checks the page does not show. `who`: a demo username or
 * { user, password }. Returns call(method, path, body) → { status, data } (data: the JSON
 * answer, or the text of any other).
 */
export async function apiAs(who) {
  const { user, password } = account(who)
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  })
  assert.equal(res.status, 200, `sign-in of ${user}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const { csrf_token: csrf } = await res.json()
  return async (method, path, body) => {
    const r = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const data = (r.headers.get('Content-Type') || '').includes('json') ? await r.json() : await r.text()
    return { status: r.status, data }
  }
}

/**
 * The API with the page's own session (its cookie), from inside the page: what the signed-in
 * user's API answers, without a second sign-in. A write carries the session's CSRF token, read
 * from /me. Returns { status, body } (body: the JSON answer, or null).
 */
export function pageApi(page, method, path, body = null) {
  return page.evaluate(
    async ([m, p, b]) => {
      const headers = {}
      if (m !== 'GET') headers['X-CSRF-Token'] = (await (await fetch('/api/v1/me')).json()).csrf_token
      if (b !== null) headers['Content-Type'] = 'application/json'
      const r = await fetch(`/api/v1${p}`, {
        method: m,
        headers,
        credentials: 'same-origin',
        body: b === null ? undefined : JSON.stringify(b),
      })
      return { status: r.status, body: await r.json().catch(() => null) }
    },
    [method, path, body],
  )
}
/** GET /api/v1{path} with the page's session: { status, body }. */
export const apiGet = (page, path) => pageApi(page, 'GET', path)
/** POST /api/v1{path} with the page's session and its CSRF token: { status, body }. */
export const apiPost = (page, path, body) => pageApi(page, 'POST', path, body)

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// Dates as the server counts them: in Asia/Shanghai (UTC+8, no daylight saving).
const shanghaiNow = () => new Date(Date.now() + 8 * 3600e3)
/** This month, YYYY-MM. */
export const month = () => shanghaiNow().toISOString().slice(0, 7)
/** Last month, YYYY-MM. */
export function lastMonth() {
  const d = shanghaiNow()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() - 1)
  return d.toISOString().slice(0, 7)
}
/** The day d days from today (0: today), YYYY-MM-DD. */
export const dayFromNow = (d = 0) => new Date(shanghaiNow().getTime() + d * 86400e3).toISOString().slice(0, 10)

/** A citizen ID number: the 17 characters given and their GB 11643 check character. */
export function withCheckChar(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

/** A small valid PNG (solid colour), built here so the tests need no fixture files. */
export function png(w, h, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf) => {
    let c = 0xffffffff
    for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [r, g, b]).flat())])
  const raw = Buffer.concat(Array.from({ length: h }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
