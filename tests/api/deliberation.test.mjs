// Deliberation (协商议事): every transition and refusal of both procedures (six_step and
// four_two), supports and comments with moderation, meetings with minutes, ballots (one vote per
// household, a later vote replacing the earlier, the register fixed at opening, off-register
// 403, after close 409, quorum presets, threshold, the frozen result, secret ballots losing the
// voter's link when the outbox thread closes them at closes_at), 民筹/民办/民评, objections in the
// 公示 period, and the public disclosure page without personal data. Small registers come from a
// grid the test makes (TG: four households, one with a child); resident accounts linked to
// households are the demo's yishi1 … yishi4 (yishi1 and yishi2 share a household).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  COMM1,
  GRID1,
  api,
  assertProblem,
  signIn,
  signInDemo,
  sleep,
  startServer,
} from "./harness.mjs";
import { idNumber } from "./base-lib.mjs";

const TG = `${COMM1}090`;
const at = (seconds) =>
  new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
const OTHER_COMM = "999901002003";

describe("deliberation", { timeout: 300_000 }, () => {
  let srv, url;
  const s = {};
  const names = [];
  const hh = []; // household ids of TG
  const call = (who, method, p, body) =>
    api(url, method, p, {
      ...(s[who] || {}),
      ...(body !== undefined ? { body } : {}),
    });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(
      res.status,
      status,
      `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`,
    );
    return res.json;
  };
  const topic = (who, body) =>
    must(who, "POST", "/api/v1/topics", {
      title: "议题",
      body: "内容",
      region_code: TG,
      ...body,
    });
  const advance = (who, id, to, extra = {}, status = 200) =>
    must(who, "POST", `/api/v1/topics/${id}/advance`, { to, ...extra }, status);
  const refuse = async (who, id, to, status, extra = {}) =>
    assertProblem(
      await call(who, "POST", `/api/v1/topics/${id}/advance`, { to, ...extra }),
      status,
      `${who} → ${to}`,
    );
  const minutedMeeting = (id, venue = "grid") =>
    must("shequ", "POST", `/api/v1/topics/${id}/meetings`, {
      venue,
      held_at: at(-3600),
      minutes: "议定方案",
      place: "红色议事厅",
    });
  const ballot = (id, body) =>
    must("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
      question: "是否同意？",
      closes_at: at(3600),
      ...body,
    });
  const paper = (id, household_id, option, status = 201) =>
    must(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/votes`,
      { household_id, option, paper: true },
      status,
    );
  const result = (id) =>
    must("shequ", "GET", `/api/v1/topics/${id}/result`, undefined, 200);

  async function person(household_id, house_id, birth, name) {
    names.push(name);
    return must("admin", "POST", "/api/v1/residents", {
      name,
      id_number: idNumber({ birth }),
      phone: `139${String(10000000 + names.length * 7919).slice(-8)}`,
      region_code: TG,
      house_id,
      household_id,
      residency: "registered",
    });
  }
  async function household(i, withChild = false) {
    const house = await must("admin", "POST", "/api/v1/houses", {
      building_id: s.building,
      room: `${100 + i}`,
    });
    const h = await must("admin", "POST", "/api/v1/households", {
      house_id: house.id,
    });
    await person(h.id, house.id, "19700101", `议事测试户主${i}`);
    if (withChild) await person(h.id, house.id, "20150601", `议事测试孩子${i}`);
    return h.id;
  }

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of [
      "admin",
      "shequ",
      "wanggezhang",
      "wangge",
      "wangge2",
      "jumin",
      "yishi1",
      "yishi2",
      "yishi3",
      "yishi4",
    ])
      s[u] = await signInDemo(url, u);
    await must("admin", "POST", "/api/v1/regions", {
      code: TG,
      name: "议事测试网格",
      parent_code: COMM1,
      level: "grid",
    });
    s.building = (
      await must("admin", "POST", "/api/v1/buildings", {
        region_code: TG,
        name: "议事楼",
      })
    ).id;
    for (let i = 1; i <= 4; i++) hh.push(await household(i, i === 1));
    // A resident of another community.
    await must("admin", "POST", "/api/v1/users", {
      username: "delib_far",
      display_name: "外社区居民",
      password: "Delib@2026far",
      grants: [{ role: "resident", region_code: `${OTHER_COMM}001` }],
    });
    s.far = await signIn(url, "delib_far", "Delib@2026far");
    // A resident account of grid 1 linked to no household.
    await must("admin", "POST", "/api/v1/users", {
      username: "delib_unlinked",
      display_name: "未关联居民",
      password: "Delib@2026unl",
      grants: [{ role: "resident", region_code: GRID1 }],
    });
    s.unlinked = await signIn(url, "delib_unlinked", "Delib@2026unl");
  });
  after(async () => {
    await srv?.stop();
  });

  test("six_step: every move, who may make it, what it needs, skipping 409", async () => {
    const t = await topic("jumin", {
      procedure: "six_step",
      region_code: COMM1,
    });
    assert.equal(t.stage, "proposed");
    assert.equal(t.proposer, null, "residents do not see names");
    const id = (await topic("shequ", {})).id;
    // Skipping is 409 and changes nothing.
    for (const to of [
      "deciding",
      "pledging",
      "executing",
      "evaluating",
      "closed",
      "consulted",
      "resolved",
    ])
      await refuse("shequ", id, to, 409);
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/advance`, {
        to: "nowhere",
      }),
      422,
    );
    assertProblem(
      await call("wangge", "POST", `/api/v1/topics/${id}/advance`, {
        to: "discussing",
      }),
      403,
    );
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/advance`, {
        to: "discussing",
      }),
      403,
    );
    // 附议: one per resident account, only while proposed.
    assert.equal(
      (await must("jumin", "POST", `/api/v1/topics/${id}/support`, {}))
        .supports,
      1,
    );
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/support`, {}),
      409,
    );
    await must("yishi1", "POST", `/api/v1/topics/${id}/support`, {});
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/support`, {}),
      403,
    );
    const list = await must(
      "shequ",
      "GET",
      `/api/v1/topics?region=${TG}&stage=proposed`,
      undefined,
      200,
    );
    assert.equal(list.items[0].id, id, "the most supported first");
    assert.ok(
      list.items.every((x) => x.stage === "proposed" && x.region_code === TG),
    );
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/comments`, {
        body: "太早",
      }),
      409,
    );
    let t1 = await advance("shequ", id, "discussing");
    assert.equal(t1.stage, "discussing");
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/support`, {}),
      409,
    );
    // 民议: comments, moderated with a reason.
    const c = await must("jumin", "POST", `/api/v1/topics/${id}/comments`, {
      body: "建议先征求3号楼意见",
    });
    assertProblem(
      await call("wangge", "POST", `/api/v1/topic-comments/${c.id}/hide`, {
        reason: "x",
      }),
      403,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topic-comments/${c.id}/hide`, {}),
      422,
    );
    const hidden = await must(
      "shequ",
      "POST",
      `/api/v1/topic-comments/${c.id}/hide`,
      { reason: "含有人身攻击" },
      200,
    );
    assert.equal(hidden.hidden, true);
    assertProblem(
      await call("shequ", "POST", `/api/v1/topic-comments/${c.id}/hide`, {
        reason: "again",
      }),
      409,
    );
    const seen = await must(
      "yishi1",
      "GET",
      `/api/v1/topics/${id}`,
      undefined,
      200,
    );
    assert.equal(seen.comments[0].body, null);
    assert.equal(seen.comments[0].hidden_reason, "含有人身攻击");
    const audit = await must(
      "admin",
      "GET",
      "/api/v1/audit?action=topic_comment.hide&limit=5",
      undefined,
      200,
    ).catch(() => null);
    if (audit) assert.ok(JSON.stringify(audit).includes("topic_comment.hide"));
    // Leaving 民议 needs a meeting of the stage with minutes.
    await refuse("shequ", id, "deciding", 409);
    const m = await must("shequ", "POST", `/api/v1/topics/${id}/meetings`, {
      venue: "building",
      held_at: at(-600),
    });
    await refuse("shequ", id, "deciding", 409);
    await must(
      "jumin",
      "POST",
      `/api/v1/topic-meetings/${m.id}/attendance`,
      {},
    );
    assertProblem(
      await call(
        "jumin",
        "POST",
        `/api/v1/topic-meetings/${m.id}/attendance`,
        {},
      ),
      409,
    );
    const m2 = await must(
      "shequ",
      "PATCH",
      `/api/v1/topic-meetings/${m.id}`,
      { minutes: "同意方案" },
      200,
    );
    assert.equal(m2.attendance, 1);
    await advance("shequ", id, "deciding");
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/comments`, {
        body: "迟了",
      }),
      409,
    );
    // 民决: needs a closed ballot that passed; advancing closes the open one.
    await refuse("shequ", id, "pledging", 409);
    await ballot(id, { unit: "household", quorum: 0.5, threshold: 0.5 });
    await paper(id, hh[0], 0);
    await paper(id, hh[1], 0);
    await paper(id, hh[2], 1);
    const open = await result(id);
    assert.deepEqual(
      [open.status, open.eligible, open.cast, open.counts, open.passed],
      ["open", 4, 3, undefined, undefined],
    );
    t1 = await advance("shequ", id, "pledging", {
      target_money: 5000,
      target_labour: 40,
    });
    assert.equal(t1.stage, "pledging");
    assert.ok(t1.public_until, "the decision is disclosed for a period");
    const closed = await result(id);
    assert.deepEqual(
      [
        closed.status,
        closed.eligible,
        closed.cast,
        closed.counts,
        closed.quorum_met,
        closed.passed,
      ],
      ["closed", 4, 3, [2, 1, 0], true, true],
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/votes`, {
        household_id: hh[3],
        option: 0,
        paper: true,
      }),
      409,
    );
    // 民筹 and 民办.
    const p = await must("jumin", "POST", `/api/v1/topics/${id}/pledges`, {
      resource: "money",
      amount: 300,
    });
    assert.equal(p.ledger.pledged_money, 300);
    await must("yishi1", "POST", `/api/v1/topics/${id}/pledges`, {
      resource: "labour",
      amount: 8,
    });
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/pledges`, {
        resource: "gold",
        amount: 1,
      }),
      422,
    );
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/spending`, {
        amount: 1,
        note: "x",
      }),
      403,
    );
    await advance("shequ", id, "executing");
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/pledges`, {
        resource: "money",
        amount: 1,
      }),
      409,
    );
    await must("shequ", "POST", `/api/v1/topics/${id}/spending`, {
      amount: 250,
      note: "灯具采购",
    });
    const task = await must("shequ", "POST", `/api/v1/topics/${id}/tasks`, {
      title: "安装灯具",
      owner: "物业",
      deadline: "2026-12-31",
    });
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/tasks`, {
        title: "x",
        owner: "y",
        deadline: "明天",
      }),
      422,
    );
    assert.ok(
      (
        await must(
          "shequ",
          "POST",
          `/api/v1/topic-tasks/${task.id}/done`,
          {},
          200,
        )
      ).done_at,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topic-tasks/${task.id}/done`, {}),
      409,
    );
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/ratings`, {
        rating: "satisfied",
      }),
      409,
    );
    await advance("shequ", id, "evaluating");
    // 民评: an "unsatisfied" majority sends it back to 民办.
    await refuse("shequ", id, "closed", 409); // no ratings yet
    await must("jumin", "POST", `/api/v1/topics/${id}/ratings`, {
      rating: "unsatisfied",
      comment: "灯不够亮",
    });
    await must("yishi1", "POST", `/api/v1/topics/${id}/ratings`, {
      rating: "unsatisfied",
    });
    await must("yishi3", "POST", `/api/v1/topics/${id}/ratings`, {
      rating: "satisfied",
    });
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${id}/ratings`, {
        rating: "great",
      }),
      422,
    );
    await refuse("shequ", id, "closed", 409);
    await advance("shequ", id, "executing");
    await advance("shequ", id, "evaluating");
    await must("jumin", "POST", `/api/v1/topics/${id}/ratings`, {
      rating: "basic",
    }); // replaces
    const r = (
      await must("shequ", "GET", `/api/v1/topics/${id}`, undefined, 200)
    ).ratings;
    assert.deepEqual([r.satisfied, r.basic, r.unsatisfied], [1, 1, 1]);
    const done = await advance("shequ", id, "closed");
    assert.equal(done.stage, "closed");
    assert.deepEqual(
      done.timeline.map((e) => e.to),
      [
        "proposed",
        "discussing",
        "deciding",
        "pledging",
        "executing",
        "evaluating",
        "executing",
        "evaluating",
        "closed",
      ],
    );
    for (const to of ["rejected", "proposed", "executing"])
      await refuse("shequ", id, to, 409);
    // Objections while the result is disclosed (公示).
    const o = await must("jumin", "POST", `/api/v1/topics/${id}/objections`, {
      body: "支出明细请再公开",
    });
    assert.equal(o.topic_id, id);
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/objections`, {
        body: "x",
      }),
      403,
    );
    const staffView = await must(
      "shequ",
      "GET",
      `/api/v1/topics/${id}`,
      undefined,
      200,
    );
    assert.equal(staffView.objection_count, 1);
    assert.equal(staffView.ledger.spent_money, 250);
    // Rejected from an open stage, with a reason, by managers only.
    const rj = (await topic("shequ", {})).id;
    await refuse("shequ", rj, "rejected", 422);
    assert.equal(
      (await advance("shequ", rj, "rejected", { comment: "不属于本社区事项" }))
        .stage,
      "rejected",
    );
    for (const to of ["discussing", "rejected"])
      await refuse("shequ", rj, to, 409);
    assertProblem(
      await call("jumin", "POST", `/api/v1/topics/${rj}/objections`, {
        body: "未在公示期",
      }),
      409,
    );
  });

  test("four_two: 党组织提议 → 两委商议 → 党员大会审议 → 决议 → 决议公开 → 实施 → 结果公开 → 办结", async () => {
    const id = (
      await topic("shequ", { procedure: "four_two", title: "村道硬化" })
    ).id;
    for (const to of [
      "discussing",
      "reviewed",
      "resolved",
      "resolution_public",
      "executing",
      "closed",
    ])
      await refuse("shequ", id, to, 409);
    await advance("shequ", id, "consulted");
    await refuse("shequ", id, "reviewed", 409); // the 两委 meeting's minutes first
    await minutedMeeting(id, "community");
    await advance("shequ", id, "reviewed");
    await refuse("shequ", id, "resolved", 409); // neither the 党员大会 minutes nor a ballot
    await ballot(id, { preset: "household_reps" });
    await paper(id, hh[0], 0);
    await paper(id, hh[1], 0);
    await paper(id, hh[2], 0);
    await refuse("shequ", id, "resolved", 409); // the ballot alone is not enough; refusal keeps it open
    assert.equal((await result(id)).status, "open");
    await minutedMeeting(id, "community");
    const t = await advance("shequ", id, "resolved");
    const res = await result(id);
    assert.deepEqual(
      [
        res.status,
        res.eligible,
        res.cast,
        res.quorum_met,
        res.passed,
        res.unit,
      ],
      ["closed", 4, 3, true, true, "household"],
    );
    assert.equal(t.stage, "resolved");
    const pub = await advance("shequ", id, "resolution_public");
    assert.ok(
      Date.parse(pub.public_until) - Date.now() > 6.9 * 86400e3,
      "seven days by default",
    );
    await must("yishi3", "POST", `/api/v1/topics/${id}/objections`, {
      body: "承包期太长",
    });
    await refuse("shequ", id, "result_public", 409);
    await advance("shequ", id, "executing");
    await advance("shequ", id, "result_public", { publicity_days: 10 });
    const end = await advance("shequ", id, "closed");
    assert.deepEqual(
      end.timeline.map((e) => e.to),
      [
        "proposed",
        "consulted",
        "reviewed",
        "resolved",
        "resolution_public",
        "executing",
        "result_public",
        "closed",
      ],
    );
    // A failed ballot does not decide: reject remains.
    const f = (await topic("shequ", { procedure: "four_two" })).id;
    await advance("shequ", f, "consulted");
    await minutedMeeting(f);
    await advance("shequ", f, "reviewed");
    await minutedMeeting(f);
    await ballot(f, { preset: "household_reps" });
    await paper(f, hh[0], 0);
    await paper(f, hh[1], 1); // 2 of 4 households: below two thirds
    await refuse("shequ", f, "resolved", 409);
    await advance("shequ", f, "rejected", { comment: "未达到法定人数" });
    const fr = await result(f);
    assert.deepEqual(
      [fr.status, fr.cast, fr.quorum_met, fr.passed],
      ["closed", 2, false, false],
    );
  });

  test("ballots: one vote per household, replacement, register fixed at open, off-register 403", async () => {
    const id = (await topic("shequ", { region_code: GRID1, title: "楼道照明" }))
      .id;
    await advance("shequ", id, "discussing");
    await minutedMeeting(id);
    await advance("shequ", id, "deciding");
    assertProblem(
      await call("wanggezhang", "POST", `/api/v1/topics/${id}/ballot`, {
        question: "x",
        closes_at: at(60),
      }),
      403,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
        question: "x",
        closes_at: at(-60),
      }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
        question: "x",
        closes_at: at(60),
        quorum: 2,
      }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
        question: "x",
        closes_at: at(60),
        preset: "household_reps",
        quorum: 0.3,
      }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
        question: "x",
        closes_at: at(60),
        preset: "household_reps",
        unit: "resident",
      }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
        question: "x",
        closes_at: at(60),
        options: ["只有一个"],
      }),
      422,
    );
    const b = await ballot(id, { unit: "household" });
    assert.ok(b.eligible > 100, `the grid's households (${b.eligible})`);
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
        question: "again",
        closes_at: at(60),
      }),
      409,
    );
    const v1 = await must("yishi1", "POST", `/api/v1/topics/${id}/votes`, {
      option: 0,
    });
    assert.equal(v1.replaced, false);
    const v2 = await must("yishi2", "POST", `/api/v1/topics/${id}/votes`, {
      option: 1,
    });
    assert.equal(
      v2.replaced,
      true,
      "the same household: the later vote replaces the earlier",
    );
    await must("yishi3", "POST", `/api/v1/topics/${id}/votes`, { option: 0 });
    assertProblem(
      await call("yishi3", "POST", `/api/v1/topics/${id}/votes`, { option: 5 }),
      422,
    );
    assertProblem(
      await call("unlinked", "POST", `/api/v1/topics/${id}/votes`, {
        option: 0,
      }),
      403,
    ); // not linked to a household
    assertProblem(
      await call("yishi1", "POST", `/api/v1/topics/${id}/votes`, {
        option: 0,
        household_id: 1,
      }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/votes`, { option: 0 }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/votes`, {
        option: 0,
        paper: true,
      }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${id}/votes`, {
        option: 0,
        paper: true,
        household_id: hh[0],
      }),
      403,
    ); // TG is not on GRID1's register
    assertProblem(
      await call("wangge2", "POST", `/api/v1/topics/${id}/votes`, {
        option: 0,
        paper: true,
        household_id: 1,
      }),
      404,
    );
    const mine = (
      await must("yishi1", "GET", `/api/v1/topics/${id}`, undefined, 200)
    ).ballots[0];
    assert.deepEqual([mine.my_vote, mine.may_vote, mine.cast], [1, true, 2]);
    const open = await must(
      "yishi1",
      "GET",
      `/api/v1/topics/${id}/result`,
      undefined,
      200,
    );
    assert.deepEqual(Object.keys(open).sort(), [
      "ballot_id",
      "cast",
      "closes_at",
      "eligible",
      "options",
      "question",
      "quorum",
      "secret",
      "status",
      "threshold",
      "unit",
    ]);
    assert.equal(open.cast, 2);
    // Quorum not met: advancing is refused and the ballot stays open.
    await refuse("shequ", id, "pledging", 409);
    assert.equal((await result(id)).status, "open");
    // The register is fixed at opening: a household added afterwards is not on it.
    const t2 = (await topic("shequ", {})).id;
    const b2 = await ballot(t2, {
      unit: "household",
      quorum: 0.75,
      threshold: 0.6,
    });
    assert.equal(b2.eligible, 4);
    hh.push(await household(5));
    await paper(t2, hh[4], 0, 403);
    await paper(t2, hh[0], 0);
    await paper(t2, hh[1], 0);
    await paper(t2, hh[2], 1);
    // closing by leaving the stage (rejected), quorum 3 of 4 = 0.75 met, 2 of 3 > 0.6 passed
    await advance("shequ", t2, "rejected", { comment: "测试结束" });
    const r2 = await result(t2);
    assert.deepEqual(
      [r2.eligible, r2.cast, r2.quorum_met, r2.passed, r2.counts],
      [4, 3, true, true, [2, 1, 0]],
    );
    // Frozen: later changes to the people change nothing.
    await must("admin", "POST", "/api/v1/households", {
      house_id: (
        await must("admin", "POST", "/api/v1/houses", {
          building_id: s.building,
          room: "999",
        })
      ).id,
    });
    assert.deepEqual(await result(t2), r2);
    await paper(t2, hh[3], 0, 409);
    assert.deepEqual(await result(t2), r2);
  });

  test("quorum presets and threshold", async () => {
    // 村民会议: more than half of the adults (the child of household 1 is not on the register).
    const a = (await topic("shequ", {})).id;
    const ba = await ballot(a, { preset: "villagers_meeting" });
    assert.deepEqual(
      [ba.unit, ba.eligible, ba.quorum_rule],
      ["resident", 5, "more_than"],
    );
    const adults = (
      await must(
        "shequ",
        "GET",
        `/api/v1/residents?region=${TG}&limit=50`,
        undefined,
        200,
      )
    ).items.filter((r) => !r.name.includes("孩子"));
    const child = (
      await must(
        "shequ",
        "GET",
        `/api/v1/residents?region=${TG}&limit=50`,
        undefined,
        200,
      )
    ).items.find((r) => r.name.includes("孩子"));
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${a}/votes`, {
        resident_id: child.id,
        option: 0,
        paper: true,
      }),
      403,
    );
    assertProblem(
      await call("shequ", "POST", `/api/v1/topics/${a}/votes`, {
        household_id: hh[0],
        option: 0,
        paper: true,
      }),
      422,
    );
    for (const r of adults.slice(0, 2))
      await must("shequ", "POST", `/api/v1/topics/${a}/votes`, {
        resident_id: r.id,
        option: 0,
        paper: true,
      });
    await advance("shequ", a, "rejected", { comment: "结束" });
    let r = await result(a);
    assert.deepEqual(
      [r.cast, r.quorum_met, r.passed],
      [2, false, false],
      "2 of 5 is not more than half",
    );
    const a2 = (await topic("shequ", {})).id;
    await ballot(a2, { preset: "villagers_meeting" });
    for (const x of adults.slice(0, 3))
      await must("shequ", "POST", `/api/v1/topics/${a2}/votes`, {
        resident_id: x.id,
        option: 0,
        paper: true,
      });
    await advance("shequ", a2, "rejected", { comment: "结束" });
    r = await result(a2);
    assert.deepEqual([r.cast, r.quorum_met, r.passed], [3, true, true]);
    // 户代表: two thirds of the households (five now): 3 is short, 4 reaches it.
    for (const [n, met] of [
      [3, false],
      [4, true],
    ]) {
      const t = (await topic("shequ", {})).id;
      const b = await ballot(t, { preset: "household_reps" });
      assert.equal(b.eligible, 5);
      for (const h of hh.slice(0, n)) await paper(t, h, 0);
      await advance("shequ", t, "rejected", { comment: "结束" });
      assert.equal((await result(t)).quorum_met, met, `${n} of 5 households`);
    }
    // representatives: two thirds, at least; decisions by more than half of those voting.
    const rp = (await topic("shequ", {})).id;
    await ballot(rp, { preset: "representatives" });
    for (const [i, x] of adults.slice(0, 4).entries())
      await must("shequ", "POST", `/api/v1/topics/${rp}/votes`, {
        resident_id: x.id,
        option: i < 2 ? 0 : 1,
        paper: true,
      });
    await advance("shequ", rp, "rejected", { comment: "结束" });
    r = await result(rp);
    assert.deepEqual(
      [r.cast, r.quorum_met, r.passed, r.counts],
      [4, true, false, [2, 2, 0]],
      "a tie is not more than half",
    );
    // An explicit threshold.
    const th = (await topic("shequ", {})).id;
    await ballot(th, { quorum: 0.2, threshold: 0.7 });
    await paper(th, hh[0], 0);
    await paper(th, hh[1], 0);
    await paper(th, hh[2], 1);
    await advance("shequ", th, "rejected", { comment: "结束" });
    r = await result(th);
    assert.deepEqual(
      [r.quorum_met, r.passed, r.threshold],
      [true, false, 0.7],
      "2 of 3 is not more than 70 %",
    );
  });

  test("closing at closes_at happens without a request; a secret ballot forgets who chose what", async () => {
    const id = (await topic("shequ", { region_code: GRID1 })).id;
    await advance("shequ", id, "discussing");
    const b = await ballot(id, { closes_at: at(3), secret: true });
    assert.equal(b.secret, true);
    await must("yishi3", "POST", `/api/v1/topics/${id}/votes`, { option: 1 });
    await must("yishi4", "POST", `/api/v1/topics/${id}/votes`, { option: 0 });
    assert.equal(
      (await must("yishi3", "GET", `/api/v1/topics/${id}`, undefined, 200))
        .ballots[0].my_vote,
      1,
    );
    await sleep(3500);
    assertProblem(
      await call("yishi3", "POST", `/api/v1/topics/${id}/votes`, { option: 0 }),
      409,
    );
    let mine;
    for (let i = 0; i < 40; i++) {
      mine = (
        await must("yishi3", "GET", `/api/v1/topics/${id}`, undefined, 200)
      ).ballots[0];
      if (mine.my_vote === null) break;
      await sleep(250);
    }
    assert.equal(mine.status, "closed");
    assert.equal(
      mine.my_vote,
      null,
      "closed by the background thread, the link between voter and choice is gone",
    );
    const r = await result(id);
    assert.deepEqual([r.status, r.cast, r.counts], ["closed", 2, [1, 1, 0]]);
    await sleep(100);
    assert.deepEqual(await result(id), r, "frozen");
  });

  test("grid staff: a grid leader opens the discussion and hands over for evaluation, nothing else", async () => {
    const id = (await topic("shequ", { region_code: GRID1 })).id;
    await refuse("wanggezhang", id, "rejected", 403, {
      comment: "不属于本社区事项",
    });
    await advance("wanggezhang", id, "discussing");
    const m = await must("wangge", "POST", `/api/v1/topics/${id}/meetings`, {
      venue: "grid",
      held_at: at(-60),
      minutes: "纪要",
    });
    assert.equal(m.stage, "discussing");
    await refuse("wanggezhang", id, "deciding", 403);
    const f = (
      await topic("shequ", { region_code: GRID1, procedure: "four_two" })
    ).id;
    await refuse("wanggezhang", f, "consulted", 403);
    assertProblem(
      await call("wangge2", "POST", `/api/v1/topics/${f}/meetings`, {
        venue: "grid",
        held_at: at(-60),
      }),
      404,
    );
  });

  test("scope: residents of the community only; staff of another grid see nothing", async () => {
    const id = (await topic("shequ", {})).id;
    assertProblem(await call("wangge2", "GET", `/api/v1/topics/${id}`), 404);
    assertProblem(await call("far", "GET", `/api/v1/topics/${id}`), 404);
    assertProblem(
      await call("far", "POST", `/api/v1/topics/${id}/support`, {}),
      404,
    );
    assertProblem(
      await call("far", "POST", "/api/v1/topics", {
        title: "x",
        body: "y",
        region_code: COMM1,
      }),
      403,
    );
    assertProblem(
      await call("jumin", "POST", "/api/v1/topics", {
        title: "x",
        body: "y",
        region_code: OTHER_COMM,
      }),
      403,
    );
    assertProblem(
      await call("wangge2", "POST", "/api/v1/topics", {
        title: "x",
        body: "y",
        region_code: TG,
      }),
      403,
    );
    assertProblem(
      await call("shequ", "POST", "/api/v1/topics", {
        title: "x",
        body: "y",
        region_code: "999901001",
      }),
      422,
    );
    assertProblem(
      await call("shequ", "POST", "/api/v1/topics", {
        title: "x",
        body: "y",
        region_code: TG,
        procedure: "seven",
      }),
      422,
    );
    const mine = await must(
      "jumin",
      "GET",
      "/api/v1/topics?limit=200",
      undefined,
      200,
    );
    assert.ok(
      mine.items.length > 0 &&
        mine.items.every((t) => t.region_code.startsWith(COMM1)),
    );
    assert.equal(
      (await must("far", "GET", "/api/v1/topics", undefined, 200)).items.length,
      0,
    );
    assertProblem(await call("shequ", "GET", "/api/v1/topics?stage=done"), 400);
    const p1 = await must(
      "shequ",
      "GET",
      "/api/v1/topics?limit=2",
      undefined,
      200,
    );
    assert.ok(p1.next_cursor);
    const p2 = await must(
      "shequ",
      "GET",
      `/api/v1/topics?limit=2&cursor=${encodeURIComponent(p1.next_cursor)}`,
      undefined,
      200,
    );
    assert.ok(!p2.items.some((x) => p1.items.some((y) => y.id === x.id)));
    assertProblem(
      await call("shequ", "GET", "/api/v1/topics?cursor=bogus"),
      400,
    );
  });

  test("disclosure: public, no session, no personal data", async () => {
    const res = await api(
      url,
      "GET",
      `/api/v1/public/regions/${COMM1}/disclosures`,
    );
    assert.equal(res.status, 200);
    const items = res.json.items;
    assert.ok(items.length >= 4, `decisions disclosed (${items.length})`);
    const withBallot = items.find(
      (x) => x.ballots.length && x.region_code === TG,
    );
    assert.ok(withBallot, "a test topic with its ballot");
    for (const b of withBallot.ballots)
      assert.ok(Array.isArray(b.counts) && typeof b.passed === "boolean");
    const text = res.text;
    for (const n of [...names, "居民议事甲", "居民议事乙", "阳光社区书记"])
      assert.ok(!text.includes(n), `no name ${n}`);
    for (const k of [
      "household_id",
      "resident_id",
      "user_id",
      "proposer",
      "author",
      "voter",
      "my_vote",
      "comments",
      'objections"',
    ])
      assert.ok(!text.includes(`"${k}`), `no ${k}`);
    const closed = items.find(
      (x) =>
        x.stage === "closed" &&
        x.procedure === "six_step" &&
        x.region_code === TG,
    );
    assert.ok(
      closed &&
        closed.ledger.spent_money === 250 &&
        closed.spending[0].amount === 250,
    );
    assert.equal(typeof closed.evaluation.satisfied, "number");
    const village = await api(
      url,
      "GET",
      "/api/v1/public/regions/999901002005/disclosures",
    );
    assert.ok(
      village.json.items.some(
        (x) => x.procedure === "four_two" && x.ballots.some((b) => b.passed),
      ),
      "the demo village",
    );
    assertProblem(
      await api(url, "GET", "/api/v1/public/regions/999999999999/disclosures"),
      404,
    );
    assertProblem(
      await api(url, "GET", "/api/v1/public/regions/abc/disclosures"),
      404,
    );
  });
});
