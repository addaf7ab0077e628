// Indicators (考核评价, API.md "Indicators and the dashboard", docs/indicators.md): known answers
// on crafted data in a fresh community — every built-in at grid, community and street level,
// counts added up before dividing, zero denominators, the minimum denominator, year on year,
// split grids, manual figures (approval by a second person), an admin-defined indicator, the
// table as a PDF — and
// the facts kept by triggers (migration 20) equal to a recount after random case actions.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BACKEND, GRID1, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { act, mustAct, report } from './cases-lib.mjs';

const STREET = '999901001';
const COMM = `${STREET}0${50 + (process.pid % 20)}`;
const [G1, G2, G3, G4, G5] = ['001', '002', '003', '004', '005'].map((g) => COMM + g);
const shanghai = (ms) => new Date(ms + 8 * 3600 * 1000).toISOString();
const MONTH = shanghai(Date.now()).slice(0, 7); // the current month, Asia/Shanghai
const LAST_YEAR = `${Number(MONTH.slice(0, 4)) - 1}${MONTH.slice(4)}`;
const MONTH_SQL =
  BACKEND === 'postgres'
    ? (t) => `CAST(to_char(to_timestamp((${t}) + 28800) AT TIME ZONE 'UTC', 'YYYYMM') AS BIGINT)`
    : (t) => `CAST(strftime('%Y%m', (${t}) + 28800, 'unixepoch') AS INTEGER)`;

/** The facts of the cases and ratings as the triggers keep them, and recounted from the rows. */
const STORED =
  "SELECT fact, period, region_code, n FROM indicator_facts WHERE n <> 0 AND fact IN ('cases_reported', 'cases_closed', " +
  "'cases_closed_on_time', 'hazards_reported', 'hazards_closed', 'ratings', 'ratings_good') ORDER BY 1, 2, 3";
const RECOUNT = `SELECT f, p, r, count(*) FROM (
  SELECT 'cases_reported' AS f, ${MONTH_SQL('created_at')} AS p, region_code AS r FROM cases
  UNION ALL SELECT 'cases_closed', ${MONTH_SQL('created_at')}, region_code FROM cases WHERE status = 7
  UNION ALL SELECT 'cases_closed_on_time', ${MONTH_SQL('created_at')}, region_code FROM cases
    WHERE status = 7 AND handled_at > 0 AND handled_at <= handle_due
  UNION ALL SELECT 'hazards_reported', ${MONTH_SQL('created_at')}, region_code FROM cases WHERE category IN ('safety', 'fire')
  UNION ALL SELECT 'hazards_closed', ${MONTH_SQL('created_at')}, region_code FROM cases
    WHERE category IN ('safety', 'fire') AND status = 7
  UNION ALL SELECT 'ratings', ${MONTH_SQL('e.at')}, c.region_code FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.rating <> 0
  UNION ALL SELECT 'ratings_good', ${MONTH_SQL('e.at')}, c.region_code FROM case_events e JOIN cases c ON c.id = e.case_id
    WHERE e.rating IN (1, 2)) t GROUP BY f, p, r ORDER BY 1, 2, 3`;

describe('indicators', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const values = (who, code, region, q = '') =>
    api(url, 'GET', `/api/v1/indicators/${code}/values?region=${region}&period=${MONTH}${q}`, s[who]);
  /** The items of an indicator by region code (asserts 200). */
  const itemsOf = async (code, region, q = '', who = 'jiedao') => {
    const res = await values(who, code, region, q);
    assert.equal(res.status, 200, res.text);
    return Object.fromEntries(res.json.items.map((i) => [i.region_code, i]));
  };
  const nums = (i) => [i.numerator, i.denominator, i.value];
  const close = async (id, rating) => {
    for (const action of ['accept', 'start']) await mustAct(url, s.jiedao, id, { action });
    await mustAct(url, s.jiedao, id, { action: 'handle', comment: '已处理' });
    await mustAct(url, s.jiedao, id, { action: 'verify' });
    if (rating) return mustAct(url, s.jiedao, id, { action: 'feedback', rating, comment: '回访' });
    return mustAct(url, s.jiedao, id, { action: 'close' });
  };
  const now = () => Math.floor(Date.now() / 1000);
  // a write beside the server's (SQLite: wait for its lock instead of failing at once)
  const put = (q) => srv.sql(BACKEND === 'postgres' ? q : `PRAGMA busy_timeout = 10000; ${q}`);
  const ids = {};

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'wangge', 'jumin']) s[u] = await signInDemo(url, u);
    const made = await api(url, 'POST', '/api/v1/regions', {
      ...s.jiedao,
      body: { code: COMM, name: '指标测试社区', parent_code: STREET },
    });
    assert.equal(made.status, 201, made.text);
    for (const [i, g] of [G1, G2, G3].entries()) {
      const res = await api(url, 'POST', '/api/v1/regions', {
        ...s.jiedao,
        body: { code: g, name: `指标网格${i + 1}`, parent_code: COMM },
      });
      assert.equal(res.status, 201, res.text);
    }
    // G1: one case, closed with "satisfied"; G2: a case closed with "basic" but handled late, one
    // rated "unsatisfied" (back to handling), one fire hazard only reported; G3: nothing.
    ids.a = (await report(url, s.jiedao, { region_code: G1 })).json.id;
    ids.b = (await report(url, s.jiedao, { region_code: G2 })).json.id;
    ids.c = (await report(url, s.jiedao, { region_code: G2 })).json.id;
    ids.d = (await report(url, s.jiedao, { region_code: G2, category: 'fire' })).json.id;
    await close(ids.a, 'satisfied');
    await close(ids.b, 'basic');
    assert.equal((await close(ids.c, 'unsatisfied')).status, 'handling');
    put(`UPDATE cases SET handle_due = handled_at - 1 WHERE id = ${ids.b}`);
    // residents (2 + 3), houses (2 + 2) with a rectification item each in G1 (one ticked off),
    // a sweep of the community that found someone in one house of G1 (visited twice)
    const t = now();
    for (const [g, n] of [
      [G1, 2],
      [G2, 3],
    ]) {
      for (let i = 0; i < n; i++) {
        put(
          `INSERT INTO residents(region_code, name, residency, status, created_at, updated_at) VALUES ('${g}', '测试居民${i}', 'registered', 'active', ${t}, ${t})`,
        );
      }
      put(`INSERT INTO buildings(region_code, name, created_at, updated_at) VALUES ('${g}', '指标楼', ${t}, ${t})`);
      for (const room of ['101', '102']) {
        put(
          `INSERT INTO houses(region_code, building_id, room, created_at, updated_at) VALUES ('${g}', (SELECT id FROM buildings WHERE region_code = '${g}'), '${room}', ${t}, ${t})`,
        );
      }
    }
    put(
      `INSERT INTO residents(region_code, name, residency, status, created_at, updated_at) VALUES ('${G1}', '迁出居民', 'registered', 'moved_out', ${t}, ${t})`,
    );
    const house = (g, room) => `(SELECT h.id FROM houses h WHERE h.region_code = '${g}' AND h.room = '${room}')`;
    for (const [room, status] of [
      ['101', 'verified'],
      ['102', 'rectifying'],
    ]) {
      put(
        `INSERT INTO rectifications(house_id, region_code, problem, status, created_at, updated_at) VALUES (${house(G1, room)}, '${G1}', '群租', '${status}', ${t}, ${t})`,
      );
    }
    const today = shanghai(Date.now()).slice(0, 10);
    put(
      `INSERT INTO sweeps(name, region_code, starts_on, ends_on, created_at, updated_at) VALUES ('指标扫楼', '${COMM}', '${today}', '${today}', ${t}, ${t})`,
    );
    const sweep = `(SELECT id FROM sweeps WHERE region_code = '${COMM}')`;
    for (const [g, room, outcome] of [
      [G1, '101', 'visited'],
      [G1, '101', 'visited'],
      [G2, '101', 'nobody_home'],
    ]) {
      put(
        `INSERT INTO sweep_visits(sweep_id, house_id, region_code, at, outcome) VALUES (${sweep}, ${house(g, room)}, '${g}', ${t}, '${outcome}')`,
      );
    }
    // a pairing of the community with two commitments due this month, one kept
    const org = `(SELECT min(id) FROM party_orgs)`;
    put(
      `INSERT INTO pairings(unit_org_id, community_org_id, unit, region_code, title, signed_on, status, created_at, updated_at) VALUES (${org}, ${org}, '测试单位', '${COMM}', '指标结对', '${today}', 'ended', ${t}, ${t})`,
    );
    for (const status of ['done', 'in_progress']) {
      put(
        `INSERT INTO pairing_commitments(pairing_id, problem, responsible, deadline, status, created_at, updated_at) VALUES ((SELECT id FROM pairings WHERE region_code = '${COMM}'), '修路灯', '测试单位', '${today}', '${status}', ${t}, ${t})`,
      );
    }
  });
  after(async () => {
    await srv?.stop();
  });

  test('the definitions: every built-in with its formula, and the facts', async () => {
    const res = await api(url, 'GET', '/api/v1/indicators', s.jiedao);
    assert.equal(res.status, 200, res.text);
    const by = Object.fromEntries(res.json.items.map((i) => [i.code, i]));
    for (const code of ['case_closure_rate', 'satisfaction_rate', 'cases_per_10k', 'rectification_rate', 'sweep_coverage']) {
      assert.ok(by[code], code);
      assert.equal(by[code].builtin, true);
    }
    assert.equal(by.cases_per_10k.numerator, 'cases_reported');
    assert.equal(by.cases_per_10k.denominator, 'residents_active');
    assert.equal(by.cases_per_10k.factor, 10000);
    assert.equal(by.case_closure_rate.factor, 100);
    assert.ok(res.json.facts.some((f) => f.code === 'criminal_cases' && f.kind === 'manual'));
    assert.equal(by.satisfaction_rate.denominator, 'ratings');
    assertProblem(await api(url, 'GET', '/api/v1/indicators/no_such/values', s.jiedao), 404);
  });

  test('every built-in at grid and community level: raw counts added up before dividing', async () => {
    const want = {
      // [numerator, denominator, value] for G1, G2, G3, COMM
      case_closure_rate: [
        [1, 1, 100],
        [1, 3, 33.3333],
        [0, 0, null],
        [2, 4, 50],
      ],
      on_time_closure_rate: [
        [1, 1, 100],
        [0, 1, 0],
        [0, 0, null],
        [1, 2, 50],
      ],
      satisfaction_rate: [
        [1, 1, 100],
        [1, 2, 50],
        [0, 0, null],
        [2, 3, 66.6667],
      ],
      cases_per_10k: [
        [1, 2, 5000],
        [3, 3, 10000],
        [0, 0, null],
        [4, 5, 8000],
      ],
      hazard_rectification_rate: [
        [0, 0, null],
        [0, 1, 0],
        [0, 0, null],
        [0, 1, 0],
      ],
      rectification_rate: [
        [1, 2, 50],
        [0, 0, null],
        [0, 0, null],
        [1, 2, 50],
      ],
      sweep_coverage: [
        [1, 2, 50],
        [0, 2, 0],
        [0, 0, null],
        [1, 4, 25],
      ],
      commitment_kept_rate: [
        [0, 0, null],
        [0, 0, null],
        [0, 0, null],
        [1, 2, 50],
      ],
    };
    for (const [code, rows] of Object.entries(want)) {
      const items = await itemsOf(code, COMM);
      assert.deepEqual(
        [G1, G2, G3, COMM].map((g) => nums(items[g])),
        rows,
        code,
      );
      const grid = await itemsOf(code, G2);
      assert.deepEqual(Object.keys(grid), [G2], `${code}: a grid has no children`);
      assert.deepEqual(nums(grid[G2]), rows[1], `${code} at grid level`);
      // the street: its child COMM carries the community's counts, and its own counts are the
      // sum over its children's
      const street = await itemsOf(code, STREET);
      assert.deepEqual(nums(street[COMM]), rows[3], `${code}: the community under the street`);
      const kids = Object.values(street).filter((i) => i.region_code !== STREET);
      assert.equal(
        street[STREET].numerator,
        kids.reduce((a, i) => a + i.numerator, 0),
        `${code}: street numerator`,
      );
      assert.equal(street[STREET].denominator >= rows[3][1], true);
    }
    // the mean of the grids' closure rates would be 66.7: the community's is 50
    const c = await itemsOf('case_closure_rate', COMM);
    assert.equal(c[COMM].value, 50);
    assert.equal(c[G3].band, null, 'no value, no colour');
    assert.equal(c[G1].band, 'green');
    assert.equal(c[COMM].band, 'red');
  });

  test('the minimum denominator flags too few, the value still given', async () => {
    const p = await itemsOf('cases_per_10k', COMM);
    assert.equal(p[COMM].too_few, true, '5 residents < 100');
    assert.equal(p[COMM].value, 8000);
    let res = await api(url, 'PATCH', '/api/v1/indicators/case_closure_rate', { ...s.admin, body: { min_denominator: 4 } });
    assert.equal(res.status, 200, res.text);
    const c = await itemsOf('case_closure_rate', COMM);
    assert.deepEqual([c[COMM].too_few, c[G2].too_few, c[G1].too_few], [false, true, true]);
    res = await api(url, 'PATCH', '/api/v1/indicators/case_closure_rate', { ...s.admin, body: { min_denominator: 5 } });
    assert.equal(res.status, 200, res.text);
    assertProblem(
      await api(url, 'PATCH', '/api/v1/indicators/case_closure_rate', { ...s.admin, body: { numerator: 'cases_reported' } }),
      409,
    );
    assertProblem(await api(url, 'PATCH', '/api/v1/indicators/case_closure_rate', { ...s.jiedao, body: { min_denominator: 1 } }), 403);
  });

  test("year on year: last year's counts and the change", async () => {
    const e = (await report(url, s.jiedao, { region_code: G3 })).json.id;
    put(`UPDATE cases SET created_at = created_at - 365 * 86400 WHERE id = ${e}`);
    const res = await values('jiedao', 'case_closure_rate', COMM, '&compare=yoy');
    assert.equal(res.status, 200, res.text);
    const comm = res.json.items.find((i) => i.region_code === COMM);
    assert.deepEqual(nums(comm), [2, 4, 50], 'this year unchanged');
    const moved = srv.sql(`SELECT ${MONTH_SQL('created_at')} FROM cases WHERE id = ${e}`);
    if (moved === LAST_YEAR.replace('-', '')) {
      assert.deepEqual(nums(comm.previous), [0, 1, 0]);
      assert.equal(comm.change, 50);
    }
    assert.equal(res.json.previous_period, LAST_YEAR);
    const g1 = res.json.items.find((i) => i.region_code === G1);
    assert.deepEqual(nums(g1.previous), [0, 0, null]);
    assert.equal(g1.change, null);
    assertProblem(await values('jiedao', 'case_closure_rate', COMM, '&compare=mom'), 400);
  });

  test('quarter and year periods add up the months', async () => {
    const q = `${MONTH.slice(0, 4)}-Q${Math.floor((Number(MONTH.slice(5)) - 1) / 3) + 1}`;
    for (const period of [q, MONTH.slice(0, 4)]) {
      const res = await api(url, 'GET', `/api/v1/indicators/case_closure_rate/values?region=${COMM}&period=${period}`, s.jiedao);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.period, period);
      assert.deepEqual(nums(res.json.items[0]), [2, 4, 50]);
    }
    for (const bad of ['2026-13', '26-01', '2026-Q5', 'x']) {
      assertProblem(await api(url, 'GET', `/api/v1/indicators/case_closure_rate/values?region=${COMM}&period=${bad}`, s.jiedao), 400);
    }
  });

  test('the indicator table as a printable PDF in Chinese; the same scope as the numbers', async (t) => {
    const pdf = async (who, region, q = '') => {
      const res = await fetch(`${url}/api/v1/indicators/case_closure_rate/values?region=${region}&period=${MONTH}&format=pdf${q}`, {
        headers: { Cookie: s[who].cookie },
      });
      return { res, buf: Buffer.from(await res.arrayBuffer()) };
    };
    const { res, buf } = await pdf('jiedao', COMM, '&compare=yoy');
    assert.equal(res.status, 200, buf.toString().slice(0, 300));
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
    const list = await api(url, 'GET', '/api/v1/indicators', s.jiedao);
    const name = list.json.items.find((i) => i.code === 'case_closure_rate').name;
    const cd = res.headers.get('content-disposition');
    assert.equal(cd.split('filename="')[1].split('"')[0], `indicator-case_closure_rate-${COMM}-${MONTH}.pdf`);
    assert.equal(decodeURIComponent(cd.split("UTF-8''")[1]), `${name}-指标测试社区-${MONTH}.pdf`);
    if (spawnSync('pdftotext', ['-v']).error) {
      t.skip('pdftotext missing (poppler-utils)');
      return;
    }
    const file = path.join(os.tmpdir(), `jiceng-indicator-${process.pid}.pdf`);
    fs.writeFileSync(file, buf);
    let tx;
    try {
      // without white space: pdftotext drops it between Chinese characters and breaks wrapped cells
      tx = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    } finally {
      fs.rmSync(file, { force: true });
    }
    // the community 2 of 4 (50 %), grid 1 1 of 1, grid 2 1 of 3; the columns of year on year
    for (const want of [`${name}${MONTH}`, '指标测试社区（合计）', '指标网格1', '指标网格2', '33.33', '50.00', '100.00', '去年同期', '第1页/共1页']) {
      assert.ok(tx.includes(want), `${want} in\n${tx}`);
    }
    assertProblem(await api(url, 'GET', `/api/v1/indicators/case_closure_rate/values?region=${COMM}&format=xlsx`, s.jiedao), 400);
    // refused as the numbers are
    for (const who of ['wangge', 'shequ']) assert.equal((await pdf(who, COMM)).res.status, 403, who);
  });

  test("scope: outside the caller's regions 403, roles without dashboards 403", async () => {
    assertProblem(await values('wangge', 'case_closure_rate', COMM), 403);
    assertProblem(await values('shequ', 'case_closure_rate', COMM), 403);
    assertProblem(await values('jumin', 'case_closure_rate', GRID1), 403);
    assert.equal((await values('wangge', 'case_closure_rate', GRID1)).status, 200);
  });

  test('manual figures: counted only once approved by someone else; a correction needs approval again', async () => {
    const body = { fact: 'criminal_cases', region_code: COMM, period: MONTH, value: 2, source: '区公安分局', note: '月报' };
    const criminal = async () => nums((await itemsOf('criminal_cases_per_10k', COMM))[COMM]);
    assertProblem(await api(url, 'POST', '/api/v1/indicator-figures', { ...s.shequ, body }), 403, 'another community');
    assertProblem(await api(url, 'POST', '/api/v1/indicator-figures', { ...s.jiedao, body: { ...body, fact: 'cases_reported' } }), 422);
    assertProblem(await api(url, 'POST', '/api/v1/indicator-figures', { ...s.jiedao, body: { ...body, period: '2026-Q1' } }), 422);
    const made = await api(url, 'POST', '/api/v1/indicator-figures', { ...s.jiedao, body });
    assert.equal(made.status, 201, made.text);
    const id = made.json.id;
    assert.equal(made.json.status, 'pending');
    assertProblem(await api(url, 'POST', '/api/v1/indicator-figures', { ...s.jiedao, body }), 409, 'one figure per fact, region and month');
    assert.deepEqual(await criminal(), [0, 5, 0], 'pending: not counted');
    assertProblem(await api(url, 'POST', `/api/v1/indicator-figures/${id}/approve`, { ...s.jiedao, body: {} }), 409, 'the enterer');
    assertProblem(await api(url, 'POST', `/api/v1/indicator-figures/${id}/approve`, { ...s.shequ, body: {} }), 404, 'out of scope');
    let res = await api(url, 'POST', `/api/v1/indicator-figures/${id}/approve`, { ...s.zhihui, body: {} });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'approved');
    assert.deepEqual(await criminal(), [2, 5, 4000], 'approved: counted');
    assertProblem(await api(url, 'POST', `/api/v1/indicator-figures/${id}/approve`, { ...s.admin, body: {} }), 409, 'approved already');
    res = await api(url, 'PATCH', `/api/v1/indicator-figures/${id}`, { ...s.zhihui, body: { value: 3, note: '更正' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'pending');
    assert.deepEqual(await criminal(), [0, 5, 0], 'a correction is not counted until approved');
    assertProblem(await api(url, 'POST', `/api/v1/indicator-figures/${id}/approve`, { ...s.zhihui, body: {} }), 409, 'the corrector');
    res = await api(url, 'POST', `/api/v1/indicator-figures/${id}/approve`, { ...s.jiedao, body: {} });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(await criminal(), [3, 5, 6000]);
    const street = await itemsOf('criminal_cases_per_10k', STREET);
    assert.equal(street[COMM].numerator, 3, 'rolls up to the street');
    const list = await api(url, 'GET', `/api/v1/indicator-figures?region=${COMM}`, s.jiedao);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.json.items.map((f) => [f.id, f.value, f.status, f.approved_by_name]),
      [[id, 3, 'approved', 'jiedao']],
    );
    assert.equal((await api(url, 'GET', `/api/v1/indicator-figures/${id}`, s.jiedao)).json.value, 3);
    assertProblem(await api(url, 'GET', `/api/v1/indicator-figures?region=${COMM}`, s.shequ), 403);
    const audit = srv.sql("SELECT count(*) FROM audit WHERE action LIKE 'indicator_figure.%'");
    assert.ok(Number(audit) >= 5, `audited: ${audit}`);
  });

  test('an admin defines an indicator from the existing facts', async () => {
    const body = {
      code: 'hazard_share',
      name: '隐患类事件占比',
      name_en: 'Share of hazard cases',
      numerator: 'hazards_reported',
      denominator: 'cases_reported',
      factor: 100,
      direction: 'lower',
      bands: { green: 10, yellow: 30 },
      min_denominator: 1,
    };
    assertProblem(await api(url, 'POST', '/api/v1/indicators', { ...s.jiedao, body }), 403);
    assertProblem(await api(url, 'POST', '/api/v1/indicators', { ...s.admin, body: { ...body, numerator: 'no_such_fact' } }), 422);
    assertProblem(await api(url, 'POST', '/api/v1/indicators', { ...s.admin, body: { ...body, factor: 7 } }), 422);
    assertProblem(await api(url, 'POST', '/api/v1/indicators', { ...s.admin, body: { ...body, bands: { green: 30, yellow: 10 } } }), 422);
    const res = await api(url, 'POST', '/api/v1/indicators', { ...s.admin, body });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.builtin, false);
    assertProblem(await api(url, 'POST', '/api/v1/indicators', { ...s.admin, body }), 409);
    const items = await itemsOf('hazard_share', COMM);
    assert.deepEqual(nums(items[COMM]), [1, 4, 25]);
    assert.equal(items[COMM].band, 'yellow');
    assert.deepEqual(nums(items[G2]), [1, 3, 33.3333]);
    assert.equal(items[G2].band, 'red');
    const p = await api(url, 'PATCH', '/api/v1/indicators/hazard_share', { ...s.admin, body: { denominator: 'hazards_reported' } });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(nums((await itemsOf('hazard_share', COMM))[COMM]), [1, 1, 100]);
    assertProblem(await api(url, 'PATCH', '/api/v1/indicators/hazard_share', { ...s.admin, body: { numerator: 'nope' } }), 422);
  });

  test('a split grid: its cases moved to the two new grids still count for the community', async () => {
    const before = nums((await itemsOf('case_closure_rate', COMM))[COMM]);
    const f = (await report(url, s.jiedao, { region_code: G3 })).json.id;
    const g = (await report(url, s.jiedao, { region_code: G3 })).json.id;
    await close(f);
    const res = await api(url, 'POST', `/api/v1/regions/${G3}/split`, {
      ...s.jiedao,
      body: {
        into: [
          { code: G4, name: '指标网格3东' },
          { code: G5, name: '指标网格3西' },
        ],
      },
    });
    assert.ok(res.status === 200 || res.status === 201, res.text);
    put(`UPDATE cases SET region_code = '${G4}' WHERE id = ${f}`);
    put(`UPDATE cases SET region_code = '${G5}' WHERE id = ${g}`);
    const items = await itemsOf('case_closure_rate', COMM);
    assert.deepEqual(
      nums(items[COMM]),
      [before[0] + 1, before[1] + 2, ((before[0] + 1) / (before[1] + 2)) * 100].map((v) => Math.round(v * 1e4) / 1e4),
    );
    assert.deepEqual(nums(items[G4]), [1, 1, 100]);
    assert.deepEqual(nums(items[G5]), [0, 1, 0]);
    assert.equal(items[G3], undefined, 'a retired grid is no column');
    // all grids of the street at once (the map's measure)
    const grids = await itemsOf('case_closure_rate', STREET, '&level=grid');
    assert.deepEqual(nums(grids[G4]), [1, 1, 100]);
    assert.ok(Object.keys(grids).every((c) => c === STREET || c.length === 15));
  });

  test('the kept facts equal a recount after a random sequence of case actions', async () => {
    let seed = 20;
    const rand = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const made = [];
    for (let i = 0; i < 14; i++) {
      made.push(
        (await report(url, s.jiedao, { region_code: [G1, G2, G4][rand(3)], category: ['environment', 'safety', 'fire'][rand(3)] })).json.id,
      );
    }
    const steps = ['accept', 'reject', 'start', 'handle', 'verify', 'feedback', 'close', 'reopen', 'supervise'];
    for (let i = 0; i < 70; i++) {
      const id = made[rand(made.length)];
      const action = steps[rand(steps.length)];
      const body = { action, comment: '随机动作' };
      if (action === 'feedback') body.rating = ['satisfied', 'basic', 'unsatisfied'][rand(3)];
      await act(url, s.jiedao, id, body);
      if (rand(6) === 0) put(`UPDATE cases SET handle_due = handle_due - 86400 * ${rand(3)} WHERE id = ${id}`);
    }
    const want = srv.sql(RECOUNT);
    assert.ok(want.split('\n').length > 5, 'a recount with rows');
    assert.equal(srv.sql(STORED), want, 'indicator_facts equals a recount of cases and ratings');
    const stock = (fact, q) => [srv.sql(`SELECT COALESCE(sum(n), 0) FROM indicator_facts WHERE fact = '${fact}'`), srv.sql(q)];
    const [a, b] = stock('residents_active', "SELECT count(*) FROM residents WHERE status = 'active'");
    assert.equal(a, b, 'active residents');
    const [c, d] = stock('houses', 'SELECT count(*) FROM houses');
    assert.equal(c, d, 'houses');
  });
});
