// Online services (在线办理): the service catalogue per level, a resident's application with
// photos of documents, the flow accept / ask for more / supplement / complete / refuse /
// withdraw / rate as the table in domain/service_flow.c has it (409 for a state, 403 for a
// role, nothing changes), deadlines in working days on the calendar (a holiday put on the
// next working day moves them), overdue by as_of, the applicant told through the outbox,
// and scope: a resident sees only their own, staff of another community 404, photos read
// only by those who may read the request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, GRID2, STREET1, api, assertProblem, errorFields, revocationSettled, signInDemo, startServer } from './harness.mjs';
import { createUser, pngBytes, uploadPhoto } from './cases-lib.mjs';

const OTHER_COMM = '999901001002';
const DAY = 86400e3;
const localDay = (t) => Math.floor((t + 8 * 3600e3) / DAY);
const dateOf = (d) => new Date(d * DAY).toISOString().slice(0, 10);
const fields422 = (res) => (assertProblem(res, 422), errorFields(res));
const weekday = (d) => (d + 3) % 7; // 0 = Monday
const endOf = (d) => d * DAY + DAY - 1000 - 8 * 3600e3;

describe('service items and online service requests', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const act = (who, id, body, status = 200) => must(who, 'POST', `/api/v1/service-requests/${id}/actions`, body, status);
  const items = {};
  const pid = process.pid;
  let calendar; // day → true (working) / false (off) for the exceptions

  const working = (d) => (calendar.has(d) ? calendar.get(d) : weekday(d) < 5);
  // The due day of a request started at t with a limit of n working days.
  const dueDay = (t, n) => {
    let d = localDay(t);
    if (!working(d)) {
      while (!working(d)) d++;
      n--;
    }
    while (n > 0) {
      d++;
      if (working(d)) n--;
    }
    return d;
  };
  const loadCalendar = async () => {
    calendar = new Map();
    const y = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
    for (const year of [y, y + 1]) {
      const res = await must('admin', 'GET', `/api/v1/calendar?year=${year}`, undefined, 200);
      for (const c of res.items) calendar.set(Math.round(Date.parse(`${c.date}T00:00:00Z`) / DAY), c.kind === 'workday');
    }
  };

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge', 'jumin']) s[u] = await signInDemo(url, u);
    s.jumin2 = await createUser(url, s.admin, { username: `sr_jm${pid}`, role: 'resident', region: GRID2 });
    s.other = await createUser(url, s.admin, { username: `sr_sq${pid}`, role: 'community', region: OTHER_COMM });
    s.otherres = await createUser(url, s.admin, { username: `sr_or${pid}`, role: 'resident', region: `${OTHER_COMM}001` });
  });
  after(async () => {
    await srv?.stop();
  });

  test('managers keep the catalogue of their level and region; the input is checked', async () => {
    items.comm = await must('shequ', 'POST', '/api/v1/service-items', {
      level: 'community',
      region_code: COMM1,
      name: `居住证明开具${pid}`,
      materials: ['身份证', '户口簿'],
      time_limit_days: 3,
    });
    assert.deepEqual(items.comm.materials, ['身份证', '户口簿']);
    assert.equal(items.comm.active, true);
    assert.equal(items.comm.time_limit_days, 3);
    items.street = await must('jiedao', 'POST', '/api/v1/service-items', {
      level: 'street',
      region_code: STREET1,
      name: `高龄津贴申领${pid}`,
      materials: ['身份证'],
      time_limit_days: 10,
      description: '80 周岁以上老人',
    });
    items.other = await must('other', 'POST', '/api/v1/service-items', {
      level: 'community',
      region_code: OTHER_COMM,
      name: `别的社区事项${pid}`,
      time_limit_days: 5,
    });
    assert.deepEqual(items.other.materials, []);
    const base = { level: 'community', region_code: COMM1, name: 'x', time_limit_days: 3 };
    // a community manager cannot publish at the street; a grid worker or a resident not at all
    assertProblem(await call('shequ', 'POST', '/api/v1/service-items', { ...base, level: 'street', region_code: STREET1 }), 403);
    assertProblem(await call('other', 'POST', '/api/v1/service-items', base), 403);
    assertProblem(await call('wangge', 'POST', '/api/v1/service-items', base), 403);
    assertProblem(await call('jumin', 'POST', '/api/v1/service-items', base), 403);
    // the level must match the region; limits and types
    assert.deepEqual(fields422(await call('jiedao', 'POST', '/api/v1/service-items', { ...base, level: 'street' })), ['region_code']);
    assertProblem(await call('shequ', 'POST', '/api/v1/service-items', { ...base, level: 'grid' }), 422);
    assertProblem(await call('shequ', 'POST', '/api/v1/service-items', { ...base, time_limit_days: 0 }), 422);
    assertProblem(await call('shequ', 'POST', '/api/v1/service-items', { ...base, time_limit_days: 61 }), 422);
    assertProblem(await call('shequ', 'POST', '/api/v1/service-items', { ...base, materials: '身份证' }), 400);
    assertProblem(await call('shequ', 'POST', '/api/v1/service-items', { ...base, materials: [1] }), 400);
    assertProblem(await call('shequ', 'POST', '/api/v1/service-items', { ...base, name: items.comm.name }), 422);
    // edit
    const p = await must('shequ', 'PATCH', `/api/v1/service-items/${items.comm.id}`, { materials: ['身份证', '户口簿', '租房合同'] }, 200);
    assert.equal(p.materials.length, 3);
    assertProblem(await call('other', 'PATCH', `/api/v1/service-items/${items.comm.id}`, { time_limit_days: 4 }), 404);
    assertProblem(await call('wangge', 'PATCH', `/api/v1/service-items/${items.comm.id}`, { time_limit_days: 4 }), 403);
    assertProblem(await call('shequ', 'PATCH', `/api/v1/service-items/${items.comm.id}`, { region_code: STREET1 }), 422);
    assertProblem(await call('shequ', 'PATCH', `/api/v1/service-items/${items.comm.id}`, { name: ' ' }), 422);
  });

  test('residents list the active items of their community and street, not another community', async () => {
    const seen = async (who) => (await must(who, 'GET', '/api/v1/service-items?limit=200', undefined, 200)).items.map((x) => x.id);
    let mine = await seen('jumin');
    assert.ok(mine.includes(items.comm.id) && mine.includes(items.street.id), 'community and street items');
    assert.ok(!mine.includes(items.other.id), "not another community's");
    assert.ok(!(await seen('otherres')).includes(items.comm.id));
    assert.ok((await seen('otherres')).includes(items.street.id), 'the street item reaches every community of the street');
    // staff list what they keep
    const staff = await seen('shequ');
    assert.ok(staff.includes(items.comm.id) && !staff.includes(items.other.id));
    // withdrawn from the catalogue: gone for residents (also by id), still there for staff
    const off = await must('shequ', 'POST', '/api/v1/service-items', {
      level: 'community',
      region_code: COMM1,
      name: `停办${pid}`,
      time_limit_days: 2,
    });
    await must('shequ', 'PATCH', `/api/v1/service-items/${off.id}`, { active: false }, 200);
    mine = await seen('jumin');
    assert.ok(!mine.includes(off.id));
    assertProblem(await call('jumin', 'GET', `/api/v1/service-items/${off.id}`), 404);
    assert.equal((await must('shequ', 'GET', `/api/v1/service-items/${off.id}`, undefined, 200)).active, false);
    assert.ok((await must('shequ', 'GET', '/api/v1/service-items?all=true&limit=200', undefined, 200)).items.some((x) => x.id === off.id));
    assertProblem(await call('jumin', 'GET', `/api/v1/service-items/${items.other.id}`), 404);
    assertProblem(await call('jumin', 'POST', '/api/v1/service-requests', { item_id: off.id }), 422);
    assertProblem(await call('jumin', 'GET', '/api/v1/service-items?cursor=bogus'), 400);
  });

  test('apply, accept, ask for more, supplement, complete and rate; the table decides 409 and 403', async () => {
    await loadCalendar();
    const hash = (await uploadPhoto(url, s.jumin, pngBytes(2501))).json.hash;
    const t0 = Date.now();
    const q = await must('jumin', 'POST', '/api/v1/service-requests', { item_id: items.comm.id, note: '开居住证明', photos: [hash] });
    assert.equal(q.status, 'submitted');
    assert.deepEqual(q.photos, [hash]);
    assert.equal(q.item_name, items.comm.name);
    assert.equal(q.region_code, GRID1);
    // the application records the person the account speaks for (users.resident_id)
    const me = await must('jumin', 'GET', '/api/v1/me', undefined, 200);
    assert.ok(me.resident_id, 'the demo resident account is linked');
    assert.equal(q.resident_id, me.resident_id);
    assert.equal(Number(srv.sql(`SELECT resident_id FROM service_requests WHERE id = ${q.id}`)), me.resident_id);
    // an account linked to no resident applies too, and records none
    const unlinked = await must('jumin2', 'POST', '/api/v1/service-requests', { item_id: items.comm.id, note: '未关联' });
    assert.equal(unlinked.resident_id, null);
    assert.equal(srv.sql(`SELECT coalesce(resident_id, 0) FROM service_requests WHERE id = ${unlinked.id}`).trim(), '0');
    assert.equal(Date.parse(q.due_at), endOf(dueDay(t0, 3)), `due ${q.due_at}`);
    assert.equal(q.timeline.length, 1);
    assert.equal(q.timeline[0].action, 'submit');
    assert.deepEqual(q.actions, ['withdraw']);
    // staff see it with their actions
    const staffView = await must('shequ', 'GET', `/api/v1/service-requests/${q.id}`, undefined, 200);
    assert.deepEqual(staffView.actions, ['accept', 'ask_more', 'refuse']);
    // roles: the resident cannot accept (403), staff cannot supplement or rate (403)
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'accept' }), 403);
    // a state that does not allow it: 409, nothing changes
    assertProblem(await call('shequ', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'complete' }), 409);
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'rate', rating: 5 }), 409);
    assertProblem(await call('shequ', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'fly' }), 422);
    assertProblem(await call('shequ', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 3 }), 400);
    // the street's managers reach it too (their subtree); another community's do not
    assert.deepEqual((await must('jiedao', 'GET', `/api/v1/service-requests/${q.id}`, undefined, 200)).actions, [
      'accept',
      'ask_more',
      'refuse',
    ]);
    // a grid worker reads it, but the route is for managers and residents
    assertProblem(await call('wangge', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'accept' }), 403);
    assert.equal((await must('wangge', 'GET', `/api/v1/service-requests/${q.id}`, undefined, 200)).status, 'submitted');
    let r = await act('shequ', q.id, { action: 'accept', comment: '已受理' });
    assert.equal(r.status, 'accepted');
    assert.equal(r.due_at, q.due_at, 'accepting keeps the deadline');
    // ask for more needs a reason
    assert.deepEqual(fields422(await call('shequ', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'ask_more' })), [
      'comment',
    ]);
    r = await act('shequ', q.id, { action: 'ask_more', comment: '请补充租房合同' });
    assert.equal(r.status, 'more_needed');
    assert.equal(r.deadline_level, null, 'the clock stops while waiting for the applicant');
    assert.deepEqual(r.actions, ['refuse']);
    // the applicant answers: needs a note or photos; someone else's photo is refused
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'supplement' }), 422);
    const theirs = (await uploadPhoto(url, s.jumin2, pngBytes(2502))).json.hash;
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'supplement', photos: [theirs] }), 422);
    const more = (await uploadPhoto(url, s.jumin, pngBytes(2503))).json.hash;
    const t1 = Date.now();
    r = await act('jumin', q.id, { action: 'supplement', comment: '已补充合同', photos: [more] });
    assert.equal(r.status, 'submitted');
    assert.equal(Date.parse(r.due_at), endOf(dueDay(t1, 3)), 'the clock starts again from the supplement');
    r = await act('shequ', q.id, { action: 'accept' });
    r = await act('shequ', q.id, { action: 'complete', comment: '证明已开具，请到社区领取' });
    assert.equal(r.status, 'completed');
    assert.ok(r.closed_at);
    assert.deepEqual(r.actions, []);
    const mine = await must('jumin', 'GET', `/api/v1/service-requests/${q.id}`, undefined, 200);
    assert.deepEqual(mine.actions, ['rate']);
    // rating 1–5, once
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'rate', rating: 6 }), 422);
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'rate' }), 422);
    assertProblem(await call('shequ', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'rate', rating: 5 }), 403);
    r = await act('jumin', q.id, { action: 'rate', rating: 5, comment: '很快' });
    assert.equal(r.rating, 5);
    assert.equal(r.rating_comment, '很快');
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'rate', rating: 1 }), 409);
    assert.equal((await must('jumin', 'GET', `/api/v1/service-requests/${q.id}`, undefined, 200)).rating, 5);
    // the timeline: one entry per step, in order
    assert.deepEqual(
      r.timeline.map((e) => [e.action, e.from, e.to]),
      [
        ['submit', null, 'submitted'],
        ['accept', 'submitted', 'accepted'],
        ['ask_more', 'accepted', 'more_needed'],
        ['supplement', 'more_needed', 'submitted'],
        ['accept', 'submitted', 'accepted'],
        ['complete', 'accepted', 'completed'],
        ['rate', 'completed', 'completed'],
      ],
    );
    assert.equal(r.timeline[1].role, 'community');
    assert.equal(r.timeline[3].role, 'resident');
    assert.deepEqual(r.timeline[3].photos, [more]);
    // the timeline is append-only in the database too
    assert.throws(() => srv.sql(`UPDATE service_request_events SET comment = 'x' WHERE request_id = ${q.id}`));
    // the applicant was told, through the notification outbox
    const notes = await must('jumin', 'GET', '/api/v1/notifications?limit=50', undefined, 200);
    const mineNotes = notes.items.filter((n) => n.kind === 'service_request' && n.title.includes(items.comm.name));
    assert.ok(mineNotes.length >= 4, `the applicant's notifications: ${mineNotes.length}`);
    assert.ok(mineNotes.some((n) => n.body.includes('请补充租房合同')));
    // photos: the applicant and the handling staff read them; another resident or another
    // community's staff do not
    const read = (who, h) => api(url, 'GET', `/api/v1/photos/${h}`, s[who]);
    assert.equal((await read('shequ', more)).status, 200);
    assert.equal((await read('jumin', more)).status, 200);
    assert.equal((await read('jiedao', hash)).status, 200);
    assertProblem(await read('jumin2', more), 404);
    assertProblem(await read('other', hash), 404);
  });

  test('refuse needs a reason and ends it; the applicant withdraws; nothing follows', async () => {
    const a = await must('jumin', 'POST', '/api/v1/service-requests', { item_id: items.street.id, note: '申领高龄津贴' });
    assert.deepEqual(fields422(await call('jiedao', 'POST', `/api/v1/service-requests/${a.id}/actions`, { action: 'refuse' })), [
      'comment',
    ]);
    // the community does not handle a street item
    assertProblem(await call('shequ', 'POST', `/api/v1/service-requests/${a.id}/actions`, { action: 'refuse', comment: 'x' }), 403);
    let r = await act('jiedao', a.id, { action: 'refuse', comment: '年龄未满 80 周岁' });
    assert.equal(r.status, 'refused');
    assert.equal(r.timeline.at(-1).comment, '年龄未满 80 周岁');
    for (const action of ['accept', 'complete', 'ask_more', 'refuse'])
      assertProblem(await call('jiedao', 'POST', `/api/v1/service-requests/${a.id}/actions`, { action, comment: 'x' }), 409);
    assertProblem(await call('jumin', 'POST', `/api/v1/service-requests/${a.id}/actions`, { action: 'withdraw' }), 409);
    const b = await must('jumin', 'POST', '/api/v1/service-requests', { item_id: items.comm.id });
    r = await act('jumin', b.id, { action: 'withdraw' });
    assert.equal(r.status, 'withdrawn');
    assertProblem(await call('shequ', 'POST', `/api/v1/service-requests/${b.id}/actions`, { action: 'accept' }), 409);
    assert.equal((await must('shequ', 'GET', `/api/v1/service-requests/${b.id}`, undefined, 200)).status, 'withdrawn');
    // lists filter by state
    const refused = await must('jiedao', 'GET', `/api/v1/service-requests?status=refused&limit=200`, undefined, 200);
    assert.ok(refused.items.some((x) => x.id === a.id) && refused.items.every((x) => x.status === 'refused'));
    assertProblem(await call('jiedao', 'GET', '/api/v1/service-requests?status=closed'), 400);
    assertProblem(await call('jiedao', 'GET', '/api/v1/service-requests?overdue=yes'), 400);
    assertProblem(await call('jiedao', 'GET', '/api/v1/service-requests?as_of=2026-13-01'), 400);
  });

  test('scope: a resident sees only their own; staff of another community see none of them', async () => {
    const q = await must('jumin', 'POST', '/api/v1/service-requests', { item_id: items.comm.id, note: '范围测试' });
    assertProblem(await call('jumin2', 'GET', `/api/v1/service-requests/${q.id}`), 404);
    assertProblem(await call('jumin2', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'withdraw' }), 404);
    assertProblem(await call('other', 'GET', `/api/v1/service-requests/${q.id}`), 404);
    assertProblem(await call('other', 'POST', `/api/v1/service-requests/${q.id}/actions`, { action: 'accept' }), 404);
    const list2 = await must('jumin2', 'GET', '/api/v1/service-requests?limit=200', undefined, 200);
    assert.ok(!list2.items.some((x) => x.id === q.id));
    const mine = await must('jumin', 'GET', '/api/v1/service-requests?limit=200', undefined, 200);
    assert.ok(mine.items.some((x) => x.id === q.id));
    assert.ok(mine.items.every((x) => x.region_code === GRID1));
    const others = await must('other', 'GET', '/api/v1/service-requests?limit=200', undefined, 200);
    assert.ok(!others.items.some((x) => x.id === q.id));
    // the other community's item is not for this resident; staff do not apply
    assertProblem(await call('jumin', 'POST', '/api/v1/service-requests', { item_id: items.other.id }), 422);
    assertProblem(await call('shequ', 'POST', '/api/v1/service-requests', { item_id: items.comm.id }), 403);
    assertProblem(await call('jumin', 'POST', '/api/v1/service-requests', { item_id: 'x' }), 400);
    assertProblem(await call('jumin', 'GET', '/api/v1/service-requests/99999999'), 404);
    assertProblem(await call('jumin', 'GET', '/api/v1/service-requests/1x'), 404);
    // a resident's own list pages by cursor
    const p1 = await must('jumin', 'GET', '/api/v1/service-requests?limit=1', undefined, 200);
    assert.ok(p1.next_cursor);
    const p2 = await must('jumin', 'GET', `/api/v1/service-requests?limit=1&cursor=${encodeURIComponent(p1.next_cursor)}`, undefined, 200);
    assert.ok(p2.items[0].id < p1.items[0].id);
  });

  test('deadlines in working days follow the calendar; overdue by as_of', async () => {
    // A holiday on the next working weekday after today moves every new deadline a day on.
    let h = localDay(Date.now()) + 1;
    while (weekday(h) >= 5) h++;
    const put = await call('admin', 'PUT', `/api/v1/calendar/${dateOf(h)}`, { kind: 'holiday', name: '办事测试假日' });
    assert.ok([200, 201].includes(put.status), put.text);
    await revocationSettled();
    await loadCalendar();
    assert.equal(working(h), false);
    const item = await must('shequ', 'POST', '/api/v1/service-items', {
      level: 'community',
      region_code: COMM1,
      name: `两日办结${pid}`,
      time_limit_days: 2,
    });
    const t0 = Date.now();
    const q = await must('jumin', 'POST', '/api/v1/service-requests', { item_id: item.id });
    const due = dueDay(t0, 2);
    assert.equal(Date.parse(q.due_at), endOf(due));
    // without the holiday it would be a working day earlier (or as early)
    calendar.delete(h);
    assert.ok(dueDay(t0, 2) < due, 'the holiday counted');
    await loadCalendar();
    const overdue = async (asOf) =>
      (await must('shequ', 'GET', `/api/v1/service-requests?overdue=true&as_of=${dateOf(asOf)}&limit=200`, undefined, 200)).items.map(
        (x) => x.id,
      );
    assert.ok(!(await overdue(due)).includes(q.id), 'due that day: not overdue yet');
    assert.ok((await overdue(due + 1)).includes(q.id), 'overdue the day after');
    assert.ok(
      !(await must('shequ', 'GET', '/api/v1/service-requests?overdue=true&limit=200', undefined, 200)).items.some((x) => x.id === q.id),
    );
    // waiting for the applicant, or done, is not overdue
    await act('shequ', q.id, { action: 'ask_more', comment: '缺材料' });
    assert.ok(!(await overdue(due + 1)).includes(q.id));
    const own = await must('jumin', 'GET', `/api/v1/service-requests?overdue=true&as_of=${dateOf(due + 30)}`, undefined, 200);
    assert.ok(!own.items.some((x) => x.id === q.id));
    assert.equal((await call('admin', 'DELETE', `/api/v1/calendar/${dateOf(h)}`)).status, 204);
  });
});
