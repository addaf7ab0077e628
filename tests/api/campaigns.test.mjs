// Campaigns (专项整治) with three lists and joint meetings (issue 12 items 4 and 5): known
// answers on a fresh community made by the test — items from a case and a rectification item,
// the flow assign → done → verify, the doer who may not verify (409), return with a reason,
// scope (403/404), bad input (400/422 naming the fields), exact progress per region, and a
// meeting decision turned into an item that links back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STREET1, STREET2, api, assertProblem, errorFields, signInDemo, sql, startServer } from './harness.mjs';
import { createUser, pngBytes, report, uploadPhoto } from './cases-lib.mjs';
import { auditEntries, makeHouses } from './base-lib.mjs';

const COMM = `${STREET1}0${50 + (process.pid % 20)}`;
const G1 = `${COMM}001`;
const G2 = `${COMM}002`;
const OUT_GRID = `${STREET2}001001`; // 和平街道's first grid: outside jiedao's street
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

describe('campaigns and joint meetings', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const f = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const act = (who, id, body) => call(who, 'POST', `/api/v1/campaign-items/${id}/actions`, body);
  const mustAct = (who, id, body) => must(who, 'POST', `/api/v1/campaign-items/${id}/actions`, body, 200);
  const newItem = (body) =>
    must('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, { list: 'task', title: '整治事项', region_code: G1, ...body });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'wangge']) s[u] = await signInDemo(url, u);
    await must('jiedao', 'POST', '/api/v1/regions', { code: COMM, name: '整治测试社区', parent_code: STREET1 });
    await must('jiedao', 'POST', '/api/v1/regions', { code: G1, name: '整治网格一', parent_code: COMM });
    await must('jiedao', 'POST', '/api/v1/regions', { code: G2, name: '整治网格二', parent_code: COMM });
    s.worker = await createUser(url, s.admin, { username: `cw${process.pid}`, role: 'grid_worker', region: G1 });
    f.case = (await report(url, s.jiedao, { region_code: G1, description: '楼道堆物' })).json;
    f.outCase = (await report(url, s.admin, { region_code: OUT_GRID, description: '区外事件' })).json;
    const { houses } = await makeHouses(url, s.admin, G2, '整治楼', 1);
    f.rect = await must('admin', 'POST', '/api/v1/rectifications', { house_id: houses[0].id, problem: '群租整改', deadline: day(30) });
  });
  after(async () => {
    await srv?.stop();
  });

  test('create a campaign: known fields back, bad input names the fields, out of scope is 403', async () => {
    const body = {
      region_code: COMM,
      title: '楼道堆物专项整治',
      starts_on: day(-10),
      ends_on: day(50),
      lead_unit: '街道综治办',
      description: '清理楼道堆物',
      targets: [
        { region_code: G1, target_count: 3 },
        { region_code: G2, target_count: 2 },
      ],
    };
    f.campaign = await must('jiedao', 'POST', '/api/v1/campaigns', body);
    assert.equal(f.campaign.status, 'active');
    assert.deepEqual(f.campaign.targets, body.targets);
    assert.equal(f.campaign.lead_unit, '街道综治办');
    const got = await must('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}`, undefined, 200);
    assert.deepEqual(got, f.campaign);

    let res = await call('jiedao', 'POST', '/api/v1/campaigns', {
      region_code: COMM,
      starts_on: day(5),
      ends_on: day(1),
      targets: [{ region_code: OUT_GRID, target_count: 1 }],
    });
    assertProblem(res, 422);
    for (const field of ['title', 'lead_unit', 'ends_on', 'targets[0].region_code'])
      assert.ok(errorFields(res).includes(field), `${field} in ${res.text}`);
    res = await call('jiedao', 'POST', '/api/v1/campaigns', { ...body, title: 42 });
    assertProblem(res, 400);
    res = await call('jiedao', 'POST', '/api/v1/campaigns', { ...body, starts_on: '2026-13-40' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['starts_on']);
    res = await call('jiedao', 'POST', '/api/v1/campaigns', { ...body, region_code: STREET2 });
    assertProblem(res, 403);
    // grid workers read campaigns but do not make them
    assertProblem(await api(url, 'POST', '/api/v1/campaigns', { ...s.worker, body }), 403);
    // another street's street user does not see it; a grid worker under it does
    assertProblem(await call('wangge', 'GET', `/api/v1/campaigns/${f.campaign.id}`), 404);
    const seen = await api(url, 'GET', `/api/v1/campaigns/${f.campaign.id}`, s.worker);
    assert.equal(seen.status, 200, seen.text);
    // theirs and the demo's district-wide one above it (src/cli/demo_command.c), no other
    const list = await api(url, 'GET', '/api/v1/campaigns?limit=200', s.worker);
    assert.deepEqual(
      list.json.items.filter((c) => c.region_code !== '999901').map((c) => c.id),
      [f.campaign.id],
    );
    const wl = await call('wangge', 'GET', '/api/v1/campaigns?limit=200');
    assert.ok(!wl.json.items.some((c) => c.id === f.campaign.id), 'not listed out of scope');
  });

  test('items from a case and a rectification item; sources checked', async () => {
    f.fromCase = await newItem({ list: 'problem', title: '堆物问题', source: { kind: 'case', id: f.case.id }, deadline: day(-1) });
    assert.deepEqual(f.fromCase.source, { kind: 'case', id: f.case.id });
    assert.equal(f.fromCase.state, 'open');
    assert.equal(f.fromCase.overdue, true);
    f.fromRect = await newItem({
      list: 'responsibility',
      title: '群租整改责任',
      region_code: G2,
      owner_unit: '住建局',
      source: { kind: 'rectification_item', id: f.rect.id },
    });
    assert.equal(f.fromRect.owner_unit, '住建局');

    let res = await call('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, {
      list: 'tasks',
      region_code: OUT_GRID,
      source: { kind: 'case', id: 999999999 },
    });
    assertProblem(res, 422);
    for (const field of ['list', 'title', 'region_code', 'source.id'])
      assert.ok(errorFields(res).includes(field), `${field} in ${res.text}`);
    res = await call('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, {
      list: 'task',
      title: 'x',
      region_code: G1,
      source: { kind: 'case', id: f.outCase.id },
    });
    assertProblem(res, 403, 'a source outside the caller’s scope');
    res = await call('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, {
      list: 'task',
      title: 'x',
      region_code: G1,
      source: { kind: 'pairing', id: 1 },
    });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['source.kind']);
    res = await call('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, {
      list: 'task',
      title: 'x',
      region_code: G1,
      source: 'case',
    });
    assertProblem(res, 400);
    res = await call('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, {
      list: 'task',
      title: 'x',
      region_code: G1,
      photos: ['0'.repeat(64)],
    });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['photos[0]']);
    // a campaign out of scope answers 404, like one that does not exist
    assertProblem(
      await call('wangge', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, { list: 'task', title: 'x', region_code: G1 }),
      [403, 404],
    );
    assertProblem(await call('wangge', 'GET', `/api/v1/campaign-items/${f.fromCase.id}`), 404);
    assertProblem(await call('jiedao', 'GET', '/api/v1/campaign-items/abc'), 404);
  });

  test('assign → done → verify; the doer may not verify (409); return needs a reason', async () => {
    const id = f.fromCase.id;
    let res = await act('jiedao', id, { action: 'done' });
    assertProblem(res, 409, 'open items are assigned first');
    res = await act('jiedao', id, { action: 'assign' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['owner_unit']);
    res = await act('jiedao', id, { action: 'close' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['action']);
    res = await act('jiedao', id, { action: 9 });
    assertProblem(res, 400);
    // the grid worker may not assign (a manager's action)
    assertProblem(
      await api(url, 'POST', `/api/v1/campaign-items/${id}/actions`, {
        ...s.worker,
        body: { action: 'assign', owner_user_id: s.worker.user.id },
      }),
      403,
    );
    let it = await mustAct('jiedao', id, { action: 'assign', owner_user_id: s.worker.user.id, comment: '请网格员清理' });
    assert.equal(it.state, 'assigned');
    assert.equal(it.owner_user_id, s.worker.user.id);
    // the worker does it; the worker may not verify (role), and the street verifies
    const up = await uploadPhoto(url, s.worker, pngBytes(7000 + (process.pid % 1000)));
    assert.ok([200, 201].includes(up.status), up.text);
    const photo = up.json.hash;
    // evidence photos: only the uploader's own hashes are accepted
    assertProblem(await act('jiedao', id, { action: 'done', photos: [photo] }), 422);
    res = await api(url, 'POST', `/api/v1/campaign-items/${id}/actions`, {
      ...s.worker,
      body: { action: 'done', comment: '已清理', photos: [photo] },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.done_by, s.worker.user.id);
    assert.deepEqual(res.json.photos, [photo]);
    // the verifier reads the doer's evidence; a user outside the item's region does not
    assert.equal((await call('jiedao', 'GET', `/api/v1/photos/${photo}`)).status, 200);
    assert.ok([403, 404].includes((await call('wangge', 'GET', `/api/v1/photos/${photo}`)).status));
    assertProblem(await api(url, 'POST', `/api/v1/campaign-items/${id}/actions`, { ...s.worker, body: { action: 'verify' } }), 403);
    it = await mustAct('jiedao', id, { action: 'verify', comment: '核验通过' });
    assert.equal(it.state, 'verified');
    assert.equal(it.verified_by, s.jiedao.user.id);
    assert.equal(it.overdue, false);
    assertProblem(await act('jiedao', id, { action: 'return', comment: 'x' }), 409, 'verified is final');
    assert.deepEqual(
      it.events.map((e) => [e.action, e.from, e.to]),
      [
        ['create', null, 'open'],
        ['assign', 'open', 'assigned'],
        ['done', 'assigned', 'done'],
        ['verify', 'done', 'verified'],
      ],
    );

    // the rectification item: the street does it and may not tick it off itself
    const rid = f.fromRect.id;
    await mustAct('jiedao', rid, { action: 'assign' }); // owner_unit given at creation
    await mustAct('jiedao', rid, { action: 'done', comment: '已整改' });
    res = await act('jiedao', rid, { action: 'verify' });
    const p = assertProblem(res, 409);
    assert.match(p.detail, /销号须由完成人以外的人员核验/);
    // returned: a reason is needed, then it is assigned again
    res = await act('zhihui', rid, { action: 'return' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['comment']);
    it = await mustAct('zhihui', rid, { action: 'return', comment: '照片不清，重新整改' });
    assert.equal(it.state, 'assigned');
    assert.equal(it.events.at(-1).comment, '照片不清，重新整改');
    await mustAct('jiedao', rid, { action: 'done' });
    it = await mustAct('zhihui', rid, { action: 'verify' });
    assert.equal(it.state, 'verified');
    const got = await must('jiedao', 'GET', `/api/v1/campaign-items/${rid}`, undefined, 200);
    assert.equal(got.campaign_title, '楼道堆物专项整治');
    assert.deepEqual(
      got.events.map((e) => e.action),
      ['create', 'assign', 'done', 'return', 'done', 'verify'],
    );
  });

  test('lists filter by list, state and region; a grid worker sees their grid only', async () => {
    f.g2a = await newItem({ region_code: G2, title: '网格二任务甲', deadline: day(-3) });
    f.g2b = await newItem({ region_code: G2, title: '网格二任务乙', deadline: day(10) });
    f.commItem = await newItem({ region_code: COMM, title: '社区层面任务', deadline: day(-2) });
    const ids = async (who, q) =>
      (await must(who, 'GET', `/api/v1/campaigns/${f.campaign.id}/items${q}`, undefined, 200)).items.map((i) => i.id);
    assert.deepEqual(await ids('jiedao', ''), [f.commItem.id, f.g2b.id, f.g2a.id, f.fromRect.id, f.fromCase.id]);
    assert.deepEqual(await ids('jiedao', '?list=problem'), [f.fromCase.id]);
    assert.deepEqual(await ids('jiedao', '?state=verified'), [f.fromRect.id, f.fromCase.id]);
    assert.deepEqual(await ids('jiedao', `?region=${G2}`), [f.g2b.id, f.g2a.id, f.fromRect.id]);
    assert.deepEqual(await ids('jiedao', `?region=${G2}&state=open&list=task`), [f.g2b.id, f.g2a.id]);
    // paging: two per page, the cursor the server handed out
    const p1 = await must('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/items?limit=2`, undefined, 200);
    assert.deepEqual(
      p1.items.map((i) => i.id),
      [f.commItem.id, f.g2b.id],
    );
    const p2 = await must(
      'jiedao',
      'GET',
      `/api/v1/campaigns/${f.campaign.id}/items?limit=2&cursor=${encodeURIComponent(p1.next_cursor)}`,
      undefined,
      200,
    );
    assert.deepEqual(
      p2.items.map((i) => i.id),
      [f.g2a.id, f.fromRect.id],
    );
    const w = await api(url, 'GET', `/api/v1/campaigns/${f.campaign.id}/items`, s.worker);
    assert.deepEqual(
      w.json.items.map((i) => i.id),
      [f.fromCase.id],
    );
    assertProblem(await api(url, 'GET', `/api/v1/campaigns/${f.campaign.id}/items?region=${G2}`, s.worker), 403);
    assertProblem(await call('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/items?list=x`), 400);
    assertProblem(await call('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/items?state=closed`), 400);
    assertProblem(await call('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/items?region=${OUT_GRID}`), 400);
  });

  test('progress per child region: exact totals, verified, overdue and targets', async () => {
    const pr = await must('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/progress`, undefined, 200);
    assert.equal(pr.region_code, COMM);
    // G1: fromCase (verified, past deadline but verified: not overdue); G2: fromRect
    // (verified), g2a (overdue), g2b; the community itself: commItem (overdue)
    assert.deepEqual(pr.totals, { region_code: COMM, name: '整治测试社区', total: 5, verified: 2, overdue: 2, target: 5 });
    assert.deepEqual(pr.children, [
      { region_code: G1, name: '整治网格一', total: 1, verified: 1, overdue: 0, target: 3 },
      { region_code: G2, name: '整治网格二', total: 3, verified: 1, overdue: 1, target: 2 },
    ]);
    const g2 = await must('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/progress?region=${G2}`, undefined, 200);
    assert.deepEqual(g2.totals, { region_code: G2, name: '整治网格二', total: 3, verified: 1, overdue: 1, target: 2 });
    assert.deepEqual(g2.children, []);
    // a verification moves the counts
    await mustAct('jiedao', f.g2a.id, { action: 'assign', owner_unit: '物业' });
    await mustAct('zhihui', f.g2a.id, { action: 'done' });
    await mustAct('jiedao', f.g2a.id, { action: 'verify' });
    const after = await must('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/progress?region=${G2}`, undefined, 200);
    assert.deepEqual(after.totals, { region_code: G2, name: '整治网格二', total: 3, verified: 2, overdue: 0, target: 2 });
    const w = await api(url, 'GET', `/api/v1/campaigns/${f.campaign.id}/progress`, s.worker);
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.region_code, G1, 'a grid worker’s progress is their grid’s');
    assertProblem(await api(url, 'GET', `/api/v1/campaigns/${f.campaign.id}/progress?region=${G2}`, s.worker), 403);
    assertProblem(await call('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/progress?region=12`), 400);
  });

  test('joint meetings: a decision becomes an item that links back, once', async () => {
    const body = {
      region_code: COMM,
      held_on: day(0),
      title: '堆物整治联席会议',
      units: ['街道综治办', '城管执法', '物业'],
      topics: ['楼道堆物'],
      decisions: ['城管牵头清理三号楼堆物', '物业每周巡查'],
    };
    const m = await must('jiedao', 'POST', '/api/v1/meetings', body);
    assert.deepEqual(m.units, body.units);
    assert.deepEqual(
      m.decisions.map((d) => [d.n, d.text, d.item_id]),
      [
        [1, '城管牵头清理三号楼堆物', null],
        [2, '物业每周巡查', null],
      ],
    );
    let res = await call('jiedao', 'POST', '/api/v1/meetings', { region_code: COMM, held_on: '昨天', units: [] });
    assertProblem(res, 422);
    for (const field of ['held_on', 'title', 'units']) assert.ok(errorFields(res).includes(field), `${field} in ${res.text}`);
    assertProblem(await call('jiedao', 'POST', '/api/v1/meetings', { ...body, region_code: STREET2 }), 403);
    const item = await must('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/1/item`, {
      campaign_id: f.campaign.id,
      list: 'task',
      region_code: G1,
      owner_unit: '城管执法',
      deadline: day(7),
    });
    assert.equal(item.title, '城管牵头清理三号楼堆物');
    assert.deepEqual(item.source, { kind: 'meeting', id: m.id, decision: 1 });
    const again = await call('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/1/item`, { campaign_id: f.campaign.id, list: 'task' });
    assertProblem(again, 409);
    assertProblem(
      await call('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/3/item`, { campaign_id: f.campaign.id, list: 'task' }),
      404,
    );
    res = await call('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/2/item`, { list: 'task' });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['campaign_id']);
    const back = await must('jiedao', 'GET', `/api/v1/meetings/${m.id}`, undefined, 200);
    assert.equal(back.decisions[0].item_id, item.id);
    assert.equal(back.decisions[0].campaign_id, f.campaign.id);
    assert.equal(back.decisions[1].item_id, null);
    const list = await must('jiedao', 'GET', '/api/v1/meetings?limit=200', undefined, 200);
    assert.ok(list.items.some((x) => x.id === m.id));
    assertProblem(await call('wangge', 'GET', `/api/v1/meetings/${m.id}`), 404);
    // an item may not name a meeting as its source directly (the decision route does)
    res = await call('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, {
      list: 'task',
      title: 'x',
      region_code: G1,
      source: { kind: 'meeting', id: m.id },
    });
    assertProblem(res, 422);
  });

  test('the timeline is append-only and the progress equals a recount of the rows', async () => {
    const id = f.fromRect.id;
    assert.throws(() => sql(srv.db, `UPDATE campaign_item_events SET comment = 'x' WHERE item_id = ${id}`), /append-only/);
    assert.throws(() => sql(srv.db, `DELETE FROM campaign_item_events WHERE item_id = ${id}`), /append-only/);
    const events = Number(sql(srv.db, `SELECT count(*) FROM campaign_item_events WHERE item_id = ${id}`));
    assert.equal(events, 6);
    const recount = sql(
      srv.db,
      `SELECT count(*), sum(CASE WHEN state = 'verified' THEN 1 ELSE 0 END) FROM campaign_items WHERE campaign_id = ${f.campaign.id}`,
    ).replace(/\s*\|\s*/g, ' ');
    const pr = await must('jiedao', 'GET', `/api/v1/campaigns/${f.campaign.id}/progress`, undefined, 200);
    assert.equal(recount, `${pr.totals.total} ${pr.totals.verified}`);
  });

  test('a department reads and reports done the items its unit owns (责任清单), and nothing else', async () => {
    const unit = `城管执法${process.pid}`;
    const dept = await createUser(url, s.admin, { username: `cd${process.pid}`, role: 'department', region: STREET1, unit });
    const other = await createUser(url, s.admin, {
      username: `co${process.pid}`,
      role: 'department',
      region: STREET1,
      unit: `住建${process.pid}`,
    });
    const owned = await newItem({ list: 'responsibility', title: '占道经营整治' });
    const notOwned = await newItem({ list: 'responsibility', title: '违章搭建整治' });
    await mustAct('jiedao', owned.id, { action: 'assign', owner_unit: unit });
    await mustAct('jiedao', notOwned.id, { action: 'assign', owner_unit: `住建${process.pid}` });
    const mine = (who, q = '') => api(url, 'GET', `/api/v1/campaign-items${q}`, who);

    const list = await mine(dept);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.json.items.map((i) => i.id),
      [owned.id],
    );
    assert.deepEqual(
      (await mine(other)).json.items.map((i) => i.id),
      [notOwned.id],
    );
    assert.equal((await mine(dept, '?state=done')).json.items.length, 0);
    assertProblem(await mine(dept, '?state=finished'), 400);
    // The item itself: its unit's department reads it; another unit's gets 404, as if it did not exist.
    assert.equal((await api(url, 'GET', `/api/v1/campaign-items/${owned.id}`, dept)).status, 200);
    assertProblem(await api(url, 'GET', `/api/v1/campaign-items/${owned.id}`, other), 404);
    assertProblem(await api(url, 'POST', `/api/v1/campaign-items/${owned.id}/actions`, { ...other, body: { action: 'done' } }), 404);
    // A department reports done, never assigns or verifies, and does not see the campaign itself.
    assertProblem(
      await api(url, 'POST', `/api/v1/campaign-items/${owned.id}/actions`, { ...dept, body: { action: 'assign', owner_unit: 'x' } }),
      403,
    );
    const done = await api(url, 'POST', `/api/v1/campaign-items/${owned.id}/actions`, {
      ...dept,
      body: { action: 'done', comment: '已清理占道摊点' },
    });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.state, 'done');
    assert.equal(done.json.done_by, dept.user.id);
    assertProblem(await api(url, 'POST', `/api/v1/campaign-items/${owned.id}/actions`, { ...dept, body: { action: 'verify' } }), 403);
    assertProblem(await api(url, 'GET', `/api/v1/campaigns/${f.campaign.id}`, dept), 403);
    assert.equal((await mustAct('jiedao', owned.id, { action: 'verify' })).state, 'verified');
    assert.deepEqual(
      (await mine(dept, '?state=verified')).json.items.map((i) => i.id),
      [owned.id],
    );
    // A grid worker's own items: those assigned to their user.
    const task = await newItem({ list: 'task', title: '楼道清理' });
    await mustAct('jiedao', task.id, { action: 'assign', owner_user_id: s.worker.user.id });
    assert.ok((await mine(s.worker)).json.items.some((i) => i.id === task.id));
    assert.ok(!(await mine(s.worker)).json.items.some((i) => i.id === owned.id));
  });

  test('an ended campaign takes no new items; only managers of its region patch it', async () => {
    assertProblem(await call('jiedao', 'PATCH', `/api/v1/campaigns/${f.campaign.id}`, { status: 'over' }), 422);
    assertProblem(await call('jiedao', 'PATCH', `/api/v1/campaigns/${f.campaign.id}`, { ends_on: day(-100) }), 422);
    const c = await must('jiedao', 'PATCH', `/api/v1/campaigns/${f.campaign.id}`, { status: 'ended', lead_unit: '区综治中心' }, 200);
    assert.equal(c.status, 'ended');
    assert.equal(c.lead_unit, '区综治中心');
    assertProblem(
      await call('jiedao', 'POST', `/api/v1/campaigns/${f.campaign.id}/items`, { list: 'task', title: 'x', region_code: G1 }),
      409,
    );
    assertProblem(await call('wangge', 'PATCH', `/api/v1/campaigns/${f.campaign.id}`, { title: 'x' }), 403);
  });

  test('writes are audited with their object', async () => {
    const entries = await auditEntries(url, s.admin, 200);
    const has = (action, object) => entries.some((e) => e.action === action && e.object === object);
    assert.ok(has('campaign.create', `campaign:${f.campaign.id}`), 'campaign.create');
    assert.ok(has('campaign.update', `campaign:${f.campaign.id}`), 'campaign.update');
    assert.ok(has('campaign.item.create', `campaign_item:${f.fromCase.id}`), 'campaign.item.create');
    assert.ok(has('campaign.item.action', `campaign_item:${f.fromRect.id}`), 'campaign.item.action');
    assert.ok(
      entries.some((e) => e.action === 'meeting.create'),
      'meeting.create',
    );
    assert.ok(
      entries.some((e) => e.action === 'meeting.decision.item'),
      'meeting.decision.item',
    );
  });
});
