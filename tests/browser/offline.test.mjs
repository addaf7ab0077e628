// Browser test of the phone offline (390×844, zh-CN): the phone app is installable (manifest,
// service worker); a grid worker goes offline (Playwright setOffline), records a case report
// with a photo and a care visit, sees both waiting (待发送 2 条, the outbox page), goes back
// online, and each arrives exactly once — checked through the API: one case with that
// description and its photo, one visit more on the care target. The same for a patrol log
// (走访巡查) with a photo. Record versions: a sweep visit changing a resident someone else
// changed at the desk meanwhile shows both versions side by side; keeping mine, editing, and
// (for a visit queued offline and refused on replay, from the outbox) taking the current one
// each leave the resident as chosen, the visit recorded once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiAs,
  BASE,
  field,
  launchBrowser,
  missing,
  month,
  openPhone,
  png,
  shot,
  SHOTS,
  signIn,
  textarea,
  withCheckChar,
} from './lib.mjs';

const GRID = '999901001001001'; // wangge's grid

let browser;
// The phone of these tests: a 390×844 phone at 1× (the default scale).
const phone = () => openPhone(browser, null, { deviceScaleFactor: 1 });
const rnd = () => Date.now().toString(36).slice(-5);

const fictitiousId = (seq) => withCheckChar(`99010119600101${String(seq % 1000).padStart(3, '0')}`);

describe('the phone offline', { skip: missing || false }, () => {
  let worker;
  let target;
  before(async () => {
    browser = await launchBrowser();
    worker = await apiAs('wangge');
    const n = Date.now() % 1e6;
    const idNumber = withCheckChar(`99010119450101${String(n % 1000).padStart(3, '0')}`);
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

    const { context, page } = await phone();
    try {
      await signIn(page, 'wangge', { landing: '/m' });
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
      await shot(page, 'offline-outbox');

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

  test('a patrol log with a photo made offline waits in the outbox and arrives once', async () => {
    const { context, page } = await phone();
    try {
      await signIn(page, 'wangge', { landing: '/m' });
      await page.goto(`${BASE}/m/field-log`);
      await page.locator('[data-test="m-fl-entries"]').waitFor();
      const before = await worker('GET', `/field-logs?month=${month()}`);
      assert.equal(before.status, 200, JSON.stringify(before.data));

      await context.setOffline(true);
      const note = `地下车库巡查：消防通道堆放杂物 ${rnd()}`;
      await page.locator('[data-test="m-fl-kind"] .van-radio', { hasText: '巡查' }).click();
      await field(page, 'm-fl-address').fill('阳光路 8 号地下车库');
      await textarea(page, 'm-fl-note').fill(note);
      await page.locator('[data-test="m-fl-photos"] input[type="file"]').setInputFiles({
        name: 'garage.png',
        mimeType: 'image/png',
        buffer: png(64, 48, [200, 120, 40]),
      });
      await page.locator('[data-test="m-fl-photos"] .van-uploader__preview').waitFor();
      await page.locator('[data-test="m-fl-submit"]').click();
      await page.locator('[data-test="outbox-badge"]', { hasText: '待发送 1 条' }).waitFor();
      // The entry shows on the page as waiting; the form is empty again.
      const waiting = page.locator('[data-test="m-fl-waiting"]');
      await waiting.waitFor();
      assert.match(await waiting.innerText(), /巡查：地下车库巡查/);
      assert.match(await waiting.innerText(), /等待发送/);
      assert.equal(await textarea(page, 'm-fl-note').inputValue(), '');
      await shot(page, 'offline-field-log');

      await page.locator('[data-test="outbox-badge"]').click();
      await page.waitForURL(`${BASE}/m/outbox`);
      const item = page.locator('[data-test="outbox-item"][data-kind="field_log"]');
      await item.waitFor();
      assert.match(await item.innerText(), /走访巡查 · 巡查：地下车库巡查/);
      assert.match(await item.innerText(), /照片 1/);
      await shot(page, 'offline-field-log-outbox');

      await context.setOffline(false);
      await page.locator('[data-test="outbox-empty"]').waitFor({ timeout: 30_000 });
      // Sending again by hand sends nothing more.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.waitForTimeout(500);

      const after = await worker('GET', `/field-logs?month=${month()}`);
      const mine = after.data.items.filter((e) => e.note === note);
      assert.equal(mine.length, 1, 'one entry');
      assert.equal(after.data.items.length, before.data.items.length + 1);
      assert.equal(mine[0].kind, 'patrol');
      assert.equal(mine[0].location.address, '阳光路 8 号地下车库');
      assert.equal(mine[0].photos.length, 1, 'its photo');
    } finally {
      await context.close();
    }
  });

  describe('a resident changed by someone else meanwhile', () => {
    let desk, sweep, house1, house2, a, b, c;
    const resident = async (houseId, name, seq) => {
      const r = await worker('POST', '/residents', {
        name,
        id_number: fictitiousId(seq),
        phone: `137${String(seq).padStart(8, '0')}`,
        residency: 'registered',
        relation: 'tenant',
        house_id: houseId,
      });
      assert.equal(r.status, 201, JSON.stringify(r.data));
      return r.data;
    };
    const patch = async (id, body) => {
      const r = await desk('PATCH', `/residents/${id}`, body);
      assert.equal(r.status, 200, JSON.stringify(r.data));
      return r.data;
    };
    const getResident = async (id) => (await worker('GET', `/residents/${id}`)).data;
    const chooserRow = (page, key) => page.locator(`[data-test="version-chooser"] [data-test="conflict-row"][data-field="${key}"]`);

    before(async () => {
      desk = await apiAs('shequ');
      const open = await desk('GET', '/sweeps?status=open&limit=50');
      assert.equal(open.status, 200, JSON.stringify(open.data));
      sweep = open.data.items.find((x) => GRID.startsWith(x.region_code));
      if (!sweep) {
        const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
        const r = await desk('POST', '/sweeps', { name: `版本核对扫楼 ${rnd()}`, region_code: GRID.slice(0, 12), starts_on: day(-1), ends_on: day(30) });
        assert.equal(r.status, 201, JSON.stringify(r.data));
        sweep = r.data;
      }
      const bld = await worker('POST', '/buildings', { region_code: GRID, name: `核对楼${rnd()}`, floors: 6 });
      assert.equal(bld.status, 201, JSON.stringify(bld.data));
      const mk = async (room) => {
        const h = await worker('POST', '/houses', { building_id: bld.data.id, unit: '1单元', room, use: 'rented' });
        assert.equal(h.status, 201, JSON.stringify(h.data));
        return h.data;
      };
      house1 = await mk('301');
      house2 = await mk('302');
      const seq = Date.now() % 1e6;
      a = await resident(house1.id, `核对甲${rnd()}`, seq + 1);
      b = await resident(house1.id, `核对乙${rnd()}`, seq + 2);
      c = await resident(house2.id, `核对丙${rnd()}`, seq + 3);
    });

    const openVisit = async (page, house) => {
      await page.goto(`${BASE}/m/sweeps/${sweep.id}/houses/${house.id}`);
      await page.locator('[data-test="m-visit-people"] .person').first().waitFor();
    };
    const person = (page, r) => page.locator(`[data-test="m-visit-people"] .person[data-resident-id="${r.id}"]`);

    test('online: both versions side by side; keeping mine, then editing, leave the resident as chosen', async () => {
      const { context, page } = await phone();
      try {
        await signIn(page, 'wangge', { landing: '/m' });

        // 1. Keep mine: the phone changes 甲's phone; the desk changed 甲's residency and note meanwhile.
        await openVisit(page, house1);
        await person(page, a).locator('[data-action="update"]').click();
        await person(page, a).locator('input[type="tel"]').fill('13911112222');
        const deskA = await patch(a.id, { residency: 'floating', note: '社区核对：已转为流动人口' });
        await page.locator('[data-test="m-visit-submit"]').click();
        const chooser = page.locator('[data-test="version-chooser"]');
        await chooser.waitFor();
        assert.equal(await chooserRow(page, 'phone').getAttribute('data-differs'), 'yes');
        assert.match(await chooserRow(page, 'phone').locator('.mine').innerText(), /13911112222/);
        assert.match(await chooserRow(page, 'phone').locator('.current').innerText(), /137\*+/);
        // The desk's changes are in both (keeping mine does not undo them), marked as someone else's.
        assert.equal(await chooserRow(page, 'residency').getAttribute('data-differs'), 'no');
        assert.match(await chooserRow(page, 'residency').innerText(), /他人已修改/);
        assert.match(await chooserRow(page, 'note').locator('.current').innerText(), /社区核对/);
        await page.waitForTimeout(400); // the sheet slides up
        await page.screenshot({ path: `${SHOTS}/offline-conflict-chooser.png` });
        await page.locator('[data-test="conflict-keep-mine"]').click();
        await page.waitForURL(new RegExp(`/m/sweeps\\?.*done=${house1.id}`));
        const aNow = await getResident(a.id);
        assert.equal(aNow.phone, '139****2222');
        assert.equal(aNow.residency, 'floating');
        assert.equal(aNow.note, '社区核对：已转为流动人口');
        assert.equal(aNow.version, deskA.version + 1);

        // 2. Edit: the phone changes 乙's phone; the desk changed 乙's phone too; the user edits.
        await openVisit(page, house1);
        await person(page, b).locator('[data-action="update"]').click();
        await person(page, b).locator('input[type="tel"]').fill('13933334444');
        await patch(b.id, { phone: '13755556666', note: '社区核对：新号码' });
        await page.locator('[data-test="m-visit-submit"]').click();
        await chooser.waitFor();
        assert.match(await chooserRow(page, 'phone').locator('.current').innerText(), /137\*+6666/);
        assert.match(await chooserRow(page, 'phone').innerText(), /他人已修改/);
        await page.locator('[data-test="conflict-edit"]').click();
        await page.locator('[data-test="conflict-edit-form"]').waitFor();
        await page.locator('select[data-test="conflict-residency"]').selectOption('floating');
        await field(page, 'conflict-phone').fill('13977778888');
        await page.screenshot({ path: `${SHOTS}/offline-conflict-edit.png` });
        await page.locator('[data-test="conflict-save"]').click();
        await page.waitForURL(new RegExp(`/m/sweeps\\?.*done=${house1.id}`));
        const bNow = await getResident(b.id);
        assert.equal(bNow.phone, '139****8888');
        assert.equal(bNow.residency, 'floating');
        assert.equal(bNow.note, '社区核对：新号码');

        const visits = await worker('GET', `/sweeps/${sweep.id}/visits?house_id=${house1.id}&limit=50`);
        assert.equal(visits.data.items.length, 2, 'two visits, one per submission');
      } finally {
        await context.close();
      }
    });

    test('offline: a queued visit refused on replay waits in the outbox with the chooser; taking the current version sends it once', async () => {
      const { context, page } = await phone();
      try {
        await signIn(page, 'wangge', { landing: '/m' });
        await openVisit(page, house2);
        await context.setOffline(true);
        await person(page, c).locator('[data-action="moved_out"]').click();
        await page.locator('[data-test="m-visit-submit"]').click();
        await page.locator('[data-test="outbox-badge"]', { hasText: '待发送 1 条' }).waitFor();
        // Meanwhile at the desk: 丙 is still here, with a new note.
        const deskC = await patch(c.id, { note: '社区核对：仍在住' });

        await page.locator('[data-test="outbox-badge"]').click();
        await page.waitForURL(`${BASE}/m/outbox`);
        const item = page.locator('[data-test="outbox-item"][data-kind="sweep_visit"]');
        await item.waitFor();
        await context.setOffline(false);
        await item.locator('[data-test="outbox-status"]', { hasText: '待核对' }).waitFor({ timeout: 30_000 });
        assert.match(await item.innerText(), /的信息已被他人修改，请核对/);
        await shot(page, 'offline-conflict-outbox');
        // It is not sent again by itself while it waits for its user.
        await page.locator('[data-test="outbox-send"]').click();
        await page.waitForTimeout(500);
        assert.equal((await worker('GET', `/sweeps/${sweep.id}/visits?house_id=${house2.id}&limit=50`)).data.items.length, 0);

        await item.locator('[data-test="outbox-review"]').click();
        await page.locator('[data-test="version-chooser"]').waitFor();
        assert.equal(await chooserRow(page, 'status').getAttribute('data-differs'), 'yes');
        assert.match(await chooserRow(page, 'status').locator('.mine').innerText(), /迁出|搬离/);
        assert.match(await chooserRow(page, 'note').innerText(), /他人已修改/);
        await page.waitForTimeout(400);
        await page.screenshot({ path: `${SHOTS}/offline-conflict-outbox-chooser.png` });
        await page.locator('[data-test="conflict-take-current"]').click();
        await page.locator('[data-test="outbox-empty"]').waitFor({ timeout: 30_000 });

        const cNow = await getResident(c.id);
        assert.equal(cNow.status, 'active');
        assert.equal(cNow.note, '社区核对：仍在住');
        assert.equal(cNow.version, deskC.version);
        const visits = await worker('GET', `/sweeps/${sweep.id}/visits?house_id=${house2.id}&limit=50`);
        assert.equal(visits.data.items.length, 1, 'the visit, once');
        assert.deepEqual(visits.data.items[0].occupants, []);
      } finally {
        await context.close();
      }
    });
  });
});
