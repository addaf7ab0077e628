// Photos (leak 5): a photo is attached only by an account that uploaded it, and read only by
// its uploaders and by those who can read a record that references it (a case in their
// scope, a sweep visit in their region); every read is audited (photo.read). Demo district:
// wangge works grid 1, wangge2 grid 2, jiedao the street over both, chengguan a department.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BACKEND, GRID1, GRID2, api, assertProblem, errorFields, signInDemo, startServer } from './harness.mjs';
import { createToken, mustAct, pngBytes, report, sha256hex, uploadPhoto } from './cases-lib.mjs';
import { auditEntries, makeHouses } from './base-lib.mjs';

describe('photos: who attaches and who reads', { timeout: 120_000 }, () => {
  let srv, url;
  const s = {};
  const read = (who, hash) => api(url, 'GET', `/api/v1/photos/${hash}`, s[who]);
  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'wangge', 'wangge2', 'jiedao', 'shequ', 'chengguan', 'jumin']) {
      s[u] = await signInDemo(url, u);
    }
  });
  after(async () => {
    await srv?.stop();
  });

  test("an unattached photo is its uploader's alone; other accounts get 404 as for a missing one", async () => {
    const bytes = pngBytes(901);
    const up = await uploadPhoto(url, s.wangge, bytes);
    assert.equal(up.status, 201, up.text);
    const hash = up.json.hash;
    assert.equal(hash, sha256hex(bytes));
    const own = await read('wangge', hash);
    assert.equal(own.status, 200, own.text);
    for (const who of ['wangge2', 'jiedao', 'shequ', 'chengguan', 'jumin']) {
      const res = await read(who, hash);
      assertProblem(res, 404, `${who} reads an unattached photo of wangge`);
      assert.equal(res.json.detail, (await read(who, 'f'.repeat(64))).json.detail, 'same answer as a missing photo');
    }
  });

  test("grid worker B cannot read A's photo by hash nor attach it to a case; the street over the case reads it", async () => {
    const bytes = pngBytes(902);
    const hash = (await uploadPhoto(url, s.wangge, bytes)).json.hash;
    // B attaching A's hash: 422 naming photos[0], the same answer as an unknown hash.
    const theirs = await api(url, 'POST', '/api/v1/cases', {
      ...s.wangge2,
      body: { category: 'environment', description: '别人的照片', region_code: GRID2, photos: [hash] },
    });
    assertProblem(theirs, 422);
    assert.ok(errorFields(theirs).includes('photos[0]'), theirs.text);
    const unknown = await api(url, 'POST', '/api/v1/cases', {
      ...s.wangge2,
      body: { category: 'environment', description: '不存在的照片', region_code: GRID2, photos: ['e'.repeat(64)] },
    });
    assertProblem(unknown, 422);
    assert.deepEqual(errorFields(unknown), errorFields(theirs));
    // Nor to a handling step of a case of their own grid.
    const own2 = (await report(url, s.wangge2, { region_code: GRID2 })).json;
    await mustAct(url, s.shequ, own2.id, { action: 'accept' });
    await mustAct(url, s.wangge2, own2.id, { action: 'start' });
    const act = await api(url, 'POST', `/api/v1/cases/${own2.id}/actions`, {
      ...s.wangge2,
      body: { action: 'handle', comment: '已处理，附图', photos: [hash] },
    });
    assertProblem(act, 422);
    assert.ok(errorFields(act).includes('photos[0]'), act.text);
    // The uploader attaches it to a case in grid 1.
    const c = (await report(url, s.wangge, { photos: [hash] })).json;
    assertProblem(await read('wangge2', hash), 404, 'grid worker of grid 2 (the case is outside their scope)');
    assertProblem(await read('chengguan', hash), 404, 'a department the case was not dispatched to');
    assertProblem(await read('jumin', hash), 404, 'a resident who did not report the case');
    for (const who of ['jiedao', 'shequ', 'wangge']) {
      const res = await fetch(`${url}/api/v1/photos/${hash}`, { headers: { Cookie: s[who].cookie } });
      assert.equal(res.status, 200, `${who} reads the photo of a case in scope`);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    }
    // A re-upload of the same bytes makes B an uploader too: then B may attach it.
    assert.equal((await uploadPhoto(url, s.wangge2, bytes)).status, 201);
    assert.equal((await read('wangge2', hash)).status, 200);
    assert.ok(c.id);
  });

  test("an API token attaches the photos it uploaded, not another token's", async () => {
    const grants = [{ role: 'grid_worker', region_code: GRID1 }];
    const t1 = { token: await createToken(url, s.admin, `照片甲${Date.now()}`, grants) };
    const t2 = { token: await createToken(url, s.admin, `照片乙${Date.now()}`, grants) };
    const up = await uploadPhoto(url, t1, pngBytes(905));
    assert.equal(up.status, 201, up.text);
    const body = { category: 'environment', description: '接口上报', region_code: GRID1, photos: [up.json.hash] };
    assertProblem(await api(url, 'POST', '/api/v1/cases', { ...t2, body }), 422);
    const ok = await api(url, 'POST', '/api/v1/cases', { ...t1, body });
    assert.equal(ok.status, 201, ok.text);
  });

  test('every read is audited as photo.read naming the photo', async () => {
    const hash = (await uploadPhoto(url, s.wangge, pngBytes(903))).json.hash;
    await report(url, s.wangge, { photos: [hash] });
    assert.equal((await read('jiedao', hash)).status, 200);
    const entries = await auditEntries(url, s.admin, 50);
    const e = entries.find((x) => x.action === 'photo.read' && x.object === `photo:${hash}`);
    assert.ok(e, `photo.read audited: ${JSON.stringify(entries.slice(0, 5))}`);
    assert.equal(e.username, 'jiedao');
  });

  test("a photo of a sweep visit is read by the staff of the visited house's region", async () => {
    const houses = await makeHouses(url, s.wangge, GRID1, `照片楼${Date.now().toString(36)}`, 1);
    const sweep = await api(url, 'POST', '/api/v1/sweeps', {
      ...s.shequ,
      body: { name: `照片扫楼${Date.now().toString(36)}`, region_code: GRID1, starts_on: '2026-11-01', ends_on: '2026-12-31' },
    });
    assert.equal(sweep.status, 201, sweep.text);
    const hash = (await uploadPhoto(url, s.wangge, pngBytes(904))).json.hash;
    assertProblem(
      await api(url, 'POST', `/api/v1/sweeps/${sweep.json.id}/visits`, {
        ...s.wangge2,
        body: { house_id: houses.houses[0].id, outcome: 'visited', photos: [hash] },
      }),
      [403, 404, 422],
    );
    const v = await api(url, 'POST', `/api/v1/sweeps/${sweep.json.id}/visits`, {
      ...s.wangge,
      body: { house_id: houses.houses[0].id, outcome: 'visited', photos: [hash] },
    });
    assert.equal(v.status, 201, v.text);
    assert.equal((await read('shequ', hash)).status, 200);
    assertProblem(await read('wangge2', hash), 404);
    assertProblem(await read('chengguan', hash), 404);
  });
});

// Migration 9: the bytes live in the database (any node of a cluster serves them, a backup
// carries them); files an older version kept beside a SQLite database are copied in, and
// removed, when the database is next opened.
describe('photos: bytes in the database', { timeout: 120_000 }, () => {
  let srv, url, wangge;
  before(async () => {
    srv = await startServer();
    url = srv.url;
    wangge = await signInDemo(url, 'wangge');
  });
  after(async () => {
    await srv?.stop();
  });

  test('an upload is stored in photo_data, byte for byte', async () => {
    const bytes = pngBytes(951);
    const up = await uploadPhoto(url, wangge, bytes);
    assert.equal(up.status, 201, up.text);
    const len = srv.sql(
      BACKEND === 'sqlite'
        ? `SELECT length(data) FROM photo_data WHERE hash = '${up.json.hash}'`
        : `SELECT octet_length(data) FROM photo_data WHERE hash = '${up.json.hash}'`,
    );
    assert.equal(Number(len), bytes.length);
    assert.ok(!fs.existsSync(`${srv.db}.files`), 'no photo files beside the database');
  });

  test('SQLite: a photo file of an older version is copied in at start and the file removed', { skip: BACKEND !== 'sqlite' }, async () => {
    const bytes = pngBytes(952);
    const hash = (await uploadPhoto(url, wangge, bytes)).json.hash;
    await srv.stop();
    // What a version before migration 9 left: the metadata row, the bytes in PATH.files/ab/abcd….
    srv.sql(`DELETE FROM photo_data WHERE hash = '${hash}'`);
    const dir = path.join(`${srv.db}.files`, hash.slice(0, 2));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, hash), bytes);
    await srv.restart();
    wangge = await signInDemo(url, 'wangge');
    const get = await fetch(`${url}/api/v1/photos/${hash}`, { headers: { Cookie: wangge.cookie } });
    assert.equal(get.status, 200);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), bytes);
    assert.ok(!fs.existsSync(path.join(dir, hash)), 'the file is removed once its bytes are in the database');
    assert.equal(srv.sql(`SELECT count(*) FROM photo_data WHERE hash = '${hash}'`), '1');
  });
});
