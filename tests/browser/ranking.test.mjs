// Browser test of the monthly ranking (月度评比) on the demo district: the street manager opens
// the ranking from the menu — the demo's community scheme, their own street's communities for
// this month, as the API computes it, 红榜 and 黑榜 marked — expands the worst community's row
// into the breakdown of its score (导出 PDF gives a PDF of it), and from its closure rate lands
// on the case list of that community's cases of the month that are not closed. The district
// sees last month's published version. Screenshots go to JICENG_SHOTS (and, with
// JICENG_DOC_SHOTS=DIR, the docs' into DIR).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, BASE, demo, lastMonth, launchBrowser, missing, month, openDesk, shot } from './lib.mjs';

const STREET = demo('jiedao'); // 幸福街道
const DISTRICT = demo('zhihui');
const STREET_CODE = '999901001';

let browser;

describe('the monthly ranking (月度评比) in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test("the street manager drills from the worst community's closure rate to its unclosed cases", async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.locator('[data-test="command-menu"] .el-sub-menu__title').click();
      await page.locator('[data-test="menu-rankings"]').click();
      await page.waitForURL(`${BASE}/rankings`);
      const schemes = await apiGet(page, '/ranking-schemes');
      const scheme = schemes.body.items.filter((s) => s.level === 'community').sort((a, b) => a.id - b.id)[0];
      assert.ok(scheme, 'the demo has a community scheme');
      const api = await apiGet(page, `/rankings?scheme=${scheme.id}&period=${month()}`);
      assert.equal(api.status, 200);
      assert.equal(api.body.parent.code, STREET_CODE, "the street user's own communities");
      const rows = api.body.items;
      assert.ok(rows.length >= 2);
      for (const r of rows) {
        await page.locator(`[data-test="total-${r.region_code}"]`).waitFor();
        assert.equal(await page.locator(`[data-test="rank-${r.region_code}"]`).innerText(), String(r.rank));
      }
      // 红榜 / 黑榜 rows are coloured
      assert.equal(await page.locator('[data-test="ranking-table"] tr.row-red').count(), api.body.red.length);
      assert.equal(await page.locator('[data-test="ranking-table"] tr.row-black').count(), api.body.black.length);
      await shot(page, 'ranking-01-street', true);
      // 导出 PDF beside 导出 XLSX: a real PDF of this ranking
      const pdfLink = page.locator('[data-test="ranking-export-pdf"]');
      assert.match(await pdfLink.innerText(), /导出 PDF/);
      const href = await pdfLink.getAttribute('href');
      assert.match(href, new RegExp(`^/api/v1/rankings/export\\?.*scheme=${scheme.id}.*format=pdf`));
      const got = await page.evaluate(async (h) => {
        const r = await fetch(h, { credentials: 'same-origin' });
        const b = new Uint8Array(await r.arrayBuffer());
        return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)) };
      }, href);
      assert.deepEqual([got.status, got.type, got.head], [200, 'application/pdf', '%PDF-']);
      // the worst community with a closure gap: the lowest-ranked row whose cases are not all closed
      const gap = (r) => {
        const s = r.scores.find((x) => x.indicator === 'case_closure_rate');
        return s && s.denominator > s.numerator ? s : null;
      };
      const worst = [...rows].reverse().find(gap);
      assert.ok(worst, 'a community with unclosed cases this month');
      const closure = gap(worst);
      // the breakdown of its score
      const tr = page.locator('[data-test="ranking-table"] .el-table__body tr', {
        has: page.locator(`[data-test="total-${worst.region_code}"]`),
      });
      await tr.locator('.el-table__expand-icon').click();
      const bd = page.locator(`[data-test="breakdown-${worst.region_code}"]`);
      await bd.waitFor();
      assert.match(await bd.innerText(), new RegExp(`${closure.numerator} / ${closure.denominator}`));
      await shot(page, 'ranking-02-breakdown', true);
      // its closure rate → the case list: that community, this month, not closed
      await page.locator(`[data-test="drill-case_closure_rate-${worst.region_code}"]`).click();
      await page.waitForURL((u) => u.pathname === '/cases' && u.searchParams.get('unclosed') === 'true');
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('region'), worst.region_code);
      assert.equal(url.searchParams.get('month'), month());
      const want = await apiGet(page, `/cases?region=${worst.region_code}&month=${month()}&unclosed=true&limit=200`);
      assert.equal(want.body.items.length, closure.denominator - closure.numerator, 'the gap of the rate');
      const table = page.locator('[data-test="cases-table"]');
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-test="cases-table"] [data-case-id]').length === n,
        Math.min(want.body.items.length, 50),
        { timeout: 15000 },
      );
      const statuses = await table.locator('[data-test="case-status"]').allInnerTexts();
      assert.ok(statuses.length > 0);
      assert.ok(!statuses.includes('已结案'), `no closed case: ${statuses.join(',')}`);
      assert.match(await page.locator('[data-test="filter-unclosed"]').getAttribute('class'), /is-checked/, 'the filter is shown on');
      await shot(page, 'ranking-03-unclosed-cases', true);
    } finally {
      await context.close();
    }
  });

  test("the district reads last month's published version", async () => {
    const { context, page } = await openDesk(browser, DISTRICT);
    try {
      const lm = lastMonth();
      await page.goto(`${BASE}/rankings?month=${lm}`);
      await page.locator('[data-test="ranking-table"]').waitFor();
      await page.locator('[data-test="ranking-version"]').click();
      await page.locator('.el-select-dropdown__item', { hasText: '第 1 版' }).click();
      await page.locator('[data-test="ranking-summary"]', { hasText: '已发布第 1 版' }).waitFor();
      await shot(page, 'ranking-04-published', true);
    } finally {
      await context.close();
    }
  });
});
