// Base data (人、房、企) through the JSON API: GB 11643 / GB 32100 validators
// with real-world edge cases, phone and text rules, data scope (a grid worker
// never sees another grid's people by any route), masking and the audited
// reveal, restricted (special-care) tags, encryption at rest (the raw SQLite
// file holds no ID or phone in clear), version history of residents, houses
// and organisations, and list paging. Every response is checked to be < 500.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { BACKEND, COMM1, GRID1, GRID2, api, assertProblem, signInDemo, startServer, storedFiles, walkList } from './harness.mjs';
import {
  all,
  auditEntries,
  call,
  created,
  got,
  idCheck,
  idNumber,
  idNumberX,
  makeHouses,
  makeResident,
  maskId,
  maskPhone,
  parseCsv,
  patched,
  phone,
  tok,
  uscc,
  usccCheck,
  wrongCheck,
} from './base-lib.mjs';

const OTHER_COMM_GRID = '999901001002001';

/** The single error of a 422 on field (and its code). */
function fieldError(res, field, code, msg = '') {
  // API.md: a write naming a target outside the caller's scope is 403 (its errors[] still
  // name the field, with code "scope"); every other broken rule is 422.
  assertProblem(res, code === 'scope' ? 403 : 422, msg);
  const e = res.json.errors.find((x) => x.field === field);
  assert.ok(e, `${msg}: errors[] names ${field}; got ${JSON.stringify(res.json.errors)}`);
  if (code) assert.equal(e.code, code, `${msg}: code of ${field}; got ${JSON.stringify(res.json.errors)}`);
  return e;
}

describe('residents: validators', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const post = (body, who = s.wangge) => call(url, 'POST', '/api/v1/residents', { ...who, body });
  const base = () => ({ name: `校验${tok()}`, region_code: GRID1, residency: 'registered', phone: phone() });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge', 'loudong', 'jumin']) s[u] = await signInDemo(url, u);
  });
  after(async () => {
    await srv?.stop();
  });

  test('a valid resident: 201, masked ID and phone, birth date and gender derived', async () => {
    const id = idNumber({ birth: '19761203', seq: 23 }); // odd sequence: male
    const res = await post({ ...base(), id_number: id, phone: '13812345678' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.id_number, maskId(id));
    assert.match(res.json.id_number, /^999\*{11}\d{3}[\dX]$/);
    assert.equal(res.json.phone, '138****5678');
    assert.equal(res.json.masked, true);
    assert.equal(res.json.birth_date, '1976-12-03');
    assert.equal(res.json.gender, 'male');
    assert.equal(res.json.region_code, GRID1);
    assert.equal(res.json.status, 'active');
    assert.equal(res.json.version, 1);
    assert.ok(!res.text.includes(id), 'the full ID is not in the create response');
    assert.ok(!res.text.includes('13812345678'), 'the full phone is not in the create response');
  });

  test('even sequence digit → female', async () => {
    const res = await post({ ...base(), id_number: idNumber({ birth: '19900704', seq: 124 }) });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.gender, 'female');
    assert.equal(res.json.birth_date, '1990-07-04');
  });

  test('wrong check digit → 422 id_number checksum', async () => {
    const id = idNumber();
    fieldError(await post({ ...base(), id_number: wrongCheck(id) }), 'id_number', 'checksum', wrongCheck(id));
    // the design's example with its X replaced
    fieldError(await post({ ...base(), id_number: '110105194912310021' }), 'id_number', 'checksum');
  });

  test('X check digit: upper and lower case accepted, stored and revealed upper case', async () => {
    const upper = idNumberX();
    const r1 = await post({ ...base(), id_number: upper });
    assert.equal(r1.status, 201, r1.text);
    assert.ok(r1.json.id_number.endsWith('X'), r1.json.id_number);
    const lower = idNumberX('19920101');
    const r2 = await post({ ...base(), id_number: lower.toLowerCase() });
    assert.equal(r2.status, 201, r2.text);
    assert.equal(r2.json.id_number, maskId(lower), 'mask shows the upper-case X');
    const full = await got(url, s.wangge, `/api/v1/residents/${r2.json.id}?reveal=true`);
    assert.equal(full.id_number, lower, 'revealed with an upper-case X');
    // the lower-case form finds the same person, and is a duplicate of it
    const look = await got(url, s.wangge, `/api/v1/residents?id_number=${lower.toLowerCase()}`);
    assert.deepEqual(look.items.map((x) => x.id), [r2.json.id]);
    const dup = await post({ ...base(), id_number: lower });
    assert.ok([409, 422].includes(dup.status), `duplicate in the other case refused: ${dup.status} ${dup.text}`);
    assert.equal(dup.json.errors?.[0]?.code ?? 'duplicate', 'duplicate');
    // the design's own example is valid
    const ex = await post({ ...base(), name: '示例', id_number: '11010519491231002X', region_code: GRID1 });
    assert.equal(ex.status, 201, ex.text);
    assert.equal(ex.json.birth_date, '1949-12-31');
    assert.equal(ex.json.gender, 'female');
  });

  test('leap days: 2000-02-29 valid; 1900-02-29 and 2023-02-29 → 422 date', async () => {
    const ok = await post({ ...base(), id_number: idNumber({ birth: '20000229', seq: 11 }) });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.birth_date, '2000-02-29');
    const ok2 = await post({ ...base(), id_number: idNumber({ birth: '19960229', seq: 12 }) });
    assert.equal(ok2.status, 201, ok2.text);
    for (const birth of ['19000229', '20230229', '21000229']) {
      fieldError(await post({ ...base(), id_number: idNumber({ birth }) }), 'id_number', 'date', birth);
    }
  });

  test('impossible dates with a correct check digit → 422 date', async () => {
    for (const birth of ['19801301', '19800001', '19800100', '19800132', '19800431', '19800230']) {
      const id = idNumber({ birth });
      assert.equal(id[17], idCheck(id.slice(0, 17)));
      fieldError(await post({ ...base(), id_number: id }), 'id_number', 'date', `${birth} (${id})`);
    }
  });

  test('17 or 19 characters → 422 length; letters inside → 422 format', async () => {
    const id = idNumber();
    fieldError(await post({ ...base(), id_number: id.slice(0, 17) }), 'id_number', 'length', '17');
    fieldError(await post({ ...base(), id_number: id + '1' }), 'id_number', 'length', '19');
    fieldError(await post({ ...base(), id_number: '' + id.slice(0, 15) }), 'id_number', 'length', '15 (old format)');
    const lettered = id.slice(0, 8) + 'A' + id.slice(9);
    fieldError(await post({ ...base(), id_number: lettered }), 'id_number', 'format', lettered);
    fieldError(await post({ ...base(), id_number: id.slice(0, 17) + 'Y' }), 'id_number', 'format', 'Y check');
    fieldError(await post({ ...base(), id_number: '９９９' + id.slice(3, 17) + id[17] }), 'id_number', null, 'full-width');
  });

  test('a missing ID: required for registered and floating, optional for foreign', async () => {
    const b = base();
    fieldError(await post(b), 'id_number', 'required');
    fieldError(await post({ ...b, residency: 'floating' }), 'id_number', 'required');
    const f = await post({ ...b, residency: 'foreign' });
    assert.equal(f.status, 201, f.text);
    assert.equal(f.json.id_number, null);
    assert.equal(f.json.birth_date, null);
  });

  test('phone: mobiles and landlines accepted, others → 422 phone', async () => {
    for (const p of ['13912345678', '010-62345678', '0571-8888888']) {
      const r = await post({ ...base(), id_number: idNumber(), phone: p });
      assert.equal(r.status, 201, `${p}: ${r.text}`);
      assert.equal(r.json.phone, maskPhone(p));
    }
    for (const p of ['12345', '1381234567a', '138 1234 5678', '+86', '--12345678', '12345678901234567890123', '１３８１２３４５６７８']) {
      fieldError(await post({ ...base(), id_number: idNumber(), phone: p }), 'phone', null, p);
    }
  });

  test('region_code: a community or an unknown grid → 422; another grid or its house → 403 scope', async () => {
    const b = () => ({ ...base(), id_number: idNumber() });
    fieldError(await post({ ...b(), region_code: COMM1 }), 'region_code', null, 'community');
    fieldError(await post({ ...b(), region_code: '999901001001999' }), 'region_code', 'unknown', 'unknown grid');
    fieldError(await post({ ...b(), region_code: GRID2 }), 'region_code', 'scope', 'wangge → grid 2');
    fieldError(await post({ ...b(), region_code: 'abc' }), 'region_code', null, 'junk');
    // a house of another grid is a target outside wangge's scope (API.md: 403); a missing one is 422
    const other = await makeHouses(url, s.shequ, GRID2, `外网格楼${tok()}`, 1);
    fieldError(await post({ ...b(), region_code: undefined, house_id: other.houses[0].id }), 'house_id', 'scope');
    fieldError(await post({ ...b(), region_code: undefined, house_id: 999999999 }), 'house_id', 'unknown');
  });

  test('names: too long, control characters → 422; NUL, malformed JSON, bad UTF-8 → 400 (or 422)', async () => {
    const b = () => ({ ...base(), id_number: idNumber() });
    fieldError(await post({ ...b(), name: '张'.repeat(51) }), 'name', null, '51 characters');
    const ok50 = await post({ ...b(), name: '张'.repeat(50) });
    assert.equal(ok50.status, 201, `50 characters: ${ok50.text}`);
    fieldError(await post({ ...b(), name: 'x'.repeat(5000) }), 'name', null, '5000 characters');
    fieldError(await post({ ...b(), name: '张\u0001三' }), 'name', null, 'control character');
    assertProblem(await post({ ...b(), name: '张\u0000三' }), [400, 422], 'NUL');
    fieldError(await post({ ...b(), name: '\u007f' }), 'name', null, 'DEL');
    fieldError(await post({ ...b(), name: '   ' }), 'name', null, 'blank');
    fieldError(await post({ ...b(), name: undefined }), 'name', 'required', 'missing');
    // invalid UTF-8 inside a JSON string
    const raw = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from(`","region_code":"${GRID1}","residency":"foreign"}`)]);
    assertProblem(await call(url, 'POST', '/api/v1/residents', { ...s.wangge, rawBody: raw }), [400, 422], 'bad UTF-8');
    assertProblem(await call(url, 'POST', '/api/v1/residents', { ...s.wangge, rawBody: '{"name": "x",' }), 400, 'truncated');
    assertProblem(await call(url, 'POST', '/api/v1/residents', { ...s.wangge, rawBody: '[1,2]' }), 400, 'array body');
    assertProblem(
      await call(url, 'POST', '/api/v1/residents', { ...s.wangge, rawBody: '{"name":"a","name":"b"}' }),
      400,
      'duplicate keys',
    );
    fieldError(await post({ ...b(), note: 'n'.repeat(501) }), 'note', null, 'note 501');
  });

  test('wrong types → 400', async () => {
    const b = () => ({ ...base(), id_number: idNumber() });
    assertProblem(await post({ ...b(), name: 123 }), 400, 'name number');
    assertProblem(await post({ ...b(), id_number: 110105194912310000 }), 400, 'id_number number');
    assertProblem(await post({ ...b(), house_id: '12' }), 400, 'house_id string');
    assertProblem(await post({ ...b(), region_code: ['x'] }), 400, 'region_code array');
    assertProblem(await post({ ...b(), residency: true }), 400, 'residency bool');
  });

  test('wrong type of tags → 400', async () => {
    const b = () => ({ ...base(), id_number: idNumber() });
    assertProblem(await post({ ...b(), tags: 'elderly_alone' }), 400, 'tags string');
    assertProblem(await post({ ...b(), tags: [1, 2] }), 400, 'tags numbers');
  });

  test('duplicate ID number and duplicate credit code → 409', async () => {
    const id = idNumber();
    assert.equal((await post({ ...base(), id_number: id })).status, 201);
    const dup = await post({ ...base(), id_number: id });
    assertProblem(dup, 409, 'duplicate ID number');
    const code = uscc();
    const mk = (name) =>
      call(url, 'POST', '/api/v1/organisations', { ...s.shequ, body: { name, kind: 'enterprise', region_code: GRID1, uscc: code } });
    assert.equal((await mk(`首次${tok()}`)).status, 201);
    assertProblem(await mk(`重复${tok()}`), 409, 'duplicate uscc');
  });

  test('enums: unknown residency, tag, relation, status → 422', async () => {
    const b = () => ({ ...base(), id_number: idNumber() });
    fieldError(await post({ ...b(), residency: 'tourist' }), 'residency', 'enum');
    fieldError(await post({ ...b(), tags: ['no_such_tag'] }), 'tags', 'enum');
    fieldError(await post({ ...b(), relation: 'cousin' }), 'relation', 'enum');
    fieldError(await post({ ...b(), status: 'gone' }), 'status', 'enum');
    // Chinese names of codes are accepted and stored as codes
    const r = await post({ ...b(), residency: '流动', tags: ['独居老人', 'veteran'] });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.residency, 'floating');
    assert.deepEqual(r.json.tags.sort(), ['elderly_alone', 'veteran']);
  });

  test('roles: loudong (building leader) and jumin (resident) cannot create; jumin cannot read', async () => {
    assertProblem(await post({ ...base(), id_number: idNumber() }, s.loudong), 403, 'loudong');
    assertProblem(await post({ ...base(), id_number: idNumber() }, s.jumin), 403, 'jumin');
    assertProblem(await call(url, 'GET', '/api/v1/residents', s.jumin), 403, 'jumin list');
    assertProblem(await call(url, 'GET', '/api/v1/residents'), 401, 'anonymous');
  });

  test('organisations: GB 32100 credit code, duplicate → 409', async () => {
    const mk = (body) => call(url, 'POST', '/api/v1/organisations', { ...s.shequ, body });
    const ok = await mk({ name: `示例企业${tok()}`, kind: 'enterprise', region_code: GRID1, uscc: '91350100M000100Y43' });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.uscc, '91350100M000100Y43');
    const dupOrg = await mk({ name: `重复企业${tok()}`, kind: 'enterprise', region_code: GRID1, uscc: '91350100M000100Y43' });
    assert.ok([409, 422].includes(dupOrg.status), `duplicate uscc refused: ${dupOrg.status}`);
    fieldError(await mk({ name: 'x', kind: 'enterprise', region_code: GRID1, uscc: '91350100M000100Y44' }), 'uscc', 'checksum');
    fieldError(await mk({ name: 'x', kind: 'enterprise', region_code: GRID1, uscc: '91350100M000100Y4' }), 'uscc', 'length');
    // I, O, S, V, Z are not in the alphabet; lower case is not either
    const withI = '91350100I00010' + '0Y4';
    fieldError(await mk({ name: 'x', kind: 'enterprise', region_code: GRID1, uscc: withI + usccCheck(withI.replace('I', '1')) }), 'uscc', 'format');
    fieldError(await mk({ name: 'x', kind: 'enterprise', region_code: GRID1, uscc: '91350100m000100y43' }), 'uscc', 'format');
    // a generated code whose check character is a letter or 0 works
    for (let i = 0; i < 5; i++) {
      const r = await mk({ name: `生成企业${tok()}`, kind: 'individual', region_code: GRID1, uscc: uscc() });
      assert.equal(r.status, 201, r.text);
    }
    fieldError(await mk({ name: 'x', kind: 'factory', region_code: GRID1 }), 'kind', 'enum');
    fieldError(await mk({ name: 'x', kind: 'enterprise', region_code: COMM1 }), 'region_code');
    fieldError(await mk({ name: 'x', kind: 'enterprise', region_code: '999901001001999' }), 'region_code', 'unknown');
    fieldError(
      await call(url, 'POST', '/api/v1/organisations', {
        ...s.wangge,
        body: { name: 'x', kind: 'enterprise', region_code: GRID2 },
      }),
      'region_code',
      'scope',
    );
    fieldError(await mk({ name: 'x', kind: 'enterprise', region_code: GRID1, phone: '12' }), 'phone', 'format');
    assertProblem(await mk({ name: 'x', kind: 'enterprise', region_code: GRID1, employees: '5' }), 400, 'employees string');
  });
});

describe('residents: scope', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  const f = {}; // fixtures
  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge', 'wangge2', 'loudong', 'zhihui']) s[u] = await signInDemo(url, u);
    f.h1 = await makeHouses(url, s.shequ, GRID1, `甲楼${T}`, 1);
    f.h2 = await makeHouses(url, s.shequ, GRID2, `乙楼${T}`, 1);
    f.a = await makeResident(url, s.shequ, { name: `甲一${T}`, house_id: f.h1.houses[0].id });
    f.b = await makeResident(url, s.shequ, { name: `乙二${T}`, house_id: f.h2.houses[0].id });
    f.b2 = await makeResident(url, s.wangge2, { name: `乙三${T}`, region_code: GRID2 });
    f.orgB = await created(url, s.shequ, '/api/v1/organisations', {
      name: `乙企业${T}`,
      kind: 'enterprise',
      region_code: GRID2,
      uscc: uscc(),
    });
    f.orgA = await created(url, s.shequ, '/api/v1/organisations', {
      name: `甲企业${T}`,
      kind: 'enterprise',
      house_id: f.h1.houses[0].id,
      uscc: uscc(),
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const noB = (text, what) => {
    for (const n of [`乙二${T}`, `乙三${T}`, `乙企业${T}`, `乙楼${T}`]) assert.ok(!text.includes(n), `${what} leaks ${n}`);
  };

  test('fixtures landed where intended', () => {
    assert.equal(f.a.region_code, GRID1);
    assert.equal(f.a.house_id, f.h1.houses[0].id);
    assert.equal(f.b.region_code, GRID2);
    assert.equal(f.orgA.region_code, GRID1, 'organisation takes the grid of its house');
  });

  test('list by region of another grid: nothing', async () => {
    const res = await call(url, 'GET', `/api/v1/residents?region=${GRID2}&limit=200`, s.wangge);
    if (res.status === 200) assert.deepEqual(res.json.items, []);
    else assertProblem(res, [403, 404]);
    noB(res.text, 'region=GRID2');
    const comm = await call(url, 'GET', `/api/v1/residents?region=${COMM1}&limit=200`, s.wangge);
    assert.equal(comm.status, 200, comm.text);
    assert.ok(comm.json.items.every((r) => r.region_code === GRID1), 'region=community narrows to own grid');
  });

  test('list without region: every page holds only grid 1', async () => {
    const items = await walkList(url, '/api/v1/residents', s.wangge, 200);
    assert.ok(items.length > 0);
    const off = items.filter((r) => r.region_code !== GRID1);
    assert.deepEqual(off.map((r) => r.region_code), [], 'rows of other grids');
    assert.ok(items.some((r) => r.id === f.a.id), 'own fixture listed');
    assert.ok(!items.some((r) => r.id === f.b.id || r.id === f.b2.id));
  });

  test('name search, ID and phone look-ups of the other grid: nothing', async () => {
    for (const q of [`乙二${T}`, `乙`, T]) {
      const res = await call(url, 'GET', `/api/v1/residents?q=${encodeURIComponent(q)}&limit=200`, s.wangge);
      assert.equal(res.status, 200, res.text);
      noB(res.text, `q=${q}`);
    }
    const mine = await got(url, s.wangge, `/api/v1/residents?q=${encodeURIComponent(`甲一${T}`)}`);
    assert.deepEqual(mine.items.map((r) => r.id), [f.a.id], 'name search finds own resident');
    const byId = await call(url, 'GET', `/api/v1/residents?id_number=${f.b.clear_id}`, s.wangge);
    assert.equal(byId.status, 200, byId.text);
    assert.deepEqual(byId.json.items, []);
    const byPhone = await call(url, 'GET', `/api/v1/residents?phone=${f.b.clear_phone}`, s.wangge);
    assert.equal(byPhone.status, 200, byPhone.text);
    assert.deepEqual(byPhone.json.items, []);
    const own = await got(url, s.wangge, `/api/v1/residents?id_number=${f.a.clear_id}`);
    assert.deepEqual(own.items.map((r) => r.id), [f.a.id]);
    const ownPhone = await got(url, s.wangge, `/api/v1/residents?phone=${f.a.clear_phone}`);
    assert.deepEqual(ownPhone.items.map((r) => r.id), [f.a.id]);
    fieldError(await call(url, 'GET', `/api/v1/residents?id_number=${wrongCheck(f.a.clear_id)}`, s.wangge), 'id_number', 'checksum');
  });

  test('GET, history, PATCH of the other grid\'s resident → 404', async () => {
    for (const p of [`/api/v1/residents/${f.b.id}`, `/api/v1/residents/${f.b.id}?reveal=true`, `/api/v1/residents/${f.b.id}/history`]) {
      const res = await call(url, 'GET', p, s.wangge);
      assertProblem(res, 404, p);
      noB(res.text, p);
    }
    const pr = await call(url, 'PATCH', `/api/v1/residents/${f.b.id}`, { ...s.wangge, body: { name: 'x' } });
    assertProblem(pr, 404, 'PATCH');
    const still = await got(url, s.shequ, `/api/v1/residents/${f.b.id}`);
    assert.equal(still.name, `乙二${T}`);
    // nonexistent and junk ids
    assertProblem(await call(url, 'GET', '/api/v1/residents/999999999', s.wangge), 404);
    assertProblem(await call(url, 'GET', '/api/v1/residents/abc', s.wangge), [400, 404]);
  });

  test('houses, buildings and organisations of the other grid are hidden', async () => {
    const hb = f.h2.houses[0];
    assertProblem(await call(url, 'GET', `/api/v1/houses/${hb.id}`, s.wangge), 404, 'house');
    assertProblem(await call(url, 'GET', `/api/v1/houses/${hb.id}/history`, s.wangge), 404, 'house history');
    assertProblem(await call(url, 'GET', `/api/v1/buildings/${f.h2.building.id}`, s.wangge), 404, 'building');
    assertProblem(await call(url, 'GET', `/api/v1/organisations/${f.orgB.id}`, s.wangge), 404, 'org');
    assertProblem(await call(url, 'GET', `/api/v1/organisations/${f.orgB.id}/history`, s.wangge), 404, 'org history');
    const houses = await walkList(url, '/api/v1/houses', s.wangge, 200);
    assert.ok(houses.every((h) => h.region_code === GRID1), 'house list only grid 1');
    assert.ok(houses.some((h) => h.id === f.h1.houses[0].id));
    const orgs = await walkList(url, '/api/v1/organisations', s.wangge, 200);
    assert.ok(orgs.every((o) => o.region_code === GRID1), 'organisation list only grid 1');
    assert.ok(orgs.some((o) => o.id === f.orgA.id));
    const oq = await call(url, 'GET', `/api/v1/organisations?q=${encodeURIComponent(`乙企业${T}`)}`, s.wangge);
    assert.equal(oq.status, 200, oq.text);
    assert.deepEqual(oq.json.items, []);
    const bl = await walkList(url, '/api/v1/buildings', s.wangge, 200);
    assert.ok(bl.every((b) => b.region_code === GRID1));
    const hr = await call(url, 'GET', `/api/v1/houses?region=${GRID2}`, s.wangge);
    if (hr.status === 200) assert.deepEqual(hr.json.items, []);
    else assertProblem(hr, [403, 404]);
    // own house lists its residents (only its own)
    const own = await got(url, s.wangge, `/api/v1/houses/${f.h1.houses[0].id}`);
    assert.deepEqual(own.residents.map((r) => r.id), [f.a.id]);
    assert.equal(own.occupants, 1);
  });

  test('the households of a building in one answer, within scope', async () => {
    const b = await makeHouses(url, s.shequ, GRID1, `丙楼${T}`, 3);
    const [h101, h102] = b.houses;
    const head = await makeResident(url, s.shequ, { name: `丙户主${T}`, house_id: h101.id });
    const hA = await created(url, s.shequ, '/api/v1/households', { house_id: h101.id, number: `A${T}`, head_id: head.id });
    const hB = await created(url, s.shequ, '/api/v1/households', { house_id: h101.id, number: `B${T}` });
    const hC = await created(url, s.shequ, '/api/v1/households', { house_id: h102.id, number: `C${T}` });
    const list = await got(url, s.wangge, `/api/v1/buildings/${b.building.id}/households`);
    assert.equal(list.next_cursor, null);
    assert.deepEqual(
      list.items.map((x) => [x.id, x.house_id, x.room, x.house_label, x.head_name, x.house_households, x.building_id]),
      [
        [hA.id, h101.id, '101', `丙楼${T}1单元101`, `丙户主${T}`, 2, b.building.id],
        [hB.id, h101.id, '101', `丙楼${T}1单元101`, null, 2, b.building.id],
        [hC.id, h102.id, '102', `丙楼${T}1单元102`, null, 1, b.building.id],
      ],
    );
    // the head joined household A with it (a housemate, now a member, versioned)
    const headNow = await got(url, s.shequ, `/api/v1/residents/${head.id}`);
    assert.equal(headNow.household_id, hA.id);
    const hist = await got(url, s.shequ, `/api/v1/residents/${head.id}/history`);
    assert.deepEqual([hist.items.at(-1).before.household_id, hist.items.at(-1).after.household_id], [null, hA.id]);
    // a head must be a member or live in the household's house
    let res = await call(url, 'PATCH', `/api/v1/households/${hC.id}`, { ...s.shequ, body: { head_id: head.id } });
    assertProblem(res, 422);
    assert.deepEqual(res.json.errors.map((e) => [e.field, e.code]), [['head_id', 'not_member']]);
    res = await call(url, 'POST', '/api/v1/households', { ...s.shequ, body: { house_id: h102.id, head_id: head.id } });
    assertProblem(res, 422);
    assert.deepEqual(res.json.errors.map((e) => [e.field, e.code]), [['head_id', 'not_member']]);
    // a housemate named head of B moves from A to B in the same request
    res = await call(url, 'PATCH', `/api/v1/households/${hB.id}`, { ...s.shequ, body: { head_id: head.id } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.head_id, head.id);
    assert.equal((await got(url, s.shequ, `/api/v1/residents/${head.id}`)).household_id, hB.id);
    // another grid's building, an unknown one, a bad id
    assertProblem(await call(url, 'GET', `/api/v1/buildings/${b.building.id}/households`, s.wangge2), 404);
    assertProblem(await call(url, 'GET', `/api/v1/buildings/${f.h2.building.id}/households`, s.wangge), 404);
    assertProblem(await call(url, 'GET', '/api/v1/buildings/99999999/households', s.shequ), 404);
    assertProblem(await call(url, 'GET', '/api/v1/buildings/abc/households', s.shequ), [400, 404]);
  });

  test('buildings and households are versioned too; a new head becomes 户主, the old one is no longer', async () => {
    const b = await makeHouses(url, s.shequ, GRID1, `丁楼${T}`, 1);
    let res = await call(url, 'PATCH', `/api/v1/buildings/${b.building.id}`, { ...s.shequ, body: { name: `丁楼改${T}`, floors: 9 } });
    assert.equal(res.status, 200, res.text);
    const bh = await got(url, s.wangge, `/api/v1/buildings/${b.building.id}/history`);
    assert.deepEqual(bh.items.map((v) => [v.version, v.action, v.actor, v.before?.name ?? null, v.after.name, v.after.floors]),
      [[1, 'create', 'shequ', null, `丁楼${T}`, 6], [2, 'update', 'shequ', `丁楼${T}`, `丁楼改${T}`, 9]]);
    const h = b.houses[0];
    const p1 = await makeResident(url, s.shequ, { name: `丁一${T}`, house_id: h.id, relation: 'spouse' });
    const p2 = await makeResident(url, s.shequ, { name: `丁二${T}`, house_id: h.id });
    const hh = await created(url, s.shequ, '/api/v1/households', { house_id: h.id, number: `D${T}`, head_id: p1.id });
    let r1 = await got(url, s.shequ, `/api/v1/residents/${p1.id}`);
    assert.deepEqual([r1.household_id, r1.relation], [hh.id, 'head'], 'the head joins as 户主');
    res = await call(url, 'PATCH', `/api/v1/households/${hh.id}`, { ...s.shequ, body: { number: `D2${T}`, head_id: p2.id } });
    assert.equal(res.status, 200, res.text);
    r1 = await got(url, s.shequ, `/api/v1/residents/${p1.id}`);
    const r2 = await got(url, s.shequ, `/api/v1/residents/${p2.id}`);
    assert.deepEqual([r1.household_id, r1.relation], [hh.id, null], 'the former head is no longer 户主');
    assert.deepEqual([r2.household_id, r2.relation], [hh.id, 'head']);
    const hist = await got(url, s.wangge, `/api/v1/households/${hh.id}/history`);
    assert.deepEqual(hist.items.map((v) => [v.version, v.action, v.before?.head_id ?? null, v.after.head_id, v.after.number]),
      [[1, 'create', null, p1.id, `D${T}`], [2, 'update', p1.id, p2.id, `D2${T}`]]);
    // p2 heads a new household of the same house: the one they left has no head now
    const hE = await created(url, s.shequ, '/api/v1/households', { house_id: h.id, number: `E${T}`, head_id: p2.id });
    assert.equal((await got(url, s.shequ, `/api/v1/residents/${p2.id}`)).household_id, hE.id);
    const left = await got(url, s.shequ, `/api/v1/households/${hh.id}`);
    assert.equal(left.head_id, null);
    const lh = await got(url, s.shequ, `/api/v1/households/${hh.id}/history`);
    assert.deepEqual(lh.items.at(-1).before.head_id, p2.id);
    assert.deepEqual(lh.items.at(-1).after.head_id, null);
    // out of scope: 404 like the record itself
    assertProblem(await call(url, 'GET', `/api/v1/households/${hh.id}/history`, s.wangge2), 404);
    assertProblem(await call(url, 'GET', `/api/v1/buildings/${b.building.id}/history`, s.wangge2), 404);
  });

  test('export of wangge holds only grid 1 and none of grid 2\'s names', async () => {
    for (const kind of ['residents', 'houses', 'organisations']) {
      const res = await call(url, 'GET', `/api/v1/${kind}/export`, s.wangge);
      assert.equal(res.status, 200, `${kind}: ${res.text.slice(0, 200)}`);
      noB(res.text, `${kind} export`);
      const codes = res.text.match(/\b99990100\d{7}\b/g) || [];
      assert.ok(codes.length > 0, `${kind} export has grid codes`);
      assert.deepEqual([...new Set(codes)], [GRID1], `${kind} export grid codes`);
    }
  });

  test('wangge2 sees grid 2, not grid 1', async () => {
    assert.equal((await got(url, s.wangge2, `/api/v1/residents/${f.b.id}`)).name, `乙二${T}`);
    assertProblem(await call(url, 'GET', `/api/v1/residents/${f.a.id}`, s.wangge2), 404);
  });

  test('a street user (jiedao) and the district see both grids', async () => {
    for (const who of ['jiedao', 'zhihui', 'shequ']) {
      assert.equal((await got(url, s[who], `/api/v1/residents/${f.a.id}`)).id, f.a.id, who);
      assert.equal((await got(url, s[who], `/api/v1/residents/${f.b.id}`)).id, f.b.id, who);
      // name search is by prefix
      const q = await got(url, s[who], `/api/v1/residents?q=${encodeURIComponent('乙')}&limit=200`);
      const ids = q.items.map((r) => r.id);
      assert.ok(ids.includes(f.b.id) && ids.includes(f.b2.id), `${who} name search`);
      assert.deepEqual((await got(url, s[who], `/api/v1/residents?q=${encodeURIComponent(`甲一${T}`)}`)).items.map((r) => r.id), [f.a.id]);
      assert.equal((await got(url, s[who], `/api/v1/residents?id_number=${f.b.clear_id}`)).items.length, 1);
    }
    // a grid of another community is outside shequ
    const other = await makeResident(url, s.jiedao, { name: `丙${T}`, region_code: OTHER_COMM_GRID });
    assertProblem(await call(url, 'GET', `/api/v1/residents/${other.id}`, s.shequ), 404);
    assert.equal((await got(url, s.jiedao, `/api/v1/residents/${other.id}`)).id, other.id);
  });

  test('duplicate ID number → 409, also when first registered in another grid', async () => {
    const dup = await call(url, 'POST', '/api/v1/residents', {
      ...s.wangge,
      body: { name: `重复${T}`, id_number: f.b.clear_id, region_code: GRID1, residency: 'registered' },
    });
    assertProblem(dup, 409);
    assert.ok(!dup.text.includes(`乙二${T}`), 'the conflict names nobody');
  });

  test('moved to another grid without a house: the old house and household stay behind', async () => {
    const m = await makeResident(url, s.jiedao, { name: `迁${T}`, house_id: f.h1.houses[0].id });
    assert.equal(m.house_id, f.h1.houses[0].id);
    const moved = await patched(url, s.jiedao, `/api/v1/residents/${m.id}`, { region_code: GRID2 });
    assert.equal(moved.region_code, GRID2);
    assert.equal(moved.house_id, null);
    assert.equal(moved.household_id, null);
    const house = await got(url, s.jiedao, `/api/v1/houses/${f.h1.houses[0].id}`);
    assert.ok(!house.residents.some((r) => r.id === m.id), 'no longer listed in the old house');
  });

  test('a duplicate ID number is refused and changes nothing', async () => {
    const dup = await call(url, 'POST', '/api/v1/residents', {
      ...s.wangge,
      body: { name: `重复${T}`, id_number: f.a.clear_id, region_code: GRID1, residency: 'registered' },
    });
    assert.ok([409, 422].includes(dup.status), `${dup.status} ${dup.text}`);
    assert.equal((await got(url, s.wangge, `/api/v1/residents?q=${encodeURIComponent(`重复${T}`)}`)).items.length, 0);
    // PATCH another resident onto an existing ID → refused, unchanged
    const c = await makeResident(url, s.wangge, { name: `丁${T}`, region_code: GRID1 });
    const p = await call(url, 'PATCH', `/api/v1/residents/${c.id}`, { ...s.wangge, body: { id_number: f.a.clear_id } });
    assert.ok([409, 422].includes(p.status), `${p.status} ${p.text}`);
    const back = await got(url, s.wangge, `/api/v1/residents/${c.id}?reveal=true`);
    assert.equal(back.id_number, c.clear_id);
    assert.equal(back.version, 1);
  });

  test('loudong (building leader) reads masked but cannot write', async () => {
    const r = await got(url, s.loudong, `/api/v1/residents/${f.a.id}`);
    assert.equal(r.masked, true);
    assertProblem(await call(url, 'PATCH', `/api/v1/residents/${f.a.id}`, { ...s.loudong, body: { name: 'x' } }), 403);
    assertProblem(await call(url, 'GET', `/api/v1/residents/${f.b.id}`, s.loudong), 404);
  });

  test('wangge cannot move a resident into grid 2', async () => {
    const res = await call(url, 'PATCH', `/api/v1/residents/${f.a.id}`, { ...s.wangge, body: { region_code: GRID2, house_id: null } });
    fieldError(res, 'region_code', 'scope');
    const res2 = await call(url, 'PATCH', `/api/v1/residents/${f.a.id}`, { ...s.wangge, body: { house_id: f.h2.houses[0].id } });
    fieldError(res2, 'house_id', 'scope');
    const back = await got(url, s.shequ, `/api/v1/residents/${f.a.id}`);
    assert.equal(back.region_code, GRID1);
    assert.equal(back.house_id, f.h1.houses[0].id);
  });
});

describe('residents: masking, reveal, restricted tags, encryption at rest', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  let r;
  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge', 'loudong']) s[u] = await signInDemo(url, u);
    r = await makeResident(url, s.wangge, {
      name: `揭示${T}`,
      region_code: GRID1,
      id_number: idNumber({ birth: '19650302', seq: 2 }),
      phone: '13812345678',
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const reveals = async (id) =>
    (await auditEntries(url, s.admin)).filter((e) => e.action === 'resident.reveal' && e.object === `resident:${id}`);

  const reads = async (id) =>
    (await auditEntries(url, s.admin)).filter((e) => e.action === 'resident.read' && e.object === `resident:${id}`);

  test('GET is masked, and every read is audited as resident.read naming the resident', async () => {
    const readsBefore = (await reads(r.id)).length;
    for (const who of ['wangge', 'shequ', 'loudong', 'jiedao']) {
      const g = await got(url, s[who], `/api/v1/residents/${r.id}`);
      assert.equal(g.id_number, maskId(r.clear_id), who);
      assert.equal(g.phone, '138****5678', who);
      assert.equal(g.masked, true, who);
      const g2 = await got(url, s[who], `/api/v1/residents/${r.id}?reveal=false`);
      assert.equal(g2.masked, true);
    }
    const list = await got(url, s.wangge, `/api/v1/residents?q=${encodeURIComponent(`揭示${T}`)}`);
    assert.equal(list.items[0].id_number, maskId(r.clear_id));
    assert.equal(list.items[0].masked, true);
    const entries = await reads(r.id);
    assert.equal(entries.length, readsBefore + 8, 'one resident.read per GET, naming the resident');
    assert.ok(entries.some((e) => e.username === 'loudong' && e.result === 200));
    const page = (await auditEntries(url, s.admin, 5)).find((e) => e.action === 'resident.list');
    assert.ok(page, 'a list page is audited once (resident.list)');
    assert.equal(page.username, 'wangge');
    assert.match(page.detail, /rows=1 search=name/);
    await got(url, s.wangge, `/api/v1/residents/${r.id}/history`);
    const h = (await reads(r.id))[0];
    assert.equal(h.detail, 'history', 'a history read is audited too');
  });

  test('reveal by wangge and shequ: full values, one audit entry each', async () => {
    assert.equal((await reveals(r.id)).length, 0);
    const w = await got(url, s.wangge, `/api/v1/residents/${r.id}?reveal=true`);
    assert.equal(w.id_number, r.clear_id);
    assert.equal(w.phone, '13812345678');
    assert.equal(w.masked, false);
    let entries = await reveals(r.id);
    assert.equal(entries.length, 1, JSON.stringify(entries));
    assert.equal(entries[0].username, 'wangge');
    assert.equal(entries[0].result, 200);
    const q = await got(url, s.shequ, `/api/v1/residents/${r.id}?reveal=true`);
    assert.equal(q.id_number, r.clear_id);
    entries = await reveals(r.id);
    assert.equal(entries.length, 2);
    assert.equal(entries[0].username, 'shequ');
    // audit entries never hold the clear ID
    const text = JSON.stringify(await auditEntries(url, s.admin));
    assert.ok(!text.includes(r.clear_id), 'audit holds no clear ID');
  });

  test('reveal is per record: on a list → 400 (audited as refused); on an ID lookup it names the resident', async () => {
    const before = (await auditEntries(url, s.admin)).filter((e) => e.action === 'resident.reveal').length;
    const l = await got(url, s.wangge, `/api/v1/residents?id_number=${r.clear_id}&reveal=true`);
    assert.equal(l.items[0].id_number, r.clear_id);
    const top = (await auditEntries(url, s.admin, 1))[0];
    assert.equal(top.action, 'resident.reveal');
    assert.equal(top.object, `resident:${r.id}`, 'the reveal names whose data was shown');
    assert.ok(!JSON.stringify(top).includes(r.clear_id), 'the audit entry holds no clear ID');
    for (const p of [
      `/api/v1/residents?q=${encodeURIComponent(`揭示${T}`)}&reveal=true`,
      '/api/v1/residents?reveal=true&limit=200',
      `/api/v1/residents?region=${GRID1}&reveal=true`,
      '/api/v1/residents?phone=13812345678&reveal=true',
    ]) {
      const res = await call(url, 'GET', p, s.shequ);
      assertProblem(res, 400, p);
      assert.match(res.json.detail, /单个居民/);
      assert.ok(!res.text.includes('13812345678'), p);
    }
    const entries = (await auditEntries(url, s.admin)).filter((e) => e.action === 'resident.reveal');
    assert.equal(entries.length, before + 5, 'one reveal, four refused attempts');
    assert.equal(entries.filter((e) => e.result === 400).length, 4);
  });

  test('reveal by the building leader → 403 (400 on a list), audited; reveal=1, yes, … → 400', async () => {
    for (const [p, status] of [
      [`/api/v1/residents/${r.id}?reveal=true`, 403],
      [`/api/v1/residents?reveal=true`, 400],
      [`/api/v1/residents?id_number=${r.clear_id}&reveal=true`, 403],
    ]) {
      const res = await call(url, 'GET', p, s.loudong);
      assertProblem(res, status, p);
      assert.ok(!res.text.includes(r.clear_id));
    }
    const refused = (await auditEntries(url, s.admin, 10)).filter(
      (e) => e.action === 'resident.reveal' && e.username === 'loudong',
    );
    assert.ok(refused.some((e) => e.object === `resident:${r.id}` && e.result === 403), JSON.stringify(refused));
    for (const v of ['yes', '1', '0', 'TRUE', '']) {
      for (const p of [
        `/api/v1/residents/${r.id}?reveal=${v}`,
        `/api/v1/residents?reveal=${v}`,
        `/api/v1/residents?id_number=${r.clear_id}&reveal=${v}`,
      ]) {
        const res = await call(url, 'GET', p, s.wangge);
        assertProblem(res, 400, p);
        assert.ok(!res.text.includes(r.clear_id), p);
      }
    }
  });

  test('restricted tags: set by shequ, seen by shequ and jiedao, hidden from wangge', async () => {
    const p = await patched(url, s.shequ, `/api/v1/residents/${r.id}`, { tags: ['community_correction', 'elderly_alone'] });
    assert.deepEqual(p.tags.sort(), ['community_correction', 'elderly_alone']);
    for (const who of ['shequ', 'jiedao']) {
      const g = await got(url, s[who], `/api/v1/residents/${r.id}`);
      assert.deepEqual(g.tags.sort(), ['community_correction', 'elderly_alone'], who);
    }
    const w = await call(url, 'GET', `/api/v1/residents/${r.id}`, s.wangge);
    assert.deepEqual(w.json.tags, ['elderly_alone']);
    assert.ok(!w.text.includes('community_correction'));
    for (const p2 of [
      `/api/v1/residents?q=${encodeURIComponent(`揭示${T}`)}`,
      `/api/v1/residents/${r.id}/history`,
      `/api/v1/residents/${r.id}?reveal=true`,
      `/api/v1/residents/export?format=csv`,
    ]) {
      const res = await call(url, 'GET', p2, s.wangge);
      assert.equal(res.status, 200, p2);
      assert.ok(!res.text.includes('community_correction') && !res.text.includes('社区矫正'), `${p2} leaks the restricted tag`);
    }
    const hist = await call(url, 'GET', `/api/v1/residents/${r.id}/history`, s.shequ);
    assert.ok(!hist.text.includes('community_correction'), 'history snapshots keep no restricted tag');
    assertProblem(await call(url, 'GET', '/api/v1/residents?tag=community_correction', s.shequ), 400, 'filter by restricted tag');
    const codesW = await got(url, s.wangge, '/api/v1/base/codes');
    assert.ok(!codesW.tags.some((t) => t.restricted), 'wangge code table has no restricted tags');
    const codesS = await got(url, s.shequ, '/api/v1/base/codes');
    assert.ok(codesS.tags.some((t) => t.code === 'community_correction' && t.restricted));
  });

  test('wangge setting a restricted tag → 422 tags forbidden; his tag edit keeps shequ\'s restricted tag', async () => {
    fieldError(
      await call(url, 'PATCH', `/api/v1/residents/${r.id}`, { ...s.wangge, body: { tags: ['drug_user'] } }),
      'tags',
      'forbidden',
    );
    fieldError(
      await call(url, 'POST', '/api/v1/residents', {
        ...s.wangge,
        body: { name: 'x', id_number: idNumber(), region_code: GRID1, residency: 'registered', tags: ['社区矫正人员'] },
      }),
      'tags',
      'forbidden',
      'by Chinese name',
    );
    const w = await patched(url, s.wangge, `/api/v1/residents/${r.id}`, { tags: ['veteran'] });
    assert.deepEqual(w.tags, ['veteran']);
    const g = await got(url, s.shequ, `/api/v1/residents/${r.id}`);
    assert.deepEqual(g.tags.sort(), ['community_correction', 'veteran'], 'restricted tag survives a grid worker\'s edit');
  });

  test('the raw database file holds no ID number or phone in clear', async (t) => {
    // Make sure something is on disk: a few more writes, and look ups that go through the index.
    const x = await makeResident(url, s.shequ, { name: `落盘${T}`, region_code: GRID1, phone: '13987654321' });
    await got(url, s.shequ, `/api/v1/residents?id_number=${x.clear_id}`);
    await got(url, s.shequ, `/api/v1/residents?phone=13987654321`);
    await got(url, s.shequ, `/api/v1/residents/${x.id}?reveal=true`);
    const files = storedFiles(srv.db);
    if (!files) return t.skip('the cluster\'s files cannot be read from here');
    const blob = Buffer.concat(files.map((p) => fs.readFileSync(p)));
    // sanity: the plain name is there, so we read the right bytes
    assert.ok(blob.includes(Buffer.from(`落盘${T}`)), `the name is on disk (${files.join(', ')})`);
    for (const needle of [r.clear_id, x.clear_id, '13812345678', '13987654321', x.clear_id.slice(0, 17)]) {
      assert.ok(!blob.includes(Buffer.from(needle)), `${needle} in clear in ${files.join(', ')}`);
      assert.ok(!blob.includes(Buffer.from(needle, 'utf16le')), `${needle} in UTF-16 on disk`);
    }
    assert.ok(!srv.stderr().includes(x.clear_id), 'server log holds no clear ID');
    assert.ok(!srv.stderr().includes('13987654321'), 'server log holds no clear phone');
  });
});

describe('history and paging', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge']) s[u] = await signInDemo(url, u);
  });
  after(async () => {
    await srv?.stop();
  });

  const checkChain = (h, n, actors) => {
    assert.deepEqual(h.items.map((v) => v.version), Array.from({ length: n }, (_, i) => i + 1), 'versions 1..n');
    assert.equal(h.items[0].before, null, 'v1 has no before');
    assert.equal(h.items[0].action, 'create');
    for (let i = 1; i < n; i++) {
      assert.equal(h.items[i].action, 'update');
      assert.deepEqual(h.items[i].before, h.items[i - 1].after, `before of v${i + 1} = after of v${i}`);
      assert.notDeepEqual(h.items[i].before, h.items[i].after, `v${i + 1} changed something`);
    }
    h.items.forEach((v, i) => {
      assert.equal(v.actor, actors[i], `actor of v${i + 1}`);
      assert.match(v.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/);
    });
  };

  test('resident: create + 2 PATCHes → versions 1..3 with actor, action, before/after', async () => {
    const r = await makeResident(url, s.wangge, { name: `历史${T}`, region_code: GRID1 });
    await patched(url, s.wangge, `/api/v1/residents/${r.id}`, { name: `历史改${T}`, phone: '13800001111' });
    const p2 = await patched(url, s.shequ, `/api/v1/residents/${r.id}`, { residency: 'floating', tags: ['low_income'] });
    assert.equal(p2.version, 3);
    const h = await got(url, s.wangge, `/api/v1/residents/${r.id}/history`);
    const actors = [s.wangge.user.display_name, s.wangge.user.display_name, s.shequ.user.display_name];
    const names = [s.wangge.user.username, s.wangge.user.username, s.shequ.user.username];
    const useNames = h.items[0].actor === names[0];
    checkChain(h, 3, useNames ? names : actors);
    assert.equal(h.items[0].after.name, `历史${T}`);
    assert.equal(h.items[1].after.name, `历史改${T}`);
    assert.equal(h.items[1].after.phone, '138****1111', 'history keeps masked values');
    assert.equal(h.items[2].after.residency, 'floating');
    assert.deepEqual(h.items[2].after.tags, ['low_income']);
    assert.ok(!JSON.stringify(h).includes(r.clear_id), 'no clear ID in history');
    assert.ok(!JSON.stringify(h).includes('13800001111'), 'no clear phone in history');
    // a refused PATCH adds no version
    await call(url, 'PATCH', `/api/v1/residents/${r.id}`, { ...s.wangge, body: { id_number: '123' } });
    assert.equal((await got(url, s.wangge, `/api/v1/residents/${r.id}/history`)).items.length, 3);
  });

  test('house: create + 2 PATCHes → versions 1..3', async () => {
    const { houses } = await makeHouses(url, s.wangge, GRID1, `历史楼${T}`, 1);
    const id = houses[0].id;
    await patched(url, s.wangge, `/api/v1/houses/${id}`, { use: 'rented', area: 55.5 });
    const p = await patched(url, s.shequ, `/api/v1/houses/${id}`, { use: '群租', note: '隔断' });
    assert.equal(p.use, 'group_rental');
    const h = await got(url, s.wangge, `/api/v1/houses/${id}/history`);
    const actor = (a) => (h.items[0].actor === s.wangge.user.username ? a.user.username : a.user.display_name);
    checkChain(h, 3, [actor(s.wangge), actor(s.wangge), actor(s.shequ)]);
    assert.equal(h.items[0].after.use, 'owner_occupied');
    assert.equal(h.items[1].after.use, 'rented');
    assert.equal(h.items[1].after.area, 55.5);
    assert.equal(h.items[2].after.use, 'group_rental');
    assert.equal(h.items[2].after.note, '隔断');
    fieldError(await call(url, 'PATCH', `/api/v1/houses/${id}`, { ...s.wangge, body: { use: 'castle' } }), 'use', 'enum');
    fieldError(await call(url, 'PATCH', `/api/v1/houses/${id}`, { ...s.wangge, body: { area: -1 } }), 'area');
    assert.equal((await got(url, s.wangge, `/api/v1/houses/${id}/history`)).items.length, 3);
  });

  test('organisation: create + 2 PATCHes → versions 1..3', async () => {
    const o = await created(url, s.wangge, '/api/v1/organisations', {
      name: `历史企业${T}`,
      kind: 'enterprise',
      region_code: GRID1,
      uscc: uscc(),
      phone: '13811112222',
    });
    await patched(url, s.wangge, `/api/v1/organisations/${o.id}`, { employees: 12 });
    await patched(url, s.shequ, `/api/v1/organisations/${o.id}`, { status: 'closed', name: `历史企业改${T}` });
    const h = await got(url, s.wangge, `/api/v1/organisations/${o.id}/history`);
    const actor = (a) => (h.items[0].actor === s.wangge.user.username ? a.user.username : a.user.display_name);
    checkChain(h, 3, [actor(s.wangge), actor(s.wangge), actor(s.shequ)]);
    assert.equal(h.items[1].after.employees, 12);
    assert.equal(h.items[2].after.status, 'closed');
    assert.equal(h.items[2].after.name, `历史企业改${T}`);
    assert.ok(!JSON.stringify(h).includes('13811112222'), 'org phone masked in history');
    // reveal of the org phone: wangge yes (audited), loudong 403
    const rv = await got(url, s.wangge, `/api/v1/organisations/${o.id}?reveal=true`);
    assert.equal(rv.phone, '13811112222');
    const masked = await got(url, s.wangge, `/api/v1/organisations/${o.id}`);
    assert.equal(masked.phone, '138****2222');
    const audit = await auditEntries(url, s.admin);
    assert.ok(audit.some((e) => e.action === 'organisation.reveal' && e.object === `organisation:${o.id}`));
  });

  test('list paging: a small-limit walk gets every row exactly once', async () => {
    const big = await walkList(url, `/api/v1/residents?region=${GRID1}`, s.shequ, 200);
    const small = await walkList(url, `/api/v1/residents?region=${GRID1}`, s.shequ, 37);
    assert.equal(small.length, big.length);
    const ids = small.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'no row twice');
    assert.deepEqual([...ids].sort((a, b) => a - b), big.map((r) => r.id).sort((a, b) => a - b));
    // across grids (community scope) too
    const comm = await walkList(url, `/api/v1/houses?region=${COMM1}`, s.shequ, 150);
    const commIds = comm.map((h) => h.id);
    assert.equal(new Set(commIds).size, commIds.length);
    const perGrid = new Set(comm.map((h) => h.region_code));
    assert.ok(perGrid.size >= 2, 'the walk crosses grids');
    const orgs = await walkList(url, `/api/v1/organisations?region=${COMM1}`, s.shequ, 7);
    assert.equal(new Set(orgs.map((o) => o.id)).size, orgs.length);
  });

  test('cursor junk and bad limits → 400', async () => {
    for (const c of ['abc', '999.x', '.5', '1.-1', '999901001001001.', '9'.repeat(40) + '.1', '999901001001001.1.2', '%00']) {
      for (const p of ['/api/v1/residents', '/api/v1/houses', '/api/v1/organisations', '/api/v1/buildings']) {
        assertProblem(await call(url, 'GET', `${p}?cursor=${encodeURIComponent(c)}`, s.shequ), 400, `${p} cursor ${c}`);
      }
    }
    for (const l of ['0', '201', '-1', 'x', '1e2']) {
      assertProblem(await call(url, 'GET', `/api/v1/residents?limit=${l}`, s.shequ), 400, `limit ${l}`);
    }
    for (const q of ['region=12345', 'region=abc', 'residency=tourist', 'status=gone', 'house_id=0', 'house_id=x']) {
      assertProblem(await call(url, 'GET', `/api/v1/residents?${q}`, s.shequ), 400, q);
    }
    assertProblem(await call(url, 'GET', `/api/v1/residents?q=${'长'.repeat(51)}`, s.shequ), 400, 'q too long');
    const bad = await api(url, 'GET', `/api/v1/residents?q=%FF%FE`, s.shequ);
    assertProblem(bad, 400, 'q bad UTF-8');
  });
});

// Issue 9, leaks 1 and 7: a masked answer never carries the full birth date (with the ID
// mask it left <= 91 candidates for the number), every lookup by ID number or phone is
// audited and limited per user, reveal is per record, and the database keeps only the year
// in clear.
describe('residents: birth dates, lookups and reveals (personal data on the read path)', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  let r, house;
  const BIRTH = '19650302';
  const FULL = '1965-03-02';
  const sqlite = (query) => srv.sql(query);
  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'wangge', 'wanggezhang', 'loudong']) s[u] = await signInDemo(url, u);
    house = (await makeHouses(url, s.wangge, GRID1, `生日楼${T}`, 1)).houses[0];
    r = await makeResident(url, s.wangge, {
      name: `生日${T}`,
      region_code: GRID1,
      house_id: house.id,
      id_number: idNumber({ birth: BIRTH, seq: 31 }),
      phone: '13700001111',
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const noFullDate = (text, what) => {
    assert.ok(!text.includes(FULL), `${what} holds the full birth date`);
    assert.ok(!text.includes(BIRTH), `${what} holds the birth date digits`);
  };

  test('the answer to the request that gave the ID number has the date; every later masked answer the year', async () => {
    assert.equal(r.birth_date, FULL, 'the creator has just typed the number');
    assert.equal(r.birth_year, 1965);
    const p = await patched(url, s.wangge, `/api/v1/residents/${r.id}`, { note: `备注${T}` });
    assert.equal(p.birth_date, '1965-**-**', 'a patch without the ID number answers masked');
    assert.equal(p.birth_year, 1965);
    const g = await got(url, s.wangge, `/api/v1/residents/${r.id}`);
    assert.equal(g.birth_date, '1965-**-**');
    const full = await got(url, s.wangge, `/api/v1/residents/${r.id}?reveal=true`);
    assert.equal(full.birth_date, FULL, 'a reveal shows the full date');
    assert.equal(full.birth_year, 1965);
    const noId = await makeResident(url, s.wangge, { name: `无证${T}`, region_code: GRID1, residency: 'foreign', id_number: undefined });
    assert.equal(noId.birth_date, null);
    assert.equal(noId.birth_year, null);
  });

  test('a building leader gets no full birth date from any resident read, list, search, lookup or history', async () => {
    const reads = [
      `/api/v1/residents/${r.id}`,
      `/api/v1/residents/${r.id}/history`,
      `/api/v1/residents?q=${encodeURIComponent(`生日${T}`)}`,
      `/api/v1/residents?house_id=${house.id}`,
      `/api/v1/residents?region=${GRID1}&limit=200`,
      `/api/v1/residents?id_number=${r.clear_id}`,
      `/api/v1/residents?phone=13700001111`,
      `/api/v1/houses/${house.id}`,
    ];
    for (const p of reads) {
      const res = await call(url, 'GET', p, s.loudong);
      assert.equal(res.status, 200, `${p}: ${res.text}`);
      noFullDate(res.text, p);
    }
    const g = await got(url, s.loudong, `/api/v1/residents/${r.id}`);
    assert.equal(g.birth_date, '1965-**-**');
    assert.equal(g.birth_year, 1965);
    const look = await got(url, s.loudong, `/api/v1/residents?id_number=${r.clear_id}`);
    assert.deepEqual(look.items.map((x) => [x.id, x.birth_date]), [[r.id, '1965-**-**']]);
    const hist = await got(url, s.loudong, `/api/v1/residents/${r.id}/history`);
    for (const v of hist.items ?? hist) {
      for (const snap of [v.before, v.after]) if (snap?.birth_date) assert.equal(snap.birth_date, '1965-**-**');
    }
    // Masked pages of the whole grid: only years.
    const page = await got(url, s.loudong, `/api/v1/residents?region=${GRID1}&limit=200`);
    for (const x of page.items) assert.ok(x.birth_date === null || /^\d{4}-\*\*-\*\*$/.test(x.birth_date), x.birth_date);
  });

  test('a masked export carries the birth year only', async () => {
    const res = await call(url, 'GET', `/api/v1/residents/export?format=csv&region=${GRID1}`, s.wangge);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    noFullDate(res.text, 'masked export');
    const rows = parseCsv(res.text.replace(/^\uFEFF/, ''));
    const col = rows[0].indexOf('出生日期');
    assert.ok(col >= 0, rows[0].join(','));
    const mine = rows.find((x) => x[0] === `生日${T}`);
    assert.ok(mine, 'the resident is in the export');
    assert.equal(mine[col], '1965-**-**');
    for (const x of rows.slice(1)) assert.ok(x[col] === '' || x[col] === undefined || /^\d{4}-\*\*-\*\*$/.test(x[col]), x[col]);
  });

  test('malformed numbers in the list query → 400', async () => {
    for (const q of ['house_id=1abc', 'household_id=2x', 'house_id=0', 'house_id=-1', 'house_id=', 'household_id=1e3']) {
      assertProblem(await call(url, 'GET', `/api/v1/residents?${q}`, s.wangge), 400, q);
    }
    const ok = await got(url, s.wangge, `/api/v1/residents?house_id=${house.id}`);
    assert.deepEqual(ok.items.map((x) => x.id), [r.id]);
  });

  test('lookups by ID number and phone are audited without the number; the 31st in 10 minutes → 429', async () => {
    const who = s.wanggezhang;
    const top = async () => (await auditEntries(url, s.admin, 1))[0];
    const l1 = await got(url, who, `/api/v1/residents?id_number=${r.clear_id}`);
    assert.equal(l1.items.length, 1);
    let e = await top();
    assert.equal(e.action, 'resident.lookup');
    assert.equal(e.username, 'wanggezhang');
    assert.equal(e.object, `resident:${r.id}`);
    assert.equal(e.result, 200);
    assert.equal(e.detail, `by=id_number found=1 ids=${r.id}`);
    await got(url, who, '/api/v1/residents?phone=13700001111');
    e = await top();
    assert.equal(e.action, 'resident.lookup');
    assert.match(e.detail, /^by=phone found=1 ids=/);
    const unknown = idNumber({ birth: '19010101', seq: 999 });
    assert.equal((await got(url, who, `/api/v1/residents?id_number=${unknown}`)).items.length, 0);
    e = await top();
    assert.equal(e.object, 'resident:lookup');
    assert.equal(e.detail, 'by=id_number found=0');
    const text = JSON.stringify(await auditEntries(url, s.admin, 5));
    for (const n of [r.clear_id, unknown, '13700001111', BIRTH]) assert.ok(!text.includes(n), `audit holds ${n}`);
    for (let i = 3; i < 30; i++) {
      const p = i % 2 ? `/api/v1/residents?phone=1370000${String(2000 + i)}` : `/api/v1/residents?id_number=${idNumber({ birth: '19010101', seq: i })}`;
      const res = await call(url, 'GET', p, who);
      assert.equal(res.status, 200, `lookup ${i + 1}: ${res.text}`);
    }
    const over = await call(url, 'GET', `/api/v1/residents?id_number=${r.clear_id}`, who);
    assertProblem(over, 429, 'the 31st lookup');
    assert.match(over.json.detail, /频繁/);
    const retry = Number(over.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 600, `Retry-After ${over.headers.get('retry-after')}`);
    assert.ok(!over.text.includes(r.clear_id));
    e = await top();
    assert.equal(e.action, 'resident.lookup');
    assert.equal(e.result, 429);
    assert.equal(e.detail, 'by=id_number refused=rate_limit');
    assertProblem(await call(url, 'GET', '/api/v1/residents?phone=13700001111', who), 429, 'phone lookups share the limit');
    // Other users keep their own allowance; name search is not a lookup.
    assert.equal((await got(url, s.wangge, `/api/v1/residents?id_number=${r.clear_id}`)).items.length, 1);
    assert.equal((await got(url, who, `/api/v1/residents?q=${encodeURIComponent(`生日${T}`)}`)).items.length, 1);
  });

  test('the database keeps no birth date in clear; an older database is sealed on the next start', async () => {
    assert.equal(sqlite('SELECT count(*) FROM residents WHERE birth_date IS NOT NULL'), '0');
    assert.ok(Number(sqlite('SELECT count(*) FROM residents WHERE birth_year > 0 AND birth_sealed IS NOT NULL')) > 1000, 'the demo district is sealed too');
    assert.equal(sqlite(`SELECT birth_year FROM residents WHERE id = ${r.id}`), '1965');
    const fullInHistory =
      BACKEND === 'sqlite'
        ? "SELECT count(*) FROM record_versions WHERE kind = 'resident' AND (coalesce(before, '') GLOB " +
          "'*\"birth_date\":\"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\"*' OR coalesce(after, '') GLOB " +
          "'*\"birth_date\":\"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\"*')"
        : // jsonb renders '"key": "value"' with a space: the pattern allows one
          "SELECT count(*) FROM record_versions WHERE kind = 'resident' AND (coalesce(before::text, '') ~ " +
          "'\"birth_date\": ?\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"' OR coalesce(after::text, '') ~ " +
          "'\"birth_date\": ?\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"')";
    assert.equal(sqlite(fullInHistory), '0', 'no full date in the version history');
    await srv.stop();
    const files = () => storedFiles(srv.db) || [];
    for (const p of files()) noFullDate(fs.readFileSync(p).toString('latin1'), p);
    // An older version kept the date in clear: put one back, as it would have been.
    sqlite(`UPDATE residents SET birth_date = '${FULL}', birth_sealed = NULL WHERE id = ${r.id}`);
    assert.equal(sqlite('SELECT count(*) FROM residents WHERE birth_date IS NOT NULL'), '1');
    await srv.restart();
    assert.equal(sqlite('SELECT count(*) FROM residents WHERE birth_date IS NOT NULL'), '0', 'sealed at start');
    assert.match(srv.stderr(), /sealed the birth dates of 1 residents/);
    const wangge = await signInDemo(url, 'wangge');
    const full = await got(url, wangge, `/api/v1/residents/${r.id}?reveal=true`);
    assert.equal(full.birth_date, FULL, 'the sealed date opens on reveal');
    assert.equal((await got(url, wangge, `/api/v1/residents/${r.id}`)).birth_date, '1965-**-**');
    await srv.stop();
    // SQLite overwrites deleted content (secure_delete). A PostgreSQL database never held dates in
    // clear (its backend came after the sealing), and the row version the UPDATE above put back
    // stays in its file until VACUUM: the files are checked on SQLite only.
    if (BACKEND === 'sqlite') for (const p of files()) noFullDate(fs.readFileSync(p).toString('latin1'), `${p} after sealing`);
    await srv.restart();
  });
});
