// Projects (民生实事, 老旧小区改造, 政府购买服务): scope for every role, state moves and their
// refusals (409 for the state, 403 for the role), the budget rule (a total above the budget
// needs an over-budget reason; spending is append-only), progress derived from milestones,
// links to a topic, a campaign or a pairing commitment that must exist and lie in scope, the
// list filters and the workbook export.
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
      assert.deepEqual(p.link, { kind, id });
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
  });

  test('the list pages with a cursor; the export is a workbook', async () => {
    for (let i = 0; i < 5; i++) await project('shequ', { region_code: GRID1, title: `网格微项目${i}`, kind: 'other', budget_fen: 1000 });
    const seen = new Set();
    let cursor = null,
      pages = 0;
    do {
      const r = await must('shequ', 'GET', `/api/v1/projects?region=${GRID1}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, 200);
      for (const x of r.items) {
        assert.ok(!seen.has(x.id));
        assert.ok(x.region_code.startsWith(GRID1));
        seen.add(x.id);
      }
      cursor = r.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(seen.size, 5);
    const res = await call('shequ', 'GET', `/api/v1/projects/export?region=${COMM1}`);
    assert.equal(res.status, 200, res.text.slice(0, 200));
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    assertProblem(await call('jumin', 'GET', '/api/v1/projects/export'), 403);
    assertProblem(await call('shequ', 'GET', '/api/v1/projects/export?format=doc'), 400);
  });
});
