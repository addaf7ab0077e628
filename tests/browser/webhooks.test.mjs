// Browser test of the admin's Webhook 订阅 page: create a subscription, see its secret once
// (with the warning and a copy button), never again after the dialog closes; send a test
// event to a local receiver, which verifies the signature with that secret, and find it
// delivered in the log. Screenshots go to JICENG_SHOTS (and with JICENG_DOC_SHOTS=DIR the
// ones the docs show into DIR).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { ADMIN, BASE, field, launchBrowser, missingAdmin, openDesk, shot, signIn } from './lib.mjs';

let browser, receiver;
const received = [];

// GET /api/v1… with the page's session, as the raw text (searched for the secret below).
async function apiGetText(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
    return { status: r.status, text: await r.text() };
  }, path);
}

describe('webhook subscriptions in the web UI', { skip: missingAdmin || false }, () => {
  before(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    receiver?.close();
  });

  test('the admin creates a subscription and sees its secret once; a test event arrives signed with it', async () => {
    const { context, page } = await openDesk(browser);
    try {
      await signIn(page, ADMIN, { landing: '/' });
      await page.locator('.el-menu-item', { hasText: 'Webhook 订阅' }).click();
      await page.waitForURL(`${BASE}/webhooks`);

      const name = `浏览器测试订阅 ${Date.now() % 100000}`;
      await page.locator('[data-test="webhook-new"]').click();
      await field(page, 'webhook-name').fill(name);
      await field(page, 'webhook-url').fill(`http://127.0.0.1:${receiver.address().port}/hook`);
      await page.locator('[data-test="webhook-events"] .el-checkbox', { hasText: '结案' }).click();
      await shot(page, 'webhooks-01-create', true);
      await page.locator('[data-test="webhook-save"]').click();

      // The secret, once, with the warning and a copy button.
      const secretBox = field(page, 'webhook-secret');
      await secretBox.waitFor();
      const secret = await secretBox.inputValue();
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      const dialog = page.locator('.el-dialog', { has: page.locator('[data-test="webhook-secret"]') });
      assert.match(await dialog.innerText(), /只显示这一次/);
      assert.ok(await page.locator('[data-test="webhook-copy"]').isVisible());
      await shot(page, 'webhooks-02-secret-once', true);
      await page.locator('[data-test="webhook-secret-done"]').click();
      await secretBox.waitFor({ state: 'detached' }).catch(() => secretBox.waitFor({ state: 'hidden' }));

      // Never again: not on the page, not in the API's answers, not after a reload.
      const row = page.locator('[data-test="webhooks-table"] .el-table__row', { hasText: name }).first();
      await row.waitFor();
      assert.match(await row.innerText(), /新事件上报/);
      assert.match(await row.innerText(), /结案/);
      assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page');
      const list = await apiGetText(page, '/webhooks');
      assert.equal(list.status, 200);
      assert.ok(list.text.includes(name) && !list.text.includes(secret) && !list.text.includes('"secret"'));
      await page.reload();
      await row.waitFor();
      assert.ok(!(await page.content()).includes(secret), 'nor after a reload');

      // A test event: signed with the secret shown once, delivered in the log.
      await row.locator('button', { hasText: '发送测试' }).click();
      const end = Date.now() + 15_000;
      while (!received.length && Date.now() < end) await page.waitForTimeout(200);
      assert.equal(received.length, 1, 'the receiver got the test event');
      const h = received[0].headers;
      assert.equal(h['x-jiceng-event'], 'ping');
      const want = 'sha256=' + crypto.createHmac('sha256', secret).update(`${h['x-jiceng-timestamp']}.${received[0].body}`).digest('hex');
      assert.equal(h['x-jiceng-signature'], want, 'it verifies with the secret the page showed');
      await row.locator('[data-test="webhook-log"]').click();
      const log = page.locator('[data-test="webhook-deliveries"]');
      await log.locator('.el-table__row', { hasText: '已送达' }).first().waitFor({ timeout: 10_000 });
      assert.match(await log.innerText(), /测试事件/);
      await page.waitForTimeout(600); // the drawer's entry animation
      await shot(page, 'webhooks-03-deliveries', true);
    } finally {
      await context.close();
    }
  });
});
