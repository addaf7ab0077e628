// Volunteers (志愿服务): teams, members, activities with a sign-up limit and a waiting list —
// a cancel promotes the first waiting, thirty simultaneous sign-ups on a limit of five give
// exactly five places — check-in with the code shown at the venue (a wrong code, a closed
// window), hours confirmed by the organiser only for those who checked in and only after the
// activity, the append-only points ledger that never goes below zero, and who sees whose
// record (a resident only their own; staff those under their reach).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, STREET1, STREET2, api, assertProblem, signIn, signInDemo, sleep, startServer } from './harness.mjs';

const at = (seconds) => new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const PASSWORD = 'Volunteer@2026pw';

describe('volunteers', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  let residents = [];
  let team;
  const activity = (body) =>
    must('shequ', 'POST', '/api/v1/volunteer-activities', {
      team_id: team.id,
      title: '义诊进社区',
      place: '社区服务中心',
      starts_at: at(3600),
      ends_at: at(7200),
      capacity: 5,
      ...body,
    });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'jiedao', 'wangge', 'wangge2', 'wanggezhang', 'jumin', 'dudao']) s[u] = await signInDemo(url, u);
    for (const [name, grid] of [
      ['vol_jumin2', GRID1],
      ['vol_jumin3', GRID1],
      ['vol_jumin_far', `${STREET2}001001`],
      ['vol_shequ2', `${STREET2}001`],
    ]) {
      const role = name === 'vol_shequ2' ? 'community' : 'resident';
      await must('admin', 'POST', '/api/v1/users', {
        username: name,
        display_name: name,
        password: PASSWORD,
        grants: [{ role, region_code: grid }],
      });
      s[name] = await signIn(url, name, PASSWORD);
    }
    const list = await must('shequ', 'GET', `/api/v1/residents?region=${COMM1}&limit=200`, undefined, 200);
    residents = list.items.filter((r) => r.region_code.startsWith(COMM1));
    assert.ok(residents.length >= 40, `the demo community has residents (${residents.length})`);
    team = await must('shequ', 'POST', '/api/v1/volunteer-teams', {
      name: '星光艺术团（测试）',
      region_code: COMM1,
      description: '文艺志愿',
    });
  });
  after(async () => {
    await srv?.stop();
  });

  test('teams: managers create them at a community or street in their scope; members join and leave', async () => {
    assert.equal(team.region_code, COMM1);
    assert.equal(team.members, 0);
    assertProblem(
      await call('wangge', 'POST', '/api/v1/volunteer-teams', {
        name: 'x',
        region_code: COMM1,
      }),
      403,
    );
    assertProblem(
      await call('vol_shequ2', 'POST', '/api/v1/volunteer-teams', {
        name: 'x',
        region_code: COMM1,
      }),
      403,
    );
    const bad = assertProblem(
      await call('shequ', 'POST', '/api/v1/volunteer-teams', {
        name: 'x',
        region_code: GRID1,
      }),
      422,
    );
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['region_code'],
    );
    await must('jiedao', 'POST', '/api/v1/volunteer-teams', {
      name: '街道志愿队',
      region_code: STREET1,
    });
    // a resident of the community joins for themselves; a second time is 409; they leave
    const m = await must('jumin', 'POST', `/api/v1/volunteer-teams/${team.id}/members`, {});
    assert.equal(m.kind, 'account');
    assertProblem(await call('jumin', 'POST', `/api/v1/volunteer-teams/${team.id}/members`, {}), 409);
    // staff put a resident record on the team; a resident cannot name another
    const r = await must('wangge', 'POST', `/api/v1/volunteer-teams/${team.id}/members`, { resident_id: residents[0].id });
    assert.equal(r.resident_id, residents[0].id);
    assertProblem(await call('jumin', 'POST', `/api/v1/volunteer-teams/${team.id}/members`, { resident_id: residents[1].id }), 403);
    // a resident of another street does not see the team at all
    assertProblem(await call('vol_jumin_far', 'GET', `/api/v1/volunteer-teams/${team.id}`), 404);
    assertProblem(await call('vol_jumin_far', 'POST', `/api/v1/volunteer-teams/${team.id}/members`, {}), 404);
    const t = await must('shequ', 'GET', `/api/v1/volunteer-teams/${team.id}`, undefined, 200);
    assert.equal(t.members, 2);
    assert.equal(t.member_list.length, 2);
    const seen = await must('jumin', 'GET', `/api/v1/volunteer-teams/${team.id}`, undefined, 200);
    assert.equal(seen.member_list, undefined, 'a resident does not see the member list');
    assert.equal(seen.my_membership.id, m.id);
    const lst = await must('jumin', 'GET', '/api/v1/volunteer-teams', undefined, 200);
    assert.ok(lst.items.some((x) => x.id === team.id));
    const left = await must('jumin', 'DELETE', `/api/v1/volunteer-members/${m.id}`, undefined, 200);
    assert.equal(left.status, 'left');
    assertProblem(await call('jumin', 'DELETE', `/api/v1/volunteer-members/${m.id}`), 409);
    assertProblem(await call('vol_jumin2', 'DELETE', `/api/v1/volunteer-members/${r.id}`), 404);
  });

  test('the limit and the waiting list: a cancel promotes the first waiting, never over the limit', async () => {
    const v = await activity({ capacity: 2 });
    assert.equal(v.available, 2);
    assert.match(v.check_in_code, /^[2-9A-HJ-NP-Z]{6}$/);
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const su = await must('wangge', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, { resident_id: residents[i].id });
      assert.equal(su.status, i < 2 ? 'signed' : 'waiting', `sign-up ${i}`);
      ids.push(su.id);
    }
    assertProblem(await call('wangge', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, { resident_id: residents[0].id }), 409);
    let got = await must('shequ', 'GET', `/api/v1/volunteer-activities/${v.id}`, undefined, 200);
    assert.equal(got.signed_up, 2);
    assert.equal(got.waiting, 3);
    assert.deepEqual(
      got.waiting_list.map((x) => x.id),
      ids.slice(2),
    );
    // a waiting one cancels: nobody is promoted
    let c = await must('wangge', 'DELETE', `/api/v1/volunteer-signups/${ids[3]}`, undefined, 200);
    assert.deepEqual(c.promoted, []);
    // a signed one cancels: the first waiting (ids[2]) gets the place, ids[4] still waits
    c = await must('wangge', 'DELETE', `/api/v1/volunteer-signups/${ids[0]}`, undefined, 200);
    assert.equal(c.status, 'cancelled');
    assert.deepEqual(c.promoted, [ids[2]]);
    got = await must('shequ', 'GET', `/api/v1/volunteer-activities/${v.id}`, undefined, 200);
    assert.equal(got.signed_up, 2);
    assert.deepEqual(got.signups.map((x) => x.id).sort(), [ids[1], ids[2]].sort());
    assert.deepEqual(
      got.waiting_list.map((x) => x.id),
      [ids[4]],
    );
    assertProblem(await call('wangge', 'DELETE', `/api/v1/volunteer-signups/${ids[0]}`), 409);
    // a resident's own sign-up: they cancel it; another resident cannot
    const own = await must('jumin', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, {});
    assert.equal(own.status, 'waiting');
    assertProblem(await call('vol_jumin2', 'DELETE', `/api/v1/volunteer-signups/${own.id}`), 404);
    await must('jumin', 'DELETE', `/api/v1/volunteer-signups/${own.id}`, undefined, 200);
    // the promoted account is told
    const own2 = await must('vol_jumin2', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, {});
    assert.equal(own2.status, 'waiting');
    await must('wangge', 'DELETE', `/api/v1/volunteer-signups/${ids[1]}`, undefined, 200);
    await must('wangge', 'DELETE', `/api/v1/volunteer-signups/${ids[2]}`, undefined, 200);
    const mine = await must('vol_jumin2', 'GET', `/api/v1/volunteer-activities/${v.id}`, undefined, 200);
    assert.equal(mine.my_signup.status, 'signed');
    assert.equal(mine.check_in_code, undefined, 'a resident does not see the code');
    assert.equal(mine.signups, undefined, 'a resident does not see who signed up');
    const notes = await must('vol_jumin2', 'GET', '/api/v1/notifications', undefined, 200);
    assert.ok(
      notes.items.some((n) => n.kind === 'volunteer_promoted'),
      JSON.stringify(notes.items.slice(0, 3)),
    );
  });

  test('thirty simultaneous sign-ups on a limit of five: exactly five places, the rest wait', async () => {
    const v = await activity({ capacity: 5 });
    const results = await Promise.all(
      residents.slice(0, 30).map((r) => call('wangge', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, { resident_id: r.id })),
    );
    for (const r of results) assert.equal(r.status, 201, r.text);
    const statuses = results.map((r) => r.json.status);
    assert.equal(statuses.filter((x) => x === 'signed').length, 5);
    assert.equal(statuses.filter((x) => x === 'waiting').length, 25);
    const got = await must('shequ', 'GET', `/api/v1/volunteer-activities/${v.id}`, undefined, 200);
    assert.equal(got.signed_up, 5);
    assert.equal(got.signups.length, 5);
    assert.equal(got.waiting_list.length, 25);
    // five cancels at once promote five, never more
    const cancels = await Promise.all(got.signups.map((x) => call('wangge', 'DELETE', `/api/v1/volunteer-signups/${x.id}`)));
    for (const r of cancels) assert.equal(r.status, 200, r.text);
    const again = await must('shequ', 'GET', `/api/v1/volunteer-activities/${v.id}`, undefined, 200);
    assert.equal(again.signed_up, 5);
    assert.deepEqual(
      again.signups.map((x) => x.id),
      got.waiting_list.slice(0, 5).map((x) => x.id),
      'the first five waiting, in order',
    );
  });

  test('check-in by code, hours only after check-in and confirmation, the ledger never below zero', async () => {
    // an activity going on now that ends in a few seconds
    const v = await activity({
      title: '敬老院慰问',
      starts_at: at(-7200),
      ends_at: at(4),
      capacity: 3,
    });
    const a = await must('vol_jumin3', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, {});
    const b = await must('vol_jumin2', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, {});
    assert.equal(a.status, 'signed');
    // a wrong code → 422; the right one (any case) → checked in; twice → 409
    assertProblem(await call('vol_jumin3', 'POST', `/api/v1/volunteer-activities/${v.id}/check-in`, { code: 'ZZZZZZ' }), 422);
    const ci = await must(
      'vol_jumin3',
      'POST',
      `/api/v1/volunteer-activities/${v.id}/check-in`,
      { code: v.check_in_code.toLowerCase() },
      200,
    );
    assert.ok(ci.checked_in_at);
    assertProblem(await call('vol_jumin3', 'POST', `/api/v1/volunteer-activities/${v.id}/check-in`, { code: v.check_in_code }), 409);
    // not signed up → 409
    assertProblem(await call('wangge2', 'POST', `/api/v1/volunteer-activities/${v.id}/check-in`, { code: v.check_in_code }), [404, 409]);
    // before the end the organiser cannot confirm yet
    assertProblem(
      await call('shequ', 'POST', `/api/v1/volunteer-signups/${a.id}/hours`, {
        minutes: 60,
      }),
      409,
    );
    await sleep(5000);
    // the window is over: the code has expired
    assertProblem(await call('vol_jumin2', 'POST', `/api/v1/volunteer-activities/${v.id}/check-in`, { code: v.check_in_code }), 409);
    // b never checked in: no hours; a grid worker is no organiser
    assertProblem(
      await call('shequ', 'POST', `/api/v1/volunteer-signups/${b.id}/hours`, {
        minutes: 60,
      }),
      409,
    );
    assertProblem(
      await call('wangge', 'POST', `/api/v1/volunteer-signups/${a.id}/hours`, {
        minutes: 60,
      }),
      403,
    );
    assertProblem(
      await call('shequ', 'POST', `/api/v1/volunteer-signups/${a.id}/hours`, {
        minutes: 6000,
      }),
      422,
    );
    const h = await must('shequ', 'POST', `/api/v1/volunteer-signups/${a.id}/hours`, { minutes: 90 }, 200);
    assert.equal(h.minutes, 90);
    assert.equal(h.points, 15);
    assertProblem(
      await call('shequ', 'POST', `/api/v1/volunteer-signups/${a.id}/hours`, {
        minutes: 90,
      }),
      409,
    );
    const rec = await must('vol_jumin3', 'GET', '/api/v1/volunteer-records', undefined, 200);
    assert.equal(rec.minutes, 90);
    assert.equal(rec.points, 15);
    assert.equal(rec.activities_served, 1);
    const rec2 = await must('vol_jumin2', 'GET', '/api/v1/volunteer-records', undefined, 200);
    assert.equal(rec2.minutes, 0);
    // spending at the 爱心超市: staff over the person; never below zero
    const me = await must('vol_jumin3', 'GET', '/api/v1/me', undefined, 200);
    const jumin = me.user?.id ?? me.id;
    assertProblem(
      await call('wangge', 'POST', '/api/v1/volunteer-ledger', {
        user_id: jumin,
        points: 16,
        note: '兑换大米',
      }),
      422,
    );
    assertProblem(
      await call('wangge2', 'POST', '/api/v1/volunteer-ledger', {
        user_id: jumin,
        points: 1,
        note: '兑换',
      }),
      403,
    );
    assertProblem(
      await call('vol_jumin3', 'POST', '/api/v1/volunteer-ledger', {
        user_id: jumin,
        points: 1,
        note: '兑换',
      }),
      403,
    );
    const spend = await Promise.all(
      [1, 2, 3].map(() =>
        call('wangge', 'POST', '/api/v1/volunteer-ledger', {
          user_id: jumin,
          points: 6,
          note: '兑换洗衣液',
        }),
      ),
    );
    assert.deepEqual(spend.map((r) => r.status).sort(), [201, 201, 422], 'two spends of 6 from 15, the third refused');
    const ledger = await must('vol_jumin3', 'GET', '/api/v1/volunteer-ledger', undefined, 200);
    assert.deepEqual(
      ledger.items.map((e) => e.points),
      [-6, -6, 15],
    );
    assert.equal((await must('vol_jumin3', 'GET', '/api/v1/volunteer-records', undefined, 200)).points, 3);
    // the certificate: a printable page of one's own record
    const cert = await call('vol_jumin3', 'GET', '/api/v1/volunteer-records/certificate');
    assert.equal(cert.status, 200);
    assert.match(cert.headers.get('content-type'), /^text\/html/);
    assert.match(cert.text, /志愿服务证明/);
    assert.match(cert.text, /敬老院慰问/);
    // residents see only their own record; staff those under their reach
    assertProblem(await call('vol_jumin2', 'GET', `/api/v1/volunteer-records?user_id=${jumin}`), 404);
    assertProblem(await call('vol_jumin2', 'GET', `/api/v1/volunteer-ledger?user_id=${jumin}`), 404);
    assertProblem(await call('vol_jumin2', 'GET', `/api/v1/volunteer-records/certificate?user_id=${jumin}`), 404);
    assertProblem(await call('wangge2', 'GET', `/api/v1/volunteer-records?user_id=${jumin}`), 404);
    assertProblem(await call('vol_shequ2', 'GET', `/api/v1/volunteer-records?user_id=${jumin}`), 404);
    assert.equal((await must('wangge', 'GET', `/api/v1/volunteer-records?user_id=${jumin}`, undefined, 200)).points, 3);
    assert.equal((await must('shequ', 'GET', `/api/v1/volunteer-ledger?user_id=${jumin}`, undefined, 200)).items.length, 3);
    assertProblem(await call('shequ', 'GET', '/api/v1/volunteer-records?user_id=1abc'), 400);
  });

  test('scope: activities and sign-ups of another street are not seen or written', async () => {
    const v = await activity({});
    assertProblem(await call('vol_shequ2', 'GET', `/api/v1/volunteer-activities/${v.id}`), 404);
    assertProblem(await call('vol_jumin_far', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, {}), 404);
    assertProblem(
      await call('vol_shequ2', 'POST', '/api/v1/volunteer-activities', {
        team_id: team.id,
        title: 'x',
        starts_at: at(60),
        ends_at: at(120),
        capacity: 1,
      }),
      403,
    );
    const far = (await must('vol_jumin_far', 'GET', '/api/v1/volunteer-activities', undefined, 200)).items;
    assert.ok(!far.some((x) => x.id === v.id));
    const near = (await must('jumin', 'GET', '/api/v1/volunteer-activities', undefined, 200)).items;
    assert.ok(near.some((x) => x.id === v.id));
    assert.equal(near[0].check_in_code, undefined);
    // grid-level staff see their community's activities; the staff of another street do not
    for (const who of ['wangge', 'wangge2', 'wanggezhang'])
      assert.ok(
        (await must(who, 'GET', '/api/v1/volunteer-activities', undefined, 200)).items.some((x) => x.id === v.id),
        who,
      );
    assert.ok((await must('wangge', 'GET', '/api/v1/volunteer-teams', undefined, 200)).items.some((x) => x.id === team.id));
    assert.ok(
      !(await must('vol_shequ2', 'GET', '/api/v1/volunteer-activities?limit=200', undefined, 200)).items.some((x) => x.id === v.id),
    );
    const staff = (await must('dudao', 'GET', `/api/v1/volunteer-activities?team_id=${team.id}&limit=200`, undefined, 200)).items;
    assert.ok(staff.some((x) => x.id === v.id));
    // a grid worker of another grid cannot sign up a resident of grid 1
    const r1 = residents.find((r) => r.region_code === GRID1);
    assertProblem(await call('wangge2', 'POST', `/api/v1/volunteer-activities/${v.id}/signups`, { resident_id: r1.id }), 403);
    // the ledger is append-only in the database: nothing to edit through the API, and the
    // schema refuses it (checked in the store test)
    const bad = await call('shequ', 'POST', '/api/v1/volunteer-activities', {
      team_id: team.id,
      title: 'x',
      starts_at: at(120),
      ends_at: at(60),
      capacity: 1,
    });
    assert.deepEqual(
      assertProblem(bad, 422).errors.map((e) => e.field),
      ['ends_at'],
    );
  });
});
