// Browser test of the ranking schemes (评比方案) and bonus and penalty items (加减分) on the demo
// district: the street manager creates a scheme for their communities — a floor above the target
// is refused and the server's message shows under that indicator's row — then enters a bonus
// item with a photo; they may not approve it themselves (the server's message shows); the
// district manager approves it, and the ranking under the new scheme shows the community's
// total raised by the bonus, the item in its breakdown. The indicator table's drill-down to the
// cases carries the month. Screenshots go to JICENG_SHOTS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, BASE, demo, field, lastMonth, launchBrowser, missing, month, openDesk, png, shot } from './lib.mjs';

const STREET = demo('jiedao'); // 幸福街道
const DISTRICT = demo('zhihui');
const STREET_CODE = '999901001';

let browser;

// a visible el-select's option by its text
async function choose(page, test, text) {
  await page.locator(`[data-test="${test}"]`).click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first().click();
}

async function setNumber(page, test, value) {
  const input = field(page, test);
  await input.fill(String(value));
  await input.blur();
}

const NAME = '幸福街道社区评比（办结率）';
const REASON = '获评市级文明社区';
let schemeId;
let community;

describe('ranking schemes (评比方案) and bonus items (加减分) in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the street manager creates a scheme and enters a bonus item', async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.locator('[data-test="command-menu"] .el-sub-menu__title').click();
      await page.locator('[data-test="menu-ranking-schemes"]').click();
      await page.waitForURL(`${BASE}/ranking-schemes`);
      await page.locator('[data-test="scheme-table"]').waitFor();
      await page.locator('[data-test="scheme-new"]').click();
      await field(page, 'scheme-name').fill(NAME);
      await choose(page, 'scheme-item-indicator-0', '事件办结率');
      await setNumber(page, 'scheme-item-weight-0', 100);
      // a floor above the target of a higher-is-better rate: the server's message under the row
      await setNumber(page, 'scheme-item-floor-0', 90);
      await setNumber(page, 'scheme-item-target-0', 50);
      await page.locator('[data-test="scheme-save"]').click();
      const rowError = page.locator('[data-test="scheme-item-error-0"]');
      await rowError.waitFor();
      assert.ok((await rowError.innerText()).length > 0);
      await shot(page, 'schemes-01-row-error');
      await setNumber(page, 'scheme-item-floor-0', 0);
      await setNumber(page, 'scheme-item-target-0', 100);
      await page.locator('[data-test="scheme-save"]').click();
      await page.locator('[data-test="scheme-table"]', { hasText: NAME }).waitFor();
      const schemes = await apiGet(page, '/ranking-schemes');
      const s = schemes.body.items.find((x) => x.name === NAME);
      assert.ok(s, 'the scheme is stored');
      assert.equal(s.region_code, STREET_CODE);
      assert.equal(s.level, 'community');
      assert.deepEqual(s.items, [{ indicator: 'case_closure_rate', weight: 100, floor: 0, target: 100 }]);
      schemeId = s.id;
      // the region by its name; the district's own schemes are not the street's to edit
      const mine = page.locator('[data-test="scheme-table"] tr', { hasText: NAME });
      await mine.locator('text=幸福街道 · 评比下属社区').waitFor();
      assert.match(await mine.innerText(), /事件办结率：权重 100，保底 0 → 目标 100/);
      assert.equal(await page.locator(`[data-test="scheme-edit-${s.id}"]`).count(), 1);
      const district = schemes.body.items.find((x) => x.region_code === '999901');
      if (district) assert.equal(await page.locator(`[data-test="scheme-edit-${district.id}"]`).count(), 0);
      await page.waitForFunction(() => !document.querySelector('[data-test="scheme-table"] .el-loading-mask'));
      await shot(page, 'schemes-02-list');

      // the bonus item: a community of the street, this month, +5, with a photo
      await page.goto(`${BASE}/ranking-adjustments?scheme=${schemeId}`);
      await page.locator('[data-test="adjustment-table"]').waitFor();
      await page.locator('[data-test="adjustment-new"]').click();
      const dialog = page.locator('.el-dialog', { hasText: '录入加减分' });
      await page.locator('[data-test="adjustment-region"]').click();
      const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').first();
      await option.waitFor();
      const communityName = (await option.innerText()).trim();
      await option.click();
      await setNumber(page, 'adjustment-points', 5);
      await field(page, 'adjustment-reason').fill(REASON);
      await page.locator('textarea[data-test="adjustment-evidence"], [data-test="adjustment-evidence"] textarea').fill('市文明办 2026 年第 12 号通报');
      await dialog.locator('[data-test="photo-upload"] input[type="file"]').setInputFiles({
        name: 'certificate.png',
        mimeType: 'image/png',
        buffer: png(32, 24, [200, 40, 40]),
      });
      await dialog.locator('.el-upload-list__item.is-success').waitFor();
      await page.locator('[data-test="adjustment-save"]').click();
      await dialog.waitFor({ state: 'hidden' });
      const table = page.locator('[data-test="adjustment-table"]');
      await table.locator('tr', { hasText: REASON }).waitFor();
      const rowText = await table.locator('tr', { hasText: REASON }).innerText();
      assert.match(rowText, /\+5/);
      assert.match(rowText, /待审核/);
      assert.match(rowText, new RegExp(communityName));
      const adj = await apiGet(page, `/ranking-adjustments?scheme=${schemeId}&period=${month()}`);
      assert.equal(adj.body.items.length, 1);
      assert.equal(adj.body.items[0].photos.length, 1, 'the photo goes with the item');
      community = adj.body.items[0].region_code;
      // the one who entered it may not approve it: the server's message is shown
      await page.locator(`[data-test="adjustment-approve-${adj.body.items[0].id}"]`).click();
      await page.locator('.el-message--error', { hasText: '录入人不能审核自己录入的加减分项' }).waitFor();
      await shot(page, 'schemes-03-own-item');
    } finally {
      await context.close();
    }
  });

  test('the district manager approves it and the ranking shows the bonus', async () => {
    assert.ok(schemeId && community, 'the first test made the scheme and the item');
    const { context, page } = await openDesk(browser, DISTRICT);
    try {
      await page.goto(`${BASE}/ranking-adjustments?scheme=${schemeId}`);
      const table = page.locator('[data-test="adjustment-table"]');
      await table.locator('tr', { hasText: REASON }).waitFor();
      const before = await apiGet(page, `/rankings?scheme=${schemeId}&period=${month()}`);
      const row0 = before.body.items.find((r) => r.region_code === community);
      assert.equal(row0.adjustment_points, 0, 'a pending item does not count');
      await table.locator('tr', { hasText: REASON }).locator('button', { hasText: '审核通过' }).click();
      await page.locator('.el-message--success', { hasText: '已审核' }).waitFor();
      await page.locator('[data-test="adjustment-status"] label', { hasText: '已审核' }).click();
      await table.locator('tr', { hasText: REASON }).waitFor();
      assert.match(await table.locator('tr', { hasText: REASON }).innerText(), /zhihui 审核|区指挥中心值班员 审核/);
      // the approver sees the evidence photo
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-test="adjustment-table"] .el-image img');
        return img && img.complete && img.naturalWidth > 0;
      });
      await shot(page, 'schemes-04-approved');

      // the ranking under the new scheme: the total is the indicator points plus 5
      await page.goto(`${BASE}/rankings?scheme=${schemeId}&month=${month()}`);
      const api = await apiGet(page, `/rankings?scheme=${schemeId}&period=${month()}`);
      const row = api.body.items.find((r) => r.region_code === community);
      assert.equal(row.adjustment_points, 5);
      const pts = row.scores.reduce((n, s) => n + s.points, 0);
      assert.ok(Math.abs(row.total - (pts + 5)) < 0.011, `total ${row.total} = ${pts} + 5`);
      const total = page.locator(`[data-test="total-${community}"]`);
      await total.waitFor();
      assert.equal(await total.innerText(), Number(row.total).toFixed(2).replace(/\.00$/, ''));
      const tr = page.locator('[data-test="ranking-table"] .el-table__body tr', { has: total });
      assert.match(await tr.innerText(), /\b5\b/);
      await tr.locator('.el-table__expand-icon').click();
      const bd = page.locator(`[data-test="breakdown-${community}"]`);
      await bd.waitFor();
      assert.match(await bd.innerText(), new RegExp(`\\+5\\s*${REASON}`));
      await shot(page, 'schemes-05-ranking');
    } finally {
      await context.close();
    }
  });

  test("the indicator table's drill-down carries the month", async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      const lm = lastMonth();
      await page.goto(`${BASE}/indicators`);
      await page.locator('[data-test="indicators-page"]').waitFor();
      // the month picker (its data-test stays off the rendered input)
      const picker = page.locator('[data-test="indicators-page"] .el-date-editor input').first();
      await picker.fill(lm);
      await picker.press('Enter');
      await page.waitForFunction(
        (m) => [...document.querySelectorAll('a[href*="/cases?"]')].some((a) => a.href.includes(`month=${m}`)),
        lm,
        { timeout: 15000 },
      );
      const hrefs = await page.locator('[data-test^="value-"] a[href*="/cases?"]').evaluateAll((as) => as.map((a) => a.href));
      assert.ok(hrefs.length > 0);
      for (const h of hrefs) assert.equal(new URL(h).searchParams.get('month'), lm, h);
      await shot(page, 'schemes-06-indicators');
    } finally {
      await context.close();
    }
  });
});
