// Several nodes on one PostgreSQL database behave as one server: a session made on one node
// works on the other and its end is seen there within the credential cache's bound (1 s);
// lock-outs, the sign-in limit per address and the lookup limit per user are counted once for
// both; a notification goes out once although both nodes run the outbox, and a claim of a
// node that died runs out; case numbers and tracking codes stay unique and the audit log one
// chain while both nodes write at once. SQLite is one process, one node: skipped there.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer,
  signInDemo,
  api,
  sleep,
  runCli,
  assertProblem,
  sessionSetCookie,
  BACKEND,
  ADMIN_PASSWORD,
  GRID1,
  skipTwoNodes,
} from './harness.mjs';

const BOUND_MS = 1000; // the credential cache's bound (AUTH_CACHE_NS in src/api/guard.c)
const PASSWORD = 'Multi@Node2026x';

// It pairs nodes itself (each node addressed directly), so the two-node pass, where every
// server is already a pair behind nginx, runs it as the release-pg pass does.
describe(
  'several nodes on one database',
  { skip: (BACKEND !== 'postgres' && 'PostgreSQL only') || skipTwoNodes('the test makes its own pair of nodes'), timeout: 240_000 },
  () => {
    let a, b, receiver;
    const received = [];
    let client = 0;
    // Each part signs in from addresses of its own (the nodes trust 127.0.0.1 as their proxy),
    // so the per-address limit of one part does not touch another.
    const from = () => ({ 'X-Forwarded-For': `10.77.${Math.floor(++client / 250)}.${client % 250}` });

    const signIn = async (srv, username, password, headers = from()) => {
      const res = await api(srv.url, 'POST', '/api/v1/session', { body: { username, password }, headers });
      if (res.status !== 200) return { res };
      const cookie = sessionSetCookie(res.headers).split(';')[0].trim();
      return { res, cookie, csrf: res.json.csrf_token };
    };
    const me = (srv, s) => api(srv.url, 'GET', '/api/v1/me', { cookie: s.cookie });
    // Polls srv until s is refused; the milliseconds it took.
    const refusedWithin = async (srv, s) => {
      const t0 = Date.now();
      for (;;) {
        const r = await me(srv, s);
        if (r.status === 401) return Date.now() - t0;
        assert.equal(r.status, 200, r.text);
        if (Date.now() - t0 > 10 * BOUND_MS) return Infinity;
        await sleep(20);
      }
    };

    before(async () => {
      receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push(JSON.parse(body));
          // A slow receiver (5 ms a call), so a batch of notifications outlasts one node's poll.
          setTimeout(() => res.writeHead(204).end(), 5);
        });
      });
      await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
      const args = [
        '--webhook',
        `http://127.0.0.1:${receiver.address().port}/hook`,
        '--trusted-proxy',
        '127.0.0.1',
        '--login-per-minute',
        '6',
        '--lookups-per-10min',
        '4',
        '--threads',
        '2',
      ];
      a = await startServer({ args });
      b = await startServer({ args, sameDatabaseAs: a });
    });

    after(async () => {
      await a?.stop();
      await b?.stop();
      receiver?.close();
    });

    test('a session made on A works on B; signing out on A is refused on B within the bound', async (t) => {
      const s = await signIn(a, 'wangge', 'Demo@2026jc');
      assert.equal(s.res.status, 200, s.res.text);
      const onB = await me(b, s);
      assert.equal(onB.status, 200, onB.text);
      assert.equal(onB.json.username, 'wangge');
      assert.equal(onB.json.csrf_token, s.csrf);
      await me(b, s); // cached on B now
      const out = await api(a.url, 'DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf });
      assert.equal(out.status, 204, out.text);
      const ms = await refusedWithin(b, s);
      assert.ok(ms <= BOUND_MS + 500, `B refused the ended session after ${ms} ms`);
      t.diagnostic(`sign-out on A refused on B after ${ms} ms`);
      assertProblem(await me(a, s), 401);
    });

    test('a password change or a disabled account on A ends the sessions on B within the bound', async (t) => {
      const admin = await signIn(a, 'admin', ADMIN_PASSWORD);
      const made = await api(a.url, 'POST', '/api/v1/users', {
        cookie: admin.cookie,
        csrf: admin.csrf,
        body: { username: 'mn_user', display_name: '多节点', password: PASSWORD, grants: [{ role: 'grid_worker', region_code: GRID1 }] },
      });
      assert.equal(made.status, 201, made.text);
      const patch = (body) => api(b.url, 'PATCH', `/api/v1/users/${made.json.id}`, { cookie: admin.cookie, csrf: admin.csrf, body });

      let s = await signIn(a, 'mn_user', PASSWORD);
      assert.equal((await me(b, s)).status, 200);
      assert.equal((await patch({ password: PASSWORD + '2' })).status, 200);
      let ms = await refusedWithin(a, s);
      assert.ok(ms <= BOUND_MS + 500, `the session outlived the password change by ${ms} ms`);
      t.diagnostic(`password change on B refused on A after ${ms} ms`);

      s = await signIn(b, 'mn_user', PASSWORD + '2');
      assert.equal(s.res.status, 200, s.res.text);
      assert.equal((await me(a, s)).status, 200);
      assert.equal((await patch({ disabled: true })).status, 200);
      ms = await refusedWithin(a, s);
      assert.ok(ms <= BOUND_MS + 500, `the session outlived the disabled account by ${ms} ms`);
      t.diagnostic(`disabled on B refused on A after ${ms} ms`);
      assert.equal((await signIn(a, 'mn_user', PASSWORD + '2')).res.status, 403);
    });

    test('failed sign-ins on both nodes lock an account, and an unknown username alike, on both', async () => {
      const admin = await signIn(b, 'admin', ADMIN_PASSWORD);
      const made = await api(b.url, 'POST', '/api/v1/users', {
        cookie: admin.cookie,
        csrf: admin.csrf,
        body: { username: 'mn_lock', display_name: '锁定', password: PASSWORD, grants: [{ role: 'grid_worker', region_code: GRID1 }] },
      });
      assert.equal(made.status, 201, made.text);
      const answers = {};
      for (const name of ['mn_lock', 'mn_nobody_here']) {
        // Four failures, alternating nodes: none locks alone.
        for (let i = 0; i < 4; i++) {
          const r = (await signIn(i % 2 ? b : a, name, 'wrong-' + i)).res;
          assertProblem(r, 401, `${name} failure ${i + 1}`);
        }
        const fifth = (await signIn(a, name, 'wrong-5')).res;
        assertProblem(fifth, 429, `${name}: the fifth failure locks`);
        // B refuses even the right password, with the lock's Retry-After.
        const locked = (await signIn(b, name, PASSWORD)).res;
        assertProblem(locked, 429, `${name} locked on B`);
        const retry = Number(locked.headers.get('retry-after'));
        assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
        answers[name] = { details: [fifth.json.detail, locked.json.detail], retry };
      }
      assert.deepEqual(answers.mn_nobody_here.details, answers.mn_lock.details, 'an unknown username answers like an account');
      // The same lock time, give or take the second that passed between the two locks.
      assert.ok(Math.abs(answers.mn_nobody_here.retry - answers.mn_lock.retry) <= 1, JSON.stringify(answers));
      // The shared table holds a keyed hash, never the name.
      assert.equal(a.sql("SELECT count(*) FROM login_unknown WHERE position('mn_nobody_here' in encode(name_hash, 'escape')) > 0"), '0');
    });

    test('sign-in attempts per address are counted once for both nodes', async () => {
      const addr = from();
      for (let i = 0; i < 6; i++) {
        const r = (await signIn(i % 2 ? b : a, `mn_flood_${i}`, 'x', addr)).res;
        assertProblem(r, 401, `attempt ${i + 1}`);
      }
      for (const srv of [a, b]) {
        const r = (await signIn(srv, 'wangge', 'Demo@2026jc', addr)).res;
        assertProblem(r, 429, 'the seventh attempt, on either node');
        assert.match(r.json.detail, /登录尝试过于频繁/);
        const retry = Number(r.headers.get('retry-after'));
        assert.ok(retry >= 1 && retry <= 11, `Retry-After ${retry}`);
      }
      // Another address is not limited.
      assert.equal((await signIn(b, 'wangge', 'Demo@2026jc')).res.status, 200);
    });

    test('resident lookups per user are counted once for both nodes', async () => {
      const s = await signIn(a, 'wanggezhang', 'Demo@2026jc');
      const look = (srv, i) => api(srv.url, 'GET', `/api/v1/residents?phone=1370009${String(1000 + i)}`, { cookie: s.cookie });
      for (let i = 0; i < 4; i++) assert.equal((await look(i % 2 ? b : a, i)).status, 200, `lookup ${i + 1}`);
      for (const srv of [a, b]) {
        const over = await look(srv, 9);
        assertProblem(over, 429, 'the fifth lookup, on either node');
        const retry = Number(over.headers.get('retry-after'));
        assert.ok(retry >= 590 && retry <= 600, `Retry-After ${retry}`);
      }
      const other = await signIn(b, 'wangge', 'Demo@2026jc');
      assert.equal((await api(b.url, 'GET', '/api/v1/residents?phone=13700091234', { cookie: other.cookie })).status, 200);
    });

    test('reports on both nodes at once: unique numbers and tracking codes, one audit chain', async () => {
      const jumin = await signInDemo(a.url, 'jumin');
      const res = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          api(i % 2 ? b.url : a.url, 'POST', '/api/v1/cases', {
            ...jumin,
            body: { category: 'environment', description: `多节点并发 ${i}`, region_code: GRID1 },
          }),
        ),
      );
      for (const r of res) assert.equal(r.status, 201, r.text);
      assert.equal(new Set(res.map((r) => r.json.number)).size, 40, 'numbers are unique');
      assert.equal(new Set(res.map((r) => r.json.tracking_code)).size, 40, 'tracking codes are unique');
      const v = runCli(['audit', 'verify', ...a.dbArgs]);
      assert.equal(v.status, 0, `jiceng audit verify: ${v.stderr}${v.stdout}`);
    });

    test('each notification reaches the webhook once although both nodes send', async (t) => {
      // A burst of 800 beside the reports' own: more than one node sends in the 2 s it polls.
      a.sql(
        'INSERT INTO notifications(created_at, role, region_code, kind, title, body) ' +
          `SELECT extract(epoch from now())::bigint, 'grid_leader', '${GRID1}', 'burst', '突发', 'mn-burst-' || i FROM generate_series(1, 800) i`,
      );
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && a.sql('SELECT count(*) FROM notifications WHERE sent_at = 0 AND attempts < 5') !== '0')
        await sleep(250);
      assert.equal(a.sql('SELECT count(*) FROM notifications WHERE sent_at = 0'), '0', 'everything was sent');
      await sleep(500);
      const ids = received.map((n) => n.id);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      assert.deepEqual(twice, [], 'no notification was sent twice');
      const sent = a.sql('SELECT count(*) FROM notifications WHERE sent_at > 0');
      assert.equal(String(new Set(ids).size), sent, 'every sent notification was received');
      const senders = Number(a.sql('SELECT count(DISTINCT claimed_by) FROM notifications WHERE sent_at > 0'));
      assert.equal(senders, 2, 'both nodes sent some');
      t.diagnostic(`${ids.length} notifications received, last claimed by ${senders} distinct senders`);
    });

    test('a claim of a node that died runs out, then the notification goes out once', async () => {
      const id = a.sql(
        'INSERT INTO notifications(created_at, role, region_code, kind, title, body, claimed_by, claimed_until) ' +
          `VALUES (extract(epoch from now())::bigint, 'grid_leader', '${GRID1}', 'lease', '租约', 'mn-lease', 'dead-node:1:0', ` +
          'extract(epoch from now())::bigint + 4) RETURNING id',
      );
      assert.match(id, /^\d+/);
      const n = Number(id.split('\n')[0]);
      await sleep(2500);
      assert.equal(received.filter((r) => r.id === n).length, 0, 'not sent while the claim holds');
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !received.some((r) => r.id === n)) await sleep(200);
      await sleep(2500); // both nodes polled again meanwhile
      assert.equal(received.filter((r) => r.id === n).length, 1, 'sent once after the claim ran out');
      assert.notEqual(a.sql(`SELECT claimed_by FROM notifications WHERE id = ${n}`), 'dead-node:1:0');
    });
  },
);
