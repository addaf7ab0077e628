// Idempotency-Key and record versions: the same submission sent ten times (one after the
// other, and at once) makes one record — a care visit (an ordinary write), a resident (a
// group write) and a case report (through the group-commit writer); a repeat gets the first
// answer back (same status and body, Idempotent-Replayed); the same key with another body is
// 422; another user's same key is their own; a key older than 24 hours is forgotten; a
// malformed key is 400. ETag on a resident and a case; a PATCH with a stale If-Match is 409
// version_conflict with the record as it is now, a current one or none is fine.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { GRID1, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { makeResident, idNumber, phone } from './base-lib.mjs';
import { tag } from './cases-lib.mjs';

describe('idempotency keys and record versions', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  let target;
  const post = (who, p, body, key, headers = {}) =>
    api(url, 'POST', p, { ...s[who], body, headers: { ...(key ? { 'Idempotency-Key': key } : {}), ...headers } });
  const count = (query) => Number(srv.sql(query));

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'wangge', 'wanggezhang', 'shequ']) s[u] = await signInDemo(url, u);
    const r = await makeResident(url, s.wangge, { name: '幂等测试', region_code: GRID1 });
    const res = await post('wangge', '/api/v1/care-targets', { resident_id: r.id, kind: 'elderly_alone', visit_every_days: 7 });
    assert.equal(res.status, 201, res.text);
    target = res.json;
  });
  after(async () => {
    await srv?.stop();
  });

  test('a care visit sent ten times, one after the other and at once, is one visit', async () => {
    const note = tag('visit');
    const key = randomUUID();
    const first = await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note }, key);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    for (let i = 0; i < 9; i++) {
      const again = await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note }, key);
      assert.equal(again.status, 201);
      assert.equal(again.text, first.text, 'the same body');
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
    }
    assert.equal(count(`SELECT count(*) FROM care_visits WHERE note = '${note}'`), 1);
    const note2 = tag('visit');
    const key2 = randomUUID();
    const all = await Promise.all(
      Array.from({ length: 10 }, () => post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note: note2 }, key2)),
    );
    assert.deepEqual(
      all.map((r) => r.status),
      Array(10).fill(201),
    );
    assert.equal(new Set(all.map((r) => r.json.id)).size, 1);
    assert.equal(count(`SELECT count(*) FROM care_visits WHERE note = '${note2}'`), 1);
  });

  test('a case report sent ten times at once through group commit is one case', async () => {
    const description = tag('idem-report');
    const key = randomUUID();
    const body = { category: 'environment', description, region_code: GRID1 };
    const all = await Promise.all(Array.from({ length: 10 }, () => post('wangge', '/api/v1/cases', body, key)));
    for (const r of all) assert.ok(r.status === 201 || r.status === 409, `${r.status} ${r.text.slice(0, 200)}`);
    const ok = all.filter((r) => r.status === 201);
    assert.ok(ok.length >= 1);
    assert.equal(new Set(ok.map((r) => r.json.id)).size, 1);
    for (const r of all.filter((x) => x.status === 409)) assert.equal(r.json.code, 'idempotency_in_progress');
    assert.equal(count(`SELECT count(*) FROM cases WHERE description = '${description}'`), 1);
    // Once answered, every repeat gets that answer.
    for (let i = 0; i < 10; i++) {
      const again = await post('wangge', '/api/v1/cases', body, key);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.json.id, ok[0].json.id);
      assert.equal(again.json.number, ok[0].json.number);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
    }
    assert.equal(count(`SELECT count(*) FROM cases WHERE description = '${description}'`), 1);
  });

  test('a case action (a group write answered after the commit) sent ten times at once is done once', async () => {
    const c = await post('wangge', '/api/v1/cases', { category: 'environment', description: tag('idem-act'), region_code: GRID1 });
    assert.equal(c.status, 201, c.text);
    const key = randomUUID();
    const all = await Promise.all(
      Array.from({ length: 10 }, () => post('wanggezhang', `/api/v1/cases/${c.json.id}/actions`, { action: 'accept', comment: '受理' }, key)),
    );
    assert.deepEqual(
      all.map((r) => r.status),
      Array(10).fill(200),
      all.map((r) => r.text.slice(0, 200)).join('\n'),
    );
    assert.equal(new Set(all.map((r) => r.text)).size, 1);
    const got = await api(url, 'GET', `/api/v1/cases/${c.json.id}`, s.wangge);
    assert.equal(got.json.timeline.filter((e) => e.action === 'accept').length, 1);
  });

  test('a resident (a group write) sent ten times at once is one resident', async () => {
    const id_number = idNumber();
    const body = { name: '幂等居民', id_number, phone: phone(), residency: 'registered', region_code: GRID1 };
    const key = randomUUID();
    const all = await Promise.all(Array.from({ length: 10 }, () => post('wangge', '/api/v1/residents', body, key)));
    assert.deepEqual(
      all.map((r) => r.status),
      Array(10).fill(201),
      all.map((r) => r.text.slice(0, 200)).join('\n'),
    );
    assert.equal(new Set(all.map((r) => r.text)).size, 1);
    const found = await api(url, 'GET', `/api/v1/residents?id_number=${id_number}`, s.wangge);
    assert.equal(found.status, 200);
    assert.equal(found.json.items.length, 1);
  });

  test('the same key with another body is 422; another user has keys of their own; a bad key is 400', async () => {
    const key = randomUUID();
    const a = await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note: tag('a') }, key);
    assert.equal(a.status, 201);
    const b = await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note: tag('b') }, key);
    assertProblem(b, 422);
    assert.equal(b.json.code, 'idempotency_key_reused');
    const other = await post('wanggezhang', `/api/v1/care-targets/${target.id}/visits`, { note: tag('c') }, key);
    assert.equal(other.status, 201, other.text);
    assert.notEqual(other.json.id, a.json.id);
    assert.equal(other.headers.get('idempotent-replayed'), null);
    assertProblem(await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note: 'x' }, 'bad key with spaces'), 400);
    assertProblem(await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note: 'x' }, 'k'.repeat(256)), 400);
    // Without a key every POST is its own.
    const n = tag('nokey');
    await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note: n });
    await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note: n });
    assert.equal(count(`SELECT count(*) FROM care_visits WHERE note = '${n}'`), 2);
  });

  test('a key older than 24 hours is forgotten', async () => {
    const note = tag('old');
    const key = randomUUID();
    assert.equal((await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note }, key)).status, 201);
    srv.sql(`UPDATE idempotency_keys SET created_at = created_at - 90000 WHERE idem_key = '${key}'`);
    const again = await post('wangge', `/api/v1/care-targets/${target.id}/visits`, { note }, key);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.equal(count(`SELECT count(*) FROM care_visits WHERE note = '${note}'`), 2);
  });

  test('ETag on a resident and a case; a stale If-Match is 409 with the record as it is now', async () => {
    const r = await makeResident(url, s.wangge, { name: '版本测试', region_code: GRID1 });
    const got = await api(url, 'GET', `/api/v1/residents/${r.id}`, s.wangge);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('etag'), `"${got.json.version}"`);
    const etag = got.headers.get('etag');
    const patch = (body, headers = {}) => api(url, 'PATCH', `/api/v1/residents/${r.id}`, { ...s.wangge, body, headers });
    // Without If-Match it works as before.
    const p1 = await patch({ note: '第一次修改' });
    assert.equal(p1.status, 200, p1.text);
    assert.equal(p1.json.version, got.json.version + 1);
    // Someone else changed it since: the stale version is refused, nothing changes.
    const stale = await patch({ note: '基于旧版本' }, { 'If-Match': etag });
    assertProblem(stale, 409);
    assert.equal(stale.json.code, 'version_conflict');
    assert.equal(stale.json.current_version, p1.json.version);
    assert.equal(stale.json.current.note, '第一次修改');
    assert.equal(stale.json.current.id_number, p1.json.id_number, 'masked as in GET');
    const still = await api(url, 'GET', `/api/v1/residents/${r.id}`, s.wangge);
    assert.equal(still.json.note, '第一次修改');
    // The current version passes.
    const p2 = await patch({ note: '核对后修改' }, { 'If-Match': still.headers.get('etag') });
    assert.equal(p2.status, 200, p2.text);
    assert.equal(p2.headers.get('etag'), `"${p2.json.version}"`);
    assert.equal((await patch({ note: 'x' }, { 'If-Match': '*' })).status, 200);
    assertProblem(await patch({ note: 'x' }, { 'If-Match': '"abc"' }), 400);

    const c = await post('wangge', '/api/v1/cases', { category: 'environment', description: tag('etag'), region_code: GRID1 });
    assert.equal(c.status, 201);
    const c1 = await api(url, 'GET', `/api/v1/cases/${c.json.id}`, s.wangge);
    assert.match(c1.headers.get('etag') || '', /^"\d+-\d+"$/);
    const act = await api(url, 'POST', `/api/v1/cases/${c.json.id}/actions`, { ...s.wanggezhang, body: { action: 'accept', comment: '受理' } });
    assert.equal(act.status, 200, act.text);
    const c2 = await api(url, 'GET', `/api/v1/cases/${c.json.id}`, s.wangge);
    assert.notEqual(c2.headers.get('etag'), c1.headers.get('etag'));
  });
});
