// The dashboard's live updates (GET /api/v1/dashboard/events, API.md "Indicators and the
// dashboard"): a text/event-stream whose first event holds the region's open-case counts and
// which gets a new event within seconds of a case written under the region — by any node —
// and none for a case elsewhere; the dashboard's scope and roles, answered as problem+json
// before any stream starts; and the per-node bound on open streams, a closed client's slot
// coming free again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { BACKEND, DISTRICT, NODES, STREET1, STREET2, api, assertProblem, signInDemo, sleep, startServer } from './harness.mjs';
import { report } from './cases-lib.mjs';

// A community of its own under street 1, so that its counts are known.
const COMM = `${STREET1}0${90 + (process.pid % 9)}`;
const GRID = `${COMM}001`;
const OTHER_GRID = `${STREET2}001001`;

/**
 * Opens GET path with the given auth as a stream: {status, headers, json (a refusal's body),
 * next(ms) (the next event {event, data} or null after ms), close()}.
 */
function openEvents(base, path, auth = {}) {
  const u = new URL(base + path);
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'text/event-stream' };
    if (auth.cookie) headers.Cookie = auth.cookie;
    const req = http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers }, (res) => {
      const out = { status: res.statusCode, headers: res.headers, res, close: () => req.destroy() };
      if (res.statusCode !== 200) {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ ...out, text, json: JSON.parse(text || 'null') }));
        return;
      }
      const events = [];
      const waiting = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let at;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const ev = { event: 'message', data: '', comment: false };
          let fields = 0;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) ev.comment = true;
            else if (line.startsWith('event: ')) ((ev.event = line.slice(7)), fields++);
            else if (line.startsWith('data: ')) ((ev.data += line.slice(6)), fields++);
          }
          if (!fields) continue; // retry: and heartbeats
          ev.json = JSON.parse(ev.data);
          const w = waiting.shift();
          if (w) w(ev);
          else events.push(ev);
        }
      });
      res.on('error', () => {});
      out.next = (ms) =>
        events.length
          ? Promise.resolve(events.shift())
          : new Promise((done) => {
              const w = (ev) => (clearTimeout(timer), done(ev));
              const timer = setTimeout(() => {
                waiting.splice(waiting.indexOf(w), 1);
                done(null);
              }, ms);
              waiting.push(w);
            });
      resolve(out);
    });
    req.on('error', reject);
  });
}

/** The next event whose open count is want, within ms (null when none came). */
async function eventWithOpen(stream, want, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const ev = await stream.next(Math.max(0, end - Date.now()));
    if (!ev || ev.json.cases.open === want) return ev;
  }
}

describe('dashboard events', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const streams = [];
  const open = async (...args) => {
    const st = await openEvents(...args);
    streams.push(st);
    return st;
  };

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['jiedao', 'zhihui', 'wangge', 'chengguan', 'jumin']) s[u] = await signInDemo(url, u);
    for (const [code, name, parent] of [
      [COMM, '推送测试社区', STREET1],
      [GRID, '推送网格', COMM],
    ]) {
      const res = await api(url, 'POST', '/api/v1/regions', { ...s.jiedao, body: { code, name, parent_code: parent } });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    for (const st of streams) st.close();
    await srv?.stop();
  });

  test('the stream: its content type, the first event with the counts, an event per case written under the region', async () => {
    const st = await open(url, `/api/v1/dashboard/events?region=${COMM}`, s.jiedao);
    assert.equal(st.status, 200);
    assert.match(st.headers['content-type'], /^text\/event-stream/);
    assert.match(st.headers['cache-control'], /no-cache/);
    const first = await st.next(5000);
    assert.ok(first, 'the first event comes at once');
    assert.equal(first.event, 'dashboard');
    assert.equal(first.json.region, COMM);
    assert.deepEqual(first.json.cases, { open: 0, overdue: 0, warning: 0, supervised: 0 });
    assert.ok(Number.isInteger(first.json.version));

    await report(url, s.jiedao, { region_code: GRID });
    const ev = await eventWithOpen(st, 1, 8000);
    assert.ok(ev, 'an event with the new count within seconds');
    assert.equal(ev.json.region, COMM);
    assert.ok(ev.json.version > first.json.version, 'the version moves on');
    await report(url, s.jiedao, { region_code: GRID });
    assert.ok(await eventWithOpen(st, 2, 8000), 'and again for the second case');
    // The dashboard agrees.
    const dash = await api(url, 'GET', `/api/v1/dashboard?region=${COMM}`, s.jiedao);
    assert.equal(dash.json.cases.open, 2);
  });

  test('a case in another street: an event for the district, none for the community', async () => {
    const comm = await open(url, `/api/v1/dashboard/events?region=${COMM}`, s.jiedao);
    const district = await open(url, `/api/v1/dashboard/events?region=${DISTRICT}`, s.zhihui);
    assert.equal(comm.status, 200);
    assert.equal(district.status, 200);
    const base = (await district.next(5000)).json.cases.open;
    assert.equal((await comm.next(5000)).json.cases.open, 2);
    await report(url, s.zhihui, { region_code: OTHER_GRID });
    assert.ok(await eventWithOpen(district, base + 1, 8000), 'the district hears of it');
    const none = await comm.next(2500);
    assert.equal(none, null, `no event for ${COMM}: ${JSON.stringify(none)}`);
  });

  test('two nodes: a case written through one node reaches a stream on the other', { skip: NODES < 2 && 'one node' }, async () => {
    const [a, b] = srv.nodes;
    const st = await open(b.url, `/api/v1/dashboard/events?region=${COMM}`, s.jiedao);
    assert.equal(st.status, 200);
    const start = (await st.next(5000)).json.cases.open;
    const res = await api(a.url, 'POST', '/api/v1/cases', {
      ...s.jiedao,
      body: { category: 'environment', description: '另一节点写入的案件', region_code: GRID },
    });
    assert.equal(res.status, 201, res.text);
    assert.ok(await eventWithOpen(st, start + 1, 8000), 'node B streams what node A wrote');
  });

  // Ids are drawn at insert and seen at commit: a write that commits after a later one shows
  // a lower id than the notifier has already read past. It keeps the skipped id as a gap.
  test(
    'PostgreSQL: an entry committed after a later one still reaches the stream',
    { skip: BACKEND !== 'postgres' && 'SQLite has one writer' },
    async () => {
      const st = await open(url, `/api/v1/dashboard/events?region=${COMM}`, s.jiedao);
      const start = (await st.next(5000)).json;
      const caseId = Number(srv.sql(`SELECT max(id) FROM cases WHERE region_code = '${GRID}'`));
      const PSQL =
        process.env.JICENG_TEST_PSQL || (fs.existsSync('/usr/lib/postgresql/15/bin/psql') ? '/usr/lib/postgresql/15/bin/psql' : 'psql');
      const held = spawn(PSQL, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', srv.db], { stdio: ['pipe', 'pipe', 'inherit'] });
      const exited = new Promise((done) => held.on('exit', done));
      let out = '';
      held.stdout.on('data', (c) => (out += c));
      held.stdin.write(`BEGIN; INSERT INTO case_events(case_id, at, action) VALUES (${caseId}, 0, 'comment'); SELECT 'held';\n`);
      for (let i = 0; i < 100 && !out.includes('held'); i++) await sleep(100);
      assert.match(out, /held/, 'the transaction holds its id');
      await sleep(1500); // a look of the notifier's that finds nothing
      await report(url, s.jiedao, { region_code: GRID }); // a higher id, committed first
      const ev = await eventWithOpen(st, start.cases.open + 1, 8000);
      assert.ok(ev, 'the later write arrives');
      held.stdin.end('COMMIT;\n');
      assert.equal(await exited, 0);
      const late = await st.next(5000);
      assert.ok(late, 'the entry committed late arrives too');
      assert.equal(late.json.cases.open, start.cases.open + 1);
    },
  );

  // Overdue and yellow change with the clock, with no write: the case's deadline is moved
  // straight in the database (no timeline entry, so only the deadline look can see it).
  test('time alone: a case turning yellow and then overdue, with no write, reaches the stream', async () => {
    const st = await open(url, `/api/v1/dashboard/events?region=${COMM}`, s.jiedao);
    const start = (await st.next(5000)).json.cases;
    const c = (await report(url, s.jiedao, { region_code: GRID })).json;
    assert.ok(await eventWithOpen(st, start.open + 1, 8000), 'the report arrives');
    const due = Math.floor(Date.now() / 1000) + 4;
    const busy = BACKEND === 'sqlite' ? 'PRAGMA busy_timeout = 10000; ' : '';
    srv.sql(`${busy}UPDATE cases SET created_at = ${due - 5}, accept_due = ${due}, handle_due = ${due} WHERE id = ${c.id}`);
    let seen = null;
    for (const end = Date.now() + 15_000; Date.now() < end && !seen; ) {
      const ev = await st.next(Math.max(0, end - Date.now()));
      if (ev && ev.json.cases.overdue === start.overdue + 1) seen = ev;
    }
    assert.ok(seen, 'an event with the case overdue, within seconds of its deadline');
    assert.equal(seen.json.cases.open, start.open + 1);
    assert.ok(Date.now() / 1000 >= due, 'not before the deadline');
    const dash = await api(url, 'GET', `/api/v1/dashboard?region=${COMM}`, s.jiedao);
    assert.equal(dash.json.cases.overdue, seen.json.cases.overdue, 'the dashboard agrees');
  });

  test('refusals before any stream: 401, 403 out of scope or role, 404, 400', async () => {
    const cases = [
      [{}, COMM, 401],
      [s.jiedao, STREET2, 403],
      [s.wangge, COMM, 403],
      [s.chengguan, COMM, 403],
      [s.jumin, COMM, 403],
      [s.jiedao, `${STREET1}099`, 404],
      [s.jiedao, '12345', 400],
    ];
    for (const [auth, region, status] of cases) {
      const st = await open(url, `/api/v1/dashboard/events?region=${region}`, auth);
      assertProblem({ status: st.status, headers: new Headers(st.headers), json: st.json, text: st.text }, status, region);
    }
  });
});

describe('dashboard events: streams per caller', { timeout: 120_000 }, () => {
  const PER_CALLER = 32;
  let srv, url;
  const streams = [];
  before(async () => {
    srv = await startServer();
    url = srv.url;
  });
  after(async () => {
    for (const st of streams) st.close();
    await srv?.stop();
  });

  test('one user holds at most 32 streams a node (429 beyond); another user still gets one', async () => {
    const [jiedao, zhihui] = [await signInDemo(url, 'jiedao'), await signInDemo(url, 'zhihui')];
    const path = `/api/v1/dashboard/events?region=${STREET1}`;
    for (let i = 0; i < PER_CALLER * NODES; i++) {
      const st = await openEvents(url, path, jiedao);
      streams.push(st);
      assert.equal(st.status, 200, `stream ${i + 1}`);
      assert.ok(await st.next(5000));
    }
    const extra = await openEvents(url, path, jiedao);
    const p = assertProblem({ status: extra.status, headers: new Headers(extra.headers), json: extra.json, text: extra.text }, 429);
    assert.equal(p.code, 'streams_per_caller');
    const other = await openEvents(url, path, zhihui);
    streams.push(other);
    assert.equal(other.status, 200);
  });
});

describe('dashboard events: the bound on open streams', { timeout: 120_000 }, () => {
  const MAX = 2;
  let srv, url, auth;
  const streams = [];
  before(async () => {
    srv = await startServer({ args: ['--max-streams', String(MAX), '--stream-heartbeat', '1'] });
    url = srv.url;
    auth = await signInDemo(url, 'jiedao');
  });
  after(async () => {
    for (const st of streams) st.close();
    await srv?.stop();
  });

  test('max streams per node open; one more gets 503; a closed one frees its slot', async () => {
    const path = `/api/v1/dashboard/events?region=${STREET1}`;
    for (let i = 0; i < MAX * NODES; i++) {
      const st = await openEvents(url, path, auth);
      streams.push(st);
      assert.equal(st.status, 200, `stream ${i + 1}: ${st.text || ''}`);
      assert.ok(await st.next(5000));
    }
    const extra = await openEvents(url, path, auth);
    const p = assertProblem({ status: extra.status, headers: new Headers(extra.headers), json: extra.json, text: extra.text }, 503);
    assert.equal(p.code, 'streams_full');
    streams.shift().close();
    // The server sees the client gone at its next heartbeat (1 s here).
    let again;
    for (let tries = 0; tries < 20; tries++) {
      await sleep(500);
      again = await openEvents(url, path, auth);
      if (again.status === 200) break;
    }
    streams.push(again);
    assert.equal(again.status, 200, 'a slot is free again');
    const metrics = await api(srv.nodes[0].url, 'GET', '/metrics');
    assert.match(metrics.text, new RegExp(`^jiceng_http_streams_open ${MAX}$`, 'm'));
  });

  test('the server stops promptly and cleanly with its streams open, ending them', async () => {
    const ended = streams.filter((st) => st.status === 200).map((st) => new Promise((done) => st.res.on('close', done)));
    // The nodes first: nginx, stopped gracefully, would wait for the streams to end.
    const t0 = Date.now();
    for (const r of await Promise.all(srv.nodes.map((n) => n.stop()))) assert.deepEqual(r, { code: 0, signal: null });
    assert.ok(Date.now() - t0 < 8000, `stopped in ${Date.now() - t0} ms`);
    await Promise.all(ended);
    await srv.stop();
    srv = null;
  });
});
