// Services (服务下沉): appointment slots and bookings — known answers on slots the test makes:
// fifty simultaneous bookings on a slot of capacity 10 give exactly ten 201s (and ten rows);
// the same person twice on a slot is 409; cancelling frees the place; residents see the slots
// of their grid and the regions above it, not another grid's; scope of staff; the day-before
// reminder through the notification outbox; the day's list with attendance.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, GRID2, STREET1, api, assertProblem, signIn, signInDemo, startServer } from './harness.mjs';
import { makeHouses, makeResident } from './base-lib.mjs';

const at = (hours) => new Date(Date.now() + hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
const localDate = (t) => new Date(t + 8 * 3600e3).toISOString().slice(0, 10);

describe('service slots and bookings', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const slot = (who, body) =>
    must(who, 'POST', '/api/v1/service-slots', { service: '老年证办理', starts_at: at(48), ends_at: at(49), capacity: 10, ...body });
  let residents = [];
  let me; // jumin's GET /me: the account is linked to a resident of GRID1

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge', 'wangge2', 'jumin', 'dudao']) s[u] = await signInDemo(url, u);
    const list = await must('shequ', 'GET', `/api/v1/residents?region=${COMM1}&limit=200`, undefined, 200);
    me = await must('jumin', 'GET', '/api/v1/me', undefined, 200);
    assert.ok(me.resident_id, 'the demo resident account is linked to its resident');
    // the residents staff book for in these tests are other people than jumin's
    residents = list.items.filter((r) => r.region_code.startsWith(COMM1) && r.id !== me.resident_id);
    assert.ok(residents.length >= 60, `the demo community has residents (${residents.length})`);
  });
  after(async () => {
    await srv?.stop();
  });

  test('staff publish slots in their scope; the input is checked', async () => {
    const sl = await slot('wangge', { region_code: GRID1, place: '网格服务站' });
    assert.equal(sl.capacity, 10);
    assert.equal(sl.booked, 0);
    assert.equal(sl.available, 10);
    assert.equal(sl.region_code, GRID1);
    assert.match(sl.starts_at, /\+08:00$/);
    assertProblem(
      await call('wangge2', 'POST', '/api/v1/service-slots', {
        service: 'x',
        region_code: GRID1,
        starts_at: at(48),
        ends_at: at(49),
        capacity: 3,
      }),
      403,
    );
    assertProblem(
      await call('jumin', 'POST', '/api/v1/service-slots', {
        service: 'x',
        region_code: GRID1,
        starts_at: at(48),
        ends_at: at(49),
        capacity: 3,
      }),
      403,
    );
    let res = await call('wangge', 'POST', '/api/v1/service-slots', {
      service: 'x',
      region_code: GRID1,
      starts_at: at(49),
      ends_at: at(48),
      capacity: 3,
    });
    assert.deepEqual(
      assertProblem(res, 422).errors.map((e) => e.field),
      ['ends_at'],
    );
    res = await call('wangge', 'POST', '/api/v1/service-slots', {
      service: 'x',
      region_code: GRID1,
      starts_at: '2026-13-01',
      ends_at: at(48),
      capacity: 3,
    });
    assertProblem(res, 422);
    res = await call('wangge', 'POST', '/api/v1/service-slots', {
      service: 'x',
      region_code: GRID1,
      starts_at: at(48),
      ends_at: at(49),
      capacity: 0,
    });
    assertProblem(res, 422);
    res = await call('wangge', 'POST', '/api/v1/service-slots', {
      service: 'x',
      region_code: GRID1,
      starts_at: at(48),
      ends_at: at(49),
      capacity: '3',
    });
    assertProblem(res, 400);
  });

  test('residents see the slots of their grid and above, not of another grid', async () => {
    const mine = await slot('wangge', { region_code: GRID1, service: '网格slot' });
    const comm = await slot('shequ', { region_code: COMM1, service: '社区slot' });
    const street = await slot('admin', { region_code: STREET1, service: '街道slot' });
    const other = await slot('wangge2', { region_code: GRID2, service: '别的网格slot' });
    const seen = [];
    let cursor = null;
    do {
      const page = await must(
        'jumin',
        'GET',
        `/api/v1/service-slots?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        undefined,
        200,
      );
      seen.push(...page.items.map((x) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    for (const x of [mine, comm, street]) assert.ok(seen.includes(x.id), `resident sees slot ${x.service}`);
    assert.ok(!seen.includes(other.id), 'not another grid');
    assertProblem(await call('jumin', 'GET', `/api/v1/service-slots/${other.id}`), 404);
    const one = await must('jumin', 'GET', `/api/v1/service-slots/${comm.id}`, undefined, 200);
    assert.equal(one.bookings, undefined, 'a resident sees no one else’s booking');
    // staff of GRID2 do not see GRID1's slot; the community sees both
    assertProblem(await call('wangge2', 'GET', `/api/v1/service-slots/${mine.id}`), 404);
    const byDate = await must(
      'shequ',
      'GET',
      `/api/v1/service-slots?region=${COMM1}&date=${localDate(Date.parse(comm.starts_at))}&limit=200`,
      undefined,
      200,
    );
    assert.ok(byDate.items.some((x) => x.id === mine.id) && byDate.items.some((x) => x.id === other.id));
    assertProblem(await call('shequ', 'GET', '/api/v1/service-slots?date=2026-02-30'), 400);
  });

  test('fifty simultaneous bookings on a slot of capacity 10: exactly ten places', async () => {
    const sl = await slot('shequ', { region_code: COMM1, capacity: 10, service: '并发体检' });
    const fifty = residents.slice(0, 50);
    const results = await Promise.all(
      fifty.map((r) => call('shequ', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: r.id })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 201).length, 10, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((x) => x === 409).length, 40, `statuses: ${statuses.join(',')}`);
    for (const r of results.filter((x) => x.status === 409)) assertProblem(r, 409);
    assert.equal(Number(srv.sql(`SELECT count(*) FROM service_bookings WHERE slot_id = ${sl.id} AND status = 'booked'`)), 10);
    const again = await must('shequ', 'GET', `/api/v1/service-slots/${sl.id}`, undefined, 200);
    assert.equal(again.booked, 10);
    assert.equal(again.available, 0);
    assert.equal(again.bookings.length, 10);
    const booked = new Set(results.filter((x) => x.status === 201).map((x) => x.json.resident_id));
    assert.deepEqual(new Set(again.bookings.map((b) => b.resident_id)), booked);
  });

  test('the same person twice on one slot is 409; cancelling frees the place', async () => {
    const sl = await slot('wangge', { region_code: GRID1, capacity: 2, service: '法律咨询' });
    const mine = await must('jumin', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {});
    assert.equal(mine.status, 'booked');
    assert.equal(mine.resident_id, me.resident_id, 'a linked account holds the place for its resident');
    assertProblem(await call('jumin', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {}), 409);
    const r0 = residents.find((r) => r.region_code === GRID1);
    await must('wangge', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: r0.id });
    assertProblem(await call('wangge', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: r0.id }), 409);
    // full: a third person is refused
    const r1 = residents.filter((r) => r.region_code === GRID1)[1];
    assertProblem(await call('wangge', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: r1.id }), 409);
    // a resident may not book for someone else, nor cancel another's place
    assertProblem(await call('jumin', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: r1.id }), 403);
    const list = await must('wangge', 'GET', `/api/v1/service-slots/${sl.id}`, undefined, 200);
    const staffBooking = list.bookings.find((b) => b.resident_id === r0.id);
    assert.equal(staffBooking.name, r0.name);
    assertProblem(await call('jumin', 'DELETE', `/api/v1/service-bookings/${staffBooking.id}`), 404);
    // cancel: the place is free again, for the next person
    const cancelled = await must('jumin', 'DELETE', `/api/v1/service-bookings/${mine.id}`, undefined, 200);
    assert.equal(cancelled.status, 'cancelled');
    assertProblem(await call('jumin', 'DELETE', `/api/v1/service-bookings/${mine.id}`), 409);
    await must('wangge', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: r1.id });
    assert.equal((await must('wangge', 'GET', `/api/v1/service-slots/${sl.id}`, undefined, 200)).booked, 2);
    // staff of another grid cannot book a GRID1 resident on a community slot (403)
    const comm = await slot('shequ', { region_code: COMM1, capacity: 5, service: '社区' });
    assertProblem(await call('wangge2', 'POST', `/api/v1/service-slots/${comm.id}/bookings`, { resident_id: r0.id }), 403);
    // staff must name the resident
    assertProblem(await call('wangge', 'POST', `/api/v1/service-slots/${comm.id}/bookings`, {}), 422);
    // the resident's own list
    const own = await must('jumin', 'GET', '/api/v1/service-bookings', undefined, 200);
    assert.ok(own.items.some((b) => b.id === mine.id && b.status === 'cancelled'));
    assert.ok(own.items.every((b) => b.name === undefined));
  });

  test('a reminder the day before goes through the notification outbox', async () => {
    const sl = await slot('wangge', { region_code: GRID1, capacity: 3, service: '提醒测试', starts_at: at(3), ends_at: at(4) });
    const b = await must('jumin', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {});
    let found = null;
    for (let i = 0; i < 40 && !found; i++) {
      const notes = await must('jumin', 'GET', '/api/v1/notifications?limit=50', undefined, 200);
      found = notes.items.find((n) => n.kind === 'service_reminder' && n.title.includes('提醒测试'));
      if (!found) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(found, 'the reminder arrived');
    assert.ok(Number(srv.sql(`SELECT reminded_at FROM service_bookings WHERE id = ${b.id}`)) > 0);
    // one reminder only
    await new Promise((r) => setTimeout(r, 2500));
    const notes = await must('jumin', 'GET', '/api/v1/notifications?limit=50', undefined, 200);
    assert.equal(notes.items.filter((n) => n.kind === 'service_reminder' && n.title.includes('提醒测试')).length, 1);
    // a place staff booked for the person an account speaks for reminds that account
    const byStaff = await slot('wangge', { region_code: GRID1, capacity: 3, service: '代约提醒', starts_at: at(5), ends_at: at(6) });
    const sb = await must('wangge', 'POST', `/api/v1/service-slots/${byStaff.id}/bookings`, { resident_id: me.resident_id });
    let told = null;
    for (let i = 0; i < 40 && !told; i++) {
      const notes = await must('jumin', 'GET', '/api/v1/notifications?limit=50', undefined, 200);
      told = notes.items.find((n) => n.kind === 'service_reminder' && n.title.includes('代约提醒'));
      if (!told) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(told, 'the linked account was reminded of the booking staff made');
    assert.ok(Number(srv.sql(`SELECT reminded_at FROM service_bookings WHERE id = ${sb.id}`)) > 0);
    // a booking two days ahead has none yet
    const later = await slot('wangge', { region_code: GRID1, capacity: 3, service: '后天的' });
    const lb = await must('jumin', 'POST', `/api/v1/service-slots/${later.id}/bookings`, {});
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(Number(srv.sql(`SELECT reminded_at FROM service_bookings WHERE id = ${lb.id}`)), 0);
  });

  test("the day's list for staff, with attendance", async () => {
    const start = Date.now() + 2 * 3600e3;
    const day = localDate(start);
    const sl = await slot('wangge', { region_code: GRID1, capacity: 5, service: '当日名单', starts_at: at(2), ends_at: at(3) });
    const r0 = residents.filter((r) => r.region_code === GRID1)[2];
    const b = await must('wangge', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: r0.id });
    assert.equal(b.attended, null);
    const list = await must('wangge', 'GET', `/api/v1/service-bookings?date=${day}`, undefined, 200);
    const row = list.items.find((x) => x.id === b.id);
    assert.ok(row, "the day's list has the booking");
    assert.equal(row.name, r0.name);
    assert.equal(row.service, '当日名单');
    // another grid's worker does not see it, nor mark it
    const other = await must('wangge2', 'GET', `/api/v1/service-bookings?date=${day}`, undefined, 200);
    assert.ok(!other.items.some((x) => x.id === b.id));
    assertProblem(await call('wangge2', 'POST', `/api/v1/service-bookings/${b.id}/attendance`, { attended: true }), 404);
    // a supervisor reads but does not mark
    assertProblem(await call('dudao', 'POST', `/api/v1/service-bookings/${b.id}/attendance`, { attended: true }), 403);
    assertProblem(await call('wangge', 'POST', `/api/v1/service-bookings/${b.id}/attendance`, {}), 422);
    const marked = await must('wangge', 'POST', `/api/v1/service-bookings/${b.id}/attendance`, { attended: true }, 200);
    assert.equal(marked.attended, true);
    // the resident's day list is empty (not staff)
    assert.deepEqual((await must('jumin', 'GET', `/api/v1/service-bookings?date=${day}`, undefined, 200)).items, []);
  });

  test('a linked account books for its person: staff and a second account of that person collide', async () => {
    const pid = process.pid;
    const sl = await slot('wangge', { region_code: GRID1, capacity: 5, service: `一人一位${pid}` });
    // jumin's own booking holds the place for its resident: staff booking that person is 409
    const mine = await must('jumin', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {});
    assert.equal(mine.resident_id, me.resident_id);
    assertProblem(await call('wangge', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: me.resident_id }), 409);
    // and the other way round: staff booked a person first, that person's account finds the place held
    const sl2 = await slot('wangge', { region_code: GRID1, capacity: 5, service: `代约${pid}` });
    const byStaff = await must('wangge', 'POST', `/api/v1/service-slots/${sl2.id}/bookings`, { resident_id: me.resident_id });
    assertProblem(await call('jumin', 'POST', `/api/v1/service-slots/${sl2.id}/bookings`, {}), 409);
    // the person's account sees the booking staff made for them, and may cancel it
    const own = await must('jumin', 'GET', '/api/v1/service-bookings', undefined, 200);
    assert.ok(own.items.some((b) => b.id === byStaff.id && b.status === 'booked'));
    await must('jumin', 'DELETE', `/api/v1/service-bookings/${byStaff.id}`, undefined, 200);
    await must('jumin', 'POST', `/api/v1/service-slots/${sl2.id}/bookings`, {});

    // A second account speaking for the same person (the first unlinked, the person enrolled
    // again with the household code) cannot book the place the first holds for them.
    const { houses } = await makeHouses(url, s.wangge, GRID1, `预约楼${pid}`, 1);
    const hh = await must('wangge', 'POST', '/api/v1/households', { house_id: houses[0].id, number: `Y${pid}` });
    const person = await makeResident(url, s.wangge, { name: '预约甲', region_code: GRID1, household_id: hh.id });
    const code = (await must('wangge', 'POST', `/api/v1/households/${hh.id}/enrolment-code`, {})).code;
    const enrol = async (username) => {
      const res = await api(url, 'POST', '/api/v1/enrolments', {
        body: { code, name: '预约甲', phone: person.clear_phone, username, password: 'Book@2026acc' },
      });
      assert.equal(res.status, 201, `enrolment: ${res.status} ${res.text.slice(0, 300)}`);
      return res.json;
    };
    const first = await enrol(`bk_a${pid}`);
    s.first = await signIn(url, `bk_a${pid}`, 'Book@2026acc');
    const b1 = await must('first', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {});
    assert.equal(b1.resident_id, person.id);
    assertProblem(await call('wangge', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, { resident_id: person.id }), 409);
    const firstId = first.user?.id ?? first.id;
    await must('wangge', 'DELETE', `/api/v1/users/${firstId}/resident-link`, undefined, 204);
    await enrol(`bk_b${pid}`);
    s.second = await signIn(url, `bk_b${pid}`, 'Book@2026acc');
    assertProblem(await call('second', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {}), 409);
    // the second account sees the place held for its person and may give it up, then book it
    const seen = await must('second', 'GET', '/api/v1/service-bookings', undefined, 200);
    assert.ok(seen.items.some((b) => b.id === b1.id && b.status === 'booked'));
    await must('second', 'DELETE', `/api/v1/service-bookings/${b1.id}`, undefined, 200);
    const b2 = await must('second', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {});
    assert.equal(b2.resident_id, person.id);
    assertProblem(await call('second', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {}), 409);
    // the unlinked first account books for itself only (no person behind it any more)
    const b3 = await must('first', 'POST', `/api/v1/service-slots/${sl.id}/bookings`, {});
    assert.equal(b3.resident_id, null);
    assert.equal(
      Number(srv.sql(`SELECT count(*) FROM service_bookings WHERE slot_id = ${sl.id} AND status = 'booked' AND resident_id = ${person.id}`)),
      1,
    );
  });
});
