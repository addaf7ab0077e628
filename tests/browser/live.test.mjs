// Browser test of the dashboard's live updates: the desk dashboard and the wall screen show 实时
// once subscribed (EventSource on GET /api/v1/dashboard/events), and a case reported through
// the API by someone else moves their open tile without a reload.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, BASE, launchBrowser, missing, openDesk, SHOTS, signIn } from './lib.mjs';

const GRID = '999901001001002';

let browser;

// A case reported by the street user through the API (Node's fetch), not through the page.
async function reportCase(description) {
  const r = await (await apiAs('jiedao'))('POST', '/cases', { category: 'environment', description, region_code: GRID });
  assert.equal(r.status, 201, JSON.stringify(r.data));
}

const openTile = async (page) => Number(await page.locator('[data-test="tile-open"] .num').innerText());

describe('live dashboard in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a case reported elsewhere moves the open tile of the dashboard and the wall screen, no reload', async () => {
    const { context, page: desk } = await openDesk(browser, null, { viewport: { width: 1920, height: 1080 } });
    const screen = await context.newPage();
    try {
      await signIn(desk, 'zhihui', { landing: (u) => !u.pathname.startsWith('/login') });
      await desk.goto(`${BASE}/?region=${GRID}`);
      await screen.goto(`${BASE}/screen?region=${GRID}`);
      for (const page of [desk, screen]) {
        await page.locator('[data-test="dash-live"][data-live="true"]').waitFor({ timeout: 10_000 });
        assert.equal((await page.locator('[data-test="dash-live"]').innerText()).trim(), '实时');
        await page.evaluate(() => (window.__notReloaded = true));
      }
      const before = await openTile(desk);
      assert.equal(await openTile(screen), before);
      await reportCase('实时推送浏览器测试：路灯不亮');
      for (const page of [desk, screen]) {
        // The tile moves off its old value: other browser tests share the server and may report
        // or close cases in the same grid meanwhile, so the exact new count is not known here.
        await page.waitForFunction((n) => Number(document.querySelector('[data-test="tile-open"] .num')?.innerText) !== n, before, {
          timeout: 20_000,
        });
        assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was not reloaded');
      }
      await screen.screenshot({ path: `${SHOTS}/live-01-wall-screen.png` });
    } finally {
      await context.close();
    }
  });
});
