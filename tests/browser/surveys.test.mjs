// Browser tests of callbacks (回访抽查) and satisfaction surveys (满意度测评) on the demo district:
// the street manager opens the demo callback sample of last month, reads the result per handling
// unit with its margins, records the outcome of a case still to be called; on the survey page
// they open the demo survey, see the bars with ± margins and enter a household's answers by
// phone, which the results then count. Screenshots go to JICENG_SHOTS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const BASE = (process.env.JICENG_URL || '').replace(/\/$/, '');
const DEMO_PASSWORD = process.env.JICENG_DEMO_PASSWORD || 'Demo@2026jc';
const SHOTS = process.env.JICENG_SHOTS || '/tmp/jiceng-shots';
const STREET = { user: 'jiedao', password: DEMO_PASSWORD }; // 幸福街道
const missing = !BASE ? 'JICENG_URL is not set' : '';

let browser;

const field = (page, name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();

async function signIn(who) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await field(page, 'username').fill(who.user);
  await field(page, 'password').fill(who.password);
  await page.locator('[data-test="sign-in"]').click();
  await page.waitForURL(`${BASE}/`);
  return { context, page };
}

async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
    return { status: r.status, body: await r.json() };
  }, path);
}

describe('callbacks and surveys in the web UI', { skip: missing || false }, () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  test('the street manager works through a callback sample', async () => {
    const { context, page } = await signIn(STREET);
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
      await page.screenshot({ path: `${SHOTS}/callbacks.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  test('the street manager enters a survey answer and sees the results', async () => {
    const { context, page } = await signIn(STREET);
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
      await page.screenshot({ path: `${SHOTS}/surveys.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
