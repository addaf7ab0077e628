// Reception days (接待日) as one kind of appointment slot (migration 34): a day's slots are
// service slots of kind "reception" — listed with the service slots, booked through the same
// machinery whichever route books them (fifty at once on a slot of capacity 7 give exactly
// seven places), one booking per person and day, the day-before reminder through the
// notification outbox, the staff's day list with attendance at /service-bookings; and the
// names staff see: the resident's for readers over them, masked for the day's cadre.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, api, assertProblem, signIn, signInDemo, startServer } from './harness.mjs';

const HOUR = 3600e3;
// Local (Asia/Shanghai) "YYYY-MM-DD" and "HH:MM" of a time in ms.
const local = (t) => new Date(t + 8 * HOUR).toISOString();
const localDate = (t) => local(t).slice(0, 10);
const localHHMM = (t) => local(t).slice(11, 16);
const dayFromNow = (d) => localDate(Date.now() + d * 24 * HOUR);

describe('reception days are service slots of kind reception', { timeout: 240_000 }, () => {
  let srv, url, cadre, residentName;
  const s = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  // A day of the demo cadre ganbu in 阳光社区, published by ganbu.
  const day = (body) =>
    must('ganbu', 'POST', '/api/v1/reception-days', {
      cadre_id: cadre.id,
      held_on: dayFromNow(6),
      starts: '09:00',
      ends: '11:00',
      place: '社区党群服务中心',
      ...body,
    });
  // A day whose one slot starts within the next hours (the reminder and attendance window).
  const soonDay = () => {
    const t = Date.now() + 2 * HOUR;
    const starts = `${localHHMM(t).slice(0, 4)}0`;
    const ends = starts >= '23:00' ? '23:59' : `${String(Number(starts.slice(0, 2)) + 1).padStart(2, '0')}${starts.slice(2)}`;
    return day({ held_on: localDate(t), starts, ends, slots: [{ starts, ends, capacity: 3 }] });
  };

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge', 'ganbu', 'jumin']) s[u] = await signInDemo(url, u);
    [cadre] = (await must('ganbu', 'GET', '/api/v1/cadres?mine=true', undefined, 200)).items;
    assert.ok(cadre, 'the demo cadre has a cadre record');
    const me = await must('jumin', 'GET', '/api/v1/me', undefined, 200);
    assert.ok(me.resident_id, 'the demo resident account is linked to its resident');
    residentName = (await must('shequ', 'GET', `/api/v1/residents/${me.resident_id}`, undefined, 200)).name;
    s.residentId = me.resident_id;
  });
  after(async () => {
    await srv?.stop();
  });

  test('a day’s slots are listed as service slots with their kind and day', async () => {
    const d = await day({ slots: [{ starts: '09:00', ends: '10:00', capacity: 2 }, { starts: '10:00', ends: '11:00', capacity: 4 }] });
    assert.equal(d.slots.length, 2);
    // a service slot published at /service-slots the same day is of kind service
    const svc = await must('shequ', 'POST', '/api/v1/service-slots', {
      service: '体检', region_code: COMM1, starts_at: `${d.held_on}T14:00:00+08:00`, ends_at: `${d.held_on}T15:00:00+08:00`, capacity: 5,
    });
    assert.equal(svc.kind, 'service');
    assert.equal(svc.reception_day_id, null);
    const list = await must('shequ', 'GET', `/api/v1/service-slots?region=${COMM1}&date=${d.held_on}&limit=200`, undefined, 200);
    const mine = list.items.filter((x) => x.reception_day_id === d.id);
    assert.deepEqual(mine.map((x) => x.id).sort(), d.slots.map((x) => x.id).sort());
    for (const x of mine) {
      assert.equal(x.kind, 'reception');
      assert.equal(x.service, `${cadre.name}接待日`);
      assert.equal(x.place, '社区党群服务中心');
      assert.equal(x.region_code, COMM1);
    }
    const first = mine.find((x) => x.id === d.slots[0].id);
    assert.equal(first.starts_at, `${d.held_on}T09:00:00+08:00`);
    assert.equal(first.ends_at, `${d.held_on}T10:00:00+08:00`);
    assert.equal(first.capacity, 2);
    assert.ok(list.items.some((x) => x.id === svc.id && x.kind === 'service'), 'service slots beside them');
    // a resident of the community sees them among the slots to book, kind and all
    const seen = await must('jumin', 'GET', `/api/v1/service-slots?date=${d.held_on}&limit=200`, undefined, 200);
    assert.ok(seen.items.some((x) => x.id === first.id && x.kind === 'reception'));

    // ?kind= keeps one kind: reception days only, or the service slots only, for staff and residents
    for (const who of ['shequ', 'jumin']) {
      const q = who === 'shequ' ? `region=${COMM1}&date=${d.held_on}&limit=200` : `date=${d.held_on}&limit=200`;
      const rec = await must(who, 'GET', `/api/v1/service-slots?${q}&kind=reception`, undefined, 200);
      assert.ok(rec.items.length >= 2 && rec.items.every((x) => x.kind === 'reception'), `${who}: reception only`);
      assert.ok(rec.items.some((x) => x.id === first.id));
      const svcs = await must(who, 'GET', `/api/v1/service-slots?${q}&kind=service`, undefined, 200);
      assert.ok(svcs.items.every((x) => x.kind === 'service'), `${who}: service slots only`);
      assert.ok(svcs.items.some((x) => x.id === svc.id));
      assert.ok(!svcs.items.some((x) => x.id === first.id));
    }
    for (const bad of ['', 'Reception', 'both']) {
      const res = await call('shequ', 'GET', `/api/v1/service-slots?kind=${bad}`);
      assertProblem(res, 400, `kind=${bad}`);
      assert.match(res.json.detail, /kind 须为 service/);
    }
  });

  test('fifty simultaneous bookings of a reception slot of capacity 7, by both routes: exactly seven', async () => {
    const d = await day({ slots: [{ starts: '09:00', ends: '10:00', capacity: 7 }] });
    const slot = d.slots[0];
    // ten resident accounts of grid 1 book at /reception-days, staff book forty residents at
    // /service-slots: one capacity
    const pid = process.pid;
    const accounts = [];
    for (let i = 0; i < 10; i++) {
      const username = `rcp${pid}_${i}`;
      await must('admin', 'POST', '/api/v1/users', {
        username, display_name: `接待居民${i}`, password: 'Recept@2026x', grants: [{ role: 'resident', region_code: GRID1 }],
      });
      accounts.push(await signIn(url, username, 'Recept@2026x'));
    }
    const people = (await must('shequ', 'GET', `/api/v1/residents?region=${COMM1}&limit=200`, undefined, 200)).items
      .filter((r) => r.id !== s.residentId)
      .slice(0, 40);
    assert.equal(people.length, 40);
    const results = await Promise.all([
      ...accounts.map((a) => api(url, 'POST', `/api/v1/reception-days/${d.id}/bookings`, { ...a, body: { slot_id: slot.id } })),
      ...people.map((r) => call('shequ', 'POST', `/api/v1/service-slots/${slot.id}/bookings`, { resident_id: r.id })),
    ]);
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 201).length, 7, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((x) => x === 409).length, 43, `statuses: ${statuses.join(',')}`);
    for (const r of results.filter((x) => x.status === 409)) assertProblem(r, 409);
    assert.equal(Number(srv.sql(`SELECT count(*) FROM service_bookings WHERE slot_id = ${slot.id} AND status = 'booked'`)), 7);
    const again = await must('ganbu', 'GET', `/api/v1/reception-days/${d.id}`, undefined, 200);
    assert.deepEqual([again.slots[0].booked, again.slots[0].available], [7, 0]);
    assert.equal(again.bookings.length, 7);
  });

  test('one booking per person and day, whichever route; cancelling frees the day', async () => {
    const d = await day({ slots: [{ starts: '09:00', ends: '10:00', capacity: 5 }, { starts: '10:00', ends: '11:00', capacity: 5 }] });
    const [s1, s2] = d.slots;
    const b = await must('jumin', 'POST', `/api/v1/reception-days/${d.id}/bookings`, { slot_id: s1.id, topic: '加装电梯' });
    assert.deepEqual([b.day_id, b.slot_id, b.held_on, b.slot_starts, b.topic, b.status], [d.id, s1.id, d.held_on, '09:00', '加装电梯', 'booked']);
    // the same person on the day's other slot, booked by staff or by the account: 409
    assertProblem(await call('shequ', 'POST', `/api/v1/service-slots/${s2.id}/bookings`, { resident_id: s.residentId }), 409);
    assertProblem(await call('jumin', 'POST', `/api/v1/service-slots/${s2.id}/bookings`, {}), 409);
    // it is a service booking: the account's own list has it, kind and topic with it
    const own = await must('jumin', 'GET', '/api/v1/service-bookings', undefined, 200);
    const row = own.items.find((x) => x.id === b.id);
    assert.deepEqual([row.kind, row.reception_day_id, row.topic, row.resident_id], ['reception', d.id, '加装电梯', s.residentId]);
    // cancelled at /reception-bookings, the day is free again, through the other route too
    const c = await must('jumin', 'POST', `/api/v1/reception-bookings/${b.id}/cancel`, undefined, 200);
    assert.equal(c.status, 'cancelled');
    const sb = await must('shequ', 'POST', `/api/v1/service-slots/${s2.id}/bookings`, { resident_id: s.residentId });
    assert.equal(sb.kind, 'reception');
    // a place staff booked for the person is the account's own on the reception day
    const seen = await must('jumin', 'GET', `/api/v1/reception-days/${d.id}`, undefined, 200);
    assert.equal(seen.my_booking.id, sb.id);
    assert.ok((await must('jumin', 'GET', '/api/v1/reception-bookings', undefined, 200)).items.some((x) => x.id === sb.id));
    // a service booking is no reception booking
    const svc = await must('shequ', 'POST', '/api/v1/service-slots', {
      service: '体检', region_code: COMM1, starts_at: `${d.held_on}T14:00:00+08:00`, ends_at: `${d.held_on}T15:00:00+08:00`, capacity: 5,
    });
    const plain = await must('jumin', 'POST', `/api/v1/service-slots/${svc.id}/bookings`, {});
    assertProblem(await call('jumin', 'POST', `/api/v1/reception-bookings/${plain.id}/cancel`), 404);
    // cancelling the day cancels its slots: nothing more to book there
    await must('ganbu', 'POST', `/api/v1/reception-days/${d.id}/cancel`, undefined, 200);
    const slot = await must('shequ', 'GET', `/api/v1/service-slots/${s1.id}`, undefined, 200);
    assert.equal(slot.status, 'cancelled');
    assertProblem(await call('shequ', 'POST', `/api/v1/service-slots/${s1.id}/bookings`, { resident_id: s.residentId }), 409);
  });

  test('the day-before reminder of a reception booking goes through the notification outbox', async () => {
    const d = await soonDay();
    const b = await must('jumin', 'POST', `/api/v1/reception-days/${d.id}/bookings`, { slot_id: d.slots[0].id });
    let found = null;
    for (let i = 0; i < 40 && !found; i++) {
      const notes = await must('jumin', 'GET', '/api/v1/notifications?limit=50', undefined, 200);
      found = notes.items.find((n) => n.kind === 'service_reminder' && n.title === `预约提醒：${cadre.name}接待日`);
      if (!found) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(found, 'the reminder arrived');
    assert.ok(Number(srv.sql(`SELECT reminded_at FROM service_bookings WHERE id = ${b.id}`)) > 0);
    const me = await must('jumin', 'GET', '/api/v1/me', undefined, 200);
    const queued = Number(
      srv.sql(`SELECT count(*) FROM notifications WHERE user_id = ${me.id ?? me.user?.id} AND kind = 'service_reminder' AND title = '预约提醒：${cadre.name}接待日'`),
    );
    assert.equal(queued, 1, 'one row in the outbox');
  });

  test("attendance on a reception booking at /service-bookings; the staff's day list has it", async () => {
    const d = await soonDay();
    const b = await must('jumin', 'POST', `/api/v1/reception-days/${d.id}/bookings`, { slot_id: d.slots[0].id, topic: '物业费' });
    const list = await must('shequ', 'GET', `/api/v1/service-bookings?date=${d.held_on}`, undefined, 200);
    const row = list.items.find((x) => x.id === b.id);
    assert.ok(row, "the day's list has the reception booking");
    assert.deepEqual([row.kind, row.reception_day_id, row.attended], ['reception', d.id, null]);
    assert.equal(row.name, residentName, 'staff over the resident see the resident’s name, not the account’s');
    // a grid worker of grid 1 is no staff over the community's slot: not in the list, 404
    assert.ok(!(await must('wangge', 'GET', `/api/v1/service-bookings?date=${d.held_on}`, undefined, 200)).items.some((x) => x.id === b.id));
    const marked = await must('shequ', 'POST', `/api/v1/service-bookings/${b.id}/attendance`, { attended: true }, 200);
    assert.equal(marked.attended, true);
    assert.equal(Number(srv.sql(`SELECT attended FROM service_bookings WHERE id = ${b.id}`)), 1);
    // the party staff see the full name on the day, its cadre (no reader of residents) a masked one
    const staff = await must('shequ', 'GET', `/api/v1/reception-days/${d.id}`, undefined, 200);
    assert.equal(staff.bookings.find((x) => x.id === b.id).name, residentName);
    const own = await must('ganbu', 'GET', `/api/v1/reception-days/${d.id}`, undefined, 200);
    assert.equal(own.bookings.find((x) => x.id === b.id).name, `${[...residentName][0]}**`);
  });

  test('a service request shows its applicant by the resident’s name', async () => {
    const items = (await must('jumin', 'GET', '/api/v1/service-items?limit=50', undefined, 200)).items;
    const req = await must('jumin', 'POST', '/api/v1/service-requests', { item_id: items[0].id, note: '申请' });
    assert.equal(req.applicant_name, residentName);
    const seen = await must('shequ', 'GET', `/api/v1/service-requests/${req.id}`, undefined, 200);
    assert.equal(seen.applicant_name, residentName);
    assert.notEqual(seen.applicant_name, '居民', 'not the account’s display name');
  });
});
