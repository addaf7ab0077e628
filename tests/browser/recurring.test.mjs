// Browser test of 反复发生问题 (recurring problems): the street user opens the page from the
// 指挥平台 menu, sees the demo's recurring problems with category, place, count and period,
// opens one to its cases (links to the case pages), and turns it into a campaign task through
// the dialog; the problem then shows under 已转专项整治 with its item. Three new cases at one
// address make a new problem, which the street user turns into a topic (转为议题) and the topic
// page links back to it. Screenshots go to
// JICENG_SHOTS (and, with JICENG_DOC_SHOTS=DIR, into DIR).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiPost, BASE, dayFromNow, demo, launchBrowser, missing, shot, signIn } from './lib.mjs';

const STREET_USER = demo('jiedao');

let browser;

describe('recurring problems in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the street user lists recurring problems, opens one and turns it into a campaign task', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    try {
      await signIn(page, STREET_USER);
      await page.locator('[data-test="side-menu"]').waitFor();
      const today = dayFromNow(0);
      const campaign = await apiPost(page, '/campaigns', {
        region_code: '999901001',
        title: '反复问题浏览器测试整治',
        starts_on: today,
        ends_on: '2099-12-31',
        lead_unit: '街道综治办',
      });
      assert.equal(campaign.status, 201, JSON.stringify(campaign.body));

      await page.locator('[data-test="command-menu"]').click();
      await page.locator('.el-menu-item', { hasText: '反复发生问题' }).click();
      await page.waitForURL(/\/recurring$/);
      const table = page.locator('[data-test="recurring-table"]');
      await table.locator('[data-test="recurring-count"]').first().waitFor();
      const rows = table.locator('.el-table__body-wrapper > .el-scrollbar .el-table__body > tbody > tr.el-table__row');
      const n = await table.locator('[data-test="recurring-count"]').count();
      assert.ok(n >= 1, 'the demo has recurring problems in 幸福街道');
      const count = Number((await table.locator('[data-test="recurring-count"]').first().innerText()).trim());
      assert.ok(count >= 3, `a problem has at least 3 cases, not ${count}`);
      assert.ok((await table.locator('[data-test="recurring-place"]').first().innerText()).trim().length > 0);

      // its cases, each a link to the case page
      await rows.first().locator('.el-table__expand-icon').click();
      const cases = page.locator('[data-test^="recurring-cases-"] a[data-case-id]');
      await cases.first().waitFor();
      assert.equal(await cases.count(), count);
      await shot(page, 'command-recurring-problems', true);

      // 转为专项整治任务
      const place = (await table.locator('[data-test="recurring-place"]').first().innerText()).trim();
      await table.locator('[data-test="recurring-take-up"]').first().click();
      const dialog = page.locator('.el-dialog', { hasText: '转为专项整治任务' });
      await dialog.waitFor({ state: 'visible' });
      await dialog.locator('[data-test="take-up-campaign"]').click();
      await page.locator('.el-select-dropdown__item', { hasText: '反复问题浏览器测试整治' }).click();
      await dialog.locator('[data-test="take-up-owner"] input, input[data-test="take-up-owner"]').first().fill('环卫所');
      await shot(page, 'command-recurring-take-up');
      await dialog.locator('[data-test="take-up-save"]').click();
      await page.locator('.el-message--success').waitFor();
      await dialog.waitFor({ state: 'hidden' });

      // under 已转专项整治 it shows its item
      await page.locator('[data-test="filter-status"] label', { hasText: '已转专项整治' }).click();
      const taken = table.locator('tr.el-table__row', { hasText: place }).first();
      await taken.locator('[data-test="recurring-item"]').waitFor();
      assert.match(await taken.locator('[data-test="recurring-item"]').innerText(), /专项整治事项 #\d+/);
    } finally {
      await page.close();
    }
  });

  test('three cases at one address become a problem, and the street user turns it into a topic', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    try {
      await signIn(page, STREET_USER);
      await page.locator('[data-test="side-menu"]').waitFor();
      // Three cases of one category within 50 m in one grid make a new problem as they arrive.
      const address = `浏览器议题路 ${process.pid % 1000} 号`;
      for (let i = 0; i < 3; i++) {
        const made = await apiPost(page, '/cases', {
          category: 'environment',
          description: `反复问题转议题测试 ${i + 1}：路面积水`,
          region_code: '999901001001001',
          source: 'hotline',
          location: { lat: 30.7 + i * 0.00005, lon: 121.7, address },
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));
      }
      await page.goto(`${BASE}/recurring`);
      const table = page.locator('[data-test="recurring-table"]');
      const row = table.locator('tr.el-table__row', { hasText: address }).first();
      await row.waitFor();
      assert.equal((await row.locator('[data-test="recurring-count"]').innerText()).trim(), '3');
      await row.locator('[data-test="recurring-to-topic"]').click();
      const box = page.locator('.el-message-box', { hasText: '转为议题' });
      await box.waitFor({ state: 'visible' });
      assert.match(await box.innerText(), new RegExp(address));
      await box.locator('.el-button--primary').click();
      await page.waitForURL(/\/topics\/\d+$/);
      await page.locator('[data-test="topic-title"]').waitFor();
      assert.match(await page.locator('[data-test="topic-title"]').innerText(), /^反复发生：/);
      assert.match(await page.locator('[data-test="topic-stage"]').innerText(), /提议|民事民提/);
      const link = page.locator('[data-test="topic-recurring"]');
      assert.match(await link.innerText(), /来自反复发生问题 #\d+/);
      await shot(page, 'command-recurring-topic');
      // back on the list, under 已转专项整治或议题 the problem names its topic
      await link.click();
      await page.waitForURL(/\/recurring\?/);
      const taken = table.locator('tr.el-table__row', { hasText: address }).first();
      await taken.locator('[data-test="recurring-topic"]').waitFor();
      assert.match(await taken.locator('[data-test="recurring-topic"]').innerText(), /议题 #\d+/);
    } finally {
      await page.close();
    }
  });
});
