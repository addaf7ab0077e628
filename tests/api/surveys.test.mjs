// Satisfaction surveys (满意度测评, docs/indicators.md "Samples"): per grid a reproducible
// sample of the active households (the same seed → the same households, as the reference
// draw in sample-lib.mjs computes them; another seed → others), answers entered by phone
// (one response per household: 409 on a second), the results per question with n, shares and
// the margin of error in total and per grid (no personal data), and the scope.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BACKEND,
  STREET2,
  api,
  assertProblem,
  signInDemo,
  startServer,
} from "./harness.mjs";
import { createUser } from "./cases-lib.mjs";
import { drawSample, margin } from "./sample-lib.mjs";

const STREET = "999901001";
const COMM = `${STREET}0${90 + (process.pid % 9)}`;
const [G1, G2] = ["001", "002"].map((g) => COMM + g);
const QUESTIONS = [
  {
    text: "您对网格员的服务是否满意？",
    options: ["满意", "基本满意", "不满意"],
  },
  { text: "近三个月网格员是否上门走访过？", options: ["是", "否"] },
];

describe("surveys", { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const hh = { [G1]: [], [G2]: [] };
  const put = (q) =>
    srv.sql(BACKEND === "postgres" ? q : `PRAGMA busy_timeout = 10000; ${q}`);
  const create = (who, body) =>
    api(url, "POST", "/api/v1/surveys", { ...s[who], body });
  const respond = (who, id, body) =>
    api(url, "POST", `/api/v1/surveys/${id}/responses`, { ...s[who], body });

  /** A building in grid with n households; active: how many of them have an active resident. */
  const households = (grid, n, active) => {
    const b = `(SELECT id FROM buildings WHERE region_code = '${grid}' AND name = '测评楼')`;
    const stmts = [
      `INSERT INTO buildings(region_code, name, created_at, updated_at) VALUES ('${grid}', '测评楼', 0, 0)`,
    ];
    for (let i = 0; i < n; i++) {
      const house = `(SELECT id FROM houses WHERE building_id = ${b} AND room = '${101 + i}')`;
      stmts.push(
        `INSERT INTO houses(region_code, building_id, unit, room, created_at, updated_at) VALUES ('${grid}', ${b}, '1', '${101 + i}', 0, 0)`,
      );
      stmts.push(
        `INSERT INTO households(region_code, house_id, created_at, updated_at) VALUES ('${grid}', ${house}, 0, 0)`,
      );
      stmts.push(
        `INSERT INTO residents(region_code, house_id, household_id, name, residency, status, created_at, updated_at) VALUES ('${grid}', ${house}, ` +
          `(SELECT id FROM households WHERE house_id = ${house}), '测评居民${i}', 'registered', '${i < active ? "active" : "moved_out"}', 0, 0)`,
      );
    }
    put(stmts.join("; "));
    const out = String(
      srv.sql(
        `SELECT h.id FROM households h WHERE h.region_code = '${grid}' AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.status = 'active') ORDER BY h.id`,
      ),
    );
    return out
      .split(/\s+/)
      .filter((x) => /^\d+$/.test(x))
      .map(Number);
  };

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ["admin", "zhihui", "jiedao", "shequ", "wangge", "jumin"])
      s[u] = await signInDemo(url, u);
    s.other = await createUser(url, s.admin, {
      username: `svother${process.pid}`,
      role: "street",
      region: STREET2,
    });
    let res = await api(url, "POST", "/api/v1/regions", {
      ...s.jiedao,
      body: { code: COMM, name: "测评测试社区", parent_code: STREET },
    });
    assert.equal(res.status, 201, res.text);
    for (const [i, g] of [G1, G2].entries()) {
      res = await api(url, "POST", "/api/v1/regions", {
        ...s.jiedao,
        body: { code: g, name: `测评网格${i + 1}`, parent_code: COMM },
      });
      assert.equal(res.status, 201, res.text);
    }
    hh[G1] = households(G1, 10, 9); // one household has moved out: not in the population
    hh[G2] = households(G2, 3, 3);
    assert.equal(hh[G1].length, 9);
    assert.equal(hh[G2].length, 3);
  });
  after(() => srv?.stop());

  const body = (seed) => ({
    title: "2026年网格服务满意度测评",
    region_code: COMM,
    period: "2026-11",
    per_grid: 4,
    seed,
    questions: QUESTIONS,
  });
  const sampled = (survey, grid) =>
    survey.grids
      .find((g) => g.grid_code === grid)
      .households.map((h) => h.household_id);

  test("per grid, the same seed draws the same households, another seed others", async () => {
    const a = await create("jiedao", body(42));
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.population, 12);
    assert.equal(a.json.drawn, 7);
    assert.equal(a.json.seed, "42");
    assert.deepEqual(sampled(a.json, G1), drawSample(hh[G1], 4, 42));
    assert.deepEqual(sampled(a.json, G2), drawSample(hh[G2], 4, 42));
    assert.deepEqual(
      a.json.grids.map((g) => [g.grid_code, g.population]),
      [
        [G1, 9],
        [G2, 3],
      ],
    );
    // callback staff see the addresses of their scope
    assert.match(a.json.grids[0].households[0].address, /测评楼/);
    const b = await create("zhihui", body("42"));
    assert.deepEqual(sampled(b.json, G1), sampled(a.json, G1));
    const c = await create("jiedao", body(43));
    assert.deepEqual(sampled(c.json, G1), drawSample(hh[G1], 4, 43));
    assert.notDeepEqual(sampled(c.json, G1), sampled(a.json, G1));
    const r = await create("jiedao", body(undefined));
    assert.match(r.json.seed, /^\d+$/);
    assert.deepEqual(
      sampled(r.json, G1),
      drawSample(hh[G1], 4, BigInt(r.json.seed)),
    );
    for (const bad of [
      { ...body(1), questions: [] },
      { ...body(1), questions: [{ text: "只有一个选项", options: ["是"] }] },
      { ...body(1), per_grid: 0 },
      { ...body(1), period: "2026-1" },
      { ...body(1), region_code: `${STREET}099` },
    ])
      assertProblem(await create("jiedao", bad), 422, JSON.stringify(bad));
  });

  test("responses: one per household, the sample only; results with n, shares and margins", async () => {
    const sv = (await create("jiedao", body(2026))).json;
    const g1 = sampled(sv, G1);
    const g2 = sampled(sv, G2);
    // G1: four answers to q0: 满意, 满意, 基本满意, 不满意; q1: 是 ×3, 否; G2: one 满意 / 否
    const answers = [
      [0, 0],
      [0, 0],
      [1, 0],
      [2, 1],
    ];
    for (const [i, a] of answers.entries()) {
      const res = await respond("jiedao", sv.id, {
        household_id: g1[i],
        answers: a,
        channel: "phone",
      });
      assert.equal(res.status, 201, res.text);
    }
    assert.equal(
      (await respond("zhihui", sv.id, { household_id: g2[0], answers: [0, 1] }))
        .status,
      201,
    );
    assertProblem(
      await respond("jiedao", sv.id, { household_id: g1[0], answers: [1, 1] }),
      409,
      "second response",
    );
    const outside = hh[G1].find((id) => !g1.includes(id));
    assertProblem(
      await respond("jiedao", sv.id, {
        household_id: outside,
        answers: [0, 0],
      }),
      422,
      "not sampled",
    );
    assertProblem(
      await respond("jiedao", sv.id, { household_id: g2[1], answers: [3, 0] }),
      422,
      "option out of range",
    );
    assertProblem(
      await respond("jiedao", sv.id, { household_id: g2[1], answers: [0] }),
      422,
      "too few answers",
    );
    assertProblem(
      await respond("jiedao", sv.id, {
        household_id: g2[1],
        answers: [0, 0],
        channel: "web",
      }),
      422,
      "channel",
    );

    const res = await api(
      url,
      "GET",
      `/api/v1/surveys/${sv.id}/results`,
      s.jiedao,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.responses, 5);
    const [q0, q1] = res.json.questions;
    const opt = (o) => o.options.map((x) => [x.option, x.count]);
    assert.equal(q0.total.n, 5);
    assert.deepEqual(opt(q0.total), [
      ["满意", 3],
      ["基本满意", 1],
      ["不满意", 1],
    ]);
    assert.ok(Math.abs(q0.total.options[0].share - 0.6) < 1e-9);
    // 3 of 5 out of 12 households: 1.96·sqrt(0.24/5)·sqrt(7/11)
    assert.ok(
      Math.abs(q0.total.options[0].margin - 0.3425542558) < 1e-9,
      String(q0.total.options[0].margin),
    );
    assert.ok(Math.abs(q0.total.options[0].margin - margin(3, 5, 12)) < 1e-9);
    const grid1 = q0.grids.find((g) => g.grid_code === G1);
    assert.deepEqual([grid1.n, grid1.population], [4, 9]);
    assert.ok(Math.abs(grid1.options[0].margin - margin(2, 4, 9)) < 1e-9);
    const grid2 = q1.grids.find((g) => g.grid_code === G2);
    assert.deepEqual(opt(grid2), [
      ["是", 0],
      ["否", 1],
    ]);
    // the whole grid asked (3 of 3 drawn, 1 answered): a margin with N = 3
    assert.ok(Math.abs(grid2.options[1].margin - margin(1, 1, 3)) < 1e-9);
    assert.deepEqual(opt(q1.total), [
      ["是", 3],
      ["否", 2],
    ]);
    // an unanswered survey: n = 0, shares and margins null
    const empty = (
      await api(
        url,
        "GET",
        `/api/v1/surveys/${(await create("jiedao", body(9))).json.id}/results`,
        s.jiedao,
      )
    ).json;
    assert.equal(empty.questions[0].total.n, 0);
    assert.equal(empty.questions[0].total.options[0].share, null);
    assert.equal(empty.questions[0].total.options[0].margin, null);
    // no personal data in the results
    assert.doesNotMatch(res.text, /测评居民|测评楼|household/);
    // the survey shows who answered
    const got = (await api(url, "GET", `/api/v1/surveys/${sv.id}`, s.jiedao))
      .json;
    assert.equal(got.responses, 5);
    assert.equal(got.grids[0].households.filter((h) => h.answered).length, 4);
  });

  test("scope: roles without surveys 403, another street 404/403", async () => {
    const sv = (await create("jiedao", body(5))).json;
    for (const who of ["shequ", "wangge", "jumin"]) {
      assertProblem(await api(url, "GET", "/api/v1/surveys", s[who]), 403, who);
      assertProblem(
        await api(url, "GET", `/api/v1/surveys/${sv.id}/results`, s[who]),
        403,
        who,
      );
      assertProblem(await create(who, body(1)), 403, who);
    }
    assertProblem(
      await api(url, "GET", `/api/v1/surveys/${sv.id}`, s.other),
      404,
    );
    assertProblem(
      await api(url, "GET", `/api/v1/surveys/${sv.id}/results`, s.other),
      404,
    );
    assertProblem(
      await respond("other", sv.id, {
        household_id: sampled(sv, G1)[0],
        answers: [0, 0],
      }),
      404,
    );
    assertProblem(await create("other", body(1)), 403);
    const list = await api(url, "GET", "/api/v1/surveys?limit=200", s.other);
    assert.ok(!list.json.items.some((x) => x.id === sv.id));
    const own = await api(
      url,
      "GET",
      `/api/v1/surveys?region=${COMM}&limit=200`,
      s.jiedao,
    );
    assert.ok(own.json.items.some((x) => x.id === sv.id));
  });

  test("one who supervises two streets lists the surveys of both, each once, newest first", async () => {
    const two = await createUser(url, s.admin, {
      username: `svtwo${process.pid}`,
      grants: [
        { role: "supervisor", region_code: STREET },
        { role: "supervisor", region_code: STREET2 },
        { role: "supervisor", region_code: COMM }, // within the first: adds nothing
      ],
    });
    const here = (await create("jiedao", body(7))).json.id;
    // a survey of the other street (no households of its own needed to be listed)
    put(
      `INSERT INTO surveys(title, region_code, period, per_grid, seed, questions, population, drawn, created_at) ` +
        `VALUES ('另一街道测评${process.pid}', '${STREET2}', 202611, 1, '1', '[]', 0, 0, 0)`,
    );
    const there = Number(
      srv.sql(`SELECT max(id) FROM surveys WHERE region_code = '${STREET2}'`),
    );
    const all = [];
    let cursor = null;
    do {
      const res = await api(
        url,
        "GET",
        `/api/v1/surveys?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        two,
      );
      assert.equal(res.status, 200, res.text);
      all.push(...res.json.items.map((x) => x.id));
      cursor = res.json.next_cursor;
    } while (cursor);
    assert.ok(all.includes(here) && all.includes(there), JSON.stringify(all));
    assert.equal(new Set(all).size, all.length, "each survey once");
    assert.deepEqual(
      all,
      [...all].sort((a, b) => b - a),
      "newest first across both streets",
    );
    // the street's own list stays its own
    const one = await api(url, "GET", "/api/v1/surveys?limit=200", s.jiedao);
    assert.ok(
      one.json.items.some((x) => x.id === here) &&
        !one.json.items.some((x) => x.id === there),
    );
  });
});
