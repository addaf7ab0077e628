// Browser test of the working-day calendar page (工作日历, admin): the admin opens it from the
// platform menu, sees the year's holidays, is told in the form that a 调休 workday cannot fall on
// a Monday, adds a holiday and sees it listed (and stored), then removes it. Screenshots go to
// JICENG_SHOTS (and, with JICENG_DOC_SHOTS=DIR, the one the docs show into DIR).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, apiGet, BASE, field, launchBrowser, missingAdmin, month, openDesk, shot, signIn } from './lib.mjs';

let browser;

describe('working-day calendar in the web UI', { skip: missingAdmin || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the admin adds a holiday from the platform menu and sees it listed', async () => {
    const { context, page } = await openDesk(browser);
    try {
      await signIn(page, ADMIN);
      await page.waitForURL(`${BASE}/`);
      await page.locator('[data-test="side-menu"]').getByText('工作日历').click();
      await page.waitForURL(`${BASE}/calendar`);
      const year = Number(month().slice(0, 4));
      const listed = (await apiGet(page, `/calendar?year=${year}`)).body.items;
      const table = page.locator('[data-test="calendar-table"]');
      if (listed.length) await table.getByText(listed[0].date).waitFor();
      // A weekday of this December that the calendar does not hold yet (December has no statutory holiday).
      let date;
      for (let d = 1; d <= 31 && !date; d++) {
        const cand = `${year}-12-${String(d).padStart(2, '0')}`;
        const wd = new Date(`${cand}T00:00:00Z`).getUTCDay();
        if (wd >= 1 && wd <= 5 && !listed.some((x) => x.date === cand)) date = cand;
      }
      assert.ok(date);

      await page.locator('[data-test="calendar-add"]').click();
      const picker = field(page, 'calendar-date');
      await picker.fill(date);
      await picker.press('Enter');
      // A 调休 workday on a weekday: the form says what is wrong and sends nothing.
      await page.locator('[data-test="calendar-kind"]').getByText('班（调休上班）').click();
      await field(page, 'calendar-name').fill('浏览器测试假日');
      await page.locator('[data-test="calendar-save"]').click();
      await page.getByText('周一至周五本就上班').first().waitFor();
      assert.equal((await apiGet(page, `/calendar?year=${year}`)).body.items.length, listed.length, 'nothing stored');

      await page.locator('[data-test="calendar-kind"]').getByText('休（节假日）').click();
      await page.locator('[data-test="calendar-save"]').click();
      const row = table.locator('.el-table__row', { hasText: date });
      await row.waitFor();
      assert.match(await row.innerText(), /浏览器测试假日/);
      assert.match(await row.innerText(), /休（节假日）/);
      const stored = (await apiGet(page, `/calendar?year=${year}`)).body.items.find((x) => x.date === date);
      assert.deepEqual([stored.kind, stored.name, stored.provisional], ['holiday', '浏览器测试假日', false]);
      assert.match(await page.locator('[data-test="calendar-months"]').innerText(), /浏览器测试假日/);
      await shot(page, 'calendar-01-year', true);

      // Remove it again: the row goes, and so does the stored day.
      await row.getByText('删除').click();
      await page.locator('.el-message-box').getByRole('button', { name: '删除' }).click();
      await row.waitFor({ state: 'detached' });
      const after = (await apiGet(page, `/calendar?year=${year}`)).body.items;
      assert.equal(after.length, listed.length);
      assert.ok(!after.some((x) => x.date === date));
    } finally {
      await context.close();
    }
  });
});
