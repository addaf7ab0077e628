// Browser tests of callbacks (回访抽查) and satisfaction surveys (满意度测评) on the demo district:
// the street manager opens the demo callback sample of last month, reads the result per handling
// unit with its margins, records the outcome of a case still to be called; on the survey page
// they open the demo survey, see the bars with ± margins and enter a household's answers by
// phone, which the results then count. Screenshots go to JICENG_SHOTS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, BASE, launchBrowser, missing, openDesk, shot } from './lib.mjs';

const STREET = 'jiedao'; // 幸福街道

let browser;

describe('callbacks and surveys in the web UI', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the street manager works through a callback sample', async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.goto(`${BASE}/callbacks`);
      const list = await apiGet(page, '/callback-samples');
      assert.equal(list.status, 200);
      const demo = list.body.items.find((s) => s.seed === '20261201');
      assert.ok(demo, 'the demo sample');
      await page.locator(`[data-test="callback-open-${demo.id}"]`).click();
      await page.locator('[data-test="callback-units"]').waitFor();
      await page.locator('[data-test="callback-units"]').getByText('合计').waitFor();
      const full = await apiGet(page, `/callback-samples/${demo.id}`);
      const pending = full.body.items.find((i) => !i.outcome);
      assert.ok(pending, 'a case still to call');
      await page.locator(`[data-test="callback-record-${pending.case_id}"]`).click();
      await page.locator('.el-dialog').getByText('属实', { exact: true }).click();
      await page.locator('[data-test="callback-save"]').click();
      await page.getByText('回访结果已记录').waitFor();
      const after = await apiGet(page, `/callback-samples/${demo.id}`);
      assert.equal(after.body.items.find((i) => i.case_id === pending.case_id).outcome, 'confirmed');
      await shot(page, 'callbacks');
    } finally {
      await context.close();
    }
  });

  test('the street manager enters a survey answer and sees the results', async () => {
    const { context, page } = await openDesk(browser, STREET);
    try {
      await page.goto(`${BASE}/surveys`);
      const list = await apiGet(page, '/surveys');
      const demo = list.body.items.find((s) => s.seed === '2026');
      assert.ok(demo, 'the demo survey');
      await page.locator(`[data-test="survey-open-${demo.id}"]`).click();
      await page.locator('[data-test="survey-results"] canvas').first().waitFor();
      const full = await apiGet(page, `/surveys/${demo.id}`);
      const unanswered = full.body.grids.flatMap((g) => g.households).find((h) => !h.answered);
      assert.ok(unanswered, 'a household not answered yet');
      await page.locator(`[data-test="survey-answer-${unanswered.household_id}"]`).click();
      await page.locator('[data-test="survey-answer-save"]').click();
      await page.getByText('答卷已录入').waitFor();
      const res = await apiGet(page, `/surveys/${demo.id}/results`);
      assert.equal(res.body.responses, demo.responses + 1);
      await shot(page, 'surveys');
    } finally {
      await context.close();
    }
  });
});
