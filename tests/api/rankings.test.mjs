// Ranking schemes, the monthly ranking (月度评比) and the annual assessment (年度考评):
// known answers on crafted facts in a fresh street (aggregate before divide, floor and target
// both directions, no value → 0 points, ties sharing a rank, red and black lists, bonus and
// penalty items approved by a second person), frozen publications and their versions, the
// annual mean of the months with data, scope (a community user cannot publish, a street user
// ranks only its own communities), the XLSX and PDF exports, and the case list's month/unclosed filters.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BACKEND, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { createUser, mustAct, pngBytes, report, uploadPhoto } from './cases-lib.mjs';

const STREET = `9999010${60 + (process.pid % 30)}`;
const [C1, C2, C3, C4] = ['001', '002', '003', '004'].map((c) => STREET + c);
const YEAR = '2025';
const MONTH = `${YEAR}-03`;

describe('rankings', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const put = (q) => srv.sql(BACKEND === 'postgres' ? q : `PRAGMA busy_timeout = 10000; ${q}`);
  const fact = (f, period, region, n) =>
    put(`INSERT INTO indicator_facts(fact, period, region_code, n) VALUES ('${f}', ${period}, '${region}', ${n})`);
  let scheme, district;
  const rank = (who, q) => api(url, 'GET', `/api/v1/rankings?${q}`, s[who]);
  const byCode = (items) => Object.fromEntries(items.map((i) => [i.region_code, i]));

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ']) s[u] = await signInDemo(url, u);
    let res = await api(url, 'POST', '/api/v1/regions', { ...s.zhihui, body: { code: STREET, name: '评比测试街道', parent_code: '999901' } });
    assert.equal(res.status, 201, res.text);
    for (const [i, c] of [C1, C2, C3, C4].entries()) {
      res = await api(url, 'POST', '/api/v1/regions', { ...s.zhihui, body: { code: c, name: `评比社区${i + 1}`, parent_code: STREET } });
      assert.equal(res.status, 201, res.text);
    }
    s.street = await createUser(url, s.admin, { username: `rkstreet${process.pid}`, role: 'street', region: STREET });
    // March 2025. C1: 9 of 10 closed (90 %), 10 cases per 10 000; C2: 7 of 10 (70 %), 20 per 10k;
    // C3: 5 of 5 and 9 of 15 in two grids = 14 of 20 (70 %, not the 80 % mean of the grids' rates),
    // 20 per 10k; C4: no cases and no residents (no values at all).
    const P = 202503;
    fact('cases_reported', P, `${C1}001`, 10);
    fact('cases_closed', P, `${C1}001`, 9);
    fact('cases_reported', P, `${C2}001`, 10);
    fact('cases_closed', P, `${C2}001`, 7);
    fact('cases_reported', P, `${C3}001`, 5);
    fact('cases_closed', P, `${C3}001`, 5);
    fact('cases_reported', P, `${C3}002`, 15);
    fact('cases_closed', P, `${C3}002`, 9);
    fact('residents_active', 0, `${C1}001`, 10000);
    fact('residents_active', 0, `${C2}001`, 5000);
    fact('residents_active', 0, `${C3}001`, 4000);
    fact('residents_active', 0, `${C3}002`, 6000);
  });
  after(() => srv?.stop());

  test('a street user makes a scheme for its communities; items are checked', async () => {
    const body = {
      name: '社区月度评比',
      level: 'community',
      region_code: STREET,
      top_n: 1,
      items: [
        { indicator: 'case_closure_rate', weight: 60, floor: 50, target: 90 },
        { indicator: 'cases_per_10k', weight: 40, floor: 100, target: 20 },
      ],
    };
    let res = await api(url, 'POST', '/api/v1/ranking-schemes', { ...s.street, body: { ...body, items: [{ indicator: 'cases_per_10k', weight: 40, floor: 20, target: 100 }] } });
    assertProblem(res, 422, 'lower is better: the floor above the target');
    res = await api(url, 'POST', '/api/v1/ranking-schemes', { ...s.street, body: { ...body, items: [{ indicator: 'nope_rate', weight: 1, floor: 0, target: 1 }] } });
    assertProblem(res, 422);
    res = await api(url, 'POST', '/api/v1/ranking-schemes', { ...s.street, body: { ...body, level: 'street', region_code: '999901' } });
    assertProblem(res, 403, 'a street user cannot make a district scheme');
    res = await api(url, 'POST', '/api/v1/ranking-schemes', { ...s.shequ, body: { ...body, region_code: '999901001' } });
    assertProblem(res, 403, 'community staff do not make schemes');
    res = await api(url, 'POST', '/api/v1/ranking-schemes', { ...s.street, body });
    assert.equal(res.status, 201, res.text);
    scheme = res.json;
    assert.equal(scheme.items.length, 2);
    res = await api(url, 'POST', '/api/v1/ranking-schemes', {
      ...s.zhihui,
      body: { ...body, name: '全区社区评比', region_code: '999901' },
    });
    assert.equal(res.status, 201, res.text);
    district = res.json;
    res = await api(url, 'GET', '/api/v1/ranking-schemes', s.street);
    const ids = res.json.items.map((x) => x.id);
    assert.ok(ids.includes(scheme.id) && ids.includes(district.id));
    res = await api(url, 'GET', '/api/v1/ranking-schemes', s.shequ);
    assert.ok(!res.json.items.some((x) => x.id === scheme.id), 'another street’s scheme is not listed');
    assertProblem(await api(url, 'GET', `/api/v1/ranking-schemes/${scheme.id}`, s.shequ), 404);
    res = await api(url, 'PATCH', `/api/v1/ranking-schemes/${scheme.id}`, { ...s.jiedao, body: { top_n: 2 } });
    assertProblem(res, 404, 'another street does not see it');
  });

  test('bonus and penalty items need evidence and a second person', async () => {
    const add = (who, body) => api(url, 'POST', '/api/v1/ranking-adjustments', { ...s[who], body });
    let res = await add('street', { scheme: scheme.id, region_code: C4, period: MONTH, points: 5, reason: '获市级表彰', evidence: '' });
    assertProblem(res, 422, 'evidence is required');
    res = await add('street', { scheme: scheme.id, region_code: `${C4}001`, period: MONTH, points: 5, reason: '获市级表彰', evidence: '表彰文件' });
    assertProblem(res, 422, 'a grid is not ranked by a community scheme');
    res = await add('jiedao', { scheme: scheme.id, region_code: C4, period: MONTH, points: 5, reason: '获市级表彰', evidence: '表彰文件' });
    assertProblem(res, 403, 'another street does not see the scheme');
    res = await add('street', { scheme: scheme.id, region_code: C4, period: MONTH, points: 5, reason: '获市级表彰', evidence: '区委文件〔2025〕3号' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.kind, 'bonus');
    assert.equal(res.json.status, 'pending');
    const bonus = res.json.id;
    assertProblem(await api(url, 'POST', `/api/v1/ranking-adjustments/${bonus}/approve`, s.street), 409, 'not by who entered it');
    res = await api(url, 'POST', `/api/v1/ranking-adjustments/${bonus}/approve`, s.zhihui);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'approved');
    assertProblem(await api(url, 'POST', `/api/v1/ranking-adjustments/${bonus}/approve`, s.admin), 409);
    res = await add('street', { scheme: scheme.id, region_code: C4, period: YEAR, points: 2, reason: '年度专项加分', evidence: '年度考核材料' });
    assert.equal(res.status, 201, res.text);
    assert.equal((await api(url, 'POST', `/api/v1/ranking-adjustments/${res.json.id}/approve`, s.zhihui)).status, 200);
    // a penalty for C1, pending: it does not count yet
    res = await add('street', { scheme: scheme.id, region_code: C1, period: MONTH, points: -10, reason: '发生重大信访事件', evidence: '督办通报' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.kind, 'penalty');
    s.penalty = res.json.id;
    res = await api(url, 'GET', `/api/v1/ranking-adjustments?scheme=${scheme.id}&period=${MONTH}`, s.street);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.items.length, 2);
  });

  test("an item's evidence photos: the caller's own uploads, read by the managers over its region", async () => {
    const up = await uploadPhoto(url, s.street, pngBytes(9100 + (process.pid % 1000)));
    assert.ok([200, 201].includes(up.status), up.text);
    const photo = up.json.hash;
    // left pending, in a month no other test reads
    const body = { scheme: scheme.id, region_code: C2, period: `${YEAR}-07`, points: 3, reason: '创建示范点', evidence: '验收记录', photos: [photo] };
    // someone else's upload answers like an unknown photo
    assertProblem(await api(url, 'POST', '/api/v1/ranking-adjustments', { ...s.zhihui, body }), 422, "another's photo");
    const res = await api(url, 'POST', '/api/v1/ranking-adjustments', { ...s.street, body });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.photos, [photo]);
    // the approver over the region sees the evidence; another street and a community user do not
    assert.equal((await api(url, 'GET', `/api/v1/photos/${photo}`, s.zhihui)).status, 200);
    assert.equal((await api(url, 'GET', `/api/v1/photos/${photo}`, s.jiedao)).status, 404);
    assert.equal((await api(url, 'GET', `/api/v1/photos/${photo}`, s.shequ)).status, 404);
  });

  test('the monthly ranking: points, ties, no data, red and black lists', async () => {
    const res = await rank('street', `scheme=${scheme.id}&period=${MONTH}`);
    assert.equal(res.status, 200, res.text);
    const o = res.json;
    assert.equal(o.parent.code, STREET);
    assert.equal(o.kind, 'monthly');
    assert.deepEqual(
      o.items.map((i) => [i.region_code, i.rank, i.total]),
      [
        [C1, 1, 100],
        [C2, 2, 70],
        [C3, 2, 70],
        [C4, 4, 5],
      ],
    );
    const r = byCode(o.items);
    const sc = (c, ind) => r[c].scores.find((x) => x.indicator === ind);
    assert.deepEqual([sc(C3, 'case_closure_rate').numerator, sc(C3, 'case_closure_rate').denominator, sc(C3, 'case_closure_rate').value], [14, 20, 70]);
    assert.equal(sc(C3, 'case_closure_rate').points, 30);
    assert.equal(sc(C1, 'cases_per_10k').value, 10);
    assert.equal(sc(C1, 'cases_per_10k').points, 40, 'lower is better: below the target is full points');
    assert.equal(sc(C2, 'cases_per_10k').points, 40);
    assert.equal(sc(C4, 'case_closure_rate').value, null);
    assert.equal(sc(C4, 'case_closure_rate').no_data, true);
    assert.equal(sc(C4, 'case_closure_rate').points, 0);
    assert.equal(r[C4].adjustment_points, 5);
    assert.equal(r[C4].indicator_points, 0);
    assert.deepEqual(r[C2].tie_with, [C3]);
    assert.deepEqual(r[C3].tie_with, [C2]);
    assert.deepEqual(r[C1].tie_with, []);
    assert.deepEqual(o.red, [C1]);
    assert.deepEqual(o.black, [C4]);
    assert.equal(r[C1].list, 'red');
    assert.equal(r[C4].list, 'black');
    assert.equal(r[C2].list, null);
    assert.equal(r[C1].adjustments.length, 0, 'a pending penalty does not count');
  });

  test('scope: a street ranks only its communities, a community user cannot publish', async () => {
    let res = await rank('street', `scheme=${district.id}&period=${MONTH}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.parent.code, STREET, 'the street user’s own street');
    assert.deepEqual(res.json.items.map((i) => i.region_code).sort(), [C1, C2, C3, C4]);
    assertProblem(await rank('street', `scheme=${district.id}&period=${MONTH}&parent=999901001`), 403);
    res = await rank('zhihui', `scheme=${district.id}&period=${MONTH}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.parent.code, '999901');
    assert.ok(res.json.items.length > 4, 'the district ranks every community');
    assertProblem(await rank('shequ', `scheme=${district.id}&period=${MONTH}`), 403);
    const pub = await api(url, 'POST', '/api/v1/rankings/publish', { ...s.shequ, body: { scheme: district.id, period: MONTH, parent: '999901001' } });
    assertProblem(pub, 403);
    assertProblem(await rank('street', `scheme=${scheme.id}&period=2025-Q1`), 400);
    assertProblem(await rank('street', `scheme=${scheme.id}`), 400);
    assertProblem(await rank('street', `scheme=${scheme.id}&period=${MONTH}&parent=${C1}`), 400);
  });

  test('publishing freezes a version; a change makes the next, both stay readable', async () => {
    const publish = () => api(url, 'POST', '/api/v1/rankings/publish', { ...s.street, body: { scheme: scheme.id, period: MONTH } });
    const published = (q = '') => api(url, 'GET', `/api/v1/rankings/published?scheme=${scheme.id}&period=${MONTH}${q}`, s.street);
    assertProblem(await published(), 404, 'nothing published yet');
    let res = await publish();
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.version, 1);
    res = await publish();
    assert.equal(res.status, 200, 'nothing changed: the version stands');
    assert.equal(res.json.unchanged, true);
    assert.equal(res.json.version, 1);
    // the penalty approved: C1 falls to 90
    assert.equal((await api(url, 'POST', `/api/v1/ranking-adjustments/${s.penalty}/approve`, s.zhihui)).status, 200);
    res = await publish();
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.version, 2);
    assert.equal(byCode(res.json.items)[C1].total, 90);
    res = await published('&version=1');
    assert.equal(res.status, 200, res.text);
    assert.equal(byCode(res.json.items)[C1].total, 100, 'version 1 is frozen');
    assert.equal(res.json.versions.length, 2);
    // data change after publication: the live ranking moves, the published versions do not
    fact('cases_closed', 202503, `${C2}003`, 1);
    res = await rank('street', `scheme=${scheme.id}&period=${MONTH}`);
    assert.equal(byCode(res.json.items)[C2].total, 85);
    res = await published();
    assert.equal(res.json.version, 2);
    assert.equal(byCode(res.json.items)[C2].total, 70);
    assertProblem(await published('&version=9'), 404);
    // a community user of the street reads the published ranking (not the live one)
    const shequ4 = await createUser(url, s.admin, { username: `rkcomm${process.pid}`, role: 'community', region: C4 });
    res = await api(url, 'GET', `/api/v1/rankings/published?scheme=${scheme.id}&period=${MONTH}&parent=${STREET}`, shequ4);
    assert.equal(res.status, 200, res.text);
    assertProblem(await api(url, 'GET', `/api/v1/rankings?scheme=${scheme.id}&period=${MONTH}&parent=${STREET}`, shequ4), 403);
    assertProblem(await api(url, 'POST', '/api/v1/rankings/publish', { ...shequ4, body: { scheme: scheme.id, period: MONTH, parent: STREET } }), 403);
    // undo the change for the annual test
    fact('cases_closed', 202503, `${C2}004`, -1);
  });

  test('the annual assessment: the mean of the months with data plus annual items', async () => {
    const res = await rank('street', `scheme=${scheme.id}&period=${YEAR}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'annual');
    assert.equal(res.json.months.length, 12);
    const r = byCode(res.json.items);
    // C1: March 100 − 10 = 90, eleven months of 0 cases per 10k only (40): (90 + 440) / 12
    assert.equal(r[C1].months_counted, 12);
    assert.equal(r[C1].total, 44.17);
    assert.equal(r[C2].total, 42.5);
    assert.equal(r[C3].total, 42.5);
    assert.equal(r[C3].rank, 2);
    assert.deepEqual(r[C2].tie_with, [C3]);
    // C4: no value in any month; March counts through its bonus (5), the others are left out; +2
    assert.equal(r[C4].months_counted, 1);
    assert.equal(r[C4].monthly_mean, 5);
    assert.equal(r[C4].adjustment_points, 2);
    assert.equal(r[C4].total, 7);
    assert.equal(r[C4].months.filter((m) => m.total === null).length, 11);
  });

  test('the ranking table exports to XLSX', async () => {
    const res = await fetch(`${url}/api/v1/rankings/export?scheme=${scheme.id}&period=${MONTH}`, { headers: { Cookie: s.street.cookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString(), 'PK');
    const v1 = await fetch(`${url}/api/v1/rankings/export?scheme=${scheme.id}&period=${MONTH}&version=1`, { headers: { Cookie: s.street.cookie } });
    assert.equal(v1.status, 200);
  });

  test('the ranking table exports to a printable PDF in Chinese; the same scope as the workbook', async (t) => {
    const pdf = async (who, q) => {
      const res = await fetch(`${url}/api/v1/rankings/export?scheme=${scheme.id}&format=pdf${q}`, { headers: { Cookie: who.cookie } });
      return { res, buf: Buffer.from(await res.arrayBuffer()) };
    };
    let { res, buf } = await pdf(s.street, `&period=${MONTH}`);
    assert.equal(res.status, 200, buf.toString().slice(0, 300));
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
    const cd = res.headers.get('content-disposition');
    assert.match(cd, /^attachment; filename="ranking-\d+-2025-03\.pdf"; filename\*=UTF-8''/);
    assert.equal(decodeURIComponent(cd.split("UTF-8''")[1]), '社区月度评比-月度评比-2025-03.pdf');
    if (spawnSync('pdftotext', ['-v']).error) {
      t.skip('pdftotext missing (poppler-utils)');
      return;
    }
    // pdftotext drops the spaces between Chinese characters and breaks wrapped cells: compare
    // without any white space
    const text = (b) => {
      const file = path.join(os.tmpdir(), `jiceng-ranking-${process.pid}.pdf`);
      fs.writeFileSync(file, b);
      try {
        return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      } finally {
        fs.rmSync(file, { force: true });
      }
    };
    let tx = text(buf);
    for (const want of ['社区月度评比月度评比2025-03', '评比测试街道', STREET, '实时计算', '名次', '总分', '红榜', '黑榜', '第1页/共1页']) assert.ok(tx.includes(want), `${want} in\n${tx}`);
    // live: C1 90 (the penalty approved), C2 and C3 tied at 70, C4 its bonus of 5
    for (const [i, total] of [[1, '90.00'], [2, '70.00'], [3, '70.00'], [4, '5.00']]) {
      assert.match(tx, new RegExp(`评比社区${i}[\\s\\S]*?${total.replace('.', '\\.')}`), `评比社区${i} ${total}`);
    }
    // the frozen version 1 (C1 at 100) and the annual assessment
    ({ res, buf } = await pdf(s.street, `&period=${MONTH}&version=1`));
    assert.equal(res.status, 200);
    tx = text(buf);
    assert.ok(tx.includes('第1版') && tx.includes('100.00'), tx);
    ({ res, buf } = await pdf(s.street, `&period=${YEAR}`));
    assert.equal(res.status, 200);
    tx = text(buf);
    assert.ok(tx.includes('社区月度评比年度考评2025') && tx.includes('月度平均分') && tx.includes('44.17'), tx);
    // refused as the workbook is: another street's user, a community user on the live ranking
    const refused = (r) => assert.ok([403, 404].includes(r.res.status), `refused: ${r.res.status}`);
    refused(await pdf(s.jiedao, `&period=${MONTH}`));
    const comm = await createUser(url, s.admin, { username: `rkpdf${process.pid}`, role: 'community', region: C4 });
    refused(await pdf(comm, `&period=${MONTH}&parent=${STREET}`));
    const xlsx = await fetch(`${url}/api/v1/rankings/export?scheme=${scheme.id}&period=${MONTH}&parent=${STREET}`, { headers: { Cookie: comm.cookie } });
    assert.equal((await pdf(comm, `&period=${MONTH}&parent=${STREET}`)).res.status, xlsx.status);
    // ... who reads the published version as a PDF, as a workbook
    ({ res } = await pdf(comm, `&period=${MONTH}&parent=${STREET}&published=true`));
    assert.equal(res.status, 200);
    assertProblem(await api(url, 'GET', `/api/v1/rankings/export?scheme=${scheme.id}&period=${MONTH}&format=docx`, s.street), 400);
  });

  test('the case list filters by report month and unclosed', async () => {
    const grid = `${C1}009`;
    let res = await api(url, 'POST', '/api/v1/regions', { ...s.zhihui, body: { code: grid, name: '评比网格', parent_code: C1 } });
    assert.equal(res.status, 201, res.text);
    const a = (await report(url, s.zhihui, { region_code: grid })).json.id;
    const b = (await report(url, s.zhihui, { region_code: grid })).json.id;
    for (const action of ['accept', 'start']) await mustAct(url, s.zhihui, b, { action });
    await mustAct(url, s.zhihui, b, { action: 'handle', comment: '已处理' });
    await mustAct(url, s.zhihui, b, { action: 'verify' });
    await mustAct(url, s.zhihui, b, { action: 'close' });
    const month = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
    const ids = async (q) => {
      const r = await api(url, 'GET', `/api/v1/cases?region=${grid}&${q}`, s.street);
      assert.equal(r.status, 200, r.text);
      return r.json.items.map((c) => c.id).sort();
    };
    assert.deepEqual(await ids(`month=${month}`), [a, b].sort());
    assert.deepEqual(await ids(`month=${month}&unclosed=true`), [a]);
    assert.deepEqual(await ids(`month=2025-03`), []);
    assertProblem(await api(url, 'GET', `/api/v1/cases?month=2025-3`, s.street), 400);
    assertProblem(await api(url, 'GET', `/api/v1/cases?unclosed=yes`, s.street), 400);
  });
});
