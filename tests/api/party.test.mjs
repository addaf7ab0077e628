// Party building and pairing (党建引领, 结对共建): the organisation tree and its moves,
// membership rules, 党员中心户 coverage, the structure check, the grid service team, pairings
// with the commitment lifecycle, cadres and reception days — on crafted data with known
// answers in a street of its own (999901008), and the scope rules between communities.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser } from './cases-lib.mjs';
import { api, assertProblem, errorFields, signInDemo, startServer } from './harness.mjs';
import {
  idNumber,
  makeBuilding,
  makeHouseholds,
  makeOrg,
  makeTree,
  mustCreate,
  mustGet,
} from './party-lib.mjs';
import { auditEntries, download, idNumber as idNo, parseCsv, phone } from './base-lib.mjs';

const STREET = '999901008';
const UNIT = '区测试局';

/** A date n days from today in Asia/Shanghai, "YYYY-MM-DD". */
function dayFromNow(n) {
  const t = new Date(Date.now() + 8 * 3600_000 + n * 86400_000);
  return t.toISOString().slice(0, 10);
}

describe('party building and pairing', { timeout: 300_000 }, () => {
  let srv, url, admin;
  const u = {}; // signed-in users
  const f = {}; // fixtures: regions, buildings, households, orgs, members
  before(async () => {
    srv = await startServer();
    url = srv.url;
    admin = await signInDemo(url, 'admin');
    const tree = await makeTree(url, admin, {
      street: STREET,
      name: '党建测试街道',
      communities: [{ grids: 3 }, { grids: 1 }],
    });
    f.c1 = tree.communities[0];
    f.c2 = tree.communities[1];
    [f.g1, f.g2, f.g3] = tree.grids[0];
    f.c2g1 = tree.grids[1][0];
    f.b1 = await makeBuilding(url, admin, f.g1, '1号楼');
    f.b2 = await makeBuilding(url, admin, f.g1, '2号楼');
    f.b3 = await makeBuilding(url, admin, f.g2, '1号楼');
    f.b4 = await makeBuilding(url, admin, f.c2g1, '1号楼');
    f.hG1 = await makeHouseholds(url, admin, f.b1, 5, 'A');
    f.hG2 = await makeHouseholds(url, admin, f.b3, 3, 'B');
    f.hC2 = await makeHouseholds(url, admin, f.b4, 2, 'C');
    u.sq1 = await createUser(url, admin, { username: 'pt_sq1', role: 'community', region: f.c1 });
    u.sq2 = await createUser(url, admin, { username: 'pt_sq2', role: 'community', region: f.c2 });
    u.jd = await createUser(url, admin, { username: 'pt_jd', role: 'street', region: STREET });
    u.gj = await createUser(url, admin, { username: 'pt_gj', role: 'cadre', region: f.c1, unit: UNIT });
    u.gjx = await createUser(url, admin, { username: 'pt_gjx', role: 'cadre', region: f.c1, unit: '区其他局' });
    u.wg = await createUser(url, admin, { username: 'pt_wg', role: 'grid_worker', region: f.g1 });
    u.jm1 = await createUser(url, admin, { username: 'pt_jm1', role: 'resident', region: f.g1 });
    u.jm2 = await createUser(url, admin, { username: 'pt_jm2', role: 'resident', region: f.g2 });
    u.jm3 = await createUser(url, admin, { username: 'pt_jm3', role: 'resident', region: f.c2g1 });
  });
  after(async () => {
    await srv?.stop();
  });

  describe('the organisation tree', () => {
    test('the five tiers nest by the rules; each kind at its level', async () => {
      f.wc = await makeOrg(url, admin, { name: '党建测试街道党工委', kind: 'working_committee', region_code: STREET });
      assert.equal(f.wc.kind_name, '党(工)委');
      assert.equal(f.wc.parent_id, null);
      f.co1 = await makeOrg(url, u.jd, { name: '第1社区党委', kind: 'committee', region_code: f.c1, parent_id: f.wc.id });
      assert.equal(f.co1.parent_id, f.wc.id);
      assert.equal(f.co1.region_code, f.c1);
      f.gb1 = await makeOrg(url, u.sq1, { name: '第一网格党支部', kind: 'grid_branch', region_code: f.g1, parent_id: f.co1.id });
      assert.equal(f.gb1.kind_name, '网格党支部');
      f.gb2 = await makeOrg(url, u.sq1, { name: '第二网格党支部', kind: 'grid_branch', region_code: f.g2, parent_id: f.co1.id });
      f.grp1 = await makeOrg(url, u.sq1, {
        name: '1号楼党小组', kind: 'group', region_code: f.g1, parent_id: f.gb1.id, building_id: f.b1,
      });
      assert.equal(f.grp1.building_id, f.b1);
      assert.equal(f.grp1.building_name, '1号楼');
      f.fa = await makeOrg(url, u.sq1, { name: '下沉力量第一支部', kind: 'functional_sinking', region_code: f.c1, parent_id: f.co1.id });
      f.fa2 = await makeOrg(url, u.sq1, { name: '下沉力量第二支部', kind: 'functional_sinking', region_code: f.c1, parent_id: f.co1.id });
      f.fb = await makeOrg(url, u.sq1, { name: '社会力量支部', kind: 'functional_social', region_code: f.c1, parent_id: f.co1.id });
      assert.equal(f.fb.functional, true);
      f.co2 = await makeOrg(url, u.jd, { name: '第2社区党总支', kind: 'general_branch', region_code: f.c2, parent_id: f.wc.id });
      const co1 = await mustGet(url, u.sq1, `/api/v1/party/orgs/${f.co1.id}`);
      assert.equal(co1.child_count, 5);
    });

    test('nesting and level rules refuse with 422 naming the field', async () => {
      const cases = [
        [{ name: 'x', kind: 'grid_branch', region_code: f.c1, parent_id: f.co1.id }, 'region_code'],
        [{ name: 'x', kind: 'grid_branch', region_code: f.g3 }, 'parent_id'],
        [{ name: 'x', kind: 'branch', region_code: f.c1, parent_id: f.gb1.id }, 'parent_id'],
        [{ name: 'x', kind: 'group', region_code: f.g1, parent_id: f.co1.id }, 'parent_id'],
        [{ name: 'x', kind: 'grid_branch', region_code: f.c2g1, parent_id: f.co1.id }, 'region_code'],
        [{ name: 'x', kind: 'functional_social', region_code: f.g1, parent_id: f.co1.id }, 'region_code'],
        [{ name: 'x', kind: 'party_cell', region_code: f.c1 }, 'kind'],
        [{ name: 'x', kind: 'branch', region_code: f.c1, parent_id: 987654321 }, 'parent_id'],
        [{ name: 'x', kind: 'branch', region_code: '999901008099' }, 'region_code'],
        [{ name: 'x', kind: 'group', region_code: f.g1, parent_id: f.gb1.id, building_id: f.b3 }, 'building_id'],
        [{ name: 'x', kind: 'branch', region_code: f.c1, parent_id: f.co1.id, building_id: f.b1 }, 'building_id'],
        [{ name: 'x'.repeat(65), kind: 'branch', region_code: f.c1, parent_id: f.co1.id }, 'name'],
        [{ kind: 'branch', region_code: f.c1, parent_id: f.co1.id }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await api(url, 'POST', '/api/v1/party/orgs', { ...u.jd, body });
        assertProblem(res, 422, JSON.stringify(body));
        assert.ok(errorFields(res).includes(field), `${JSON.stringify(body)} names ${field}: ${res.text}`);
      }
      assertProblem(
        await api(url, 'POST', '/api/v1/party/orgs', { ...u.jd, body: { name: 1, kind: 'branch', region_code: f.c1 } }),
        400,
      );
      assertProblem(await api(url, 'POST', '/api/v1/party/orgs', { ...u.jd, rawBody: '{"name":' }), 400);
    });

    test('a building has one party group', async () => {
      const res = await api(url, 'POST', '/api/v1/party/orgs', {
        ...u.sq1,
        body: { name: '又一个', kind: 'group', region_code: f.g1, parent_id: f.gb1.id, building_id: f.b1 },
      });
      assertProblem(res, 409);
    });

    test('writes outside the caller\'s region → 403; reads outside → 404', async () => {
      assertProblem(
        await api(url, 'POST', '/api/v1/party/orgs', {
          ...u.sq2,
          body: { name: 'x', kind: 'grid_branch', region_code: f.g3, parent_id: f.co1.id },
        }),
        403,
      );
      assertProblem(await api(url, 'POST', '/api/v1/party/orgs', { ...u.wg, body: { name: 'x', kind: 'branch', region_code: f.c1 } }), 403);
      assertProblem(await api(url, 'POST', '/api/v1/party/orgs', { ...u.jm1, body: { name: 'x', kind: 'branch', region_code: f.c1 } }), 403);
      for (const id of [f.co1.id, f.gb1.id, f.fa.id, f.wc.id]) {
        const res = await api(url, 'GET', `/api/v1/party/orgs/${id}`, u.sq2);
        assertProblem(res, 404, `sq2 GET org ${id}`);
        assert.ok(!res.text.includes('第1社区党委'));
      }
      assertProblem(await api(url, 'PATCH', `/api/v1/party/orgs/${f.co1.id}`, { ...u.sq2, body: { name: '改' } }), 404);
      assertProblem(await api(url, 'GET', `/api/v1/party/orgs/${f.co1.id}`, u.jm1), 403);
      // sq1 cannot rename the street's working committee it can see nothing of.
      assertProblem(await api(url, 'PATCH', `/api/v1/party/orgs/${f.wc.id}`, { ...u.sq1, body: { name: '改' } }), 404);
      // The grid worker sees the organisations of its grid only.
      assert.equal((await api(url, 'GET', `/api/v1/party/orgs/${f.gb1.id}`, u.wg)).status, 200);
      assertProblem(await api(url, 'GET', `/api/v1/party/orgs/${f.gb2.id}`, u.wg), 404);
    });

    test('a community lists its own organisations only', async () => {
      const mine = await mustGet(url, u.sq2, '/api/v1/party/orgs?limit=200');
      assert.deepEqual(mine.items.map((o) => o.id), [f.co2.id]);
      assertProblem(await api(url, 'GET', `/api/v1/party/orgs?region=${f.c1}`, u.sq2), 404);
      const c1 = await mustGet(url, u.sq1, '/api/v1/party/orgs?limit=200');
      assert.deepEqual(
        c1.items.map((o) => o.id).sort((a, b) => a - b),
        [f.co1.id, f.gb1.id, f.gb2.id, f.grp1.id, f.fa.id, f.fa2.id, f.fb.id].sort((a, b) => a - b),
      );
      const roots = await mustGet(url, u.sq1, '/api/v1/party/orgs?roots=true');
      assert.deepEqual(roots.items.map((o) => o.id), [f.co1.id]);
      const kids = await mustGet(url, u.sq1, `/api/v1/party/orgs?parent_id=${f.gb1.id}`);
      assert.deepEqual(kids.items.map((o) => o.id), [f.grp1.id]);
      const street = await mustGet(url, u.jd, '/api/v1/party/orgs?roots=true');
      assert.deepEqual(street.items.map((o) => o.id), [f.wc.id]);
      const p1 = await mustGet(url, u.sq1, '/api/v1/party/orgs?limit=3');
      assert.equal(p1.items.length, 3);
      assert.equal(typeof p1.next_cursor, 'string');
      const p2 = await mustGet(url, u.sq1, `/api/v1/party/orgs?limit=3&cursor=${p1.next_cursor}`);
      assert.ok(p2.items.every((o) => o.id > p1.items[2].id));
      assertProblem(await api(url, 'GET', '/api/v1/party/orgs?limit=500', u.sq1), 400);
      assertProblem(await api(url, 'GET', '/api/v1/party/orgs?kind=nope', u.sq1), 400);
    });
  });

  describe('members', () => {
    test('a member links to a user or a resident and joins one primary branch', async () => {
      f.m1 = await mustCreate(url, u.sq1, '/api/v1/party/members', { user_id: u.wg.user.id, org_id: f.gb1.id, joined_on: '2010-07-01' });
      assert.equal(f.m1.name, u.wg.user.display_name);
      assert.equal(f.m1.status, 'full');
      assert.equal(f.m1.status_name, '正式党员');
      assert.equal(f.m1.region_code, f.g1);
      assert.equal(f.m1.history[0].action, 'join');
      const res = await mustCreate(url, admin, '/api/v1/residents', {
        name: '党员甲', id_number: idNumber(7), residency: 'registered', region_code: f.g1, household_id: f.hG1[0],
      });
      f.resident = res;
      f.m2 = await mustCreate(url, u.sq1, '/api/v1/party/members', { resident_id: res.id, org_id: f.gb1.id, status: 'probationary' });
      assert.equal(f.m2.name, '党员甲');
      assert.equal(f.m2.status, 'probationary');
      f.m3 = await mustCreate(url, u.sq1, '/api/v1/party/members', { user_id: u.jm2.user.id, org_id: f.fa2.id });
      f.m4 = await mustCreate(url, u.sq1, '/api/v1/party/members', { user_id: u.jm1.user.id, org_id: f.gb2.id });
      f.m5 = await mustCreate(url, u.sq1, '/api/v1/party/members', { user_id: u.gjx.user.id, org_id: f.gb2.id, transferred_in: true });
      assert.equal(f.m5.history[0].action, 'transfer_in');
    });

    test('membership rules: one link, a branch, no duplicates', async () => {
      let res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { name: '无关联', org_id: f.gb1.id } });
      assertProblem(res, 422);
      assert.ok(errorFields(res).includes('resident_id'));
      // null links count as no link
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { name: '空关联', resident_id: null, user_id: null, org_id: f.gb1.id } });
      assertProblem(res, 422);
      assert.deepEqual(errorFields(res), ['resident_id']);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { name: '错类型', resident_id: 'x', org_id: f.gb1.id } });
      assertProblem(res, 400);
      assert.deepEqual(errorFields(res), ['resident_id']);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { user_id: u.gj.user.id, org_id: f.co1.id } });
      assertProblem(res, 422);
      assert.deepEqual(errorFields(res), ['org_id']);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { user_id: u.gj.user.id, org_id: f.grp1.id } });
      assertProblem(res, 422);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { user_id: 987654, org_id: f.gb1.id } });
      assert.deepEqual(errorFields(res), ['user_id']);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { user_id: u.wg.user.id, org_id: f.gb2.id } });
      assertProblem(res, 409);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { user_id: u.gj.user.id, org_id: f.gb1.id, status: 'transferred_out' } });
      assert.deepEqual(errorFields(res), ['status']);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { user_id: u.gj.user.id, org_id: f.gb1.id, joined_on: '2021-02-30' } });
      assert.deepEqual(errorFields(res), ['joined_on']);
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq1, body: { user_id: u.gj.user.id, org_id: f.gb1.id, group_id: f.fa.id } });
      assert.deepEqual(errorFields(res), ['group_id']);
      // A branch of another community is a target outside sq2's scope: 403 "scope" (API.md).
      res = await api(url, 'POST', '/api/v1/party/members', { ...u.sq2, body: { user_id: u.gj.user.id, org_id: f.gb1.id } });
      assertProblem(res, 403);
      assert.deepEqual(errorFields(res), ['org_id']);
      assert.equal(res.json.errors[0].code, 'scope');
    });

    test('functional branches: any number, only functional ones, once each', async () => {
      let m = await mustCreate(url, u.sq1, `/api/v1/party/members/${f.m1.id}/memberships`, { org_id: f.fa.id });
      m = await mustCreate(url, u.sq1, `/api/v1/party/members/${f.m1.id}/memberships`, { org_id: f.fb.id });
      assert.deepEqual(m.functional.map((x) => x.org_id).sort(), [f.fa.id, f.fb.id].sort());
      await mustCreate(url, u.sq1, `/api/v1/party/members/${f.m2.id}/memberships`, { org_id: f.fa.id });
      await mustCreate(url, u.sq1, `/api/v1/party/members/${f.m5.id}/memberships`, { org_id: f.fa.id });
      assertProblem(await api(url, 'POST', `/api/v1/party/members/${f.m1.id}/memberships`, { ...u.sq1, body: { org_id: f.fa.id } }), 409);
      assertProblem(await api(url, 'POST', `/api/v1/party/members/${f.m3.id}/memberships`, { ...u.sq1, body: { org_id: f.fa2.id } }), 409);
      const res = await api(url, 'POST', `/api/v1/party/members/${f.m1.id}/memberships`, { ...u.sq1, body: { org_id: f.gb2.id } });
      assert.deepEqual(errorFields(res), ['org_id']);
      // A member outside sq2's scope is not found, whatever the body names.
      assertProblem(await api(url, 'POST', `/api/v1/party/members/${f.m1.id}/memberships`, { ...u.sq2, body: { org_id: f.fa.id } }), 404);
      const fa = await mustGet(url, u.sq1, `/api/v1/party/members?org_id=${f.fa.id}`);
      assert.deepEqual(fa.items.map((x) => x.id), [f.m1.id, f.m2.id, f.m5.id]);
      const org = await mustGet(url, u.sq1, `/api/v1/party/orgs/${f.fa.id}`);
      assert.equal(org.member_count, 3);
      // Leave and rejoin, both in the history.
      assert.equal((await api(url, 'DELETE', `/api/v1/party/members/${f.m2.id}/memberships/${f.fa.id}`, u.sq1)).status, 204);
      assertProblem(await api(url, 'DELETE', `/api/v1/party/members/${f.m2.id}/memberships/${f.fa.id}`, u.sq1), 404);
      await mustCreate(url, u.sq1, `/api/v1/party/members/${f.m2.id}/memberships`, { org_id: f.fa.id });
      const m2 = await mustGet(url, u.sq1, `/api/v1/party/members/${f.m2.id}`);
      assert.deepEqual(m2.history.map((h) => h.action), ['join', 'join_functional', 'leave_functional', 'join_functional']);
    });

    test('status: probationary → full, never back; transfers out and in', async () => {
      let res = await api(url, 'PATCH', `/api/v1/party/members/${f.m2.id}`, { ...u.sq1, body: { status: 'full' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.status, 'full');
      res = await api(url, 'PATCH', `/api/v1/party/members/${f.m2.id}`, { ...u.sq1, body: { status: 'probationary' } });
      assertProblem(res, 409);
      assert.equal((await mustGet(url, u.sq1, `/api/v1/party/members/${f.m2.id}`)).status, 'full');
      // m5 transfers out: the functional membership ends with it.
      res = await api(url, 'PATCH', `/api/v1/party/members/${f.m5.id}`, { ...u.sq1, body: { status: 'transferred_out' } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.functional, []);
      assert.equal(res.json.history.at(-1).action, 'transfer_out');
      assertProblem(await api(url, 'POST', `/api/v1/party/members/${f.m5.id}/memberships`, { ...u.sq1, body: { org_id: f.fa.id } }), 409);
      const org = await mustGet(url, u.sq1, `/api/v1/party/orgs/${f.fa.id}`);
      assert.equal(org.member_count, 2);
      const out = await mustGet(url, u.sq1, `/api/v1/party/members?status=transferred_out`);
      assert.deepEqual(out.items.map((x) => x.id), [f.m5.id]);
      // A branch with members or children cannot be dissolved.
      assertProblem(await api(url, 'PATCH', `/api/v1/party/orgs/${f.gb1.id}`, { ...u.sq1, body: { status: 'dissolved' } }), 409);
      assertProblem(await api(url, 'PATCH', `/api/v1/party/orgs/${f.co1.id}`, { ...u.jd, body: { status: 'dissolved' } }), 409);
    });

    test('members outside the scope are not found', async () => {
      assertProblem(await api(url, 'GET', `/api/v1/party/members/${f.m1.id}`, u.sq2), 404);
      const list = await mustGet(url, u.sq2, '/api/v1/party/members');
      assert.deepEqual(list.items, []);
      assertProblem(await api(url, 'PATCH', `/api/v1/party/members/${f.m1.id}`, { ...u.sq2, body: { name: 'x' } }), 404);
      assertProblem(await api(url, 'PATCH', `/api/v1/party/members/${f.m1.id}`, { ...u.wg, body: { name: 'x' } }), 403);
    });
  });

  describe('moves keep members and history', () => {
    test('a functional branch moves to another community with its members', async () => {
      const fx = await makeOrg(url, u.sq1, { name: '临时功能支部', kind: 'functional_social', region_code: f.c1, parent_id: f.co1.id });
      const grp = await makeOrg(url, u.sq1, { name: '临时小组', kind: 'group', region_code: f.c1, parent_id: fx.id });
      const m = await mustCreate(url, u.sq1, '/api/v1/party/members', { user_id: u.sq2.user.id, org_id: fx.id, group_id: grp.id });
      // sq1 cannot move it into c2 (not its region); the street can.
      assertProblem(await api(url, 'POST', `/api/v1/party/orgs/${fx.id}/move`, { ...u.sq1, body: { parent_id: f.co2.id, region_code: f.c2 } }), [403, 422]);
      const res = await api(url, 'POST', `/api/v1/party/orgs/${fx.id}/move`, { ...u.jd, body: { parent_id: f.co2.id, region_code: f.c2 } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.parent_id, f.co2.id);
      assert.equal(res.json.region_code, f.c2);
      assert.equal(res.json.member_count, 1);
      const g = await mustGet(url, u.sq2, `/api/v1/party/orgs/${grp.id}`);
      assert.equal(g.region_code, f.c2, 'the group anchored with it moved along');
      const mm = await mustGet(url, u.sq2, `/api/v1/party/members/${m.id}`);
      assert.equal(mm.org_id, fx.id);
      assert.equal(mm.region_code, f.c2);
      assert.equal(mm.group_id, grp.id);
      assertProblem(await api(url, 'GET', `/api/v1/party/members/${m.id}`, u.sq1), 404);
      const hist = await mustGet(url, u.sq2, `/api/v1/party/orgs/${fx.id}/history`);
      assert.deepEqual(hist.items.map((h) => h.action), ['create', 'move']);
      const mv = hist.items[1];
      assert.equal(mv.from_parent_id, f.co1.id);
      assert.equal(mv.to_parent_id, f.co2.id);
      assert.equal(mv.from_region, f.c1);
      assert.equal(mv.to_region, f.c2);
      f.fx = fx;
      f.mx = m;
    });

    test('moves that break the rules change nothing', async () => {
      const before = await mustGet(url, u.jd, `/api/v1/party/orgs/${f.co1.id}`);
      let res = await api(url, 'POST', `/api/v1/party/orgs/${f.co1.id}/move`, { ...u.jd, body: { parent_id: f.gb1.id } });
      assertProblem(res, 422);
      assert.deepEqual(errorFields(res), ['parent_id']);
      res = await api(url, 'POST', `/api/v1/party/orgs/${f.co1.id}/move`, { ...u.jd, body: { parent_id: f.co1.id } });
      assert.deepEqual(errorFields(res), ['parent_id']);
      res = await api(url, 'POST', `/api/v1/party/orgs/${f.gb2.id}/move`, { ...u.jd, body: { parent_id: f.co2.id } });
      assert.deepEqual(errorFields(res), ['region_code'], 'a grid of c1 is not under c2');
      res = await api(url, 'POST', `/api/v1/party/orgs/${f.co1.id}/move`, { ...u.jd, body: { parent_id: f.wc.id, region_code: f.c2 } });
      assert.deepEqual(errorFields(res), ['region_code'], 'its grid branches would be stranded');
      res = await api(url, 'POST', `/api/v1/party/orgs/${f.grp1.id}/move`, { ...u.jd, body: { parent_id: f.gb2.id, region_code: f.g2 } });
      assert.deepEqual(errorFields(res), ['region_code'], 'a building group stays in its grid');
      res = await api(url, 'POST', `/api/v1/party/orgs/${f.co1.id}/move`, { ...u.jd, body: {} });
      assert.deepEqual(errorFields(res), ['parent_id']);
      const after = await mustGet(url, u.jd, `/api/v1/party/orgs/${f.co1.id}`);
      assert.deepEqual(after, before);
      const hist = await mustGet(url, u.jd, `/api/v1/party/orgs/${f.co1.id}/history`);
      assert.deepEqual(hist.items.map((h) => h.action), ['create']);
    });

    test('a group moves to another branch in the same grid', async () => {
      const g = await makeOrg(url, u.sq1, { name: '宅上党小组', kind: 'group', region_code: f.g2, parent_id: f.gb2.id });
      let res = await api(url, 'POST', `/api/v1/party/orgs/${g.id}/move`, { ...u.sq1, body: { parent_id: f.gb1.id } });
      assert.deepEqual(errorFields(res), ['region_code'], 'grid 2 is not under grid 1');
      res = await api(url, 'POST', `/api/v1/party/orgs/${g.id}/move`, { ...u.sq1, body: { parent_id: f.gb1.id, region_code: f.g1 } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.region_code, f.g1);
      res = await api(url, 'POST', `/api/v1/party/orgs/${g.id}/move`, { ...u.sq1, body: { parent_id: f.gb2.id, region_code: f.g2 } });
      assert.equal(res.status, 200, res.text);
      const hist = await mustGet(url, u.sq1, `/api/v1/party/orgs/${g.id}/history`);
      assert.deepEqual(hist.items.map((h) => h.action), ['create', 'move', 'move']);
      const dissolved = await api(url, 'PATCH', `/api/v1/party/orgs/${g.id}`, { ...u.sq1, body: { status: 'dissolved' } });
      assert.equal(dissolved.status, 200, dissolved.text);
      assert.equal(dissolved.json.status, 'dissolved');
      const list = await mustGet(url, u.sq1, `/api/v1/party/orgs?parent_id=${f.gb2.id}`);
      assert.ok(!list.items.some((o) => o.id === g.id), 'dissolved organisations are left out of lists');
    });
  });

  describe('党员中心户 and coverage', () => {
    test('a center household liaises with neighbours of its community', async () => {
      const c = await mustCreate(url, u.sq1, '/api/v1/party/center-households', {
        member_id: f.m1.id, household_id: f.hG1[0], org_id: f.grp1.id, households: [f.hG1[1], f.hG1[2], f.hG2[0]],
      });
      assert.equal(c.household_count, 3);
      assert.deepEqual(c.households.map((h) => h.id), [f.hG1[1], f.hG1[2], f.hG2[0]]);
      f.center = c;
      let res = await api(url, 'POST', '/api/v1/party/center-households', { ...u.sq1, body: { member_id: f.m1.id, household_id: f.hG1[3] } });
      assertProblem(res, 409, 'one center per member');
      res = await api(url, 'POST', '/api/v1/party/center-households', { ...u.sq1, body: { member_id: f.m4.id, household_id: f.hG1[0] } });
      assertProblem(res, 409, 'one center per household');
      res = await api(url, 'POST', '/api/v1/party/center-households', { ...u.sq1, body: { member_id: f.m4.id, household_id: f.hG2[1], households: [f.hC2[0]] } });
      assert.deepEqual(errorFields(res), ['households[0]']);
      res = await api(url, 'POST', '/api/v1/party/center-households', { ...u.sq1, body: { member_id: f.m4.id, household_id: f.hG2[1], households: [f.hG1[1]] } });
      assertProblem(res, 409, 'a household liaises with one center');
      res = await api(url, 'POST', '/api/v1/party/center-households', { ...u.sq1, body: { member_id: f.m4.id } });
      assert.deepEqual(errorFields(res), ['household_id']);
      res = await api(url, 'POST', `/api/v1/party/center-households/${c.id}/households`, { ...u.sq1, body: { household_id: f.hG1[0] } });
      assert.deepEqual(errorFields(res), ['household_id'], 'not its own household');
      res = await api(url, 'POST', `/api/v1/party/center-households/${c.id}/households`, { ...u.sq1, body: { household_id: 987654 } });
      assert.deepEqual(errorFields(res), ['household_id']);
      assertProblem(await api(url, 'GET', `/api/v1/party/center-households/${c.id}`, u.sq2), 404);
      // The resident member's center household defaults to the resident's household.
      const d = await mustCreate(url, u.sq1, '/api/v1/party/center-households', { member_id: f.m2.id, household_id: f.hG1[4] });
      assert.equal((await api(url, 'DELETE', `/api/v1/party/center-households/${d.id}`, u.sq1)).status, 204);
    });

    test('coverage report: households covered / total per child region', async () => {
      const cov = await mustGet(url, u.sq1, `/api/v1/party/center-households/coverage?region=${f.c1}`);
      assert.deepEqual(cov.totals, { households: 8, covered: 4, center_households: 1, rate: 0.5 });
      assert.deepEqual(
        cov.items.map((i) => [i.region_code, i.households, i.covered, i.center_households, i.rate]),
        [
          [f.g1, 5, 3, 1, 0.6],
          [f.g2, 3, 1, 0, 0.3333],
          [f.g3, 0, 0, 0, null],
        ],
      );
      const st = await mustGet(url, u.jd, `/api/v1/party/center-households/coverage?region=${STREET}`);
      assert.deepEqual(st.totals, { households: 10, covered: 4, center_households: 1, rate: 0.4 });
      assert.deepEqual(st.items.map((i) => [i.region_code, i.households, i.covered]), [[f.c1, 8, 4], [f.c2, 2, 0]]);
      // Unlinking a household lowers the coverage.
      assert.equal((await api(url, 'DELETE', `/api/v1/party/center-households/${f.center.id}/households/${f.hG2[0]}`, u.sq1)).status, 204);
      const g2 = await mustGet(url, u.sq1, `/api/v1/party/center-households/coverage?region=${f.g2}`);
      assert.deepEqual(g2.totals, { households: 3, covered: 0, center_households: 0, rate: 0 });
      assertProblem(await api(url, 'GET', `/api/v1/party/center-households/coverage?region=${f.c1}`, u.sq2), 404);
      assertProblem(await api(url, 'GET', '/api/v1/party/center-households/coverage?region=12', u.sq1), 400);
    });
  });

  describe('the member roster export (党员花名册)', () => {
    const ROSTER = ['姓名', '性别', '所属党组织', '组织类型', '党小组', '所在区划', '区划代码', '党员状态', '入党日期', '转入', '功能型党支部', '党员中心户', '备注'];
    const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    /** The CSV export as {header, rows by name}; the body must start with a UTF-8 BOM. */
    async function roster(auth, query = '') {
      const res = await download(url, auth, `/api/v1/party/members/export${query}`);
      assert.equal(res.status, 200, res.buf.toString());
      assert.match(res.headers.get('content-type'), /^text\/csv/);
      assert.match(res.headers.get('content-disposition'), /attachment; filename="party-members\.csv"/);
      assert.deepEqual([...res.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const text = res.buf.toString('utf8');
      const [header, ...rows] = parseCsv(text);
      const byName = new Map(rows.map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
      assert.equal(byName.size, rows.length, 'one row per member');
      return { header, rows, byName, text };
    }

    test('every member in scope with a Chinese header; no ID numbers or phones', async () => {
      const r = await roster(u.sq1);
      assert.deepEqual(r.header, ROSTER);
      const names = [f.m1, f.m2, f.m3, f.m4, f.m5].map((m) => m.name);
      assert.deepEqual([...r.byName.keys()].sort(), [...names].sort(), 'c1 members, transferred out included');
      const m1 = r.byName.get(f.m1.name);
      assert.deepEqual(
        [m1['性别'], m1['所属党组织'], m1['组织类型'], m1['区划代码'], m1['党员状态'], m1['入党日期'], m1['转入']],
        ['', '第一网格党支部', '网格党支部', f.g1, '正式党员', '2010-07-01', '否'],
      );
      assert.ok(m1['所在区划'], 'region name');
      assert.equal(m1['功能型党支部'], '下沉力量第一支部、社会力量支部');
      assert.equal(m1['党员中心户'], '是');
      const m2 = r.byName.get('党员甲');
      assert.equal(m2['性别'], f.resident.gender === 'male' ? '男' : '女');
      assert.equal(m2['功能型党支部'], '下沉力量第一支部');
      assert.equal(m2['党员中心户'], '否', 'its center was ended');
      const m5 = r.byName.get(f.m5.name);
      assert.deepEqual([m5['党员状态'], m5['转入'], m5['功能型党支部']], ['已转出', '是', '']);
      assert.equal(r.byName.get(f.m3.name)['组织类型'], '功能型党支部（下沉力量）');
      assert.ok(!r.text.includes(idNumber(7)), 'no ID number');
      assert.ok(!r.header.some((h) => /身份证|电话|手机/.test(h)));
      // the list's filters: an organisation's members, a status
      const fa = await roster(u.sq1, `?org_id=${f.fa.id}`);
      assert.deepEqual([...fa.byName.keys()].sort(), [f.m1.name, '党员甲'].sort());
      const out = await roster(u.sq1, '?status=transferred_out');
      assert.deepEqual([...out.byName.keys()], [f.m5.name]);
    });

    test('a community sees only its own members; the street sees both', async () => {
      const r2 = await roster(u.sq2);
      assert.deepEqual([...r2.byName.keys()], [f.mx.name]);
      assert.equal(r2.byName.get(f.mx.name)['区划代码'], f.c2);
      assertProblem(await api(url, 'GET', `/api/v1/party/members/export?region=${f.c1}`, u.sq2), [403, 404]);
      assertProblem(await api(url, 'GET', `/api/v1/party/members/export?org_id=${f.gb1.id}`, u.sq2), 404);
      const st = await roster(u.jd, `?region=${STREET}`);
      assert.ok(st.byName.has(f.m1.name) && st.byName.has(f.mx.name));
      assertProblem(await api(url, 'GET', '/api/v1/party/members/export', u.jm1), 403);
    });

    test('XLSX, a bad format, and the audit entry', async () => {
      const x = await download(url, u.sq1, '/api/v1/party/members/export?format=xlsx');
      assert.equal(x.status, 200);
      assert.equal(x.headers.get('content-type'), XLSX_TYPE);
      assert.equal(x.buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
      assertProblem(await api(url, 'GET', '/api/v1/party/members/export?format=pdf', u.sq1), 400);
      const before = (await auditEntries(url, admin)).filter((e) => e.action === 'party_member.export').length;
      await roster(u.sq1, `?region=${f.c1}`);
      const entries = (await auditEntries(url, admin)).filter((e) => e.action === 'party_member.export');
      assert.equal(entries.length, before + 1);
      assert.equal(entries[0].username, 'pt_sq1');
      assert.equal(entries[0].object, `region:${f.c1}`);
      assert.match(entries[0].detail || '', /rows=5 format=csv/);
      const xe = entries.find((e) => /format=xlsx/.test(e.detail || ''));
      assert.ok(xe, 'the XLSX export is audited too');
    });
  });

  describe('the structure check', () => {
    test('five tiers per community, gaps and functional counts with known answers', async () => {
      const s = await mustGet(url, u.jd, `/api/v1/party/structure?region=${STREET}`);
      const [c1, c2] = s.communities;
      assert.equal(c1.code, f.c1);
      assert.equal(c1.street_org.id, f.wc.id);
      assert.equal(c1.community_org.id, f.co1.id);
      assert.equal(c1.grids, 3);
      assert.equal(c1.grids_with_branch, 2);
      assert.deepEqual(c1.grids_without_branch.map((g) => g.code), [f.g3]);
      assert.equal(c1.buildings, 3);
      assert.equal(c1.buildings_with_group, 1);
      assert.deepEqual(c1.buildings_without_group.map((b) => b.id), [f.b2, f.b3]);
      assert.equal(c1.center_households, 1);
      assert.deepEqual(c1.missing_tiers, []);
      assert.equal(c1.complete, false);
      assert.deepEqual(c1.tiers.map((t) => [t.tier, t.present]), [
        ['street_committee', true],
        ['community_org', true],
        ['grid_branch', true],
        ['building_group', true],
        ['center_household', true],
      ]);
      assert.equal(c2.code, f.c2);
      assert.equal(c2.community_org.id, f.co2.id);
      assert.deepEqual(c2.missing_tiers, ['grid_branch', 'building_group', 'center_household']);
      assert.deepEqual(c2.grids_without_branch.map((g) => g.code), [f.c2g1]);
      assert.deepEqual(s.summary, {
        communities: 2,
        communities_complete: 0,
        grids: 4,
        grids_without_branch: 2,
        buildings: 4,
        buildings_without_group: 3,
        center_households: 1,
        functional_branches: 4,
        functional_members: 4,
      });
      // c1: two 下沉力量 and one 社会力量 branch with m1, m2 (fa), m3 (fa2) — m5 left; c2: the
      // moved 社会力量 branch with its one member.
      assert.deepEqual(
        s.functional.items.map((i) => [i.region_code, i.sinking_branches, i.social_branches, i.members]),
        [
          [f.c1, 2, 1, 3],
          [f.c2, 0, 1, 1],
        ],
      );
      assert.deepEqual(s.functional.totals, { sinking_branches: 2, social_branches: 2, branches: 4, members: 4 });
      const one = await mustGet(url, u.sq2, '/api/v1/party/structure');
      assert.deepEqual(one.communities.map((c) => c.code), [f.c2]);
      assertProblem(await api(url, 'GET', `/api/v1/party/structure?region=${STREET}`, u.sq2), 404);
      assertProblem(await api(url, 'GET', `/api/v1/party/structure?region=${f.g1}`, u.sq1), 400);
    });

    test('the demo district has the seeds\' proportions', async () => {
      const zh = await signInDemo(url, 'zhihui');
      const s = await mustGet(url, zh, '/api/v1/party/structure?region=999901');
      const demo = s.communities.filter((c) => !c.code.startsWith(STREET));
      assert.equal(demo.length, 10);
      assert.ok(demo.every((c) => c.street_org && c.community_org), 'every demo community has its chain');
      assert.ok(s.functional.totals.branches >= 30, `functional branches ${s.functional.totals.branches}`);
      assert.ok(s.functional.totals.members >= 300, `functional members ${s.functional.totals.members}`);
    });
  });

  describe('the grid service team', () => {
    test('gaps: grids without a worker, buildings without a leader', async () => {
      const add = (body) => mustCreate(url, u.sq1, '/api/v1/grid-teams', body);
      await add({ region_code: f.g1, role: 'supervisor', name: '督导员甲' });
      await add({ region_code: f.g2, role: 'supervisor', name: '督导员甲' });
      await add({ region_code: f.g1, role: 'grid_leader', user_id: u.wg.user.id });
      const w1 = await add({ region_code: f.g1, role: 'grid_worker', user_id: u.wg.user.id, full_time: true });
      assert.equal(w1.role_name, '网格员');
      await add({ region_code: f.g2, role: 'grid_worker', name: '网格员乙' });
      await add({ region_code: f.g1, role: 'building_leader', name: '楼栋长甲', building_id: f.b1 });
      let res = await api(url, 'POST', '/api/v1/grid-teams', { ...u.sq1, body: { region_code: f.g1, role: 'building_leader', name: 'x', building_id: f.b3 } });
      assert.deepEqual(errorFields(res), ['building_id']);
      res = await api(url, 'POST', '/api/v1/grid-teams', { ...u.sq1, body: { region_code: f.g1, role: 'building_leader', name: 'x' } });
      assert.deepEqual(errorFields(res), ['building_id']);
      res = await api(url, 'POST', '/api/v1/grid-teams', { ...u.sq1, body: { region_code: f.c1, role: 'grid_worker', name: 'x' } });
      assert.deepEqual(errorFields(res), ['region_code']);
      res = await api(url, 'POST', '/api/v1/grid-teams', { ...u.sq1, body: { region_code: f.g1, role: 'captain', name: 'x' } });
      assert.deepEqual(errorFields(res), ['role']);
      assertProblem(await api(url, 'POST', '/api/v1/grid-teams', { ...u.sq2, body: { region_code: f.g1, role: 'grid_worker', name: 'x' } }), 403);
      // A worker who leaves opens a gap.
      const temp = await add({ region_code: f.g3, role: 'grid_worker', name: '临时网格员' });
      assert.equal((await api(url, 'DELETE', `/api/v1/grid-teams/${temp.id}`, u.sq1)).status, 204);
      assertProblem(await api(url, 'DELETE', `/api/v1/grid-teams/${temp.id}`, u.sq1), 404);
      // A cadre assigned as the building leader of 2号楼 (see the cadre test) is counted later.
      const t = await mustGet(url, u.sq1, `/api/v1/grid-teams?region=${f.c1}`);
      assert.deepEqual(t.summary, {
        grids: 3,
        grids_without_supervisor: 1,
        grids_without_grid_leader: 2,
        grids_without_grid_worker: 1,
        buildings: 3,
        buildings_without_leader: 2,
        members: 6,
      });
      assert.deepEqual(t.gaps.grids_without_grid_worker.map((g) => g.code), [f.g3]);
      assert.deepEqual(t.gaps.grids_without_grid_leader.map((g) => g.code), [f.g2, f.g3]);
      assert.deepEqual(t.gaps.buildings_without_leader.map((b) => b.id), [f.b2, f.b3]);
      const g1 = t.items.find((g) => g.code === f.g1);
      assert.deepEqual(g1.gaps, ['building_leader']);
      assert.equal(g1.grid_workers[0].full_time, true);
      assert.deepEqual(t.items.find((g) => g.code === f.g3).gaps, ['supervisor', 'grid_leader', 'grid_worker']);
      assertProblem(await api(url, 'GET', `/api/v1/grid-teams?region=${f.c1}`, u.sq2), 404);
    });
  });

  describe('cadres, 三官一律 and reception days', () => {
    test('a cadre as building leader fills the building gap', async () => {
      f.cadre = await mustCreate(url, u.sq1, '/api/v1/cadres', {
        user_id: u.gj.user.id, kind: 'sinking', region_code: f.c1, building_id: f.b2, started_on: '2026-01-01',
      });
      assert.equal(f.cadre.unit, UNIT);
      assert.equal(f.cadre.assignment, 'building_leader');
      const t = await mustGet(url, u.sq1, `/api/v1/grid-teams?region=${f.c1}`);
      assert.deepEqual(t.gaps.buildings_without_leader.map((b) => b.id), [f.b3]);
      assert.equal(t.items.find((g) => g.code === f.g1).building_leaders.length, 2);
      // Reassigned to the community as a whole, the building is uncovered again.
      const res = await api(url, 'PATCH', `/api/v1/cadres/${f.cadre.id}`, { ...u.sq1, body: { building_id: null } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.assignment, 'community');
      const t2 = await mustGet(url, u.sq1, `/api/v1/grid-teams?region=${f.c1}`);
      assert.deepEqual(t2.gaps.buildings_without_leader.map((b) => b.id), [f.b2, f.b3]);
      const bad = await api(url, 'POST', '/api/v1/cadres', { ...u.sq1, body: { name: 'x', kind: 'sinking', region_code: f.c1, building_id: f.b4 } });
      assert.deepEqual(errorFields(bad), ['building_id']);
      const bad2 = await api(url, 'POST', '/api/v1/cadres', { ...u.sq1, body: { name: 'x', kind: 'sinking', region_code: f.g1 } });
      assert.deepEqual(errorFields(bad2), ['region_code']);
    });

    test('三官一律 roster and one legal adviser per village', async () => {
      await mustCreate(url, u.sq1, '/api/v1/cadres', { name: '王律师', kind: 'lawyer', unit: '某律师事务所', region_code: f.c1, legal_adviser: true });
      await mustCreate(url, u.sq1, '/api/v1/cadres', { name: '李法官', kind: 'judge', unit: '区人民法院', region_code: f.c1 });
      await mustCreate(url, u.sq2, '/api/v1/cadres', { name: '赵警官', kind: 'police', unit: '派出所', region_code: f.c2 });
      const bad = await api(url, 'POST', '/api/v1/cadres', { ...u.sq1, body: { name: '钱法官', kind: 'judge', region_code: f.c1, legal_adviser: true } });
      assert.deepEqual(errorFields(bad), ['legal_adviser']);
      const cov = await mustGet(url, u.jd, `/api/v1/cadres/coverage?region=${STREET}`);
      assert.deepEqual(cov.summary, { communities: 2, with_legal_adviser: 1, legal_adviser_rate: 0.5, cadres: 4, legal: 3 });
      assert.deepEqual(cov.without_legal_adviser.map((c) => c.region_code), [f.c2]);
      const c1 = cov.items.find((i) => i.region_code === f.c1);
      assert.deepEqual([c1.judges, c1.lawyers, c1.legal_advisers, c1.has_legal_adviser], [1, 1, 1, true]);
      const legal = await mustGet(url, u.sq1, '/api/v1/cadres?legal=true');
      assert.deepEqual(legal.items.map((c) => c.kind).sort(), ['judge', 'lawyer']);
      const all2 = await mustGet(url, u.sq2, '/api/v1/cadres');
      assert.deepEqual(all2.items.map((c) => c.name), ['赵警官']);
    });

    test('a cadre publishes a reception day; residents of the community book it', async () => {
      const on = dayFromNow(5);
      const day = await mustCreate(url, u.gj, '/api/v1/reception-days', {
        cadre_id: f.cadre.id, held_on: on, starts: '09:00', ends: '11:00', place: '社区党群服务中心', topic: '住房政策',
        slots: [
          { starts: '09:00', ends: '10:00', capacity: 1 },
          { starts: '10:00', ends: '11:00', capacity: 2 },
        ],
      });
      const [s1, s2] = day.slots;
      assert.equal(s1.capacity, 1);
      let res0;
      // Another unit's cadre may not publish for this cadre: a target outside its scope, 403 "scope".
      res0 = await api(url, 'POST', '/api/v1/reception-days', { ...u.gjx, body: { cadre_id: f.cadre.id, held_on: on, starts: '09:00', ends: '11:00', place: 'x' } });
      assertProblem(res0, 403);
      assert.deepEqual(errorFields(res0), ['cadre_id']);
      assert.equal(res0.json.errors[0].code, 'scope');
      let res = await api(url, 'POST', '/api/v1/reception-days', { ...u.gj, body: { cadre_id: f.cadre.id, held_on: on, starts: '11:00', ends: '09:00', place: 'x' } });
      assert.deepEqual(errorFields(res), ['ends']);
      res = await api(url, 'POST', '/api/v1/reception-days', { ...u.gj, body: { cadre_id: f.cadre.id, held_on: on, starts: '09:00', ends: '10:00', place: 'x', slots: [{ starts: '09:30', ends: '10:30', capacity: 1 }] } });
      assert.deepEqual(errorFields(res), ['slots[0]']);
      // Residents of the community see it; a resident elsewhere does not.
      const seen = await mustGet(url, u.jm1, '/api/v1/reception-days');
      assert.ok(seen.items.some((d) => d.id === day.id));
      assert.ok(!('bookings' in seen.items.find((d) => d.id === day.id)));
      assert.ok(!(await mustGet(url, u.jm3, '/api/v1/reception-days')).items.some((d) => d.id === day.id));
      assertProblem(await api(url, 'GET', `/api/v1/reception-days/${day.id}`, u.jm3), 404);
      assertProblem(await api(url, 'POST', `/api/v1/reception-days/${day.id}/bookings`, { ...u.jm3, body: { slot_id: s1.id } }), 404);
      // Capacity and one booking per resident per day.
      const b1 = await mustCreate(url, u.jm1, `/api/v1/reception-days/${day.id}/bookings`, { slot_id: s1.id, topic: '咨询公租房' });
      assert.equal(b1.status, 'booked');
      assertProblem(await api(url, 'POST', `/api/v1/reception-days/${day.id}/bookings`, { ...u.jm1, body: { slot_id: s2.id } }), 409);
      assertProblem(await api(url, 'POST', `/api/v1/reception-days/${day.id}/bookings`, { ...u.jm2, body: { slot_id: s1.id } }), 409);
      res = await api(url, 'POST', `/api/v1/reception-days/${day.id}/bookings`, { ...u.jm2, body: { slot_id: 987654 } });
      assert.deepEqual(errorFields(res), ['slot_id']);
      await mustCreate(url, u.jm2, `/api/v1/reception-days/${day.id}/bookings`, { slot_id: s2.id });
      assertProblem(await api(url, 'POST', `/api/v1/reception-days/${day.id}/bookings`, { ...u.sq1, body: { slot_id: s2.id } }), 403);
      const staff = await mustGet(url, u.gj, `/api/v1/reception-days/${day.id}`);
      assert.deepEqual(staff.slots.map((s) => [s.booked, s.available]), [[1, 0], [1, 1]]);
      assert.equal(staff.bookings.length, 2);
      // Another cadre of the community sees the day, not who booked it.
      const other = await mustGet(url, u.gjx, `/api/v1/reception-days/${day.id}`);
      assert.ok(!('bookings' in other), 'another unit\'s cadre does not see the bookings');
      assert.equal((await mustGet(url, u.sq1, `/api/v1/reception-days/${day.id}`)).bookings.length, 2);
      const mine = await mustGet(url, u.jm1, `/api/v1/reception-days/${day.id}`);
      assert.equal(mine.my_booking.id, b1.id);
      assert.ok(!('bookings' in mine));
      // Cancelling frees the place; someone else's booking is not found.
      assertProblem(await api(url, 'POST', `/api/v1/reception-bookings/${b1.id}/cancel`, u.jm2), 404);
      res = await api(url, 'POST', `/api/v1/reception-bookings/${b1.id}/cancel`, u.jm1);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.status, 'cancelled');
      await mustCreate(url, u.jm1, `/api/v1/reception-days/${day.id}/bookings`, { slot_id: s1.id });
      const my = await mustGet(url, u.jm1, '/api/v1/reception-bookings');
      assert.deepEqual(my.items.map((b) => b.status), ['booked', 'cancelled']);
      // Cancelling the day hides it from residents.
      res = await api(url, 'POST', `/api/v1/reception-days/${day.id}/cancel`, u.gj);
      assert.equal(res.status, 200, res.text);
      assertProblem(await api(url, 'GET', `/api/v1/reception-days/${day.id}`, u.jm1), 404);
      assertProblem(await api(url, 'POST', `/api/v1/reception-days/${day.id}/cancel`, u.gj), 409);
    });

    test('hours served: service entries and reception days held', async () => {
      const past = await mustCreate(url, u.sq1, '/api/v1/reception-days', {
        cadre_id: f.cadre.id, held_on: dayFromNow(-3), starts: '14:00', ends: '16:30', place: '社区',
      });
      assert.equal(past.slots.length, 1);
      assertProblem(await api(url, 'POST', `/api/v1/reception-days/${past.id}/bookings`, { ...u.jm1, body: { slot_id: past.slots[0].id } }), 409);
      const c = await mustCreate(url, u.gj, `/api/v1/cadres/${f.cadre.id}/service`, { served_on: dayFromNow(-1), hours: 1.5, what: '入户走访' });
      assert.equal(c.hours_served, 4);
      const res = await api(url, 'POST', `/api/v1/cadres/${f.cadre.id}/service`, { ...u.gj, body: { served_on: dayFromNow(-1), hours: 30, what: 'x' } });
      assert.deepEqual(errorFields(res), ['hours']);
      // Someone else's cadre record is not found (a cadre sees their own records only).
      assertProblem(await api(url, 'POST', `/api/v1/cadres/${f.cadre.id}/service`, { ...u.gjx, body: { served_on: dayFromNow(-1), hours: 1, what: 'x' } }), 404);
      assertProblem(await api(url, 'GET', `/api/v1/cadres/${f.cadre.id}`, u.gjx), 404);
      assert.equal((await api(url, 'GET', `/api/v1/cadres/${f.cadre.id}`, u.gj)).status, 200);
      const mine = await mustGet(url, u.gj, '/api/v1/cadres?mine=true');
      assert.deepEqual(mine.items.map((x) => x.id), [f.cadre.id]);
    });
  });

  describe('pairing (结对共建) and the commitment lifecycle', () => {
    test('a county unit\'s organisation pairs with a community organisation', async () => {
      f.unitOrg = await makeOrg(url, admin, { name: '区测试局机关党支部', kind: 'branch', region_code: '999901', unit: UNIT });
      let res = await api(url, 'POST', '/api/v1/pairings', { ...u.sq1, body: { unit_org_id: f.gb1.id, community_org_id: f.co1.id, signed_on: '2026-03-01' } });
      assert.deepEqual(errorFields(res), ['unit_org_id'], 'the unit side names a unit');
      res = await api(url, 'POST', '/api/v1/pairings', { ...u.sq1, body: { unit_org_id: f.unitOrg.id, community_org_id: f.gb1.id, signed_on: '2026-03-01' } });
      assert.deepEqual(errorFields(res), ['community_org_id']);
      res = await api(url, 'POST', '/api/v1/pairings', { ...u.sq1, body: { unit_org_id: f.unitOrg.id, community_org_id: f.co1.id, signed_on: '2026-03-01', ends_on: '2025-01-01' } });
      assert.deepEqual(errorFields(res), ['ends_on']);
      assertProblem(await api(url, 'POST', '/api/v1/pairings', { ...u.gj, body: { unit_org_id: f.unitOrg.id, community_org_id: f.co1.id, signed_on: '2026-03-01' } }), 403);
      f.pairing = await mustCreate(url, u.sq1, '/api/v1/pairings', { unit_org_id: f.unitOrg.id, community_org_id: f.co1.id, signed_on: '2026-03-01' });
      assert.equal(f.pairing.unit, UNIT);
      assert.equal(f.pairing.region_code, f.c1);
      assert.deepEqual(f.pairing.my_sides, ['community']);
      assertProblem(await api(url, 'POST', '/api/v1/pairings', { ...u.sq1, body: { unit_org_id: f.unitOrg.id, community_org_id: f.co1.id, signed_on: '2026-03-02' } }), 409);
      // The unit's cadre sees its own unit's organisation and the pairing.
      assert.equal((await api(url, 'GET', `/api/v1/party/orgs/${f.unitOrg.id}`, u.gj)).status, 200);
      const p = await mustGet(url, u.gj, `/api/v1/pairings/${f.pairing.id}`);
      assert.deepEqual(p.my_sides, ['unit']);
    });

    test('commitments: the unit records and completes, the community verifies and closes', async () => {
      const pid = f.pairing.id;
      assertProblem(await api(url, 'POST', `/api/v1/pairings/${pid}/commitments`, { ...u.sq1, body: { problem: 'x', responsible: 'x', deadline: '2026-12-31' } }), 403);
      // Another unit's cadre does not see the pairing at all.
      assertProblem(await api(url, 'POST', `/api/v1/pairings/${pid}/commitments`, { ...u.gjx, body: { problem: 'x', responsible: 'x', deadline: '2026-12-31' } }), 404);
      let res = await api(url, 'POST', `/api/v1/pairings/${pid}/commitments`, { ...u.gj, body: { problem: '楼道照明', responsible: '张三', deadline: '2026-13-01' } });
      assert.deepEqual(errorFields(res), ['deadline']);
      const c = await mustCreate(url, u.gj, `/api/v1/pairings/${pid}/commitments`, {
        problem: '老旧小区楼道照明不足', measure: '更换声控灯 40 盏', responsible: '区测试局 张三', deadline: '2026-12-31',
      });
      assert.equal(c.status, 'proposed');
      assert.deepEqual(c.allowed_actions, ['start', 'complete']);
      const act = (auth, body) => api(url, 'POST', `/api/v1/pairings/${pid}/commitments/${c.id}/actions`, { ...auth, body });
      assertProblem(await act(u.sq1, { action: 'verify' }), 409);
      assertProblem(await act(u.sq1, { action: 'close' }), 409);
      assertProblem(await act(u.sq1, { action: 'start' }), 403);
      assert.deepEqual(errorFields(await act(u.gj, { action: 'finish' })), ['action']);
      assert.equal((await act(u.gj, { action: 'start' })).json.status, 'in_progress');
      res = await act(u.gj, { action: 'complete', result: '已更换 40 盏' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.status, 'done');
      assert.equal(res.json.result, '已更换 40 盏');
      // 销号 before verification: 409 and nothing changes.
      const before = await mustGet(url, u.sq1, `/api/v1/pairings/${pid}/commitments/${c.id}`);
      res = await act(u.sq1, { action: 'close' });
      assertProblem(res, 409);
      assert.match(res.json.detail, /核验/);
      const after = await mustGet(url, u.sq1, `/api/v1/pairings/${pid}/commitments/${c.id}`);
      assert.deepEqual(after, before);
      assert.deepEqual(after.allowed_actions, ['verify', 'reopen']);
      assertProblem(await act(u.gj, { action: 'verify' }), 403);
      assertProblem(await act(u.sq1, { action: 'reopen' }), 422);
      // A reason is what the unit is sent back with: an empty one is no reason.
      res = await act(u.sq1, { action: 'reopen', comment: '' });
      assertProblem(res, 422);
      assert.deepEqual(errorFields(res), ['comment']);
      assert.deepEqual(await mustGet(url, u.sq1, `/api/v1/pairings/${pid}/commitments/${c.id}`), before);
      res = await act(u.sq1, { action: 'verify', comment: '现场核验通过' });
      assert.equal(res.json.status, 'verified');
      assert.equal(res.json.verified, true);
      assertProblem(await act(u.gj, { action: 'close' }), 403);
      res = await act(u.sq1, { action: 'close' });
      assert.equal(res.json.status, 'closed');
      assert.equal(res.json.status_name, '已销号');
      assert.deepEqual(res.json.allowed_actions, []);
      for (const a of ['start', 'complete', 'verify', 'close', 'reopen']) assertProblem(await act(admin, { action: a }), 409);
      assert.deepEqual(res.json.history.map((h) => [h.action, h.side]), [
        ['create', 'unit'],
        ['start', 'unit'],
        ['complete', 'unit'],
        ['verify', 'community'],
        ['close', 'community'],
      ]);
      // A reopened commitment goes back to the unit and needs verifying again.
      const d = await mustCreate(url, u.gj, `/api/v1/pairings/${pid}/commitments`, { problem: '停车难', responsible: '李四', deadline: '2026-11-30' });
      const actD = (auth, body) => api(url, 'POST', `/api/v1/pairings/${pid}/commitments/${d.id}/actions`, { ...auth, body });
      assert.equal((await actD(u.gj, { action: 'complete' })).json.status, 'done');
      assert.equal((await actD(u.jd, { action: 'verify' })).json.status, 'verified');
      res = await actD(u.sq1, { action: 'reopen', comment: '居民反映仍有占道' });
      assert.equal(res.json.status, 'in_progress');
      assert.equal(res.json.verified, false);
      assertProblem(await actD(u.sq1, { action: 'close' }), 409);
      assertProblem(await api(url, 'POST', `/api/v1/pairings/${pid}/commitments/${d.id}/actions`, { ...u.sq2, body: { action: 'verify' } }), 404);
    });

    test('activities, lists and the pairing board', async () => {
      const pid = f.pairing.id;
      const a = await mustCreate(url, u.gj, `/api/v1/pairings/${pid}/activities`, {
        title: '共建主题党日', held_on: '2026-03-15', place: '社区党群服务中心', participants: '区测试局党员 12 人', people: 12, hours: 36,
      });
      assert.equal(a.hours, 36);
      let res = await api(url, 'POST', `/api/v1/pairings/${pid}/activities`, { ...u.gj, body: { title: 'x', held_on: '2026-03-15', hours: -1 } });
      assert.deepEqual(errorFields(res), ['hours']);
      assertProblem(await api(url, 'POST', `/api/v1/pairings/${pid}/activities`, { ...u.gjx, body: { title: 'x', held_on: '2026-03-15' } }), 404);
      const item = await mustCreate(url, u.sq1, `/api/v1/pairings/${pid}/items`, { list: 'problem', content: '独居老人助餐', responsible: '社区', deadline: '2026-06-30' });
      await mustCreate(url, u.gj, `/api/v1/pairings/${pid}/items`, { list: 'task', content: '每月走访两次' });
      await mustCreate(url, u.gj, `/api/v1/pairings/${pid}/items`, { list: 'responsibility', content: '区测试局负责照明改造' });
      res = await api(url, 'POST', `/api/v1/pairings/${pid}/items`, { ...u.gj, body: { list: 'wish', content: 'x' } });
      assert.deepEqual(errorFields(res), ['list']);
      res = await api(url, 'PATCH', `/api/v1/pairings/${pid}/items/${item.id}`, { ...u.gj, body: { status: 'done' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.status, 'done');
      const board = await mustGet(url, u.sq1, `/api/v1/pairings/${pid}`);
      assert.equal(board.activity_count, 1);
      assert.equal(board.activity_hours, 36);
      assert.equal(a.recorded_by, 'pt_gj');
      assert.deepEqual(board.activities.map((v) => [v.title, v.recorded_by]), [['共建主题党日', 'pt_gj']]);
      assert.equal(board.commitment_count, 2);
      assert.equal(board.commitments_closed, 1);
      assert.deepEqual(board.commitment_counts, { proposed: 0, in_progress: 1, done: 0, verified: 0, closed: 1 });
      assert.deepEqual(Object.fromEntries(Object.entries(board.lists).map(([k, v]) => [k, v.length])), { problem: 1, responsibility: 1, task: 1 });
      // Scope: the other community cannot see it; the unit's cadre lists it; others in c1 read it.
      assertProblem(await api(url, 'GET', `/api/v1/pairings/${pid}`, u.sq2), 404);
      assert.ok(!(await mustGet(url, u.sq2, '/api/v1/pairings')).items.some((p) => p.id === pid));
      assert.ok((await mustGet(url, u.gj, '/api/v1/pairings')).items.some((p) => p.id === pid));
      assertProblem(await api(url, 'GET', `/api/v1/pairings/${pid}`, u.gjx), 404, 'another unit\'s pairing');
      assertProblem(await api(url, 'GET', `/api/v1/pairings/${pid}`, u.jm1), 403);
      // Ended pairings take no more records.
      res = await api(url, 'PATCH', `/api/v1/pairings/${pid}`, { ...u.sq1, body: { status: 'ended' } });
      assert.equal(res.status, 200, res.text);
      assertProblem(await api(url, 'POST', `/api/v1/pairings/${pid}/activities`, { ...u.gj, body: { title: 'x', held_on: '2026-03-15' } }), 409);
      await api(url, 'PATCH', `/api/v1/pairings/${pid}`, { ...u.sq1, body: { status: 'active' } });
    });
  });

  test('every write is in the audit log', async () => {
    const res = await mustGet(url, admin, '/api/v1/audit?limit=200');
    const actions = new Set(res.items.map((e) => e.action));
    for (const a of ['pairing.commitment.action', 'pairing.create', 'reception_day.book', 'grid_team.assign']) {
      assert.ok(actions.has(a), `audit has ${a}`);
    }
  });
});

// Trust (issue 9): party data only for those who need it, every party object named in a path
// loaded with its scope check (no IDOR), the party structure kept consistent, malformed query
// values refused. A street of its own (999901009) and a neighbouring one (999901010).
describe('party data: scope, roles and structure integrity', { timeout: 300_000 }, () => {
  const S = '999901009';
  const S2 = '999901010';
  let srv, url, admin;
  const u = {};
  const f = {};
  before(async () => {
    srv = await startServer();
    url = srv.url;
    admin = await signInDemo(url, 'admin');
    const t = await makeTree(url, admin, { street: S, name: '信任测试街道', communities: [{ grids: 2 }] });
    const t2 = await makeTree(url, admin, { street: S2, name: '邻街道', communities: [{ grids: 1 }] });
    f.c1 = t.communities[0];
    [f.g1, f.g2] = t.grids[0];
    f.o1 = t2.communities[0];
    f.o1g1 = t2.grids[0][0];
    f.b1 = await makeBuilding(url, admin, f.g1, '1号楼');
    f.b2 = await makeBuilding(url, admin, f.g1, '2号楼');
    u.sq = await createUser(url, admin, { username: 'tr_sq', role: 'community', region: f.c1 });
    u.other = await createUser(url, admin, { username: 'tr_other', role: 'community', region: f.o1 });
    u.wg = await createUser(url, admin, { username: 'tr_wg', role: 'grid_worker', region: f.g1 });
    u.dept = await createUser(url, admin, { username: 'tr_dept', role: 'department', region: '999901', unit: '区某局' });
    u.cadre = await createUser(url, admin, { username: 'tr_cadre', role: 'cadre', region: f.c1, unit: '区某局' });
    f.wc = await makeOrg(url, admin, { name: '信任测试街道党工委', kind: 'working_committee', region_code: S });
    f.co = await makeOrg(url, admin, { name: '社区党委', kind: 'committee', region_code: f.c1, parent_id: f.wc.id });
    f.gb1 = await makeOrg(url, u.sq, { name: '一网格党支部', kind: 'grid_branch', region_code: f.g1, parent_id: f.co.id });
    f.gb2 = await makeOrg(url, u.sq, { name: '二网格党支部', kind: 'grid_branch', region_code: f.g2, parent_id: f.co.id });
    f.grp = await makeOrg(url, u.sq, { name: '1号楼党小组', kind: 'group', region_code: f.g1, parent_id: f.gb1.id, building_id: f.b1 });
    f.m1 = await mustCreate(url, u.sq, '/api/v1/party/members', { name: '党员甲', user_id: u.wg.user.id, org_id: f.gb1.id, group_id: f.grp.id });
    f.m2 = await mustCreate(url, u.sq, '/api/v1/party/members', { name: '党员乙', user_id: u.cadre.user.id, org_id: f.gb1.id });
    // The neighbouring street's own committee and functional branch.
    f.wc2 = await makeOrg(url, admin, { name: '邻街道党工委', kind: 'working_committee', region_code: S2 });
    f.co2 = await makeOrg(url, admin, { name: '邻社区党委', kind: 'committee', region_code: f.o1, parent_id: f.wc2.id });
    f.fo = await makeOrg(url, u.other, { name: '邻社区下沉力量支部', kind: 'functional_sinking', region_code: f.o1, parent_id: f.co2.id });
  });
  after(async () => {
    await srv?.stop();
  });

  test('a member of another street cannot be enrolled, removed or revealed through memberships (404, nothing changes)', async () => {
    const before = await mustGet(url, u.sq, `/api/v1/party/members/${f.m1.id}`);
    const res = await api(url, 'POST', `/api/v1/party/members/${f.m1.id}/memberships`, { ...u.other, body: { org_id: f.fo.id } });
    assertProblem(res, 404);
    assert.ok(!res.text.includes('党员甲'), 'the answer names nobody');
    assert.ok(!('functional' in res.json) && !('history' in res.json));
    assertProblem(await api(url, 'GET', `/api/v1/party/members/${f.m1.id}`, u.other), 404, 'still not visible');
    const list = await mustGet(url, u.other, `/api/v1/party/members?org_id=${f.fo.id}`);
    assert.deepEqual(list.items, []);
    assertProblem(await api(url, 'DELETE', `/api/v1/party/members/${f.m1.id}/memberships/${f.fo.id}`, u.other), 404);
    // The same answer as for a member that does not exist.
    const missing = await api(url, 'POST', '/api/v1/party/members/987654321/memberships', { ...u.other, body: { org_id: f.fo.id } });
    assert.equal(missing.json.detail, res.json.detail);
    assert.deepEqual(await mustGet(url, u.sq, `/api/v1/party/members/${f.m1.id}`), before, 'nothing changed');
  });

  // API.md: a create naming a target outside the caller's scope is 403, like any other
  // out-of-scope write ("scope" in errors[]); a reference to nothing is 422 "unknown".
  test('a party create naming an object of another street is 403 "scope", a missing one 422 "unknown"; nothing is created', async () => {
    const MISSING = 987654321;
    const res1 = await mustCreate(url, admin, '/api/v1/residents', { name: '范围居民', id_number: idNo(), phone: phone(), region_code: f.g1, residency: 'registered' });
    const [hh] = await makeHouseholds(url, admin, f.b1, 1, 'S');
    const unitOrg = await makeOrg(url, admin, { name: '区某局机关党支部', kind: 'branch', region_code: '999901', unit: '区某局' });
    const cadre = await mustCreate(url, u.sq, '/api/v1/cadres', { name: '范围干部', kind: 'sinking', region_code: f.c1 });
    const counts = async () => ({
      members: (await mustGet(url, admin, `/api/v1/party/members?region=999901&limit=200`)).items.length,
      centers: (await mustGet(url, admin, `/api/v1/party/center-households?region=999901&limit=200`)).items.length,
      pairings: (await mustGet(url, admin, '/api/v1/pairings?limit=200')).items.length,
      days: (await mustGet(url, admin, '/api/v1/reception-days?limit=200')).items.length,
    });
    const before = await counts();
    const day = { held_on: dayFromNow(9), starts: '09:00', ends: '10:00', place: '范围接待室' };
    const cases = [
      // [path, body naming objects of 信任测试街道, the same body naming nothing, fields]
      ['/api/v1/party/members', { resident_id: res1.id, org_id: f.fo.id }, { resident_id: MISSING, org_id: f.fo.id }, ['resident_id']],
      ['/api/v1/party/members', { name: '范围党员', user_id: u.other.user.id, org_id: f.gb1.id }, { name: '范围党员', user_id: u.other.user.id, org_id: MISSING }, ['org_id']],
      ['/api/v1/party/center-households', { member_id: f.m1.id, household_id: hh, org_id: f.gb1.id }, { member_id: MISSING, household_id: MISSING, org_id: MISSING }, ['member_id', 'household_id', 'org_id']],
      ['/api/v1/pairings', { unit_org_id: unitOrg.id, community_org_id: f.co.id, signed_on: dayFromNow(0) }, { unit_org_id: unitOrg.id, community_org_id: MISSING, signed_on: dayFromNow(0) }, ['community_org_id']],
      ['/api/v1/reception-days', { cadre_id: cadre.id, ...day }, { cadre_id: MISSING, ...day }, ['cadre_id']],
    ];
    for (const [p, outside, missing, fields] of cases) {
      let res = await api(url, 'POST', p, { ...u.other, body: outside });
      assertProblem(res, 403, `${p} naming another street's ${fields}`);
      assert.deepEqual(res.json.errors.map((e) => [e.field, e.code]), fields.map((x) => [x, 'scope']), `${p}: ${res.text}`);
      res = await api(url, 'POST', p, { ...u.other, body: missing });
      assertProblem(res, 422, `${p} naming a missing ${fields}`);
      assert.deepEqual(res.json.errors.map((e) => [e.field, e.code]), fields.map((x) => [x, 'unknown']), `${p}: ${res.text}`);
    }
    // A cadre publishes for itself only: another community's cadre is out of its scope.
    const cadreOther = await createUser(url, admin, { username: 'tr_cadre_other', role: 'cadre', region: f.o1 });
    const res = await api(url, 'POST', '/api/v1/reception-days', { ...cadreOther, body: { cadre_id: cadre.id, ...day } });
    assertProblem(res, 403);
    assert.deepEqual(res.json.errors.map((e) => [e.field, e.code]), [['cadre_id', 'scope']]);
    assert.deepEqual(await counts(), before, 'nothing was created');
  });

  // (A party member's account may lie elsewhere: members of a functional branch come from other units.)
  test('a cadre or grid team account from another street answers like an unknown one (no name revealed)', async () => {
    const name = u.wg.user.display_name;
    const bodies = [
      ['/api/v1/cadres', { user_id: u.wg.user.id, kind: 'sinking', region_code: f.o1 }],
      ['/api/v1/grid-teams', { user_id: u.wg.user.id, role: 'grid_worker', region_code: f.o1g1 }],
    ];
    for (const [p, body] of bodies) {
      const res = await api(url, 'POST', p, { ...u.other, body });
      assertProblem(res, 422, p);
      assert.ok(errorFields(res).includes('user_id'), `${p}: ${res.text}`);
      assert.ok(!res.text.includes(name), `${p} does not name the account`);
    }
  });

  test('departments and cadres get no party roster; party staff of the region do; the export is for managers, audited', async () => {
    for (const who of ['dept', 'cadre']) {
      for (const p of [
        `/api/v1/party/members?region=${S}`,
        `/api/v1/party/members/${f.m1.id}`,
        `/api/v1/party/members/export?region=${S}`,
        `/api/v1/party/structure?region=${S}`,
        `/api/v1/party/center-households?region=${S}`,
        `/api/v1/party/center-households/coverage?region=${S}`,
        `/api/v1/party/orgs/${f.gb1.id}/history`,
        `/api/v1/grid-teams?region=${S}`,
        `/api/v1/cadres/coverage?region=${S}`,
      ]) {
        assertProblem(await api(url, 'GET', p, u[who]), 403, `${who} GET ${p}`);
      }
      assertProblem(await api(url, 'GET', `/api/v1/party/orgs?region=${S}`, u[who]), [403, 404], `${who} lists orgs`);
      assertProblem(await api(url, 'GET', `/api/v1/party/orgs/${f.gb1.id}`, u[who]), 404, `${who} reads a grid branch`);
    }
    // The demo's department at district level reads none of the district's party data.
    const cg = await signInDemo(url, 'chengguan');
    assertProblem(await api(url, 'GET', '/api/v1/party/members?region=999901', cg), 403);
    assertProblem(await api(url, 'GET', '/api/v1/party/members/export?region=999901', cg), 403);
    // The grid's own party staff read their grid's members but do not export the roster.
    const wg = await mustGet(url, u.wg, `/api/v1/party/members?region=${f.g1}`);
    assert.deepEqual(wg.items.map((m) => m.id).sort(), [f.m1.id, f.m2.id].sort());
    assertProblem(await api(url, 'GET', `/api/v1/party/members/export?region=${f.g1}`, u.wg), 403);
    const dl = await api(url, 'GET', `/api/v1/party/members/export?region=${f.c1}`, u.sq);
    assert.equal(dl.status, 200, dl.text);
    const audit = await auditEntries(url, admin, 50);
    assert.ok(audit.some((e) => e.action === 'party_member.export' && e.username === 'tr_sq'), 'export audited');
  });

  test('a 党小组 counts and lists its members, and cannot be dissolved while it has any (409)', async () => {
    const g = await mustGet(url, u.sq, `/api/v1/party/orgs/${f.grp.id}`);
    assert.equal(g.member_count, 1);
    const list = await mustGet(url, u.sq, `/api/v1/party/members?group_id=${f.grp.id}`);
    assert.deepEqual(list.items.map((m) => m.id), [f.m1.id]);
    assertProblem(await api(url, 'GET', `/api/v1/party/members?group_id=${f.grp.id}`, u.other), 404);
    assertProblem(await api(url, 'GET', `/api/v1/party/members?group_id=${f.gb1.id}`, u.sq), 404, 'not a 党小组');
    const res = await api(url, 'PATCH', `/api/v1/party/orgs/${f.grp.id}`, { ...u.sq, body: { status: 'dissolved' } });
    assertProblem(res, 409);
    assert.equal((await mustGet(url, u.sq, `/api/v1/party/orgs/${f.grp.id}`)).status, 'active');
  });

  test('restoring a dissolved 楼栋党小组 never leaves a building with two active groups (409)', async () => {
    const old = await makeOrg(url, u.sq, { name: '2号楼党小组', kind: 'group', region_code: f.g1, parent_id: f.gb1.id, building_id: f.b2 });
    let res = await api(url, 'PATCH', `/api/v1/party/orgs/${old.id}`, { ...u.sq, body: { status: 'dissolved' } });
    assert.equal(res.status, 200, res.text);
    const fresh = await makeOrg(url, u.sq, { name: '2号楼新党小组', kind: 'group', region_code: f.g1, parent_id: f.gb1.id, building_id: f.b2 });
    res = await api(url, 'PATCH', `/api/v1/party/orgs/${old.id}`, { ...u.sq, body: { status: 'active' } });
    assertProblem(res, 409);
    assert.equal((await mustGet(url, u.sq, `/api/v1/party/orgs/${old.id}`)).status, 'dissolved');
    // Once the new one is dissolved, the old one may come back.
    assert.equal((await api(url, 'PATCH', `/api/v1/party/orgs/${fresh.id}`, { ...u.sq, body: { status: 'dissolved' } })).status, 200);
    res = await api(url, 'PATCH', `/api/v1/party/orgs/${old.id}`, { ...u.sq, body: { status: 'active' } });
    assert.equal(res.status, 200, res.text);
    assert.equal((await api(url, 'PATCH', `/api/v1/party/orgs/${old.id}`, { ...u.sq, body: { status: 'dissolved' } })).status, 200);
  });

  test('a 网格党支部 with 楼栋党小组 does not move to another grid (409); its groups stay with their buildings', async () => {
    const res = await api(url, 'POST', `/api/v1/party/orgs/${f.gb1.id}/move`, { ...u.sq, body: { parent_id: f.co.id, region_code: f.g2 } });
    assertProblem(res, 409);
    assert.equal((await mustGet(url, u.sq, `/api/v1/party/orgs/${f.gb1.id}`)).region_code, f.g1);
    const grp = await mustGet(url, u.sq, `/api/v1/party/orgs/${f.grp.id}`);
    assert.equal(grp.region_code, f.g1);
    assert.equal(grp.building_id, f.b1);
    // A branch without building groups still moves.
    const moved = await api(url, 'POST', `/api/v1/party/orgs/${f.gb2.id}/move`, { ...u.sq, body: { parent_id: f.co.id, region_code: f.g2 } });
    assert.equal(moved.status, 200, moved.text);
  });

  test('malformed numbers and flags in party queries → 400, never a silent default', async () => {
    for (const p of [
      '/api/v1/party/members?org_id=1abc',
      '/api/v1/party/members?group_id=x',
      `/api/v1/party/members/export?region=${f.c1}&org_id=01x`,
      '/api/v1/party/orgs?parent_id=1abc',
      `/api/v1/party/orgs?region=${f.c1}&roots=1`,
      `/api/v1/party/orgs?region=${f.c1}&include_dissolved=yes`,
      '/api/v1/cadres?mine=1',
      `/api/v1/cadres?region=${f.c1}&legal=1`,
      `/api/v1/reception-days?region=${f.c1}&cadre_id=1abc`,
    ]) {
      assertProblem(await api(url, 'GET', p, u.sq), 400, p);
    }
    assertProblem(await api(url, 'GET', '/api/v1/party/members/1abc', u.sq), 404);
  });
});
