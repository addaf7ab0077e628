// The command dashboard (GET /api/v1/dashboard, API.md "Indicators and the dashboard"): known
// answers on crafted cases in a fresh community, the per-day counts that triggers keep
// (case_days) equal to a full recount after a random sequence of case actions, and scope.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, DISTRICT, GRID1, STREET1, STREET2, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { act, mustAct, report } from './cases-lib.mjs';

const STREET = '999901001'; // 幸福街道 (STREET1)
// A community of its own under street 1, made by the test, so every count is known.
const COMM = `${STREET}0${70 + (process.pid % 20)}`;
const GRIDS = [`${COMM}001`, `${COMM}002`, `${COMM}003`];
const HOUSEHOLDS = [300, 450, null]; // planned households of the grids (the third has none)

/** Recounts case_days from the cases rows (the same rule the triggers keep), as text lines. */
const RECOUNT =
  'SELECT day, region_code, category, sum(r), sum(c) FROM (' +
  ' SELECT (created_at + 28800) / 86400 AS day, region_code, category, 1 AS r, 0 AS c FROM cases' +
  ' UNION ALL SELECT (closed_at + 28800) / 86400, region_code, category, 0, 1 FROM cases WHERE status = 7) t' +
  ' GROUP BY day, region_code, category HAVING sum(r) > 0 OR sum(c) > 0 ORDER BY 1, 2, 3';
const STORED = 'SELECT day, region_code, category, reported, closed FROM case_days WHERE reported > 0 OR closed > 0 ORDER BY 1, 2, 3';

/** The rollups of migration 15 (every level of the region tree), each as [stored, recount]. */
const DUE = '(CASE WHEN c.status = 0 THEN c.accept_due ELSE c.handle_due END)';
const WARN = `(CASE WHEN c.created_at > ${DUE} THEN ${DUE} + 1 ELSE (4 * ${DUE} + c.created_at + 4) / 5 END)`;
const AT_LEVELS = 'FROM cases c JOIN region_levels l ON l.len <= length(c.region_code)';
const CODE = 'substr(c.region_code, 1, CAST(l.len AS INTEGER))';
const ROLLUPS = {
  case_open_counts: [
    'SELECT len, region_code, category, open, supervised FROM case_open_counts WHERE open <> 0 OR supervised <> 0 ORDER BY 1, 2, 3',
    `SELECT l.len, ${CODE}, c.category, count(*), sum(c.supervised) ${AT_LEVELS} WHERE c.status NOT IN (2, 7) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  ],
  // zero rows are deleted: every stored row must be in the recount
  case_open_due: [
    'SELECT len, region_code, kind, day, n FROM case_open_due ORDER BY 1, 2, 3, 4',
    `SELECT len, code, kind, day, count(*) FROM (SELECT l.len, ${CODE} AS code, 0 AS kind, ${DUE} / 86400 AS day ${AT_LEVELS} WHERE c.status NOT IN (2, 7)` +
      ` UNION ALL SELECT l.len, ${CODE}, 1, ${WARN} / 86400 ${AT_LEVELS} WHERE c.status NOT IN (2, 7)) t GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  ],
  case_rollup_days: [
    'SELECT len, region_code, day, category, reported, closed FROM case_rollup_days WHERE reported <> 0 OR closed <> 0 ORDER BY 1, 2, 3, 4',
    `SELECT len, code, day, category, sum(r), sum(k) FROM (SELECT l.len, ${CODE} AS code, (c.created_at + 28800) / 86400 AS day, c.category, 1 AS r, 0 AS k ${AT_LEVELS}` +
      ` UNION ALL SELECT l.len, ${CODE}, (c.closed_at + 28800) / 86400, c.category, 0, 1 ${AT_LEVELS} WHERE c.status = 7) t GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  ],
};

describe('command dashboard', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const dash = (who, region) => api(url, 'GET', `/api/v1/dashboard${region ? `?region=${region}` : ''}`, s[who]);

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'dudao', 'wanggezhang', 'wangge', 'chengguan', 'ganbu', 'loudong', 'jumin']) {
      s[u] = await signInDemo(url, u);
    }
    const made = await api(url, 'POST', '/api/v1/regions', {
      ...s.jiedao,
      body: { code: COMM, name: '看板测试社区', parent_code: STREET },
    });
    assert.equal(made.status, 201, made.text);
    for (const [i, g] of GRIDS.entries()) {
      const res = await api(url, 'POST', '/api/v1/regions', {
        ...s.jiedao,
        body: { code: g, name: `看板网格${i + 1}`, parent_code: COMM, ...(HOUSEHOLDS[i] ? { planned_households: HOUSEHOLDS[i] } : {}) },
      });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    await srv?.stop();
  });

  test('a fresh community: zero everywhere, 30 days of trend ending today, its grids as children', async () => {
    const res = await dash('jiedao', COMM);
    assert.equal(res.status, 200, res.text);
    const d = res.json;
    assert.equal(d.region, COMM);
    assert.equal(d.region_name, '看板测试社区');
    assert.deepEqual(d.cases, { open: 0, overdue: 0, warning: 0, supervised: 0, reported_today: 0, closed_today: 0 });
    assert.equal(d.trend.length, 30);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    assert.equal(d.trend.at(-1).date, today);
    assert.ok(d.trend.every((t) => t.reported === 0 && t.closed === 0));
    for (let i = 1; i < 30; i++) assert.ok(d.trend[i - 1].date < d.trend[i].date, 'dates ascend, one per day');
    assert.deepEqual(
      d.children.map((c) => [c.code, c.open, c.overdue, c.households]),
      GRIDS.map((g, i) => [g, 0, 0, HOUSEHOLDS[i] ?? 0]),
    );
    assert.equal(d.households, 750);
    assert.deepEqual(d.categories, []);
  });

  test('known answers: reports, a closure, supervision, an overdue and a warning case', async () => {
    const ids = [];
    const plan = [
      [GRIDS[0], 'environment'],
      [GRIDS[0], 'environment'],
      [GRIDS[0], 'property'],
      [GRIDS[1], 'environment'],
      [GRIDS[1], 'safety'],
    ];
    for (const [grid, category] of plan) ids.push((await report(url, s.jiedao, { region_code: grid, category })).json.id);
    // Case 0 closes (a community desk may take it through every step); case 1 is rejected.
    await mustAct(url, s.jiedao, ids[0], { action: 'accept' });
    await mustAct(url, s.jiedao, ids[0], { action: 'start' });
    await mustAct(url, s.jiedao, ids[0], { action: 'handle', comment: '已处理' });
    await mustAct(url, s.jiedao, ids[0], { action: 'verify' });
    await mustAct(url, s.jiedao, ids[0], { action: 'close' });
    await mustAct(url, s.jiedao, ids[1], { action: 'reject', comment: '不属于受理范围' });
    await mustAct(url, s.jiedao, ids[3], { action: 'supervise', comment: '街道督办' });
    // Deadlines moved by hand, as time would: case 2 past its acceptance deadline, case 4 at
    // 90 % of its time (created 900 s ago, due in 100 s).
    const now = Math.floor(Date.now() / 1000);
    srv.sql(`UPDATE cases SET accept_due = ${now - 60} WHERE id = ${ids[2]}`);
    srv.sql(`UPDATE cases SET created_at = ${now - 900}, accept_due = ${now + 100} WHERE id = ${ids[4]}`);

    const d = (await dash('jiedao', COMM)).json;
    assert.deepEqual(d.cases, { open: 3, overdue: 1, warning: 1, supervised: 1, reported_today: 5, closed_today: 1 });
    assert.deepEqual(d.trend.at(-1), { date: d.trend.at(-1).date, reported: 5, closed: 1 });
    assert.deepEqual(
      d.children.map((c) => [c.code, c.open, c.overdue, c.warning, c.supervised]),
      [
        [GRIDS[0], 1, 1, 0, 0],
        [GRIDS[1], 2, 0, 1, 1],
        [GRIDS[2], 0, 0, 0, 0],
      ],
    );
    const cats = Object.fromEntries(d.categories.map((c) => [c.code, [c.open, c.reported]]));
    assert.deepEqual(cats, { environment: [1, 3], property: [1, 1], safety: [1, 1] });
    assert.equal(d.categories[0].name ? typeof d.categories[0].name : 'string', 'string');
    // A grid has no children; its counts are its own.
    const g = (await dash('jiedao', GRIDS[0])).json;
    assert.deepEqual(g.children, []);
    assert.deepEqual(g.cases, { open: 1, overdue: 1, warning: 0, supervised: 0, reported_today: 3, closed_today: 1 });
    // The street sees the community among its children with the same counts.
    const st = (await dash('jiedao', STREET)).json;
    const row = st.children.find((c) => c.code === COMM);
    assert.deepEqual([row.open, row.overdue, row.warning, row.supervised], [3, 1, 1, 1]);
    // Reopening the closed case takes it out of today's closures again.
    await mustAct(url, s.jiedao, ids[0], { action: 'reopen', comment: '居民反映未解决' });
    const again = (await dash('jiedao', COMM)).json;
    assert.equal(again.cases.closed_today, 0);
    assert.equal(again.cases.open, 4);
  });

  test('the per-day counts equal a full recount after a random sequence of case actions', async () => {
    let seed = 20261205;
    const rand = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n;
    };
    const cats = ['environment', 'property', 'safety', 'municipal'];
    const ids = [];
    for (let i = 0; i < 24; i++) {
      ids.push((await report(url, s.jiedao, { region_code: GRIDS[rand(3)], category: cats[rand(4)] })).json.id);
    }
    const moves = [
      { action: 'accept' },
      { action: 'reject', comment: '随机驳回' },
      { action: 'start' },
      { action: 'handle', comment: '随机处理' },
      { action: 'verify' },
      { action: 'close' },
      { action: 'reopen', comment: '随机重办' },
      { action: 'escalate', comment: '随机上报' },
    ];
    let applied = 0;
    for (let i = 0; i < 400; i++) {
      const res = await act(url, s.jiedao, ids[rand(ids.length)], moves[rand(moves.length)]);
      assert.ok([200, 409].includes(res.status), res.text);
      if (res.status === 200) applied++;
    }
    assert.ok(applied > 60, `only ${applied} actions applied`);
    assert.equal(srv.sql(STORED), srv.sql(RECOUNT), 'case_days equals a recount of cases');
    for (const [table, [stored, recount]] of Object.entries(ROLLUPS)) {
      const want = srv.sql(recount);
      assert.ok(want.length > 0, `${table}: a recount with rows`);
      assert.equal(srv.sql(stored), want, `${table} equals a recount of cases`);
    }
    // And the dashboard agrees with counting the cases themselves.
    const open = Number(srv.sql(`SELECT count(*) FROM cases WHERE region_code LIKE '${COMM}%' AND status NOT IN (2, 7)`));
    const d = (await dash('jiedao', COMM)).json;
    assert.equal(d.cases.open, open);
    // Overdue and yellow as the dashboard defines them, counted from the cases at the same second.
    const now = Math.floor(Date.parse(d.as_of) / 1000);
    const count = (cond) =>
      Number(srv.sql(`SELECT count(*) FROM cases c WHERE c.region_code LIKE '${COMM}%' AND c.status NOT IN (2, 7) AND ${cond}`));
    assert.equal(d.cases.overdue, count(`${DUE} < ${now}`), 'overdue');
    assert.equal(d.cases.warning, count(`${DUE} >= ${now} AND (${now} - c.created_at) * 5 >= (${DUE} - c.created_at) * 4`), 'warning');
    assert.equal(d.cases.supervised, count('c.supervised = 1'), 'supervised');
    const reportedToday = d.trend.at(-1).reported;
    assert.equal(reportedToday, 5 + 24);
    assert.equal(d.cases.reported_today, reportedToday);
    const closedNow = Number(srv.sql(`SELECT count(*) FROM cases WHERE region_code LIKE '${COMM}%' AND status = 7`));
    assert.equal(d.cases.closed_today, closedNow, 'every closed case of the community was closed today');
  });

  test('whose dashboard: defaults, scope, bad and unknown regions', async () => {
    // Without ?region: the caller's own region (admin: the district, the one top region).
    assert.equal((await dash('wangge')).json.region, GRID1);
    assert.equal((await dash('zhihui')).json.region, DISTRICT);
    assert.equal((await dash('admin')).json.region, DISTRICT);
    assert.equal((await dash('dudao')).json.region, COMM1);
    const district = (await dash('zhihui', DISTRICT)).json;
    assert.deepEqual(
      district.children.map((c) => c.code),
      [STREET1, STREET2],
    );
    // The district's open count and households are the sums of its streets'.
    assert.equal(
      district.households,
      district.children.reduce((n, c) => n + c.households, 0),
    );
    assert.ok(district.households > 0);
    assert.equal(
      district.cases.open,
      district.children.reduce((n, c) => n + c.open, 0),
    );
    // Out of scope: another street, the district above a street, a grid worker's neighbour.
    assertProblem(await dash('jiedao', STREET2), 403);
    assertProblem(await dash('jiedao', DISTRICT), 403);
    assertProblem(await dash('wangge', COMM1), 403);
    // Roles without a dashboard: departments, cadres, building leaders, residents.
    for (const who of ['chengguan', 'ganbu', 'loudong', 'jumin']) assertProblem(await dash(who, GRID1), 403, who);
    assertProblem(await api(url, 'GET', '/api/v1/dashboard'), 401);
    assertProblem(await dash('zhihui', 'abc'), 400);
    assertProblem(await dash('zhihui', '999901'.padEnd(9, '9')), 404);
  });
});
