// Browser test of the phone offline (390×844, zh-CN): the phone app is installable (manifest,
// service worker); a grid worker goes offline (Playwright setOffline), records a case report
// with a photo and a care visit, sees both waiting (待发送 2 条, the outbox page), goes back
// online, and each arrives exactly once — checked through the API: one case with that
// description and its photo, one visit more on the care target.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const BASE = (process.env.JICENG_URL || '').replace(/\/$/, '');
const DEMO_PASSWORD = process.env.JICENG_DEMO_PASSWORD || 'Demo@2026jc';
const SHOTS = process.env.JICENG_SHOTS || '/tmp/jiceng-shots';
const GRID = '999901001001001'; // wangge's grid
const missing = !BASE ? 'JICENG_URL is not set' : '';

let browser;

async function apiAs(user) {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 200, `sign-in of ${user}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrf_token: csrf } = await res.json();
  return async (method, path, body) => {
    const r = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = (r.headers.get('Content-Type') || '').includes('json') ? await r.json() : await r.text();
    return { status: r.status, data };
  };
}

function png(w, h, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const field = (page, name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();
const textarea = (page, name) => page.locator(`textarea[data-test="${name}"], [data-test="${name}"] textarea`).first();

describe('the phone offline', { skip: missing || false }, () => {
  let worker;
  let target;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    worker = await apiAs('wangge');
    const n = Date.now() % 1e6;
    const id17 = `99010119450101${String(n % 1000).padStart(3, '0')}`;
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...id17].reduce((s, d, i) => s + Number(d) * w[i], 0);
    const idNumber = id17 + '10X98765432'[sum % 11];
    const r = await worker('POST', '/residents', {
      name: `离线关爱${n}`,
      id_number: idNumber,
      phone: `139${String(n).padStart(8, '0')}`,
      residency: 'registered',
      region_code: GRID,
    });
    assert.equal(r.status, 201, JSON.stringify(r.data));
    const made = await worker('POST', '/care-targets', { resident_id: r.data.id, kind: 'elderly_alone', visit_every_days: 7 });
    assert.equal(made.status, 201, JSON.stringify(made.data));
    target = made.data;
  });
  after(async () => {
    await browser?.close();
  });

  test('a case report with a photo and a care visit made offline arrive once each', async () => {
    const manifest = await fetch(`${BASE}/manifest.json`);
    assert.equal(manifest.status, 200);
    assert.equal((await manifest.json()).start_url, '/m');
    assert.equal((await fetch(`${BASE}/sw.js`)).status, 200);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await page.goto(`${BASE}/login`);
      await field(page, 'username').fill('wangge');
      await field(page, 'password').fill(DEMO_PASSWORD);
      await page.locator('[data-test="sign-in"]').click();
      await page.waitForURL(`${BASE}/m`);
      // The service worker has installed and cached the app's files: pages open offline.
      assert.ok(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => !!r.active)));

      // The care targets, seen once online (the phone keeps the list).
      await page.goto(`${BASE}/m/care`);
      await page.locator(`[data-test="care-target-${target.id}"]`).waitFor();

      // The report form, loaded online; then the network goes.
      await page.goto(`${BASE}/m/report`);
      await page.waitForFunction(() => document.querySelector('[data-test="report-grid"] input')?.value);
      await context.setOffline(true);
      await page.locator('[data-test="report-category"]').click();
      const picker = page.locator('.van-popup .van-picker:visible');
      await picker.locator('.van-picker-column__item', { hasText: '环境卫生' }).click();
      await page.waitForTimeout(400);
      await picker.locator('.van-picker__confirm').click();
      await picker.waitFor({ state: 'hidden' });
      const description = `地下室无信号处发现积水 ${Date.now().toString(36)}`;
      await textarea(page, 'report-description').fill(description);
      await page.locator('[data-test="report-photos"] input[type="file"]').setInputFiles({
        name: 'water.png',
        mimeType: 'image/png',
        buffer: png(64, 48, [40, 90, 200]),
      });
      await page.locator('[data-test="report-photos"] .van-uploader__preview').waitFor();
      await page.locator('[data-test="report-submit"]').click();
      await page.locator('[data-test="outbox-badge"]', { hasText: '待发送 1 条' }).waitFor();

      // A care visit, still offline: the page comes from the service worker, the list from the phone.
      await page.goto(`${BASE}/m/care`);
      await page.locator(`[data-test="care-target-${target.id}"]`).waitFor();
      await page.locator(`[data-test="care-target-${target.id}"]`).click();
      const note = `离线走访：老人身体尚好 ${Date.now().toString(36)}`;
      await textarea(page, 'care-note').fill(note);
      await page.locator('[data-test="care-submit"]').click();
      await page.locator('[data-test="outbox-badge"]', { hasText: '待发送 2 条' }).waitFor();

      // The queue, with each item's state.
      await page.locator('[data-test="outbox-badge"]').click();
      await page.waitForURL(`${BASE}/m/outbox`);
      await page.locator('[data-test="outbox-item"]').nth(1).waitFor();
      assert.equal(await page.locator('[data-test="outbox-item"]').count(), 2);
      const states = await page.locator('[data-test="outbox-status"]').allInnerTexts();
      assert.deepEqual(
        states.map((s) => s.trim()),
        ['等待发送', '等待发送'],
      );
      await page.screenshot({ path: `${SHOTS}/offline-outbox.png`, fullPage: true });

      // Back online: sent by themselves, in order, and the queue empties.
      await context.setOffline(false);
      await page
        .locator('[data-test="outbox-empty"]')
        .waitFor({ timeout: 30_000 })
        .catch(async (e) => {
          throw new Error(`${e.message}\n${await page.locator('[data-test="outbox-page"]').innerText()}`);
        });
      assert.equal(await page.locator('[data-test="outbox-badge"]').count(), 0);

      // Exactly once each.
      const cases = await worker('GET', `/cases?region=${GRID}&limit=200`);
      assert.equal(cases.status, 200);
      const mine = cases.data.items.filter((c) => c.description === description);
      assert.equal(mine.length, 1, 'one case');
      const full = await worker('GET', `/cases/${mine[0].id}`);
      const photos = full.data.timeline.flatMap((e) => e.photos || []);
      assert.equal(photos.length, 1, 'its photo');
      const after = await worker('GET', `/care-targets/${target.id}`);
      assert.equal(after.data.visits, 1, 'one visit');
    } finally {
      await context.close();
    }
  });
});
