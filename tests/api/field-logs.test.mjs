// Field logs (民情走访, 巡查): a grid worker records a visit or a patrol in their grid (where,
// when, what was seen, photos), raises a case from it in one call (the case loop's own
// report: routed, numbered, linked back), and reads their month; their grid leader and the
// staff above read it too, a fellow worker does not, and nobody outside the grid sees it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, GRID2, STREET2, api, assertProblem, signIn, signInDemo, startServer } from './harness.mjs';
import { pngBytes, uploadPhoto } from './cases-lib.mjs';

const PASSWORD = 'FieldLog@2026pw';
const localDate = (t) => new Date(t + 8 * 3600e3).toISOString().slice(0, 10);

describe('field logs', { timeout: 120_000 }, () => {
  let srv, url;
  const s = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  let me;

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge', 'wangge2', 'wanggezhang', 'jumin', 'dudao', 'loudong']) s[u] = await signInDemo(url, u);
    await must('admin', 'POST', '/api/v1/users', {
      username: 'fl_far_leader',
      display_name: '外街网格长',
      password: PASSWORD,
      grants: [{ role: 'grid_leader', region_code: `${STREET2}001001` }],
    });
    s.far = await signIn(url, 'fl_far_leader', PASSWORD);
    me = await must('wangge', 'GET', '/api/v1/me', undefined, 200);
    me = me.user ?? me;
  });
  after(async () => {
    await srv?.stop();
  });

  test('a grid worker records visits and patrols in their grid; the input is checked', async () => {
    const p = await must('wangge', 'POST', '/api/v1/field-logs', {
      kind: 'patrol',
      region_code: GRID1,
      location: { lat: 30.001, lon: 120.001, address: '幸福路 1 号' },
      note: '消防通道畅通',
    });
    assert.equal(p.kind, 'patrol');
    assert.equal(p.region_code, GRID1);
    assert.equal(p.location.address, '幸福路 1 号');
    assert.equal(p.case_id, null);
    assert.equal(p.user_id, me.id);
    assert.equal(p.date, localDate(Date.now()));
    const yesterday = new Date(Date.now() - 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
    const v = await must('wangge', 'POST', '/api/v1/field-logs', {
      kind: 'visit',
      region_code: GRID1,
      note: '走访独居老人',
      seen_at: yesterday,
    });
    assert.equal(v.date, localDate(Date.now() - 86400e3));
    // photos through the photo machinery
    const ph = await uploadPhoto(url, s.wangge, pngBytes(11));
    assert.equal(ph.status, 201, ph.text);
    const withPhoto = await must('wangge', 'POST', '/api/v1/field-logs', {
      kind: 'patrol',
      region_code: GRID1,
      note: '拍照',
      photos: [ph.json.hash],
    });
    assert.deepEqual(withPhoto.photos, [ph.json.hash]);
    // another grid → 403; a grid worker's own grid only
    assertProblem(await call('wangge2', 'POST', '/api/v1/field-logs', { kind: 'patrol', region_code: GRID1, note: 'x' }), 403);
    // rules of the data
    let bad = assertProblem(await call('wangge', 'POST', '/api/v1/field-logs', { kind: 'walk', region_code: GRID1, note: 'x' }), 422);
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['kind'],
    );
    bad = assertProblem(await call('wangge', 'POST', '/api/v1/field-logs', { kind: 'visit', region_code: COMM1, note: 'x' }), 422);
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['region_code'],
    );
    bad = assertProblem(
      await call('wangge', 'POST', '/api/v1/field-logs', { kind: 'visit', region_code: GRID1, note: 'x', seen_at: '2020-01-01T00:00:00Z' }),
      422,
    );
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['seen_at'],
    );
    assertProblem(
      await call('wangge', 'POST', '/api/v1/field-logs', { kind: 'visit', region_code: GRID1, note: 'x', location: { lat: 'a', lon: 1 } }),
      400,
    );
    // a resident, a building leader: no field log
    assertProblem(await call('jumin', 'POST', '/api/v1/field-logs', { kind: 'visit', region_code: GRID1, note: 'x' }), 403);
    assertProblem(await call('loudong', 'POST', '/api/v1/field-logs', { kind: 'visit', region_code: GRID1, note: 'x' }), 403);
  });

  test('a case is raised from an entry in one call, through the case loop, and linked back', async () => {
    const e = await must('wangge', 'POST', '/api/v1/field-logs', {
      kind: 'patrol',
      region_code: GRID1,
      location: { address: '幸福路 3 号' },
      note: '楼道堆放杂物',
      raise_case: { category: 'fire', description: '楼道堆放杂物堵塞消防通道' },
    });
    assert.ok(e.case_id, 'the case is linked');
    const c = await must('wangge', 'GET', `/api/v1/cases/${e.case_id}`, undefined, 200);
    assert.equal(c.region_code, GRID1);
    assert.equal(c.source, 'patrol');
    assert.equal(c.status, 'reported');
    assert.match(c.number, /^SJ\d+/);
    // a second call on an entry: raise later, once
    const later = await must('wangge', 'POST', '/api/v1/field-logs', { kind: 'visit', region_code: GRID1, note: '居民反映路灯不亮' });
    const raised = await must('wangge', 'POST', `/api/v1/field-logs/${later.id}/case`, { category: 'municipal' });
    assert.ok(raised.case_id);
    const c2 = await must('wangge', 'GET', `/api/v1/cases/${raised.case_id}`, undefined, 200);
    assert.equal(c2.description, '居民反映路灯不亮');
    assertProblem(await call('wangge', 'POST', `/api/v1/field-logs/${later.id}/case`, { category: 'municipal' }), 409);
    // a bad category writes nothing: no case, the entry stays unlinked
    const third = await must('wangge', 'POST', '/api/v1/field-logs', { kind: 'visit', region_code: GRID1, note: '无' });
    const r = await call('wangge', 'POST', `/api/v1/field-logs/${third.id}/case`, { category: 'no-such-category' });
    assert.ok(r.status === 422, r.text);
    assert.equal((await must('wangge', 'GET', `/api/v1/field-logs/${third.id}`, undefined, 200)).case_id, null);
    // a refused case in the create writes no entry either
    const before = (await must('wangge', 'GET', '/api/v1/field-logs', undefined, 200)).items.length;
    const r2 = await call('wangge', 'POST', '/api/v1/field-logs', {
      kind: 'visit',
      region_code: GRID1,
      note: 'x',
      raise_case: { category: 'no-such' },
    });
    assert.equal(r2.status, 422, r2.text);
    assert.equal((await must('wangge', 'GET', '/api/v1/field-logs', undefined, 200)).items.length, before);
    // the fellow worker of another grid may not raise one from it
    assertProblem(await call('wangge2', 'POST', `/api/v1/field-logs/${third.id}/case`, { category: 'municipal' }), 404);
  });

  test('the monthly view: entries per day and cases, for the worker, the grid leader and above', async () => {
    const month = localDate(Date.now()).slice(0, 7);
    const m = await must('wangge', 'GET', `/api/v1/field-logs/monthly?month=${month}`, undefined, 200);
    assert.equal(m.user_id, me.id);
    assert.equal(m.month, month);
    const today = m.days.find((d) => d.date === localDate(Date.now()));
    assert.ok(today.entries >= 5, JSON.stringify(today));
    assert.ok(today.cases >= 2);
    assert.equal(
      m.entries,
      m.days.reduce((a, d) => a + d.entries, 0),
    );
    assert.equal(m.entries, m.visits + m.patrols);
    const days = Number(month.slice(5)) === 2 ? [28, 29] : [30, 31];
    assert.ok(days.includes(m.days.length), `${m.days.length} days`);
    // the grid leader and the community see it; their list of workers names the worker
    for (const who of ['wanggezhang', 'shequ', 'dudao']) {
      const o = await must(who, 'GET', `/api/v1/field-logs/monthly?user_id=${me.id}&month=${month}`, undefined, 200);
      assert.equal(o.entries, m.entries, who);
    }
    const ws = await must('shequ', 'GET', `/api/v1/field-logs/workers?month=${month}`, undefined, 200);
    const w = ws.items.find((x) => x.user_id === me.id);
    assert.equal(w.entries, m.entries);
    assert.equal(w.cases, m.cases);
    // a fellow worker: 403; a grid leader of another street sees none of it
    assertProblem(await call('wangge2', 'GET', `/api/v1/field-logs/monthly?user_id=${me.id}`), 403);
    assertProblem(await call('wangge2', 'GET', `/api/v1/field-logs?user_id=${me.id}`), 403);
    const far = await must('far', 'GET', `/api/v1/field-logs/monthly?user_id=${me.id}&month=${month}`, undefined, 200);
    assert.equal(far.entries, 0);
    assert.equal((await must('far', 'GET', `/api/v1/field-logs/workers?month=${month}`, undefined, 200)).items.length, 0);
    const one = (await must('wangge', 'GET', '/api/v1/field-logs', undefined, 200)).items[0];
    assertProblem(await call('far', 'GET', `/api/v1/field-logs/${one.id}`), 404);
    assertProblem(await call('wangge2', 'GET', `/api/v1/field-logs/${one.id}`), 404);
    assert.equal((await must('wanggezhang', 'GET', `/api/v1/field-logs/${one.id}`, undefined, 200)).id, one.id);
    // malformed queries
    assertProblem(await call('wangge', 'GET', '/api/v1/field-logs/monthly?month=2026-13'), 400);
    assertProblem(await call('wangge', 'GET', '/api/v1/field-logs/monthly?month=202611'), 400);
    assertProblem(await call('wangge', 'GET', '/api/v1/field-logs?user_id=x'), 400);
    assertProblem(await call('jumin', 'GET', '/api/v1/field-logs'), 403);
    void GRID2;
  });
});
