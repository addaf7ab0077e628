// Data scope (a grant reaches its region's subtree and nothing else) and
// role checks on writes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  COMM1,
  DISTRICT,
  GRID1,
  GRID2,
  STREET1,
  api,
  assertProblem,
  signInDemo,
  startServer,
} from './harness.mjs';

describe('data scope and roles', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'dudao', 'wangge', 'wangge2', 'jumin', 'chengguan']) {
      s[u] = await signInDemo(url, u);
    }
  });
  after(async () => {
    await srv?.stop();
  });

  test('unauthenticated region reads → 401', async () => {
    assertProblem(await api(url, 'GET', `/api/v1/regions/${GRID1}`), 401);
    assertProblem(await api(url, 'GET', `/api/v1/regions?parent=${COMM1}`), 401);
    assertProblem(await api(url, 'GET', `/api/v1/regions/${GRID1}/history`), 401);
  });

  test('wangge reads its own grid → 200', async () => {
    const res = await api(url, 'GET', `/api/v1/regions/${GRID1}`, s.wangge);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.code, GRID1);
    assert.equal(res.json.level, 'grid');
    assert.equal(res.json.parent_code, COMM1);
    assert.equal(typeof res.json.name, 'string');
    assert.equal(typeof res.json.planned_households, 'number');
    assert.equal(res.json.geometry?.type, 'Polygon');
  });

  test('wangge cannot read the neighbouring grid, its community or the district', async () => {
    for (const code of [GRID2, COMM1, STREET1, DISTRICT, '999901002005006']) {
      const res = await api(url, 'GET', `/api/v1/regions/${code}`, s.wangge);
      assertProblem(res, [403, 404], `wangge GET ${code}`);
      assert.ok(!res.text.includes('阳光社区第二网格'), 'no data of the other grid leaks');
    }
    assertProblem(await api(url, 'GET', `/api/v1/regions/${GRID2}/history`, s.wangge), [403, 404]);
  });

  test('wangge cannot list the children of its community', async () => {
    const res = await api(url, 'GET', `/api/v1/regions?parent=${COMM1}`, s.wangge);
    assertProblem(res, [403, 404]);
    assertProblem(await api(url, 'GET', `/api/v1/regions?parent=${DISTRICT}`, s.wangge), [403, 404]);
  });

  test('wangge\'s roots list only its grid', async () => {
    const res = await api(url, 'GET', '/api/v1/regions', s.wangge);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.items.map((r) => r.code), [GRID1]);
    assert.equal(res.json.next_cursor, null);
  });

  test('the resident of grid 1 sees grid 1 only', async () => {
    assert.equal((await api(url, 'GET', `/api/v1/regions/${GRID1}`, s.jumin)).status, 200);
    assertProblem(await api(url, 'GET', `/api/v1/regions/${GRID2}`, s.jumin), [403, 404]);
  });

  test('shequ lists its community\'s 6 grids, not another community\'s', async () => {
    const res = await api(url, 'GET', `/api/v1/regions?parent=${COMM1}`, s.shequ);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.json.items.map((r) => r.code),
      ['001', '002', '003', '004', '005', '006'].map((g) => COMM1 + g),
    );
    assert.ok(res.json.items.every((r) => r.level === 'grid' && r.parent_code === COMM1));
    assertProblem(await api(url, 'GET', '/api/v1/regions?parent=999901001002', s.shequ), [403, 404]);
    assertProblem(await api(url, 'GET', '/api/v1/regions/999901001002001', s.shequ), [403, 404]);
    assertProblem(await api(url, 'GET', `/api/v1/regions/${STREET1}`, s.shequ), [403, 404]);
    const roots = await api(url, 'GET', '/api/v1/regions', s.shequ);
    assert.deepEqual(roots.json.items.map((r) => r.code), [COMM1]);
  });

  test('children lists page with limit and cursor', async () => {
    const p1 = await api(url, 'GET', `/api/v1/regions?parent=${COMM1}&limit=4`, s.shequ);
    assert.equal(p1.status, 200);
    assert.equal(p1.json.items.length, 4);
    assert.equal(typeof p1.json.next_cursor, 'string');
    const p2 = await api(
      url,
      'GET',
      `/api/v1/regions?parent=${COMM1}&limit=4&cursor=${encodeURIComponent(p1.json.next_cursor)}`,
      s.shequ,
    );
    assert.equal(p2.status, 200);
    assert.deepEqual(p2.json.items.map((r) => r.code), [COMM1 + '005', COMM1 + '006']);
    assert.equal(p2.json.next_cursor, null);
  });

  test('jiedao reaches its street\'s communities and grids, not the other street', async () => {
    const res = await api(url, 'GET', `/api/v1/regions?parent=${STREET1}`, s.jiedao);
    assert.equal(res.status, 200);
    assert.equal(res.json.items.length, 5);
    assert.equal((await api(url, 'GET', '/api/v1/regions/999901001005006', s.jiedao)).status, 200);
    assertProblem(await api(url, 'GET', '/api/v1/regions/999901002', s.jiedao), [403, 404]);
    assertProblem(await api(url, 'GET', '/api/v1/regions?parent=999901002', s.jiedao), [403, 404]);
  });

  test('zhihui reads everything under 999901', async () => {
    const roots = await api(url, 'GET', '/api/v1/regions', s.zhihui);
    assert.deepEqual(roots.json.items.map((r) => r.code), [DISTRICT]);
    const d = await api(url, 'GET', `/api/v1/regions/${DISTRICT}`, s.zhihui);
    assert.equal(d.status, 200);
    assert.equal(d.json.level, 'district');
    assert.equal(d.json.parent_code, null);
    assert.equal(d.json.child_count, 2);
    const streets = await api(url, 'GET', `/api/v1/regions?parent=${DISTRICT}`, s.zhihui);
    assert.deepEqual(streets.json.items.map((r) => r.code), ['999901001', '999901002']);
    for (const code of ['999901002', '999901002005', '999901002005006', GRID2]) {
      const r = await api(url, 'GET', `/api/v1/regions/${code}`, s.zhihui);
      assert.equal(r.status, 200, `zhihui GET ${code}: ${r.text}`);
    }
    let total = 0;
    for (const st of streets.json.items) {
      const comms = await api(url, 'GET', `/api/v1/regions?parent=${st.code}`, s.zhihui);
      for (const c of comms.json.items) {
        const grids = await api(url, 'GET', `/api/v1/regions?parent=${c.code}`, s.zhihui);
        total += grids.json.items.length;
      }
    }
    assert.equal(total, 60, 'the demo district has 60 grids');
  });

  test('the department user of the district reaches the whole district read-only', async () => {
    assert.equal((await api(url, 'GET', `/api/v1/regions/${GRID2}`, s.chengguan)).status, 200);
    assertProblem(
      await api(url, 'PATCH', `/api/v1/regions/${GRID2}`, { ...s.chengguan, body: { name: '城管改名' } }),
      403,
    );
  });

  test('wangge cannot create users or regions, nor edit its own grid', async () => {
    const u = await api(url, 'POST', '/api/v1/users', {
      ...s.wangge,
      body: { username: 'wg_made', display_name: 'x', password: 'Strong@pass123', grants: [] },
    });
    assertProblem(u, 403);
    assertProblem(await api(url, 'GET', '/api/v1/users', s.wangge), 403);
    assertProblem(await api(url, 'GET', '/api/v1/tokens', s.wangge), 403);
    assertProblem(await api(url, 'GET', '/api/v1/audit', s.wangge), 403);
    const r = await api(url, 'POST', '/api/v1/regions', {
      ...s.wangge,
      body: { code: GRID1.slice(0, 12) + '030', name: '网格员新建', parent_code: COMM1 },
    });
    assertProblem(r, 403);
    const back = await api(url, 'GET', `/api/v1/regions?parent=${COMM1}`, s.shequ);
    assert.ok(!back.json.items.some((x) => x.code === COMM1 + '030'), 'grid not created');
    assertProblem(await api(url, 'PATCH', `/api/v1/regions/${GRID1}`, { ...s.wangge, body: { name: 'x' } }), 403);
    assertProblem(
      await api(url, 'POST', `/api/v1/regions/${GRID1}/split`, {
        ...s.wangge,
        body: { into: [{ code: COMM1 + '031', name: 'a' }, { code: COMM1 + '032', name: 'b' }] },
      }),
      403,
    );
  });

  test('the supervisor (dudao) cannot edit regions of its community', async () => {
    assertProblem(
      await api(url, 'PATCH', `/api/v1/regions/${GRID1}`, { ...s.dudao, body: { planned_households: 1 } }),
      403,
    );
  });

  test('shequ creates a grid under its community (201) but not under another community (403)', async () => {
    const ok = await api(url, 'POST', '/api/v1/regions', {
      ...s.shequ,
      body: { code: COMM1 + '007', name: '阳光社区第七网格', parent_code: COMM1, planned_households: 400 },
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.code, COMM1 + '007');
    assert.equal(ok.json.level, 'grid');
    assert.equal(ok.json.parent_code, COMM1);
    assert.equal(ok.json.planned_households, 400);
    const got = await api(url, 'GET', `/api/v1/regions/${COMM1}007`, s.shequ);
    assert.equal(got.status, 200);

    const other = await api(url, 'POST', '/api/v1/regions', {
      ...s.shequ,
      body: { code: '999901001002007', name: '越权网格', parent_code: '999901001002' },
    });
    assertProblem(other, 403);
    const z = await api(url, 'GET', '/api/v1/regions/999901001002007', s.zhihui);
    assertProblem(z, 404, 'not created');
    // nor a community under its street
    assertProblem(
      await api(url, 'POST', '/api/v1/regions', {
        ...s.shequ,
        body: { code: '999901001006', name: '越级社区', parent_code: STREET1 },
      }),
      403,
    );
  });

  test('jiedao creates a community under its street, not under the other street', async () => {
    const ok = await api(url, 'POST', '/api/v1/regions', {
      ...s.jiedao,
      body: { code: '999901001006', name: '新建社区', parent_code: STREET1 },
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.level, 'community');
    assertProblem(
      await api(url, 'POST', '/api/v1/regions', {
        ...s.jiedao,
        body: { code: '999901002006', name: '越权社区', parent_code: '999901002' },
      }),
      403,
    );
  });

  test('only admin creates a district', async () => {
    const z = await api(url, 'POST', '/api/v1/regions', { ...s.zhihui, body: { code: '999902', name: '第二示范区' } });
    assertProblem(z, 403);
    const j = await api(url, 'POST', '/api/v1/regions', { ...s.jiedao, body: { code: '999902', name: '第二示范区' } });
    assertProblem(j, 403);
    const a = await api(url, 'POST', '/api/v1/regions', { ...s.admin, body: { code: '999902', name: '第二示范区' } });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.level, 'district');
    assert.equal(a.json.parent_code, null);
    // zhihui's scope does not grow with it
    assertProblem(await api(url, 'GET', '/api/v1/regions/999902', s.zhihui), [403, 404]);
    const roots = await api(url, 'GET', '/api/v1/regions', s.admin);
    assert.deepEqual(roots.json.items.map((r) => r.code), ['999901', '999902']);
  });
});
