// Browser test: a field error the server answers (problem+json errors[]) is shown under the
// field it is about, on the desk login page and on the phone report form (where the API's
// region_code and reporter.phone are shown on the grid and phone items), against a running
// jiceng server with the demo district (same environment as ui.test.mjs):
//
//   JICENG_URL=http://127.0.0.1:18080 node --test tests/browser/forms.test.mjs
//
// The report's request is sent as the form builds it, with one value made wrong on its way
// (the form itself refuses the wrong values first), so the 422 is the server's own answer.
// Screenshots go to /tmp/jiceng-shots/ (JICENG_SHOTS).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, demo, field, launchBrowser, missing, openDesk, openPhone, shot, signIn } from './lib.mjs'

const RESIDENT = demo('jumin')

let browser

// The 422 the server answers to the next request to `path`, as JSON.
async function problemOf(page, path, act) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1${path}` && r.request().method() === 'POST'),
    act(),
  ])
  assert.equal(res.status(), 422, `${path} should be refused with 422`)
  return res.json()
}

// `error` is shown right under `input`: below it, overlapping it sideways, and above `next`
// (the following field's input) when given.
async function assertUnder(error, input, next, what) {
  await error.waitFor({ state: 'visible' })
  const e = await error.boundingBox()
  const i = await input.boundingBox()
  assert.ok(e && i, `${what}: both are laid out`)
  assert.ok(e.y >= i.y + i.height - 1, `${what}: the error (y=${e.y}) is below its input (bottom ${i.y + i.height})`)
  assert.ok(e.x < i.x + i.width && e.x + e.width > i.x, `${what}: the error lines up with its input`)
  if (next) {
    const n = await next.boundingBox()
    assert.ok(e.y + e.height <= n.y + 1, `${what}: the error is above the next field`)
  }
}

describe('field errors under their fields', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
  })

  test('the login page shows a refused username under the username, not in the alert', async () => {
    const { context, page } = await openDesk(browser, null, { viewport: { width: 1366, height: 860 } })
    try {
      await page.goto(`${BASE}/login`)
      await field(page, 'username').fill('u'.repeat(65)) // the API takes at most 64 characters
      await field(page, 'password').fill('not-the-password-1')
      const problem = await problemOf(page, '/session', () => page.locator('[data-test="sign-in"]').click())
      const err = (problem.errors || []).find((x) => x.field === 'username')
      assert.ok(err?.message, `the server names the username: ${JSON.stringify(problem)}`)

      const item = page.locator('.el-form-item', { has: page.locator('[data-test="username"]') })
      const error = item.locator('.el-form-item__error')
      await assertUnder(error, field(page, 'username'), field(page, 'password'), 'username')
      assert.equal((await error.innerText()).trim(), err.message)
      const pwError = page.locator('.el-form-item', { has: page.locator('[data-test="password"]') })
      assert.equal(await pwError.locator('.el-form-item__error').count(), 0, 'nothing under the password')
      const alert = page.locator('[data-test="login-error"]')
      assert.ok(!(await alert.innerText()).includes(err.message), 'the field message is not repeated in the alert')
      assert.equal(await field(page, 'password').inputValue(), '', 'the password is cleared as before')
      await shot(page, '90-login-field-error')
      assert.match(new URL(page.url()).pathname, /^\/login/)
    } finally {
      await context.close()
    }
  })

  test('the phone report form shows the server’s phone and grid errors under those fields', async () => {
    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, RESIDENT, { landing: '/m' })
      await page.goto(`${BASE}/m/report`)
      await page.waitForFunction(() => document.querySelector('[data-test="report-grid"] input')?.value)

      await page.locator('[data-test="report-category"]').click()
      const picker = page.locator('.van-popup .van-picker:visible')
      await picker.locator('.van-picker-column__item', { hasText: '环境卫生' }).click()
      await page.waitForTimeout(400) // the column settles on the item
      await picker.locator('.van-picker__confirm').click()
      await picker.waitFor({ state: 'hidden' })
      await page.locator('[data-test="report-description"] textarea').fill('楼道堆放杂物，影响通行（表单测试）')
      await field(page, 'report-phone').fill('13800138000')

      // Once: the phone made wrong on its way (reporter.phone → the phone item).
      let spoil = (body) => ({ ...body, reporter: { ...body.reporter, phone: '1380013800x' } })
      await page.route('**/api/v1/cases', (route) => {
        const req = route.request()
        if (req.method() !== 'POST' || !spoil) return route.continue()
        const body = spoil(req.postDataJSON())
        return route.continue({ postData: JSON.stringify(body) })
      })
      const submit = () => page.locator('[data-test="report-submit"]').click()
      let problem = await problemOf(page, '/cases', submit)
      let err = (problem.errors || []).find((x) => x.field === 'reporter.phone')
      assert.ok(err?.message, `the server names reporter.phone: ${JSON.stringify(problem)}`)
      const phoneError = page.locator('[data-test="report-phone"] .van-field__error-message')
      await assertUnder(phoneError, field(page, 'report-phone'), null, 'reporter.phone')
      assert.equal((await phoneError.innerText()).trim(), err.message)
      const notice = page.locator('[data-test="report-error"]')
      await notice.waitFor()
      assert.ok(!(await notice.innerText()).includes(err.message), 'the phone message is not in the notice')
      await shot(page, '91-phone-report-phone-error')

      // Then the grid (region_code → the grid item); the phone's error goes.
      spoil = (body) => ({ ...body, region_code: body.region_code + '0' }) // one digit too many
      problem = await problemOf(page, '/cases', submit)
      err = (problem.errors || []).find((x) => x.field === 'region_code')
      assert.ok(err?.message, `the server names region_code: ${JSON.stringify(problem)}`)
      const gridError = page.locator('[data-test="report-grid"] .van-field__error-message')
      await assertUnder(gridError, field(page, 'report-grid'), null, 'region_code')
      assert.equal((await gridError.innerText()).trim(), err.message)
      assert.equal(await phoneError.count(), 0, 'the phone error of the last try is gone')
      await shot(page, '92-phone-report-grid-error')
      assert.equal(await page.locator('[data-test="report-done"]').count(), 0, 'nothing was reported')
    } finally {
      await context.close()
    }
  })
})
