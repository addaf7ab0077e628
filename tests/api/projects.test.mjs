// Projects (民生实事, 老旧小区改造, 政府购买服务): scope for every role, state moves and their
// refusals (409 for the state, 403 for the role), the budget rule (a total above the budget
// needs an over-budget reason; spending is append-only), progress derived from milestones,
// milestone photos read by whoever may read the project, links to a topic, a campaign or a
// pairing commitment that must exist and lie in scope (and the list filtered by them, or by a
// pairing), edits at a record version (If-Match), the projects on the public disclosure page
// without personal data, the list filters and the workbook export.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, STREET1, STREET2, api, assertProblem, errorFields, signIn, signInDemo, startServer } from './harness.mjs';
import { pngBytes, uploadPhoto } from './cases-lib.mjs';

const COMM2 = `${STREET2}001`;
/** The fields of a 422's errors[] (after checking it is one). */
const fields422 = (res) => (assertProblem(res, 422), errorFields(res));
const PASSWORD = 'Projects@2026pw';

describe('projects', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const project = (who, body) =>
    must(who, 'POST', '/api/v1/projects', {
      region_code: COMM1,
      kind: 'renovation',
      title: '阳光小区加装电梯',
      budget_fen: 100_000_00,
      responsible_unit: '城管执法',
      ...body,
    });
  const act = (who, id, action, comment) => call(who, 'POST', `/api/v1/projects/${id}/actions`, { action, ...(comment ? { comment } : {}) });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'dudao', 'wanggezhang', 'wangge', 'loudong', 'chengguan', 'gongjian', 'jumin'])
      s[u] = await signInDemo(url, u);
    // a community user of another street, and a department user of another unit
    for (const [username, role, region, unit] of [
      ['shequ_p2', 'community', COMM2, undefined],
      ['dept_p2', 'department', '999901', '市场监管'],
    ]) {
      await must('admin', 'POST', '/api/v1/users', {
        username,
        display_name: username,
        password: PASSWORD,
        grants: [{ role, region_code: region }],
        ...(unit ? { unit } : {}),
      });
      s[username] = await signIn(url, username, PASSWORD);
    }
  });
  after(async () => {
    await srv?.stop();
  });

  test('create: input is checked; only managers in scope create', async () => {
    const p = await project('shequ', { link_kind: undefined });
    assert.equal(p.state, 'planned');
    assert.equal(p.progress, 0);
    assert.equal(p.spent_fen, 0);
    assert.equal(p.kind_name, '老旧小区改造');
    assert.deepEqual(p.milestone_list, []);
    assert.deepEqual(p.actions, ['start', 'suspend']);
    for (const who of ['dudao', 'wanggezhang', 'wangge', 'loudong', 'chengguan', 'gongjian', 'jumin'])
      assertProblem(await call(who, 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x' }), 403, who);
    assertProblem(await call('shequ_p2', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x' }), 403);
    let res = await call('shequ', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'castle', title: 'x', budget_fen: -1, responsible_unit: 'x' });
    assert.deepEqual(fields422(res).sort(), ['budget_fen', 'kind']);
    res = await call('shequ', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1.5, responsible_unit: 'x' });
    assertProblem(res, [400, 422]);
    res = await call('shequ', 'POST', '/api/v1/projects', { region_code: '999901001009', kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x' });
    assert.deepEqual(fields422(res), ['region_code']);
  });

  test('scope: every role reads only what it may', async () => {
    const p = await project('jiedao', { title: '社区食堂（民生实事）', kind: 'livelihood', responsible_unit: '城管执法' });
    const q = await project('admin', { region_code: COMM2, title: '和平社区管网改造', responsible_unit: '市场监管' });
    const seen = {
      admin: [true, true],
      zhihui: [true, true],
      jiedao: [true, false],
      shequ: [true, false],
      dudao: [true, false],
      chengguan: [true, false], // its unit is 城管执法
      dept_p2: [false, true], // 市场监管
      shequ_p2: [false, true],
    };
    for (const [who, [inP, inQ]] of Object.entries(seen)) {
      for (const [obj, want] of [
        [p, inP],
        [q, inQ],
      ]) {
        const res = await call(who, 'GET', `/api/v1/projects/${obj.id}`);
        if (want) assert.equal(res.status, 200, `${who} reads ${obj.title}: ${res.text.slice(0, 200)}`);
        else assertProblem(res, 404, `${who} does not see ${obj.title}`);
      }
      const list = await must(who, 'GET', '/api/v1/projects?limit=200', undefined, 200);
      const ids = list.items.map((x) => x.id);
      assert.equal(ids.includes(p.id), inP, `${who} lists ${p.title}`);
      assert.equal(ids.includes(q.id), inQ, `${who} lists ${q.title}`);
    }
    for (const who of ['wanggezhang', 'wangge', 'loudong', 'gongjian', 'jumin']) {
      assertProblem(await call(who, 'GET', `/api/v1/projects/${p.id}`), 403, who);
      assertProblem(await call(who, 'GET', '/api/v1/projects'), 403, who);
    }
    assertProblem(await call('shequ', 'GET', `/api/v1/projects/${p.id}x`), 404);
    assertProblem(await call('shequ', 'GET', '/api/v1/projects?state=done'), 400);
    assertProblem(await call('shequ', 'GET', '/api/v1/projects?link_kind=topic'), 400);
    assertProblem(await call('shequ', 'GET', '/api/v1/projects?cursor=zzz'), 400);
  });

  test('state moves: the table decides 409, the role 403, nothing changes on refusal', async () => {
    const p = await project('shequ', { title: '楼道照明改造' });
    assertProblem(await act('shequ', p.id, 'complete'), 409);
    assertProblem(await act('shequ', p.id, 'accept'), 409);
    assertProblem(await act('dudao', p.id, 'start'), 403);
    assertProblem(await act('chengguan', p.id, 'start'), 403);
    assert.deepEqual(fields422(await act('shequ', p.id, 'fly')), ['action']);
    assert.equal((await must('shequ', 'GET', `/api/v1/projects/${p.id}`, undefined, 200)).state, 'planned');
    let r = await must('shequ', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'start' }, 200);
    assert.equal(r.state, 'underway');
    // suspending needs a reason
    assert.deepEqual(fields422(await act('shequ', p.id, 'suspend')), ['comment']);
    r = await must('shequ', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'suspend', comment: '居民意见未统一' }, 200);
    assert.equal(r.state, 'suspended');
    assertProblem(await act('shequ', p.id, 'complete'), 409);
    r = await must('shequ', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'resume' }, 200);
    assert.equal(r.state, 'underway');
    // the responsible department may report it completed; another unit's may not even see it
    assertProblem(await act('dept_p2', p.id, 'complete'), 404);
    r = await must('chengguan', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'complete' }, 200);
    assert.equal(r.state, 'completed');
    // acceptance (验收) is the street's or above, never the community's or the department's
    assertProblem(await act('shequ', p.id, 'accept'), 403);
    assertProblem(await act('chengguan', p.id, 'accept'), 403);
    assertProblem(await act('shequ_p2', p.id, 'accept'), 404);
    r = await must('jiedao', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'accept' }, 200);
    assert.equal(r.state, 'accepted');
    assert.deepEqual(r.actions, []);
    assert.equal(r.can_edit, false);
    for (const a of ['start', 'complete', 'accept', 'suspend', 'resume']) assertProblem(await act('admin', p.id, a), 409, a);
    assert.deepEqual(
      r.timeline.map((e) => [e.action, e.from, e.to]),
      [
        ['start', 'planned', 'underway'],
        ['suspend', 'underway', 'suspended'],
        ['resume', 'suspended', 'underway'],
        ['complete', 'underway', 'completed'],
        ['accept', 'completed', 'accepted'],
      ],
    );
    assert.equal(r.timeline[1].comment, '居民意见未统一');
    // an accepted project takes no more milestones or spending
    assertProblem(await call('shequ', 'POST', `/api/v1/projects/${p.id}/milestones`, { title: 'x', due_on: '2027-01-01' }), 409);
    assertProblem(await call('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 1, spent_on: '2026-12-01', note: 'x' }), 409);
    // the state filter
    const acc = await must('shequ', 'GET', `/api/v1/projects?region=${COMM1}&state=accepted&limit=200`, undefined, 200);
    assert.ok(acc.items.some((x) => x.id === p.id));
    assert.ok(acc.items.every((x) => x.state === 'accepted'));
  });

  test('milestones: progress is derived, done with evidence photos', async () => {
    const p = await project('shequ', { title: '小区雨污分流' });
    const ms = [];
    for (const [title, due] of [
      ['设计方案公示', '2026-12-10'],
      ['管网施工', '2027-01-20'],
      ['竣工验收', '2027-02-28'],
    ]) {
      const r = await must('shequ', 'POST', `/api/v1/projects/${p.id}/milestones`, { title, due_on: due });
      ms.push(r.milestone_list.find((m) => m.title === title));
    }
    assert.equal((await must('shequ', 'GET', `/api/v1/projects/${p.id}`, undefined, 200)).progress, 0);
    assert.deepEqual(fields422(await call('shequ', 'POST', `/api/v1/projects/${p.id}/milestones`, { title: 'x', due_on: '2027-13-01' })), ['due_on']);
    assertProblem(await call('dudao', 'POST', `/api/v1/projects/${p.id}/milestones`, { title: 'x', due_on: '2027-01-01' }), 403);
    assertProblem(await call('shequ_p2', 'POST', `/api/v1/projects/${p.id}/milestones`, { title: 'x', due_on: '2027-01-01' }), 404);
    const up = await uploadPhoto(url, s.shequ, pngBytes(3));
    assert.equal(up.status, 201, up.text);
    const photo = up.json.hash ?? up.json.id;
    let r = await must('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${ms[0].id}`, { done_on: '2026-12-08', photos: [photo] }, 200);
    assert.equal(r.progress, 33);
    assert.equal(r.milestones_done, 1);
    const m0 = r.milestone_list.find((m) => m.id === ms[0].id);
    assert.equal(m0.done_on, '2026-12-08');
    assert.equal(m0.photos.length, 1);
    // the department responsible ticks one off too
    r = await must('chengguan', 'PATCH', `/api/v1/projects/${p.id}/milestones/${ms[1].id}`, { done_on: '2027-01-18' }, 200);
    assert.equal(r.progress, 66);
    // progress is never typed: the field is ignored
    r = await must('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${ms[2].id}`, { progress: 100 }, 200);
    assert.equal(r.progress, 66);
    r = await must('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${ms[2].id}`, { done_on: '2027-02-20' }, 200);
    assert.equal(r.progress, 100);
    // undoing a milestone lowers it again
    r = await must('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${ms[2].id}`, { done_on: null }, 200);
    assert.equal(r.progress, 66);
    // a milestone of another project is not this project's
    const other = await project('shequ', { title: '别的项目' });
    assertProblem(await call('shequ', 'PATCH', `/api/v1/projects/${other.id}/milestones/${ms[0].id}`, { title: 'y' }), 404);
    assertProblem(await call('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${ms[0].id}`, { photos: ['nope'] }), [400, 422]);
  });

  test('milestone photos: read by whoever may read the project, by nobody else', async () => {
    const p = await project('shequ', { title: '口袋公园改造', responsible_unit: '城管执法' });
    const m = (await must('shequ', 'POST', `/api/v1/projects/${p.id}/milestones`, { title: '场地平整', due_on: '2026-12-20' })).milestone_list[0];
    const up = await uploadPhoto(url, s.shequ, pngBytes(41));
    assert.equal(up.status, 201, up.text);
    const hash = up.json.hash;
    const read = (who) => call(who, 'GET', `/api/v1/photos/${hash}`);
    const readers = ['admin', 'zhihui', 'jiedao', 'dudao', 'chengguan'];
    const others = ['shequ_p2', 'dept_p2', 'wanggezhang', 'wangge', 'loudong', 'gongjian', 'jumin'];
    // before the milestone names it, only the uploader reads it
    assert.equal((await read('shequ')).status, 200);
    for (const who of readers) assertProblem(await read(who), 404, `${who} before`);
    await must('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${m.id}`, { done_on: '2026-12-18', photos: [hash] }, 200);
    for (const who of readers) {
      const res = await read(who);
      assert.equal(res.status, 200, `${who} reads the evidence: ${res.text.slice(0, 200)}`);
      assert.match(res.headers.get('content-type'), /image\/png/);
    }
    for (const who of others) assertProblem(await read(who), 404, `${who} does not`);
    assertProblem(await api(url, 'GET', `/api/v1/photos/${hash}`), 401);
    // someone else's photo cannot be attached by hash
    const theirs = await uploadPhoto(url, s.jiedao, pngBytes(42));
    assert.deepEqual(fields422(await call('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${m.id}`, { photos: [theirs.json.hash] })), ['photos[0]']);
  });

  test('edit: If-Match versions, who may, bad input, the budget rule, not after acceptance', async () => {
    const p = await project('shequ', { title: '背街小巷路灯', budget_fen: 100_000_00, starts_on: '2026-12-01', ends_on: '2027-03-31' });
    assert.equal(p.version, 1);
    assert.deepEqual([p.starts_on, p.ends_on], ['2026-12-01', '2027-03-31']);
    const got = await call('shequ', 'GET', `/api/v1/projects/${p.id}`);
    assert.equal(got.headers.get('etag'), '"1"');
    assert.equal(got.json.can_edit_fields, true);
    const patch = (who, body, ifMatch) => api(url, 'PATCH', `/api/v1/projects/${p.id}`, { ...s[who], body, ...(ifMatch ? { headers: { 'If-Match': ifMatch } } : {}) });
    let res = await patch('shequ', { title: '背街小巷路灯改造', budget_fen: 120_000_00, responsible_unit: '市场监管', ends_on: '2027-04-30', description: '十二条小巷' }, '"1"');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      [res.json.title, res.json.budget_fen, res.json.responsible_unit, res.json.starts_on, res.json.ends_on, res.json.description, res.json.version],
      ['背街小巷路灯改造', 120_000_00, '市场监管', '2026-12-01', '2027-04-30', '十二条小巷', 2],
    );
    assert.equal(res.headers.get('etag'), '"2"');
    const edit = res.json.timeline.at(-1);
    assert.deepEqual([edit.action, edit.from, edit.to], ['edit', 'planned', 'planned']);
    assert.match(edit.comment, /名称.*预算.*责任单位.*计划日期/);
    // a stale version: 409 with the project as it is now, nothing written
    res = await patch('shequ', { title: '基于旧版本' }, '"1"');
    assertProblem(res, 409);
    assert.equal(res.json.current_version, 2);
    assert.equal(res.json.current.title, '背街小巷路灯改造');
    assert.equal((await must('shequ', 'GET', `/api/v1/projects/${p.id}`, undefined, 200)).title, '背街小巷路灯改造');
    assertProblem(await patch('shequ', { title: 'x' }, 'abc'), 400);
    // nothing changed: the version stays; without If-Match an edit is taken as it comes
    res = await patch('shequ', { title: '背街小巷路灯改造' }, '2');
    assert.equal(res.json.version, 2);
    res = await patch('jiedao', { description: null });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.json.description, res.json.version], [null, 3]);
    // out of scope 404; roles that do not plan 403 (the department responsible too)
    assertProblem(await patch('shequ_p2', { title: 'x' }), 404);
    for (const who of ['dudao', 'dept_p2', 'wangge', 'jumin']) assertProblem(await patch(who, { title: 'x' }), 403, who);
    await must('admin', 'PATCH', `/api/v1/projects/${p.id}`, { responsible_unit: '城管执法' }, 200);
    assertProblem(await patch('chengguan', { title: 'x' }), 403);
    assert.equal((await must('chengguan', 'GET', `/api/v1/projects/${p.id}`, undefined, 200)).can_edit_fields, false);
    // bad input: 422 naming the fields, 400 for a wrong type, nothing written
    for (const [body, fields] of [
      [{ title: '' }, ['title']],
      [{ title: null }, ['title']],
      [{ kind: 'castle', budget_fen: -1 }, ['kind', 'budget_fen']],
      [{ responsible_unit: '  ' }, ['responsible_unit']],
      [{ starts_on: '2027-05-01' }, ['ends_on']],
      [{ starts_on: '2027-02-30', ends_on: '12/31' }, ['starts_on', 'ends_on']],
      [{ title: 'x'.repeat(101) }, ['title']],
    ])
      assert.deepEqual(fields422(await patch('shequ', body)).sort(), fields.sort(), JSON.stringify(body));
    assertProblem(await patch('shequ', { budget_fen: '100' }), 400);
    const before = await must('shequ', 'GET', `/api/v1/projects/${p.id}`, undefined, 200);
    assert.deepEqual([before.title, before.kind, before.budget_fen, before.version], ['背街小巷路灯改造', 'renovation', 120_000_00, 4]);
    // the budget may fall below what is spent only with a reason, kept in the timeline
    await must('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 90_000_00, spent_on: '2026-12-10', note: '灯具' });
    assert.deepEqual(fields422(await patch('shequ', { budget_fen: 80_000_00 })), ['budget_reason']);
    assert.equal((await patch('shequ', { budget_fen: 95_000_00 })).status, 200, 'lowered, still above what is spent');
    res = await patch('shequ', { budget_fen: 80_000_00, budget_reason: '两条小巷并入旧改' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.json.budget_fen, res.json.over_budget], [80_000_00, true]);
    assert.match(res.json.timeline.at(-1).comment, /两条小巷并入旧改/);
    assert.equal((await patch('shequ', { budget_fen: 85_000_00 })).status, 200, 'raised while over: no reason needed');
    // a state move is a change of the record too
    const v = (await must('shequ', 'GET', `/api/v1/projects/${p.id}`, undefined, 200)).version;
    const started = await must('shequ', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'start' }, 200);
    assert.equal(started.version, v + 1);
    assertProblem(await patch('shequ', { title: 'x' }, String(v)), 409);
    // after acceptance: 409, whatever the version
    await must('chengguan', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'complete' }, 200);
    const acc = await must('jiedao', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'accept' }, 200);
    assert.equal(acc.can_edit_fields, false);
    assertProblem(await patch('jiedao', { title: '验收后修改' }), 409);
    assertProblem(await patch('admin', { title: '验收后修改' }, String(acc.version)), 409);
    assertProblem(await call('shequ', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x', starts_on: '2027-02-01', ends_on: '2027-01-01' }), 422);
  });

  test("disclosure: the community's projects on its public page, without personal data", async () => {
    const topic = await must('shequ', 'POST', '/api/v1/topics', { title: '小区停车议题', body: '停车难', region_code: COMM1, procedure: 'six_step' });
    const p = await project('shequ', {
      region_code: GRID1,
      title: '阳光小区停车位改造',
      kind: 'livelihood',
      budget_fen: 300_000_00,
      responsible_unit: '城管执法',
      description: '说明不公开：联系人张三',
      starts_on: '2026-12-01',
      ends_on: '2027-06-30',
      link_kind: 'topic',
      link_id: topic.id,
    });
    const up = await uploadPhoto(url, s.shequ, pngBytes(43));
    const ms = [];
    for (const [title, due] of [
      ['方案公示', '2026-12-15'],
      ['施工', '2027-03-31'],
    ])
      ms.push((await must('shequ', 'POST', `/api/v1/projects/${p.id}/milestones`, { title, due_on: due })).milestone_list.find((m) => m.title === title));
    await must('shequ', 'PATCH', `/api/v1/projects/${p.id}/milestones/${ms[0].id}`, { done_on: '2026-12-14', photos: [up.json.hash] }, 200);
    await must('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 50_000_00, spent_on: '2026-12-20', note: '付给李四的设计费' });
    const planned = await project('shequ', { title: '尚未启动的项目' });
    const far = await project('admin', { region_code: COMM2, title: '和平社区公开项目' });
    await must('admin', 'POST', `/api/v1/projects/${far.id}/actions`, { action: 'start' }, 200);
    const disclosed = async (code) => {
      const res = await api(url, 'GET', `/api/v1/public/regions/${code}/disclosures`);
      assert.equal(res.status, 200, res.text.slice(0, 200));
      return res;
    };
    let res = await disclosed(COMM1);
    assert.ok(!res.json.projects.some((x) => x.id === p.id), 'a planned project is not disclosed');
    await must('shequ', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'start' }, 200);
    await must('shequ', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'suspend', comment: '王五反对' }, 200);
    assert.ok(!(await disclosed(COMM1)).json.projects.some((x) => x.id === p.id), 'nor a suspended one');
    await must('shequ', 'POST', `/api/v1/projects/${p.id}/actions`, { action: 'resume' }, 200);
    res = await disclosed(COMM1);
    const x = res.json.projects.find((y) => y.id === p.id);
    assert.ok(x, 'the project underway is disclosed');
    assert.deepEqual(
      { ...x, milestones: undefined },
      {
        id: p.id,
        title: '阳光小区停车位改造',
        region_code: GRID1,
        region_name: x.region_name,
        kind: 'livelihood',
        kind_name: '民生实事',
        budget_fen: 300_000_00,
        spent_fen: 50_000_00,
        over_budget: false,
        responsible_unit: '城管执法',
        state: 'underway',
        state_name: x.state_name,
        starts_on: '2026-12-01',
        ends_on: '2027-06-30',
        progress: 50,
        topic_id: topic.id,
        milestones: undefined,
      },
    );
    assert.ok(x.region_name && x.state_name);
    assert.deepEqual(x.milestones, [
      { title: '方案公示', due_on: '2026-12-15', done_on: '2026-12-14' },
      { title: '施工', due_on: '2027-03-31', done_on: null },
    ]);
    assert.ok(!res.json.projects.some((y) => y.id === planned.id || y.id === far.id), "not planned ones, not another community's");
    assert.ok((await disclosed(GRID1)).json.projects.some((y) => y.id === p.id), 'the grid page too');
    assert.ok((await disclosed(COMM2)).json.projects.some((y) => y.id === far.id));
    // no personal data: no names of staff, no ids of users, no history, notes, description or photos
    const text = res.text;
    const names = [];
    for (const who of ['shequ', 'jiedao', 'admin', 'chengguan']) names.push((await must(who, 'GET', '/api/v1/me', undefined, 200)).display_name);
    assert.ok(names.every((n) => n && n.length > 1), names.join());
    for (const n of [...names, '张三', '李四', '王五', up.json.hash]) assert.ok(!text.includes(n), `no ${n}`);
    for (const k of ['user_id', 'created_by', 'actor', 'timeline', 'spending', 'comment', 'note', 'description', 'photos', 'actions', 'over_budget_reason'])
      assert.ok(!JSON.stringify(res.json.projects).includes(`"${k}"`), `no ${k}`);
  });

  test('spending: append-only, never above the budget without a reason', async () => {
    const p = await project('shequ', { title: '政府购买养老服务', kind: 'purchase', budget_fen: 1000_00 });
    let r = await must('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 600_00, spent_on: '2026-12-01', note: '第一期服务费' });
    assert.equal(r.spent_fen, 600_00);
    r = await must('chengguan', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 400_00, spent_on: '2026-12-02', note: '第二期服务费' });
    assert.equal(r.spent_fen, 1000_00);
    assert.equal(r.over_budget, false);
    let res = await call('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 1, spent_on: '2026-12-03', note: '超出一分' });
    assert.deepEqual(fields422(res), ['over_budget_reason']);
    res = await call('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 1, spent_on: '2026-12-03', note: '超出一分', over_budget_reason: '' });
    assert.deepEqual(fields422(res), ['over_budget_reason']);
    assert.equal((await must('shequ', 'GET', `/api/v1/projects/${p.id}`, undefined, 200)).spent_fen, 1000_00, 'nothing written');
    r = await must('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 50_00, spent_on: '2026-12-03', note: '追加服务', over_budget_reason: '冬季加开夜间巡访' });
    assert.equal(r.spent_fen, 1050_00);
    assert.equal(r.over_budget, true);
    assert.deepEqual(
      r.spending.map((x) => [x.amount_fen, x.over_budget_reason]),
      [
        [600_00, null],
        [400_00, null],
        [50_00, '冬季加开夜间巡访'],
      ],
    );
    for (const [body, field] of [
      [{ amount_fen: 0, spent_on: '2026-12-03', note: 'x' }, 'amount_fen'],
      [{ amount_fen: 1, spent_on: '12/03', note: 'x' }, 'spent_on'],
      [{ amount_fen: 1, spent_on: '2026-12-03' }, 'note'],
    ])
      assert.ok(fields422(await call('shequ', 'POST', `/api/v1/projects/${p.id}/spending`, body)).includes(field), field);
    assertProblem(await call('dudao', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 1, spent_on: '2026-12-03', note: 'x' }), 403);
    assertProblem(await call('dept_p2', 'POST', `/api/v1/projects/${p.id}/spending`, { amount_fen: 1, spent_on: '2026-12-03', note: 'x' }), 404);
    // no route edits or deletes an entry
    assertProblem(await call('admin', 'DELETE', `/api/v1/projects/${p.id}/spending`), [404, 405]);
    // concurrent entries cannot both pass the budget
    const q = await project('shequ', { title: '并发支出', budget_fen: 100 });
    const all = await Promise.all(
      Array.from({ length: 10 }, () => call('shequ', 'POST', `/api/v1/projects/${q.id}/spending`, { amount_fen: 30, spent_on: '2026-12-03', note: '并发' })),
    );
    assert.equal(all.filter((x) => x.status === 201).length, 3, all.map((x) => x.status).join(','));
    assert.equal((await must('shequ', 'GET', `/api/v1/projects/${q.id}`, undefined, 200)).spent_fen, 90);
  });

  test('links: a topic, a campaign or a commitment that exists and lies in scope', async () => {
    const topic = await must('shequ', 'POST', '/api/v1/topics', { title: '加装电梯议题', body: '三号楼加装电梯', region_code: COMM1, procedure: 'six_step' });
    const farTopic = await must('admin', 'POST', '/api/v1/topics', { title: '和平社区议题', body: 'x', region_code: COMM2, procedure: 'six_step' });
    const camp = await must('jiedao', 'POST', '/api/v1/campaigns', { region_code: STREET1, title: '背街小巷整治', starts_on: '2026-12-01', ends_on: '2027-03-01', lead_unit: '城管执法' });
    const farCamp = await must('admin', 'POST', '/api/v1/campaigns', { region_code: STREET2, title: '和平街道整治', starts_on: '2026-12-01', ends_on: '2027-03-01', lead_unit: '城管执法' });
    const pairings = (await must('admin', 'GET', '/api/v1/pairings?limit=200', undefined, 200)).items;
    const near = pairings.find((x) => x.region_code?.startsWith(COMM1));
    const far = pairings.find((x) => x.region_code && !x.region_code.startsWith(STREET1));
    assert.ok(near && far, 'the demo has pairings in both streets');
    const nearC = (await must('admin', 'GET', `/api/v1/pairings/${near.id}`, undefined, 200)).commitments[0].id;
    const farC = (await must('admin', 'GET', `/api/v1/pairings/${far.id}`, undefined, 200)).commitments[0].id;

    const made = {};
    for (const [kind, id] of [
      ['topic', topic.id],
      ['campaign', camp.id],
      ['commitment', nearC],
    ]) {
      const p = await project('shequ', { title: `来自${kind}的项目`, link_kind: kind, link_id: id });
      assert.deepEqual([p.link.kind, p.link.id], [kind, id]);
      made[kind] = p.id;
    }
    for (const [kind, id] of [
      ['topic', farTopic.id],
      ['campaign', farCamp.id],
      ['commitment', farC],
    ])
      assertProblem(await call('shequ', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x', link_kind: kind, link_id: id }), 403, kind);
    for (const kind of ['topic', 'campaign', 'commitment'])
      assert.deepEqual(
        fields422(await call('shequ', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x', link_kind: kind, link_id: 99999999 })),
        ['link_id'],
        kind,
      );
    assertProblem(await call('shequ', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x', link_kind: 'case', link_id: 1 }), 422);
    assertProblem(await call('shequ', 'POST', '/api/v1/projects', { region_code: COMM1, kind: 'other', title: 'x', budget_fen: 1, responsible_unit: 'x', link_kind: 'topic' }), 422);
    // the linked record's page lists its projects
    for (const [kind, id] of [
      ['topic', topic.id],
      ['campaign', camp.id],
      ['commitment', nearC],
    ]) {
      const list = await must('shequ', 'GET', `/api/v1/projects?link_kind=${kind}&link_id=${id}`, undefined, 200);
      assert.deepEqual(
        list.items.map((x) => x.id),
        [made[kind]],
        kind,
      );
    }
    // the link names what it is, and a commitment its pairing (the page that lists it)
    const byId = async (id) => must('shequ', 'GET', `/api/v1/projects/${id}`, undefined, 200);
    assert.equal((await byId(made.topic)).link.title, '加装电梯议题');
    assert.equal((await byId(made.campaign)).link.title, '背街小巷整治');
    assert.equal((await byId(made.commitment)).link.pairing_id, near.id);
    // a pairing's page lists the projects of its commitments; another pairing's none of them
    const ofPairing = await must('shequ', 'GET', `/api/v1/projects?pairing_id=${near.id}&limit=200`, undefined, 200);
    assert.deepEqual(
      ofPairing.items.map((x) => x.id),
      [made.commitment],
    );
    assert.deepEqual((await must('admin', 'GET', `/api/v1/projects?pairing_id=${far.id}`, undefined, 200)).items, []);
    // the filters keep to the caller's scope
    for (const q of [`link_kind=topic&link_id=${topic.id}`, `pairing_id=${near.id}`]) assert.deepEqual((await must('shequ_p2', 'GET', `/api/v1/projects?${q}`, undefined, 200)).items, [], q);
    assertProblem(await call('shequ', 'GET', '/api/v1/projects?pairing_id=1abc'), 400);
  });

  test('the list pages with a cursor; the export is a workbook', async () => {
    // (other tests put projects in grid 1 too: count those made here)
    for (let i = 0; i < 5; i++) await project('shequ', { region_code: GRID1, title: `网格微项目${i}`, kind: 'other', budget_fen: 1000 });
    const seen = new Set();
    let mine = 0,
      cursor = null,
      pages = 0;
    do {
      const r = await must('shequ', 'GET', `/api/v1/projects?region=${GRID1}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, 200);
      for (const x of r.items) {
        assert.ok(!seen.has(x.id));
        assert.ok(x.region_code.startsWith(GRID1));
        seen.add(x.id);
        if (x.title.startsWith('网格微项目')) mine++;
      }
      cursor = r.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(mine, 5);
    const res = await call('shequ', 'GET', `/api/v1/projects/export?region=${COMM1}`);
    assert.equal(res.status, 200, res.text.slice(0, 200));
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    assertProblem(await call('jumin', 'GET', '/api/v1/projects/export'), 403);
    assertProblem(await call('shequ', 'GET', '/api/v1/projects/export?format=doc'), 400);
  });
});
