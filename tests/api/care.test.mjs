// Care targets (关爱对象): known answers on a fresh community made by the test — the overdue
// list at three as_of dates over crafted start and visit dates (red past due, yellow due
// within 7 days); a restricted kind (特殊人群) hidden from a grid worker in lists, reads and
// the coverage counts; scope (a grid worker of another grid: 403 on a visit, 404 on a read);
// a need found on a visit raised as a case in the same request, linked back; coverage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STREET1, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { createUser } from './cases-lib.mjs';
import { makeResident } from './base-lib.mjs';

const COMM = `${STREET1}093`;
const G1 = `${COMM}001`;
const G2 = `${COMM}002`;
// Local (Asia/Shanghai) dates n days from today.
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

describe('care targets', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const t = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const names = (items) => items.map((x) => x.resident_name).sort();
  const list = async (who, q) => (await must(who, 'GET', `/api/v1/care-targets?region=${COMM}&limit=200${q}`, undefined, 200)).items;

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao']) s[u] = await signInDemo(url, u);
    await must('jiedao', 'POST', '/api/v1/regions', { code: COMM, name: '关爱测试社区', parent_code: STREET1 });
    await must('jiedao', 'POST', '/api/v1/regions', { code: G1, name: '关爱网格一', parent_code: COMM });
    await must('jiedao', 'POST', '/api/v1/regions', { code: G2, name: '关爱网格二', parent_code: COMM });
    const tag = process.pid;
    s.gw1 = await createUser(url, s.admin, { username: `care1_${tag}`, role: 'grid_worker', region: G1 });
    s.gw2 = await createUser(url, s.admin, { username: `care2_${tag}`, role: 'grid_worker', region: G2 });
    s.comm = await createUser(url, s.admin, { username: `carec_${tag}`, role: 'community', region: COMM });
    const r = {};
    for (const n of ['甲', '乙', '丙', '丁', '戊', '己'])
      r[n] = await makeResident(url, s.admin, { name: `关爱${n}`, region_code: n === '己' ? G2 : G1 });
    t.r = r;
  });
  after(async () => {
    await srv?.stop();
  });

  const target = (who, resident, kind, every, since, status = 201) =>
    must(who, 'POST', '/api/v1/care-targets', { resident_id: resident.id, kind, visit_every_days: every, since }, status);
  const visit = (who, id, body, status = 201) => must(who, 'POST', `/api/v1/care-targets/${id}/visits`, body, status);

  test('targets with crafted start and visit dates; the input is checked', async () => {
    const { r } = t;
    t.A = await target('gw1', r['甲'], 'elderly_alone', 7, day(-30)); // due day(-23)
    t.B = await target('gw1', r['乙'], 'disabled', 7, day(-30));
    await visit('gw1', t.B.id, { note: '上门看望，身体尚好', visited_on: day(-3) }); // due day(+4)
    t.C = await target('gw1', r['丙'], 'left_behind_child', 20, day(-10)); // due day(+10)
    t.D = await target('gw1', r['丁'], '独居老人', 30, day(-40));
    await visit('gw1', t.D.id, { note: '电话回访后上门', visited_on: day(-35) }); // due day(-5)
    t.E = await target('comm', r['戊'], 'mental_disorder', 7, day(-30)); // restricted, due day(-23)
    t.F = await target('gw2', r['己'], 'elderly', 10, day(-30)); // G2, due day(-20)
    assert.equal(t.A.alert, 'red');
    assert.equal(t.A.due_on, day(-23));
    assert.equal(t.D.kind, 'elderly_alone');
    assert.equal(t.E.restricted, true);
    const b = await must('gw1', 'GET', `/api/v1/care-targets/${t.B.id}`, undefined, 200);
    assert.equal(b.last_visit_on, day(-3));
    assert.equal(b.due_on, day(4));
    assert.equal(b.alert, 'yellow');
    assert.equal(b.visits_list.length, 1);
    // a grid worker may not put someone on a restricted list, nor name a resident of another grid
    assertProblem(
      await call('gw1', 'POST', '/api/v1/care-targets', { resident_id: r['甲'].id, kind: 'drug_user', visit_every_days: 7 }),
      403,
    );
    assertProblem(
      await call('gw2', 'POST', '/api/v1/care-targets', { resident_id: r['甲'].id, kind: 'elderly', visit_every_days: 7 }),
      403,
    );
    // the same kind twice: 409; unknown kinds, bad days and future starts: 422
    assertProblem(
      await call('gw1', 'POST', '/api/v1/care-targets', { resident_id: r['甲'].id, kind: 'elderly_alone', visit_every_days: 7 }),
      409,
    );
    assertProblem(
      await call('gw1', 'POST', '/api/v1/care-targets', { resident_id: r['甲'].id, kind: 'party_member', visit_every_days: 7 }),
      422,
    );
    assertProblem(
      await call('gw1', 'POST', '/api/v1/care-targets', { resident_id: r['甲'].id, kind: 'elderly', visit_every_days: 0 }),
      422,
    );
    assertProblem(
      await call('gw1', 'POST', '/api/v1/care-targets', { resident_id: r['甲'].id, kind: 'elderly', visit_every_days: 7, since: day(2) }),
      422,
    );
    assertProblem(
      await call('gw1', 'POST', '/api/v1/care-targets', { resident_id: r['甲'].id, kind: 'elderly', visit_every_days: '7' }),
      400,
    );
    assertProblem(await call('gw1', 'POST', `/api/v1/care-targets/${t.A.id}/visits`, { note: 'x', visited_on: day(1) }), 422);
    assertProblem(await call('gw1', 'POST', `/api/v1/care-targets/${t.A.id}/visits`, {}), 422);
  });

  test('overdue by date: known lists at three as_of dates', async () => {
    // as_of today: red A, D (and E for managers); yellow B; C is due in 10 days
    assert.deepEqual(names(await list('gw1', `&overdue=true&as_of=${day(0)}`)), ['关爱丁', '关爱甲']);
    assert.deepEqual(names(await list('comm', `&overdue=true&as_of=${day(0)}`)), ['关爱丁', '关爱己', '关爱戊', '关爱甲']);
    assert.deepEqual(names(await list('gw1', `&due_soon=true&as_of=${day(0)}`)), ['关爱丁', '关爱乙', '关爱甲']);
    // as_of in five days: B's day(+4) has passed, C's day(+10) is within the week
    assert.deepEqual(names(await list('gw1', `&overdue=true&as_of=${day(5)}`)), ['关爱丁', '关爱乙', '关爱甲']);
    const soon = await list('gw1', `&due_soon=true&as_of=${day(5)}`);
    assert.equal(soon.find((x) => x.id === t.C.id).alert, 'yellow');
    assert.equal(soon.find((x) => x.id === t.B.id).alert, 'red');
    assert.equal(soon.find((x) => x.id === t.B.id).days_overdue, 1);
    // as_of in eleven days: all four
    assert.deepEqual(names(await list('gw1', `&overdue=true&as_of=${day(11)}`)), ['关爱丁', '关爱丙', '关爱乙', '关爱甲']);
    // long ago nothing was overdue yet
    assert.deepEqual(await list('comm', `&overdue=true&as_of=${day(-24)}`), []);
    // the default as_of is today
    assert.deepEqual(names(await list('gw1', '&overdue=true')), ['关爱丁', '关爱甲']);
    assertProblem(await call('gw1', 'GET', `/api/v1/care-targets?as_of=2026-02-30`), 400);
    assertProblem(await call('gw1', 'GET', `/api/v1/care-targets?overdue=yes`), 400);
  });

  test('restricted kinds are hidden from roles that may not see them, in lists, reads and counts', async () => {
    const all = await list('gw1', '');
    assert.ok(!all.some((x) => x.id === t.E.id));
    assert.ok(!all.some((x) => x.restricted));
    assertProblem(await call('gw1', 'GET', `/api/v1/care-targets/${t.E.id}`), 404);
    assertProblem(await call('gw1', 'POST', `/api/v1/care-targets/${t.E.id}/visits`, { note: '走访' }), 404);
    assert.deepEqual(await list('gw1', '&kind=mental_disorder'), []);
    const e = await must('comm', 'GET', `/api/v1/care-targets/${t.E.id}`, undefined, 200);
    assert.equal(e.kind, 'mental_disorder');
    const cov = async (who) => (await must(who, 'GET', `/api/v1/care-targets/coverage?region=${COMM}`, undefined, 200)).items;
    const g1w = (await cov('gw1')).find((x) => x.region_code === G1);
    const g1c = (await cov('comm')).find((x) => x.region_code === G1);
    assert.equal(g1w.due, 4, 'the worker counts A–D');
    assert.equal(g1c.due, 5, 'the community counts E too');
    assert.ok(!(await cov('gw1')).some((x) => x.region_code === G2), 'another grid is not in the worker’s counts');
  });

  test('scope: a grid worker of another grid gets 403 on a visit and 404 on a read', async () => {
    assertProblem(await call('gw2', 'POST', `/api/v1/care-targets/${t.A.id}/visits`, { note: '走访' }), 403);
    assertProblem(await call('gw2', 'POST', `/api/v1/care-targets/${t.E.id}/visits`, { note: '走访' }), 403);
    assertProblem(await call('gw2', 'GET', `/api/v1/care-targets/${t.A.id}`), 404);
    assert.ok(!(await list('gw2', '')).some((x) => x.id === t.A.id));
    assertProblem(await call('gw1', 'GET', `/api/v1/care-targets/${t.F.id}`), 404);
    assertProblem(await call('gw1', 'GET', '/api/v1/care-targets/99999999'), 404);
  });

  test('a need found on a visit becomes a case in one step, linked back; coverage counts the visit', async () => {
    const before = await must('gw1', 'GET', `/api/v1/care-targets/coverage?region=${COMM}`, undefined, 200);
    const g1 = before.items.find((x) => x.region_code === G1);
    const v = await visit('gw1', t.A.id, {
      note: '老人家中水管漏水',
      raise_case: { category: 'property', description: '独居老人家中水管漏水，需物业维修' },
    });
    assert.ok(v.case_id > 0);
    assert.equal(v.target.last_visit_on, day(0));
    assert.equal(v.target.alert, 'none');
    const c = await must('gw1', 'GET', `/api/v1/cases/${v.case_id}`, undefined, 200);
    assert.equal(c.region_code, G1);
    assert.equal(c.category, 'property');
    assert.deepEqual(names(await list('gw1', `&overdue=true&as_of=${day(0)}`)), ['关爱丁']);
    // a bad category: nothing is written, neither the case nor the visit
    const res = await call('gw1', 'POST', `/api/v1/care-targets/${t.D.id}/visits`, {
      note: 'x',
      raise_case: { category: 'no_such', description: 'y' },
    });
    assert.ok(res.status === 422 || res.status === 400, res.text);
    assert.equal((await must('gw1', 'GET', `/api/v1/care-targets/${t.D.id}`, undefined, 200)).visits, 1);
    const after = await must('gw1', 'GET', `/api/v1/care-targets/coverage?region=${COMM}`, undefined, 200);
    const a1 = after.items.find((x) => x.region_code === G1);
    assert.equal(a1.visited, g1.visited + 1);
    assert.equal(a1.due, g1.due);
  });
});
