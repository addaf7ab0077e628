// Browser test of party building and pairing (党建引领, 结对共建) through the web UI, against a
// running jiceng server with the demo district (same environment as cases.test.mjs):
//
//   JICENG_URL=http://127.0.0.1:18080 node --test tests/browser/party.test.mjs
//
// The pairing unit's cadre (gongjian, 区住建局) records an activity and a commitment on the
// pairing board on the phone and completes it → the community (shequ) sees it waiting for
// verification on the desk board, where 销号 is not offered yet and a direct close is refused
// (409) → verifies it and ticks it off (销号) → the board shows it closed off, also after a
// reload and on the cadre's phone. Then the structure report (组织体系报告) shows the numbers
// of GET /api/v1/party/structure, in Chinese and in English. Last, the community registers a
// member from a resident (found by ID number) through 登记党员, enrols the member in a functional
// branch and takes them out again, and sets the member's household up as a 党员中心户 with a
// neighbour household picked through its building (设立党员中心户); the API has them all.
// Demo users all have the password Demo@2026jc (JICENG_DEMO_PASSWORD overrides it).
// Screenshots go to /tmp/jiceng-shots/ (JICENG_SHOTS).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  apiGet,
  apiPost,
  BASE,
  demo,
  field,
  launchBrowser,
  missing,
  openDesk,
  openPhone,
  shot,
  SHOTS,
  signIn,
  textarea,
} from './lib.mjs'

const UNIT = demo('gongjian')
const COMMUNITY = demo('shequ')
const DISTRICT = demo('zhihui')

let browser
const tag = Date.now().toString(36)
// What the steps hand to each other.
const state = { pairing: null, commitment: null, problem: `楼道声控灯损坏待更换 ${tag}`, activity: `共建志愿服务日 ${tag}`, member: null }

const option = (page, text) => page.locator('.el-select-dropdown__item:visible', { hasText: text })

// The desk board's card of our commitment, and the column (state) it sits in.
const deskCard = (page) => page.locator(`[data-test="commitment-card"][data-commitment-id="${state.commitment}"]`)
async function deskColumn(page) {
  return deskCard(page).evaluate((el) => el.closest('[data-state]').dataset.state)
}
async function deskActions(page) {
  return deskCard(page).locator('button[data-action]').evaluateAll((els) => els.map((e) => e.dataset.action))
}
// Waits until the card sits in the column `want`.
async function waitColumn(page, want) {
  await page.locator(`[data-state="${want}"] [data-test="commitment-card"][data-commitment-id="${state.commitment}"]`).waitFor()
  // and only there: while the board re-renders the card may briefly stand in two columns
  await page.waitForFunction((id) => document.querySelectorAll(`[data-test="commitment-card"][data-commitment-id="${id}"]`).length === 1, state.commitment)
  assert.equal(await deskColumn(page), want)
}

describe('party building and pairing in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
  })

  test('the pairing unit records an activity and a commitment on the phone board, and completes it', async () => {
    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, UNIT, { landing: '/m' })
      // The cadre's home offers 结对共建; it lists the pairing of 区住建局 with 阳光社区.
      await page.locator('[data-test="m-shortcuts"] .van-grid-item', { hasText: '结对共建' }).click()
      await page.waitForURL(`${BASE}/m/pairings`)
      const card = page.locator('[data-test="m-pairing"]', { hasText: '区住建局与阳光社区结对共建' })
      await card.waitFor()
      state.pairing = Number(await card.getAttribute('data-pairing-id'))
      assert.match(await card.innerText(), /结对单位/, 'the cadre acts for the unit side')
      await card.click()
      await page.waitForURL(`${BASE}/m/pairings/${state.pairing}`)
      await page.locator('[data-test="m-pairing-title"]', { hasText: '区住建局与阳光社区结对共建' }).waitFor()

      // An activity: what, when (today, the default), where, who, how many, person-hours.
      await page.locator('[data-test="m-activity-new"]').click()
      const aform = page.locator('[data-test="m-activity-form"]')
      await aform.waitFor({ state: 'visible' })
      // Saving it empty says what is missing, and sends nothing.
      await page.locator('[data-test="m-activity-save"]').click()
      await aform.getByText('请填写活动内容').waitFor()
      await field(page, 'm-activity-title').fill(state.activity)
      await field(page, 'm-activity-place').fill('阳光社区党群服务中心')
      await field(page, 'm-activity-participants').fill('区住建局党员志愿者')
      await field(page, 'm-activity-people').fill('12')
      await field(page, 'm-activity-hours').fill('24')
      await page.locator('[data-test="m-activity-save"]').click()
      await aform.waitFor({ state: 'hidden' })
      const activity = page.locator('[data-test="m-activities"] .van-cell', { hasText: state.activity })
      await activity.waitFor()
      assert.match(await activity.innerText(), /区住建局党员志愿者/)
      assert.match(await activity.innerText(), /12 人 · 24 小时/)

      // A commitment: it starts 已承诺, with start and complete offered to the unit.
      await page.locator('[data-test="m-commitment-new"]').click()
      const cform = page.locator('[data-test="m-commitment-form"]')
      await cform.waitFor({ state: 'visible' })
      await textarea(page, 'm-commitment-problem').fill(state.problem)
      await textarea(page, 'm-commitment-measure').fill('更换声控灯 40 盏，月底前完成')
      await field(page, 'm-commitment-responsible').fill('区住建局 张建国')
      assert.match(await field(page, 'm-commitment-deadline').inputValue(), /^\d{4}-\d{2}-\d{2}$/)
      await shot(page, '60-phone-commitment-form')
      await page.locator('[data-test="m-commitment-save"]').click()
      await cform.waitFor({ state: 'hidden' })
      const mine = page.locator('[data-test="m-commitment"]', { hasText: state.problem })
      await mine.waitFor()
      state.commitment = Number(await mine.getAttribute('data-commitment-id'))
      assert.equal((await mine.locator('[data-test="m-commitment-state"]').innerText()).trim(), '已承诺')
      assert.deepEqual(await mine.locator('button[data-action]').evaluateAll((els) => els.map((e) => e.dataset.action)),
        ['start', 'complete'])

      // Completed with a result → 已完成待核验, and nothing left for the unit to do.
      await mine.locator('button[data-action="complete"]').click()
      const dialog = page.locator('.van-dialog:visible')
      await dialog.waitFor()
      await dialog.locator('textarea').fill('已更换声控灯 40 盏，居民试用正常')
      await dialog.locator('.van-dialog__confirm').click()
      await dialog.waitFor({ state: 'hidden' })
      await mine.locator('[data-test="m-commitment-state"]', { hasText: '已完成待核验' }).waitFor()
      assert.equal(await mine.locator('button[data-action]').count(), 0, 'verification is the community side\'s')
      await shot(page, '61-phone-pairing-board')
    } finally {
      await context.close()
    }
  })

  test('the community verifies it and ticks it off (销号) on the desk board', async () => {
    assert.ok(state.commitment, 'the unit step ran')
    const { context, page } = await openDesk(browser)
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.locator('[data-test="party-menu"]').click()
      await page.locator('.el-menu-item', { hasText: '结对共建' }).click()
      await page.waitForURL(`${BASE}/pairings`)
      await page.locator(`[data-test="pairing-table"] a[data-pairing-id="${state.pairing}"]`).click()
      await page.waitForURL(`${BASE}/pairings/${state.pairing}`)
      assert.equal((await page.locator('[data-test="my-side"]').innerText()).trim(), '我方：社区')
      // The community records no commitments; it sees the unit's activity.
      assert.equal(await page.locator('[data-test="commitment-new"]').count(), 0)
      const act = page.locator('[data-test="activity-table"] .el-table__row', { hasText: state.activity })
      await act.waitFor()
      assert.match(await act.innerText(), /区住建局党员志愿者/)
      assert.match(await act.innerText(), /24/)
      // and who recorded it
      assert.equal((await act.locator('[data-test="activity-recorded-by"]').innerText()).trim(), `登记人：${UNIT.user}`)

      // Waiting for verification: verify or send back — 销号 is not offered before verification.
      await waitColumn(page, 'done')
      assert.match(await deskCard(page).innerText(), /已更换声控灯 40 盏/)
      assert.deepEqual(await deskActions(page), ['verify', 'reopen'])
      // And the server refuses a close before verification (409), leaving it where it was.
      const early = await apiPost(page, `/pairings/${state.pairing}/commitments/${state.commitment}/actions`, { action: 'close' })
      assert.equal(early.status, 409)
      await page.locator('button', { hasText: '刷新' }).click()
      await waitColumn(page, 'done')
      await shot(page, '62-desk-board-to-verify')

      await deskCard(page).locator('button[data-action="verify"]').click()
      let dialog = page.locator('.el-dialog[data-action="verify"]')
      await dialog.waitFor({ state: 'visible' })
      await textarea(page, 'action-comment').fill('现场核验，楼道照明恢复正常')
      await dialog.locator('[data-test="action-submit"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await waitColumn(page, 'verified')
      assert.deepEqual(await deskActions(page), ['close', 'reopen'])
      assert.equal(await deskCard(page).locator('[data-test="commitment-closed"]').count(), 0)

      await deskCard(page).locator('button[data-action="close"]').click()
      dialog = page.locator('.el-dialog[data-action="close"]')
      await dialog.waitFor({ state: 'visible' })
      await dialog.locator('[data-test="action-submit"]').click()
      await dialog.waitFor({ state: 'hidden' })
      await waitColumn(page, 'closed')
      assert.equal((await deskCard(page).locator('[data-test="commitment-closed"]').innerText()).trim(), '已销号')
      assert.equal(await deskCard(page).locator('button[data-action]').count(), 0, 'a closed-off commitment takes no more actions')
      assert.match(await deskCard(page).getAttribute('class'), /\bclosed\b/)
      await shot(page, '63-desk-board-closed')

      // It stays closed off after a reload, and its history tells who did what.
      await page.reload()
      await waitColumn(page, 'closed')
      await deskCard(page).click()
      const drawer = page.locator('.el-drawer:visible')
      await drawer.waitFor()
      const history = await drawer.locator('.el-timeline-item').allInnerTexts()
      assert.equal(history.length, 4)
      assert.match(history.join('\n'), /登记承诺[\s\S]*完成[\s\S]*核验[\s\S]*现场核验，楼道照明恢复正常[\s\S]*销号/)
    } finally {
      await context.close()
    }
  })

  test('the cadre sees the commitment closed off on the phone', async () => {
    assert.ok(state.commitment, 'the earlier steps ran')
    const { context, page } = await openPhone(browser)
    try {
      await signIn(page, UNIT, { landing: '/m' })
      await page.goto(`${BASE}/m/pairings`)
      await page.locator('[data-test="m-commit-tabs"] .van-tab', { hasText: '已销号' }).click()
      const row = page.locator(`[data-test="m-commitments"] [data-commitment-id="${state.commitment}"]`)
      await row.waitFor()
      assert.match(await row.innerText(), /已销号/)
    } finally {
      await context.close()
    }
  })

  for (const [who, lang, region] of [[COMMUNITY, 'zh-CN', '999901001001'], [DISTRICT, 'en', '999901']]) {
    test(`the structure report shows the numbers of /party/structure (${who.user}, ${lang})`, async () => {
      const { context, page } = await openDesk(browser, null, { locale: lang })
      try {
        await signIn(page, who, { landing: '/', lang })
        await page.goto(`${BASE}/party/report`)
        await page.locator('[data-test="structure-summary"] [data-key="communities"]').waitFor()
        const api = await page.evaluate(async (r) => (await fetch(`/api/v1/party/structure?region=${r}`)).json(), region)
        const shown = await page.locator('[data-test="structure-summary"] [data-key]').evaluateAll((els) =>
          Object.fromEntries(els.map((e) => [e.dataset.key, Number(e.querySelector('[data-test="stat-value"]').textContent.trim())])))
        assert.deepEqual(shown, {
          communities: api.summary.communities,
          communities_complete: api.summary.communities_complete,
          grids: api.summary.grids,
          grids_without_branch: api.summary.grids_without_branch,
          buildings: api.summary.buildings,
          buildings_without_group: api.summary.buildings_without_group,
          center_households: api.summary.center_households,
          functional_branches: api.summary.functional_branches,
          functional_members: api.summary.functional_members,
        })
        assert.ok(api.summary.communities > 0 && api.summary.buildings > 0, 'the demo district has a structure to show')
        // One chart row per community, with its grid and building ratios.
        const rows = page.locator('[data-test="structure-community"]')
        assert.equal(await rows.count(), api.communities.length)
        for (const c of api.communities) {
          const row = page.locator(`[data-test="structure-community"][data-community="${c.code}"]`)
          assert.equal((await row.locator('[data-test="grid-ratio"]').innerText()).trim(), `${c.grids_with_branch}/${c.grids}`)
          assert.equal((await row.locator('[data-test="building-ratio"]').innerText()).trim(), `${c.buildings_with_group}/${c.buildings}`)
          const off = await row.locator('.tier.off').evaluateAll((els) => els.map((e) => e.dataset.tier))
          assert.deepEqual(off, c.missing_tiers)
        }
        const label = lang === 'en' ? 'Buildings without group' : '未建楼栋党小组'
        assert.match(await page.locator('[data-key="buildings_without_group"]').innerText(), new RegExp(label))
        await shot(page, `64-structure-report-${lang}`)
      } finally {
        await context.close()
      }
    })
  }

  test('the community registers a party member from a resident through 登记党员', async () => {
    const { context, page } = await openDesk(browser)
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.goto(`${BASE}/party/members`)
      await page.locator('[data-test="member-table"]').waitFor()
      // A resident of the first grid who is no party member yet, with the full ID number to look up.
      const grid = '999901001001001'
      const found = await page.evaluate(async (g) => {
        const all = async (path) => {
          const out = []
          let cursor = ''
          for (let i = 0; i < 20; i++) {
            const page = await (await fetch(`/api/v1${path}&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).json()
            out.push(...page.items)
            if (!page.next_cursor) break
            cursor = encodeURIComponent(page.next_cursor)
          }
          return out
        }
        const members = new Set((await all('/party/members?region=999901001001')).map((m) => m.resident_id))
        const r = (await all(`/residents?region=${g}`)).find((x) => x.status === 'active' && x.household_id && !members.has(x.id))
        return r ? (await fetch(`/api/v1/residents/${r.id}?reveal=true`)).json() : null
      }, grid)
      assert.ok(found, 'the demo grid has residents who are not party members')
      assert.match(found.id_number, /^\d{17}[\dX]$/)

      await page.locator('[data-test="member-new"]').click()
      const dialog = page.locator('.el-dialog[data-test="member-create-dialog"]')
      await dialog.waitFor({ state: 'visible' })
      // Sent empty, the server's errors land on their fields.
      await dialog.locator('[data-test="member-save"]').click()
      await dialog.locator('.el-form-item', { hasText: '居民/人员' }).locator('.el-form-item__error', { hasText: '党员须关联一位居民' }).waitFor()
      await dialog.locator('.el-form-item', { hasText: '所在党支部' }).locator('.el-form-item__error').waitFor()
      await shot(page, '65-desk-member-create-errors')

      // The resident by ID number; the grid's branch, a party group; 预备党员 since a date.
      await dialog.locator('[data-test="member-resident"]').click()
      await field(page, 'member-resident').fill(found.id_number)
      await page.locator(`.el-select-dropdown__item:visible:has([data-resident-id="${found.id}"])`).click()
      await dialog.locator('[data-test="member-org"]').click()
      await option(page, '阳光社区第一网格党支部').click()
      await dialog.locator('[data-test="member-group"]').click()
      await option(page, /^1号楼党小组$/).click()
      await dialog.locator('[data-test="member-status-input"] .el-radio', { hasText: '预备党员' }).click()
      const joinedOn = dialog.locator('.el-form-item', { hasText: '入党日期' }).locator('input')
      await joinedOn.fill('2025-07-01')
      await joinedOn.press('Enter')
      await textarea(page, 'member-note').fill(`浏览器测试 ${tag}`)
      assert.equal(await dialog.locator('.el-form-item__error').count(), 0, 'the errors went with the new values')
      assert.equal(await field(page, 'member-name-input').getAttribute('placeholder'), `默认为“${found.name}”`)
      await shot(page, '66-desk-member-create')
      await dialog.locator('[data-test="member-save"]').click()
      await page.waitForURL(/\/party\/members\/\d+$/)
      const id = Number(page.url().split('/').pop())
      await page.locator('[data-test="member-name"]', { hasText: found.name }).waitFor()
      assert.equal((await page.locator('[data-test="member-status"]').innerText()).trim(), '预备党员')
      // The primary branch with its kind.
      await page.locator('[data-test="member-primary-kind"]').waitFor()
      assert.equal((await page.locator('[data-test="member-primary-kind"]').innerText()).trim(), '网格党支部')
      assert.match(await page.locator('[data-test="member-primary-org"]').innerText(), /阳光社区第一网格党支部[\s\S]*1号楼党小组/)

      const { status, body: m } = await apiGet(page, `/party/members/${id}`)
      assert.equal(status, 200)
      assert.equal(m.resident_id, found.id)
      assert.equal(m.name, found.name)
      assert.equal(m.org_name, '阳光社区第一网格党支部')
      assert.equal(m.group_name, '1号楼党小组')
      assert.equal(m.status, 'probationary')
      assert.equal(m.joined_on, '2025-07-01')
      assert.equal(m.note, `浏览器测试 ${tag}`)
      assert.equal(m.history[0].action, 'join')
      state.member = { id, name: found.name, resident_id: found.id, household_id: found.household_id }

      // A functional branch: joined from the member page, then left again.
      const fb = '阳光社区下沉力量第一功能型党支部'
      await page.locator('[data-test="member-join-org"]').click()
      await option(page, fb).click()
      await page.locator('[data-test="member-join"]').click()
      const row = page.locator('[data-test="member-org-table"] .el-table__row', { hasText: fb })
      await row.waitFor()
      assert.match(await row.innerText(), /功能型[\s\S]*功能型党支部（下沉力量）/)
      const joined = (await apiGet(page, `/party/members/${id}`)).body
      assert.deepEqual(joined.functional.map((f) => f.org_name), [fb])
      await shot(page, '67-desk-member-page')
      await row.locator('button', { hasText: '退出' }).click()
      await page.locator('.el-message-box').waitFor()
      await page.locator('.el-message-box button', { hasText: /确定|OK/ }).click()
      await row.waitFor({ state: 'detached' })
      assert.deepEqual((await apiGet(page, `/party/members/${id}`)).body.functional, [])
    } finally {
      await context.close()
    }
  })

  test('the community sets up the member household with a neighbour picked through its building', async () => {
    assert.ok(state.member, 'the member step ran')
    const { context, page } = await openDesk(browser)
    try {
      await signIn(page, COMMUNITY, { landing: '/' })
      await page.goto(`${BASE}/party/centers`)
      await page.locator('[data-test="center-table"]').waitFor()
      // A neighbour in the member's building that no center liaises with yet.
      const plan = await page.evaluate(async (hid) => {
        const get = async (p) => (await fetch(`/api/v1${p}`)).json()
        const own = await get(`/households/${hid}`)
        const house = await get(`/houses/${own.house_id}`)
        const taken = new Set()
        let cursor = ''
        for (let i = 0; i < 20; i++) {
          const page = await get(`/party/center-households?region=999901001001&limit=200${cursor ? `&cursor=${cursor}` : ''}`)
          for (const c of page.items) {
            taken.add(c.household_id)
            for (const h of (await get(`/party/center-households/${c.id}`)).households) taken.add(h.id)
          }
          if (!page.next_cursor) break
          cursor = page.next_cursor
        }
        const houses = (await get(`/houses?building_id=${house.building_id}&limit=200`)).items
        for (const h of houses) {
          for (const hh of (await get(`/houses/${h.id}`)).households) {
            if (hh.id !== hid && !taken.has(hh.id)) return { building: house.building, ownHouse: house.label, neighbour: hh.id }
          }
        }
        return null
      }, state.member.household_id)
      assert.ok(plan, 'the member\'s building has a household free to link')

      await page.locator('[data-test="center-new"]').click()
      const dialog = page.locator('.el-dialog[data-test="center-create-dialog"]')
      await dialog.waitFor({ state: 'visible' })
      await dialog.locator('[data-test="center-member"]').click()
      await field(page, 'center-member').fill(state.member.name)
      await page.locator(`.el-select-dropdown__item:visible:has([data-member-id="${state.member.id}"])`).click()
      // The member's own household comes from the resident, shown by its address.
      await dialog.getByText(`默认为该党员（居民）所在户：${plan.ownHouse}`).waitFor()
      const neighbours = dialog.locator('[data-test="center-neighbour-picker"]')
      await neighbours.locator('[data-test="household-select"]').click()
      await page.locator(`.el-select-dropdown__item:visible:has([data-household-id="${plan.neighbour}"])`).click()
      await dialog.locator('[data-test="center-neighbour-add"]').click()
      await dialog.locator(`[data-test="center-neighbours"] .el-tag[data-household-id="${plan.neighbour}"]`).waitFor()
      await textarea(page, 'center-note').fill(`浏览器测试 ${tag}`)
      await page.waitForTimeout(400) // the tag fades in
      await shot(page, '68-desk-center-create')
      await dialog.locator('[data-test="center-save"]').click()
      await dialog.waitFor({ state: 'hidden' })

      const list = (await apiGet(page, '/party/center-households?region=999901001001&limit=200')).body.items
      const center = list.find((c) => c.member_id === state.member.id)
      assert.ok(center, 'the center household exists')
      assert.equal(center.household_id, state.member.household_id)
      assert.equal(center.household_count, 1)
      const detail = (await apiGet(page, `/party/center-households/${center.id}`)).body
      assert.deepEqual(detail.households.map((h) => h.id), [plan.neighbour])
      assert.equal(detail.note, `浏览器测试 ${tag}`)

      // Unfolded in the list, it shows its own household and the neighbour by address.
      const row = page.locator('[data-test="center-table"] .el-table__row', { hasText: state.member.name })
      await row.locator('.el-table__expand-icon').click()
      const box = page.locator(`.households[data-center-id="${center.id}"]`)
      await box.locator(`.el-tag[data-household-id="${plan.neighbour}"]`).waitFor()
      await box.getByText(`中心户本户：${plan.ownHouse}`).waitFor()
      await box.scrollIntoViewIfNeeded()
      await page.screenshot({ path: `${SHOTS}/69-desk-center-households.png` })
    } finally {
      await context.close()
    }
  })
})
