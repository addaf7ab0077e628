// Webhook subscriptions (/api/v1/webhooks): each case event a subscription asked for, in its
// region, is POSTed to its URL signed with its secret (X-Jiceng-Signature: sha256=HMAC of
// "timestamp.body"); a failed delivery is tried again with backoff (shortened here by
// --webhook-backoff-ms) and every attempt is logged; a delivery can be sent again by hand.
// The secret is shown once; only admins reach any of it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { startServer, signInDemo, api, sleep, assertProblem, errorFields, runCli, sql, GRID1, STREET1 } from './harness.mjs';

const GRID_OF_STREET2 = '999901002001001';
const BACKOFF_MS = 2; // waits of 2, 6, 24, 120, 720, 2160, 4320 ms: eight attempts in about 7 s

const sign = (secret, ts, body) => 'sha256=' + crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');

describe('webhook subscriptions', { timeout: 180_000 }, () => {
  let server, url, receiver, base, admin, jumin, lead;
  const received = []; // {path, headers, body, json}
  const failures = new Map(); // delivery id → times answered 500 on /flaky

  before(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const hit = { path: req.url, headers: req.headers, body, json: JSON.parse(body) };
        received.push(hit);
        const id = req.headers['x-jiceng-delivery'];
        if (req.url === '/flaky') {
          const n = failures.get(id) || 0;
          if (n < 2) {
            failures.set(id, n + 1);
            res.writeHead(500).end('not yet');
            return;
          }
        }
        if (req.url === '/down') {
          res.writeHead(503).end();
          return;
        }
        res.writeHead(204).end();
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${receiver.address().port}`;
    server = await startServer({ args: ['--webhook-backoff-ms', String(BACKOFF_MS)] });
    url = server.url;
    [admin, jumin, lead] = await Promise.all(['admin', 'jumin', 'wanggezhang'].map((n) => signInDemo(url, n)));
  });

  after(async () => {
    await server?.stop();
    receiver?.close();
  });

  const create = (body) => api(url, 'POST', '/api/v1/webhooks', { ...admin, body });
  const report = async (who, region, text) => {
    const source = who === admin ? { source: 'hotline' } : {};
    const r = await api(url, 'POST', '/api/v1/cases', {
      ...who,
      body: { category: 'environment', description: text, region_code: region, ...source },
    });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const waitFor = async (pred, what, ms = 15_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const hit = received.find(pred);
      if (hit) return hit;
      if (Date.now() > end) assert.fail(`${what}: not received; got ${JSON.stringify(received.map((r) => [r.path, r.json.event]))}`);
      await sleep(50);
    }
  };
  const deliveries = async (id) => {
    const r = await api(url, 'GET', `/api/v1/webhooks/${id}/deliveries?limit=200`, admin);
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  };
  const settled = async (hookId, deliveryId, ms = 20_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const d = (await deliveries(hookId)).find((x) => x.id === deliveryId);
      if (d && d.status !== 'pending') return d;
      if (Date.now() > end) assert.fail(`delivery ${deliveryId} still ${JSON.stringify(d)}`);
      await sleep(100);
    }
  };

  test('the signature verifies with the secret shown once, and not with another', async () => {
    const made = await create({ name: '街道一事件', url: `${base}/ok`, events: ['case.report', 'case.accept'], region_code: STREET1 });
    assert.equal(made.status, 201, made.text);
    const { id, secret } = made.json;
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(made.json.events, ['case.report', 'case.accept']);
    assert.equal(made.json.region_code, STREET1);
    assert.equal(made.json.active, true);
    assert.equal(made.json.created_by, admin.user.id);

    // Stored sealed (24-byte nonce, 16-byte tag around the 49 characters), never in clear.
    assert.equal(server.sql(`SELECT length(secret_sealed) FROM webhook_subscriptions WHERE id = ${id}`), '89');
    assert.equal(server.sql(`SELECT count(*) FROM webhook_subscriptions WHERE CAST(secret_sealed AS TEXT) LIKE '%${secret}%'`), '0');

    const got = await api(url, 'GET', `/api/v1/webhooks/${id}`, admin);
    assert.equal(got.status, 200);
    assert.ok(!('secret' in got.json) && !got.text.includes(secret), 'GET never returns the secret');
    const list = await api(url, 'GET', '/api/v1/webhooks', admin);
    assert.ok(list.json.items.some((w) => w.id === id));
    assert.ok(!list.text.includes(secret) && !list.text.includes('secret'), 'nor does the list');
    const audit = await api(url, 'GET', '/api/v1/audit?limit=50', admin);
    const entry = audit.json.items.find((e) => e.action === 'webhook.create');
    assert.ok(entry, 'the creation is audited');
    assert.ok(!audit.text.includes(secret), 'the audit does not keep the secret');

    const c = await report(jumin, GRID1, '签名测试：路灯不亮');
    const hit = await waitFor((r) => r.path === '/ok' && r.json.case?.id === c.id, 'case.report');
    const h = hit.headers;
    assert.equal(h['x-jiceng-event'], 'case.report');
    assert.match(h['content-type'], /^application\/json/);
    assert.match(h['x-jiceng-delivery'], /^\d+$/);
    const ts = Number(h['x-jiceng-timestamp']);
    assert.ok(Math.abs(ts - Date.now() / 1000) < 60, `timestamp ${ts} is now`);
    assert.equal(h['x-jiceng-signature'], sign(secret, h['x-jiceng-timestamp'], hit.body), 'verifies with the secret');
    assert.notEqual(h['x-jiceng-signature'], sign(secret + 'x', h['x-jiceng-timestamp'], hit.body), 'a wrong secret does not verify');
    assert.notEqual(h['x-jiceng-signature'], sign(secret, ts + 1, hit.body), 'another timestamp does not verify');
    assert.equal(hit.json.event, 'case.report');
    assert.equal(hit.json.case.number, c.number);
    assert.equal(hit.json.case.region_code, GRID1);
    assert.equal(hit.json.transition.to, 'reported');
    assert.ok(!hit.body.includes('签名测试') && !hit.body.includes('jumin'), `no description, no reporter: ${hit.body}`);

    // A rotated secret signs from then on; the old one no longer verifies.
    const rot = await api(url, 'POST', `/api/v1/webhooks/${id}/rotate-secret`, admin);
    assert.equal(rot.status, 200, rot.text);
    assert.match(rot.json.secret, /^whsec_/);
    assert.notEqual(rot.json.secret, secret);
    const acc = await api(url, 'POST', `/api/v1/cases/${c.id}/actions`, { ...lead, body: { action: 'accept' } });
    assert.equal(acc.status, 200, acc.text);
    const hit2 = await waitFor((r) => r.path === '/ok' && r.json.case?.id === c.id && r.json.event === 'case.accept', 'case.accept');
    const ts2 = hit2.headers['x-jiceng-timestamp'];
    assert.equal(hit2.headers['x-jiceng-signature'], sign(rot.json.secret, ts2, hit2.body));
    assert.notEqual(hit2.headers['x-jiceng-signature'], sign(secret, ts2, hit2.body));
  });

  test('the region filter leaves out a case of another street; the event filter other events', async () => {
    const street1 = await create({ name: '只要街道一', url: `${base}/s1`, events: ['case.report'], region_code: STREET1 });
    const all = await create({ name: '全区', url: `${base}/all`, events: ['case.report'] });
    const acceptOnly = await create({ name: '只要受理', url: `${base}/acc`, events: ['case.accept'], region_code: GRID1 });
    for (const r of [street1, all, acceptOnly]) assert.equal(r.status, 201, r.text);
    assert.equal(all.json.region_code, null);

    const other = await report(admin, GRID_OF_STREET2, '第二街道的事件');
    const mine = await report(jumin, GRID1, '第一街道的事件');
    await waitFor((r) => r.path === '/all' && r.json.case?.id === other.id, 'the district-wide subscription gets the other street');
    await waitFor((r) => r.path === '/s1' && r.json.case?.id === mine.id, 'street 1 gets its own');
    const acc = await api(url, 'POST', `/api/v1/cases/${mine.id}/actions`, { ...lead, body: { action: 'accept' } });
    assert.equal(acc.status, 200, acc.text);
    await waitFor((r) => r.path === '/acc' && r.json.case?.id === mine.id, 'case.accept');
    await sleep(300);
    assert.ok(!received.some((r) => r.path === '/s1' && r.json.case?.id === other.id), 'street 1 was not told of street 2');
    assert.deepEqual(
      (await deliveries(street1.json.id)).filter((d) => d.case_id === other.id),
      [],
      'no delivery was even made',
    );
    const accEvents = received.filter((r) => r.path === '/acc').map((r) => r.json.event);
    assert.deepEqual([...new Set(accEvents)], ['case.accept'], 'the accept-only subscription got no case.report');
    assert.deepEqual(
      (await deliveries(acceptOnly.json.id)).map((d) => [d.event, d.case_id]),
      [['case.accept', mine.id]],
    );
  });

  test('a receiver that answers 500 twice gets the event on the third try; the log shows three attempts; redeliver sends again', async () => {
    const made = await create({ name: '不稳定的接收方', url: `${base}/flaky`, events: ['case.close'] });
    assert.equal(made.status, 201, made.text);
    const id = made.json.id;
    const ping = await api(url, 'POST', `/api/v1/webhooks/${id}/test`, admin);
    assert.equal(ping.status, 202, ping.text);
    assert.equal(ping.json.event, 'ping');
    assert.equal(ping.json.status, 'pending');
    const d = await settled(id, ping.json.id);
    assert.equal(d.status, 'delivered');
    assert.deepEqual(
      d.attempts.map((a) => a.http_status),
      [500, 500, 204],
    );
    for (const a of d.attempts) {
      assert.equal(typeof a.duration_ms, 'number');
      assert.ok(a.duration_ms >= 0 && a.duration_ms < 5000);
      assert.match(a.at, /^\d{4}-\d\d-\d\dT/);
      assert.equal(a.error, null);
    }
    const calls = () => received.filter((r) => r.headers['x-jiceng-delivery'] === String(d.id));
    assert.equal(calls().length, 3);
    assert.equal(calls()[0].headers['x-jiceng-event'], 'ping');
    assert.deepEqual(calls()[0].json, { event: 'ping', occurred_at: calls()[0].json.occurred_at, webhook_id: id });
    assert.ok(
      calls().every((c) => c.body === calls()[0].body),
      'every try carries the same body',
    );

    const again = await api(url, 'POST', `/api/v1/webhook-deliveries/${d.id}/redeliver`, admin);
    assert.equal(again.status, 202, again.text);
    assert.equal(again.json.status, 'pending');
    const d2 = await settled(id, d.id);
    assert.equal(d2.status, 'delivered');
    assert.equal(d2.attempts.length, 4, 'the log keeps every attempt');
    assert.equal(calls().length, 4, 'the receiver got it again');
    assertProblem(await api(url, 'POST', '/api/v1/webhook-deliveries/999999999/redeliver', admin), 404);
  });

  test('a receiver that never answers 2xx: eight attempts, then failed; an unreachable one logs the error', async () => {
    const down = await create({ name: '故障', url: `${base}/down`, events: ['case.close'] });
    const ping = await api(url, 'POST', `/api/v1/webhooks/${down.json.id}/test`, admin);
    const d = await settled(down.json.id, ping.json.id, 40_000);
    assert.equal(d.status, 'failed');
    assert.deepEqual(
      d.attempts.map((a) => a.http_status),
      Array(8).fill(503),
    );
    // Nobody listens on a port of the discard range; the connection is refused at once.
    const gone = await create({ name: '无人监听', url: 'http://127.0.0.1:9/hook', events: ['case.close'] });
    const p2 = await api(url, 'POST', `/api/v1/webhooks/${gone.json.id}/test`, admin);
    const d2 = await settled(gone.json.id, p2.json.id, 40_000);
    assert.equal(d2.status, 'failed');
    assert.equal(d2.attempts[0].http_status, null);
    assert.match(d2.attempts[0].error, /connect|refused/i);
  });

  test('edit, pause and delete', async () => {
    const made = await create({ name: '待修改', url: `${base}/edit`, events: ['case.report'], region_code: GRID1 });
    const id = made.json.id;
    const p = await api(url, 'PATCH', `/api/v1/webhooks/${id}`, {
      ...admin,
      body: { active: false, events: ['case.report', 'case.close'], region_code: null },
    });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.active, false);
    assert.deepEqual(p.json.events, ['case.report', 'case.close']);
    assert.equal(p.json.region_code, null);
    assert.equal(p.json.name, '待修改');
    assertProblem(await api(url, 'POST', `/api/v1/webhooks/${id}/test`, admin), 409);
    const c = await report(jumin, GRID1, '停用的订阅收不到');
    const probe = await create({ name: '探针', url: `${base}/probe`, events: ['case.report'] });
    const c2 = await report(jumin, GRID1, '探针事件');
    await waitFor((r) => r.path === '/probe' && r.json.case?.id === c2.id, 'probe');
    assert.ok(!received.some((r) => r.path === '/edit'), 'a paused subscription is not sent to');
    assert.deepEqual(await deliveries(id), [], 'nor queued for');
    assert.ok(c.id && probe.json.id);
    const del = await api(url, 'DELETE', `/api/v1/webhooks/${id}`, admin);
    assert.equal(del.status, 204, del.text);
    assertProblem(await api(url, 'GET', `/api/v1/webhooks/${id}`, admin), 404);
    assertProblem(await api(url, 'PATCH', `/api/v1/webhooks/${id}`, { ...admin, body: { active: true } }), 404);
    assertProblem(await api(url, 'GET', '/api/v1/webhooks/1abc', admin), 404);
  });

  test('bad input → 422 naming the field; wrong types → 400', async () => {
    for (const bad of [
      'ftp://example.org/',
      'http://user:pw@example.org/',
      'example.org/hook',
      'http:///x',
      'http://example.org/a b',
      'javascript:alert(1)',
    ]) {
      const r = await create({ name: '坏地址', url: bad, events: ['case.report'] });
      assertProblem(r, 422, bad);
      assert.deepEqual(errorFields(r), ['url'], bad);
    }
    let r = await create({ name: '未知事件', url: `${base}/x`, events: ['case.report', 'case.explode'] });
    assertProblem(r, 422);
    assert.deepEqual(errorFields(r), ['events[1]']);
    r = await create({ name: '没有事件', url: `${base}/x`, events: [] });
    assertProblem(r, 422);
    assert.deepEqual(errorFields(r), ['events']);
    r = await create({ name: '未知区划', url: `${base}/x`, events: ['case.report'], region_code: '999999999' });
    assertProblem(r, 422);
    assert.deepEqual(errorFields(r), ['region_code']);
    r = await create({ url: `${base}/x`, events: ['case.report'] });
    assertProblem(r, 422);
    assert.deepEqual(errorFields(r), ['name']);
    assertProblem(await create({ name: 'x', url: `${base}/x`, events: 'case.report' }), 400);
    assertProblem(await create({ name: 'x', url: `${base}/x`, events: [1] }), 400);
    const list = await api(url, 'GET', '/api/v1/webhooks?limit=200', admin);
    assert.ok(!list.json.items.some((w) => ['坏地址', '未知事件', '没有事件', '未知区划'].includes(w.name)), 'nothing was written');
  });

  test('only admins: everyone else gets 403', async () => {
    const made = await create({ name: '权限', url: `${base}/perm`, events: ['case.report'] });
    const id = made.json.id;
    const d = await api(url, 'POST', `/api/v1/webhooks/${id}/test`, admin);
    for (const who of ['jumin', 'wangge', 'shequ']) {
      const s = await signInDemo(url, who);
      assertProblem(await api(url, 'GET', '/api/v1/webhooks', s), 403, who);
      assertProblem(
        await api(url, 'POST', '/api/v1/webhooks', { ...s, body: { name: 'x', url: `${base}/x`, events: ['case.report'] } }),
        403,
        who,
      );
      assertProblem(await api(url, 'GET', `/api/v1/webhooks/${id}`, s), 403, who);
      assertProblem(await api(url, 'GET', `/api/v1/webhooks/${id}/deliveries`, s), 403, who);
      assertProblem(await api(url, 'POST', `/api/v1/webhooks/${id}/rotate-secret`, s), 403, who);
      assertProblem(await api(url, 'POST', `/api/v1/webhook-deliveries/${d.json.id}/redeliver`, s), 403, who);
      assertProblem(await api(url, 'DELETE', `/api/v1/webhooks/${id}`, s), 403, who);
    }
    assertProblem(await api(url, 'GET', '/api/v1/webhooks'), 401);
  });

  test('the delivery log keeps finished deliveries for --webhook-log-days: older ones go, with their attempts', async () => {
    const srv = await startServer({ args: ['--webhook-backoff-ms', String(BACKOFF_MS), '--webhook-log-days', '30'] });
    try {
      const a = await signInDemo(srv.url, 'admin');
      const made = await api(srv.url, 'POST', '/api/v1/webhooks', {
        ...a,
        body: { name: '日志保留', url: `${base}/ok`, events: ['case.close'] },
      });
      assert.equal(made.status, 201, made.text);
      const id = made.json.id;
      const list = async () => {
        const r = await api(srv.url, 'GET', `/api/v1/webhooks/${id}/deliveries?limit=200`, a);
        assert.equal(r.status, 200, r.text);
        return r.json.items;
      };
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await api(srv.url, 'POST', `/api/v1/webhooks/${id}/test`, a)).json.id);
      for (let end = Date.now() + 20_000; (await list()).some((d) => d.status === 'pending'); await sleep(100))
        if (Date.now() > end) assert.fail('the pings were not delivered');
      await srv.stop();
      const day = 86400;
      // 40 days old and finished: pruned; 20 days old: kept; 40 days old but pending again: kept.
      sql(srv.db, `UPDATE webhook_deliveries SET created_at = created_at - ${40 * day} WHERE id IN (${ids[0]}, ${ids[2]})`);
      sql(srv.db, `UPDATE webhook_deliveries SET created_at = created_at - ${20 * day} WHERE id = ${ids[1]}`);
      sql(srv.db, `UPDATE webhook_subscriptions SET active = 0 WHERE id = ${id}`);
      sql(srv.db, `UPDATE webhook_deliveries SET status = 'pending' WHERE id = ${ids[2]}`);
      await srv.restart();
      const b = await signInDemo(srv.url, 'admin');
      let left;
      for (let end = Date.now() + 15_000; ; await sleep(100)) {
        const r = await api(srv.url, 'GET', `/api/v1/webhooks/${id}/deliveries?limit=200`, b);
        left = r.json.items.map((d) => d.id).sort((x, y) => x - y);
        if (!left.includes(ids[0]) || Date.now() > end) break;
      }
      assert.deepEqual(left, [ids[1], ids[2]]);
      assert.equal(Number(sql(srv.db, `SELECT count(*) FROM webhook_attempts WHERE delivery_id = ${ids[0]}`)), 0);
      assert.doesNotMatch(srv.stderr(), /cannot prune/);
    } finally {
      await srv.stop();
    }
    const bad = runCli(['serve', '--db', '/nonexistent.db', '--listen', '127.0.0.1:1', '--webhook-log-days', '0']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /webhook_log_days must be between 1 and 3650/);
  });
});
