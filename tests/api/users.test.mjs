// Users (admin) and API tokens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  COMM1,
  GRID1,
  GRID2,
  api,
  assertProblem,
  errorFields,
  signIn,
  signInDemo,
  startServer,
  revocationSettled,
  walkList,
} from './harness.mjs';

const STRONG = 'Strong@pass123';

describe('users', { timeout: 180_000 }, () => {
  let srv, url, admin;
  before(async () => {
    srv = await startServer();
    url = srv.url;
    admin = await signInDemo(url, 'admin');
  });
  after(async () => {
    await srv?.stop();
  });

  const create = (body) => api(url, 'POST', '/api/v1/users', { ...admin, body });

  test('admin creates a user: 201, no password in the answer, and the user can sign in', async () => {
    const res = await create({
      username: 'new_worker',
      display_name: '新网格员',
      password: STRONG,
      grants: [{ role: 'grid_worker', region_code: GRID2 }],
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(typeof res.json.id, 'number');
    assert.equal(res.json.username, 'new_worker');
    assert.equal(res.json.display_name, '新网格员');
    assert.equal(res.json.disabled, false);
    assert.deepEqual(
      res.json.grants.map((g) => [g.role, g.region_code]),
      [['grid_worker', GRID2]],
    );
    assert.ok(!/password|hash|argon/i.test(JSON.stringify(res.json)), `no password in ${res.text}`);
    assert.ok(!res.text.includes(STRONG));
    const got = await api(url, 'GET', `/api/v1/users/${res.json.id}`, admin);
    assert.equal(got.status, 200);
    assert.ok(!/password|argon/i.test(got.text));
    const s = await signIn(url, 'new_worker', STRONG);
    assert.equal(s.user.id, res.json.id);
    // and the grant gives exactly that grid
    assert.equal((await api(url, 'GET', `/api/v1/regions/${GRID2}`, s)).status, 200);
    assertProblem(await api(url, 'GET', `/api/v1/regions/${GRID1}`, s), [403, 404]);
  });

  test('duplicate username → 409', async () => {
    const res = await create({ username: 'wangge', display_name: 'x', password: STRONG, grants: [] });
    assertProblem(res, 409);
    const res2 = await create({ username: 'new_worker', display_name: 'x', password: STRONG, grants: [] });
    assertProblem(res2, 409);
  });

  test('weak passwords → 422 with errors[].field == "password"', async () => {
    for (const pw of ['Short1!', 'alllowercaseletters', 'ALLUPPER123456', '1234567890123', 'abcDEFghiJKL']) {
      const res = await create({ username: 'weak_pw', display_name: 'x', password: pw, grants: [] });
      assertProblem(res, 422, pw);
      assert.ok(errorFields(res).includes('password'), `${pw}: ${res.text}`);
    }
    // 10 characters of 3 classes is enough
    const ok = await create({ username: 'weak_pw', display_name: 'x', password: 'abcdefG12!'.slice(0, 10), grants: [] });
    assert.equal(ok.status, 201, ok.text);
  });

  test('unknown role → 422 (or 400)', async () => {
    const res = await create({
      username: 'bad_role',
      display_name: 'x',
      password: STRONG,
      grants: [{ role: 'emperor', region_code: GRID1 }],
    });
    assertProblem(res, [400, 422]);
    assert.ok(
      errorFields(res).some((f) => f.startsWith('grants')),
      res.text,
    );
  });

  test('a grant on a region that does not exist → 422', async () => {
    const res = await create({
      username: 'no_region',
      display_name: 'x',
      password: STRONG,
      grants: [{ role: 'grid_worker', region_code: '999901001001099' }],
    });
    assertProblem(res, 422);
    assert.ok(
      errorFields(res).some((f) => f.startsWith('grants')),
      res.text,
    );
    const bad = await create({
      username: 'no_region',
      display_name: 'x',
      password: STRONG,
      grants: [{ role: 'grid_worker', region_code: '12345' }],
    });
    assertProblem(bad, 422);
    const missing = await create({
      username: 'no_region',
      display_name: 'x',
      password: STRONG,
      grants: [{ role: 'grid_worker' }],
    });
    assertProblem(missing, 422, 'a non-admin grant without region');
  });

  test('a department user without unit → 422; with unit → 201', async () => {
    const res = await create({
      username: 'dept_nounit',
      display_name: '派出所',
      password: STRONG,
      grants: [{ role: 'department', region_code: '999901' }],
    });
    assertProblem(res, 422);
    assert.ok(errorFields(res).includes('unit'), res.text);
    const ok = await create({
      username: 'dept_unit',
      display_name: '派出所民警',
      password: STRONG,
      unit: '派出所',
      grants: [{ role: 'department', region_code: '999901' }],
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.unit, '派出所');
  });

  test('required fields and username format → 422', async () => {
    const res = await create({ display_name: 'x', password: STRONG });
    assertProblem(res, 422);
    assert.ok(errorFields(res).includes('username'));
    const res2 = await create({ username: 'has space', display_name: 'x', password: STRONG });
    assertProblem(res2, 422);
    assert.ok(errorFields(res2).includes('username'));
    const res3 = await create({ username: 'nopass', display_name: 'x' });
    assertProblem(res3, 422);
    assert.ok(errorFields(res3).includes('password'));
  });

  test('list pages with limit=2 and next_cursor walks every user once', async () => {
    const all = await api(url, 'GET', '/api/v1/users?limit=200', admin);
    assert.equal(all.status, 200);
    assert.equal(all.json.next_cursor, null);
    const total = all.json.items.length;
    assert.ok(total >= 14, `admin + 11 demo users + created ones: ${total}`);
    const walked = await walkList(url, '/api/v1/users', admin, 2);
    assert.equal(walked.length, total);
    assert.equal(new Set(walked.map((u) => u.id)).size, total, 'no user twice');
    assert.deepEqual(
      walked.map((u) => u.id).sort((a, b) => a - b),
      all.json.items.map((u) => u.id).sort((a, b) => a - b),
    );
    assert.ok(walked.every((u) => !('password' in u) && !('password_hash' in u)));
    const first = await api(url, 'GET', '/api/v1/users?limit=2', admin);
    assert.equal(first.json.items.length, 2);
    assert.equal(typeof first.json.next_cursor, 'string');
  });

  test('PATCH display_name and unit', async () => {
    const mk = await create({ username: 'rename_me', display_name: '旧名', password: STRONG, grants: [] });
    const res = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, {
      ...admin,
      body: { display_name: '新名字' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.display_name, '新名字');
    const got = await api(url, 'GET', `/api/v1/users/${mk.json.id}`, admin);
    assert.equal(got.json.display_name, '新名字');
    const empty = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, { ...admin, body: { display_name: '' } });
    assertProblem(empty, 422);
    assertProblem(await api(url, 'PATCH', '/api/v1/users/999999', { ...admin, body: { display_name: 'x' } }), 404);
  });

  test('a disabled user cannot sign in and its sessions end; re-enabled it can', async () => {
    const mk = await create({
      username: 'soon_disabled',
      display_name: 'x',
      password: STRONG,
      grants: [{ role: 'grid_worker', region_code: GRID1 }],
    });
    const s = await signIn(url, 'soon_disabled', STRONG);
    assert.equal((await api(url, 'GET', '/api/v1/me', s)).status, 200);
    const dis = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, { ...admin, body: { disabled: true } });
    assert.equal(dis.status, 200, dis.text);
    assert.equal(dis.json.disabled, true);
    await revocationSettled();
    assertProblem(await api(url, 'GET', '/api/v1/me', s), 401, 'old session after disabling');
    const again = await api(url, 'POST', '/api/v1/session', { body: { username: 'soon_disabled', password: STRONG } });
    assertProblem(again, [401, 403]);
    const en = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, { ...admin, body: { disabled: false } });
    assert.equal(en.status, 200);
    assert.equal(en.json.disabled, false);
    await signIn(url, 'soon_disabled', STRONG);
  });

  test('admin cannot disable itself', async () => {
    const res = await api(url, 'PATCH', `/api/v1/users/${admin.user.id}`, { ...admin, body: { disabled: true } });
    assertProblem(res, 422);
    assert.equal((await api(url, 'GET', '/api/v1/me', admin)).status, 200);
  });

  test("a password change ends the user's sessions; the new password works, the old does not", async () => {
    const mk = await create({
      username: 'pw_change',
      display_name: 'x',
      password: STRONG,
      grants: [{ role: 'grid_worker', region_code: GRID1 }],
    });
    const s1 = await signIn(url, 'pw_change', STRONG);
    const s2 = await signIn(url, 'pw_change', STRONG);
    const weak = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, { ...admin, body: { password: 'weak' } });
    assertProblem(weak, 422);
    assert.ok(errorFields(weak).includes('password'));
    assert.equal((await api(url, 'GET', '/api/v1/me', s1)).status, 200, 'a refused change keeps sessions');
    const res = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, {
      ...admin,
      body: { password: 'Another#pass456' },
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(!/Another#pass456|argon/.test(res.text));
    await revocationSettled();
    assertProblem(await api(url, 'GET', '/api/v1/me', s1), 401);
    assertProblem(await api(url, 'GET', '/api/v1/me', s2), 401);
    assertProblem(await api(url, 'POST', '/api/v1/session', { body: { username: 'pw_change', password: STRONG } }), 401);
    await signIn(url, 'pw_change', 'Another#pass456');
  });

  test('changing grants ends sessions and changes the scope', async () => {
    const mk = await create({
      username: 'regrant',
      display_name: 'x',
      password: STRONG,
      grants: [{ role: 'grid_worker', region_code: GRID1 }],
    });
    const s1 = await signIn(url, 'regrant', STRONG);
    const res = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, {
      ...admin,
      body: { grants: [{ role: 'community', region_code: COMM1 }] },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.json.grants.map((g) => g.role),
      ['community'],
    );
    await revocationSettled();
    assertProblem(await api(url, 'GET', '/api/v1/me', s1), 401);
    const s2 = await signIn(url, 'regrant', STRONG);
    const kids = await api(url, 'GET', `/api/v1/regions?parent=${COMM1}`, s2);
    assert.equal(kids.status, 200);
    const unknown = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, {
      ...admin,
      body: { grants: [{ role: 'community', region_code: '999901001009' }] },
    });
    assertProblem(unknown, 422);
  });
});

describe('API tokens', { timeout: 180_000 }, () => {
  let srv, url, admin;
  let wgToken, wgTokenId, commToken;
  before(async () => {
    srv = await startServer();
    url = srv.url;
    admin = await signInDemo(url, 'admin');
  });
  after(async () => {
    await srv?.stop();
  });

  test('admin creates a token: 201 with the secret shown once', async () => {
    const res = await api(url, 'POST', '/api/v1/tokens', {
      ...admin,
      body: { name: '网格A接口', grants: [{ role: 'grid_worker', region_code: GRID1 }] },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(typeof res.json.id, 'number');
    assert.equal(res.json.name, '网格A接口');
    assert.equal(typeof res.json.token, 'string');
    assert.ok(res.json.token.length >= 32, 'a long secret');
    wgToken = res.json.token;
    wgTokenId = res.json.id;
    const c = await api(url, 'POST', '/api/v1/tokens', {
      ...admin,
      body: { name: '社区接口', grants: [{ role: 'community', region_code: COMM1 }] },
    });
    assert.equal(c.status, 201, c.text);
    commToken = c.json.token;
    assert.notEqual(commToken, wgToken);
  });

  test('GET /api/v1/tokens lists tokens without their secrets', async () => {
    const res = await api(url, 'GET', '/api/v1/tokens', admin);
    assert.equal(res.status, 200);
    const t = res.json.items.find((x) => x.id === wgTokenId);
    assert.ok(t, 'token listed');
    assert.equal(t.name, '网格A接口');
    assert.ok(!('token' in t), 'no token field');
    assert.ok(!res.text.includes(wgToken), 'secret not in the list');
    assert.ok(!res.text.includes(wgToken.slice(3, 20)), 'no part of the secret in the list');
    assert.ok(!res.text.includes(commToken));
    const walked = await walkList(url, '/api/v1/tokens', admin, 1);
    assert.equal(walked.length, res.json.items.length);
  });

  test("the token works as Bearer with its grant's scope: grid A yes, grid B no", async () => {
    const me = await api(url, 'GET', '/api/v1/me', { token: wgToken });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(
      me.json.grants.map((g) => [g.role, g.region_code]),
      [['grid_worker', GRID1]],
    );
    assert.equal((await api(url, 'GET', `/api/v1/regions/${GRID1}`, { token: wgToken })).status, 200);
    assertProblem(await api(url, 'GET', `/api/v1/regions/${GRID2}`, { token: wgToken }), [403, 404]);
    assertProblem(await api(url, 'GET', `/api/v1/regions?parent=${COMM1}`, { token: wgToken }), [403, 404]);
    assertProblem(await api(url, 'GET', '/api/v1/users', { token: wgToken }), 403);
    const roots = await api(url, 'GET', '/api/v1/regions', { token: wgToken });
    assert.deepEqual(
      roots.json.items.map((r) => r.code),
      [GRID1],
    );
    // a grid worker's token cannot create regions even without CSRF troubles
    assertProblem(
      await api(url, 'POST', '/api/v1/regions', {
        token: wgToken,
        body: { code: COMM1 + '021', name: 'x', parent_code: COMM1 },
      }),
      403,
    );
  });

  test("a token's use is recorded: last_used is null before, a time after, in GET /tokens", async () => {
    const made = await api(url, 'POST', '/api/v1/tokens', {
      ...admin,
      body: { name: '用量接口', grants: [{ role: 'community', region_code: COMM1 }] },
    });
    assert.equal(made.status, 201, made.text);
    const find = async () => (await walkList(url, '/api/v1/tokens', admin, 50)).find((x) => x.id === made.json.id);
    assert.equal((await find()).last_used, null, 'never used');
    const t0 = Date.now();
    assert.equal((await api(url, 'GET', '/api/v1/me', { token: made.json.token })).status, 200);
    const used = (await find()).last_used;
    assert.ok(used, 'last_used set after a request');
    assert.ok(Math.abs(Date.parse(used) - t0) < 5000, `last_used ${used} is about now`);
    // at most once a minute: later requests leave it as it is
    assert.equal((await api(url, 'GET', '/api/v1/me', { token: made.json.token })).status, 200);
    assert.equal((await find()).last_used, used);
  });

  test('malformed ids in paths → 404, never read as a number', async () => {
    for (const id of ['1abc', 'abc', '0', '-1', '1e3', ' 1', '1234567890123456789']) {
      const p = encodeURIComponent(id);
      assertProblem(await api(url, 'GET', `/api/v1/users/${p}`, admin), 404, `GET users/${id}`);
      assertProblem(await api(url, 'PATCH', `/api/v1/users/${p}`, { ...admin, body: { display_name: 'x' } }), 404, `PATCH users/${id}`);
      assertProblem(await api(url, 'DELETE', `/api/v1/tokens/${p}`, admin), 404, `DELETE tokens/${id}`);
    }
    // the id 1 is the admin: 1abc must not be read as 1
    assert.equal((await api(url, 'GET', '/api/v1/users/1', admin)).status, 200);
    for (const q of ['limit=abc', 'limit=0', 'cursor=12', 'cursor=abc']) {
      assertProblem(await api(url, 'GET', `/api/v1/users?${q}`, admin), 400, `users?${q}`);
      assertProblem(await api(url, 'GET', `/api/v1/tokens?${q}`, admin), 400, `tokens?${q}`);
      assertProblem(await api(url, 'GET', `/api/v1/audit?${q}`, admin), 400, `audit?${q}`);
    }
  });

  test('Bearer writes need no CSRF token', async () => {
    const res = await api(url, 'POST', '/api/v1/regions', {
      token: commToken,
      body: { code: COMM1 + '022', name: '接口新建网格', parent_code: COMM1 },
    });
    assert.equal(res.status, 201, res.text);
    const outside = await api(url, 'POST', '/api/v1/regions', {
      token: commToken,
      body: { code: '999901001002022', name: 'x', parent_code: '999901001002' },
    });
    assertProblem(outside, 403);
    // a token has no session to sign out of
    assertProblem(await api(url, 'DELETE', '/api/v1/session', { token: commToken }), [400, 409]);
  });

  test('token creation rules: grants required, regions must exist, admin only', async () => {
    const none = await api(url, 'POST', '/api/v1/tokens', { ...admin, body: { name: 'x' } });
    assertProblem(none, 422);
    assert.ok(errorFields(none).includes('grants'));
    const empty = await api(url, 'POST', '/api/v1/tokens', { ...admin, body: { name: 'x', grants: [] } });
    assertProblem(empty, 422);
    const noname = await api(url, 'POST', '/api/v1/tokens', {
      ...admin,
      body: { grants: [{ role: 'grid_worker', region_code: GRID1 }] },
    });
    assertProblem(noname, 422);
    assert.ok(errorFields(noname).includes('name'));
    const unknown = await api(url, 'POST', '/api/v1/tokens', {
      ...admin,
      body: { name: 'x', grants: [{ role: 'grid_worker', region_code: '999901001001099' }] },
    });
    assertProblem(unknown, 422);
    const shequ = await signInDemo(url, 'shequ');
    assertProblem(
      await api(url, 'POST', '/api/v1/tokens', {
        ...shequ,
        body: { name: 'x', grants: [{ role: 'community', region_code: COMM1 }] },
      }),
      403,
    );
    // a token cannot mint tokens unless it is an admin token
    assertProblem(
      await api(url, 'POST', '/api/v1/tokens', {
        token: commToken,
        body: { name: 'x', grants: [{ role: 'community', region_code: COMM1 }] },
      }),
      403,
    );
  });

  test('DELETE revokes: 204, then the token → 401; a second DELETE → 404', async () => {
    const del = await api(url, 'DELETE', `/api/v1/tokens/${wgTokenId}`, admin);
    assert.equal(del.status, 204, del.text);
    await revocationSettled();
    assertProblem(await api(url, 'GET', '/api/v1/me', { token: wgToken }), 401);
    assertProblem(await api(url, 'GET', `/api/v1/regions/${GRID1}`, { token: wgToken }), 401);
    const again = await api(url, 'DELETE', `/api/v1/tokens/${wgTokenId}`, admin);
    assertProblem(again, 404);
    // the other token still works
    assert.equal((await api(url, 'GET', '/api/v1/me', { token: commToken })).status, 200);
    // and a revoked token is not offered as active in the list
    const list = await api(url, 'GET', '/api/v1/tokens', admin);
    const t = list.json.items.find((x) => x.id === wgTokenId);
    assert.ok(!t || t.revoked_at || t.revoked === true || t.status === 'revoked', `revoked token listed as active: ${JSON.stringify(t)}`);
  });

  test('made-up tokens → 401', async () => {
    assertProblem(await api(url, 'GET', '/api/v1/me', { token: 'jc_' + 'A'.repeat(43) }), 401);
    assertProblem(await api(url, 'GET', '/api/v1/me', { token: wgToken + 'x' }), 401);
  });
});
