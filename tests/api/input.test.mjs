// Bad input: malformed bodies, wrong types, oversized bodies, wrong content
// types, unknown routes and methods, bad paging. Never a 500, and the server
// keeps answering afterwards.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, api, assertProblem, signInDemo, startServer } from './harness.mjs';

/** Sends raw bytes over one connection and returns the raw response text. */
function rawRequest(port, bytes) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.setTimeout(5000, () => {
      sock.destroy();
      resolve(data);
    });
    sock.write(bytes);
  });
}

const statusOf = (raw) => Number((/^HTTP\/1\.[01] (\d{3})/.exec(raw) || [])[1]);

describe('bad input (--body-limit 4096)', { timeout: 180_000 }, () => {
  let srv, url, admin, shequ;
  const seen = [];
  const call = async (...args) => {
    const res = await api(...args);
    seen.push(`${args[1]} ${args[2]} → ${res.status}`);
    return res;
  };
  before(async () => {
    srv = await startServer({ args: ['--body-limit', '4096'] });
    url = srv.url;
    admin = await signInDemo(url, 'admin');
    shequ = await signInDemo(url, 'shequ');
  });
  after(async () => {
    await srv?.stop();
  });

  test('malformed JSON → 400', async () => {
    for (const raw of ['{"code": "999901001001040", "name": ', '{code: 1}', 'nul', '{"a":1}}', "{'a':1}"]) {
      const res = await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: raw });
      assertProblem(res, 400, raw);
      assert.ok(!/sqlite|\.c:|\/work\//i.test(res.text), 'no internals in the error');
    }
  });

  test('a JSON array, string or number body → 400', async () => {
    for (const raw of ['[]', '[{"code":"999901001001040","name":"x"}]', '"text"', '42', 'null']) {
      assertProblem(await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: raw }), 400, raw);
    }
    assertProblem(await call(url, 'POST', '/api/v1/session', { rawBody: '[1,2]' }), 400, 'array sign-in');
  });

  test('an empty body on a JSON route → 400', async () => {
    assertProblem(await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: '' }), 400);
    assertProblem(await call(url, 'PATCH', `/api/v1/regions/${GRID1}`, { ...admin, rawBody: '' }), 400);
  });

  test('duplicate keys → 400', async () => {
    const res = await call(url, 'POST', '/api/v1/regions', {
      ...admin,
      rawBody: `{"code":"${COMM1}041","code":"${COMM1}042","name":"x","parent_code":"${COMM1}"}`,
    });
    assertProblem(res, 400);
  });

  test('wrong field types → 400 naming the field', async () => {
    const cases = [
      { code: `${COMM1}040`, name: 5, parent_code: COMM1 },
      { code: 999901001001040, name: 'x', parent_code: COMM1 },
      { code: `${COMM1}040`, name: 'x', parent_code: COMM1, planned_households: '500' },
      { code: `${COMM1}040`, name: 'x', parent_code: COMM1, planned_households: 1.5 },
      { code: `${COMM1}040`, name: ['x'], parent_code: COMM1 },
    ];
    for (const body of cases) {
      const res = await call(url, 'POST', '/api/v1/regions', { ...admin, body });
      assertProblem(res, 400, JSON.stringify(body));
      assert.ok(Array.isArray(res.json.errors) && res.json.errors.length > 0, 'errors[] names the field');
    }
    const p = await call(url, 'PATCH', `/api/v1/regions/${GRID1}`, { ...admin, body: { name: { zh: 'x' } } });
    assertProblem(p, 400);
    assert.equal(p.json.errors[0].field, 'name');
    const u = await call(url, 'PATCH', '/api/v1/users/1', { ...admin, body: { disabled: 'yes' } });
    assertProblem(u, 400);
    assert.equal(u.json.errors[0].field, 'disabled');
    const g = await call(url, 'POST', '/api/v1/users', {
      ...admin,
      body: { username: 'typo_user', display_name: 'x', password: 'Strong@pass123', grants: 'grid_worker' },
    });
    assertProblem(g, 400);
    // nothing was created by any of these
    const list = await call(url, 'GET', `/api/v1/regions?parent=${COMM1}`, admin);
    assert.ok(!list.json.items.some((r) => r.code === `${COMM1}040`));
  });

  test('invalid UTF-8 in a JSON string → 400 or 422', async () => {
    const body = Buffer.concat([
      Buffer.from(`{"code":"${COMM1}043","name":"`),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from(`","parent_code":"${COMM1}"}`),
    ]);
    assertProblem(await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: body }), [400, 422]);
    // an escaped NUL inside a string
    const nul = await call(url, 'POST', '/api/v1/regions', {
      ...admin,
      rawBody: `{"code":"${COMM1}043","name":"a\\u0000b","parent_code":"${COMM1}"}`,
    });
    assertProblem(nul, [400, 422]);
  });

  test('deeply nested JSON → 400/422, no crash', async () => {
    const deep = '['.repeat(1500) + ']'.repeat(1500);
    const res = await call(url, 'POST', '/api/v1/regions', {
      ...admin,
      rawBody: `{"code":"${COMM1}044","name":"x","parent_code":"${COMM1}","geometry":${deep}}`,
    });
    assertProblem(res, [400, 413, 422]);
  });

  test('a body over the limit (5000 bytes, limit 4096) → 413', async () => {
    const big = JSON.stringify({ code: `${COMM1}045`, name: 'x', parent_code: COMM1, pad: 'x'.repeat(5000) });
    let res;
    try {
      res = await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: big });
    } catch (e) {
      assert.fail(`the client got no response to an oversized body: ${e.cause?.code || e.message}`);
    }
    assertProblem(res, 413);
    const got = await call(url, 'GET', `/api/v1/regions/${COMM1}045`, admin);
    assertProblem(got, 404, 'nothing created');
  });

  test('a chunked body over the limit (no Content-Length) → 413', async () => {
    const chunk = 'x'.repeat(1000);
    let req = `POST /api/v1/regions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Cookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrf}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const head = '{"pad":"';
    req += `${head.length.toString(16)}\r\n${head}\r\n`;
    for (let i = 0; i < 5; i++) req += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    req += `2\r\n"}\r\n0\r\n\r\n`;
    const raw = await rawRequest(srv.port, req);
    assert.equal(statusOf(raw), 413, raw.slice(0, 300));
  });

  test('a body just under the limit is accepted for parsing', async () => {
    const body = JSON.stringify({ code: `${COMM1}046`, name: '边界网格', parent_code: COMM1, pad: 'x'.repeat(3900) });
    assert.ok(body.length < 4096);
    const res = await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: body });
    assert.equal(res.status, 201, res.text);
  });

  test('wrong Content-Type → 415', async () => {
    const body = JSON.stringify({ code: `${COMM1}047`, name: 'x', parent_code: COMM1 });
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x']) {
      assertProblem(await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: body, contentType: ct }), 415, ct);
    }
    assertProblem(await call(url, 'POST', '/api/v1/regions', { ...admin, rawBody: body, contentType: null }), 415, 'no Content-Type');
    assertProblem(
      await call(url, 'PATCH', `/api/v1/regions/${GRID1}`, { ...admin, rawBody: '{"name":"x"}', contentType: 'text/plain' }),
      415,
    );
    assertProblem(
      await call(url, 'POST', '/api/v1/session', {
        rawBody: '{"username":"shequ","password":"Demo@2026jc"}',
        contentType: 'text/plain',
      }),
      415,
      'sign-in with text/plain',
    );
    const got = await call(url, 'GET', `/api/v1/regions/${COMM1}047`, admin);
    assertProblem(got, 404, 'nothing created');
    // application/json with a charset parameter is fine
    const ok = await call(url, 'POST', '/api/v1/regions', {
      ...admin,
      rawBody: body,
      contentType: 'application/json; charset=utf-8',
    });
    assert.equal(ok.status, 201, ok.text);
  });

  test('unknown API routes → 404 problem+json', async () => {
    for (const p of ['/api/v1/nope', '/api/v1/regions/999901/nope', '/api/v2/regions', '/api/v1/', '/api']) {
      assertProblem(await call(url, 'GET', p, admin), 404, p);
    }
    // Open311 routes answer in the GeoReport format instead, but still 404
    const o = await call(url, 'GET', '/open311/v2/nope.json', admin);
    assert.equal(o.status, 404);
    assert.ok(!o.text.includes('<html'));
    assertProblem(await call(url, 'POST', '/api/v1/nope', { ...admin, body: {} }), 404);
  });

  test('unknown ids and codes → 404', async () => {
    assertProblem(await call(url, 'GET', '/api/v1/users/999999', admin), 404);
    assertProblem(await call(url, 'GET', '/api/v1/users/abc', admin), 404);
    assertProblem(await call(url, 'GET', '/api/v1/users/-1', admin), 404);
    assertProblem(await call(url, 'GET', '/api/v1/users/99999999999999999999999', admin), 404);
    assertProblem(await call(url, 'DELETE', '/api/v1/tokens/999999', admin), 404);
    assertProblem(await call(url, 'DELETE', '/api/v1/tokens/x', admin), 404);
    assertProblem(await call(url, 'GET', '/api/v1/regions/999901009', admin), 404);
    assertProblem(await call(url, 'GET', '/api/v1/regions/abc', admin), 404);
    assertProblem(await call(url, 'GET', "/api/v1/regions/9999'--", admin), 404);
  });

  test('a wrong method on a known route → 405', async () => {
    const res = await call(url, 'PUT', '/api/v1/me', { ...admin, body: {} });
    assertProblem(res, 405);
    assertProblem(await call(url, 'DELETE', '/api/v1/regions', admin), 405);
    assertProblem(await call(url, 'POST', '/healthz', { body: {} }), 405);
  });

  test('a 405 names the allowed methods in Allow (RFC 9110 §15.5.6)', async () => {
    const res = await call(url, 'PUT', '/api/v1/me', { ...admin, body: {} });
    assert.equal(res.status, 405);
    const allow = res.headers.get('allow');
    assert.ok(allow && /\bGET\b/.test(allow), `Allow header on 405: ${allow}`);
  });

  test('bad paging parameters → 400', async () => {
    for (const q of ['limit=500', 'limit=201', 'limit=0', 'limit=-1', 'limit=abc', 'limit=%205', 'limit=+5', 'limit=5x', 'limit=', 'cursor=-5', 'cursor=x']) {
      assertProblem(await call(url, 'GET', `/api/v1/users?${q}`, admin), 400, q);
    }
    assertProblem(await call(url, 'GET', `/api/v1/regions?parent=${COMM1}&limit=500`, admin), 400);
    assertProblem(await call(url, 'GET', '/api/v1/audit?limit=500', admin), 400);
    assertProblem(await call(url, 'GET', '/api/v1/tokens?limit=500', admin), 400);
    assertProblem(await call(url, 'GET', '/api/v1/regions?parent=12', admin), 400);
    const ok = await call(url, 'GET', '/api/v1/users?limit=200', admin);
    assert.equal(ok.status, 200);
  });

  test('odd but valid requests', async () => {
    // HEAD of a GET route
    const h = await fetch(`${url}/healthz`, { method: 'HEAD' });
    assert.equal(h.status, 200);
    // very long path and query
    const long = await call(url, 'GET', '/api/v1/regions/' + '9'.repeat(3000), admin);
    assert.ok(long.status < 500, `long path: ${long.status}`);
    const q = await call(url, 'GET', '/api/v1/users?q=' + encodeURIComponent("'; DROP TABLE users; --"), admin);
    assert.equal(q.status, 200);
    assert.deepEqual(q.json.items, []);
    // a string that is too long
    const tooLong = await call(url, 'PATCH', `/api/v1/regions/${GRID1}`, { ...admin, body: { name: '网'.repeat(65) } });
    assertProblem(tooLong, 422);
    assert.equal(tooLong.json.errors[0].field, 'name');
    // garbage headers
    const g = await call(url, 'GET', '/api/v1/me', { headers: { Cookie: 'jiceng_session=' + 'A'.repeat(3000) } });
    assertProblem(g, 401);
    const b = await call(url, 'GET', '/api/v1/me', { headers: { Authorization: 'Bearer ' } });
    assertProblem(b, 401);
    const b2 = await call(url, 'GET', '/api/v1/me', { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } });
    assertProblem(b2, 401);
  });

  test('a request line with garbage gets a 4xx, not a crash', async () => {
    const raw = await rawRequest(srv.port, 'GARBAGE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const st = statusOf(raw);
    assert.ok(!st || (st >= 400 && st < 500), raw.slice(0, 200));
    const raw2 = await rawRequest(srv.port, 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: abc\r\n\r\n');
    const st2 = statusOf(raw2);
    assert.ok(!st2 || (st2 >= 400 && st2 < 500), raw2.slice(0, 200));
  });

  test('none of the above answered 500, and the server still answers /healthz', async () => {
    const five = seen.filter((l) => / → 5\d\d$/.test(l));
    assert.deepEqual(five, [], 'no 5xx');
    assert.ok(seen.length > 40, `requests checked: ${seen.length}`);
    const h = await api(url, 'GET', '/healthz');
    assert.equal(h.status, 200);
    const me = await api(url, 'GET', '/api/v1/me', admin);
    assert.equal(me.status, 200);
    // and the access log shows no 5xx either
    const fives = srv
      .stderr()
      .split('\n')
      .filter((l) => l.includes('"type":"access"'))
      .map((l) => JSON.parse(l))
      .filter((e) => e.status >= 500);
    assert.deepEqual(fives, []);
  });
});
