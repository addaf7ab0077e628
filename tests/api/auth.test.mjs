// Sign-in, lock-out, sign-out, CSRF and the idle time-out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD,
  DEMO_PASSWORD,
  GRID1,
  api,
  assertProblem,
  revocationSettled,
  sessionSetCookie,
  signIn,
  signInDemo,
  sleep,
  startServer,
} from './harness.mjs';

describe('sign-in, lock-out, sign-out and CSRF', { timeout: 180_000 }, () => {
  let srv, url, admin;
  before(async () => {
    srv = await startServer({ args: ['--lockout-failures', '3', '--lockout-seconds', '60'] });
    url = srv.url;
    admin = await signIn(url, 'admin', ADMIN_PASSWORD);
  });
  after(async () => {
    await srv?.stop();
  });

  test('GET /healthz answers {"status":"ok"} without credentials', async () => {
    const res = await api(url, 'GET', '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'ok' });
  });

  test('right password: 200 with user, csrf_token and a HttpOnly SameSite=Strict Path=/ cookie', async () => {
    const res = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'shequ', password: DEMO_PASSWORD },
    });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(res.json.user.username, 'shequ');
    assert.equal(typeof res.json.user.id, 'number');
    assert.ok(!JSON.stringify(res.json).toLowerCase().includes('password'), 'no password in the answer');
    assert.equal(typeof res.json.csrf_token, 'string');
    assert.ok(res.json.csrf_token.length >= 16, 'csrf token long enough');
    const sc = sessionSetCookie(res.headers);
    assert.ok(sc, 'Set-Cookie jiceng_session=…');
    const parts = sc.split(';').map((s) => s.trim().toLowerCase());
    assert.ok(parts[0].length > 'jiceng_session='.length + 16, 'session id long enough');
    assert.ok(parts.includes('httponly'), `HttpOnly in ${sc}`);
    assert.ok(parts.includes('samesite=strict'), `SameSite=Strict in ${sc}`);
    assert.ok(parts.includes('path=/'), `Path=/ in ${sc}`);
    // The cookie works, /me shows the grants.
    const cookie = sc.split(';')[0];
    const me = await api(url, 'GET', '/api/v1/me', { cookie });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.username, 'shequ');
    assert.deepEqual(
      me.json.grants.map((g) => [g.role, g.region_code]),
      [['community', '999901001001']],
    );
  });

  test('wrong password → 401 problem, no cookie', async () => {
    const res = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'jiedao', password: 'Wrong@password1' },
    });
    assertProblem(res, 401);
    assert.equal(sessionSetCookie(res.headers), undefined);
  });

  test('unknown user → 401 problem, same as a wrong password', async () => {
    const res = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'nobody_here', password: 'Wrong@password1' },
    });
    const p = assertProblem(res, 401);
    const wrong = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'jiedao', password: 'Wrong@password2' },
    });
    assertProblem(wrong, 401);
    assert.equal(p.detail, wrong.json.detail, 'the answer does not tell unknown users apart');
  });

  test('sign-in with missing or mistyped fields → 400/422, never 500', async () => {
    const r1 = await api(url, 'POST', '/api/v1/session', { body: { username: 'jiedao' } });
    assertProblem(r1, [400, 422]);
    const r2 = await api(url, 'POST', '/api/v1/session', { body: { username: 5, password: 'x' } });
    assertProblem(r2, 400);
    const r3 = await api(url, 'POST', '/api/v1/session', { rawBody: '{"username":' });
    assertProblem(r3, 400);
  });

  test('lock-out: 3 failures → 429 with Retry-After; then even the right password is refused until an admin unlocks', async () => {
    const statuses = [];
    let locked;
    for (let i = 0; i < 4; i++) {
      const res = await api(url, 'POST', '/api/v1/session', {
        body: { username: 'wangge2', password: `Wrong@pass${i}x` },
      });
      statuses.push(res.status);
      if (res.status === 429 || res.status === 423) {
        locked = res;
        break;
      }
      assertProblem(res, 401);
    }
    assert.ok(locked, `no lock-out after 4 wrong passwords: ${statuses}`);
    assert.ok(statuses.length <= 4, `locked by the 3rd or 4th attempt: ${statuses}`);
    assertProblem(locked, [423, 429]);
    const ra = Number(locked.headers.get('retry-after'));
    assert.ok(Number.isInteger(ra) && ra > 0 && ra <= 60, `Retry-After: ${locked.headers.get('retry-after')}`);

    const right = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'wangge2', password: DEMO_PASSWORD },
    });
    assertProblem(right, [423, 429], 'right password while locked');
    assert.ok(Number(right.headers.get('retry-after')) > 0, 'Retry-After on the refused right password');
    assert.equal(sessionSetCookie(right.headers), undefined);

    // The admin sees the lock and lifts it.
    const list = await api(url, 'GET', '/api/v1/users?limit=200', admin);
    const u = list.json.items.find((x) => x.username === 'wangge2');
    assert.ok(u, 'wangge2 listed');
    assert.ok(u.locked_until, 'locked_until shown while locked');
    const unlock = await api(url, 'PATCH', `/api/v1/users/${u.id}`, { ...admin, body: { unlock: true } });
    assert.equal(unlock.status, 200, unlock.text);
    assert.ok(!unlock.json.locked_until, 'locked_until cleared');
    const again = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'wangge2', password: DEMO_PASSWORD },
    });
    assert.equal(again.status, 200, again.text);
  });

  test('a successful sign-in resets the failure count', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await api(url, 'POST', '/api/v1/session', { body: { username: 'dudao', password: 'Nope@nope12' } });
      assertProblem(r, 401);
    }
    await signInDemo(url, 'dudao');
    for (let i = 0; i < 2; i++) {
      const r = await api(url, 'POST', '/api/v1/session', { body: { username: 'dudao', password: 'Nope@nope12' } });
      assertProblem(r, 401, `failure ${i + 1} after a good sign-in`);
    }
    await signInDemo(url, 'dudao');
  });

  test('sign-out: DELETE /api/v1/session with CSRF → 204, the cookie is cleared, then /me → 401', async () => {
    const s = await signInDemo(url, 'jiedao');
    const me = await api(url, 'GET', '/api/v1/me', s);
    assert.equal(me.status, 200);
    const out = await api(url, 'DELETE', '/api/v1/session', s);
    assert.equal(out.status, 204, out.text);
    const sc = sessionSetCookie(out.headers);
    assert.ok(sc && /max-age=0/i.test(sc), `cookie cleared: ${sc}`);
    await revocationSettled();
    const after1 = await api(url, 'GET', '/api/v1/me', s);
    assertProblem(after1, 401);
    const again = await api(url, 'DELETE', '/api/v1/session', s);
    assertProblem(again, 401, 'signing out twice');
  });

  test('no cookie or a made-up cookie → 401', async () => {
    assertProblem(await api(url, 'GET', '/api/v1/me'), 401);
    assertProblem(await api(url, 'GET', '/api/v1/me', { cookie: 'jiceng_session=made-up-value' }), 401);
    assertProblem(await api(url, 'GET', '/api/v1/regions'), 401);
    assertProblem(await api(url, 'GET', '/api/v1/users'), 401);
    assertProblem(await api(url, 'POST', '/api/v1/regions', { body: { code: '999901003', name: 'x' } }), 401);
  });

  test('CSRF: cookie-session writes without X-CSRF-Token → 403 and nothing changes', async () => {
    const shequ = await signInDemo(url, 'shequ');
    const before1 = await api(url, 'GET', `/api/v1/regions/${GRID1}`, shequ);
    assert.equal(before1.status, 200);

    // PATCH without the header
    const p = await api(url, 'PATCH', `/api/v1/regions/${GRID1}`, {
      cookie: shequ.cookie,
      body: { name: '被篡改的网格' },
    });
    assertProblem(p, 403);
    const after1 = await api(url, 'GET', `/api/v1/regions/${GRID1}`, shequ);
    assert.equal(after1.json.name, before1.json.name, 'name unchanged');

    // POST without the header
    const c = await api(url, 'POST', '/api/v1/regions', {
      cookie: shequ.cookie,
      body: { code: '999901001001020', name: '无令牌网格', parent_code: '999901001001' },
    });
    assertProblem(c, 403);
    const got = await api(url, 'GET', '/api/v1/regions/999901001001020', shequ);
    assertProblem(got, 404, 'region not created');

    // DELETE session without the header: still signed in
    const d = await api(url, 'DELETE', '/api/v1/session', { cookie: shequ.cookie });
    assertProblem(d, 403);
    const me = await api(url, 'GET', '/api/v1/me', shequ);
    assert.equal(me.status, 200, 'session survives a sign-out without CSRF');

    // admin write without the header
    const u = await api(url, 'POST', '/api/v1/users', {
      cookie: admin.cookie,
      body: { username: 'csrf_victim', display_name: 'x', password: 'Strong@pass123', grants: [] },
    });
    assertProblem(u, 403);
    const list = await api(url, 'GET', '/api/v1/users?limit=200', admin);
    assert.ok(!list.json.items.some((x) => x.username === 'csrf_victim'), 'user not created');
  });

  test("CSRF: a wrong or another session's token → 403; the right one → success", async () => {
    const shequ = await signInDemo(url, 'shequ');
    const other = await signInDemo(url, 'jiedao');
    const wrong = await api(url, 'PATCH', `/api/v1/regions/${GRID1}`, {
      cookie: shequ.cookie,
      csrf: shequ.csrf.slice(0, -1) + (shequ.csrf.endsWith('A') ? 'B' : 'A'),
      body: { planned_households: 555 },
    });
    assertProblem(wrong, 403);
    const foreign = await api(url, 'PATCH', `/api/v1/regions/${GRID1}`, {
      cookie: shequ.cookie,
      csrf: other.csrf,
      body: { planned_households: 555 },
    });
    assertProblem(foreign, 403);
    const empty = await api(url, 'PATCH', `/api/v1/regions/${GRID1}`, {
      cookie: shequ.cookie,
      headers: { 'X-CSRF-Token': '' },
      body: { planned_households: 555 },
    });
    assertProblem(empty, 403);
    const cur = await api(url, 'GET', `/api/v1/regions/${GRID1}`, shequ);
    assert.notEqual(cur.json.planned_households, 555, 'not changed by refused requests');

    const ok = await api(url, 'PATCH', `/api/v1/regions/${GRID1}`, { ...shequ, body: { planned_households: 555 } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.planned_households, 555);
    const back = await api(url, 'GET', `/api/v1/regions/${GRID1}`, shequ);
    assert.equal(back.json.planned_households, 555);
  });

  test('reads need no CSRF token', async () => {
    const s = await signInDemo(url, 'wangge');
    const res = await api(url, 'GET', '/api/v1/me', { cookie: s.cookie });
    assert.equal(res.status, 200);
    assert.equal(res.json.csrf_token, s.csrf, "/me hands the session's CSRF token back");
  });

  test('a disabled account cannot sign in, and a wrong password for it answers like any wrong password', async () => {
    const mk = await api(url, 'POST', '/api/v1/users', {
      ...admin,
      body: {
        username: 'to_disable',
        display_name: '待停用',
        password: 'Strong@pass123',
        grants: [{ role: 'grid_worker', region_code: GRID1 }],
      },
    });
    assert.equal(mk.status, 201, mk.text);
    const dis = await api(url, 'PATCH', `/api/v1/users/${mk.json.id}`, { ...admin, body: { disabled: true } });
    assert.equal(dis.status, 200, dis.text);
    const right = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'to_disable', password: 'Strong@pass123' },
    });
    assertProblem(right, [401, 403]);
    // Someone who does not know the password must not learn that the account exists and is disabled.
    const wrong = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'to_disable', password: 'Guess@word123' },
    });
    assertProblem(wrong, 401, 'wrong password for a disabled account');
  });
});

describe('idle time-out (--idle-timeout 2)', { timeout: 180_000 }, () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--idle-timeout', '2'] });
  });
  after(async () => {
    await srv?.stop();
  });

  test('a session unused for longer than the idle time-out ends', async () => {
    const s = await signInDemo(srv.url, 'shequ');
    const me = await api(srv.url, 'GET', '/api/v1/me', s);
    assert.equal(me.status, 200);
    assert.equal(me.json.idle_timeout, 2);
    await sleep(3500);
    assertProblem(await api(srv.url, 'GET', '/api/v1/me', s), 401);
    // and stays ended
    assertProblem(await api(srv.url, 'GET', '/api/v1/regions', s), 401);
  });

  test('ended sessions are removed from the database by a later sign-in', async () => {
    const count = (id) => Number(srv.sql(`SELECT count(*) FROM sessions WHERE user_id = ${id}`));
    const first = await signInDemo(srv.url, 'dudao');
    assert.equal(count(first.user.id), 1);
    await sleep(3500);
    assertProblem(await api(srv.url, 'GET', '/api/v1/me', first), 401);
    const second = await signInDemo(srv.url, 'dudao');
    assert.equal(count(second.user.id), 1, 'the idle session is gone, the new one is there');
    assert.equal((await api(srv.url, 'GET', '/api/v1/me', second)).status, 200);
  });

  test('a session in use stays signed in past the idle time-out', async () => {
    // Requests every 0.8 s for 4 s: the user is never idle for 2 s.
    const s = await signInDemo(srv.url, 'jiedao');
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      await sleep(800);
      statuses.push((await api(srv.url, 'GET', '/api/v1/me', s)).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200], 'an active user is not signed out');
  });
});

// Timing of one sign-in attempt, in ms.
async function timedSignIn(url, username, password, headers = {}) {
  const t0 = process.hrtime.bigint();
  const res = await api(url, 'POST', '/api/v1/session', { body: { username, password }, headers });
  return { res, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

// What a client can see of a refused sign-in: status, the whole problem body, Retry-After.
function visible(res) {
  return { status: res.status, body: res.json, retryAfter: res.headers.get('retry-after') };
}

describe('lock-out tells no username apart (--lockout-failures 3)', { timeout: 180_000 }, () => {
  let srv, url;
  before(async () => {
    srv = await startServer({
      args: ['--lockout-failures', '3', '--lockout-seconds', '60', '--login-per-minute', '0', '--trusted-proxy', '192.0.2.1'],
    });
    url = srv.url;
  });
  after(async () => {
    await srv?.stop();
  });

  test('an unknown username answers every attempt exactly like an existing one: 401, 401, 429, 429 with the same body and Retry-After', async () => {
    const seq = async (username) => {
      const out = [];
      for (let i = 0; i < 5; i++) {
        const at = Date.now();
        out.push({ ...visible((await timedSignIn(url, username, `Wrong@pass${i}x`)).res), at });
      }
      return out;
    };
    const known = await seq('wangge');
    const unknown = await seq('no_such_user_7');
    assert.deepEqual(
      known.map((r) => r.status),
      [401, 401, 429, 429, 429],
    );
    for (let i = 0; i < known.length; i++) {
      assert.deepEqual(unknown[i].status, known[i].status, `attempt ${i + 1}`);
      assert.deepEqual(unknown[i].body, known[i].body, `attempt ${i + 1}: the same problem body`);
      if (known[i].retryAfter === null) {
        assert.equal(unknown[i].retryAfter, null, `attempt ${i + 1}: no Retry-After`);
      } else {
        // both count down from the same lock length, from the attempt that locked (the third);
        // each is read some time after its own lock began (a sign-in is slow on a loaded machine)
        const since = (seqOf, k) => (seqOf[k].at - seqOf[2].at) / 1000;
        const drift = Math.abs(since(unknown, i) - since(known, i));
        assert.ok(
          Math.abs(Number(unknown[i].retryAfter) - Number(known[i].retryAfter)) <= 2 + drift,
          `attempt ${i + 1}: Retry-After ${unknown[i].retryAfter} vs ${known[i].retryAfter}`,
        );
      }
    }
  });

  test('a wrong password takes about as long for an unknown username as for an existing one', async () => {
    // Two attempts per name (below the lock), alternating, medians compared.
    const known = [],
      unknown = [];
    const names = ['jiedao', 'dudao', 'wanggezhang'];
    for (let i = 0; i < names.length; i++) {
      for (let k = 0; k < 2; k++) {
        const a = await timedSignIn(url, names[i], `Wrong@pass${k}y`);
        assertProblem(a.res, 401);
        known.push(a.ms);
        const b = await timedSignIn(url, `ghost_${i}_x`, `Wrong@pass${k}y`);
        assertProblem(b.res, 401);
        unknown.push(b.ms);
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const mk = median(known),
      mu = median(unknown);
    assert.ok(mu > mk * 0.5 && mu < mk * 2, `median ${mu.toFixed(1)} ms (unknown) vs ${mk.toFixed(1)} ms (known)`);
  });

  test('forwarding headers from a client that is not the trusted proxy are ignored', async () => {
    const res = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'shequ', password: DEMO_PASSWORD },
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.9' },
    });
    assert.equal(res.status, 200, res.text);
    const parts = sessionSetCookie(res.headers)
      .split(';')
      .map((s) => s.trim().toLowerCase());
    assert.ok(!parts.includes('secure'), 'no Secure on the word of an untrusted client');
    const admin = await signIn(url, 'admin', ADMIN_PASSWORD);
    const audit = await api(url, 'GET', '/api/v1/audit?limit=10', admin);
    const row = audit.json.items.find((e) => e.action === 'session.sign_in' && e.username === 'shequ');
    assert.equal(row.ip, '127.0.0.1', 'the peer, not the claimed address');
  });
});

describe('per-address sign-in limit and the trusted proxy (--login-per-minute 3 --trusted-proxy 127.0.0.1)', { timeout: 180_000 }, () => {
  let srv, url;
  before(async () => {
    srv = await startServer({ args: ['--login-per-minute', '3', '--trusted-proxy', '127.0.0.1'] });
    url = srv.url;
  });
  after(async () => {
    await srv?.stop();
  });
  const from = (ip, extra = {}) => ({ 'X-Forwarded-For': `10.0.0.1, ${ip}`, ...extra });

  test('an address gets 3 attempts a minute; the 4th → 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const { res } = await timedSignIn(url, 'jiedao', `Wrong@pass${i}z`, from('203.0.113.7'));
      assertProblem(res, 401, `attempt ${i + 1}`);
    }
    const { res: fourth, ms } = await timedSignIn(url, 'jiedao', DEMO_PASSWORD, from('203.0.113.7'));
    assertProblem(fourth, 429);
    assert.match(fourth.json.detail, /频繁/);
    const ra = Number(fourth.headers.get('retry-after'));
    assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 60, `Retry-After ${fourth.headers.get('retry-after')}`);
    assert.equal(sessionSetCookie(fourth.headers), undefined);
    assert.ok(ms < 1000, `refused before any password hashing (${ms.toFixed(1)} ms)`);
    // another address is not affected
    const other = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'jiedao', password: DEMO_PASSWORD },
      headers: from('203.0.113.8'),
    });
    assert.equal(other.status, 200, other.text);
  });

  test('IPv6 clients are limited by their /64, not per address', async () => {
    for (const ip of ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2:ffff::1']) {
      assertProblem((await timedSignIn(url, 'wanggezhang', 'Wrong@pass6x', from(ip))).res, 401, ip);
    }
    assertProblem((await timedSignIn(url, 'wanggezhang', 'Wrong@pass6x', from('2001:db8:1:2::d'))).res, 429, 'same /64');
    assertProblem((await timedSignIn(url, 'wanggezhang', 'Wrong@pass6x', from('2001:db8:1:3::d'))).res, 401, 'another /64');
  });

  test('successful sign-ins give their attempt back', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await api(url, 'POST', '/api/v1/session', {
        body: { username: 'shequ', password: DEMO_PASSWORD },
        headers: from('203.0.113.9'),
      });
      assert.equal(res.status, 200, `sign-in ${i + 1}: ${res.text}`);
    }
  });

  test('the client address the proxy names is what the audit records; refusals by the limit are not audited', async () => {
    const admin = await signIn(url, 'admin', ADMIN_PASSWORD);
    const audit = await api(url, 'GET', '/api/v1/audit?limit=100', admin);
    const rows = audit.json.items.filter((e) => e.action === 'session.sign_in' && e.ip === '203.0.113.7');
    assert.equal(rows.length, 3, `the 3 failures, not the refused 4th: ${JSON.stringify(rows)}`);
    assert.ok(rows.every((e) => e.result === 401));
  });

  test('Secure on the session cookie when the trusted proxy says X-Forwarded-Proto: https, not otherwise', async () => {
    const tls = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'dudao', password: DEMO_PASSWORD },
      headers: from('203.0.113.20', { 'X-Forwarded-Proto': 'https' }),
    });
    assert.equal(tls.status, 200, tls.text);
    const sc = sessionSetCookie(tls.headers);
    assert.ok(
      sc
        .split(';')
        .map((s) => s.trim().toLowerCase())
        .includes('secure'),
      `Secure in ${sc}`,
    );
    const plain = await api(url, 'POST', '/api/v1/session', {
      body: { username: 'dudao', password: DEMO_PASSWORD },
      headers: from('203.0.113.21', { 'X-Forwarded-Proto': 'http' }),
    });
    assert.equal(plain.status, 200, plain.text);
    const sc2 = sessionSetCookie(plain.headers);
    assert.ok(
      !sc2
        .split(';')
        .map((s) => s.trim().toLowerCase())
        .includes('secure'),
      `no Secure in ${sc2}`,
    );
    // sign-out over TLS clears the cookie with Secure too
    const cookie = sc.split(';')[0];
    const out = await api(url, 'DELETE', '/api/v1/session', {
      cookie,
      csrf: tls.json.csrf_token,
      headers: from('203.0.113.20', { 'X-Forwarded-Proto': 'https' }),
    });
    assert.equal(out.status, 204, out.text);
    assert.match(sessionSetCookie(out.headers), /;\s*Secure/i);
  });
});
