// A joint meeting's decision dispatched as a case (派发案件, issue 12 item 5): the case comes
// through the report path of POST /cases (number, routing, timeline) with source "meeting",
// the decision links to it and the case back to the meeting; a second dispatch is 409; the
// grid must be a grid in the meeting's region and the caller's (422), the caller a manager
// of the meeting's region (403); POST /cases still refuses source "meeting"; audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, GRID2, STREET2, api, assertProblem, errorFields, signInDemo, startServer } from './harness.mjs';
import { report } from './cases-lib.mjs';
import { auditEntries } from './base-lib.mjs';

const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const OUT_GRID = `${STREET2}001001`;

describe('meeting decisions dispatched as cases', { timeout: 120_000 }, () => {
  let srv, url;
  const s = {};
  let m;
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge', 'zhihui']) s[u] = await signInDemo(url, u);
    const res = await call('jiedao', 'POST', '/api/v1/meetings', {
      region_code: COMM1,
      held_on: day(0),
      title: '派发测试联席会议',
      units: ['街道综治办', '城管执法'],
      decisions: ['清理一号楼楼道堆物', '修复二号楼路灯', '物业每周巡查'],
    });
    assert.equal(res.status, 201, res.text);
    m = res.json;
  });
  after(async () => {
    await srv?.stop();
  });

  test('a decision becomes a case through the report path, linked both ways', async () => {
    const res = await call('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/1/case`, { category: 'environment', region_code: GRID1 });
    assert.equal(res.status, 201, res.text);
    const c = res.json;
    assert.match(c.number, /^SJ\d{8}\d{6}$/);
    assert.equal(c.source, 'meeting');
    assert.equal(c.region_code, GRID1);
    assert.equal(c.description, '清理一号楼楼道堆物', 'the decision text when no description is given');
    assert.deepEqual(c.meeting, { id: m.id, decision: 1, title: '派发测试联席会议', held_on: day(0) });

    const detail = await call('jiedao', 'GET', `/api/v1/cases/${c.id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.deepEqual(detail.json.meeting, { id: m.id, decision: 1, title: '派发测试联席会议', held_on: day(0) });
    assert.equal(detail.json.timeline[0].action, 'report');
    assert.match(detail.json.timeline[0].note, /联席会议决定/);

    const back = await call('jiedao', 'GET', `/api/v1/meetings/${m.id}`);
    assert.deepEqual(
      back.json.decisions.map((d) => [d.n, d.case_id, d.case_number ?? null]),
      [
        [1, c.id, c.number],
        [2, null, null],
        [3, null, null],
      ],
    );

    // with a description of its own
    const d2 = await call('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/2/case`, {
      category: 'environment',
      region_code: GRID2,
      description: '二号楼路灯不亮，需修复',
    });
    assert.equal(d2.status, 201, d2.text);
    assert.equal(d2.json.description, '二号楼路灯不亮，需修复');

    // a case reported the ordinary way names no meeting
    const plain = (await report(url, s.jiedao, { region_code: GRID1 })).json;
    const pd = await call('jiedao', 'GET', `/api/v1/cases/${plain.id}`);
    assert.equal(pd.json.meeting, undefined);
  });

  test('a second dispatch of the same decision is 409 and makes no case', async () => {
    const newest = async () => (await call('admin', 'GET', '/api/v1/cases?limit=1')).json.items[0].id;
    const before = await newest();
    const res = await call('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/1/case`, { category: 'environment', region_code: GRID1 });
    assertProblem(res, 409);
    assert.equal(await newest(), before, 'no case was made');
  });

  test('bad input names the fields; scope and roles are checked', async () => {
    const path = `/api/v1/meetings/${m.id}/decisions/3/case`;
    let res = await call('jiedao', 'POST', path, { region_code: COMM1 });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res).sort(), ['category', 'region_code']);
    res = await call('jiedao', 'POST', path, { category: 'environment', region_code: OUT_GRID });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['region_code']);
    res = await call('jiedao', 'POST', path, { category: 'no-such-category', region_code: GRID1 });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['category']);
    res = await call('jiedao', 'POST', path, { category: 42, region_code: GRID1 });
    assertProblem(res, 400);
    assertProblem(
      await call('jiedao', 'POST', `/api/v1/meetings/${m.id}/decisions/9/case`, { category: 'environment', region_code: GRID1 }),
      404,
    );
    // a grid worker reads the meeting but does not dispatch; a community manager of another
    // community does not see it
    assertProblem(await call('wangge', 'POST', path, { category: 'environment', region_code: GRID1 }), 403);
    // nothing was made of decision 3
    const back = await call('jiedao', 'GET', `/api/v1/meetings/${m.id}`);
    assert.equal(back.json.decisions[2].case_id, null);
    // the district manager above the street may dispatch it
    res = await call('zhihui', 'POST', path, { category: 'environment', region_code: GRID2 });
    assert.equal(res.status, 201, res.text);
  });

  test('POST /cases still refuses the source "meeting"', async () => {
    const res = await call('jiedao', 'POST', '/api/v1/cases', {
      category: 'environment',
      description: '自称会议',
      region_code: GRID1,
      source: 'meeting',
    });
    assertProblem(res, 422);
    assert.deepEqual(errorFields(res), ['source']);
  });

  test('the dispatch is audited with the meeting, decision and case', async () => {
    const entries = await auditEntries(url, s.admin, 200);
    const e = entries.find((x) => x.action === 'meeting.decision.case' && x.object === `meeting:${m.id}`);
    assert.ok(e, 'meeting.decision.case');
    assert.match(e.detail ?? '', /decision=\d case=\d+ number=SJ/);
  });
});
