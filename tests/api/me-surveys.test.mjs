// Residents answer satisfaction surveys (满意度测评) on the phone: GET /api/v1/me/surveys lists
// the open surveys whose sample holds the resident's linked household (nothing of the sample,
// the seed or other households), POST /api/v1/me/surveys/{id}/responses answers once for the
// household — a second answer, from the resident or from callback staff, is 409; a survey whose
// sample lacks the household is 404 (not revealed); a survey out of its window is 409.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BACKEND,
  GRID1,
  GRID2,
  api,
  assertProblem,
  signInDemo,
  startServer,
} from "./harness.mjs";

describe("residents answer surveys", { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const put = (q) =>
    srv.sql(BACKEND === "postgres" ? q : `PRAGMA busy_timeout = 10000; ${q}`);
  const mine = (who) => api(url, "GET", "/api/v1/me/surveys", s[who]);
  const answer = (who, id, body) =>
    api(url, "POST", `/api/v1/me/surveys/${id}/responses`, { ...s[who], body });
  let hh, hh2;
  const month = (d) => {
    const t = new Date(d.getTime() + 8 * 3600e3);
    return t.getUTCFullYear() * 100 + t.getUTCMonth() + 1;
  };
  const now = new Date();
  const thisMonth = month(now);
  const QUESTIONS = JSON.stringify([
    {
      text: "您对网格员的服务是否满意？",
      options: ["满意", "基本满意", "不满意"],
    },
    { text: "网格员是否上门走访过？", options: ["是", "否"] },
  ]);
  /** A survey of grid for period with the households sampled (crafted: the draw is surveys.test.mjs's). */
  const survey = (title, grid, period, households) => {
    put(
      `INSERT INTO surveys(title, region_code, period, per_grid, seed, questions, population, drawn, created_at) VALUES ('${title}', '${grid}', ${period}, 5, '9', '${QUESTIONS}', 5, ${households.length}, 0)`,
    );
    const id = Number(
      srv.sql(`SELECT max(id) FROM surveys WHERE title = '${title}'`),
    );
    put(
      households
        .map(
          (h, i) =>
            `INSERT INTO survey_households(survey_id, household_id, grid_code, position, population) VALUES (${id}, ${h}, '${grid}', ${i + 1}, 5)`,
        )
        .join("; "),
    );
    return id;
  };
  const ids = {};

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const n of ["jumin", "jumin2", "jiedao", "wangge", "shequ"])
      s[n] = await signInDemo(url, n);
    hh = (await api(url, "GET", "/api/v1/me", s.jumin)).json.household_id;
    hh2 = (await api(url, "GET", "/api/v1/me", s.jumin2)).json.household_id;
    assert.ok(hh > 0 && hh2 > 0 && hh !== hh2);
    const other = Number(
      srv.sql(`SELECT min(id) FROM households WHERE region_code = '${GRID2}'`),
    );
    const prev = thisMonth % 100 === 1 ? thisMonth - 89 : thisMonth - 1;
    const old = prev % 100 === 1 ? prev - 89 : prev - 1;
    ids.open = survey(`居民测评${process.pid}`, GRID1, thisMonth, [hh, other]);
    ids.last = survey(`上月测评${process.pid}`, GRID1, prev, [hh]);
    ids.old = survey(`旧测评${process.pid}`, GRID1, old, [hh]);
    ids.notMine = survey(`他人测评${process.pid}`, GRID2, thisMonth, [other]);
    ids.staffFirst = survey(`代答测评${process.pid}`, GRID1, thisMonth, [hh2]);
  });
  after(() => srv?.stop());

  test("a resident lists the open surveys of their household, nothing of the sample", async () => {
    const res = await mine("jumin");
    assert.equal(res.status, 200, res.text);
    const got = res.json.items.map((i) => i.id);
    assert.ok(
      got.includes(ids.open) && got.includes(ids.last),
      JSON.stringify(got),
    );
    assert.ok(
      !got.includes(ids.old) &&
        !got.includes(ids.notMine) &&
        !got.includes(ids.staffFirst),
    );
    // the demo's census survey of grid 1 is there too
    assert.ok(
      res.json.items.some((i) => i.title === "第一网格居民满意度自评（演示）"),
    );
    const it = res.json.items.find((i) => i.id === ids.open);
    assert.equal(it.answered, false);
    assert.equal(it.questions.length, 2);
    for (const k of [
      "seed",
      "population",
      "drawn",
      "responses",
      "grids",
      "households",
      "region_code",
    ])
      assert.ok(!(k in it), k);
    assert.equal(res.json.next_cursor, null);
  });

  test("one answer per household: resident and staff together count once", async () => {
    let res = await answer("jumin", ids.open, { answers: [0, 1] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.channel, "resident");
    assert.ok(!("household_id" in res.json));
    assertProblem(await answer("jumin", ids.open, { answers: [1, 1] }), 409);
    // callback staff cannot answer again for the household
    res = await api(url, "POST", `/api/v1/surveys/${ids.open}/responses`, {
      ...s.jiedao,
      body: { household_id: hh, answers: [2, 0] },
    });
    assertProblem(res, 409);
    const results = await api(
      url,
      "GET",
      `/api/v1/surveys/${ids.open}/results`,
      s.jiedao,
    );
    assert.equal(results.status, 200, results.text);
    assert.equal(results.json.responses, 1);
    assert.equal(results.json.questions[0].total.options[0].count, 1);
    assert.equal(
      (await mine("jumin")).json.items.find((i) => i.id === ids.open).answered,
      true,
    );
    // staff first, then the resident of that household: 409
    res = await api(
      url,
      "POST",
      `/api/v1/surveys/${ids.staffFirst}/responses`,
      { ...s.jiedao, body: { household_id: hh2, answers: [0, 0] } },
    );
    assert.equal(res.status, 201, res.text);
    assert.equal(
      (await mine("jumin2")).json.items.find((i) => i.id === ids.staffFirst)
        .answered,
      true,
    );
    assertProblem(
      await answer("jumin2", ids.staffFirst, { answers: [0, 0] }),
      409,
    );
    // last month's survey is still open this month
    assert.equal(
      (await answer("jumin", ids.last, { answers: [1, 0] })).status,
      201,
    );
  });

  test("not in the sample, closed, malformed, not a resident", async () => {
    assertProblem(await answer("jumin", ids.notMine, { answers: [0, 0] }), 404);
    assertProblem(await answer("jumin2", ids.open, { answers: [0, 0] }), 404);
    assertProblem(await answer("jumin", 999999999, { answers: [0, 0] }), 404);
    assertProblem(await answer("jumin", ids.old, { answers: [0, 0] }), 409);
    for (const bad of [
      {},
      { answers: [0] },
      { answers: [3, 0] },
      { answers: [0, -1] },
      { answers: ["满意", 0] },
    ])
      assertProblem(
        await answer("jumin", ids.open, bad),
        422,
        JSON.stringify(bad),
      );
    for (const who of ["wangge", "jiedao", "shequ"]) {
      assertProblem(await mine(who), 403, who);
      assertProblem(await answer(who, ids.open, { answers: [0, 0] }), 403, who);
    }
    assertProblem(await api(url, "GET", "/api/v1/me/surveys"), 401);
  });
});
