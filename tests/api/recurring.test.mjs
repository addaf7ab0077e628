// Recurring problems (反复发生问题, issue 12 part 6): known answers on a fresh community made by
// the test — three cases of one category in one building make a problem and two do not; three
// within 50 m by location do, three 200 m apart do not; another category does not join; the
// reporter's phone is masked in the problem's cases; scope (404 out of it, lists empty); and a
// problem turned into a campaign item that links back, once (a second time 409), audited; and
// another turned into a deliberation topic that links both ways (then taken: 409 either way).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STREET1, STREET2, api, assertProblem, errorFields, signInDemo, startServer } from './harness.mjs';
import { createUser, report } from './cases-lib.mjs';
import { auditEntries, makeHouses } from './base-lib.mjs';

const COMM = `${STREET1}091`;
const G1 = `${COMM}001`;
const G2 = `${COMM}002`;
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
// About 1.1 m per 1e-5 degree of latitude: P, 20 m north of it, and points 200 m apart.
const P = { lat: 30.6, lon: 121.6 };
const north = (p, metres) => ({ lat: p.lat + metres / 111195, lon: p.lon });
const east = (p, metres) => ({ lat: p.lat, lon: p.lon + metres / (111195 * Math.cos((p.lat * Math.PI) / 180)) });

describe('recurring problems', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const f = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const file = async (body) => (await report(url, s.jiedao, body)).json;
  const problems = async (who = 'jiedao', q = '') =>
    (await must(who, 'GET', `/api/v1/recurring-problems?region=${COMM}&limit=200${q}`, undefined, 200)).items;
  const ofCategory = async (category) => (await problems()).filter((p) => p.category === category);

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao', 'dudao', 'wangge']) s[u] = await signInDemo(url, u);
    await must('jiedao', 'POST', '/api/v1/regions', { code: COMM, name: '反复问题测试社区', parent_code: STREET1 });
    await must('jiedao', 'POST', '/api/v1/regions', { code: G1, name: '反复网格一', parent_code: COMM });
    await must('jiedao', 'POST', '/api/v1/regions', { code: G2, name: '反复网格二', parent_code: COMM });
    s.other = await createUser(url, s.admin, { username: `rp${process.pid}`, role: 'street', region: STREET2 });
    f.building = (await makeHouses(url, s.admin, G1, '反复楼', 0)).building;
    f.otherBuilding = (await makeHouses(url, s.admin, G2, '别的楼', 0)).building;
  });
  after(async () => {
    await srv?.stop();
  });

  test('a building: two cases are not a problem, the third makes one', async () => {
    const b = { region_code: G1, category: 'environment', building_id: f.building.id };
    const first = await file({ ...b, description: '楼道堆物一', reporter: { name: '张三', phone: '13912345678' } });
    assert.equal(first.building_id, f.building.id);
    await file({ ...b, description: '楼道堆物二' });
    assert.deepEqual(await ofCategory('environment'), []);
    const third = await file({ ...b, description: '楼道堆物三' });
    const [p, ...rest] = await ofCategory('environment');
    assert.deepEqual(rest, []);
    assert.equal(p.case_count, 3);
    assert.equal(p.region_code, G1);
    assert.equal(p.place.building_id, f.building.id);
    assert.equal(p.place.building_name, '反复楼');
    assert.equal(p.first_case_id, first.id);
    assert.equal(p.status, 'open');
    assert.equal(p.window_weeks, 8);
    assert.equal(p.min_cases, 3);
    assert.equal(p.campaign_item, null);
    f.buildingProblem = p;
    // its cases, newest first, the reporter's phone masked as in case lists
    const full = await must('jiedao', 'GET', `/api/v1/recurring-problems/${p.id}`, undefined, 200);
    assert.deepEqual(
      full.cases.map((c) => c.id),
      [third.id, third.id - 1, first.id].slice(0, 3).sort((x, y) => y - x),
    );
    const shown = full.cases.find((c) => c.id === first.id);
    assert.equal(shown.reporter.phone, '139****5678');
    assert.ok(!full.text?.includes?.('13912345678'));
    assert.ok(!JSON.stringify(full).includes('13912345678'));
    // a building of another grid is refused
    const res = await api(url, 'POST', '/api/v1/cases', {
      ...s.jiedao,
      body: { region_code: G1, category: 'environment', description: 'x', building_id: f.otherBuilding.id },
    });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['building_id']);
  });

  test('by location: three within 50 m make a problem, three 200 m apart do not', async () => {
    await file({ region_code: G2, category: 'municipal', description: '井盖缺失一', location: { ...P, address: '文化街 3 号' } });
    await file({ region_code: G2, category: 'municipal', description: '井盖缺失二', location: north(P, 20) });
    assert.deepEqual(await ofCategory('municipal'), []);
    // another grid of the community, 25 m and 45 m from the two: the same place
    await file({ region_code: G1, category: 'municipal', description: '井盖缺失三', location: north(P, -25) });
    const [p, ...rest] = await ofCategory('municipal');
    assert.deepEqual(rest, []);
    assert.equal(p.case_count, 3);
    assert.equal(p.region_code, G2, 'the place is the first case’s');
    assert.equal(p.place.address, '文化街 3 号');
    assert.ok(Math.abs(p.place.lat - P.lat) < 1e-9 && Math.abs(p.place.lon - P.lon) < 1e-9);
    assert.equal(p.place.building_id, null);
    f.pointProblem = p;

    const Q = { lat: 30.7, lon: 121.7 };
    // a triangle of sides 200 m: each pair 200 m apart
    for (const [m, at] of [
      [0, Q],
      [1, north(Q, 200)],
      [2, east(north(Q, 100), 173.2)],
    ])
      await file({ region_code: G2, category: 'noise', description: `噪音${m}`, location: at });
    assert.deepEqual(await ofCategory('noise'), []);
  });

  test('another category does not join; the same category at the place does', async () => {
    await file({ region_code: G2, category: 'fire', description: '消防通道堵塞', location: north(P, 10) });
    await file({ region_code: G2, category: 'fire', description: '消防通道堵塞二', location: P });
    assert.deepEqual(await ofCategory('fire'), []);
    let [p] = await ofCategory('municipal');
    assert.equal(p.case_count, 3);
    const fourth = await file({ region_code: G2, category: 'municipal', description: '井盖缺失四', location: north(P, 30) });
    [p] = await ofCategory('municipal');
    assert.equal(p.case_count, 4);
    const full = await must('jiedao', 'GET', `/api/v1/recurring-problems/${p.id}`, undefined, 200);
    assert.equal(full.cases.length, 4);
    assert.equal(full.cases[0].id, fourth.id);
    assert.ok(full.cases.every((c) => c.category === 'municipal'));
    // 100 m away is not the place: it stays out
    await file({ region_code: G2, category: 'municipal', description: '井盖缺失五', location: north(P, 100) });
    [p] = await ofCategory('municipal');
    assert.equal(p.case_count, 4);
  });

  test('sweep hazards reported as cases carry their house’s building and recur there', async () => {
    const { building, houses } = await makeHouses(url, s.admin, G1, '扫楼反复楼', 3);
    const sweep = await must('jiedao', 'POST', '/api/v1/sweeps', {
      name: '反复问题扫楼',
      region_code: G1,
      starts_on: day(-1),
      ends_on: day(30),
    });
    const cases = [];
    for (const h of houses) {
      const v = await must('jiedao', 'POST', `/api/v1/sweeps/${sweep.id}/visits`, {
        house_id: h.id,
        outcome: 'visited',
        hazards: [{ description: `楼道电动车充电 ${h.room}`, action: 'case', category: 'fire' }],
      });
      cases.push(v.hazards[0].case_id);
    }
    const c = await must('jiedao', 'GET', `/api/v1/cases/${cases[0]}`, undefined, 200);
    assert.equal(c.building_id, building.id);
    const [p, ...rest] = (await ofCategory('fire')).filter((x) => x.region_code === G1);
    assert.deepEqual(rest, []);
    assert.equal(p.place.building_id, building.id);
    assert.equal(p.case_count, 3);
    assert.equal(p.first_case_id, cases[0]);
  });

  test('scope: out of scope is 404 and an empty list; roles outside the set are 403', async () => {
    const id = f.buildingProblem.id;
    assertProblem(await call('other', 'GET', `/api/v1/recurring-problems/${id}`), 404);
    assertProblem(await call('dudao', 'GET', `/api/v1/recurring-problems/${id}`), 404); // a supervisor of another community
    assert.deepEqual((await must('other', 'GET', `/api/v1/recurring-problems?region=${COMM}`, undefined, 200)).items, []);
    assertProblem(await call('wangge', 'GET', '/api/v1/recurring-problems'), 403);
    assertProblem(await call('jiedao', 'GET', '/api/v1/recurring-problems/999999999'), 404);
    assertProblem(await call('jiedao', 'GET', '/api/v1/recurring-problems?status=closed'), 400);
    assertProblem(await call('jiedao', 'GET', '/api/v1/recurring-problems?region=12x'), 400);
    assertProblem(await call('other', 'POST', `/api/v1/recurring-problems/${id}/campaign-item`, { campaign_id: 1 }), 404);
  });

  test('turned into a campaign item: 201 linking back, the problem taken, a second time 409', async () => {
    const campaign = await must('jiedao', 'POST', '/api/v1/campaigns', {
      region_code: COMM,
      title: '井盖专项整治',
      starts_on: day(-1),
      ends_on: day(60),
      lead_unit: '市政管理处',
    });
    const id = f.pointProblem.id;
    const path = `/api/v1/recurring-problems/${id}/campaign-item`;
    let res = await call('jiedao', 'POST', path, { list: 'problem' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['campaign_id']);
    res = await call('jiedao', 'POST', path, { campaign_id: campaign.id, list: 'problems' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['list']);
    assertProblem(await call('jiedao', 'POST', path, { campaign_id: campaign.id, owner: 5 }), 400);
    assert.equal(
      (await must('jiedao', 'GET', `/api/v1/recurring-problems/${id}`, undefined, 200)).status,
      'open',
      'a refused call changes nothing',
    );

    const item = await must('jiedao', 'POST', path, { campaign_id: campaign.id, list: 'problem', owner: '市政管理处', deadline: day(20) });
    assert.deepEqual(item.source, { kind: 'recurring_problem', id });
    assert.equal(item.campaign_id, campaign.id);
    assert.equal(item.list, 'problem');
    assert.equal(item.region_code, G2);
    assert.equal(item.owner_unit, '市政管理处');
    assert.equal(item.deadline, day(20));
    assert.match(item.title, /市政设施/);
    const again = await must('jiedao', 'GET', `/api/v1/campaign-items/${item.id}`, undefined, 200);
    assert.deepEqual(again.source, { kind: 'recurring_problem', id });
    const p = await must('jiedao', 'GET', `/api/v1/recurring-problems/${id}`, undefined, 200);
    assert.equal(p.status, 'taken');
    assert.deepEqual(p.campaign_item, { id: item.id, campaign_id: campaign.id });
    assertProblem(await call('jiedao', 'POST', path, { campaign_id: campaign.id }), 409);
    // the status filter
    const open = (await problems('jiedao', '&status=open')).map((x) => x.id);
    const taken = (await problems('jiedao', '&status=taken')).map((x) => x.id);
    assert.ok(!open.includes(id) && open.includes(f.buildingProblem.id));
    assert.deepEqual(taken, [id]);
    // through the generic item route a recurring problem is not a source
    res = await call('jiedao', 'POST', `/api/v1/campaigns/${campaign.id}/items`, {
      list: 'problem',
      source: { kind: 'recurring_problem', id: f.buildingProblem.id },
    });
    assertProblem(res, 422);
    const audit = await auditEntries(url, s.admin);
    const e = audit.find((a) => a.action === 'recurring_problem.campaign_item' && a.result === 201);
    assert.ok(e, 'audited');
    assert.equal(e.object, `campaign_item:${item.id}`);
  });

  test('turned into a topic (议题): 201 at its grid, linking both ways; then taken, a second time 409', async () => {
    const id = f.buildingProblem.id;
    const path = `/api/v1/recurring-problems/${id}/topic`;
    assertProblem(await call('wangge', 'POST', path, {}), 403);
    assertProblem(await call('dudao', 'POST', path, {}), 403);
    assertProblem(await call('other', 'POST', path, {}), 404);
    const res = await call('jiedao', 'POST', path, { procedure: 'five_step' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['procedure']);
    const topics = async () => (await must('jiedao', 'GET', `/api/v1/topics?region=${COMM}&limit=100`, undefined, 200)).items;
    assert.equal((await topics()).length, 0, 'a refused call opens no topic');

    const topic = await must('jiedao', 'POST', path, {});
    assert.equal(topic.stage, 'proposed');
    assert.equal(topic.procedure, 'six_step');
    assert.equal(topic.region_code, f.buildingProblem.region_code);
    assert.match(topic.title, /^反复发生：/);
    assert.match(topic.body, new RegExp(`反复发生问题 ${id} 号`));
    assert.equal(topic.recurring_problem_id, id);
    const p = await must('jiedao', 'GET', `/api/v1/recurring-problems/${id}`, undefined, 200);
    assert.equal(p.status, 'taken');
    assert.equal(p.status_name, '已转议题');
    assert.equal(p.topic_id, topic.id);
    assert.equal(p.campaign_item, null);
    const again = await must('jiedao', 'GET', `/api/v1/topics/${topic.id}`, undefined, 200);
    assert.equal(again.recurring_problem_id, id);

    assertProblem(await call('jiedao', 'POST', path, { title: '再来一次' }), 409);
    const campaign = await must('jiedao', 'POST', '/api/v1/campaigns', {
      region_code: COMM,
      title: '楼道专项整治',
      starts_on: day(-1),
      ends_on: day(60),
      lead_unit: '物业科',
    });
    assertProblem(await call('jiedao', 'POST', `/api/v1/recurring-problems/${id}/campaign-item`, { campaign_id: campaign.id }), 409);
    assert.deepEqual((await topics()).map((t) => t.id), [topic.id], 'the refused calls opened nothing');
    const audit = await auditEntries(url, s.admin);
    const e = audit.find((a) => a.action === 'recurring_problem.topic' && a.result === 201);
    assert.ok(e, 'audited');
    assert.equal(e.object, `topic:${topic.id}`);
  });
});

describe('recurring problems with the rule set by serve settings', { timeout: 120_000 }, () => {
  let srv;
  after(async () => {
    await srv?.stop();
  });

  test('recurring_cases 2 and recurring_weeks 1: two cases in one building make a problem', async () => {
    srv = await startServer({ args: ['--recurring-cases', '2', '--recurring-weeks', '1'] });
    const admin = await signInDemo(srv.url, 'admin');
    const post = async (p, body) => {
      const res = await api(srv.url, 'POST', p, { ...admin, body });
      assert.equal(res.status, 201, `${p}: ${res.text.slice(0, 300)}`);
      return res.json;
    };
    await post('/api/v1/regions', { code: COMM, name: '规则测试社区', parent_code: STREET1 });
    await post('/api/v1/regions', { code: G1, name: '规则网格', parent_code: COMM });
    const { building } = await makeHouses(srv.url, admin, G1, '规则楼', 0);
    const list = async () => (await api(srv.url, 'GET', `/api/v1/recurring-problems?region=${COMM}`, admin)).json.items;
    await report(srv.url, admin, { region_code: G1, category: 'property', building_id: building.id });
    assert.deepEqual(await list(), []);
    await report(srv.url, admin, { region_code: G1, category: 'property', building_id: building.id });
    const [p, ...rest] = await list();
    assert.deepEqual(rest, []);
    assert.equal(p.case_count, 2);
    assert.equal(p.min_cases, 2);
    assert.equal(p.window_weeks, 1);
  });
});
