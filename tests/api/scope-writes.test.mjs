// Writes that name a target outside the caller's data scope answer 403 (API.md: "a write that
// names a target outside the caller's data scope (a region_code, a parent, a house of another
// grid) → 403"), naming the field with code "scope"; 422 stays for the rules of the data
// itself (a grid that does not exist, a house that does not exist). Nothing is written.
// Also: malformed ids in paths (404) and numbers or flags in queries (400) of the base-data
// resources, never read as some other number.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GRID1, GRID2, assertProblem, signInDemo, startServer } from './harness.mjs';
import { all, call, created, got, idNumber, makeHouses, makeResident, tok, uscc } from './base-lib.mjs';

/** 403 naming field with code "scope". */
function scopeError(res, field, msg = '') {
  assertProblem(res, 403, msg);
  const e = (res.json.errors || []).find((x) => x.field === field);
  assert.ok(e, `${msg}: errors[] names ${field}; got ${res.text}`);
  assert.equal(e.code, 'scope', msg);
}

describe('out-of-scope writes → 403', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  const f = {};
  const post = (who, p, body) => call(url, 'POST', p, { ...s[who], body });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge', 'wangge2']) s[u] = await signInDemo(url, u);
    f.g1 = await makeHouses(url, s.wangge, GRID1, `本格楼${T}`, 1);
    f.g2 = await makeHouses(url, s.wangge2, GRID2, `邻格楼${T}`, 1);
    f.r1 = await makeResident(url, s.wangge, { name: `本格人${T}`, region_code: GRID1 });
  });
  after(async () => {
    await srv?.stop();
  });

  test('a grid worker adding a resident to another grid → 403, nothing written', async () => {
    const name = `越界${T}`;
    const res = await post('wangge', '/api/v1/residents', { name, id_number: idNumber(), region_code: GRID2, residency: 'registered' });
    scopeError(res, 'region_code', 'resident in grid 2');
    assert.equal((await got(url, s.shequ, `/api/v1/residents?q=${encodeURIComponent(name)}`)).items.length, 0);
    // moving one of his own residents there is the same
    scopeError(await call(url, 'PATCH', `/api/v1/residents/${f.r1.id}`, { ...s.wangge, body: { region_code: GRID2, house_id: null } }), 'region_code');
    assert.equal((await got(url, s.shequ, `/api/v1/residents/${f.r1.id}`)).region_code, GRID1);
    // a grid that does not exist is still a rule of the data (422)
    const res2 = await post('wangge', '/api/v1/residents', { name, id_number: idNumber(), region_code: '999901001001999', residency: 'registered' });
    assertProblem(res2, 422);
  });

  test('buildings, houses, households, organisations and rectifications in another grid → 403', async () => {
    const houseG2 = f.g2.houses[0];
    scopeError(await post('wangge', '/api/v1/buildings', { region_code: GRID2, name: `越界楼${T}` }), 'region_code', 'building');
    scopeError(await post('wangge', '/api/v1/houses', { building_id: f.g2.building.id, room: '999' }), 'building_id', 'house');
    scopeError(await post('wangge', '/api/v1/households', { house_id: houseG2.id, number: `H${T}` }), 'house_id', 'household');
    scopeError(await post('wangge', '/api/v1/organisations', { name: `越界企业${T}`, kind: 'enterprise', region_code: GRID2 }), 'region_code', 'organisation by grid');
    scopeError(
      await post('wangge', '/api/v1/organisations', { name: `越界企业${T}`, kind: 'enterprise', uscc: uscc(), house_id: houseG2.id }),
      'house_id',
      'organisation by house',
    );
    scopeError(await post('wangge', '/api/v1/rectifications', { house_id: houseG2.id, problem: `越界群租${T}`, deadline: '2027-01-01' }), 'house_id', 'rectification');
    // nothing was written
    assert.equal((await all(url, `/api/v1/buildings?region=${GRID2}`, s.shequ)).filter((b) => b.name === `越界楼${T}`).length, 0);
    assert.equal((await got(url, s.shequ, `/api/v1/houses/${houseG2.id}`)).households.length, 0);
    assert.equal((await all(url, `/api/v1/organisations?region=${GRID2}`, s.shequ)).filter((o) => o.name === `越界企业${T}`).length, 0);
    assert.equal((await all(url, `/api/v1/rectifications?region=${GRID2}`, s.shequ)).filter((r) => r.problem === `越界群租${T}`).length, 0);
    // targets that do not exist stay 422; the same writes in his own grid succeed
    assertProblem(await post('wangge', '/api/v1/houses', { building_id: 999999999, room: '1' }), 422);
    assertProblem(await post('wangge', '/api/v1/rectifications', { house_id: 999999999, problem: 'x', deadline: '2027-01-01' }), 422);
    await created(url, s.wangge, '/api/v1/households', { house_id: f.g1.houses[0].id, number: `H${T}` });
    await created(url, s.wangge, '/api/v1/rectifications', { house_id: f.g1.houses[0].id, problem: '群租', deadline: '2027-01-01' });
  });

  test('malformed ids in paths → 404; malformed numbers and flags in queries → 400', async () => {
    const b = f.g1.building.id;
    const h = f.g1.houses[0].id;
    for (const p of [`/api/v1/buildings/${b}abc`, `/api/v1/houses/${h}x`, `/api/v1/houses/+${h}`, '/api/v1/households/1e3', '/api/v1/organisations/0x10', '/api/v1/rectifications/ 1']) {
      assertProblem(await call(url, 'GET', p, s.shequ), 404, p);
    }
    assertProblem(await call(url, 'GET', `/api/v1/houses?building_id=${b}abc`, s.shequ), 400, 'building_id=1abc');
    assertProblem(await call(url, 'GET', '/api/v1/houses?building_id=-1', s.shequ), 400, 'building_id=-1');
    const own = await all(url, `/api/v1/houses?building_id=${b}`, s.shequ);
    assert.deepEqual(own.map((x) => x.id), [h]);
    const o = await created(url, s.wangge, '/api/v1/organisations', { name: `本格企业${T}`, kind: 'enterprise', region_code: GRID1, phone: '13900001111' });
    for (const v of ['1', 'yes', '0']) assertProblem(await call(url, 'GET', `/api/v1/organisations/${o.id}?reveal=${v}`, s.wangge), 400, `reveal=${v}`);
    assert.equal((await got(url, s.wangge, `/api/v1/organisations/${o.id}?reveal=true`)).phone, '13900001111');
    assertProblem(await call(url, 'GET', '/api/v1/buildings?cursor=999901001001001.1', s.shequ), 400, 'forged cursor');
  });
});
