// Group commit of small writes (issue 11): reports, resident registrations and case actions
// all run on the one group-commit writer, in arrival order, each in its own savepoint of a
// shared transaction, and are answered only after that commit. Shown here: mixed concurrent
// writes are all acknowledged and read back; writes that fail inside a batch (a 422, a 409,
// a duplicate ID number caught by its unique index) leave the other writes of the same flush
// in place and change nothing themselves; actions on one case apply in the order they came;
// the writer's counters show that writes shared commits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GRID1, GRID2, api, sleep, signInDemo, startServer } from './harness.mjs';
import { auditEntries, idNumber, wrongCheck } from './base-lib.mjs';
import { report, tag } from './cases-lib.mjs';

/** The counters of one node's group-commit writer, from its GET /metrics. */
async function writerMetrics(nodeUrl) {
  const res = await api(nodeUrl, 'GET', '/metrics');
  assert.equal(res.status, 200, res.text.slice(0, 300));
  const read = (name) => {
    const m = res.text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
    assert.ok(m, `${name} in /metrics`);
    return Number(m[1]);
  };
  return {
    batches: read('jiceng_writer_batches_total'),
    jobs: read('jiceng_writer_jobs_total'),
    queued: read('jiceng_writer_jobs_queued_total'),
  };
}

/** The writer's counters summed over every node of the server (each process counts its own). */
async function writerCounts(srv) {
  const sum = { batches: 0, jobs: 0 };
  for (const node of srv.nodes) {
    const m = await writerMetrics(node.url);
    sum.batches += m.batches;
    sum.jobs += m.jobs;
  }
  return sum;
}

/** Waits until n jobs in all have reached the writer of the node at nodeUrl. */
async function untilQueued(nodeUrl, n) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { queued } = await writerMetrics(nodeUrl);
    if (queued >= n) return;
    assert.ok(Date.now() < deadline, `the writer has ${queued} of ${n} jobs`);
    await sleep(2);
  }
}

describe('group commit of small writes', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const register = (body, who = s.wangge) => api(url, 'POST', '/api/v1/residents', { ...who, body });
  const act = (id, body, who = s.admin) => api(url, 'POST', `/api/v1/cases/${id}/actions`, { ...who, body });
  const resident = (name, id_number, region_code = GRID1) => ({ name, region_code, residency: 'registered', id_number });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'wangge']) s[u] = await signInDemo(url, u);
  });
  after(async () => {
    await srv?.stop();
  });

  test('mixed concurrent writes: all acknowledged, all read back, fewer commits than writes', async () => {
    const targets = [];
    for (let i = 0; i < 8; i++) targets.push((await report(url, s.admin, { description: tag('target') })).json.id);
    const before = await writerCounts(srv);
    const t = tag('mix');
    const reports = Array.from({ length: 20 }, (_, i) =>
      api(url, 'POST', '/api/v1/cases', {
        ...s.admin,
        body: { category: 'environment', description: `${t} report ${i}`, region_code: i % 2 ? GRID1 : GRID2 },
      }),
    );
    const ids = Array.from({ length: 20 }, () => idNumber());
    const residents = ids.map((id, i) => register(resident(`${t}居民${i}`, id)));
    const actions = Array.from({ length: 16 }, (_, i) => act(targets[i % 8], { action: 'supervise', comment: `${t} 督办 ${i}` }));
    const [rs, ps, as] = await Promise.all([Promise.all(reports), Promise.all(residents), Promise.all(actions)]);
    for (const r of rs) assert.equal(r.status, 201, r.text.slice(0, 300));
    for (const r of ps) assert.equal(r.status, 201, r.text.slice(0, 300));
    for (const r of as) assert.equal(r.status, 200, r.text.slice(0, 300));
    const afterCounts = await writerCounts(srv);
    const writes = rs.length + ps.length + as.length;
    assert.ok(afterCounts.jobs - before.jobs >= writes, `every write ran on the writer: ${JSON.stringify([before, afterCounts])}`);
    assert.ok(afterCounts.batches - before.batches < writes, `writes shared commits: ${JSON.stringify([before, afterCounts])}`);

    for (const [i, r] of rs.entries()) {
      const got = await api(url, 'GET', `/api/v1/cases/${r.json.id}`, s.admin);
      assert.equal(got.status, 200);
      assert.equal(got.json.description, `${t} report ${i}`);
      assert.equal(got.json.number, r.json.number);
    }
    assert.equal(new Set(rs.map((r) => r.json.number)).size, rs.length, 'every report has its own number');
    for (const [i, r] of ps.entries()) {
      const got = await api(url, 'GET', `/api/v1/residents/${r.json.id}?reveal=true`, s.wangge);
      assert.equal(got.status, 200, got.text);
      assert.equal(got.json.name, `${t}居民${i}`);
      assert.equal(got.json.id_number, ids[i]);
    }
    for (let k = 0; k < 8; k++) {
      const got = await api(url, 'GET', `/api/v1/cases/${targets[k]}`, s.admin);
      const notes = got.json.timeline.filter((e) => e.action === 'supervise').map((e) => e.comment ?? e.note);
      assert.equal(notes.length, 2, JSON.stringify(got.json.timeline));
      // Each action answered with the case as committed, its own entry in the timeline.
      for (const r of as.filter((_, i) => i % 8 === k))
        assert.ok(
          r.json.timeline.some((e) => e.action === 'supervise'),
          JSON.stringify(r.json.timeline),
        );
    }
    const audit = await auditEntries(url, s.admin, 200);
    assert.ok(audit.filter((e) => e.action === 'resident.create' && e.result === 201).length >= 20, 'registrations audited');
    assert.ok(audit.filter((e) => e.action === 'case.action' && e.result === 200).length >= 16, 'actions audited');
  });

  test('a failing write does not undo the others of its flush, and changes nothing itself', async () => {
    const t = tag('fail');
    const taken = idNumber();
    assert.equal((await register(resident(`${t}先来`, taken))).status, 201);
    const closed = (await report(url, s.admin, { description: `${t} closed` })).json.id;
    assert.equal((await act(closed, { action: 'reject', comment: '不属实' })).status, 200);
    const open = (await report(url, s.admin, { description: `${t} open` })).json.id;
    const twin = idNumber();

    const good = Array.from({ length: 16 }, (_, i) => ({ name: `${t}好${i}`, id: idNumber() }));
    const jobs = [
      ...good.map((g) => register(resident(g.name, g.id)).then((r) => ['good', r, g])),
      // 409: an ID number already registered
      ...[0, 1, 2].map((i) => register(resident(`${t}重复${i}`, taken)).then((r) => ['dup', r])),
      // 422: a wrong check digit
      ...[0, 1, 2].map((i) => register(resident(`${t}错号${i}`, wrongCheck(idNumber()))).then((r) => ['bad', r])),
      // the same new ID number twice in one burst: one wins, the other is refused (the unique
      // index refuses it when both pass the check before either is written)
      ...[0, 1].map((i) => register(resident(`${t}双${i}`, twin)).then((r) => ['twin', r])),
      // 409: a rejected case cannot be started; 422: supervise without a comment
      act(closed, { action: 'start' }).then((r) => ['state', r]),
      act(open, { action: 'supervise' }).then((r) => ['nocomment', r]),
      act(open, { action: 'supervise', comment: `${t} 有效督办` }).then((r) => ['act', r]),
      report(url, s.admin, { description: `${t} good report` }).then((r) => ['report', r]),
    ];
    const results = await Promise.all(jobs);
    const by = (k) => results.filter((x) => x[0] === k).map((x) => x[1]);
    for (const r of by('good')) assert.equal(r.status, 201, r.text);
    for (const r of by('dup')) assert.equal(r.status, 409, r.text);
    for (const r of by('bad')) assert.equal(r.status, 422, r.text);
    assert.deepEqual(
      by('twin')
        .map((r) => r.status)
        .sort(),
      [201, 409],
      by('twin')
        .map((r) => r.text)
        .join('\n'),
    );
    assert.equal(by('state')[0].status, 409, by('state')[0].text);
    assert.equal(by('nocomment')[0].status, 422, by('nocomment')[0].text);
    assert.equal(by('act')[0].status, 200, by('act')[0].text);
    assert.equal(by('report')[0].status, 201);

    // Every good write is there.
    for (const [, r, g] of results.filter((x) => x[0] === 'good')) {
      const got = await api(url, 'GET', `/api/v1/residents/${r.json.id}?reveal=true`, s.wangge);
      assert.equal(got.status, 200);
      assert.equal(got.json.id_number, g.id);
    }
    // The refused ones left nothing: one resident per ID number, the rejected case untouched.
    for (const id of [taken, twin]) {
      const look = await api(url, 'GET', `/api/v1/residents?id_number=${id}`, s.wangge);
      assert.equal(look.status, 200, look.text);
      assert.equal(look.json.items.length, 1, `one resident with ${id}`);
    }
    const names = await api(url, 'GET', `/api/v1/residents?q=${encodeURIComponent(t)}&region=${GRID1}&limit=100`, s.wangge);
    assert.equal(names.status, 200, names.text);
    assert.ok(!names.json.items.some((r) => /重复|错号/.test(r.name)), 'no refused registration was kept');
    const c = await api(url, 'GET', `/api/v1/cases/${closed}`, s.admin);
    assert.equal(c.json.status, 'rejected');
    assert.equal(c.json.timeline.length, 2, 'report and reject only');
    const o = await api(url, 'GET', `/api/v1/cases/${open}`, s.admin);
    assert.equal(o.json.timeline.filter((e) => e.action === 'supervise').length, 1, 'only the valid supervise');
    // Refusals are audited as such.
    const audit = await auditEntries(url, s.admin, 200);
    assert.ok(
      audit.some((e) => e.action === 'resident.create' && e.result === 409),
      'a refused registration is audited',
    );
  });

  test('actions on one case apply in the order they reach the writer, each answered after its commit', async () => {
    // The order is one writer's, so the steps and the noise go to one node: behind a balancer
    // (JICENG_TEST_NODES=2) requests sent in order without waiting may reach different nodes'
    // writers and apply in either order, which a client that needs an order avoids by waiting.
    // Even on one node, two requests sent 25 ms apart can reach the writer the other way round
    // on a loaded machine, so each step is sent once the one before is in the writer's queue.
    const one = srv.nodes[0].url;
    const id = (await report(url, s.admin, { description: tag('order') })).json.id;
    // Each step is allowed only after the one before it: out of order, one would be 409.
    const steps = [
      { action: 'accept' },
      { action: 'supervise', comment: '督办一' },
      { action: 'start' },
      { action: 'supervise', comment: '督办二' },
      { action: 'handle', comment: '已处置' },
      { action: 'verify' },
      { action: 'close' },
    ];
    // Keep the writer busy meanwhile, so the steps queue behind other writes.
    let queued = (await writerMetrics(one)).queued;
    const noise = Array.from({ length: 30 }, (_, i) =>
      api(one, 'POST', '/api/v1/residents', { ...s.wangge, body: resident(`${tag('noise')}${i}`, idNumber()) }),
    );
    await untilQueued(one, (queued += noise.length));
    const sent = [];
    for (const body of steps) {
      sent.push(api(one, 'POST', `/api/v1/cases/${id}/actions`, { ...s.admin, body }));
      await untilQueued(one, ++queued); // in the queue; none waits for the answer of the one before
    }
    const answers = await Promise.all(sent);
    for (const [i, r] of answers.entries()) assert.equal(r.status, 200, `${JSON.stringify(steps[i])}: ${r.text.slice(0, 300)}`);
    for (const r of await Promise.all(noise)) assert.equal(r.status, 201, r.text);
    const c = await api(url, 'GET', `/api/v1/cases/${id}`, s.admin);
    assert.equal(c.json.status, 'closed');
    assert.deepEqual(
      c.json.timeline.map((e) => e.action),
      ['report', ...steps.map((x) => x.action)],
    );
  });
});
