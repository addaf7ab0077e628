// Browser test of household enrolment (户码) and announcements (社区资讯): the community's staff
// issue a household code on the desk (house drawer → 发放户码, the code shown once); a member of
// that household opens the sign-up page from the sign-in page on the phone (390×844, zh-CN),
// first gets field errors under the fields and the one refusal for a name that does not match,
// then signs up with the code, lands on the phone signed in and reads an announcement of the
// community; the desk's announcements page shows it read once.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  apiAs,
  BASE,
  field,
  launchBrowser,
  missing,
  openDesk,
  openPhone,
  SHOTS,
  signIn,
  withCheckChar,
} from './lib.mjs'

const COMM = '999901001001'
const GRID = '999901001001001'

let browser

// A valid fictitious ID number (area 99…, GB 11643 check character).
const idNumber = () =>
  withCheckChar(
    `999${String(Date.now() % 1000).padStart(3, '0')}19850615${String(100 + (Date.now() % 800)).padStart(3, '0')}`,
  )

const errorOf = (page, name) => page.locator(`[data-test="${name}"] .van-field__error-message`)

describe('户码 enrolment and announcements', { skip: missing || false }, () => {
  const tag = Date.now().toString(36).slice(-5)
  const person = { name: `户码居民${tag}`, phone: `139${String(Date.now()).slice(-8)}` }
  const t = {}
  before(async () => {
    browser = await launchBrowser()
    // A household of the grid with the member who will sign up, and an announcement of the community.
    const worker = await apiAs('wangge')
    const must = async (path, body) => {
      const r = await worker('POST', path, body)
      assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.data)}`)
      return r.data
    }
    t.building = await must('/buildings', { region_code: GRID, name: `户码楼${tag}`, floors: 6 })
    t.house = await must('/houses', { building_id: t.building.id, unit: '1单元', room: '101' })
    t.household = await must('/households', { house_id: t.house.id, number: `H${tag}` })
    await must('/residents', {
      ...person,
      id_number: idNumber(),
      region_code: GRID,
      residency: 'registered',
      household_id: t.household.id,
    })
    const staff = await apiAs('shequ')
    const ann = await staff('POST', '/announcements', {
      region_code: COMM,
      title: `停水通知${tag}`,
      body: '明日 9 时至 12 时停水检修。',
    })
    assert.equal(ann.status, 201, JSON.stringify(ann.data))
    t.announcement = ann.data
  })
  after(async () => {
    await browser?.close()
  })

  test('staff issue the code on the desk; the member signs up on the phone and reads the announcement', async () => {
    const desk = await openDesk(browser)
    const phone = await openPhone(browser)
    try {
      // The desk: the community's secretary issues the household's code from the house drawer.
      const d = desk.page
      await signIn(d, 'shequ', { landing: '/' })
      await d.goto(`${BASE}/houses`)
      await d.locator(`[data-building-id="${t.building.id}"]`).first().click()
      await d.locator(`[data-test="houses-table"] [data-house-id="${t.house.id}"]`).click()
      const drawer = d.locator('.el-drawer[data-test="house-drawer"]')
      await drawer.waitFor({ state: 'visible' })
      await drawer.locator(`[data-test="household-enrolment-code"][data-household-id="${t.household.id}"]`).click()
      await d.locator('[data-test="enrolment-code-issue"]').click()
      const shown = d.locator('[data-test="enrolment-code"]')
      await shown.waitFor()
      const code = (await shown.innerText()).replace(/\s/g, '')
      assert.match(code, /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/)
      await d.screenshot({ path: `${SHOTS}/80-desk-enrolment-code.png` })

      // The phone: from the sign-in page to the sign-up page.
      const p = phone.page
      await p.goto(`${BASE}/login`)
      await p.locator('[data-test="signup-link"]').click()
      await p.waitForURL(`${BASE}/signup`)
      const username = `hm${tag}`
      // Malformed fields: errors under the fields, nothing sent to the code.
      await field(p, 'signup-code').fill(code.toLowerCase())
      await field(p, 'signup-name').fill(person.name)
      await field(p, 'signup-phone').fill('12ab')
      await field(p, 'signup-username').fill(username)
      await field(p, 'signup-password').fill('short')
      await p.locator('[data-test="signup-submit"]').click()
      await errorOf(p, 'signup-password').waitFor()
      assert.ok((await errorOf(p, 'signup-phone').innerText()).length > 0, 'an error under the phone')
      // A name that does not match: the one refusal, under the code.
      await field(p, 'signup-phone').fill(person.phone)
      await field(p, 'signup-password').fill('Enrol@2026jc')
      await field(p, 'signup-name').fill(`${person.name}乙`)
      await p.locator('[data-test="signup-submit"]').click()
      await errorOf(p, 'signup-code').waitFor()
      assert.match(await errorOf(p, 'signup-code').innerText(), /户码/)
      await p.screenshot({ path: `${SHOTS}/81-phone-signup-refused.png` })
      // The right name: signed up and signed in, on the phone's home.
      await field(p, 'signup-name').fill(person.name)
      await p.locator('[data-test="signup-submit"]').click()
      await p.waitForURL(`${BASE}/m`)
      const me = await p.evaluate(() => fetch('/api/v1/me').then((r) => r.json()))
      assert.equal(me.username, username)
      assert.equal(me.household_id, t.household.id)
      assert.ok(me.resident_id > 0)

      // The announcements of the community; opening one shows it whole.
      await p.locator('[data-test="m-shortcuts"] .van-grid-item', { hasText: '社区资讯' }).click()
      await p.waitForURL(`${BASE}/m/announcements`)
      const item = p.locator('[data-test="m-announcement"]', { hasText: t.announcement.title })
      await item.waitFor()
      await p.screenshot({ path: `${SHOTS}/82-phone-announcements.png` })
      await item.click()
      const detail = p.locator('[data-test="m-announcement-detail"]')
      await detail.waitFor()
      assert.match(await detail.innerText(), /停水检修/)

      // The desk's list counts the read.
      await d.goto(`${BASE}/announcements`)
      const row = d.locator('[data-test="announcements-table"] .el-table__row', { hasText: t.announcement.title })
      await row.waitFor()
      assert.equal((await row.locator('[data-test="announcement-reads"]').innerText()).trim(), '1')
      await d.screenshot({ path: `${SHOTS}/83-desk-announcements.png` })
    } finally {
      await desk.context.close()
      await phone.context.close()
    }
  })
})
