// Selections (评选: 最美家庭, 文明楼栋): a topic made a selection with its seats; nominations
// (提名) by residents of the community and by staff only while the topic is in discussion and
// before its ballot opens (a household or a building of the community, or a free-text name,
// with a reason); staff accept or decline; the ballot is opened over the accepted ones and every
// voter chooses up to seats of them (replaced until close, paper votes by staff); the frozen
// result has votes per nominee and the elected, with a tie at the last place reported as a tie;
// the public disclosure page names an elected household only as "<building><room> <surname>**家".
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  COMM1,
  api,
  assertProblem,
  signIn,
  signInDemo,
  sleep,
  startServer,
} from "./harness.mjs";
import { idNumber } from "./base-lib.mjs";

const TG = `${COMM1}091`;
const OTHER_COMM = "999901002003";
const at = (seconds) =>
  new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");

describe("selections", { timeout: 300_000 }, () => {
  let srv, url;
  const s = {};
  const hh = [];
  const names = [];
  const phones = [];
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
  const refuse = async (who, method, p, body, status) =>
    assertProblem(await call(who, method, p, body), status, `${who} ${p}`);
  const nominate = (who, id, body, status = 201) =>
    must(who, "POST", `/api/v1/topics/${id}/nominations`, body, status);
  const review = (id, decision, status = 200) =>
    must(
      "shequ",
      "POST",
      `/api/v1/topic-nominations/${id}/review`,
      { decision },
      status,
    );
  async function selection(seats) {
    const t = await must("shequ", "POST", "/api/v1/topics", {
      title: "最美家庭评选",
      body: "评选本社区最美家庭",
      region_code: COMM1,
      procedure: "six_step",
    });
    const sel = await must(
      "shequ",
      "POST",
      `/api/v1/topics/${t.id}/selection`,
      {
        seats,
      },
    );
    assert.deepEqual(sel, { topic_id: t.id, seats });
    return t.id;
  }

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of [
      "admin",
      "shequ",
      "wangge",
      "jumin",
      "yishi1",
      "yishi3",
      "yishi4",
    ])
      s[u] = await signInDemo(url, u);
    await must("admin", "POST", "/api/v1/regions", {
      code: TG,
      name: "评选测试网格",
      parent_code: COMM1,
      level: "grid",
    });
    s.building = (
      await must("admin", "POST", "/api/v1/buildings", {
        region_code: TG,
        name: "评选楼",
      })
    ).id;
    for (let i = 1; i <= 4; i++) {
      const house = await must("admin", "POST", "/api/v1/houses", {
        building_id: s.building,
        room: `${200 + i}`,
      });
      const h = await must("admin", "POST", "/api/v1/households", {
        house_id: house.id,
      });
      const name = `评选户主${i}号`;
      const phone = `137${String(20000000 + i * 7919).slice(-8)}`;
      names.push(name);
      phones.push(phone);
      await must("admin", "POST", "/api/v1/residents", {
        name,
        id_number: idNumber({ birth: "19700101" }),
        phone,
        region_code: TG,
        house_id: house.id,
        household_id: h.id,
        residency: "registered",
      });
      hh.push(h.id);
    }
    await must("admin", "POST", "/api/v1/users", {
      username: "sel_far",
      display_name: "外社区居民",
      password: "Select@2026far",
      grants: [{ role: "resident", region_code: `${OTHER_COMM}001` }],
    });
    s.far = await signIn(url, "sel_far", "Select@2026far");
    s.farBuilding = (
      await must("admin", "POST", "/api/v1/buildings", {
        region_code: `${OTHER_COMM}001`,
        name: "外社区楼",
      })
    ).id;
  });
  after(async () => {
    await srv?.stop();
  });

  test("a selection: nominations, review, votes up to seats, the elected, disclosure", async () => {
    const id = await selection(2);
    await refuse(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/selection`,
      { seats: 2 },
      409,
    );
    await refuse(
      "jumin",
      "POST",
      `/api/v1/topics/${id}/selection`,
      { seats: 2 },
      403,
    );
    const plain = (
      await must("shequ", "POST", "/api/v1/topics", {
        title: "议题",
        body: "内容",
        region_code: COMM1,
      })
    ).id;
    await refuse(
      "shequ",
      "POST",
      `/api/v1/topics/${plain}/selection`,
      { seats: 0 },
      422,
    );
    await refuse(
      "shequ",
      "POST",
      `/api/v1/topics/${plain}/selection`,
      { seats: 31 },
      422,
    );
    await refuse(
      "shequ",
      "GET",
      `/api/v1/topics/${plain}/nominations`,
      undefined,
      404,
    );
    await refuse(
      "jumin",
      "POST",
      `/api/v1/topics/${plain}/nominations`,
      {
        name: "某某",
        reason: "好",
      },
      409,
    );
    assert.equal(
      (await must("shequ", "GET", `/api/v1/topics/${id}`, undefined, 200))
        .seats,
      2,
    );
    // Not while proposed.
    await nominate(
      "jumin",
      id,
      { household_id: hh[0], reason: "孝老爱亲" },
      409,
    );
    await must(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/advance`,
      { to: "discussing" },
      200,
    );

    // Nominations by a resident of the community and by staff.
    const n0 = await nominate("jumin", id, {
      household_id: hh[0],
      reason: "孝老爱亲",
    });
    assert.equal(
      n0.label,
      null,
      "a resident sees a household's label only once it is accepted",
    );
    assert.equal(n0.status, "pending");
    assert.equal(n0.mine, true);
    assert.equal(
      n0.household_id,
      undefined,
      "residents see the label, not the id",
    );
    const n1 = await nominate("shequ", id, {
      household_id: hh[1],
      reason: "邻里和睦",
    });
    assert.equal(n1.household_id, hh[1]);
    const n2 = await nominate("yishi3", id, {
      household_id: hh[2],
      reason: "热心公益",
    });
    const nb = await nominate("shequ", id, {
      building_id: s.building,
      reason: "整洁",
    });
    assert.equal(nb.label, "评选楼");
    const nn = await nominate("yishi1", id, {
      name: "社区志愿服务队",
      reason: "常年服务",
    });
    assert.equal(nn.nominee_kind, "name");
    const nx = await nominate("yishi4", id, {
      household_id: hh[3],
      reason: "勤俭",
    });
    // Refusals.
    await nominate("yishi4", id, { household_id: hh[0], reason: "重复" }, 409);
    await refuse(
      "far",
      "POST",
      `/api/v1/topics/${id}/nominations`,
      {
        name: "外人",
        reason: "x",
      },
      404,
    );
    await refuse(
      "jumin",
      "POST",
      `/api/v1/topics/${id}/nominations`,
      {
        building_id: s.farBuilding,
        reason: "别的社区",
      },
      422,
    );
    await refuse(
      "jumin",
      "POST",
      `/api/v1/topics/${id}/nominations`,
      {
        household_id: 99999999,
        reason: "不存在",
      },
      422,
    );
    await refuse(
      "jumin",
      "POST",
      `/api/v1/topics/${id}/nominations`,
      {
        household_id: hh[3],
        name: "两个",
        reason: "x",
      },
      422,
    );
    await refuse(
      "jumin",
      "POST",
      `/api/v1/topics/${id}/nominations`,
      {
        household_id: hh[3],
      },
      422,
    );

    // Review: staff only, once.
    await refuse(
      "jumin",
      "POST",
      `/api/v1/topic-nominations/${n0.id}/review`,
      {
        decision: "accepted",
      },
      403,
    );
    await refuse(
      "shequ",
      "POST",
      `/api/v1/topic-nominations/${n0.id}/review`,
      {
        decision: "maybe",
      },
      422,
    );
    await refuse(
      "far",
      "POST",
      `/api/v1/topic-nominations/${n0.id}/review`,
      {
        decision: "accepted",
      },
      403,
    );
    for (const n of [n0, n1, n2, nn])
      assert.equal((await review(n.id, "accepted")).status, "accepted");
    assert.equal((await review(nb.id, "declined")).status, "declined");
    await review(n0.id, "declined", 409);

    // Residents see accepted nominations and their own; staff see all.
    const forJumin = await must(
      "jumin",
      "GET",
      `/api/v1/topics/${id}/nominations`,
      undefined,
      200,
    );
    assert.equal(forJumin.seats, 2);
    assert.deepEqual(
      forJumin.items.map((x) => x.id),
      [n0.id, n1.id, n2.id, nn.id],
    );
    const forYishi4 = await must(
      "yishi4",
      "GET",
      `/api/v1/topics/${id}/nominations`,
      undefined,
      200,
    );
    assert.ok(
      forYishi4.items.some((x) => x.id === nx.id && x.status === "pending"),
    );
    const forStaff = await must(
      "shequ",
      "GET",
      `/api/v1/topics/${id}/nominations`,
      undefined,
      200,
    );
    assert.equal(forStaff.items.length, 6);
    const labelOf = (nid) => forStaff.items.find((x) => x.id === nid).label;
    assert.match(labelOf(n0.id), /^评选楼201 评\*\*家$/);
    assert.equal(
      forJumin.items.find((x) => x.id === n0.id).label,
      labelOf(n0.id),
      "accepted: the label is shown to residents",
    );
    await refuse(
      "far",
      "GET",
      `/api/v1/topics/${id}/nominations`,
      undefined,
      404,
    );
    for (const x of [...forJumin.items, ...forStaff.items])
      for (const name of names) assert.ok(!JSON.stringify(x).includes(name));

    // The ballot over the accepted nominations, in their order; no more nominations or reviews.
    const b = await must("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
      question: "评选最美家庭（限选 2 户）",
      closes_at: at(3600),
      quorum: 0,
    });
    assert.equal(b.seats, 2);
    assert.deepEqual(b.nominations, [n0.id, n1.id, n2.id, nn.id]);
    assert.deepEqual(b.options, [
      labelOf(n0.id),
      n1.label,
      labelOf(n2.id),
      "社区志愿服务队",
    ]);
    await nominate("jumin", id, { name: "迟到", reason: "x" }, 409);
    await review(nx.id, "accepted", 409);

    // Votes: 1 … seats distinct options.
    const vote = (who, body, status = 201) =>
      must(who, "POST", `/api/v1/topics/${id}/votes`, body, status);
    for (const bad of [
      { options: [0, 1, 2] },
      { options: [] },
      { options: [0, 0] },
      { options: [4] },
      { options: [-1] },
      { options: "0" },
      { option: 0 },
    ])
      await refuse("yishi1", "POST", `/api/v1/topics/${id}/votes`, bad, 422);
    const v1 = await vote("yishi1", { options: [0, 1] });
    assert.deepEqual([v1.options, v1.replaced], [[0, 1], false]);
    await vote("yishi3", { options: [0, 2] });
    await vote("yishi4", { options: [1] });
    const v4 = await vote("yishi4", { options: [3, 2] });
    assert.equal(v4.replaced, true);
    await vote("shequ", { options: [2], paper: true, household_id: hh[0] });
    await refuse(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/votes`,
      { options: [2] },
      422,
    );
    const mine = (
      await must("yishi1", "GET", `/api/v1/topics/${id}`, undefined, 200)
    ).ballots[0];
    assert.deepEqual([mine.my_vote, mine.may_vote], [[0, 1], true]);
    const open = await must(
      "jumin",
      "GET",
      `/api/v1/topics/${id}/result`,
      undefined,
      200,
    );
    assert.deepEqual(
      [open.status, open.cast, open.counts, open.elected],
      ["open", 4, undefined, undefined],
    );

    // Closing freezes it: counts [2, 1, 3, 1] → options 2 and 0 are elected.
    await must("shequ", "POST", `/api/v1/topics/${id}/meetings`, {
      venue: "community",
      held_at: at(-3600),
      minutes: "评选办法",
      place: "红色议事厅",
    });
    await must(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/advance`,
      { to: "deciding" },
      200,
    );
    const r = await must(
      "jumin",
      "GET",
      `/api/v1/topics/${id}/result`,
      undefined,
      200,
    );
    assert.deepEqual(
      [
        r.status,
        r.cast,
        r.counts,
        r.elected,
        r.tie,
        r.seats,
        r.quorum_met,
        r.passed,
      ],
      [
        "closed",
        4,
        [2, 1, 3, 1],
        ["elected", "", "elected", ""],
        false,
        2,
        true,
        true,
      ],
    );
    await refuse(
      "yishi1",
      "POST",
      `/api/v1/topics/${id}/votes`,
      { options: [1] },
      409,
    );

    // The public page: labels and places only.
    const pub = await api(
      url,
      "GET",
      `/api/v1/public/regions/${COMM1}/disclosures`,
    );
    assert.equal(pub.status, 200);
    const item = pub.json.items.find((x) => x.topic_id === id);
    assert.ok(item, "the selection is disclosed once its ballot is closed");
    const pb = item.ballots[0];
    assert.deepEqual(
      [pb.options, pb.counts, pb.elected, pb.seats, pb.tie],
      [b.options, [2, 1, 3, 1], ["elected", "", "elected", ""], 2, false],
    );
    for (const secret of [
      ...names,
      ...phones,
      "孝老爱亲",
      "household_id",
      "nominations",
    ])
      assert.ok(
        !pub.text.includes(secret),
        `the public page shows no ${secret}`,
      );
  });

  test("a tie at the last place is reported, never broken", async () => {
    const id = await selection(1);
    await must(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/advance`,
      { to: "discussing" },
      200,
    );
    const a = await nominate("shequ", id, {
      household_id: hh[1],
      reason: "甲",
    });
    const c = await nominate("shequ", id, {
      household_id: hh[2],
      reason: "乙",
    });
    const d = await nominate("shequ", id, {
      household_id: hh[3],
      reason: "丙",
    });
    for (const n of [a, c, d]) await review(n.id, "accepted");
    // Nominations closed, the meeting held, the ballot is the decision stage's.
    await must("shequ", "POST", `/api/v1/topics/${id}/meetings`, {
      venue: "community",
      held_at: at(-3600),
      minutes: "评选办法",
      place: "红色议事厅",
    });
    await must(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/advance`,
      { to: "deciding" },
      200,
    );
    await must("shequ", "POST", `/api/v1/topics/${id}/ballot`, {
      question: "评选",
      closes_at: at(4),
      quorum: 0,
    });
    await must("yishi1", "POST", `/api/v1/topics/${id}/votes`, {
      options: [0],
    });
    await refuse(
      "yishi3",
      "POST",
      `/api/v1/topics/${id}/votes`,
      { options: [0, 1] },
      422,
    );
    await must("yishi3", "POST", `/api/v1/topics/${id}/votes`, {
      options: [1],
    });
    await must("shequ", "POST", `/api/v1/topics/${id}/votes`, {
      options: [2],
      paper: true,
      household_id: hh[0],
    });
    await sleep(5000);
    const r = await must(
      "shequ",
      "GET",
      `/api/v1/topics/${id}/result`,
      undefined,
      200,
    );
    assert.deepEqual(
      [r.status, r.counts, r.elected, r.tie, r.passed],
      ["closed", [1, 1, 1], ["tied", "tied", "tied"], true, false],
    );
    // The decision (民决) needs someone elected: a tie must be settled by a new ballot.
    await refuse(
      "shequ",
      "POST",
      `/api/v1/topics/${id}/advance`,
      { to: "pledging" },
      409,
    );
  });

  test("the demo's closed 最美家庭 selection is disclosed with three elected", async () => {
    const pub = await api(
      url,
      "GET",
      `/api/v1/public/regions/${COMM1}/disclosures`,
    );
    const item = pub.json.items.find(
      (x) => x.title === "2026年度“最美家庭”评选",
    );
    assert.ok(item, "the demo selection is on the public page");
    const b = item.ballots[0];
    assert.equal(b.seats, 3);
    assert.equal(b.options.length, 4);
    assert.equal(b.elected.filter((x) => x === "elected").length, 3);
    assert.equal(b.tie, false);
    for (const label of b.options) assert.match(label, /^\S+ \S?\*\*家$/);
  });
});
