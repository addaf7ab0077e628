// The working-day calendar (holidays and 调休, migration 16): the seeded 2026 schedule as the
// State Council published it; deadlines of a case reported just before a holiday fall after it
// and a 调休 weekend day counts as a working day (known answers relative to the real today: the
// server has no test clock, so the test puts holidays on the coming working days); who may read
// and edit it; validation (400/422, nothing written); every edit audited; deadlines already
// stored are not rewritten. Through two nodes (JICENG_TEST_NODES=2) an edit is used by the other
// node within the stated 1 s bound.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, TWO_NODES, api, assertProblem, errorFields, revocationSettled, signInDemo, sleep, startServer } from './harness.mjs';
import { addWorkingHours, dateOf, dayOf, getCase, isWorkingDay, report, workCalendar } from './cases-lib.mjs';

const sec = (t) => Math.floor(Date.parse(t) / 1000);
const DAY = 86400;
/** The local (UTC+8) day number of a time in seconds. */
const localDay = (t) => Math.floor((t + 8 * 3600) / DAY);
const weekday = (day) => (((day + 3) % 7) + 7) % 7; // 0 = Monday

describe('working-day calendar', { timeout: 120_000 }, () => {
  let srv, url;
  const s = {};
  const call = (who, method, p, body) => api(url, method, p, { ...(s[who] || {}), ...(body !== undefined ? { body } : {}) });
  const put = (who, date, body) => call(who, 'PUT', `/api/v1/calendar/${date}`, body);
  let rule;

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'wangge', 'jumin']) s[u] = await signInDemo(url, u);
    // Disputes (tier private) in 阳光社区: 24 working hours to accept, 48 to handle.
    const res = await call('admin', 'POST', '/api/v1/responsibilities', {
      category: 'dispute',
      region_code: COMM1,
      unit: '日历测试调解组',
      accept_hours: 24,
      handle_hours: 48,
    });
    assert.equal(res.status, 201, res.text);
    rule = res.json;
  });
  after(async () => {
    await srv?.stop();
  });

  test('the seeded 2026 schedule is the State Council notice; 2027 is marked provisional', async () => {
    const res = await call('wangge', 'GET', '/api/v1/calendar?year=2026');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.next_cursor, null);
    const got = Object.fromEntries(res.json.items.map((d) => [d.date, d.kind]));
    const holidays = ['01-01', '01-02', '02-16', '02-17', '02-18', '02-19', '02-20', '02-23', '04-06', '05-01', '05-04', '05-05'];
    holidays.push('06-19', '09-25', '10-01', '10-02', '10-05', '10-06', '10-07');
    const workdays = ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'];
    const want = {};
    for (const d of holidays) want[`2026-${d}`] = 'holiday';
    for (const d of workdays) want[`2026-${d}`] = 'workday';
    assert.deepEqual(got, want);
    const nd = res.json.items.find((d) => d.date === '2026-10-01');
    assert.deepEqual(nd, { date: '2026-10-01', kind: 'holiday', name: '国庆节', provisional: false, updated_at: null });
    assert.ok(res.json.items.every((d) => !d.provisional));
    // Dates in order, each a weekday holiday or a weekend workday.
    const dates = res.json.items.map((d) => d.date);
    assert.deepEqual(dates, [...dates].sort());
    for (const d of res.json.items) assert.equal(weekday(dayOf(d.date)) >= 5, d.kind === 'workday', d.date);

    const next = await call('zhihui', 'GET', '/api/v1/calendar?year=2027');
    assert.equal(next.status, 200, next.text);
    assert.ok(next.json.items.length >= 10);
    assert.ok(next.json.items.every((d) => d.provisional && d.date.startsWith('2027-')));
    assert.equal(next.json.items.find((d) => d.date === '2027-02-05')?.name, '春节');
    const none = await call('admin', 'GET', '/api/v1/calendar?year=2031');
    assert.deepEqual(none.json, { items: [], next_cursor: null });
  });

  test('a case reported just before a holiday is due after it; a 调休 Saturday counts', async () => {
    // The coming days from today (local): the next two working days become holidays.
    const today = localDay(Date.now() / 1000);
    let cal = await workCalendar(url, s.admin);
    const off = [];
    for (let d = today + 1; off.length < 2; d++) if (isWorkingDay(d, cal) && weekday(d) < 5) off.push(d);
    for (const d of off) {
      const res = await put('admin', dateOf(d), { kind: 'holiday', name: '测试假日' });
      assert.ok([200, 201].includes(res.status), res.text);
      assert.equal(res.json.kind, 'holiday');
      assert.equal(res.json.provisional, false);
    }
    await revocationSettled(); // the other node re-reads the calendar within 1 s
    cal = await workCalendar(url, s.admin);
    let c = (await report(url, s.wangge, { category: 'dispute', description: '节前纠纷' })).json;
    assert.equal(c.rule_id, rule.id);
    assert.equal(localDay(sec(c.created_at)), today, 'reported today (not across midnight)');
    const created = sec(c.created_at);
    assert.equal(sec(c.deadlines.accept_due), addWorkingHours(created, 24, cal));
    assert.equal(sec(c.deadlines.handle_due), addWorkingHours(created, 48, cal));
    // Both deadlines lie after the holidays, later than they would without them.
    const afterHolidays = (off[1] + 1) * DAY - 8 * 3600;
    assert.ok(sec(c.deadlines.accept_due) > afterHolidays, `${c.deadlines.accept_due} after ${dateOf(off[1])}`);
    assert.ok(sec(c.deadlines.handle_due) > afterHolidays);
    assert.ok(sec(c.deadlines.handle_due) > addWorkingHours(created, 48));
    const before = c;

    // 调休: every weekday up to the next Saturday off, that Saturday worked. 24 working hours from
    // now then end on that Saturday (or at its very end, when today is a day off).
    let sat = today + 1;
    while (weekday(sat) !== 5) sat++;
    for (let d = today + 1; d < sat; d++) {
      if (weekday(d) < 5) assert.ok([200, 201].includes((await put('admin', dateOf(d), { kind: 'holiday', name: '测试假日' })).status));
      else if (cal.get(d) === 'workday') assert.equal((await call('admin', 'DELETE', `/api/v1/calendar/${dateOf(d)}`)).status, 204);
    }
    const w = await put('admin', dateOf(sat), { kind: 'workday', name: '测试调休上班' });
    assert.ok([200, 201].includes(w.status), w.text);
    await revocationSettled();
    cal = await workCalendar(url, s.admin);
    c = (await report(url, s.wangge, { category: 'dispute', description: '调休前纠纷' })).json;
    const due = sec(c.deadlines.accept_due);
    assert.equal(due, addWorkingHours(sec(c.created_at), 24, cal));
    const satStart = sat * DAY - 8 * 3600;
    assert.ok(due > satStart && due <= satStart + DAY, `${c.deadlines.accept_due} on the 调休 Saturday ${dateOf(sat)}`);

    // Removing the days again: new cases use the plain rule, stored deadlines stay as they were.
    for (let d = today + 1; d <= sat; d++) {
      const res = await call('admin', 'DELETE', `/api/v1/calendar/${dateOf(d)}`);
      assert.ok([204, 404].includes(res.status), res.text);
    }
    await revocationSettled();
    assert.deepEqual((await getCase(url, s.wangge, before.id)).deadlines, before.deadlines, 'existing deadlines are not rewritten');
    cal = await workCalendar(url, s.admin);
    for (let d = today + 1; d <= sat; d++) assert.equal(cal.get(d), undefined);
    const plain = (await report(url, s.wangge, { category: 'dispute', description: '删除后纠纷' })).json;
    assert.equal(sec(plain.deadlines.accept_due), addWorkingHours(sec(plain.created_at), 24, cal));
    assert.ok(sec(plain.deadlines.accept_due) < afterHolidays, 'without the holidays the deadline comes sooner');
  });

  test('any staff role reads; only an admin writes; residents and strangers are refused', async () => {
    for (const who of ['wangge', 'zhihui']) assert.equal((await call(who, 'GET', '/api/v1/calendar?year=2026')).status, 200);
    assertProblem(await call('jumin', 'GET', '/api/v1/calendar'), 403);
    assertProblem(await api(url, 'GET', '/api/v1/calendar'), 401);
    const body = { kind: 'holiday', name: '越权假日' };
    assertProblem(await put('zhihui', '2030-01-02', body), 403);
    assertProblem(await put('wangge', '2030-01-02', body), 403);
    assertProblem(await call('zhihui', 'DELETE', '/api/v1/calendar/2026-10-01'), 403);
    // Without the CSRF token a cookie session may not write.
    assertProblem(await api(url, 'PUT', '/api/v1/calendar/2030-01-02', { cookie: s.admin.cookie, body }), 403);
    const res = await call('admin', 'GET', '/api/v1/calendar?year=2030');
    assert.deepEqual(res.json.items, [], 'nothing written');
    const nd = await call('admin', 'GET', '/api/v1/calendar?year=2026');
    assert.ok(
      nd.json.items.some((d) => d.date === '2026-10-01'),
      'the refused DELETE left the day',
    );
  });

  test('bad input: not a date, a wrong kind, a holiday on a weekend, a workday on a weekday', async () => {
    // 2030-01-05 is a Saturday, 2030-01-07 a Monday.
    const cases = [
      ['2030-02-30', { kind: 'holiday', name: 'x' }, 'date', 'format'],
      ['2030-13-01', { kind: 'holiday', name: 'x' }, 'date', 'format'],
      ['20300107', { kind: 'holiday', name: 'x' }, 'date', 'format'],
      ['2030-01-07', { kind: 'vacation', name: 'x' }, 'kind', 'enum'],
      ['2030-01-07', { kind: 'holiday' }, 'name', 'required'],
      ['2030-01-07', { kind: 'holiday', name: '   ' }, 'name', 'required'],
      ['2030-01-05', { kind: 'holiday', name: '周末假日' }, 'kind', 'weekend_holiday'],
      ['2030-01-07', { kind: 'workday', name: '周一调休' }, 'kind', 'weekday_workday'],
    ];
    for (const [date, body, field, code] of cases) {
      const res = await put('admin', date, body);
      assertProblem(res, 422, `${date} ${JSON.stringify(body)}`);
      assert.deepEqual(errorFields(res), [field], res.text);
      assert.equal(res.json.errors[0].code, code, res.text);
    }
    // The message in both languages.
    const en = await api(url, 'PUT', '/api/v1/calendar/2030-01-05', {
      ...s.admin,
      body: { kind: 'holiday', name: '周末假日' },
      headers: { 'Accept-Language': 'en' },
    });
    assert.match(en.json.errors[0].message, /Saturdays and Sundays are days off already/);
    const zh = await put('admin', '2030-01-07', { kind: 'workday', name: '周一调休' });
    assert.match(zh.json.errors[0].message, /周一至周五本就上班/);
    // Wrong types and malformed JSON: 400.
    assertProblem(await put('admin', '2030-01-07', { kind: 1, name: 'x' }), 400);
    assertProblem(await api(url, 'PUT', '/api/v1/calendar/2030-01-07', { ...s.admin, rawBody: '{"kind":' }), 400);
    assertProblem(await call('admin', 'DELETE', '/api/v1/calendar/2030-02-30'), 422);
    assertProblem(await call('admin', 'DELETE', '/api/v1/calendar/2030-01-07'), 404);
    assertProblem(await call('admin', 'GET', '/api/v1/calendar?year=20x6'), 400);
    const res = await call('admin', 'GET', '/api/v1/calendar?year=2030');
    assert.deepEqual(res.json.items, [], 'no refused write left a row');
  });

  test('edits are audited with who, the day and what it became; a PUT replaces the day', async () => {
    let res = await put('admin', '2030-01-07', { kind: 'holiday', name: '审计假日' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(
      { ...res.json, updated_at: undefined },
      { date: '2030-01-07', kind: 'holiday', name: '审计假日', provisional: false, updated_at: undefined },
    );
    res = await put('admin', '2030-01-07', { kind: 'holiday', name: '审计假日（改）' });
    assert.equal(res.status, 200, res.text);
    // An admin's edit of a provisional day makes it final.
    res = await put('admin', '2027-02-05', { kind: 'holiday', name: '春节' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.provisional, false);
    res = await call('admin', 'DELETE', '/api/v1/calendar/2030-01-07');
    assert.equal(res.status, 204, res.text);
    const audit = await call('admin', 'GET', '/api/v1/audit?limit=50');
    assert.equal(audit.status, 200, audit.text);
    const mine = audit.json.items.filter((e) => e.object === 'calendar:2030-01-07');
    assert.deepEqual(
      mine.map((e) => [e.action, e.result, e.username, e.detail]),
      [
        ['calendar.delete', 204, 'admin', null],
        ['calendar.set', 200, 'admin', 'kind=holiday name=审计假日（改）'],
        ['calendar.set', 201, 'admin', 'kind=holiday name=审计假日'],
      ],
    );
    // Refused writes are audited too (as every write is), under the route's action.
    assert.ok(audit.json.items.some((e) => e.action === 'calendar.set' && e.result === 422));
  });

  test(
    'an edit made through one node is used by the other within 1 s',
    { skip: TWO_NODES ? false : 'needs two nodes (JICENG_TEST_NODES=2 on PostgreSQL)' },
    async () => {
      const [n1, n2] = srv.nodes;
      const on = (node, method, p, body) => api(node.url, method, p, { ...s.admin, ...(body !== undefined ? { body } : {}) });
      const reportOn = async (node) => {
        const res = await on(node, 'POST', '/api/v1/cases', { category: 'dispute', description: '跨节点纠纷', region_code: `${COMM1}001` });
        assert.equal(res.status, 201, res.text);
        return res.json;
      };
      const today = localDay(Date.now() / 1000);
      let cal = await workCalendar(url, s.admin);
      let d = today + 1;
      while (!(isWorkingDay(d, cal) && weekday(d) < 5)) d++;
      await reportOn(n2); // node 2 holds a copy of the calendar from before the edit
      const res = await on(n1, 'PUT', `/api/v1/calendar/${dateOf(d)}`, { kind: 'holiday', name: '跨节点假日' });
      assert.equal(res.status, 201, res.text);
      await sleep(1100); // the stated bound, and a little
      cal = await workCalendar(url, s.admin);
      const c = await reportOn(n2);
      assert.equal(sec(c.deadlines.accept_due), addWorkingHours(sec(c.created_at), 24, cal), 'node 2 counts on the new calendar');
      cal.delete(d);
      assert.notEqual(sec(c.deadlines.accept_due), addWorkingHours(sec(c.created_at), 24, cal));
      assert.equal((await on(n1, 'DELETE', `/api/v1/calendar/${dateOf(d)}`)).status, 204);
    },
  );
});
