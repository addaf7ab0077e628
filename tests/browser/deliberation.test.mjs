// Browser test of the public disclosure page (/public/<code>): staff open a ballot on a topic of
// 阳光社区第一网格, three households vote from their accounts (yishi1, yishi3, yishi4, linked to
// three households by the demo), the ballot closes by itself at its time, and the result appears
// on the public page without signing in — counts, no names. Then a selection (评选, 最美家庭):
// staff nominate three households and accept them, the three households vote for up to two on
// their phones (/m/topics/<id>), and the elected show on the public page by their labels only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, BASE, launchBrowser, missing, openDesk, openPhone, shot, signIn, sleep } from './lib.mjs';

const COMM1 = '999901001001';
const GRID1 = `${COMM1}001`;

let browser;

// One API call as `who` (an apiAs session) that must answer `status`; its JSON answer.
async function call(who, method, path, body, status) {
  const r = await who(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`);
  return r.data;
}

describe('deliberation disclosed on the public page', { skip: missing || false }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a ballot voted by three households shows its result on /public/<code>', async () => {
    const staff = await apiAs('shequ');
    const title = `浏览器测试议题${Date.now() % 100000}`;
    const t = await call(staff, 'POST', '/topics', { title, body: '楼下增设晾衣架', region_code: GRID1 }, 201);
    await call(staff, 'POST', `/topics/${t.id}/advance`, { to: 'discussing' }, 200);
    const closesAt = new Date(Date.now() + 4000).toISOString().replace(/\.\d+Z$/, 'Z');
    await call(staff, 'POST', `/topics/${t.id}/ballot`, { question: '是否同意增设晾衣架？', unit: 'household', closes_at: closesAt }, 201);
    for (const [u, option] of [
      ['yishi1', 0],
      ['yishi3', 0],
      ['yishi4', 1],
    ])
      await call(await apiAs(u), 'POST', `/topics/${t.id}/votes`, { option }, 201);
    await sleep(7000); // closed by the server at its time
    const { context, page } = await openDesk(browser, null, { viewport: { width: 414, height: 896 } });
    try {
      await page.goto(`${BASE}/public/${COMM1}`);
      const item = page.locator('[data-test="disclosure-item"]', { hasText: '是否同意增设晾衣架？' });
      await item.first().waitFor({ timeout: 15000 });
      await page.locator('.top').getByText('居务公开', { exact: true }).waitFor(); // topics and projects both
      const text = await item.first().innerText();
      assert.match(text, /同意\s*2/);
      assert.match(text, /不同意\s*1/);
      assert.match(text, /3\/\d+/);
      const whole = await page.locator('body').innerText();
      for (const name of ['居民议事甲', '居民议事丙', '阳光社区书记']) assert.ok(!whole.includes(name), `no name ${name}`);
      await shot(page, 'deliberation-public');
    } finally {
      await context.close();
    }
  });

  test('a selection voted on three phones shows its elected on /public/<code>', async () => {
    const staff = await apiAs('shequ');
    const title = `浏览器评选${Date.now() % 100000}`;
    const t = await call(staff, 'POST', '/topics', { title, body: '评选最美家庭2户', region_code: GRID1 }, 201);
    await call(staff, 'POST', `/topics/${t.id}/selection`, { seats: 2 }, 201);
    await call(staff, 'POST', `/topics/${t.id}/advance`, { to: 'discussing' }, 200);
    const residents = await call(staff, 'GET', `/residents?region=${GRID1}&limit=50`, undefined, 200);
    const households = [...new Set(residents.items.map((x) => x.household_id).filter(Boolean))].slice(0, 3);
    const labels = [];
    for (const household_id of households) {
      const n = await call(staff, 'POST', `/topics/${t.id}/nominations`, { household_id, reason: '邻里和睦' }, 201);
      await call(staff, 'POST', `/topic-nominations/${n.id}/review`, { decision: 'accepted' }, 200);
      labels.push(n.label);
    }
    assert.equal(labels.length, 3);
    await call(staff, 'POST', `/topics/${t.id}/meetings`, {
      venue: 'grid',
      held_at: new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      minutes: '评选办法',
    }, 201);
    await call(staff, 'POST', `/topics/${t.id}/advance`, { to: 'deciding' }, 200);
    const closesAt = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await call(staff, 'POST', `/topics/${t.id}/ballot`, { question: '请选出2户最美家庭', closes_at: closesAt, quorum: 0 }, 201);
    // Three households vote on their phones: options 0+1, 0, 1+2 → 2, 2, 1: the first two elected.
    for (const [u, picks] of [
      ['yishi1', [0, 1]],
      ['yishi3', [0]],
      ['yishi4', [1, 2]],
    ]) {
      // a phone at 1× (the default scale)
      const { context: ctx, page: p } = await openPhone(browser, null, { deviceScaleFactor: 1 });
      try {
        await signIn(p, u, { landing: '/m' });
        await p.goto(`${BASE}/m/topics/${t.id}`);
        const opts = p.locator('[data-test="m-selection-option"]');
        await opts.first().waitFor({ timeout: 15000 });
        assert.match(await p.locator('[data-test="m-ballot"]').innerText(), /最多选 2 个/);
        for (const k of picks) await opts.filter({ hasText: labels[k] }).click();
        await p.locator('[data-test="m-vote"]').click();
        await p.locator('[data-test="m-my-vote"]', { hasText: '您已选' }).waitFor({ timeout: 15000 });
        const mine = await p.locator('[data-test="m-my-vote"]').innerText();
        for (const k of picks) assert.ok(mine.includes(labels[k]), `${u} chose ${labels[k]}`);
        await shot(p, `selection-phone-${u}`);
      } finally {
        await ctx.close();
      }
    }
    // The decision closes the ballot: someone is elected, so it passes.
    await call(staff, 'POST', `/topics/${t.id}/advance`, { to: 'pledging' }, 200);
    const r = await call(staff, 'GET', `/topics/${t.id}/result`, undefined, 200);
    assert.deepEqual([r.counts, r.elected, r.tie], [[2, 2, 1], ['elected', 'elected', ''], false]);
    const { context, page } = await openDesk(browser, null, { viewport: { width: 414, height: 896 } });
    try {
      await page.goto(`${BASE}/public/${COMM1}`);
      const item = page.locator('[data-test="disclosure-item"]', { hasText: '请选出2户最美家庭' });
      await item.first().waitFor({ timeout: 15000 });
      const elected = await item.first().locator('[data-test="disclosure-elected"]').innerText();
      assert.ok(elected.includes(`当选：${labels[0]}、${labels[1]}`), elected);
      const text = await item.first().innerText();
      assert.match(text, /3\/\d+/);
      for (const l of labels) assert.match(l, /\*\*家$/);
      const whole = await page.locator('body').innerText();
      for (const name of ['居民议事甲', '居民议事丙', '居民议事丁', '阳光社区书记', '邻里和睦'])
        assert.ok(!whole.includes(name), `no ${name}`);
      await shot(page, 'selection-public');
    } finally {
      await context.close();
    }
  });
});
