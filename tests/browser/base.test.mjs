// Browser test of base data (人、房、企), door-to-door sweeps (扫楼) and the import wizard,
// against a running jiceng server with the demo district (same environment as cases.test.mjs):
//
//   JICENG_URL=http://127.0.0.1:18080 node --test tests/browser/base.test.mjs
//
// The community (shequ) reads the sweep's progress for the first grid on the desk → the grid
// worker (wangge) opens the sweep worklist on a phone, records a visit to a pending house
// with a new occupant (a fictitious ID number, area prefix 99, correct GB 11643 check digit;
// a wrong check digit is refused before anything is sent) → the worklist shows the house
// visited → the desk progress counts one more visited house. Then the community finds the
// new occupant by ID number, reveals the full number after confirming the audit notice, and
// the import wizard's dry run shows the row error for a bad ID number. When the demo has no
// open sweep or no house left to visit in the grid, the test creates them through the API.
// The phone worklist groups the houses by building (counts per building, a search box for
// building and room); the house drawer edits a household (its head picked among the people
// of the house); an organisation is attached to a house (building, then house) and its
// detail shows the house and its address. A resident registered from the house drawer is put
// into one of the house's households (picked by number and head) and taken out of it again.
// Demo users all have the password Demo@2026jc (JICENG_DEMO_PASSWORD overrides it).
// Screenshots go to /tmp/jiceng-shots/ (JICENG_SHOTS).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  apiAs,
  BASE,
  demo,
  field,
  launchBrowser,
  missing,
  openDesk,
  openPhone,
  shot,
  signIn,
  withCheckChar,
} from './lib.mjs'

const COMMUNITY = demo('shequ')
const WORKER = demo('wangge')
const COMMUNITY_CODE = '999901001001'
const GRID = '999901001001001'

let browser
// The desk of these tests: 1366×900, downloads accepted (the import template).
const desk = () => openDesk(browser, null, { viewport: { width: 1366, height: 900 }, acceptDownloads: true })
const state = { sweep: null, house: null, before: null, idNumber: null, name: null }

// A fictitious citizen ID number: area 99xxxx, a date of birth, a sequence and the GB 11643 check character.
function fictitiousId() {
  const r = (n) => Math.floor(Math.random() * n)
  const pad = (n, w) => String(n).padStart(w, '0')
  const s17 = `9901${pad(10 + r(90), 2)}${1960 + r(40)}${pad(1 + r(12), 2)}${pad(1 + r(28), 2)}${pad(r(1000), 3)}`
  return withCheckChar(s17)
}
// The same number with a wrong check character.
const wrongCheck = (id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0')

// The desk progress page of the sweep: the grid's row and the community's totals, as numbers.
async function deskProgress(page) {
  await page.goto(`${BASE}/sweeps/${state.sweep}`)
  const row = page.locator('[data-test="progress-table"] .el-table__row', { has: page.locator(`[data-region="${GRID}"]`) })
  await row.waitFor()
  const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim())
  const visitedText = await page.locator('[data-test="total-visited"] .el-statistic__number').innerText()
  return {
    gridHouses: Number(cells[1]), gridVisited: Number(cells[2]), gridNever: Number(cells[3]),
    totalVisited: Number(visitedText.replace(/\D/g, '')),
  }
}

describe('base data, sweeps and import in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser()

    // An open sweep over the community, and a house in the first grid not yet visited in it.
    const api = await apiAs(COMMUNITY)
    const open = await api('GET', '/sweeps?status=open&limit=50')
    assert.equal(open.status, 200, JSON.stringify(open.data))
    let sweep = open.data.items.find((s) => GRID.startsWith(s.region_code))
    if (!sweep) {
      const r = await api('POST', '/sweeps', {
        name: `浏览器测试扫楼 ${Date.now().toString(36)}`, region_code: COMMUNITY_CODE,
        starts_on: new Date(Date.now() - 86400000).toISOString().slice(0, 10),
        ends_on: new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10),
      })
      assert.equal(r.status, 201, JSON.stringify(r.data))
      sweep = r.data
    }
    state.sweep = sweep.id
    const pending = await api('GET', `/sweeps/${sweep.id}/worklist?region=${GRID}&state=pending&limit=1`)
    assert.equal(pending.status, 200, JSON.stringify(pending.data))
    if (!pending.data.items.length) {
      const b = await api('POST', '/buildings', { region_code: GRID, name: `测试楼${Date.now().toString(36).slice(-4)}` })
      assert.equal(b.status, 201, JSON.stringify(b.data))
      const h = await api('POST', '/houses', { building_id: b.data.id, unit: '1单元', room: '101', use: 'rented' })
      assert.equal(h.status, 201, JSON.stringify(h.data))
    }
  })

  after(async () => {
    await browser?.close()
  })

  test('the community reads the sweep progress on the desk', async () => {
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.locator('.el-menu-item', { hasText: '扫楼' }).click()
      await page.waitForURL(`${BASE}/sweeps`)
      await page.locator(`[data-test="sweeps-table"] [data-sweep-id="${state.sweep}"]`).click()
      await page.waitForURL(`${BASE}/sweeps/${state.sweep}`)
      state.before = await deskProgress(page)
      assert.ok(state.before.gridNever >= 1 || state.before.gridVisited < state.before.gridHouses,
        `a house is left to visit: ${JSON.stringify(state.before)}`)
      await page.locator('[data-test="pending-table"] .el-table__row').first().waitFor()
      await shot(page, '40-desk-sweep-progress-before')
    } finally {
      await context.close()
    }
  })

  test('the grid worker records a visit with a new occupant on the phone', async () => {
    assert.ok(state.before, 'the progress step ran')
    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, WORKER, { landing: '/m' })
      await page.locator('[data-test="tab-sweep"]').click()
      await page.waitForURL(/\/m\/sweeps/)
      const summary = page.locator('[data-test="m-sweep-summary"]')
      await summary.waitFor()
      // The first building with houses left to visit is open.
      const pendingCells = page.locator('[data-test="m-sweep-groups"] .house[data-state="pending"]')
      await pendingCells.first().waitFor()
      const visitedBefore = Number(await page.locator('[data-test="m-sweep-visited"]').innerText())
      await shot(page, '41-phone-sweep-worklist')

      const cell = pendingCells.first()
      state.house = Number(await cell.getAttribute('data-house-id'))
      const label = await cell.getAttribute('data-label')
      await cell.click()
      await page.waitForURL(new RegExp(`/m/sweeps/${state.sweep}/houses/${state.house}`))
      assert.equal((await page.locator('[data-test="m-visit-house"]').innerText()).trim(), label)
      await page.locator('[data-test="m-visit-outcome"] [data-outcome="visited"]').click()

      // A new occupant: a wrong check digit is caught on the phone, before anything is sent.
      state.idNumber = fictitiousId()
      state.name = `测试${'甲乙丙丁戊己庚辛'[Math.floor(Math.random() * 8)]}${Date.now().toString(36).slice(-3)}`
      await page.locator('[data-test="m-add-occupant"]').click()
      await field(page, 'm-new-name').fill(state.name)
      await field(page, 'm-new-id').fill(wrongCheck(state.idNumber))
      await page.locator('[data-test="m-new-confirm"]').click()
      await page.getByText('身份证号校验位不正确，请核对').waitFor()
      await field(page, 'm-new-id').fill(state.idNumber)
      await field(page, 'm-new-phone').fill('13912345678')
      await page.locator('[data-test="m-new-confirm"]').click()
      const added = page.locator('[data-test="m-visit-added"] [data-added="0"]')
      await added.waitFor()
      assert.match(await added.innerText(), new RegExp(state.idNumber))
      await shot(page, '42-phone-visit-form')

      await page.locator('[data-test="m-visit-submit"]').click()
      await page.waitForURL(new RegExp(`/m/sweeps\\?.*done=${state.house}`))
      // Back on the worklist: the house's building is open and the house is visited, no longer pending.
      const done = page.locator(`[data-test="m-sweep-groups"] .house[data-house-id="${state.house}"]`)
      await done.waitFor()
      assert.equal(await done.getAttribute('data-state'), 'visited')
      assert.match(await done.innerText(), /已入户/)
      await page.waitForFunction((n) => Number(document.querySelector('[data-test="m-sweep-visited"]')?.textContent) === n,
        visitedBefore + 1)
      await shot(page, '43-phone-sweep-worklist-after')
      await page.locator('[data-test="m-sweep-filter"] .van-tab', { hasText: '待走访' }).click()
      await done.waitFor({ state: 'detached' })
      assert.equal(await page.locator(`[data-test="m-sweep-groups"] [data-house-id="${state.house}"]`).count(), 0)
    } finally {
      await context.close()
    }
  })

  test('the desk progress counts the house as visited', async () => {
    assert.ok(state.house, 'the visit step ran')
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      const now = await deskProgress(page)
      assert.equal(now.gridVisited, state.before.gridVisited + 1, `grid visited: ${JSON.stringify({ before: state.before, now })}`)
      assert.equal(now.totalVisited, state.before.totalVisited + 1, 'community total visited')
      assert.equal(now.gridHouses, state.before.gridHouses)
      const pendingIds = await page.locator('[data-test="pending-table"] .el-table__row').count()
      assert.ok(pendingIds >= 0)
      await shot(page, '44-desk-sweep-progress-after')
    } finally {
      await context.close()
    }
  })

  test('the community finds the new occupant by ID number and reveals it after confirming', async () => {
    assert.ok(state.idNumber, 'the visit step ran')
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.locator('.el-menu-item', { hasText: '实有人口' }).click()
      await page.waitForURL(`${BASE}/residents`)
      const table = page.locator('[data-test="residents-table"]')

      // A wrong check digit is caught before searching.
      await field(page, 'resident-search').fill(wrongCheck(state.idNumber))
      await page.locator('[data-test="resident-search-go"]').click()
      await page.getByText('身份证号校验位不正确，请核对').waitFor()

      await field(page, 'resident-search').fill(state.idNumber)
      assert.equal((await page.locator('[data-test="search-mode"]').innerText()).trim(), '按身份证号')
      await page.locator('[data-test="resident-search-go"]').click()
      const rows = table.locator('.el-table__body-wrapper .el-table__row')
      await page.waitForFunction(() => document.querySelectorAll('[data-test="residents-table"] .el-table__body-wrapper .el-table__row').length === 1)
      const text = await rows.first().innerText()
      assert.match(text, new RegExp(state.name))
      assert.ok(!text.includes(state.idNumber), 'the list shows the ID number masked')
      assert.match(text, new RegExp(`${state.idNumber.slice(0, 3)}\\*+${state.idNumber.slice(-4)}`))

      await rows.first().locator('[data-resident-id]').click()
      const drawer = page.locator('.el-drawer[data-test="resident-drawer"]')
      await drawer.waitFor({ state: 'visible' })
      const idCell = drawer.locator('[data-test="resident-id"]')
      await idCell.filter({ hasText: '*' }).waitFor()
      // Masked: the birth year only; the full date comes with the reveal.
      const birth = drawer.locator('[data-test="resident-birth"]')
      const d = state.idNumber.slice(6, 14)
      assert.equal((await birth.innerText()).trim(), d.slice(0, 4))
      await drawer.locator('[data-test="resident-reveal"]').click()
      const box = page.locator('.el-message-box')
      await box.getByText('查看完整信息将被记录审计').waitFor()
      await shot(page, '45-desk-reveal-confirm')
      await box.getByRole('button', { name: '确认查看' }).click()
      await idCell.filter({ hasText: state.idNumber }).waitFor()
      assert.equal((await idCell.innerText()).trim(), state.idNumber)
      assert.equal((await drawer.locator('[data-test="resident-phone-value"]').innerText()).trim(), '13912345678')
      assert.equal((await birth.innerText()).trim(), `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`)

      // The history shows the visit's version with what it set.
      await drawer.locator('.el-tabs__item', { hasText: '变更历史' }).click()
      await drawer.locator('[data-test="base-history"] .el-timeline-item').first().waitFor()
      await shot(page, '46-desk-resident-revealed')
    } finally {
      await context.close()
    }
  })

  test('the import wizard’s dry run shows the row error for a bad ID number', async () => {
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.locator('.el-menu-item', { hasText: '导入导出' }).click()
      await page.waitForURL(`${BASE}/imports`)
      const wizard = page.locator('[data-test="import-wizard"]')
      await wizard.waitFor()

      // The template's own header line, then one good row and one with a wrong check digit.
      const template = await page.evaluate(async () => (await fetch('/api/v1/residents/import-template?format=csv')).text())
      const header = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0]
      const cols = header.split(',')
      const row = (values) => cols.map((c) => values[c] ?? '').join(',')
      const good = fictitiousId()
      const csv = [
        header,
        row({ 姓名: '导入正确', 身份证号: good, 网格代码: GRID, 人口类型: '户籍' }),
        row({ 姓名: '导入错误', 身份证号: wrongCheck(fictitiousId()), 网格代码: GRID, 人口类型: '流动' }),
      ].join('\r\n') + '\r\n'

      await wizard.locator('[data-test="import-file"]').setInputFiles({
        name: 'residents.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8'),
      })
      await wizard.locator('[data-test="import-check"]').click()
      const errors = wizard.locator('[data-test="import-errors"] .el-table__body-wrapper .el-table__row')
      await errors.first().waitFor()
      assert.equal(await errors.count(), 1, 'one bad row')
      const cells = (await errors.first().locator('td').allInnerTexts()).map((s) => s.trim())
      assert.equal(cells[0], '3', 'the bad row is row 3 (the header is row 1)')
      assert.match(cells[1] + cells[2], /身份证号/)
      assert.match(cells[2], /校验位/)
      assert.match(await wizard.locator('[data-test="import-result"]').innerText(), /1 行有错误/)
      await wizard.locator('[data-test="import-error-report"]').waitFor()
      await shot(page, '47-desk-import-dry-run')

      // Nothing was written by the dry run.
      const found = await page.evaluate(async (id) => (await fetch(`/api/v1/residents?id_number=${id}`)).json(), good)
      assert.equal(found.items.length, 0, 'a dry run writes nothing')
    } finally {
      await context.close()
    }
  })

  test('the base pages speak English as well', async () => {
    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.locator('[data-test="lang-switch"]').click()
      await page.locator('.el-dropdown-menu__item[data-lang="en"]:visible').click()
      await page.waitForFunction(() => document.documentElement.lang === 'en')
      await page.locator('.el-menu-item', { hasText: 'Sweeps' }).click()
      await page.waitForURL(`${BASE}/sweeps`)
      await page.locator(`[data-test="sweeps-table"] [data-sweep-id="${state.sweep}"]`).click()
      await page.locator('[data-test="progress-table"] .el-table__row').first().waitFor()
      const head = await page.locator('[data-test="progress-table"] thead').innerText()
      assert.doesNotMatch(head, /[\u4e00-\u9fff]/)
      assert.match(head, /Visit rate/)
      await shot(page, '48-desk-english-sweep')
      await page.locator('.el-menu-item', { hasText: 'Houses' }).click()
      await page.locator('[data-test="houses-table"] .el-table__row').first().waitFor()
      assert.doesNotMatch(await page.locator('[data-test="house-use-filter"]').innerText(), /[\u4e00-\u9fff]/)
      await shot(page, '49-desk-english-houses')
    } finally {
      await context.close()
    }
  })

  test('the community edits a household’s head in the house drawer', async () => {
    // A house of the grid with a household of at least two people living there.
    const api = await apiAs(COMMUNITY)
    const list = await api('GET', `/houses?region=${GRID}&limit=60`)
    assert.equal(list.status, 200, JSON.stringify(list.data))
    let house = null
    let household = null
    let head = null
    for (const h of list.data.items) {
      if ((h.occupants ?? 0) < 2) continue
      const full = (await api('GET', `/houses/${h.id}`)).data
      for (const hh of full.households || []) {
        const other = (full.residents || []).find((r) => r.household_id === hh.id && r.status === 'active' && r.id !== hh.head_id)
        if (other) {
          house = full
          household = hh
          head = other
          break
        }
      }
      if (house) break
    }
    assert.ok(house, 'a house with a household of two or more people')
    const number = `测${Date.now().toString(36).slice(-5)}`

    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.goto(`${BASE}/houses`)
      await page.locator(`[data-building-id="${house.building_id}"]`).first().click()
      await page.locator(`[data-test="houses-table"] [data-house-id="${house.id}"]`).click()
      const drawer = page.locator('.el-drawer[data-test="house-drawer"]')
      await drawer.waitFor({ state: 'visible' })
      await drawer.locator(`[data-test="household-edit"][data-household-id="${household.id}"]`).click()
      const dialog = page.locator('.el-dialog[data-test="household-dialog"]')
      await dialog.waitFor({ state: 'visible' })
      await field(page, 'household-number').fill(number)
      // The head is picked from a list of the people of the house (no ID typed).
      await dialog.locator('[data-test="household-head"]').click()
      const option = page.locator('.el-select-dropdown__item:visible', { hasText: head.name }).first()
      await option.waitFor()
      await page.waitForTimeout(400) // let the animation settle for the picture
      await shot(page, '50-desk-household-head-pick')
      await option.click()
      await dialog.locator('[data-test="household-save"]').click()
      await dialog.waitFor({ state: 'hidden' })
      const row = drawer.locator('.el-table__row', { has: page.locator(`[data-household-id="${household.id}"]`) })
      await row.filter({ hasText: head.name }).waitFor()
      assert.match(await row.innerText(), new RegExp(number))
      await shot(page, '51-desk-household-edited')

      const now = await api('GET', `/households/${household.id}`)
      assert.equal(now.status, 200, JSON.stringify(now.data))
      assert.equal(now.data.head_id, head.id, 'the new head is saved')
      assert.equal(now.data.number, number)
      assert.ok(now.data.members.some((m) => m.id === head.id), 'the head is a member of the household')
      // The change is in the household's history, in the same dialog.
      await drawer.locator(`[data-test="household-edit"][data-household-id="${household.id}"]`).click()
      await dialog.waitFor({ state: 'visible' })
      await dialog.locator('[data-test="household-history"] .el-collapse-item__header').click()
      const versions = dialog.locator('[data-test="household-history"]', { hasText: number })
      await versions.waitFor()
      assert.match(await versions.innerText(), /户号/)
      const hist = await api('GET', `/households/${household.id}/history`)
      assert.deepEqual(hist.data.items.map((v) => [v.action, v.after.number, v.after.head_id]).at(-1), ['update', number, head.id])
      await page.waitForTimeout(400) // the collapse animation, for the picture
      await shot(page, '51b-desk-household-history')
    } finally {
      await context.close()
    }
  })

  test('a resident registered in a house is put into a household, then taken out of it', async () => {
    // A house of the grid with at least one household (numbered and headed, when there is one).
    const api = await apiAs(COMMUNITY)
    const list = await api('GET', `/houses?region=${GRID}&limit=60`)
    assert.equal(list.status, 200, JSON.stringify(list.data))
    let house = null
    let household = null
    for (const h of list.data.items) {
      const full = (await api('GET', `/houses/${h.id}`)).data
      const hhs = full.households || []
      const best = hhs.find((x) => x.number && x.head_id) || hhs[0]
      if (best && (!household || (best.number && best.head_id))) {
        house = full
        household = best
        if (best.number && best.head_id) break
      }
    }
    assert.ok(house, 'a house with a household')
    const headName = (house.residents || []).find((r) => r.id === household.head_id)?.name
    const label = `${household.number ? `户号 ${household.number}` : `未编号户 #${household.id}`} · ${headName ? `户主 ${headName}` : '未指定户主'}`
    const idNumber = fictitiousId()
    const name = `入户${Date.now().toString(36).slice(-4)}`

    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.goto(`${BASE}/houses`)
      await page.locator(`[data-building-id="${house.building_id}"]`).first().click()
      await page.locator(`[data-test="houses-table"] [data-house-id="${house.id}"]`).click()
      const drawer = page.locator('.el-drawer[data-test="house-drawer"]')
      await drawer.waitFor({ state: 'visible' })

      // 登记居民: the form knows the house; its households are offered by number and head.
      await drawer.locator('[data-test="house-add-resident"]').click()
      const form = page.locator('.el-dialog [data-test="resident-form"]')
      await form.waitFor({ state: 'visible' })
      await field(page, 'resident-name').fill(name)
      await field(page, 'resident-id-number').fill(idNumber)
      const pick = form.locator('[data-test="resident-household"]')
      assert.match(await pick.innerText(), /无/, 'no household to begin with')
      await pick.click()
      const option = page.locator(`.el-select-dropdown__item:visible[data-household-id="${household.id}"]`)
      await option.waitFor()
      assert.equal((await option.innerText()).trim(), label)
      assert.equal(await page.locator('.el-select-dropdown__item:visible[data-household-id="0"]').innerText(), '无')
      await page.waitForTimeout(400) // let the animation settle for the picture
      await shot(page, '56-desk-resident-household-pick')
      await option.click()
      assert.match(await pick.innerText(), new RegExp(label))
      await shot(page, '56b-desk-resident-household-picked')
      await form.locator('xpath=..').locator('[data-test="resident-save"]').click()
      await form.waitFor({ state: 'hidden' })
      const occupant = drawer.locator('[data-test="house-residents"]').getByRole('button', { name })
      await occupant.waitFor()

      const found = await api('GET', `/residents?id_number=${idNumber}`)
      assert.equal(found.status, 200, JSON.stringify(found.data))
      assert.equal(found.data.items.length, 1, 'the new resident is registered')
      const resident = found.data.items[0]
      assert.equal(resident.house_id, house.id)
      assert.equal(resident.household_id, household.id, 'the new resident is in the household picked')

      // Edit: the form shows the household; 无 takes the resident out of it.
      await occupant.click()
      const personDrawer = page.locator('.el-drawer[data-test="resident-drawer"]')
      await personDrawer.waitFor({ state: 'visible' })
      // the details name the household the same way
      await personDrawer.locator('[data-test="resident-household-label"]', { hasText: label }).waitFor()
      await personDrawer.locator('[data-test="resident-edit"]').click()
      const editPick = personDrawer.locator('[data-test="resident-household"]')
      await editPick.filter({ hasText: label }).waitFor()
      await editPick.click()
      await page.locator('.el-select-dropdown__item:visible[data-household-id="0"]').click()
      await editPick.filter({ hasText: '无' }).waitFor()
      await page.waitForTimeout(400)
      await shot(page, '57-desk-resident-household-cleared')
      await personDrawer.locator('[data-test="resident-save"]').click()
      await personDrawer.locator('[data-test="resident-edit"]').waitFor({ state: 'visible' })

      const now = await api('GET', `/residents/${resident.id}`)
      assert.equal(now.status, 200, JSON.stringify(now.data))
      assert.equal(now.data.household_id, null, 'the household is cleared')
      assert.equal(now.data.house_id, house.id, 'the house stays')
      const members = await api('GET', `/households/${household.id}`)
      assert.ok(!members.data.members.some((m) => m.id === resident.id), 'no longer a member of the household')
    } finally {
      await context.close()
    }
  })

  test('the phone worklist groups houses by building and finds a house by building and room', async () => {
    assert.ok(state.sweep, 'set-up ran')
    const api = await apiAs(WORKER)
    const pending = await api('GET', `/sweeps/${state.sweep}/worklist?region=${GRID}&state=pending&limit=200`)
    assert.equal(pending.status, 200, JSON.stringify(pending.data))
    const target = pending.data.items.at(-1)
    assert.ok(target, 'a house left to visit')

    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, WORKER, { landing: '/m' })
      await page.locator('[data-test="tab-sweep"]').click()
      await page.waitForURL(/\/m\/sweeps/)
      const groups = page.locator('[data-test="m-sweep-building"]')
      await groups.first().waitFor()
      // One group a building; the pending counts of the groups add up to the grid's.
      const counts = await groups.evaluateAll((els) => els.map((e) => ({
        id: Number(e.dataset.buildingId), pending: Number(e.dataset.pending), visited: Number(e.dataset.visited),
      })))
      assert.equal(new Set(counts.map((c) => c.id)).size, counts.length, 'one group per building')
      const pendingTotal = Number(await page.locator('[data-test="m-sweep-pending"]').innerText())
      assert.equal(counts.reduce((n, c) => n + c.pending, 0), pendingTotal)
      const group = groups.filter({ has: page.locator(`[data-house-id="${target.id}"]`) })
      const targetGroup = page.locator(`[data-test="m-sweep-building"][data-building-id="${target.building_id}"]`)
      const g = counts.find((c) => c.id === target.building_id)
      assert.match(await targetGroup.locator('[data-test="m-sweep-building-counts"]').innerText(),
        new RegExp(`待访 ${g.pending}.*已访 ${g.visited}`))
      await page.waitForTimeout(400) // let the animation settle for the picture
      await shot(page, '52-phone-sweep-groups')

      // A closed group opens with a tap and shows its houses.
      const closedId = await groups.filter({ hasNot: page.locator('.house') }).first().getAttribute('data-building-id', { timeout: 2000 }).catch(() => null)
      if (closedId) {
        const closed = page.locator(`[data-test="m-sweep-building"][data-building-id="${closedId}"]`)
        await closed.locator('.van-collapse-item__title').click()
        await closed.locator('.house').first().waitFor()
      }

      // The search box: building and room, written the way people say it.
      const building = target.building.replace(/[^\d]/g, '') || target.building
      await field(page, 'm-sweep-search').fill(`${building} ${target.unit || ''} ${target.room}`)
      const cell = group.locator(`.house[data-house-id="${target.id}"]`)
      await cell.waitFor()
      const shown = await page.locator('[data-test="m-sweep-groups"] .house').count()
      assert.ok(shown >= 1 && shown < pending.data.items.length, `the search narrows the list (${shown} shown)`)
      await page.waitForTimeout(400) // let the animation settle for the picture
      await shot(page, '53-phone-sweep-search')
      await cell.click()
      await page.waitForURL(new RegExp(`/m/sweeps/${state.sweep}/houses/${target.id}`))
      assert.equal((await page.locator('[data-test="m-visit-house"]').innerText()).trim(), target.label)
    } finally {
      await context.close()
    }
  })

  test('an organisation is attached to a house and its detail shows the house’s address', async () => {
    const api = await apiAs(COMMUNITY)
    const name = `测试商户${Date.now().toString(36).slice(-4)}`
    const org = await api('POST', '/organisations', { name, kind: 'individual', region_code: GRID })
    assert.equal(org.status, 201, JSON.stringify(org.data))
    const houses = await api('GET', `/houses?region=${GRID}&limit=30`)
    const house = houses.data.items.at(-1)
    const address = `阳光路 ${house.id} 号`
    assert.equal((await api('PATCH', `/houses/${house.id}`, { address })).status, 200)

    const { context, page } = await desk()
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.goto(`${BASE}/organisations`)
      await field(page, 'org-search').fill(name)
      await page.keyboard.press('Enter')
      await page.locator(`[data-org-id="${org.data.id}"]`).click()
      const drawer = page.locator('.el-drawer[data-test="org-drawer"]')
      await drawer.waitFor({ state: 'visible' })
      await drawer.getByText('未关联房屋').waitFor()
      await drawer.locator('[data-test="org-edit"]').click()
      const dialog = page.locator('.el-dialog[data-test="org-dialog"]')
      await dialog.waitFor({ state: 'visible' })
      await dialog.locator('[data-test="org-building"]').click()
      await page.locator('.el-select-dropdown__item:visible').getByText(house.building, { exact: true }).click()
      await dialog.locator('[data-test="org-house"]').click()
      await page.locator('.el-select-dropdown__item:visible').getByText(`${house.unit}${house.room}`, { exact: true }).click()
      await page.waitForTimeout(400) // let the animation settle for the picture
      await shot(page, '54-desk-org-house-pick')
      await dialog.locator('[data-test="org-save"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await drawer.locator('[data-test="org-house-label"]', { hasText: house.label }).waitFor()
      assert.equal((await drawer.locator('[data-test="org-house-address"]').innerText()).trim(), address)
      await shot(page, '55-desk-org-detail-house')
      const now = await api('GET', `/organisations/${org.data.id}`)
      assert.equal(now.data.house_id, house.id)
    } finally {
      await context.close()
    }
  })
})

if (missing) test(`browser tests skipped: ${missing}`, { skip: missing }, () => {})
