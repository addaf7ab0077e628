// Browser tests of the campaign board (挂图作战) and joint meetings (联席会议) on the demo
// district: the community secretary marks an item of 阳光社区 done with an evidence photo and
// may not tick off their own work (the server's 409 shown in the dialog); the street manager
// ticks it off, and 阳光社区's value on the campaign map goes from 2 of 6 to 3 of 6. Then the
// street manager dispatches a meeting decision as a case, and the case links back to the
// meeting. Screenshots go to JICENG_SHOTS (and, with JICENG_DOC_SHOTS=DIR, the docs' into DIR).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { apiGet, BASE, demo, DOC_SHOTS, launchBrowser, missing, openDesk, png, shot, SHOTS, textarea } from './lib.mjs';

const STREET = demo('jiedao'); // 幸福街道
const COMMUNITY = demo('shequ'); // 阳光社区
const SUNNY = '999901001001'; // 阳光社区

let browser;
const state = {};

// What the campaign map draws for region code: the value in the chart's own series data, once
// drawn, and the same value the component exposes (data-values).
async function mapValue(page, code) {
  const map = page.locator('[data-test="campaign-map"]');
  await map.waitFor();
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-test="campaign-map"]');
    return el && el.__chart && el.__chart.getOption().series?.[0]?.data?.length > 0;
  });
  return map.evaluate((el, c) => {
    const drawn = el.__chart.getOption().series[0].data.find((d) => d.name === c);
    return { drawn: drawn ? drawn.value : undefined, exposed: JSON.parse(el.dataset.values)[c] };
  }, code);
}

// Opens the action dialog of item id for action, on the item's list tab.
async function openAction(page, item, action) {
  await page.locator('[data-test="campaign-lists"] .el-tabs__item', { hasText: state.listName[item.list] }).click();
  await page.locator(`[data-test="item-act-${action}"][data-item="${item.id}"]`).click();
  const dialog = page.locator('[data-test="item-action-dialog"]');
  await dialog.waitFor();
  return dialog;
}

const itemState = (page, id) => page.locator(`.el-table__row:has([data-item-id="${id}"]) [data-state]`).first().getAttribute('data-state');

describe('campaign board and joint meetings in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
    state.listName = { problem: '问题清单', responsibility: '责任清单', task: '任务清单' };
  });
  after(async () => {
    await browser?.close();
  });

  test('the street manager opens the demo campaign from the menu: the board, the lists and the map', async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.locator('[data-test="command-menu"]').click();
      await page.locator('[data-test="menu-campaigns"]').click();
      await page.waitForURL(/\/campaigns$/);
      const link = page.locator('[data-test="campaign-table"] a[data-campaign-id]').first();
      await link.waitFor();
      state.campaign = Number(await link.getAttribute('data-campaign-id'));
      await link.click();
      await page.waitForURL(new RegExp(`/campaigns/${state.campaign}$`));
      await page.locator('[data-test="campaign-heading"]', { hasText: '楼道堆物与消防通道专项整治' }).waitFor();

      // The street's progress as the API gives it, on the map and in the table.
      const p = (await apiGet(page, `/campaigns/${state.campaign}/progress`)).body;
      assert.equal(p.region_code, '999901001', 'the street manager sees their street');
      const sunny = p.children.find((c) => c.region_code === SUNNY);
      assert.deepEqual([sunny.verified, sunny.total], [2, 6], 'the demo ticked off 2 of 阳光社区’s 6');
      state.before = await mapValue(page, SUNNY);
      assert.deepEqual(state.before, { drawn: 33, exposed: 33 });
      for (const c of p.children) {
        const want = c.total ? Math.round((c.verified * 100) / c.total) : null;
        assert.equal((await mapValue(page, c.region_code)).drawn ?? null, want, c.name);
      }
      assert.match(await page.locator('[data-test="campaign-progress"]').innerText(), /阳光社区/);
      assert.match(await page.locator('[data-test="campaign-total"]').innerText(), new RegExp(`${p.totals.verified} / ${p.totals.total}`));
      // The three lists, each as a tab with its count.
      const tabs = await page.locator('[data-test="campaign-lists"] .el-tabs__item').allInnerTexts();
      assert.deepEqual(
        tabs.map((s) => s.replace(/（\d+）/, '')),
        ['问题清单', '责任清单', '任务清单'],
      );
      // A returned item (退回) is assigned again and says so.
      assert.ok((await page.locator('[data-test="item-returned"]').count()) > 0, 'the demo has a returned item in 幸福街道');
      await page.waitForTimeout(600); // the charts' entry animation
      await shot(page, 'campaign-01-board', true);
    } finally {
      await context.close();
    }
  });

  test('the community secretary marks an item done with a photo and may not tick it off', async () => {
    assert.ok(state.campaign, 'the first step ran');
    const { context, page } = await openDesk(browser, COMMUNITY);
    try {
      await page.goto(`${BASE}/campaigns/${state.campaign}`);
      const items = (await apiGet(page, `/campaigns/${state.campaign}/items?region=${SUNNY}&state=assigned&limit=200`)).body.items;
      assert.ok(items.length > 0, 'the demo has an assigned item in 阳光社区');
      state.item = items[0];
      let dialog = await openAction(page, state.item, 'done');
      await textarea(dialog, 'item-action-comment').fill('楼道堆物已全部清理，现场照片附后');
      await dialog.locator('[data-test="photo-upload"] input[type="file"]').setInputFiles({
        name: 'cleared.png',
        mimeType: 'image/png',
        buffer: png(64, 48, [60, 170, 90]),
      });
      await dialog.locator('.el-upload-list__item.is-success').waitFor();
      await dialog.locator('[data-test="item-action-submit"]').click();
      await dialog.waitFor({ state: 'hidden' });
      await page.waitForFunction(
        (id) => document.querySelector(`.el-table__row:has([data-item-id="${id}"]) [data-state]`)?.dataset.state === 'done',
        state.item.id,
      );
      // The doer may not tick it off: the server's 409, in the dialog.
      dialog = await openAction(page, state.item, 'verify');
      await dialog.locator('[data-test="item-action-submit"]').click();
      await dialog.locator('[data-test="item-action-error"]', { hasText: '销号须由完成人以外的人员核验' }).waitFor();
      await dialog.locator('button', { hasText: '取消' }).click();
      assert.equal(await itemState(page, state.item.id), 'done');
      // The item's drawer shows the evidence photo and the timeline.
      await page.locator(`[data-item-id="${state.item.id}"]`).click();
      const drawer = page.locator('[data-test="item-drawer"]');
      await drawer.locator('[data-test="item-photos"] .el-image').first().waitFor();
      assert.match(await drawer.innerText(), /楼道堆物已全部清理/);
    } finally {
      await context.close();
    }
  });

  test('the street manager ticks it off and 阳光社区 changes colour on the campaign map', async () => {
    assert.ok(state.item, 'the previous step ran');
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.goto(`${BASE}/campaigns/${state.campaign}`);
      assert.deepEqual(await mapValue(page, SUNNY), state.before, 'nothing ticked off yet');
      const dialog = await openAction(page, state.item, 'verify');
      await textarea(dialog, 'item-action-comment').fill('现场核验通过');
      await dialog.locator('[data-test="item-action-submit"]').click();
      await dialog.waitFor({ state: 'hidden' });
      await page.waitForFunction(
        (c) => JSON.parse(document.querySelector('[data-test="campaign-map"]')?.dataset.values || '{}')[c] === 50,
        SUNNY,
      );
      assert.deepEqual(await mapValue(page, SUNNY), { drawn: 50, exposed: 50 }, '3 of 6');
      assert.equal(await itemState(page, state.item.id), 'verified');
      await page.locator('[data-test="campaign-map"]').scrollIntoViewIfNeeded();
      await page.waitForTimeout(600);
      await page.locator('[data-test="campaign-map"]').screenshot({ path: `${SHOTS}/campaign-02-map.png` });
      if (DOC_SHOTS) copyFileSync(`${SHOTS}/campaign-02-map.png`, `${DOC_SHOTS}/campaign-02-map.png`);

      // Down to 阳光社区 by a click on the map: its grids, its items only.
      const sunnyTotal = (await apiGet(page, `/campaigns/${state.campaign}/progress?region=${SUNNY}`)).body.totals;
      const row = page.locator('[data-test="campaign-progress"] .el-table__row', { hasText: '阳光社区' });
      await row.click();
      await page.waitForURL(new RegExp(`region=${SUNNY}$`));
      await page.locator('[data-test="campaign-trail"] .here', { hasText: '阳光社区' }).waitFor();
      assert.match(
        await page.locator('[data-test="campaign-total"]').innerText(),
        new RegExp(`^${sunnyTotal.verified} / ${sunnyTotal.total}`),
      );

      // The dashboard's map takes the same measure: 专项整治进度 beside the case measures.
      await page.goto(`${BASE}/`);
      await page.locator('[data-test="dash-measure"] label', { hasText: '专项整治进度' }).click();
      await page.waitForFunction(
        (c) => JSON.parse(document.querySelector('[data-test="dash-map"]')?.dataset.values || '{}')[c] === 50,
        SUNNY,
      );
      const drawn = await page
        .locator('[data-test="dash-map"]')
        .evaluate((el, c) => el.__chart.getOption().series[0].data.find((d) => d.name === c)?.value, SUNNY);
      assert.equal(drawn, 50);
      await page.waitForTimeout(600);
      await shot(page, 'campaign-03-dashboard-measure');
    } finally {
      await context.close();
    }
  });

  test('the street manager dispatches a meeting decision as a case, which links back', async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.locator('[data-test="command-menu"]').click();
      await page.locator('[data-test="menu-meetings"]').click();
      const link = page.locator('[data-test="meeting-table"] a[data-meeting-id]').first();
      await link.waitFor();
      await link.click();
      await page.waitForURL(/\/meetings\/\d+$/);
      const id = Number(page.url().split('/').pop());
      const m = (await apiGet(page, `/meetings/${id}`)).body;
      const d = m.decisions.find((x) => !x.case_id);
      assert.ok(d, 'a decision not yet dispatched');
      await page.locator(`[data-test="decision-to-case-${d.n}"]`).click();
      const dialog = page.locator('[data-test="decision-case-dialog"]');
      await dialog.waitFor();
      await dialog.locator('[data-test="decision-case-category"]').click();
      await page.locator('.el-select-dropdown__item:visible').first().click();
      await dialog.locator('[data-test="decision-case-grid"] .el-cascader').click();
      for (const name of ['幸福街道', '阳光社区', '阳光社区第一网格'])
        await page.locator('.el-cascader-node:visible', { hasText: name }).first().click();
      await dialog.locator('[data-test="decision-case-submit"]').click();
      await dialog.waitFor({ state: 'hidden' });
      const caseLink = page.locator(`[data-test="decision-case-${d.n}"]`);
      await caseLink.waitFor();
      assert.match(await caseLink.innerText(), /SJ\d{14}/);
      await shot(page, 'meeting-01-decisions');
      await caseLink.click();
      await page.waitForURL(/\/cases\/\d+$/);
      const back = page.locator('[data-test="case-meeting"]');
      await back.waitFor();
      assert.match(await back.innerText(), new RegExp(`${m.title}.*第 ${d.n} 项决定`));
      await back.click();
      await page.waitForURL(new RegExp(`/meetings/${id}$`));
    } finally {
      await context.close();
    }
  });
});
