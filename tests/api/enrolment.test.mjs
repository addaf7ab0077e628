// Residents' accounts (户码 enrolment): staff issue a household code; a member signs up with it
// by name and phone and gets a resident account at the household's grid linked to the resident
// and household (GET /me carries both). Known answers on a household the test registers: match,
// mismatch (name, phone, another household's member), expiry (the code's expiry moved into the
// past in the database), revocation (DELETE, and a new code revoking the old), each member only
// once, every refusal the same 422; the per-address limit (429, shared with sign-in); scope (a
// grid worker of another grid 404, a building leader 403); staff unlink; a resident moving out
// loses the link at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GRID1, GRID2, api, assertProblem, signIn, signInDemo, sql, startServer } from './harness.mjs';
import { makeHouses, makeResident, phone } from './base-lib.mjs';

const PASSWORD = 'Enrol@2026jc';
const ALPHABET = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8,12}$/;

describe('household enrolment', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const t = {};
  let n = 0;
  const uname = () => `enrol_${process.pid}_${++n}`;
  const call = (who, method, p, body) => api(url, method, p, { ...(who ? s[who] : {}), ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const issue = (who, hh, status = 201) => must(who, 'POST', `/api/v1/households/${hh}/enrolment-code`, {}, status);
  const enrol = (body) => call(null, 'POST', '/api/v1/enrolments', { username: uname(), password: PASSWORD, ...body });
  // Every refusal: the same status, code and detail, naming no part.
  let refusal;
  const refused = (res, what) => {
    assertProblem(res, 422, what);
    const { status, code, detail } = res.json;
    if (!refusal) refusal = { status, code, detail };
    assert.deepEqual({ status, code, detail }, refusal, `${what}: one answer for every refusal`);
  };

  before(async () => {
    srv = await startServer({ args: ['--login-per-minute', '0'] });
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge', 'wangge2', 'loudong']) s[u] = await signInDemo(url, u);
    const { houses } = await makeHouses(url, s.wangge, GRID1, `户码楼${process.pid}`, 2);
    t.hh = await must('wangge', 'POST', '/api/v1/households', { house_id: houses[0].id, number: 'E1' });
    t.hh2 = await must('wangge', 'POST', '/api/v1/households', { house_id: houses[1].id, number: 'E2' });
    t.a = await makeResident(url, s.wangge, { name: '户码甲', region_code: GRID1, household_id: t.hh.id });
    t.b = await makeResident(url, s.wangge, { name: '户码乙', region_code: GRID1, household_id: t.hh.id });
    t.c = await makeResident(url, s.wangge, { name: '户码丙', region_code: GRID1, household_id: t.hh.id });
    t.other = await makeResident(url, s.wangge, { name: '户码丁', region_code: GRID1, household_id: t.hh2.id });
  });
  after(async () => {
    await srv?.stop();
  });

  test('a grid worker issues a code: 8–12 characters without look-alikes, valid 30 days; only a hash is stored', async () => {
    const c = await issue('wangge', t.hh.id);
    assert.match(c.code, ALPHABET);
    const days = (Date.parse(c.expires_at) - Date.now()) / 86400e3;
    assert.ok(days > 29.9 && days <= 30, `valid 30 days (${days})`);
    const stored = sql(srv.db, `SELECT count(*) FROM enrolment_codes WHERE household_id = ${t.hh.id}`);
    assert.equal(Number(stored), 1);
    const dump = sql(srv.db, `SELECT * FROM enrolment_codes WHERE household_id = ${t.hh.id}`);
    assert.ok(!dump.includes(c.code), 'the code itself is not stored');
    t.code = c.code;
  });

  test('scope: a grid worker of another grid 404, a building leader 403, a resident 403', async () => {
    assertProblem(await call('wangge2', 'POST', `/api/v1/households/${t.hh.id}/enrolment-code`, {}), 404);
    assertProblem(await call('wangge2', 'DELETE', `/api/v1/households/${t.hh.id}/enrolment-code`), 404);
    assertProblem(await call('loudong', 'POST', `/api/v1/households/${t.hh.id}/enrolment-code`, {}), 403);
    s.jumin = await signInDemo(url, 'jumin');
    assertProblem(await call('jumin', 'POST', `/api/v1/households/${t.hh.id}/enrolment-code`, {}), 403);
    assertProblem(await call('wangge', 'POST', '/api/v1/households/99999999/enrolment-code', {}), 404);
  });

  test('a mismatch of any part is one 422 naming none of them, and leaves no account', async () => {
    refused(await enrol({ code: t.code, name: '户码甲', phone: phone() }), 'wrong phone');
    refused(await enrol({ code: t.code, name: '户码乙', phone: t.a.clear_phone }), 'wrong name');
    refused(await enrol({ code: t.code, name: '户码丁', phone: t.other.clear_phone }), 'member of another household');
    refused(await enrol({ code: 'ABCDEFGHJK', name: '户码甲', phone: t.a.clear_phone }), 'unknown code');
    refused(await enrol({ code: 'not-a-code!', name: '户码甲', phone: t.a.clear_phone }), 'malformed code');
    assert.equal(Number(sql(srv.db, "SELECT count(*) FROM users WHERE username LIKE 'enrol_%'")), 0);
  });

  test('the fields are checked first: field errors under the fields', async () => {
    const res = await enrol({ code: t.code, name: '户码甲', phone: 'abc', username: 'x', password: 'short' });
    assertProblem(res, 422);
    const fields = res.json.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['password', 'phone', 'username']);
    assertProblem(await call(null, 'POST', '/api/v1/enrolments', { code: t.code }), 422);
  });

  test('a match enrols: resident at the household grid, linked; /me carries resident_id and household_id', async () => {
    const username = uname();
    const res = await enrol({ code: t.code.toLowerCase().replace(/^(.{4})/, '$1-'), name: '户码甲', phone: t.a.clear_phone, username });
    assert.equal(res.status, 201, res.text);
    const u = res.json.user;
    assert.equal(u.username, username);
    assert.equal(u.resident_id, t.a.id);
    assert.equal(u.household_id, t.hh.id);
    assert.deepEqual(
      u.grants.map((g) => [g.role, g.region_code]),
      [['resident', GRID1]],
    );
    s.a = await signIn(url, username, PASSWORD);
    const me = await must('a', 'GET', '/api/v1/me', undefined, 200);
    assert.equal(me.resident_id, t.a.id);
    assert.equal(me.household_id, t.hh.id);
    t.userA = u.id;
    // Staff accounts carry nulls.
    const staff = await must('wangge', 'GET', '/api/v1/me', undefined, 200);
    assert.equal(staff.resident_id, null);
    assert.equal(staff.household_id, null);
  });

  test('the code enrols another member of the household, but each member once', async () => {
    refused(await enrol({ code: t.code, name: '户码甲', phone: t.a.clear_phone }), 'the same member again');
    const res = await enrol({ code: t.code, name: '户码乙', phone: t.b.clear_phone });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.user.resident_id, t.b.id);
    t.userB = res.json.user.id;
    // A username taken is told (409) only once the code and the member hold.
    const taken = await enrol({ code: t.code, name: '户码丙', phone: t.c.clear_phone, username: s.a.user.username });
    assertProblem(taken, 409);
  });

  test('a new code revokes the old; a revoked code is refused like any other', async () => {
    const fresh = await issue('shequ', t.hh.id);
    assert.notEqual(fresh.code, t.code);
    refused(await enrol({ code: t.code, name: '户码丙', phone: t.c.clear_phone }), 'the old code after a new one');
    await must('wangge', 'DELETE', `/api/v1/households/${t.hh.id}/enrolment-code`, undefined, 204);
    refused(await enrol({ code: fresh.code, name: '户码丙', phone: t.c.clear_phone }), 'a revoked code');
    assertProblem(await call('wangge', 'DELETE', `/api/v1/households/${t.hh.id}/enrolment-code`), 404);
  });

  test('an expired code is refused like any other', async () => {
    const c = await issue('wangge', t.hh.id);
    sql(srv.db, `UPDATE enrolment_codes SET expires_at = ${Math.floor(Date.now() / 1000) - 1} WHERE household_id = ${t.hh.id} AND status = 'active'`);
    refused(await enrol({ code: c.code, name: '户码丙', phone: t.c.clear_phone }), 'expired');
  });

  test('staff unlink an account: /me loses both; a grid worker of another grid gets 404', async () => {
    assertProblem(await call('wangge2', 'DELETE', `/api/v1/users/${t.userB}/resident-link`), 404);
    assertProblem(await call('loudong', 'DELETE', `/api/v1/users/${t.userB}/resident-link`), 403);
    await must('wangge', 'DELETE', `/api/v1/users/${t.userB}/resident-link`, undefined, 204);
    const got = await must('admin', 'GET', `/api/v1/users/${t.userB}`, undefined, 200);
    assert.equal(got.resident_id, null);
    assert.equal(got.household_id, null);
    // Unlinked, the account is outside the grid worker's reach.
    assertProblem(await call('wangge', 'DELETE', `/api/v1/users/${t.userB}/resident-link`), 404);
  });

  test('a resident moved out loses the link at once', async () => {
    await must('wangge', 'PATCH', `/api/v1/residents/${t.a.id}`, { status: 'moved_out' }, 200);
    const me = await must('a', 'GET', '/api/v1/me', undefined, 200);
    assert.equal(me.resident_id, null);
    assert.equal(me.household_id, null);
  });
});

describe('enrolment attempts are limited like sign-in (--login-per-minute 3)', { timeout: 120_000 }, () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--login-per-minute', '3', '--trusted-proxy', '127.0.0.1'] });
  });
  after(async () => {
    await srv?.stop();
  });

  test('three failed attempts, then 429 with Retry-After; sign-in shares the bucket', async () => {
    const body = { code: 'ABCDEFGHJK', name: '某人', phone: '13900000000', username: 'nobody_x', password: PASSWORD };
    const headers = { 'X-Forwarded-For': '10.0.0.1, 198.51.100.77' };
    for (let i = 0; i < 3; i++) assertProblem(await api(srv.url, 'POST', '/api/v1/enrolments', { body, headers }), 422);
    const limited = await api(srv.url, 'POST', '/api/v1/enrolments', { body, headers });
    assertProblem(limited, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const signin = await api(srv.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: 'x' }, headers });
    assertProblem(signin, 429);
  });
});
