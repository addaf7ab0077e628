// Browser tests of the web UI against a running jiceng server.
//
//   JICENG_URL=http://127.0.0.1:18080 \
//   JICENG_ADMIN_USER=admin JICENG_ADMIN_PASSWORD=… \
//   JICENG_WORKER_USER=… JICENG_WORKER_PASSWORD=… \
//   node --test tests/browser/
//
// Uses playwright-core from web/node_modules (run `npm ci` in web/ first) with the system
// Chromium (/usr/bin/chromium, or CHROMIUM_PATH). Screenshots go to /tmp/jiceng-shots/.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN, BASE, apiGet, field, launchBrowser, missingAdmin, openDesk, openPhone, shot, signIn } from './lib.mjs'

const WORKER = { user: process.env.JICENG_WORKER_USER, password: process.env.JICENG_WORKER_PASSWORD }
const CJK = /[\u4e00-\u9fff]/

const missing =
  missingAdmin || (!WORKER.user || !WORKER.password ? 'JICENG_WORKER_USER / JICENG_WORKER_PASSWORD are not set' : '')

let browser

// The desk of these tests: a 1366×860 laptop screen.
const desk = () => openDesk(browser, null, { viewport: { width: 1366, height: 860 } })

describe('web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
  })

  test('a wrong password shows the server’s Chinese error and stays on /login', async () => {
    const { context, page } = await desk()
    try {
      await page.goto(`${BASE}/`)
      await page.waitForURL(/\/login/)
      assert.match(await page.locator('h1').innerText(), /基层治理综合信息平台/)
      await signIn(page, { user: ADMIN.user, password: 'not-the-password-1' })
      const alert = page.locator('[data-test="login-error"]')
      await alert.waitFor({ state: 'visible' })
      const text = (await alert.innerText()).trim()
      await shot(page, '01-login-wrong-password')
      assert.match(text, CJK, `error should be Chinese, got: ${text}`)
      assert.match(new URL(page.url()).pathname, /^\/login/)
      assert.equal(await page.locator('[data-test="app-title"]').count(), 0)
    } finally {
      await context.close()
    }
  })

  test('admin signs in and expands the region tree down to a community’s grids', async () => {
    const { context, page } = await desk()
    try {
      await signIn(page, ADMIN)
      await page.waitForURL(`${BASE}/`)
      assert.equal((await page.locator('[data-test="app-title"]').innerText()).trim(), '基层治理综合信息平台')
      // The admin's home is the district's dashboard; the grants fold out beneath it.
      await page.locator('[data-test="tile-open"]').waitFor()
      await page.locator('[data-test="welcome"]').click()
      await page.locator('[data-test="my-grants"]').waitFor()
      assert.match(await page.locator('[data-test="my-grants"]').innerText(), /系统管理员/)
      await shot(page, '02-desk-home')

      await page.locator('.el-menu-item', { hasText: '区划网格' }).click()
      await page.waitForURL(`${BASE}/regions`)
      const tree = page.locator('[data-test="region-tree"]')
      await tree.locator('[data-level]').first().waitFor()
      for (const level of ['district', 'street', 'community']) {
        const node = tree.locator(`[data-level="${level}"]`).first()
        if ((await node.count()) === 0) continue // the caller's roots may start lower down
        await node.click()
        const next = { district: 'street', street: 'community', community: 'grid' }[level]
        await tree.locator(`[data-level="${next}"]`).first().waitFor({ timeout: 10_000 })
      }
      const detail = page.locator('[data-test="region-detail"]')
      await detail.getByText('社区', { exact: true }).first().waitFor()
      const grids = tree.locator('[data-level="grid"]')
      assert.ok((await grids.count()) >= 1, 'the community shows at least one grid')
      const grid = tree.locator('[data-level="grid"]:not([data-status="retired"])').first()
      const gridCode = await grid.getAttribute('data-code')
      assert.match(gridCode, /^\d{15}$/)

      await grid.click()
      await detail.locator('.mono', { hasText: gridCode }).first().waitFor()
      assert.match(await detail.innerText(), /网格/)
      assert.equal(await detail.locator('[data-test="split"]').count(), 1, 'a grid offers 拆分网格')
      await shot(page, '03-region-tree')
    } finally {
      await context.close()
    }
  })

  test('admin creates a user on the Users page and finds it in the table', async () => {
    const { context, page } = await desk()
    try {
      await signIn(page, ADMIN)
      await page.waitForURL(`${BASE}/`)
      // A grid to grant: walk down the first branch of the region tree.
      let code = null
      let roots = await apiGet(page, '/regions')
      assert.equal(roots.status, 200)
      let node = roots.body.items[0]
      while (node && node.level !== 'grid') {
        const kids = await apiGet(page, `/regions?parent=${node.code}`)
        node = kids.body.items.find((r) => r.status !== 'retired')
      }
      code = node?.code
      assert.match(code || '', /^\d{15}$/, 'found a grid to grant')

      const username = `ui${Date.now().toString(36)}`
      await page.locator('.el-menu-item', { hasText: '用户管理' }).click()
      await page.waitForURL(`${BASE}/users`)
      await page.locator('[data-test="users-table"] .el-table__row').first().waitFor()
      await page.locator('[data-test="user-new"]').click()
      const dialog = page.locator('.el-dialog', { hasText: '新建用户' })
      await dialog.waitFor()
      // A weak password is refused in Chinese before anything is sent.
      await field(page, 'new-username').fill(username)
      await field(page, 'new-display-name').fill('界面测试')
      await field(page, 'new-password').fill('short')
      await dialog.locator('[data-test="user-create-submit"]').click()
      await dialog.getByText('密码至少 10 位').waitFor()

      await field(page, 'new-password').fill('Ui-Test-2026x')
      await dialog.locator('[data-test="grant-role"]').first().click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^网格员$/ }).click()
      await field(page, 'grant-region').fill(code)
      await shot(page, '04-user-create-dialog')
      await dialog.locator('[data-test="user-create-submit"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await page.locator('[data-test="users-table"] .el-table__row', { hasText: username }).waitFor()

      // Search goes to the server, so the row proves the user was stored.
      await field(page, 'user-search').fill(username)
      await field(page, 'user-search').press('Enter')
      const rows = page.locator('[data-test="users-table"] .el-table__body-wrapper .el-table__row')
      await page.waitForFunction(
        (u) => [...document.querySelectorAll('[data-test="users-table"] .el-table__body-wrapper .el-table__row')]
          .every((r) => r.textContent.includes(u)),
        username,
      )
      const texts = await rows.allInnerTexts()
      assert.ok(texts.some((t) => t.includes(username) && t.includes('网格员')), `row for ${username}: ${texts}`)
      const found = await apiGet(page, `/users?q=${username}`)
      assert.ok(found.body.items.some((u) => u.username === username && u.grants.some((g) => g.region_code === code)))
      await shot(page, '05-users')
    } finally {
      await context.close()
    }
  })

  test('switching to English shows English labels and is remembered', async () => {
    const { context, page } = await desk()
    try {
      await signIn(page, ADMIN)
      await page.waitForURL(`${BASE}/`)
      await page.locator('[data-test="lang-switch"]').click()
      await page.locator('.el-dropdown-menu__item[data-lang="en"]:visible').click()
      const title = page.locator('[data-test="app-title"]')
      await page.waitForFunction(() => document.documentElement.lang === 'en')
      assert.equal((await title.innerText()).trim(), 'Grassroots Governance Platform')
      const menu = await page.locator('[data-test="side-menu"]').innerText()
      for (const label of ['Home', 'Regions & grids', 'Users', 'Audit log', 'API tokens']) assert.ok(menu.includes(label), label)
      assert.doesNotMatch(menu, CJK)
      await page.locator('.el-menu-item', { hasText: 'Regions & grids' }).click()
      await page.getByText('Pick a region on the left to see its details').waitFor()
      await shot(page, '06-english')

      await page.reload()
      await title.waitFor()
      assert.equal((await title.innerText()).trim(), 'Grassroots Governance Platform')
      assert.equal(await page.evaluate(() => localStorage.getItem('jiceng.lang')), 'en')
    } finally {
      await context.close()
    }
  })

  test('in English, the server’s errors (a wrong password, a 409) are shown in English', async () => {
    const { context, page } = await desk()
    try {
      await page.goto(`${BASE}/login`)
      await page.evaluate(() => localStorage.setItem('jiceng.lang', 'en'))
      await page.reload()
      await page.waitForFunction(() => document.documentElement.lang === 'en')
      // The UI asks the server for English (Accept-Language) on every request.
      const asked = page.waitForRequest((r) => r.url().endsWith('/api/v1/session') && r.method() === 'POST')
      await signIn(page, { user: ADMIN.user, password: 'not-the-password-1' })
      assert.match((await asked).headers()['accept-language'] || '', /^en/)
      const alert = page.locator('[data-test="login-error"]')
      await alert.waitFor({ state: 'visible' })
      const text = (await alert.innerText()).trim()
      assert.doesNotMatch(text, CJK, `error should be English, got: ${text}`)
      assert.match(text, /Wrong username or password/)

      await signIn(page, ADMIN)
      await page.waitForURL(`${BASE}/`)
      let node = (await apiGet(page, '/regions')).body.items[0]
      while (node && node.level !== 'grid') node = (await apiGet(page, `/regions?parent=${node.code}`)).body.items.find((r) => r.status !== 'retired')
      assert.match(node?.code || '', /^\d{15}$/, 'found a grid to grant')
      await page.locator('.el-menu-item', { hasText: 'Users' }).click()
      await page.waitForURL(`${BASE}/users`)
      await page.locator('[data-test="user-new"]').click()
      const dialog = page.locator('[data-test="user-create-dialog"]')
      await dialog.waitFor()
      await field(page, 'new-username').fill(ADMIN.user) // taken: 409 from the server
      await field(page, 'new-display-name').fill('Someone')
      await field(page, 'new-password').fill('Ui-Test-2026x')
      await dialog.locator('[data-test="grant-role"]').first().click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^Grid worker$/ }).click()
      await field(page, 'grant-region').fill(node.code)
      await dialog.locator('[data-test="user-create-submit"]').click()
      const problem = dialog.locator('.el-alert')
      await problem.waitFor({ state: 'visible' })
      const shown = (await problem.innerText()).trim()
      await shot(page, '07-english-error')
      assert.doesNotMatch(shown, CJK, `error should be English, got: ${shown}`)
      assert.match(shown, /already exists/)
    } finally {
      await context.close()
    }
  })

  test('a grid worker lands on the phone layout with a Vant tabbar', async () => {
    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, WORKER)
      await page.waitForURL(`${BASE}/m`)
      const tabbar = page.locator('.van-tabbar')
      await tabbar.waitFor({ state: 'visible' })
      const tabs = await tabbar.locator('.van-tabbar-item').allInnerTexts()
      assert.deepEqual(tabs.map((s) => s.trim()), ['首页', '事件', '扫楼', '我的'])
      // Their home is 我的一天 (tests/browser/myday.test.mjs), not the regions.
      await page.locator('[data-test="m-myday-tasks"]').waitFor()
      assert.match(await page.locator('[data-test="m-myday-actions"]').innerText(), /上报事件/)
      await shot(page, '07-phone-home')

      await tabbar.locator('.van-tabbar-item', { hasText: '我的' }).click()
      await page.waitForURL(`${BASE}/m/me`)
      assert.match(await page.locator('.me').innerText(), new RegExp(WORKER.user))
      await shot(page, '08-phone-me')

      // The desk is not for field roles.
      await page.goto(`${BASE}/regions`)
      await page.waitForURL(`${BASE}/m`)
      assert.equal(await page.locator('[data-test="app-title"]').count(), 0)
    } finally {
      await context.close()
    }
  })
})

if (missing) test(`browser tests skipped: ${missing}`, { skip: missing }, () => {})
