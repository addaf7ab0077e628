// Browser tests of evaluation (考核评价) on the demo district: the street manager opens the
// indicator table from the menu, sees the street and its communities with the counts behind
// each value (the same as the API's), drills down from a community's number to its grids and
// draws an indicator's 12-month trend; on 外部数据填报 the figures they entered cannot be approved
// by them, and the district command centre approves one, which then counts. Screenshots go to
// JICENG_SHOTS (and, with JICENG_DOC_SHOTS=DIR, the docs' into DIR).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, BASE, demo, launchBrowser, missing, month, openDesk, shot } from './lib.mjs';

const STREET = demo('jiedao'); // 幸福街道
const DISTRICT = demo('zhihui'); // 区指挥中心
const STREET_CODE = '999901001';
const SUNNY = '999901001001'; // 阳光社区

let browser;

describe('evaluation (考核评价) in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the street manager reads the indicator table, drills down to the grids and sees a trend', async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.locator('[data-test="command-menu"] .el-sub-menu__title').click();
      await page.locator('[data-test="menu-indicators"]').click();
      await page.waitForURL(`${BASE}/indicators`);
      const cell = page.locator(`[data-test="value-criminal_cases_per_10k-${SUNNY}"]`);
      await cell.waitFor();
      const api = await apiGet(page, `/indicators/criminal_cases_per_10k/values?region=${STREET_CODE}&period=${month()}`);
      assert.equal(api.status, 200);
      const sunny = api.body.items.find((i) => i.region_code === SUNNY);
      assert.ok(sunny.denominator > 0, 'the demo community has residents');
      assert.match(await cell.innerText(), new RegExp(`${sunny.numerator}/${sunny.denominator}`));
      // the street's own closure counts, as the API gives them
      const closure = await apiGet(page, `/indicators/case_closure_rate/values?region=${STREET_CODE}&period=${month()}`);
      const own = closure.body.items[0];
      assert.match(
        await page.locator(`[data-test="value-case_closure_rate-${STREET_CODE}"]`).innerText(),
        new RegExp(`${own.numerator}/${own.denominator}`),
      );
      await shot(page, 'evaluation-01-street', true);
      // 导出 PDF: the selected (first) indicator's table for the street, as a PDF
      const href = await page.locator('[data-test="indicator-export-pdf"]').getAttribute('href');
      assert.match(href, new RegExp(`^/api/v1/indicators/[a-z0-9_]+/values\\?.*region=${STREET_CODE}.*format=pdf`));
      const got = await page.evaluate(async (h) => {
        const r = await fetch(h, { credentials: 'same-origin' });
        const b = new Uint8Array(await r.arrayBuffer());
        return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)) };
      }, href);
      assert.deepEqual([got.status, got.type, got.head], [200, 'application/pdf', '%PDF-']);
      // drill down: 阳光社区's number opens its grids
      await cell.locator('a').first().click();
      await page.locator(`[data-test="value-case_closure_rate-${SUNNY}001"]`).waitFor();
      // the trend of the first indicator, 12 months
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-test="indicator-trend"]');
        return el?.__chart?.getOption()?.xAxis?.[0]?.data?.length === 12;
      });
      await shot(page, 'evaluation-02-community', true);
    } finally {
      await context.close();
    }
  });

  test("the dashboard's map colours the street's communities by an indicator", async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.goto(`${BASE}/`);
      await page.locator('[data-test="dash-measure"] .el-radio-button', { hasText: '考核指标' }).click();
      await page.locator('[data-test="dash-indicator"]').waitFor();
      const api = await apiGet(page, `/indicators/case_closure_rate/values?region=${STREET_CODE}&period=${month()}`);
      const want = Object.fromEntries(api.body.items.slice(1).map((i) => [i.region_code, i.value]));
      await page.waitForFunction(
        (w) => {
          const el = document.querySelector('[data-test="dash-map"] [data-values]') || document.querySelector('[data-values]');
          return el && el.dataset.values === JSON.stringify(w);
        },
        want,
        { timeout: 15000 },
      );
      await shot(page, 'evaluation-04-dashboard-map', true);
    } finally {
      await context.close();
    }
  });

  test('a figure is approved by someone other than its enterer, and then counts', async () => {
    const street = await openDesk(browser, STREET);
    try {
      await street.page.goto(`${BASE}/indicator-figures`);
      await street.page.locator('[data-test="figure-table"]').waitFor();
      const list = await apiGet(street.page, `/indicator-figures?region=${STREET_CODE}&status=pending`);
      assert.ok(list.body.items.length > 0, 'the demo has pending fire figures');
      const id = list.body.items[0].id;
      const button = street.page.locator(`[data-test="figure-approve-${id}"]`);
      await button.waitFor();
      assert.equal(await button.isDisabled(), true, 'the enterer may not approve');
      await shot(street.page, 'evaluation-03-figures', true);
    } finally {
      await street.context.close();
    }
    const district = await openDesk(browser, DISTRICT);
    try {
      const { page } = district;
      await page.goto(`${BASE}/indicator-figures`);
      await page.locator('[data-test="figure-table"]').waitFor();
      await page.locator('.el-radio-button', { hasText: '待审核' }).click();
      const list = await apiGet(page, `/indicator-figures?region=${STREET_CODE}&status=pending`);
      const fig = list.body.items[0];
      const before = await apiGet(page, `/indicators/fire_rectification_rate/values?region=999901&period=${fig.period}`);
      const at = (r) => r.body.items.find((i) => i.region_code === STREET_CODE);
      await page.locator(`[data-test="figure-approve-${fig.id}"]`).click();
      await page.getByText('已审核，数据计入指标').waitFor();
      const after = await apiGet(page, `/indicators/fire_rectification_rate/values?region=999901&period=${fig.period}`);
      const grew = fig.fact === 'fire_hazards' ? 'denominator' : 'numerator';
      assert.equal(at(after)[grew], at(before)[grew] + fig.value, 'the approved figure counts');
    } finally {
      await district.context.close();
    }
  });
});
