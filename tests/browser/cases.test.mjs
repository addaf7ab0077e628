// Browser test of the case closed loop (事件闭环) through the web UI, against a running
// jiceng server with the demo district (same environment as ui.test.mjs):
//
//   JICENG_URL=http://127.0.0.1:18080 JICENG_ADMIN_PASSWORD=… node --test tests/browser/cases.test.mjs
//
// A resident (jumin) reports on the phone layout → a community user (shequ) accepts and
// dispatches to 城管执法 on the desk → the department user (chengguan) starts and handles
// it with a result → the grid worker (wangge) verifies on the phone → the resident rates
// 满意 → the case is 已结案, and the public tracking page shows it without signing in.
// Demo users all have the password Demo@2026jc (JICENG_DEMO_PASSWORD overrides it).
// Screenshots go to /tmp/jiceng-shots/ (JICENG_SHOTS).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, demo, field, launchBrowser, missing, openDesk, openPhone, png, shot, signIn, textarea } from './lib.mjs'

const RESIDENT = demo('jumin')
const COMMUNITY = demo('shequ')
const DEPARTMENT = demo('chengguan')
const WORKER = demo('wangge')

let browser
// The desk of these tests: a 1366×900 screen.
const desk = () => openDesk(browser, null, { viewport: { width: 1366, height: 900 } })
// What the steps hand to each other.
const state = { number: null, id: null, tracking: null }

// The status shown on the desk detail page, once it reads `want`.
async function deskStatus(page, want) {
  const tag = page.locator('.page-head [data-test="case-status"]')
  await page.waitForFunction((w) => document.querySelector('.page-head [data-test="case-status"]')?.textContent.trim() === w, want)
  return (await tag.innerText()).trim()
}

// Clicks an action button on the desk detail page and returns its dialog.
async function deskAction(page, action) {
  await page.locator(`[data-test="case-actions"] button[data-action="${action}"]`).click()
  const dialog = page.locator(`.el-dialog[data-action="${action}"]`)
  await dialog.waitFor({ state: 'visible' })
  return dialog
}

async function deskActions(page) {
  return page.locator('[data-test="case-actions"] button[data-action]').evaluateAll((els) => els.map((e) => e.dataset.action))
}

describe('case closed loop in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
  })

  test('a resident reports a problem on the phone, with position and a photo', async () => {
    const { context, page } = await openPhone(browser, null, {
      geolocation: { latitude: 30.006794, longitude: 120.007593, accuracy: 12 }, permissions: ['geolocation'],
    })
    try {
      await signIn(page, RESIDENT, { landing: '/m' })
      const tabs = (await page.locator('.van-tabbar .van-tabbar-item').allInnerTexts()).map((s) => s.trim())
      assert.deepEqual(tabs, ['首页', '我要反映', '我的反映', '我的'])
      await page.locator('[data-test="tab-report"]').click()
      await page.waitForURL(`${BASE}/m/report`)
      await page.locator('.van-nav-bar__title', { hasText: '我要反映' }).waitFor()

      // The resident's grid comes from their grant; no choice to make.
      await page.waitForFunction(() => document.querySelector('[data-test="report-grid"] input')?.value)
      assert.match(await field(page, 'report-grid').inputValue(), /网格/)

      // Submitting empty shows what is missing, in Chinese, before anything is sent.
      await page.locator('[data-test="report-submit"]').click()
      await page.getByText('请选择事件类别').waitFor()
      await page.getByText('请描述发生了什么').waitFor()

      await page.locator('[data-test="report-category"]').click()
      const picker = page.locator('.van-popup .van-picker:visible')
      await picker.locator('.van-picker-column__item', { hasText: '环境卫生' }).click()
      await page.waitForTimeout(400) // the column settles on the item
      await picker.locator('.van-picker__confirm').click()
      await picker.waitFor({ state: 'hidden' })
      assert.equal(await field(page, 'report-category').inputValue(), '环境卫生')

      const description = `小区南门人行道被占道经营摊点堵塞，垃圾堆积 ${Date.now().toString(36)}`
      await textarea(page, 'report-description').fill(description)
      await field(page, 'report-address').fill('幸福路 67 号南门')
      await page.locator('[data-test="report-locate"]').click()
      await page.locator('[data-test="report-position"]', { hasText: '30.006794, 120.007593' }).waitFor()

      await page.locator('[data-test="report-photos"] input[type="file"]').setInputFiles({
        name: 'scene.png', mimeType: 'image/png', buffer: png(64, 48, [200, 60, 40]),
      })
      await page.locator('[data-test="report-photos"] .van-uploader__preview').waitFor()
      await page.waitForFunction(() => !document.querySelector('[data-test="report-photos"] .van-uploader__mask'))
      assert.equal(await field(page, 'report-name').inputValue(), '居民', 'the name is filled from the account')
      await shot(page, '20-phone-report-form')

      await page.locator('[data-test="report-submit"]').click()
      const done = page.locator('[data-test="report-done"]')
      await done.waitFor()
      state.number = (await done.locator('[data-test="done-number"] .van-cell__value').innerText()).trim()
      state.tracking = (await done.locator('[data-test="done-tracking-code"]').innerText()).trim()
      assert.match(state.number, /^SJ\d{14}$/)
      assert.match(state.tracking, /^[A-Z2-9]{12}$/)
      await shot(page, '21-phone-report-done')

      // The report is among "我的反映", as 已上报.
      await page.locator('[data-test="done-open"]').click()
      await page.waitForURL(/\/m\/cases\/\d+$/)
      state.id = Number(new URL(page.url()).pathname.split('/').pop())
      await page.locator('[data-test="m-case-status"]', { hasText: '已上报' }).waitFor()
      assert.match(await page.locator('[data-test="m-case-description"]').innerText(), new RegExp(description))
      assert.equal(await page.locator('[data-test="m-timeline"] .van-image').count(), 1, 'the photo is on the timeline')
      await page.locator('[data-test="tab-cases"]').click()
      await page.waitForURL(/\/m\/cases/)
      const cell = page.locator(`[data-test="m-case-list"] [data-case-id="${state.id}"]`)
      await cell.waitFor()
      assert.match(await cell.innerText(), /已上报/)
    } finally {
      await context.close()
    }
  })

  test('the community accepts it and dispatches it to 城管执法 on the desk', async () => {
    assert.ok(state.id, 'the report step ran')
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.locator('.el-menu-item', { hasText: '事件管理' }).click()
      await page.waitForURL(`${BASE}/cases`)
      const counts = page.locator('[data-test="case-counts"]')
      await counts.locator('[data-status="reported"] b').filter({ hasText: /^\d+$/ }).waitFor()

      // The status tag filters the list to 已上报 cases, the new one first.
      await counts.locator('[data-status="reported"]').click()
      await page.waitForURL(/status=reported/)
      const link = page.locator(`[data-test="cases-table"] a[data-case-id="${state.id}"]`)
      await link.waitFor()
      assert.equal((await link.innerText()).trim(), state.number)
      const statuses = await page.locator('[data-test="cases-table"] .el-table__body [data-test="case-status"]').allInnerTexts()
      assert.ok(statuses.length > 0 && statuses.every((s) => s.trim() === '已上报'), `filtered: ${statuses}`)
      await counts.locator('[data-status="reported"]').click() // back to all
      await page.waitForURL(`${BASE}/cases`)
      await page.locator('[data-test="cases-table"] .row-red').first().waitFor() // overdue demo cases are coloured
      await shot(page, '22-desk-case-list')

      await page.locator(`[data-test="cases-table"] a[data-case-id="${state.id}"]`).click()
      await page.waitForURL(`${BASE}/cases/${state.id}`)
      assert.equal(await deskStatus(page, '已上报'), '已上报')
      assert.deepEqual((await deskActions(page)).sort(), ['accept', 'escalate', 'merge', 'reject'])
      assert.equal(await page.locator('[data-test="timeline"] .el-image').count(), 1, 'report photo thumbnail')
      await shot(page, '23-desk-case-detail-reported')

      // Reject asks for a reason before anything is sent; cancel it.
      let dialog = await deskAction(page, 'reject')
      await dialog.locator('[data-test="action-confirm"]').click()
      await dialog.getByText('请填写说明或理由').waitFor()
      await dialog.getByRole('button', { name: '取消' }).click()
      await dialog.waitFor({ state: 'hidden' })

      dialog = await deskAction(page, 'accept')
      await dialog.locator('[data-test="action-confirm"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await deskStatus(page, '已受理')

      dialog = await deskAction(page, 'dispatch')
      const unit = field(dialog, 'action-unit')
      assert.equal(await unit.inputValue(), '网格服务团队', 'the routed unit is prefilled')
      await unit.fill('城管执法')
      await textarea(dialog, 'action-comment').fill('占道经营，请城管执法处置')
      await dialog.locator('[data-test="action-confirm"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await deskStatus(page, '已派遣')
      assert.equal((await page.locator('[data-test="case-unit"]').innerText()).trim(), '城管执法')
      const steps = await page.locator('[data-test="timeline"] .el-timeline-item').evaluateAll((els) => els.map((e) => e.dataset.action))
      assert.deepEqual(steps, ['report', 'accept', 'dispatch'])
    } finally {
      await context.close()
    }
  })

  test('the department starts and handles it with a result', async () => {
    assert.ok(state.id, 'the report step ran')
    const { context, page } = await desk()
    try {
      await signIn(page, DEPARTMENT, { landing: '/' })
      await page.locator('.el-menu-item', { hasText: '事件管理' }).click()
      await page.waitForURL(`${BASE}/cases`)
      // The department's list holds only its unit's cases.
      await page.locator(`[data-test="cases-table"] a[data-case-id="${state.id}"]`).click()
      await page.waitForURL(`${BASE}/cases/${state.id}`)
      await deskStatus(page, '已派遣')
      const acts = await deskActions(page)
      assert.ok(acts.includes('start') && acts.includes('return'), `department actions: ${acts}`)
      assert.ok(!acts.includes('accept') && !acts.includes('dispatch'), `department actions: ${acts}`)

      let dialog = await deskAction(page, 'start')
      await dialog.locator('[data-test="action-confirm"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await deskStatus(page, '处置中')
      assert.ok((await deskActions(page)).includes('handle'))

      dialog = await deskAction(page, 'handle')
      await dialog.locator('[data-test="action-confirm"]').click()
      await dialog.locator('[data-test="action-error"]', { hasText: '请填写说明或理由' }).waitFor()
      await textarea(dialog, 'action-comment').fill('已联合执法清理占道摊点，垃圾已清运，现场恢复通行')
      // The reply for the public is written apart from the internal result.
      await textarea(dialog, 'action-public-reply').fill('您反映的问题已处理，道路已恢复通行，感谢监督。')
      await dialog.locator('[data-test="photo-upload"] input[type="file"]').setInputFiles({
        name: 'after.png', mimeType: 'image/png', buffer: png(64, 48, [40, 160, 80]),
      })
      await dialog.locator('.el-upload-list__item.is-success').waitFor()
      await dialog.locator('[data-test="action-confirm"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await deskStatus(page, '已处置')
      assert.match(await page.locator('[data-test="case-result"]').innerText(), /已联合执法清理占道摊点/)
      assert.match(await page.locator('[data-test="case-public-reply"]').innerText(), /道路已恢复通行/)
      assert.equal(await page.locator('[data-test="timeline"] .el-image').count(), 2, 'report and handling photos')
      await shot(page, '24-desk-case-detail-handled')
    } finally {
      await context.close()
    }
  })

  test('the grid worker verifies it on the phone', async () => {
    assert.ok(state.id, 'the report step ran')
    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, WORKER, { landing: '/m' })
      await page.locator('[data-test="tab-cases"]').click()
      await page.waitForURL(/\/m\/cases/)
      // The first worklist tab for a grid worker: 待核查 (handled cases).
      const tab = page.locator('[data-test="m-case-tabs"] .van-tab--active')
      await tab.waitFor()
      assert.match(await tab.innerText(), /待核查/)
      const cell = page.locator(`[data-test="m-case-list"] [data-case-id="${state.id}"]`)
      await cell.waitFor()
      await shot(page, '25-phone-worklist')
      await cell.click()
      await page.waitForURL(`${BASE}/m/cases/${state.id}`)
      await page.locator('[data-test="m-case-status"]', { hasText: '已处置' }).waitFor()
      await page.locator('[data-test="m-actions"] [data-action="verify"]').click()
      const sheet = page.locator('[data-test="m-action-sheet"]')
      await sheet.waitFor({ state: 'visible' })
      await textarea(page, 'm-action-comment').fill('现场核查：摊点已清，通道畅通')
      await sheet.locator('[data-test="m-action-confirm"]').click()
      await sheet.waitFor({ state: 'hidden' })
      await page.locator('[data-test="m-case-status"]', { hasText: '已核查' }).waitFor()
      await shot(page, '26-phone-verified')
    } finally {
      await context.close()
    }
  })

  test('the resident rates the result 满意 and the case is closed', async () => {
    assert.ok(state.id, 'the report step ran')
    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, RESIDENT, { landing: '/m' })
      await page.locator('[data-test="tab-cases"]').click()
      await page.waitForURL(/\/m\/cases/)
      await page.locator(`[data-test="m-case-list"] [data-case-id="${state.id}"]`).click()
      await page.waitForURL(`${BASE}/m/cases/${state.id}`)
      await page.locator('[data-test="m-case-status"]', { hasText: '已核查' }).waitFor()
      const rate = page.locator('[data-test="m-rate"]')
      await rate.waitFor()
      // The reporter reads the reply written for the public, not the handler's internal record.
      assert.match(await page.locator('[data-test="m-case-public-reply"]').innerText(), /道路已恢复通行/)
      assert.equal(await page.locator('[data-test="m-case-result"]').count(), 0, 'no internal result for the reporter')
      assert.equal(await rate.locator('[data-test="m-rate-submit"]').isDisabled(), true, 'no rating chosen yet')
      await rate.locator('[data-rating="satisfied"]').click()
      await shot(page, '27-phone-resident-rate')
      await rate.locator('[data-test="m-rate-submit"]').click()
      await page.locator('[data-test="m-case-status"]', { hasText: '已结案' }).waitFor()
      await rate.waitFor({ state: 'detached' })
      assert.match(await page.locator('[data-test="m-case-rating"]').innerText(), /满意/)
      const steps = await page.locator('[data-test="m-timeline"] .van-step').evaluateAll((els) => els.map((e) => e.dataset.action))
      assert.deepEqual(steps, ['report', 'accept', 'dispatch', 'start', 'handle', 'verify', 'feedback'])
      await shot(page, '28-phone-resident-closed')
    } finally {
      await context.close()
    }
  })

  test('the desk shows the case 已结案 with the whole timeline', async () => {
    assert.ok(state.id, 'the report step ran')
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.goto(`${BASE}/cases/${state.id}`)
      assert.equal(await deskStatus(page, '已结案'), '已结案')
      assert.match(await page.locator('[data-test="case-rating"]').innerText(), /^满意$/)
      assert.equal(await page.locator('[data-test="timeline"] .el-timeline-item').count(), 7)
      await shot(page, '29-desk-case-closed')
    } finally {
      await context.close()
    }
  })

  test('the case pages speak English as well', async () => {
    assert.ok(state.id, 'the report step ran')
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.locator('[data-test="lang-switch"]').click()
      await page.locator('.el-dropdown-menu__item[data-lang="en"]:visible').click()
      await page.waitForFunction(() => document.documentElement.lang === 'en')
      await page.locator('.el-menu-item', { hasText: 'Cases' }).click()
      await page.waitForURL(`${BASE}/cases`)
      const counts = page.locator('[data-test="case-counts"]')
      await counts.locator('[data-status="closed"]', { hasText: 'Closed' }).waitFor()
      assert.doesNotMatch(await counts.innerText(), /[\u4e00-\u9fff]/)
      await page.goto(`${BASE}/cases/${state.id}`)
      await deskStatus(page, 'Closed')
      assert.match(await page.locator('[data-test="case-rating"]').innerText(), /^Satisfied$/)
      const timeline = await page.locator('[data-test="timeline"]').innerText()
      for (const word of ['Reported', 'Accept', 'Dispatch', 'Start handling', 'Mark handled', 'Verify', 'Rate']) {
        assert.ok(timeline.includes(word), `timeline shows ${word}`)
      }
      await page.locator('.el-menu-item', { hasText: 'Responsibility list' }).click()
      await page.getByText('Handle within').first().waitFor()
      await shot(page, '31-desk-english-rules')
    } finally {
      await context.close()
    }
  })

  test('the district command centre adds, edits and retires a responsibility rule', async () => {
    const { context, page } = await desk()
    const unit = `幸福街道城管中队${Date.now().toString(36).slice(-4)}`
    try {
      await signIn(page, demo('zhihui'), { landing: '/' })
      await page.locator('.el-menu-item', { hasText: '权责清单' }).click()
      await page.waitForURL(`${BASE}/responsibilities`)
      const table = page.locator('[data-test="rules-table"]')
      await table.locator('.el-table__row').first().waitFor()
      const before = await table.locator('.el-table__body-wrapper .el-table__row').count()

      await page.locator('[data-test="rule-new"]').click()
      const dialog = page.locator('.el-dialog[data-test="rule-dialog"]')
      await dialog.waitFor({ state: 'visible' })
      await dialog.locator('[data-test="rule-save"]').click()
      await dialog.getByText('请填写处置单位').waitFor()
      await dialog.locator('.el-form-item', { hasText: '类别' }).locator('.el-select').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^违章建筑$/ }).click()
      await dialog.locator('.el-form-item', { hasText: '适用区划' }).locator('input').fill('999901001')
      await field(dialog, 'rule-unit').fill(unit)
      await dialog.locator('[data-test="rule-save"]').click()
      await dialog.waitFor({ state: 'hidden' })
      const row = table.locator('.el-table__body-wrapper .el-table__row', { hasText: unit })
      await row.waitFor()
      assert.match(await row.innerText(), /违章建筑[\s\S]*999901001[\s\S]*72 小时/)
      assert.equal(await table.locator('.el-table__body-wrapper .el-table__row').count(), before + 1)

      await page.locator('.el-table__row', { hasText: unit }).getByRole('button', { name: '编辑' }).click()
      await dialog.waitFor({ state: 'visible' })
      const hours = dialog.locator('.el-form-item', { hasText: '办结时限' }).locator('input')
      await hours.fill('48')
      await hours.press('Tab')
      await dialog.locator('[data-test="rule-save"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await table.locator('.el-table__body-wrapper .el-table__row', { hasText: unit }).filter({ hasText: '48 小时' }).waitFor()
      await shot(page, '32-desk-rules')

      await page.locator('.el-table__row', { hasText: unit }).getByRole('button', { name: '停用' }).click()
      await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click()
      await row.waitFor({ state: 'detached' })
      assert.equal(await table.locator('.el-table__body-wrapper .el-table__row').count(), before)
    } finally {
      await context.close()
    }

    // Others read the list but do not edit it.
    const other = await desk()
    try {
      await signIn(other.page, COMMUNITY, { landing: '/' })
      await other.page.goto(`${BASE}/responsibilities`)
      await other.page.locator('[data-test="rules-table"] .el-table__row').first().waitFor()
      assert.equal(await other.page.locator('[data-test="rule-new"]').count(), 0)
    } finally {
      await other.context.close()
    }
  })

  test('anyone can look the case up by its tracking code without signing in', async () => {
    assert.ok(state.tracking, 'the report step ran')
    const { context, page } = await openPhone(browser)
    try {
      await page.goto(`${BASE}/login`)
      await page.locator('[data-test="track-link"]').click()
      await page.waitForURL(`${BASE}/track`)
      await field(page, 'track-code').fill('AAAAAAAAAAAA')
      await page.locator('[data-test="track-submit"]').click()
      await page.locator('[data-test="track-error"]', { hasText: '没有找到' }).waitFor()

      await field(page, 'track-code').fill(state.tracking.toLowerCase())
      await page.locator('[data-test="track-submit"]').click()
      await page.waitForURL(`${BASE}/track/${state.tracking}`)
      await page.locator('[data-test="track-status"]', { hasText: '已结案' }).waitFor()
      const result = await page.locator('[data-test="track-result"]').innerText()
      assert.match(result, new RegExp(state.number))
      assert.match(result, /城管执法/)
      assert.doesNotMatch(result, /居民|jumin/, 'no personal data on the public page')
      // The public reply is shown; the handler's internal result never is.
      assert.match(await page.locator('[data-test="track-reply"]').innerText(), /道路已恢复通行，感谢监督/)
      assert.doesNotMatch(await page.locator('main').innerText(), /联合执法清理占道摊点/, 'no internal result')
      assert.equal(await page.locator('[data-test="track-timeline"] .van-step').count(), 7)
      await shot(page, '30-public-track')
      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status)
      assert.equal(me, 401, 'still not signed in')
    } finally {
      await context.close()
    }
  })
})

if (missing) test(`browser tests skipped: ${missing}`, { skip: missing }, () => {})
