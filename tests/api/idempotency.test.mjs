// Idempotency-Key and record versions: the same submission sent ten times (one after the
// other, and at once) makes one record — a care visit (an ordinary write), a resident (a
// group write), a case report (through the group-commit writer), and what else the phone
// sends from its outbox: a field log raising a case, a sweep visit, a photo; a repeat gets
// the first answer back (same status and body, Idempotent-Replayed); the same key with
// another body is 422; another user's same key is their own; a key older than 24 hours is
// forgotten; a malformed key is 400. ETag on a resident and a case; a PATCH with a stale
// If-Match is 409 version_conflict with the record as it is now, a current one or none is
// fine; a sweep visit whose occupant change names an older version of the resident is 409 the
// same way and writes nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { GRID1, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { makeHouses, makeResident, idNumber, maskPhone, phone } from './base-lib.mjs';
import { pngBytes, tag } from './cases-lib.mjs';

describe('idempotency keys and record versions', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  let target, sweep;
  const post = (who, p, body, key, headers = {}) =>
    api(url, 'POST', p, { ...s[who], body, headers: { ...(key ? { 'Idempotency-Key': key } : {}), ...headers } });
  const count = (query) => Number(srv.sql(query));

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'wangge', 'wanggezhang', 'shequ']) s[u] = await signInDemo(url, u);
    const day = (d) => new Date(Date.now() + d * 86400e3).toISOString().slice(0, 10);
    const sw = await post('shequ', '/api/v1/sweeps', { name: tag('幂等扫楼'), region_code: GRID1.slice(0, 12), starts_on: day(-1), ends_on: day(30) });
    assert.equal(sw.status, 201, sw.text);
    sweep = sw.json;
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

  test('a field log raising a case, sent ten times at once, is one entry and one case', async () => {
    const note = tag('idem-log');
    const key = randomUUID();
    const body = { kind: 'patrol', region_code: GRID1, note, raise_case: { category: 'environment' } };
    const all = await Promise.all(Array.from({ length: 10 }, () => post('wangge', '/api/v1/field-logs', body, key)));
    assert.deepEqual(
      all.map((r) => r.status),
      Array(10).fill(201),
      all.map((r) => r.text.slice(0, 200)).join('\n'),
    );
    assert.equal(new Set(all.map((r) => r.text)).size, 1);
    assert.ok(all[0].json.case_id);
    assert.equal(count(`SELECT count(*) FROM field_logs WHERE note = '${note}'`), 1);
    assert.equal(count(`SELECT count(*) FROM cases WHERE description = '${note}'`), 1);
    const again = await post('wangge', '/api/v1/field-logs', body, key);
    assert.equal(again.status, 201);
    assert.equal(again.json.id, all[0].json.id);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });

  test('a sweep visit sent ten times at once is one visit; a photo sent twice is uploaded once', async () => {
    const { houses } = await makeHouses(url, s.wangge, GRID1, tag('幂等楼'), 1);
    const note = tag('idem-sweep');
    const key = randomUUID();
    const body = { house_id: houses[0].id, outcome: 'visited', note, hazards: [{ description: note, action: 'rectify' }] };
    const all = await Promise.all(Array.from({ length: 10 }, () => post('wangge', `/api/v1/sweeps/${sweep.id}/visits`, body, key)));
    assert.deepEqual(
      all.map((r) => r.status),
      Array(10).fill(201),
      all.map((r) => r.text.slice(0, 200)).join('\n'),
    );
    assert.equal(new Set(all.map((r) => r.json.id)).size, 1);
    assert.equal(count(`SELECT count(*) FROM sweep_visits WHERE note = '${note}'`), 1);
    assert.equal(count(`SELECT count(*) FROM rectifications WHERE problem = '${note}'`), 1);

    // The outbox uploads a submission's photos first, each under a key derived from its own.
    const photoKey = `${key}.photo0`;
    const bytes = pngBytes(4242);
    const up = () =>
      api(url, 'POST', '/api/v1/photos', { ...s.wangge, rawBody: bytes, contentType: 'image/png', headers: { 'Idempotency-Key': photoKey } });
    const first = await up();
    assert.equal(first.status, 201, first.text);
    const second = await up();
    assert.equal(second.status, first.status);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
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

  test('a sweep visit changing an occupant by an older version is 409 with the resident as it is now, and writes nothing', async () => {
    const { houses } = await makeHouses(url, s.wangge, GRID1, tag('版本楼'), 1);
    const house = houses[0];
    const a = await makeResident(url, s.wangge, { name: '版本甲', house_id: house.id });
    const b = await makeResident(url, s.wangge, { name: '版本乙', house_id: house.id });
    // The phone loads the house with its residents and their versions …
    const loaded = await api(url, 'GET', `/api/v1/houses/${house.id}`, s.wangge);
    const v = Object.fromEntries(loaded.json.residents.map((r) => [r.id, r.version]));
    // … meanwhile the community changes 版本乙 at the desk.
    const desk = await api(url, 'PATCH', `/api/v1/residents/${b.id}`, { ...s.shequ, body: { note: '社区核对：已换手机', residency: 'floating' } });
    assert.equal(desk.status, 200, desk.text);
    const newPhone = phone();
    const body = (vb) => ({
      house_id: house.id,
      outcome: 'visited',
      note: tag('stale'),
      occupants: [
        { action: 'update', resident_id: a.id, version: v[a.id], residency: 'floating' },
        { action: 'update', resident_id: b.id, version: vb, phone: newPhone },
      ],
    });
    const stale = await post('wangge', `/api/v1/sweeps/${sweep.id}/visits`, body(v[b.id]), randomUUID());
    assertProblem(stale, 409);
    assert.equal(stale.json.code, 'version_conflict');
    assert.equal(stale.json.current_version, desk.json.version);
    assert.equal(stale.json.current.id, b.id);
    assert.equal(stale.json.current.note, '社区核对：已换手机');
    assert.equal(stale.json.current.residency, 'floating');
    assert.equal(stale.json.current.phone, maskPhone(b.clear_phone), 'masked as in GET');
    assert.deepEqual(
      stale.json.errors.map((e) => [e.field, e.code]),
      [['occupants[1].version', 'version_conflict']],
    );
    // Nothing of it was written: not 版本甲's change, not the visit.
    const aNow = await api(url, 'GET', `/api/v1/residents/${a.id}`, s.wangge);
    assert.equal(aNow.json.residency, 'registered');
    assert.equal(aNow.json.version, v[a.id]);
    assert.equal(count(`SELECT count(*) FROM sweep_visits WHERE house_id = ${house.id}`), 0);
    // Based on the current version (the phone's "keep mine") it goes through.
    const ok = await post('wangge', `/api/v1/sweeps/${sweep.id}/visits`, body(stale.json.current_version), randomUUID());
    assert.equal(ok.status, 201, ok.text);
    const bNow = await api(url, 'GET', `/api/v1/residents/${b.id}`, s.wangge);
    assert.equal(bNow.json.phone, maskPhone(newPhone));
    assert.equal(bNow.json.note, '社区核对：已换手机');
    assert.equal(bNow.json.version, desk.json.version + 1);
    // A version that is not a number is 400, and without one the change applies as before.
    const bad = await post('wangge', `/api/v1/sweeps/${sweep.id}/visits`, {
      house_id: house.id,
      outcome: 'visited',
      occupants: [{ action: 'update', resident_id: a.id, version: 'v1' }],
    });
    assertProblem(bad, 400);
    assert.equal(bad.json.errors[0].field, 'occupants[0].version');
    const plain = await post('wangge', `/api/v1/sweeps/${sweep.id}/visits`, {
      house_id: house.id,
      outcome: 'visited',
      occupants: [{ action: 'update', resident_id: b.id, relation: 'tenant' }],
    });
    assert.equal(plain.status, 201, plain.text);
  });
});
