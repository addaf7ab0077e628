// Browser tests of the command platform (指挥平台): the district user's home is the dashboard;
// they drill on the map from the district to a grid and open an overdue case; the wall screen
// fits 1920×1080 with no scroll bars. Screenshots go to JICENG_SHOTS (and, with
// JICENG_DOC_SHOTS=DIR, the ones the docs show into DIR).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { apiGet, BASE, demo, DOC_SHOTS, launchBrowser, missing, openDesk, shot, SHOTS, signIn } from './lib.mjs';

const DISTRICT_USER = demo('zhihui');

let browser;

// Clicks the map where region code lies: the centre of its boundary's bounding box, turned into
// a pixel by the chart itself, then a real mouse click on the canvas.
async function clickOnMap(page, code) {
  const region = await apiGet(page, `/regions/${code}`);
  assert.equal(region.status, 200);
  const ring = region.body.geometry.type === 'Polygon' ? region.body.geometry.coordinates[0] : region.body.geometry.coordinates[0][0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  // The first community cell of an L-shaped street lies in its lower-left corner.
  const lon = (Math.min(...xs) * 3 + Math.max(...xs)) / 4;
  const lat = (Math.min(...ys) * 3 + Math.max(...ys)) / 4;
  const map = page.locator('[data-test="dash-map"]');
  await map.waitFor();
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-test="dash-map"]');
    return el && el.__chart && el.__chart.getOption().series?.[0]?.data?.length > 0;
  });
  const xy = await map.evaluate((el, c) => el.__chart.convertToPixel({ seriesIndex: 0 }, c), [lon, lat]);
  const box = await map.boundingBox();
  await page.mouse.click(box.x + xy[0], box.y + xy[1]);
}

describe('command platform in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the district user drills from the district map to a grid and opens an overdue case', async () => {
    const { context, page } = await openDesk(browser);
    try {
      await signIn(page, DISTRICT_USER);
      await page.waitForURL(`${BASE}/`);
      await page.locator('[data-test="tile-open"]').waitFor();
      const api = (await apiGet(page, '/dashboard')).body;
      assert.equal(api.region, '999901');
      // The tiles say what the API says.
      for (const key of ['open', 'overdue', 'warning', 'supervised', 'reported_today', 'closed_today']) {
        const text = await page.locator(`[data-test="tile-${key}"] .num`).innerText();
        assert.equal(Number(text), api.cases[key], `tile ${key}`);
      }
      assert.match(await page.locator('[data-test="tile-overdue"]').innerText(), /超期/);
      assert.match(await page.locator('[data-test="dash-children"]').innerText(), /幸福街道/);
      await page.waitForTimeout(600); // the charts' entry animation
      await shot(page, 'command-01-district-dashboard', true);

      // District → street → community → grid, each by a click on the map.
      for (const code of ['999901001', '999901001001', '999901001001001']) {
        await clickOnMap(page, code);
        await page.waitForURL(new RegExp(`region=${code}$`));
        await page.locator('[data-test="dash-trail"] .here').waitFor();
        const here = (await apiGet(page, `/regions/${code}`)).body.name;
        await page.locator('[data-test="dash-trail"] .here', { hasText: here }).waitFor();
      }
      assert.match(await page.locator('[data-test="dash-trail"]').innerText(), /示范区.*幸福街道.*阳光社区.*阳光社区第一网格/s);
      const grid = (await apiGet(page, '/dashboard?region=999901001001001')).body;
      assert.equal(Number(await page.locator('[data-test="tile-open"] .num').innerText()), grid.cases.open);
      await page.waitForTimeout(600);
      await shot(page, 'command-02-grid-map', true);

      // The grid's overdue list opens the case.
      const rows = page.locator('[data-test="dash-overdue"] .el-table__row');
      assert.ok(grid.cases.overdue > 0, 'the demo grid has overdue cases');
      await rows.first().waitFor();
      const number = (await rows.first().locator('td').first().innerText()).trim();
      await rows.first().click();
      await page.waitForURL(/\/cases\/\d+$/);
      await page.getByText(number).first().waitFor();
      // Back up to the district by the breadcrumb's first step.
      await page.goBack();
      await page.locator('[data-test="dash-trail"] a').first().click();
      await page.waitForURL(/region=999901$/);
    } finally {
      await context.close();
    }
  });

  test('the wall screen fits 1920×1080 with no scroll bars', async () => {
    const { context, page } = await openDesk(browser, null, { viewport: { width: 1920, height: 1080 } });
    try {
      await signIn(page, DISTRICT_USER);
      await page.waitForURL(`${BASE}/`);
      await page.goto(`${BASE}/screen?region=999901`);
      await page.locator('[data-test="screen"] [data-test="tile-open"]').waitFor();
      await page.locator('[data-test="dash-map"]').waitFor();
      await page.waitForTimeout(800);
      const size = await page.evaluate(() => ({
        h: document.documentElement.scrollHeight,
        w: document.documentElement.scrollWidth,
      }));
      assert.ok(size.h <= 1080, `page height ${size.h} > 1080`);
      assert.ok(size.w <= 1920, `page width ${size.w} > 1920`);
      assert.match(await page.locator('.bar h1').innerText(), /指挥中心/);
      await page.screenshot({ path: `${SHOTS}/command-03-wall-screen.png` });
      if (DOC_SHOTS) copyFileSync(`${SHOTS}/command-03-wall-screen.png`, `${DOC_SHOTS}/command-03-wall-screen.png`);
    } finally {
      await context.close();
    }
  });
});
