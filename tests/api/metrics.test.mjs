// GET /metrics: the Prometheus text format parses (a small parser below, strict about the
// exposition grammar), counts move with requests and are labelled by route pattern (never a
// path with ids), the gauges are there, and only the allowed client addresses see the page:
// everyone else gets the very 404 of an unknown address. The client address is set through
// the trusted proxy's X-Forwarded-For, as nginx does it in deploy/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, api, runCli, signInDemo, startServer } from './harness.mjs';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses the text exposition format 0.0.4: {families: Map(name → {type, help, samples})}.
 * Throws on any line that is not a comment, a HELP/TYPE line or a well-formed sample, on a
 * sample of a family without TYPE, and on a family whose TYPE comes twice. */
export function parseMetrics(text) {
  assert.ok(text.endsWith('\n'), 'the text ends with a newline');
  const families = new Map();
  const familyOf = (name) => {
    if (families.has(name)) return families.get(name);
    for (const suffix of ['_bucket', '_sum', '_count']) {
      const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : null;
      if (base && families.get(base)?.type === 'histogram') return families.get(base);
    }
    return null;
  };
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    if (line.startsWith('#')) {
      const m = line.match(/^# (HELP|TYPE) (\S+) (.*)$/);
      if (!m) return; // a plain comment
      assert.match(m[2], NAME, where);
      const fam = families.get(m[2]) || { type: null, help: null, samples: [] };
      if (m[1] === 'TYPE') {
        assert.equal(fam.type, null, `TYPE twice: ${where}`);
        assert.ok(TYPES.has(m[3]), `unknown type: ${where}`);
        assert.equal(fam.samples.length, 0, `TYPE after samples: ${where}`);
        fam.type = m[3];
      } else {
        fam.help = m[3];
      }
      families.set(m[2], fam);
      return;
    }
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/);
    assert.ok(m, `not a sample: ${where}`);
    const labels = {};
    let rest = m[2] ?? '';
    while (rest.length) {
      const l = rest.match(LABEL);
      assert.ok(l, `bad labels: ${where}`);
      assert.ok(!(l[1] in labels), `label twice: ${where}`);
      labels[l[1]] = l[2].replace(/\\(["\\n])/g, (_, c) => (c === 'n' ? '\n' : c));
      rest = rest.slice(l[0].length);
      if (rest.startsWith(',')) rest = rest.slice(1);
      else assert.equal(rest, '', `bad labels: ${where}`);
    }
    const v = m[3];
    assert.ok(/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+|Inf)$|^NaN$/.test(v), `bad value: ${where}`);
    const value = v === '+Inf' || v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
    const fam = familyOf(m[1]);
    assert.ok(fam && fam.type, `sample without a TYPE: ${where}`);
    fam.samples.push({ name: m[1], labels, value });
  });
  return families;
}

/** The value of the sample name{labels ⊇ want} (summed over the rest), 0 when absent. */
function value(families, family, name, want = {}) {
  const fam = families.get(family);
  if (!fam) return 0;
  return fam.samples
    .filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}
const requests = (f, route, code, method = 'GET') =>
  value(f, 'jiceng_http_requests_total', 'jiceng_http_requests_total', { method, route, code });
const gauge = (f, name) => {
  const fam = f.get(name);
  assert.ok(fam, `${name} is there`);
  assert.equal(fam.type, 'gauge');
  assert.equal(fam.samples.length, 1);
  return fam.samples[0].value;
};

async function scrape(url, headers = {}) {
  const res = await api(url, 'GET', '/metrics', { headers });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(res.text);
}

describe('GET /metrics (default allow-list, behind a trusted proxy at 127.0.0.1)', { timeout: 180_000 }, () => {
  let srv, url;
  before(async () => {
    srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1'] });
    url = srv.url;
  });
  after(async () => {
    await srv?.stop();
  });

  test('the text parses, every family has HELP and TYPE, histograms are cumulative and end at +Inf = _count', async () => {
    await api(url, 'GET', '/healthz');
    const f = await scrape(url);
    for (const name of [
      'jiceng_http_requests_total',
      'jiceng_http_request_duration_seconds',
      'jiceng_http_requests_in_flight',
      'jiceng_writer_queue_depth',
      'jiceng_writer_batches_total',
      'jiceng_writer_jobs_total',
      'jiceng_writer_jobs_queued_total',
      'jiceng_db_connections_open',
      'jiceng_sessions_active',
    ]) {
      assert.ok(f.get(name)?.type, `${name} has a TYPE`);
      assert.ok(f.get(name)?.help, `${name} has a HELP`);
    }
    const hist = f.get('jiceng_http_request_duration_seconds');
    assert.equal(hist.type, 'histogram');
    const series = new Map();
    for (const s of hist.samples) {
      const key = `${s.labels.method} ${s.labels.route}`;
      if (!series.has(key)) series.set(key, { buckets: [], sum: null, count: null });
      const e = series.get(key);
      if (s.name.endsWith('_bucket')) e.buckets.push([s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value]);
      else if (s.name.endsWith('_sum')) e.sum = s.value;
      else e.count = s.value;
    }
    assert.ok(series.has('GET /healthz'), 'the health check was counted');
    for (const [key, e] of series) {
      assert.ok(e.buckets.length > 1, key);
      for (let i = 1; i < e.buckets.length; i++) {
        assert.ok(e.buckets[i][0] > e.buckets[i - 1][0], `${key}: le ascending`);
        assert.ok(e.buckets[i][1] >= e.buckets[i - 1][1], `${key}: cumulative`);
      }
      assert.equal(e.buckets.at(-1)[0], Infinity, `${key}: ends at +Inf`);
      assert.equal(e.buckets.at(-1)[1], e.count, `${key}: +Inf = _count`);
      assert.ok(e.sum >= 0, key);
    }
    for (const s of f.get('jiceng_http_requests_total').samples) {
      assert.equal(s.labels.class, `${s.labels.code[0]}xx`, 'the class is the code\'s');
      assert.ok(Number.isInteger(s.value) && s.value > 0);
    }
    assert.ok(gauge(f, 'jiceng_db_connections_open') >= 1);
    assert.ok(gauge(f, 'jiceng_writer_queue_depth') >= 0);
    assert.ok(gauge(f, 'jiceng_http_requests_in_flight') >= 1, 'the scrape itself is in flight');
  });

  test('counts move by route pattern and status code; no id of a path becomes a label', async () => {
    const s = await signInDemo(url, 'shequ');
    // Counters are each process's own: with several nodes behind nginx, scrape every node
    // directly and add them up, as Prometheus would.
    const scrapeAll = () => Promise.all(srv.nodes.map((n) => scrape(n.url)));
    const before = await scrapeAll();
    const route = '/api/v1/regions/{code}';
    for (let i = 0; i < 3; i++) assert.equal((await api(url, 'GET', `/api/v1/regions/${COMM1}`, s)).status, 200);
    assert.equal((await api(url, 'GET', '/api/v1/regions/999901002', s)).status, 403); // the other street
    assert.equal((await api(url, 'POST', '/api/v1/regions', { ...s, body: {} })).status, 422);
    assert.equal((await api(url, 'GET', '/api/v1/no-such-thing', s)).status, 404);
    const after = await scrapeAll();
    const moved = (fn) => after.reduce((n, f) => n + fn(f), 0) - before.reduce((n, f) => n + fn(f), 0);
    assert.equal(moved((f) => requests(f, route, '200')), 3);
    assert.equal(moved((f) => requests(f, route, '403')), 1);
    assert.equal(moved((f) => requests(f, '/api/v1/regions', '422', 'POST')), 1);
    assert.equal(moved((f) => requests(f, '(unmatched)', '404', '*')), 1);
    const count = (f) =>
      value(f, 'jiceng_http_request_duration_seconds', 'jiceng_http_request_duration_seconds_count', { method: 'GET', route });
    assert.equal(moved(count), 4, 'every request of the route is in its histogram');
    assert.equal(moved((f) => requests(f, '/metrics', '200')), srv.nodes.length, 'the scrape before counts');
    for (const fam of after.flatMap((f) => [...f.values()]))
      for (const smp of fam.samples)
        for (const v of Object.values(smp.labels)) {
          assert.ok(!/\d{6}/.test(v), `no code or id in a label: ${v}`);
          assert.ok(!v.includes('no-such-thing'), `no raw path in a label: ${v}`);
        }
  });

  test('the sessions gauge follows sign-in and sign-out', async () => {
    const n0 = gauge(await scrape(url), 'jiceng_sessions_active');
    const s = await signInDemo(url, 'wangge');
    const n1 = gauge(await scrape(url), 'jiceng_sessions_active');
    assert.equal(n1, n0 + 1);
    assert.equal((await api(url, 'DELETE', '/api/v1/session', s)).status, 204);
    assert.equal(gauge(await scrape(url), 'jiceng_sessions_active'), n0);
  });

  test('a client the proxy names outside the allow-list gets the 404 of an unknown address', async () => {
    const unknown = await api(url, 'GET', '/api/v1/no-such-page', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    for (const xff of ['203.0.113.9', '127.0.0.1, 203.0.113.9', '::2', '10.0.0.1']) {
      const res = await api(url, 'GET', '/metrics', { headers: { 'X-Forwarded-For': xff } });
      assert.equal(res.status, 404, `from ${xff}`);
      assert.equal(res.headers.get('content-type'), unknown.headers.get('content-type'));
      assert.deepEqual(res.json, unknown.json, 'nothing tells the page exists');
      assert.ok(!res.text.includes('jiceng_'), 'no metric leaks');
    }
    // the proxy naming this machine itself, or an allowed IPv6 client: allowed
    assert.equal((await api(url, 'GET', '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9, 127.0.0.1' } })).status, 200);
    assert.equal((await api(url, 'GET', '/metrics', { headers: { 'X-Forwarded-For': '::1' } })).status, 200);
  });
});

describe('GET /metrics with --metrics-allow 203.0.113.0/24,2001:db8::/32', { timeout: 180_000 }, () => {
  let srv, url;
  before(async () => {
    srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1', '--metrics-allow', '203.0.113.0/24,2001:db8::/32'] });
    url = srv.url;
  });
  after(async () => {
    await srv?.stop();
  });

  test('the listed networks see it; this machine, no longer listed, gets 404', async () => {
    const from = async (xff) => (await api(url, 'GET', '/metrics', { headers: xff ? { 'X-Forwarded-For': xff } : {} })).status;
    assert.equal(await from('203.0.113.200'), 200);
    assert.equal(await from('2001:db8:1::7'), 200);
    assert.equal(await from('203.0.114.1'), 404);
    assert.equal(await from('2001:db9::1'), 404);
    assert.equal(await from(null), 404, 'the proxy itself (127.0.0.1) is not on the list');
  });
});

test('serve refuses a malformed --metrics-allow with a one-line reason', { timeout: 60_000 }, async () => {
  const srv = await startServer({ demo: false });
  await srv.stop();
  for (const bad of ['10.0.0.0/33', 'localhost', '127.0.0.1,,::1']) {
    const r = runCli(['serve', '--db', srv.db, '--listen', '127.0.0.1:1', '--metrics-allow', bad]);
    assert.notEqual(r.status, 0, bad);
    assert.match(r.stderr, /metrics allow-list/, bad);
  }
});
