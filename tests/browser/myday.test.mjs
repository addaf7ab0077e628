// Browser test of 我的一天, the phone home of grid workers and leaders (390×844, zh-CN): the
// tasks are the cases of their grid in the states they act on, overdue first — the same cases
// and order the API gives under that rule, including a case reported for the test and taken
// in by the grid leader (accepted: the worker's to do, ok by its deadline); the counts; the open
// sweep's progress and next houses to visit; and the quick actions open the report form and the
// next house's visit. With JICENG_DOC_SHOTS=DIR the screenshot the docs show goes into DIR.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, BASE, launchBrowser, missing, openPhone, shot, signIn } from './lib.mjs';

const GRID = '999901001001001'; // wangge's and wanggezhang's grid

let browser;

// The order 我的一天 promises: overdue (red), then near the deadline (yellow), then the rest;
// within each, the earliest current deadline first.
const due = (c) => Date.parse(c.status === 'reported' ? c.deadlines.accept_due : c.deadlines.handle_due);
const rank = (c) => ({ red: 0, yellow: 1 })[c.deadlines.level] ?? 2;
const urgent = (a, b) => rank(a) - rank(b) || due(a) - due(b) || a.id - b.id;

describe('我的一天 on the phone', { skip: missing || false }, () => {
  let worker;
  let caseId;
  before(async () => {
    browser = await launchBrowser();
    worker = await apiAs('wangge');
    // A case of the grid, taken in by the grid leader: the worker's to do from now on.
    const leader = await apiAs('wanggezhang');
    const made = await leader('POST', '/cases', {
      category: 'environment',
      description: '我的一天测试：楼道堆放杂物',
      region_code: GRID,
    });
    assert.equal(made.status, 201, JSON.stringify(made.data));
    caseId = made.data.id;
    const acc = await leader('POST', `/cases/${caseId}/actions`, { action: 'accept', comment: '受理' });
    assert.equal(acc.status, 200, JSON.stringify(acc.data));
    assert.equal(acc.data.status, 'accepted');
  });
  after(async () => {
    await browser?.close();
  });

  test('the grid worker: tasks overdue first, the counts, the sweep, the quick actions', async () => {
    // What the API says the worker has to do (handled, accepted, handling: their states).
    const lists = await Promise.all(['handled', 'accepted', 'handling'].map((s) => worker('GET', `/cases?status=${s}&limit=50`)));
    const want = lists.flatMap((l) => l.data.items).sort(urgent);
    assert.ok(
      want.some((c) => c.id === caseId),
      'the accepted case is a task',
    );
    assert.ok(want.length > 1 && rank(want[0]) === 0, 'the demo grid has an overdue task, so the order is tested');
    const sweep = (await worker('GET', '/sweeps?status=open')).data.items[0];
    const progress = (await worker('GET', `/sweeps/${sweep.id}/progress?region=${GRID}`)).data.totals;
    const next = (await worker('GET', `/sweeps/${sweep.id}/worklist?region=${GRID}&state=pending&limit=3`)).data.items;

    const { context, page } = await openPhone(browser);
    try {
      await signIn(page, 'wangge', { landing: '/m' });
      const tasks = page.locator('[data-test="m-myday-tasks"] [data-case-id]');
      await tasks.first().waitFor();
      const ids = (await tasks.evaluateAll((els) => els.map((e) => Number(e.dataset.caseId)))).slice(0, 10);
      assert.deepEqual(
        ids,
        want.slice(0, 10).map((c) => c.id),
      );
      assert.match(await tasks.first().getAttribute('class'), /dl-red/);
      const overdue = want.filter((c) => c.deadlines.level === 'red').length;
      const summary = await page.locator('[data-test="m-myday-summary"]').innerText();
      assert.match(summary, new RegExp(`${want.length}\\s*待办`));
      assert.match(summary, new RegExp(`${overdue}\\s*超期`));
      assert.match(summary, new RegExp(`${progress.houses - progress.visited}\\s*户待走访`));
      const sw = page.locator('[data-test="m-myday-sweep"]');
      assert.match(await sw.innerText(), new RegExp(sweep.name));
      assert.match(await sw.innerText(), new RegExp(`${progress.visited} / ${progress.houses}`));
      assert.deepEqual(
        await sw.locator('[data-test="m-myday-house"]').evaluateAll((els) => els.map((e) => Number(e.dataset.houseId))),
        next.map((h) => h.id),
      );
      assert.match(await sw.locator('[data-test="m-myday-house"]').first().innerText(), new RegExp(next[0].label));
      await page.waitForTimeout(300);
      await shot(page, 'myday-01-grid-worker', true);

      // Quick actions: the next house's visit, and the report form.
      await page.locator('[data-test="m-myday-go-visit"]').click();
      await page.waitForURL(new RegExp(`/m/sweeps/${sweep.id}/houses/${next[0].id}`));
      await page.goto(`${BASE}/m`);
      await page.locator('[data-test="m-myday-go-report"]').click();
      await page.waitForURL(`${BASE}/m/report`);
      // A task opens its case.
      await page.goto(`${BASE}/m`);
      await page.locator(`[data-test="m-myday-tasks"] [data-case-id="${caseId}"]`).click();
      await page.waitForURL(`${BASE}/m/cases/${caseId}`);
    } finally {
      await context.close();
    }
  });

  test('the grid leader: reported cases of the grid are their tasks too', async () => {
    const leader = await apiAs('wanggezhang');
    const lists = await Promise.all(
      ['reported', 'handled', 'accepted', 'handling'].map((s) => leader('GET', `/cases?status=${s}&limit=50`)),
    );
    const want = lists.flatMap((l) => l.data.items).sort(urgent);
    const { context, page } = await openPhone(browser);
    try {
      await signIn(page, 'wanggezhang', { landing: '/m' });
      const tasks = page.locator('[data-test="m-myday-tasks"] [data-case-id]');
      await tasks.first().waitFor();
      const ids = await tasks.evaluateAll((els) => els.map((e) => Number(e.dataset.caseId)));
      assert.deepEqual(
        ids,
        want.slice(0, 10).map((c) => c.id),
      );
    } finally {
      await context.close();
    }
  });
});
