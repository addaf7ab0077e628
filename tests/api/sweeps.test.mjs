// Sweeps (扫楼) and group-rental rectification (群租房整治): a sweep over a
// community gives each grid worker a worklist of his grid's houses only; a
// visit records use, occupants (add / update / moved_out through the resident
// rules) and hazards (opening a case or a rectification item) in one
// transaction — a bad occupant writes nothing; progress counts are exact on
// crafted data. Rectification items run open → rectifying → rectified →
// verified (销号 by community staff only), and the rate per region is
// verified / total. Every response is checked to be < 500.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, GRID1, GRID2, assertProblem, signInDemo, startServer } from './harness.mjs';
import {
  all,
  call,
  created,
  got,
  idNumber,
  makeGrid,
  makeHouses,
  makeResident,
  patched,
  phone,
  tok,
  wrongCheck,
} from './base-lib.mjs';

const G9 = `${COMM1}9${String(10 + Math.floor(Math.random() * 89))}`; // a grid made for exact counts
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/;
/** rate as the API rounds it: tenths of a percent, half up. */
const rate = (num, den) => (den ? Math.floor((num * 1000 + Math.floor(den / 2)) / den) / 10 : 0);

/** 403 for a write naming a target outside the caller's scope, the field named with code "scope". */
function scopeError(res, field, msg = '') {
  assertProblem(res, 403, msg);
  const e = (res.json.errors || []).find((x) => x.field === field);
  assert.ok(e, `${msg}: errors[] names ${field}; got ${JSON.stringify(res.json.errors)}`);
  assert.equal(e.code, 'scope');
}

function fieldError(res, field, code, msg = '') {
  assertProblem(res, 422, msg);
  const e = res.json.errors.find((x) => x.field === field);
  assert.ok(e, `${msg}: errors[] names ${field}; got ${JSON.stringify(res.json.errors)}`);
  if (code) assert.equal(e.code, code, `${msg}: code; got ${JSON.stringify(res.json.errors)}`);
}

describe('sweeps', { timeout: 300_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  const f = {};
  const visit = (who, sweep, body) => call(url, 'POST', `/api/v1/sweeps/${sweep}/visits`, { ...s[who], body });
  const visitsOf = async (sweep, house) => (await got(url, s.shequ, `/api/v1/sweeps/${sweep}/visits?house_id=${house}&limit=200`)).items;

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge', 'wangge2', 'loudong']) s[u] = await signInDemo(url, u);
    await makeGrid(url, s.admin, G9, `扫楼测试网格${T}`);
    f.g1 = await makeHouses(url, s.wangge, GRID1, `扫楼甲${T}`, 3);
    f.g2 = await makeHouses(url, s.wangge2, GRID2, `扫楼乙${T}`, 2);
    f.g9 = await makeHouses(url, s.shequ, G9, `扫楼丙${T}`, 3);
    const [h1a, , h1c] = f.g1.houses;
    f.r1 = await makeResident(url, s.wangge, { name: `住户一${T}`, house_id: h1a.id });
    f.r2 = await makeResident(url, s.wangge, { name: `住户二${T}`, house_id: h1a.id });
    f.r3 = await makeResident(url, s.wangge, { name: `住户三${T}`, house_id: h1c.id });
    f.sweep = await created(url, s.shequ, '/api/v1/sweeps', {
      name: `测试扫楼${T}`,
      region_code: COMM1,
      starts_on: '2026-11-01',
      ends_on: '2026-12-31',
    });
    f.housesGrid1 = (await all(url, `/api/v1/houses?region=${GRID1}`, s.shequ)).length;
    f.housesComm = await all(url, `/api/v1/houses?region=${COMM1}`, s.shequ);
  });
  after(async () => {
    await srv?.stop();
  });

  test('a new sweep starts with every house of its region unvisited', () => {
    assert.equal(f.sweep.status, 'open');
    assert.equal(f.sweep.region_code, COMM1);
    assert.equal(f.sweep.houses, f.housesComm.length);
    assert.equal(f.sweep.visited, 0);
    assert.equal(f.sweep.rate, 0);
  });

  test('sweep rules: only managers create; bad dates and regions → 422', async () => {
    const body = { name: 'x', region_code: COMM1, starts_on: '2026-11-01', ends_on: '2026-11-30' };
    assertProblem(await call(url, 'POST', '/api/v1/sweeps', { ...s.wangge, body }), 403, 'grid worker');
    assertProblem(await call(url, 'PATCH', `/api/v1/sweeps/${f.sweep.id}`, { ...s.wangge, body: { status: 'closed' } }), 403);
    const post = (b) => call(url, 'POST', '/api/v1/sweeps', { ...s.shequ, body: { ...body, ...b } });
    fieldError(await post({ ends_on: '2026-10-01' }), 'ends_on', 'range');
    fieldError(await post({ starts_on: '2026-02-30' }), 'starts_on', 'date');
    fieldError(await post({ ends_on: '2026-13-01' }), 'ends_on', 'date');
    fieldError(await post({ region_code: '999901001001999' }), 'region_code', 'unknown');
    // a region outside the caller's scope is an out-of-scope write (403), naming the field
    scopeError(await post({ region_code: '999901002' }), 'region_code');
    fieldError(await post({ name: undefined }), 'name', 'required');
    assertProblem(await post({ starts_on: 20261101 }), 400, 'date as a number');
  });

  test('wangge\'s pending worklist lists only his grid\'s houses', async () => {
    const items = await all(url, `/api/v1/sweeps/${f.sweep.id}/worklist?state=pending`, s.wangge);
    assert.equal(items.length, f.housesGrid1, 'every house of grid 1, nothing else');
    assert.deepEqual([...new Set(items.map((h) => h.region_code))], [GRID1]);
    const ids = new Set(items.map((h) => h.id));
    for (const h of f.g1.houses) assert.ok(ids.has(h.id), `own house ${h.label} listed`);
    for (const h of [...f.g2.houses, ...f.g9.houses]) assert.ok(!ids.has(h.id), `foreign house ${h.label} not listed`);
    assert.ok(items.every((h) => h.visit === null));
    const other = await call(url, `GET`, `/api/v1/sweeps/${f.sweep.id}/worklist?region=${GRID2}`, s.wangge);
    if (other.status === 200) assert.deepEqual(other.json.items, []);
    else assertProblem(other, [403, 404]);
    const w2 = await all(url, `/api/v1/sweeps/${f.sweep.id}/worklist?state=pending`, s.wangge2);
    assert.deepEqual([...new Set(w2.map((h) => h.region_code))], [GRID2]);
    // the sweep as wangge sees it: his grid's totals
    const sw = await got(url, s.wangge, `/api/v1/sweeps/${f.sweep.id}`);
    assert.equal(sw.houses, f.housesGrid1);
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${f.sweep.id}/worklist?state=done`, s.wangge), 400);
  });

  test('a visit: use, added / updated / moved-out occupants, a case and a rectification', async () => {
    const h = f.g1.houses[0];
    const newId = idNumber({ birth: '19950505', seq: 7 });
    f.newId = newId;
    const res = await visit('wangge', f.sweep.id, {
      house_id: h.id,
      outcome: 'visited',
      use: 'rented',
      note: '租户三人',
      occupants: [
        { action: 'add', name: `新租户${T}`, id_number: newId, phone: phone(), residency: 'floating', relation: 'tenant' },
        { action: 'update', resident_id: f.r1.id, phone: '13700001234' },
        { action: 'moved_out', resident_id: f.r2.id },
      ],
      hazards: [
        { description: `楼道电动车充电${T}`, action: 'case', category: 'safety' },
        { description: `群租隔断${T}`, action: 'rectify', deadline: '2027-01-31' },
        { description: '仅记录' },
      ],
    });
    assert.equal(res.status, 201, res.text);
    f.visit = res.json;
    assert.equal(res.json.house_id, h.id);
    assert.equal(res.json.outcome, 'visited');
    assert.equal(res.json.use, 'rented');
    assert.match(res.json.at, RFC3339);
    assert.deepEqual(res.json.occupants.map((o) => o.action), ['add', 'update', 'moved_out']);
    assert.ok(!res.text.includes(newId), 'the visit does not echo the full ID');
    const [hzCase, hzRect, hzNone] = res.json.hazards;
    assert.equal(typeof hzCase.case_id, 'number', JSON.stringify(res.json.hazards));
    assert.match(hzCase.case_number, /^SJ\d{8}\d+$/);
    assert.equal(typeof hzRect.rectification_id, 'number');
    assert.equal(hzNone.action, 'none');
    f.caseId = hzCase.case_id;
    f.rectId = hzRect.rectification_id;

    const house = await got(url, s.wangge, `/api/v1/houses/${h.id}`);
    assert.equal(house.use, 'rented');
    const byName = Object.fromEntries(house.residents.map((r) => [r.name, r]));
    assert.ok(byName[`新租户${T}`], `new occupant in the house: ${house.residents.map((r) => r.name)}`);
    assert.equal(byName[`新租户${T}`].status, 'active');
    assert.equal(byName[`新租户${T}`].residency, 'floating');
    assert.equal(byName[`新租户${T}`].region_code, GRID1);
    assert.equal(byName[`住户二${T}`].status, 'moved_out');
    assert.equal(byName[`住户一${T}`].phone, '137****1234');
    const r1 = await got(url, s.wangge, `/api/v1/residents/${f.r1.id}?reveal=true`);
    assert.equal(r1.phone, '13700001234');
    const hist = await got(url, s.wangge, `/api/v1/residents/${f.r1.id}/history`);
    assert.equal(hist.items.at(-1).action, 'sweep');
    const houseHist = await got(url, s.wangge, `/api/v1/houses/${h.id}/history`);
    assert.equal(houseHist.items.at(-1).after.use, 'rented');
    assert.equal(houseHist.items.at(-1).before.use, 'owner_occupied');

    const c = await got(url, s.wangge, `/api/v1/cases/${f.caseId}`);
    assert.equal(c.number, hzCase.case_number);
    assert.equal(c.region_code, GRID1);
    const rect = await got(url, s.wangge, `/api/v1/rectifications/${f.rectId}`);
    assert.equal(rect.house_id, h.id);
    assert.equal(rect.sweep_id, f.sweep.id);
    assert.equal(rect.status, 'open');
    assert.equal(rect.deadline, '2027-01-31');
  });

  test('the worklist moves the house to visited; visits list it', async () => {
    const h = f.g1.houses[0];
    const pending = await all(url, `/api/v1/sweeps/${f.sweep.id}/worklist?state=pending`, s.wangge);
    assert.ok(!pending.some((x) => x.id === h.id), 'no longer pending');
    assert.equal(pending.length, f.housesGrid1 - 1);
    const visited = await all(url, `/api/v1/sweeps/${f.sweep.id}/worklist?state=visited`, s.wangge);
    assert.deepEqual(visited.map((x) => x.id), [h.id]);
    assert.equal(visited[0].visit.outcome, 'visited');
    assert.equal(visited[0].visit.id, f.visit.id);
    const allItems = await all(url, `/api/v1/sweeps/${f.sweep.id}/worklist?state=all`, s.wangge);
    assert.equal(allItems.length, f.housesGrid1);
    const v = await visitsOf(f.sweep.id, h.id);
    assert.deepEqual(v.map((x) => x.id), [f.visit.id]);
    assert.equal(v[0].hazards.length, 3);
  });

  test('nobody home / refused keep the house pending', async () => {
    const h = f.g1.houses[1];
    const r = await visit('wangge', f.sweep.id, { house_id: h.id, outcome: 'nobody_home' });
    assert.equal(r.status, 201, r.text);
    const pending = await all(url, `/api/v1/sweeps/${f.sweep.id}/worklist?state=pending`, s.wangge);
    const item = pending.find((x) => x.id === h.id);
    assert.ok(item, 'still pending');
    assert.equal(item.visit.outcome, 'nobody_home');
    fieldError(await visit('wangge', f.sweep.id, { house_id: h.id, outcome: 'maybe' }), 'outcome', 'enum');
    fieldError(await visit('wangge', f.sweep.id, { house_id: h.id, outcome: 'visited', use: 'castle' }), 'use', 'enum');
    fieldError(await visit('wangge', f.sweep.id, { house_id: h.id }), 'outcome', 'required');
    assertProblem(await visit('wangge', f.sweep.id, { house_id: String(h.id), outcome: 'visited' }), 400, 'house_id string');
    fieldError(
      await visit('wangge', f.sweep.id, { house_id: h.id, outcome: 'visited', hazards: [{ description: 'x', action: 'explode' }] }),
      'hazards[0].action',
      'enum',
    );
    fieldError(await visit('wangge', f.sweep.id, { house_id: h.id, outcome: 'visited', hazards: [{ action: 'case' }] }), 'hazards[0].description');
    assert.equal((await visitsOf(f.sweep.id, h.id)).length, 1, 'refused visits wrote nothing');
  });

  test('a bad occupant ID → 422 occupants[i].id_number and nothing written', async () => {
    const h = f.g1.houses[2];
    const before = await got(url, s.wangge, `/api/v1/houses/${h.id}`);
    const goodId = idNumber();
    const rectsBefore = (await all(url, `/api/v1/rectifications?region=${GRID1}`, s.shequ)).length;
    const casesBefore = (await all(url, `/api/v1/cases?region=${GRID1}`, s.shequ)).length;
    const bad = wrongCheck(idNumber());
    const r0 = await visit('wangge', f.sweep.id, {
      house_id: h.id,
      outcome: 'visited',
      use: 'group_rental',
      occupants: [{ action: 'add', name: `坏号${T}`, id_number: bad, residency: 'registered' }],
    });
    fieldError(r0, 'occupants[0].id_number', 'checksum');
    const r1 = await visit('wangge', f.sweep.id, {
      house_id: h.id,
      outcome: 'visited',
      use: 'group_rental',
      occupants: [
        { action: 'add', name: `好号${T}`, id_number: goodId, residency: 'registered' },
        { action: 'update', resident_id: f.r3.id, name: `住户三改${T}` },
        { action: 'add', name: `坏号${T}`, id_number: bad, residency: 'registered' },
      ],
      hazards: [
        { description: `不应立案${T}`, action: 'case' },
        { description: `不应整治${T}`, action: 'rectify' },
      ],
    });
    fieldError(r1, 'occupants[2].id_number', 'checksum');
    assert.ok(!r1.json.errors.some((e) => e.field.startsWith('occupants[0]') || e.field.startsWith('occupants[1]')));
    const r2 = await visit('wangge', f.sweep.id, {
      house_id: h.id,
      outcome: 'visited',
      occupants: [{ action: 'update', resident_id: f.r1.id, name: 'x' }],
    });
    fieldError(r2, 'occupants[0].resident_id', 'unknown', 'a resident of another house');
    const r3 = await visit('wangge', f.sweep.id, { house_id: h.id, outcome: 'visited', occupants: [{ action: 'evict', resident_id: f.r3.id }] });
    fieldError(r3, 'occupants[0].action', 'enum');
    // nothing of any of them was written
    const after = await got(url, s.wangge, `/api/v1/houses/${h.id}`);
    assert.deepEqual(after.residents, before.residents, 'occupants unchanged');
    assert.equal(after.use, before.use);
    assert.equal(after.version, before.version);
    assert.deepEqual(await visitsOf(f.sweep.id, h.id), [], 'no visit recorded');
    assert.deepEqual((await got(url, s.shequ, `/api/v1/residents?id_number=${goodId}`)).items, [], 'good occupant not created');
    assert.equal((await got(url, s.wangge, `/api/v1/residents/${f.r3.id}`)).name, `住户三${T}`);
    assert.equal((await all(url, `/api/v1/rectifications?region=${GRID1}`, s.shequ)).length, rectsBefore, 'no rectification');
    assert.equal((await all(url, `/api/v1/cases?region=${GRID1}`, s.shequ)).length, casesBefore, 'no case');
    const pending = await all(url, `/api/v1/sweeps/${f.sweep.id}/worklist?state=pending`, s.wangge);
    assert.ok(pending.some((x) => x.id === h.id), 'still pending');
  });

  test('a duplicate occupant ID and an unknown case category write nothing either', async () => {
    const h = f.g1.houses[2];
    const d = await visit('wangge', f.sweep.id, {
      house_id: h.id,
      outcome: 'visited',
      occupants: [{ action: 'add', name: `重复${T}`, id_number: f.r1.clear_id, residency: 'registered' }],
    });
    assertProblem(d, [409, 422]);
    const c = await visit('wangge', f.sweep.id, {
      house_id: h.id,
      outcome: 'visited',
      occupants: [{ action: 'add', name: `类别${T}`, id_number: idNumber(), residency: 'registered' }],
      hazards: [{ description: 'x', action: 'case', category: 'no_such_category' }],
    });
    assertProblem(c, [400, 404, 409, 422], 'unknown category');
    assert.deepEqual(await visitsOf(f.sweep.id, h.id), []);
    assert.deepEqual((await got(url, s.shequ, `/api/v1/residents?q=${encodeURIComponent(`类别${T}`)}`)).items, []);
  });

  test('wangge2 cannot visit wangge\'s house (403, out of scope); loudong cannot visit at all', async () => {
    const h = f.g1.houses[2];
    const before = await got(url, s.shequ, `/api/v1/houses/${h.id}`);
    const r = await visit('wangge2', f.sweep.id, {
      house_id: h.id,
      outcome: 'visited',
      use: 'empty',
      occupants: [{ action: 'moved_out', resident_id: f.r3.id }],
    });
    scopeError(r, 'house_id', 'a house of another grid');
    fieldError(await visit('wangge2', f.sweep.id, { house_id: 999999999, outcome: 'visited' }), 'house_id', 'unknown');
    assertProblem(await visit('loudong', f.sweep.id, { house_id: h.id, outcome: 'visited' }), 403);
    const after = await got(url, s.shequ, `/api/v1/houses/${h.id}`);
    assert.deepEqual(after, before, 'house unchanged');
    assert.deepEqual(await visitsOf(f.sweep.id, h.id), []);
  });

  test('malformed ids and numbers in paths and queries: 404 / 400, never read as a number', async () => {
    const sw = f.sweep.id;
    for (const p of [`/api/v1/sweeps/${sw}abc`, `/api/v1/sweeps/0${sw}x`, '/api/v1/sweeps/-1', `/api/v1/sweeps/${sw}.0`, '/api/v1/sweeps/0']) {
      assertProblem(await call(url, 'GET', p, s.shequ), 404, p);
    }
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${sw}/visits?house_id=1abc`, s.shequ), 400, 'house_id=1abc');
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${sw}/visits?house_id=-3`, s.shequ), 400, 'house_id=-3');
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${sw}/progress?stale_days=30d`, s.shequ), 400, 'stale_days=30d');
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${sw}/worklist?cursor=999901001001001.5`, s.shequ), 400, 'a cursor the server did not hand out');
    assert.equal((await call(url, 'GET', `/api/v1/sweeps/${sw}/progress?stale_days=30`, s.shequ)).status, 200);
    // the sweep list pages like every list: a bad limit or a forged cursor is 400
    assertProblem(await call(url, 'GET', '/api/v1/sweeps?limit=abc', s.shequ), 400, 'limit=abc');
    assertProblem(await call(url, 'GET', '/api/v1/sweeps?cursor=12', s.shequ), 400, 'forged cursor');
    const everything = await all(url, '/api/v1/sweeps', s.shequ);
    const paged = [];
    let page = await got(url, s.shequ, '/api/v1/sweeps?limit=1');
    for (;;) {
      assert.ok(page.items.length <= 1);
      paged.push(...page.items.map((x) => x.id));
      if (!page.next_cursor) break;
      page = await got(url, s.shequ, `/api/v1/sweeps?limit=1&cursor=${encodeURIComponent(page.next_cursor)}`);
    }
    assert.deepEqual(paged, everything.map((x) => x.id), 'pages of one add up to the whole list');
    assert.ok(paged.includes(sw));
    assert.equal((await call(url, 'GET', `/api/v1/sweeps/${sw}/visits?house_id=${f.g1.houses[0].id}`, s.shequ)).status, 200);
  });

  test('progress on crafted data: exact totals, per-grid items and rate', async () => {
    const [a, b, c] = f.g9.houses;
    assert.equal((await visit('shequ', f.sweep.id, { house_id: a.id, outcome: 'visited' })).status, 201);
    assert.equal((await visit('shequ', f.sweep.id, { house_id: b.id, outcome: 'refused' })).status, 201);
    // a second visit of the same house counts once
    assert.equal((await visit('shequ', f.sweep.id, { house_id: a.id, outcome: 'visited', note: '复访' })).status, 201);
    let p = await got(url, s.shequ, `/api/v1/sweeps/${f.sweep.id}/progress?region=${G9}`);
    assert.deepEqual(
      { houses: p.totals.houses, visited: p.totals.visited, never: p.totals.never_visited, rate: p.totals.rate },
      { houses: 3, visited: 1, never: 2, rate: 33.3 },
    );
    assert.deepEqual(
      p.items.map((i) => [i.region_code, i.houses, i.visited, i.never_visited, i.rate]),
      [[G9, 3, 1, 2, 33.3]],
    );
    assert.equal((await visit('shequ', f.sweep.id, { house_id: c.id, outcome: 'visited' })).status, 201);
    p = await got(url, s.shequ, `/api/v1/sweeps/${f.sweep.id}/progress?region=${G9}`);
    assert.deepEqual([p.totals.houses, p.totals.visited, p.totals.never_visited, p.totals.rate], [3, 2, 1, 66.7]);

    // community level: one item per grid, sums exact
    const comm = await got(url, s.shequ, `/api/v1/sweeps/${f.sweep.id}/progress`);
    assert.equal(comm.region_code, COMM1);
    const perGrid = {};
    for (const h of f.housesComm) perGrid[h.region_code] = (perGrid[h.region_code] || 0) + 1;
    const visitedPerGrid = { [GRID1]: 1, [G9]: 2 };
    const want = Object.keys(perGrid)
      .sort()
      .map((g) => [g, perGrid[g], visitedPerGrid[g] || 0, perGrid[g] - (visitedPerGrid[g] || 0), rate(visitedPerGrid[g] || 0, perGrid[g])]);
    assert.deepEqual(comm.items.map((i) => [i.region_code, i.houses, i.visited, i.never_visited, i.rate]), want);
    assert.equal(comm.totals.houses, f.housesComm.length);
    assert.equal(comm.totals.visited, 3);
    assert.equal(comm.totals.never_visited, f.housesComm.length - 3);
    assert.equal(comm.totals.rate, rate(3, f.housesComm.length));
    assert.equal(comm.items.find((i) => i.region_code === G9).level, 'grid');

    // wangge sees his grid only
    const w = await got(url, s.wangge, `/api/v1/sweeps/${f.sweep.id}/progress`);
    assert.deepEqual(w.items.map((i) => i.region_code), [GRID1]);
    assert.deepEqual([w.totals.houses, w.totals.visited, w.totals.rate], [f.housesGrid1, 1, rate(1, f.housesGrid1)]);
    const w2 = await call(url, 'GET', `/api/v1/sweeps/${f.sweep.id}/progress?region=${G9}`, s.wangge);
    assertProblem(w2, [403, 404], 'wangge asks for another grid');
    const sw = await got(url, s.shequ, `/api/v1/sweeps/${f.sweep.id}`);
    assert.deepEqual([sw.houses, sw.visited], [f.housesComm.length, 3]);
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${f.sweep.id}/progress?stale_days=0`, s.shequ), 400);
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${f.sweep.id}/progress?region=999901002`, s.shequ), [403, 404]);
    // a visit with nobody home counts toward nothing
    assert.equal(p.totals.stale_days, 90);
  });

  test('a closed sweep refuses visits (409) and changes nothing; reopened it accepts them', async () => {
    const sw = await created(url, s.shequ, '/api/v1/sweeps', {
      name: `关闭扫楼${T}`,
      region_code: GRID1,
      starts_on: '2026-11-01',
      ends_on: '2026-11-30',
    });
    const closed = await patched(url, s.shequ, `/api/v1/sweeps/${sw.id}`, { status: 'closed' });
    assert.equal(closed.status, 'closed');
    const h = f.g1.houses[1];
    const before = await got(url, s.wangge, `/api/v1/houses/${h.id}`);
    const r = await visit('wangge', sw.id, {
      house_id: h.id,
      outcome: 'visited',
      use: 'empty',
      occupants: [{ action: 'add', name: `关闭后${T}`, id_number: idNumber(), residency: 'registered' }],
    });
    assertProblem(r, 409);
    assert.deepEqual(await got(url, s.wangge, `/api/v1/houses/${h.id}`), before);
    assert.deepEqual(await visitsOf(sw.id, h.id), []);
    const list = await got(url, s.shequ, '/api/v1/sweeps?status=closed');
    assert.ok(list.items.some((x) => x.id === sw.id));
    assert.ok(!(await got(url, s.shequ, '/api/v1/sweeps?status=open')).items.some((x) => x.id === sw.id));
    await patched(url, s.shequ, `/api/v1/sweeps/${sw.id}`, { status: 'open' });
    assert.equal((await visit('wangge', sw.id, { house_id: h.id, outcome: 'nobody_home' })).status, 201);
    fieldError(await call(url, 'PATCH', `/api/v1/sweeps/${sw.id}`, { ...s.shequ, body: { status: 'paused' } }), 'status', 'enum');
    // a sweep over grid 1 is invisible to wangge2, and its houses outside it cannot be visited
    assertProblem(await call(url, 'GET', `/api/v1/sweeps/${sw.id}`, s.wangge2), 404);
    assertProblem(await visit('shequ', sw.id, { house_id: f.g9.houses[0].id, outcome: 'visited' }), 422);
  });
});

describe('rectifications', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  const G = `${COMM1}8${String(10 + Math.floor(Math.random() * 89))}`;
  const r = {};
  const act = (who, id, body) => call(url, 'POST', `/api/v1/rectifications/${id}/actions`, { ...s[who], body });
  const mustAct = async (who, id, body) => {
    const res = await act(who, id, body);
    assert.equal(res.status, 200, `${who} ${JSON.stringify(body)}: ${res.text}`);
    return res.json;
  };
  const mk = (who, house, extra = {}) =>
    created(url, s[who], '/api/v1/rectifications', {
      house_id: house.id,
      problem: `群租隔断${T}`,
      deadline: '2027-12-31',
      methods: ['phone'],
      ...extra,
    });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge', 'wangge2']) s[u] = await signInDemo(url, u);
    await makeGrid(url, s.admin, G, `整治测试网格${T}`);
    const { houses } = await makeHouses(url, s.shequ, G, `整治楼${T}`, 4, { use: 'group_rental' });
    r.houses = houses;
    r.a = await mk('shequ', houses[0]);
    r.b = await mk('shequ', houses[1]);
    r.c = await mk('shequ', houses[2]);
    r.d = await mk('shequ', houses[3], { deadline: '2020-01-01' });
    r.gw = await makeHouses(url, s.wangge, GRID1, `整治甲${T}`, 1);
  });
  after(async () => {
    await srv?.stop();
  });

  test('create: open, with methods, house label and region', () => {
    assert.equal(r.a.status, 'open');
    assert.equal(r.a.region_code, G);
    assert.deepEqual(r.a.methods, ['phone']);
    assert.equal(r.a.house_label, `整治楼${T}1单元101`);
    assert.equal(r.a.verified_at, null);
    assert.equal(r.a.overdue, false);
    assert.equal(r.d.overdue, true, 'past deadline and open → overdue');
  });

  test('create rules → 422', async () => {
    const post = (b, who = 'shequ') =>
      call(url, 'POST', '/api/v1/rectifications', { ...s[who], body: { house_id: r.houses[0].id, problem: 'x', deadline: '2027-01-01', ...b } });
    fieldError(await post({ deadline: '2027-02-30' }), 'deadline', 'date');
    fieldError(await post({ methods: ['bogus'] }), 'methods', 'enum');
    fieldError(await post({ problem: undefined }), 'problem', 'required');
    fieldError(await post({ problem: '问'.repeat(501) }), 'problem');
    fieldError(await post({ house_id: 999999999 }), 'house_id', 'unknown');
    scopeError(await post({ house_id: r.houses[0].id }, 'wangge'), 'house_id', 'house outside wangge');
    assertProblem(await post({ house_id: 'x' }), 400);
    assertProblem(await post({ methods: 'phone' }), [400, 422]);
    for (const q of ['overdue=1', 'overdue=yes', 'overdue=TRUE']) {
      assertProblem(await call(url, 'GET', `/api/v1/rectifications?${q}`, s.shequ), 400, q);
    }
    assertProblem(await call(url, 'GET', `/api/v1/rectifications/${r.a.id}abc`, s.shequ), 404);
    assertProblem(await call(url, 'POST', `/api/v1/rectifications/${r.a.id}x/actions`, { ...s.shequ, body: { action: 'start' } }), 404);
  });

  test('create → start → rectified → verify by shequ: verified, verified_at set', async () => {
    let x = await mustAct('shequ', r.a.id, { action: 'start', methods: ['phone', 'interview'], comment: '约谈房东' });
    assert.equal(x.status, 'rectifying');
    x = await mustAct('shequ', r.a.id, { action: 'rectified', result: '拆除隔断', methods: ['home_visit'] });
    assert.equal(x.status, 'rectified');
    assert.equal(x.verified_at, null);
    x = await mustAct('shequ', r.a.id, { action: 'verify', comment: '现场核验' });
    assert.equal(x.status, 'verified');
    assert.match(x.verified_at, RFC3339);
    assert.equal(x.verified_by, s.shequ.user.id);
    assert.equal(x.result, '拆除隔断');
    assert.deepEqual(x.events.map((e) => [e.action, e.from, e.to]), [
      ['create', null, 'open'],
      ['start', 'open', 'rectifying'],
      ['rectified', 'rectifying', 'rectified'],
      ['verify', 'rectified', 'verified'],
    ]);
    // verified is final
    assertProblem(await act('shequ', r.a.id, { action: 'reject' }), 409);
    assertProblem(await act('shequ', r.a.id, { action: 'start' }), 409);
  });

  test('verify before rectified → 409 and nothing changes', async () => {
    const before = await got(url, s.shequ, `/api/v1/rectifications/${r.b.id}`);
    assertProblem(await act('shequ', r.b.id, { action: 'verify' }), 409, 'open');
    assertProblem(await act('shequ', r.b.id, { action: 'reject' }), 409, 'reject open');
    assert.deepEqual(await got(url, s.shequ, `/api/v1/rectifications/${r.b.id}`), before);
    await mustAct('shequ', r.b.id, { action: 'start' });
    const mid = await got(url, s.shequ, `/api/v1/rectifications/${r.b.id}`);
    assertProblem(await act('shequ', r.b.id, { action: 'verify' }), 409, 'rectifying');
    assertProblem(await act('shequ', r.b.id, { action: 'start' }), 409, 'start twice');
    assert.deepEqual(await got(url, s.shequ, `/api/v1/rectifications/${r.b.id}`), mid);
    assert.equal(mid.status, 'rectifying');
    assert.equal(mid.verified_at, null);
    fieldError(await act('shequ', r.b.id, { action: 'explode' }), 'action', 'enum');
    fieldError(await act('shequ', r.b.id, {}), 'action', 'required');
  });

  test('grid worker: may work an item but not verify or reject it (403)', async () => {
    const item = await mk('wangge', r.gw.houses[0]);
    await mustAct('wangge', item.id, { action: 'start' });
    await mustAct('wangge', item.id, { action: 'rectified', result: '已清退' });
    const before = await got(url, s.wangge, `/api/v1/rectifications/${item.id}`);
    assertProblem(await act('wangge', item.id, { action: 'verify' }), 403);
    assertProblem(await act('wangge', item.id, { action: 'reject' }), 403);
    assert.deepEqual(await got(url, s.wangge, `/api/v1/rectifications/${item.id}`), before, 'nothing changed');
    assertProblem(await act('wangge2', item.id, { action: 'verify' }), 404, 'other grid');
    assertProblem(await call(url, 'GET', `/api/v1/rectifications/${item.id}`, s.wangge2), 404);
    const v = await mustAct('shequ', item.id, { action: 'verify' });
    assert.equal(v.status, 'verified');
  });

  test('reject sends a rectified item back to rectifying', async () => {
    await mustAct('shequ', r.c.id, { action: 'rectified', result: '说已整改' });
    const x = await mustAct('shequ', r.c.id, { action: 'reject', comment: '仍有隔断' });
    assert.equal(x.status, 'rectifying');
    assert.equal(x.verified_at, null);
    assert.deepEqual(x.events.at(-1), { ...x.events.at(-1), action: 'reject', from: 'rectified', to: 'rectifying', comment: '仍有隔断' });
    assertProblem(await act('shequ', r.c.id, { action: 'verify' }), 409);
  });

  test('stats: rate per region = verified / total on crafted data', async () => {
    let st = await got(url, s.shequ, `/api/v1/rectifications/stats?region=${G}`);
    assert.deepEqual(st.totals, { total: 4, verified: 1, open: 3, overdue: 1, rate: 25 });
    assert.deepEqual(st.items.map((i) => [i.region_code, i.total, i.verified, i.overdue, i.rate]), [[G, 4, 1, 1, 25]]);
    await mustAct('shequ', r.c.id, { action: 'rectified' });
    await mustAct('shequ', r.c.id, { action: 'verify' });
    st = await got(url, s.shequ, `/api/v1/rectifications/stats?region=${G}`);
    assert.deepEqual([st.totals.total, st.totals.verified, st.totals.rate], [4, 2, 50]);
    // the community view has the same numbers for this grid
    const comm = await got(url, s.shequ, `/api/v1/rectifications/stats?region=${COMM1}`);
    const item = comm.items.find((i) => i.region_code === G);
    assert.deepEqual([item.total, item.verified, item.rate], [4, 2, 50]);
    assert.equal(comm.totals.total, comm.items.reduce((a, i) => a + i.total, 0));
    assert.equal(comm.totals.rate, rate(comm.totals.verified, comm.totals.total));
    for (const i of comm.items) assert.equal(i.rate, rate(i.verified, i.total), i.region_code);
    // filters
    const ver = await got(url, s.shequ, `/api/v1/rectifications?region=${G}&status=verified`);
    assert.deepEqual(ver.items.map((i) => i.id).sort((a, b) => a - b), [r.a.id, r.c.id].sort((a, b) => a - b));
    const od = await got(url, s.shequ, `/api/v1/rectifications?region=${G}&overdue=true`);
    assert.deepEqual(od.items.map((i) => i.id), [r.d.id]);
    assertProblem(await call(url, 'GET', `/api/v1/rectifications?status=done`, s.shequ), 400);
    // wangge's stats never include the test grid
    const w = await got(url, s.wangge, `/api/v1/rectifications/stats`);
    assert.ok(w.items.every((i) => i.region_code.startsWith(GRID1)), JSON.stringify(w.items));
  });
});
