// Grid worker assessment (网格员考核): known answers on crafted records in a fresh street for
// March 2025 — reports, verified sweep visits, care visits, on-time handling (closed and handled
// by the deadline, a case handled twice counts once), callback failures (contradicted callbacks
// of cases the worker handled) — scored with the default scheme (ties share a rank); scope
// (overseers see the workers under their region, a grid worker only their own row, residents
// and departments nothing); the drill-down to the records behind a number; the XLSX export.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BACKEND,
  api,
  assertProblem,
  signInDemo,
  startServer,
} from "./harness.mjs";
import { createUser, report } from "./cases-lib.mjs";

const STREET = "999901041";
const COMM = `${STREET}001`;
const [G1, G2] = [`${COMM}001`, `${COMM}002`];
const MONTH = "2025-03";
const T = Date.parse("2025-03-10T04:00:00Z") / 1000; // 12:00 in Shanghai
const FEB = Date.parse("2025-02-28T15:00:00Z") / 1000; // 23:00 on 28 February in Shanghai

describe("worker assessments", { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const u = {};
  const cases = [];
  const put = (q) =>
    srv.sql(BACKEND === "postgres" ? q : `PRAGMA busy_timeout = 10000; ${q}`);
  const get = (who, q) =>
    api(url, "GET", `/api/v1/worker-assessments${q}`, s[who]);
  const byUser = (items) =>
    Object.fromEntries(items.map((i) => [i.user_id, i]));
  const score = (row, m) => row.scores.find((x) => x.measure === m);

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const n of ["admin", "zhihui", "jumin", "chengguan", "wangge"])
      s[n] = await signInDemo(url, n);
    let res = await api(url, "POST", "/api/v1/regions", {
      ...s.zhihui,
      body: { code: STREET, name: "考核测试街道", parent_code: "999901" },
    });
    assert.equal(res.status, 201, res.text);
    res = await api(url, "POST", "/api/v1/regions", {
      ...s.zhihui,
      body: { code: COMM, name: "考核测试社区", parent_code: STREET },
    });
    assert.equal(res.status, 201, res.text);
    for (const [i, g] of [G1, G2].entries()) {
      res = await api(url, "POST", "/api/v1/regions", {
        ...s.zhihui,
        body: {
          code: g,
          name: `考核网格${i + 1}`,
          parent_code: COMM,
          planned_households: 400,
        },
      });
      assert.equal(res.status, 201, res.text);
    }
    const tagp = `wa${process.pid}`;
    for (const [k, role, region] of [
      ["w1", "grid_worker", G1],
      ["w2", "grid_worker", G2],
      ["w3", "grid_worker", G1],
      ["w4", "grid_worker", G2],
      ["leader", "grid_leader", G1],
      ["comm", "community", COMM],
      ["street", "street", STREET],
    ]) {
      s[k] = await createUser(url, s.admin, {
        username: `${tagp}${k}`,
        role,
        region,
      });
      u[k] = Number(
        srv.sql(`SELECT id FROM users WHERE username = '${tagp}${k}'`),
      );
    }
    // four cases in the new grids (reported now by the district; their March records are crafted)
    for (const g of [G1, G1, G1, G2])
      cases.push(
        (await report(url, s.zhihui, { region_code: g, source: "hotline" }))
          .json.id,
      );
    const [c0, c1, c2, c3] = cases;
    const ev = (c, at, who, action) =>
      `INSERT INTO case_events(case_id, at, actor_id, actor, role, action) VALUES (${c}, ${at}, ${u[who]}, '${who}', 'grid_worker', '${action}')`;
    const stmts = [
      // reports: w1 three in March (and one in February), w2 one
      ev(c0, T, "w1", "report"),
      ev(c1, T, "w1", "report"),
      ev(c2, T + 60, "w1", "report"),
      ev(c2, FEB, "w1", "report"),
      ev(c3, T, "w2", "report"),
      // handling: w1 handles c0 (twice), c1, c2; w2 handles c3
      ev(c0, T + 3600, "w1", "handle"),
      ev(c0, T + 7200, "w1", "handle"),
      ev(c1, T + 3600, "w1", "handle"),
      ev(c2, T + 3600, "w1", "handle"),
      ev(c3, T + 3600, "w2", "handle"),
      // c0, c1 closed, handled by the deadline; c2 closed but late; c3 handled, not closed
      `UPDATE cases SET status = 7, handled_at = ${T + 7200}, handle_due = ${T + 86400}, closed_at = ${T + 9000} WHERE id IN (${c0}, ${c1})`,
      `UPDATE cases SET status = 7, handled_at = ${T + 2 * 86400}, handle_due = ${T + 86400}, closed_at = ${T + 3 * 86400} WHERE id = ${c2}`,
      `UPDATE cases SET status = 5, handled_at = ${T + 3600}, handle_due = ${T + 86400} WHERE id = ${c3}`,
    ];
    const visit = (who, at, outcome) =>
      `INSERT INTO sweep_visits(sweep_id, house_id, region_code, visitor_id, visitor, at, outcome) VALUES ((SELECT min(id) FROM sweeps), (SELECT min(id) FROM houses), '${G1}', ${u[who]}, '${who}', ${at}, '${outcome}')`;
    for (let i = 0; i < 5; i++) stmts.push(visit("w1", T + i, "visited"));
    stmts.push(
      visit("w1", T, "nobody_home"),
      visit("w1", T, "refused"),
      visit("w1", FEB, "visited"),
    );
    stmts.push(visit("w2", T, "visited"), visit("w2", T, "visited"));
    const care = (who, at) =>
      `INSERT INTO care_visits(target_id, region_code, visited_day, note, user_id, created_at) VALUES ((SELECT min(id) FROM care_targets), '${G1}', ${Math.floor((at + 28800) / 86400)}, '走访', ${u[who]}, ${at})`;
    stmts.push(care("w1", T), care("w1", T + 86400));
    for (let i = 0; i < 8; i++) stmts.push(care("w2", T + i * 3600));
    // a callback sample of March: c0 contradicted, c1 confirmed, c2 unreachable, c3 contradicted
    stmts.push(
      `INSERT INTO callback_samples(region_code, period, size, seed, population, drawn, created_at) VALUES ('${COMM}', 202503, 4, '7', 4, 4, ${T})`,
    );
    const sample = `(SELECT max(id) FROM callback_samples WHERE region_code = '${COMM}')`;
    for (const [i, [c, o]] of [
      [c0, "contradicted"],
      [c1, "confirmed"],
      [c2, "unreachable"],
      [c3, "contradicted"],
    ].entries())
      stmts.push(
        `INSERT INTO callback_items(sample_id, case_id, position, region_code, unit, outcome, recorded_at) VALUES (${sample}, ${c}, ${i + 1}, '${G1}', '网格', '${o}', ${T + 86400})`,
      );
    put(stmts.join("; "));
  });
  after(() => srv?.stop());

  test("counts and scores with known answers; ties share a rank", async () => {
    const res = await get("comm", `?region=${COMM}&month=${MONTH}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.month, MONTH);
    assert.equal(res.json.self, false);
    assert.deepEqual(
      res.json.scheme.items.map((i) => [i.measure, i.weight]),
      [
        ["reports", 20],
        ["sweeps_verified", 25],
        ["care_visits", 15],
        ["on_time_rate", 25],
        ["callback_failures", 15],
      ],
    );
    const rows = byUser(res.json.items);
    assert.deepEqual(
      Object.keys(rows)
        .map(Number)
        .sort((a, b) => a - b),
      [u.w1, u.w2, u.w3, u.w4].sort((a, b) => a - b),
    );
    const w1 = rows[u.w1];
    assert.deepEqual(w1.counts, {
      reports: 3,
      sweeps_verified: 5,
      care_visits: 2,
      handled: 3,
      handled_on_time: 2,
      callbacks_reached: 2,
      callbacks_contradicted: 1,
    });
    assert.equal(w1.grid_code, G1);
    // reports 3/8 × 20 = 7.5; sweeps 5/40 × 25 = 3.13; care 2/8 × 15 = 3.75;
    // on time 2/3 = 66.67 %: (66.67 − 60)/35 × 25 = 4.76; one failure: (3 − 1)/3 × 15 = 10
    assert.deepEqual(
      w1.scores.map((x) => x.points),
      [7.5, 3.13, 3.75, 4.76, 10],
    );
    assert.equal(score(w1, "on_time_rate").value, 66.67);
    assert.equal(score(w1, "on_time_rate").numerator, 2);
    assert.equal(score(w1, "on_time_rate").denominator, 3);
    assert.equal(w1.total, 29.14);
    const w2 = rows[u.w2];
    assert.deepEqual(w2.counts, {
      reports: 1,
      sweeps_verified: 2,
      care_visits: 8,
      handled: 1,
      handled_on_time: 0,
      callbacks_reached: 1,
      callbacks_contradicted: 1,
    });
    // 2.5 + 1.25 + 15 + 0 (0 %) + 10
    assert.equal(w2.total, 28.75);
    // nothing recorded: no on-time value (0 points, no_data), no failure (full 15)
    const w3 = rows[u.w3];
    assert.equal(score(w3, "on_time_rate").no_data, true);
    assert.equal(score(w3, "on_time_rate").value, null);
    assert.equal(w3.total, 15);
    assert.deepEqual(
      res.json.items.map((i) => [i.user_id, i.rank]),
      [
        [u.w1, 1],
        [u.w2, 2],
        [Math.min(u.w3, u.w4), 3],
        [Math.max(u.w3, u.w4), 3],
      ],
    );
    assert.deepEqual(rows[u.w3].tie_with, [u.w4]);
    assert.deepEqual(rows[u.w1].tie_with, []);
    // another month: nothing but the no-failure points
    const feb = await get("comm", `?region=${COMM}&month=2025-02`);
    assert.equal(byUser(feb.json.items)[u.w1].counts.reports, 1);
    assert.equal(byUser(feb.json.items)[u.w1].counts.sweeps_verified, 1);
    assert.equal(byUser(feb.json.items)[u.w1].counts.handled, 0);
  });

  test("scope: overseers see their region, a grid worker only their own row", async () => {
    // the community's default region is its own; a grid leader sees its grid's workers
    assert.equal((await get("comm", `?month=${MONTH}`)).json.items.length, 4);
    const leader = await get("leader", `?month=${MONTH}`);
    assert.equal(leader.status, 200, leader.text);
    assert.deepEqual(
      leader.json.items.map((i) => i.user_id).sort(),
      [u.w1, u.w3].sort(),
    );
    assertProblem(await get("leader", `?region=${G2}&month=${MONTH}`), 403);
    assertProblem(await get("comm", `?region=${STREET}&month=${MONTH}`), 403);
    assert.equal(
      (await get("street", `?region=${STREET}&month=${MONTH}`)).json.items
        .length,
      4,
    );
    // the district reaches the new street too, and the demo's workers are not in it
    const d = await get("zhihui", `?region=${STREET}&month=${MONTH}`);
    assert.equal(d.json.items.length, 4);
    // a grid worker: their own row, without a place among others, whatever region covers them
    for (const q of [
      `?month=${MONTH}`,
      `?region=${STREET}&month=${MONTH}`,
      `?region=${G1}&month=${MONTH}`,
    ]) {
      const own = await get("w1", q);
      assert.equal(own.status, 200, own.text);
      assert.equal(own.json.self, true);
      assert.deepEqual(
        own.json.items.map((i) => i.user_id),
        [u.w1],
      );
      assert.equal(own.json.items[0].rank, null);
      assert.equal(own.json.items[0].total, 29.14);
      assert.deepEqual(own.json.red, []);
    }
    assertProblem(await get("w1", `?region=${G2}&month=${MONTH}`), 403);
    assertProblem(await get("wangge", `?region=${COMM}&month=${MONTH}`), 403);
    for (const who of ["jumin", "chengguan"])
      assertProblem(await get(who, `?month=${MONTH}`), 403, who);
    assertProblem(await api(url, "GET", "/api/v1/worker-assessments"), 401);
    for (const q of [
      "?month=2025-3",
      "?month=2025",
      "?month=2025-13",
      "?region=abc",
    ])
      assertProblem(await get("comm", q), 400, q);
  });

  test("drill-down: the records behind a number, in scope only", async () => {
    const rec = (who, q) => get(who, `/records?month=${MONTH}&${q}`);
    const [c0, c1, c2, c3] = cases;
    let res = await rec("comm", `user=${u.w1}&measure=on_time_rate`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.items.map((i) => i.id).sort(), [c0, c1].sort());
    assert.ok(
      res.json.items.every((i) => i.type === "case" && /^SJ\d+/.test(i.number)),
    );
    assert.equal(res.json.next_cursor, null);
    res = await rec("comm", `user=${u.w1}&measure=handled`);
    assert.deepEqual(
      res.json.items.map((i) => i.id).sort(),
      [c0, c1, c2].sort(),
    );
    res = await rec("comm", `user=${u.w1}&measure=reports`);
    assert.deepEqual(
      res.json.items.map((i) => i.id).sort(),
      [c0, c1, c2].sort(),
    );
    res = await rec("comm", `user=${u.w1}&measure=callback_failures`);
    assert.deepEqual(
      res.json.items.map((i) => i.id),
      [c0],
    );
    res = await rec("comm", `user=${u.w1}&measure=callbacks_reached`);
    assert.deepEqual(res.json.items.map((i) => i.id).sort(), [c0, c1].sort());
    res = await rec("comm", `user=${u.w2}&measure=callback_failures`);
    assert.deepEqual(
      res.json.items.map((i) => i.id),
      [c3],
    );
    res = await rec("comm", `user=${u.w1}&measure=sweeps_verified`);
    assert.equal(res.json.items.length, 5);
    assert.ok(
      res.json.items.every((i) => i.type === "sweep_visit" && i.house_id > 0),
    );
    res = await rec("comm", `user=${u.w2}&measure=care_visits`);
    assert.equal(res.json.items.length, 8);
    assert.ok(
      res.json.items.every(
        (i) =>
          i.type === "care_visit" && i.care_target_id > 0 && !("name" in i),
      ),
    );
    // a grid worker drills into their own numbers only; others' are hidden
    assert.equal((await rec("w1", `user=${u.w1}&measure=reports`)).status, 200);
    assertProblem(await rec("w1", `user=${u.w3}&measure=reports`), 404);
    assertProblem(await rec("leader", `user=${u.w2}&measure=reports`), 404);
    assertProblem(await rec("comm", `user=${u.leader}&measure=reports`), 404);
    assertProblem(await rec("jumin", `user=${u.w1}&measure=reports`), 403);
    for (const q of [
      `user=${u.w1}`,
      `user=${u.w1}&measure=nothing`,
      "measure=reports",
      `user=1x&measure=reports`,
    ])
      assertProblem(await rec("comm", q), 400, q);
  });

  test("XLSX export of the table", async () => {
    const res = await get("comm", `/export?region=${COMM}&month=${MONTH}`);
    assert.equal(res.status, 200, res.text?.slice(0, 200));
    assert.match(res.headers.get("content-type"), /spreadsheetml/);
    assert.equal(
      res.headers.get("content-disposition")?.includes("worker-assessment"),
      true,
    );
    assertProblem(await get("jumin", `/export?month=${MONTH}`), 403);
    const own = await get("w1", `/export?month=${MONTH}`);
    assert.equal(own.status, 200);
  });
});
