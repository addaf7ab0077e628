// The role × route matrix: every route of src/api/routes.c, called by every role, on an
// object inside the caller's data scope and by a user of the same role whose grant lies
// outside it, and without a session. The expected answer follows from the route's declared
// role set (read from routes.c by matrix-lib.mjs) and the scope rule of API.md:
//   no session                       → 401 (public routes: answered, never 401/403)
//   role not in the route's set      → 403
//   role in the set, object in scope → not 401/403/404/5xx (2xx, or a 4xx the body explains)
//   role in the set, object out of scope → 404 (reads, and writes naming an object by id);
//                                      a create naming a target out of scope → 403
// Every error is problem+json (Open311 routes: the spec's error list); nothing answers 5xx.
//
// "Out of scope" is a user of the same role granted in the other street (or, for the
// district role, in a second district this test creates), asking for the very object the
// demo user of that role may see: the object stays the same, only the grant moves, so the
// scope rule alone decides. The TABLE below names, for each route, the in-scope object
// (path and body); a route in routes.c without an entry fails the test.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  COMM1,
  GRID1,
  STREET1,
  STREET2,
  api,
  signIn,
  signInDemo,
  sleep,
  sql,
  startServer,
} from "./harness.mjs";
import { ROLE_ORDER, pool, readRoutes } from "./matrix-lib.mjs";
import { idNumber, phone } from "./base-lib.mjs";
import { pngBytes } from "./cases-lib.mjs";

const PASSWORD = "Matrix@2026pw";
const OTHER_DISTRICT = "999902";
const COMM2 = `${STREET2}001`; // 和平街道's first community
const GRID2_1 = `${COMM2}001`;

/** The demo user of each role and the region its grant names (src/cli/demo.c). */
const INSIDERS = {
  admin: ["admin", ""],
  district: ["zhihui", "999901"],
  street: ["jiedao", STREET1],
  community: ["shequ", COMM1],
  supervisor: ["dudao", COMM1],
  grid_leader: ["wanggezhang", GRID1],
  grid_worker: ["wangge", GRID1],
  building_leader: ["loudong", GRID1],
  department: ["chengguan", "999901"],
  // gongjian, the 区住建局 cadre of 阳光社区, is a side of the demo pairing and sees its unit's
  // organisation (ganbu has no unit and so no party object at all to be checked in scope on)
  cadre: ["gongjian", COMM1],
  resident: ["jumin", GRID1],
};
/** Where the same role is granted to be out of scope of everything in 幸福街道. Admin has none. */
const OUTSIDE = {
  district: OTHER_DISTRICT,
  street: STREET2,
  community: COMM2,
  supervisor: COMM2,
  grid_leader: GRID2_1,
  grid_worker: GRID2_1,
  building_leader: GRID2_1,
  department: STREET2, // same unit (城管执法) as chengguan: only the region differs
  cadre: COMM2, // same unit (区住建局) as gongjian: only the region differs
  resident: GRID2_1,
};

/** The units of the demo department and cadre (their outsiders have the same ones). */
const UNITS = { department: "城管执法", cadre: "区住建局" };
/** A unit's own objects are its people's wherever their grant lies: out of scope for them is
 * another unit, played by a user of the same role and region as the insider in this unit. */
const OTHER_UNIT = "矩阵外单位";

/** True when the demo user of role reaches region code (a grant covers its subtree). */
const reaches = (role, code) =>
  role === "admin" || code.startsWith(INSIDERS[role][1]);

let uniq = Date.now() % 100000;
const next = () => ++uniq;
const today = () =>
  new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const inDays = (n) =>
  new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

// ---- the table -------------------------------------------------------------------------
// Per route ("METHOD pattern" exactly as in routes.c):
//   path(f, who)   the path to call (in-scope object); default: the pattern itself
//   body(f, who)   a JSON body (minimal and valid, so a refusal can only come from role or scope)
//   raw(f, who)    {body, contentType} for CSV/binary/form bodies
//   prep(f, who)   async: makes the object this call consumes (writes that end, merge or
//                  delete something get a fresh one per call)
//   region         the region the object (or a create's target) lies in: the scope rule
//                  compares it with the insider's grant (default GRID1)
//   target         a create that names a target region or parent: out of scope → 403
//   visibleTo      roles that see the object whatever the region rule says (own objects)
//   refuse         {roles, why}: roles for which an in-scope 403 is a documented answer
//                  (per-action or per-side rules inside the handler, API.md "cases")
//   scopedQuery    a list whose query names a region (?region=, ?parent=): out of scope → 403/404
//   stream         the answer is a stream (server-sent events): a 200 is read up to its headers
//   outStatus      the out-of-scope answer when not 404 (objects named by a public code)
//   narrow         {roles, why}: the handler admits only these of the route's roles; the
//                  others get 403 in scope (and 404 out of scope, like everyone)
//   anonOk         statuses a public route may give a caller without a session or key
//   listed         {id, region, visibleTo}: a list whose first page must not hold that record
//                  for a caller the scope rule keeps from it (out of scope, or not reaching)
//   own            the object is the caller's own (notifications): in scope when they have one
//   unitWide       {roles, why}: for these roles the object is their unit's own, seen by the
//                  unit's people whatever region their grant names (party_org_visible): the
//                  same-unit outsider is in scope too, and out of scope is checked by a user of
//                  the same role and region in another unit (OTHER_UNIT) → 404
const T = {};
const R = (key, spec = {}) => (T[key] = spec);

// public and session
R("GET /healthz");
R("GET /api/v1/healthz");
R("GET /metrics"); // this machine is on the default --metrics-allow list
R("POST /api/v1/session", {
  body: () => ({ username: "nobody-matrix", password: "Wrong@2026pw" }),
  anonOk: [401],
});
R("DELETE /api/v1/session", { last: true });
R("GET /api/v1/me");
R("GET /api/v1/roles");

// users and tokens (admin only: no region, nothing out of scope)
R("GET /api/v1/users");
R("POST /api/v1/users", {
  body: () => ({
    username: `mx_new_${next()}`,
    display_name: "矩阵新用户",
    password: PASSWORD,
    grants: [{ role: "grid_worker", region_code: GRID1 }],
  }),
});
R("GET /api/v1/users/{id}", { path: (f) => `/api/v1/users/${f.user.id}` });
R("PATCH /api/v1/users/{id}", {
  path: (f) => `/api/v1/users/${f.user.id}`,
  body: () => ({ display_name: "矩阵用户改" }),
});
R("GET /api/v1/tokens");
R("POST /api/v1/tokens", {
  body: () => ({
    name: `mx-${next()}`,
    grants: [{ role: "grid_worker", region_code: GRID1 }],
  }),
});
R("DELETE /api/v1/tokens/{id}", {
  prep: async (f, who) => {
    const res = await f.as(f.admin, "POST", "/api/v1/tokens", {
      name: `mx-del-${next()}`,
      grants: [{ role: "grid_worker", region_code: GRID1 }],
    });
    who.obj = res.json.id;
  },
  path: (f, who) => `/api/v1/tokens/${who.obj}`,
});

// the working-day calendar (the same for every region: nothing out of scope); each write on a
// Monday of its own (2040-01-02 was one), so one call's day never meets another's
const monday = () =>
  new Date(Date.UTC(2040, 0, 2) + 7 * (next() % 5000) * 86400e3)
    .toISOString()
    .slice(0, 10);
R("GET /api/v1/calendar", { path: () => "/api/v1/calendar?year=2026" });
R("PUT /api/v1/calendar/{date}", {
  path: () => `/api/v1/calendar/${monday()}`,
  body: () => ({ kind: "holiday", name: "矩阵假日" }),
});
R("DELETE /api/v1/calendar/{date}", {
  prep: async (f, who) => {
    who.obj = monday();
    await f.as(f.admin, "PUT", `/api/v1/calendar/${who.obj}`, {
      kind: "holiday",
      name: "矩阵假日",
    });
  },
  path: (f, who) => `/api/v1/calendar/${who.obj}`,
});

// webhook subscriptions (admin only: no region, nothing out of scope); nothing listens on the
// URL, so the sender's tries fail and a delivery stays pending (a redeliver then answers 409)
const hookBody = () => ({
  name: `mx-hook-${next()}`,
  url: "http://127.0.0.1:9/mx",
  events: ["case.report"],
});
const hookPrep = async (f, who) => {
  const res = await f.as(f.admin, "POST", "/api/v1/webhooks", hookBody());
  who.obj = res.json.id;
};
const hookPath = (suffix) => (f, who) => `/api/v1/webhooks/${who.obj}${suffix}`;
R("GET /api/v1/webhooks");
R("POST /api/v1/webhooks", { body: hookBody });
R("GET /api/v1/webhooks/{id}", { prep: hookPrep, path: hookPath("") });
R("PATCH /api/v1/webhooks/{id}", {
  prep: hookPrep,
  path: hookPath(""),
  body: () => ({ active: false }),
});
R("DELETE /api/v1/webhooks/{id}", { prep: hookPrep, path: hookPath("") });
R("POST /api/v1/webhooks/{id}/rotate-secret", {
  prep: hookPrep,
  path: hookPath("/rotate-secret"),
});
R("POST /api/v1/webhooks/{id}/test", {
  prep: hookPrep,
  path: hookPath("/test"),
});
R("GET /api/v1/webhooks/{id}/deliveries", {
  prep: hookPrep,
  path: hookPath("/deliveries"),
});
R("POST /api/v1/webhook-deliveries/{id}/redeliver", {
  prep: async (f, who) => {
    await hookPrep(f, who);
    who.obj = (
      await f.as(f.admin, "POST", `/api/v1/webhooks/${who.obj}/test`)
    ).json.id;
  },
  path: (f, who) => `/api/v1/webhook-deliveries/${who.obj}/redeliver`,
});

// regions: reads of grid 1; writes on grids made for the purpose
R("GET /api/v1/regions", {
  path: () => `/api/v1/regions?parent=${GRID1}`,
  scopedQuery: true,
});
R("POST /api/v1/regions", {
  target: true,
  region: COMM1,
  body: () => ({
    code: `${COMM1}${600 + (next() % 300)}`,
    name: "矩阵新网格",
    parent_code: COMM1,
    planned_households: 400,
  }),
});
R("POST /api/v1/regions/merge", {
  target: true,
  region: COMM1,
  prep: async (f, who) => (who.obj = [await f.grid(), await f.grid()]),
  body: (f, who) => ({
    codes: who.obj,
    into: { code: `${COMM1}${600 + (next() % 300)}`, name: "矩阵合并网格" },
  }),
});
// A region is named by its statistical code, which is public: out of scope may say 403.
const CODE_NAMED = { outStatus: [403, 404] };
R("GET /api/v1/regions/{code}", {
  ...CODE_NAMED,
  path: () => `/api/v1/regions/${GRID1}`,
});
R("PATCH /api/v1/regions/{code}", {
  ...CODE_NAMED,
  path: () => `/api/v1/regions/${GRID1}`,
  body: () => ({ planned_households: 400 }),
});
R("POST /api/v1/regions/{code}/split", {
  ...CODE_NAMED,
  prep: async (f, who) => (who.obj = await f.grid()),
  path: (f, who) => `/api/v1/regions/${who.obj}/split`,
  body: () => ({
    into: [
      { code: `${COMM1}${600 + (next() % 300)}`, name: "矩阵拆分甲" },
      { code: `${COMM1}${600 + (next() % 300)}`, name: "矩阵拆分乙" },
    ],
  }),
});
R("GET /api/v1/regions/{code}/history", {
  ...CODE_NAMED,
  path: () => `/api/v1/regions/${GRID1}/history`,
});
R("GET /api/v1/audit");

// the command dashboard: grid 1's, which every dashboard role of the district reaches
R("GET /api/v1/dashboard", {
  path: () => `/api/v1/dashboard?region=${GRID1}`,
  scopedQuery: true,
});
// its live updates: a stream, read up to its headers (every refusal comes before the stream)
R("GET /api/v1/dashboard/events", {
  path: () => `/api/v1/dashboard/events?region=${GRID1}`,
  scopedQuery: true,
  stream: true,
});
// indicators (definitions are the same for every caller; values for grid 1) and manual figures
// of grid 1, each month used once (one figure per fact, region and month)
const figureMonth = () => {
  const n = next();
  return `${2000 + (n % 100)}-${String(1 + (Math.floor(n / 100) % 12)).padStart(2, "0")}`;
};
const figureBody = () => ({
  fact: "fire_hazards",
  region_code: GRID1,
  period: figureMonth(),
  value: 3,
  source: "矩阵消防",
});
R("GET /api/v1/indicators");
R("POST /api/v1/indicators", {
  body: () => ({
    code: `mx_ind_${next()}`,
    name: "矩阵指标",
    name_en: "Matrix",
    numerator: "cases_closed",
    denominator: "cases_reported",
  }),
});
R("PATCH /api/v1/indicators/{code}", {
  path: () => "/api/v1/indicators/case_closure_rate",
  body: () => ({ description: "矩阵检查" }),
});
R("GET /api/v1/indicators/{code}/values", {
  path: () => `/api/v1/indicators/case_closure_rate/values?region=${GRID1}`,
  scopedQuery: true,
});
R("GET /api/v1/indicator-figures", {
  path: () => `/api/v1/indicator-figures?region=${GRID1}`,
  scopedQuery: true,
});
R("POST /api/v1/indicator-figures", { target: true, body: figureBody });
R("GET /api/v1/indicator-figures/{id}", {
  path: (f) => `/api/v1/indicator-figures/${f.figure}`,
});
R("PATCH /api/v1/indicator-figures/{id}", {
  path: (f) => `/api/v1/indicator-figures/${f.figure}`,
  body: () => ({ note: "矩阵更正" }),
});
// a fresh pending figure entered by admin (admin's own approval is the documented 409)
R("POST /api/v1/indicator-figures/{id}/approve", {
  prep: async (f, who) =>
    (who.obj = (
      await f.as(f.admin, "POST", "/api/v1/indicator-figures", figureBody())
    ).json.id),
  path: (f, who) => `/api/v1/indicator-figures/${who.obj}/approve`,
  body: () => ({}),
});
// callbacks and surveys: admin's of 阳光社区 (the supervisor's grant; the outsiders' grants miss it)
const monthsBack = (k) => {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - k);
  return d.toISOString().slice(0, 7);
};
const surveyBody = () => ({
  title: "矩阵测评",
  region_code: COMM1,
  period: monthsBack(0),
  per_grid: 2,
  seed: 1,
  questions: [{ text: "是否满意？", options: ["满意", "不满意"] }],
});
R("GET /api/v1/callback-samples", {
  path: () => `/api/v1/callback-samples?region=${COMM1}`,
  scopedQuery: true,
});
R("POST /api/v1/callback-samples", {
  target: true,
  body: (f) => ({
    region_code: COMM1,
    period: f.callbackMonth,
    size: 2,
    seed: 3,
  }),
});
R("GET /api/v1/callback-samples/{id}", {
  path: (f) => `/api/v1/callback-samples/${f.callbackSample}`,
});
R("POST /api/v1/callback-samples/{id}/items/{case_id}", {
  path: (f) =>
    `/api/v1/callback-samples/${f.callbackSample}/items/${f.callbackCase}`,
  body: () => ({ outcome: "unreachable", reason: "矩阵复核" }),
});
R("GET /api/v1/surveys", {
  path: () => `/api/v1/surveys?region=${COMM1}`,
  scopedQuery: true,
});
R("POST /api/v1/surveys", { target: true, body: surveyBody });
R("GET /api/v1/surveys/{id}", { path: (f) => `/api/v1/surveys/${f.survey}` });
R("POST /api/v1/surveys/{id}/responses", {
  path: (f) => `/api/v1/surveys/${f.survey}/responses`,
  body: (f) => ({
    household_id: f.surveyHousehold,
    answers: [0],
    channel: "phone",
  }),
});
R("GET /api/v1/surveys/{id}/results", {
  path: (f) => `/api/v1/surveys/${f.survey}/results`,
});
// a resident's own surveys: the demo's census survey of grid 1 samples jumin's household (an
// outsider resident's household is in no sample: 404); a second answer is the documented 409
R("GET /api/v1/me/surveys");
R("POST /api/v1/me/surveys/{id}/responses", {
  path: (f) => `/api/v1/me/surveys/${f.meSurvey}/responses`,
  body: () => ({ answers: [0, 0] }),
});
// grid worker assessment of grid 1 (a grid worker reads their own row; wangge's records)
R("GET /api/v1/worker-assessments", {
  path: () => `/api/v1/worker-assessments?region=${GRID1}&month=2025-03`,
  scopedQuery: true,
});
R("GET /api/v1/worker-assessments/export", {
  path: () => `/api/v1/worker-assessments/export?region=${GRID1}&month=2025-03`,
  scopedQuery: true,
});
// the query names the worker (an object): one the caller does not reach → 404
R("GET /api/v1/worker-assessments/records", {
  path: (f) =>
    `/api/v1/worker-assessments/records?user=${f.wanggeId}&measure=reports&month=2025-03`,
  scopedQuery: true,
});
// ranking schemes: admin's community scheme of 幸福街道 (a community user under it sees it), its
// bonus and penalty items in 阳光社区, the live ranking, a published version and the export
const schemeBody = () => ({
  name: `矩阵方案${next()}`,
  level: "community",
  region_code: STREET1,
  items: [
    { indicator: "case_closure_rate", weight: 100, floor: 50, target: 95 },
  ],
});
const adjustmentBody = (f) => ({
  scheme: f.scheme,
  region_code: COMM1,
  period: "2025-03",
  points: 1,
  reason: "矩阵加分",
  evidence: "矩阵材料",
});
R("GET /api/v1/ranking-schemes");
R("POST /api/v1/ranking-schemes", {
  target: true,
  region: STREET1,
  body: schemeBody,
});
R("GET /api/v1/ranking-schemes/{id}", {
  path: (f) => `/api/v1/ranking-schemes/${f.scheme}`,
  region: STREET1,
  visibleTo: ["admin", "district", "street", "community"],
});
R("PATCH /api/v1/ranking-schemes/{id}", {
  path: (f) => `/api/v1/ranking-schemes/${f.scheme}`,
  region: STREET1,
  body: () => ({ note: "矩阵修改" }),
});
R("GET /api/v1/ranking-adjustments", {
  path: (f) =>
    `/api/v1/ranking-adjustments?scheme=${f.scheme}&period=2025-03&region=${COMM1}`,
  region: COMM1,
  scopedQuery: true,
});
R("POST /api/v1/ranking-adjustments", {
  target: true,
  region: COMM1,
  body: adjustmentBody,
});
R("POST /api/v1/ranking-adjustments/{id}/approve", {
  prep: async (f, who) =>
    (who.obj = (
      await f.as(
        f.admin,
        "POST",
        "/api/v1/ranking-adjustments",
        adjustmentBody(f),
      )
    ).json.id),
  path: (f, who) => `/api/v1/ranking-adjustments/${who.obj}/approve`,
  region: COMM1,
  body: () => ({}),
});
R("GET /api/v1/rankings", {
  path: (f) => `/api/v1/rankings?scheme=${f.scheme}&period=2025-03`,
  region: STREET1,
  scopedQuery: true,
});
R("POST /api/v1/rankings/publish", {
  target: true,
  region: STREET1,
  body: (f) => ({ scheme: f.scheme, period: "2025-03" }),
});
// published: also read by the community users ranked in it
R("GET /api/v1/rankings/published", {
  path: (f) => `/api/v1/rankings/published?scheme=${f.scheme}&period=2025-03`,
  region: COMM1,
  scopedQuery: true,
});
R("GET /api/v1/rankings/export", {
  path: (f) => `/api/v1/rankings/export?scheme=${f.scheme}&period=2025-03`,
  region: STREET1,
  scopedQuery: true,
});
// campaigns and joint meetings: admin's of grid 1 (every campaign role of the district reaches it;
// a grant under a campaign's region sees it too, and none of the outsiders' grants is)
R("GET /api/v1/campaigns", {
  path: () => "/api/v1/campaigns?limit=200",
  listed: { id: (f) => f.campaign },
});
R("POST /api/v1/campaigns", {
  target: true,
  body: () => ({
    region_code: GRID1,
    title: `矩阵整治${next()}`,
    starts_on: today(),
    ends_on: inDays(30),
    lead_unit: "矩阵单位",
  }),
});
R("GET /api/v1/campaigns/{id}", {
  path: (f) => `/api/v1/campaigns/${f.campaign}`,
});
R("PATCH /api/v1/campaigns/{id}", {
  path: (f) => `/api/v1/campaigns/${f.campaign}`,
  body: () => ({ description: "矩阵检查" }),
});
R("GET /api/v1/campaigns/{id}/progress", {
  path: (f) => `/api/v1/campaigns/${f.campaign}/progress`,
});
R("GET /api/v1/campaigns/{id}/items", {
  path: (f) => `/api/v1/campaigns/${f.campaign}/items`,
});
R("POST /api/v1/campaigns/{id}/items", {
  path: (f) => `/api/v1/campaigns/${f.campaign}/items`,
  body: () => ({
    list: "task",
    title: `矩阵事项${next()}`,
    region_code: GRID1,
  }),
});
// projects: one of grid 1 whose responsible unit is 城管执法 (chengguan's), so the department
// reads it and reports on it; its outsider (same unit, street 2) does not reach it
R("GET /api/v1/projects", {
  path: () => "/api/v1/projects?limit=200",
  listed: { id: (f) => f.project },
});
R("POST /api/v1/projects", {
  target: true,
  body: () => ({
    region_code: GRID1,
    kind: "livelihood",
    title: `矩阵项目${next()}`,
    budget_fen: 100000,
    responsible_unit: UNITS.department,
  }),
});
R("GET /api/v1/projects/export");
R("GET /api/v1/projects/{id}", {
  path: (f) => `/api/v1/projects/${f.project}`,
});
R("PATCH /api/v1/projects/{id}", {
  path: (f) => `/api/v1/projects/${f.project}`,
  body: () => ({ title: `矩阵项目改名${next()}` }),
});
R("POST /api/v1/projects/{id}/actions", {
  path: (f) => `/api/v1/projects/${f.project}/actions`,
  body: () => ({ action: "start" }),
  refuse: {
    roles: "*",
    why: "domain/project_flow.c: an action the caller’s role does not allow → 403",
  },
});
R("POST /api/v1/projects/{id}/milestones", {
  path: (f) => `/api/v1/projects/${f.project}/milestones`,
  body: () => ({ title: `矩阵节点${next()}`, due_on: inDays(30) }),
});
R("PATCH /api/v1/projects/{id}/milestones/{mid}", {
  path: (f) => `/api/v1/projects/${f.project}/milestones/${f.projectMilestone}`,
  body: () => ({ done_on: today() }),
});
R("POST /api/v1/projects/{id}/spending", {
  path: (f) => `/api/v1/projects/${f.project}/spending`,
  body: () => ({ amount_fen: 1, spent_on: today(), note: "矩阵支出" }),
});
// the caller's own items (for the department, its unit's: the item below is 城管执法's)
R("GET /api/v1/campaign-items", {
  path: () => "/api/v1/campaign-items?limit=200",
  listed: { id: (f) => f.citem },
});
R("GET /api/v1/campaign-items/{id}", {
  path: (f) => `/api/v1/campaign-items/${f.citem}`,
});
// done on a fresh assigned item: an action every campaign role may take
R("POST /api/v1/campaign-items/{id}/actions", {
  prep: async (f, who) => (who.obj = await f.citem_()),
  path: (f, who) => `/api/v1/campaign-items/${who.obj}/actions`,
  body: () => ({ action: "done", comment: "矩阵检查" }),
});
R("GET /api/v1/meetings", {
  path: () => "/api/v1/meetings?limit=200",
  listed: { id: (f) => f.meeting },
});
R("POST /api/v1/meetings", {
  target: true,
  body: () => ({
    region_code: GRID1,
    held_on: today(),
    title: `矩阵会议${next()}`,
    units: ["矩阵单位"],
    decisions: ["矩阵决定"],
  }),
});
R("GET /api/v1/meetings/{id}", {
  path: (f) => `/api/v1/meetings/${f.meeting}`,
});
R("POST /api/v1/meetings/{id}/decisions/{n}/item", {
  prep: async (f, who) => (who.obj = await f.meeting_()),
  path: (f, who) => `/api/v1/meetings/${who.obj}/decisions/1/item`,
  body: (f) => ({ campaign_id: f.campaign, list: "task" }),
});
R("POST /api/v1/meetings/{id}/decisions/{n}/case", {
  prep: async (f, who) => (who.obj = await f.meeting_()),
  path: (f, who) => `/api/v1/meetings/${who.obj}/decisions/1/case`,
  body: () => ({ category: "environment", region_code: GRID1 }),
});

// recurring problems: one of grid 1; each caller takes up a fresh one into grid 1's campaign
R("GET /api/v1/recurring-problems", {
  path: () => `/api/v1/recurring-problems?region=${GRID1}&limit=200`,
  listed: { id: (f) => f.problem },
});
R("GET /api/v1/recurring-problems/{id}", {
  path: (f) => `/api/v1/recurring-problems/${f.problem}`,
});
R("POST /api/v1/recurring-problems/{id}/campaign-item", {
  prep: async (f, who) => (who.obj = await f.problem_()),
  path: (f, who) => `/api/v1/recurring-problems/${who.obj}/campaign-item`,
  body: (f) => ({ campaign_id: f.campaign, list: "problem" }),
});
R("POST /api/v1/recurring-problems/{id}/topic", {
  prep: async (f, who) => (who.obj = await f.problem_()),
  path: (f, who) => `/api/v1/recurring-problems/${who.obj}/topic`,
  body: () => ({}),
});

// cases: the case jumin reported in grid 1, dispatched to 城管执法 (so the resident, as its
// reporter, and the department, as its handler, are inside its scope too)
R("GET /api/v1/cases", {
  path: () => "/api/v1/cases?limit=200",
  listed: { id: (f) => f.case.id },
});
R("POST /api/v1/cases", {
  target: true,
  body: () => ({
    category: "environment",
    description: `矩阵检查上报 ${next()}`,
    region_code: GRID1,
  }),
});
R("GET /api/v1/cases/counts");
R("GET /api/v1/cases/{id}", { path: (f) => `/api/v1/cases/${f.case.id}` });
R("POST /api/v1/cases/{id}/actions", {
  path: (f) => `/api/v1/cases/${f.case.id}/actions`,
  body: () => ({ action: "supervise", comment: "矩阵检查督办" }),
  refuse: {
    roles: "*",
    why: "API.md: an action the caller’s role does not allow → 403",
  },
});
R("GET /api/v1/cases/{id}/duplicates", {
  path: (f) => `/api/v1/cases/${f.case.id}/duplicates`,
});
R("GET /api/v1/track/{code}", {
  path: (f) => `/api/v1/track/${f.case.tracking_code}`,
});

R("GET /api/v1/categories");
R("POST /api/v1/categories", {
  body: () => ({
    code: `mx${next()}`,
    name: `矩阵类别${next()}`,
    default_tier: "minor",
  }),
});
R("PATCH /api/v1/categories/{code}", {
  path: () => "/api/v1/categories/other",
  body: () => ({ sort: 99 }),
});

// the responsibility list: a rule of street 1 (the other district's user is out of scope)
R("GET /api/v1/responsibilities");
R("POST /api/v1/responsibilities", {
  target: true,
  region: STREET1,
  body: () => ({
    category: "other",
    region_code: STREET1,
    unit: `矩阵单位${next()}`,
    accept_hours: 4,
    handle_hours: 24,
  }),
});
R("GET /api/v1/responsibilities/export");
R("POST /api/v1/responsibilities/import", {
  path: () => "/api/v1/responsibilities/import?dry_run=true",
  raw: () => ({
    body: "category,tier,level,region_code,unit,accept_hours,handle_hours\r\nother,,,,矩阵导入单位,4,24\r\n",
    contentType: "text/csv",
  }),
});
// The responsibility list is readable by every signed-in user (GET /responsibilities), so
// naming a rule of another region reveals nothing: a write on it may say 403.
const READABLE_BY_ALL = { outStatus: [403, 404] };
R("PATCH /api/v1/responsibilities/{id}", {
  ...READABLE_BY_ALL,
  region: STREET1,
  path: (f) => `/api/v1/responsibilities/${f.rule.id}`,
  body: () => ({
    category: "other",
    region_code: STREET1,
    unit: "矩阵单位",
    accept_hours: 4,
    handle_hours: 24,
  }),
});
R("DELETE /api/v1/responsibilities/{id}", {
  ...READABLE_BY_ALL,
  region: STREET1,
  prep: async (f, who) => (who.obj = (await f.rule_()).id),
  path: (f, who) => `/api/v1/responsibilities/${who.obj}`,
});

// photos: the photo on jumin's case is readable by whoever reads the case
R("POST /api/v1/photos", {
  raw: () => ({ body: pngBytes(next()), contentType: "image/png" }),
});
R("GET /api/v1/photos/{hash}", { path: (f) => `/api/v1/photos/${f.photo}` });

// notifications are addressed to someone: each caller reads their own (if they have one);
// out of scope is somebody else's
R("GET /api/v1/notifications", {
  path: () => "/api/v1/notifications?limit=200",
  listed: { id: (f) => f.notes.other, visibleTo: ["department"] },
});
R("POST /api/v1/notifications/{id}/read", {
  own: "notification",
  path: (f, who) =>
    `/api/v1/notifications/${who.side === "in" ? f.notes[who.name] : f.notes.other}/read`,
});

// base data (人、房、企) of grid 1
// Base-data PATCH routes admit every reader, so that a reader out of scope learns nothing
// (404); in scope, a role that may only read is refused (403).
const WRITERS_ONLY = {
  narrow: {
    roles: [
      "admin",
      "district",
      "street",
      "community",
      "grid_leader",
      "grid_worker",
    ],
    why: "readers may not write base data",
  },
};
R("GET /api/v1/base/codes");
R("GET /api/v1/residents", {
  path: () => "/api/v1/residents?limit=200",
  listed: { id: (f) => f.resident },
});
R("GET /api/v1/residents/export");
R("GET /api/v1/residents/import-template");
const residentCsv = () =>
  "\uFEFF姓名,身份证号,联系电话,网格代码,楼栋,单元,房号,户号,与户主关系,人口类型,标签\r\n" +
  `矩阵导入,${idNumber()},${phone()},${GRID1},1号楼,1单元,101,,,户籍,\r\n`;
R("POST /api/v1/residents/import", {
  path: () => "/api/v1/residents/import?dry_run=true",
  raw: () => ({ body: residentCsv(), contentType: "text/csv" }),
});
R("GET /api/v1/houses/export");
R("GET /api/v1/houses/import-template");
R("POST /api/v1/houses/import", {
  path: () => "/api/v1/houses/import?dry_run=true",
  raw: () => ({
    body: `\uFEFF网格代码,楼栋,单元,房号\r\n${GRID1},1号楼,1单元,9${next() % 100}\r\n`,
    contentType: "text/csv",
  }),
});
R("GET /api/v1/organisations/export");
R("GET /api/v1/organisations/import-template");
R("POST /api/v1/organisations/import", {
  path: () => "/api/v1/organisations/import?dry_run=true",
  raw: () => ({
    body: `\uFEFF名称,网格代码,类型\r\n矩阵商户${next()},${GRID1},个体工商户\r\n`,
    contentType: "text/csv",
  }),
});
R("GET /api/v1/imports", {
  path: () => "/api/v1/imports?limit=200",
  listed: { id: (f) => f.import, visibleTo: ["admin", "grid_worker"] },
});
// an import's record and error report are the importer's own (and the admin's)
R("GET /api/v1/imports/{id}", {
  path: (f) => `/api/v1/imports/${f.import}`,
  visibleTo: ["admin", "grid_worker"],
});
R("GET /api/v1/imports/{id}/errors.csv", {
  path: (f) => `/api/v1/imports/${f.import}/errors.csv`,
  visibleTo: ["admin", "grid_worker"],
});
R("POST /api/v1/residents", {
  target: true,
  body: () => ({
    name: "矩阵居民",
    id_number: idNumber(),
    phone: phone(),
    region_code: GRID1,
    residency: "registered",
  }),
});
R("GET /api/v1/residents/{id}", {
  path: (f) => `/api/v1/residents/${f.resident}`,
});
R("PATCH /api/v1/residents/{id}", {
  ...WRITERS_ONLY,
  path: (f) => `/api/v1/residents/${f.resident}`,
  body: () => ({ note: "矩阵检查" }),
});
R("GET /api/v1/residents/{id}/history", {
  path: (f) => `/api/v1/residents/${f.resident}/history`,
});
R("GET /api/v1/buildings", {
  path: () => "/api/v1/buildings?limit=200",
  listed: { id: (f) => f.building },
});
R("POST /api/v1/buildings", {
  target: true,
  body: () => ({ region_code: GRID1, name: `矩阵楼${next()}`, floors: 6 }),
});
R("GET /api/v1/buildings/{id}", {
  path: (f) => `/api/v1/buildings/${f.building}`,
});
R("GET /api/v1/buildings/{id}/households", {
  path: (f) => `/api/v1/buildings/${f.building}/households`,
});
R("GET /api/v1/buildings/{id}/history", {
  path: (f) => `/api/v1/buildings/${f.building}/history`,
});
R("PATCH /api/v1/buildings/{id}", {
  ...WRITERS_ONLY,
  path: (f) => `/api/v1/buildings/${f.building}`,
  body: () => ({ floors: 6 }),
});
R("GET /api/v1/houses", {
  path: () => "/api/v1/houses?limit=200",
  listed: { id: (f) => f.house },
});
R("POST /api/v1/houses", {
  target: true,
  body: (f) => ({ building_id: f.building, unit: "9单元", room: `M${next()}` }),
});
R("GET /api/v1/houses/{id}", { path: (f) => `/api/v1/houses/${f.house}` });
R("PATCH /api/v1/houses/{id}", {
  ...WRITERS_ONLY,
  path: (f) => `/api/v1/houses/${f.house}`,
  body: () => ({ note: "矩阵检查" }),
});
R("GET /api/v1/houses/{id}/history", {
  path: (f) => `/api/v1/houses/${f.house}/history`,
});
R("POST /api/v1/households", {
  target: true,
  body: (f) => ({ house_id: f.house, number: `MX${next()}` }),
});
R("GET /api/v1/households/{id}", {
  path: (f) => `/api/v1/households/${f.household}`,
});
R("GET /api/v1/households/{id}/history", {
  path: (f) => `/api/v1/households/${f.household}/history`,
});
R("PATCH /api/v1/households/{id}", {
  ...WRITERS_ONLY,
  path: (f) => `/api/v1/households/${f.household}`,
  body: () => ({ note: "矩阵检查" }),
});
R("GET /api/v1/organisations", {
  path: () => "/api/v1/organisations?limit=200",
  listed: { id: (f) => f.org },
});
R("POST /api/v1/organisations", {
  target: true,
  body: () => ({
    name: `矩阵商户${next()}`,
    kind: "individual",
    region_code: GRID1,
  }),
});
R("GET /api/v1/organisations/{id}", {
  path: (f) => `/api/v1/organisations/${f.org}`,
});
R("PATCH /api/v1/organisations/{id}", {
  ...WRITERS_ONLY,
  path: (f) => `/api/v1/organisations/${f.org}`,
  body: () => ({ employees: 26 }),
});
R("GET /api/v1/organisations/{id}/history", {
  path: (f) => `/api/v1/organisations/${f.org}/history`,
});
// a sweep of grid 1 (the demo's own sweep covers the whole district, so everyone reaches it)
R("GET /api/v1/sweeps", {
  path: () => "/api/v1/sweeps?limit=200",
  listed: { id: (f) => f.sweep },
});
R("POST /api/v1/sweeps", {
  target: true,
  body: () => ({
    name: `矩阵扫楼${next()}`,
    region_code: GRID1,
    starts_on: today(),
    ends_on: inDays(30),
  }),
});
R("GET /api/v1/sweeps/{id}", { path: (f) => `/api/v1/sweeps/${f.sweep}` });
R("PATCH /api/v1/sweeps/{id}", {
  path: (f) => `/api/v1/sweeps/${f.sweep}`,
  body: () => ({ note: "矩阵检查" }),
});
R("GET /api/v1/sweeps/{id}/worklist", {
  path: (f) => `/api/v1/sweeps/${f.sweep}/worklist`,
});
R("GET /api/v1/sweeps/{id}/visits", {
  path: (f) => `/api/v1/sweeps/${f.sweep}/visits`,
});
R("POST /api/v1/sweeps/{id}/visits", {
  path: (f) => `/api/v1/sweeps/${f.sweep}/visits`,
  body: (f) => ({ house_id: f.house, outcome: "nobody_home" }),
});
R("GET /api/v1/sweeps/{id}/progress", {
  path: (f) => `/api/v1/sweeps/${f.sweep}/progress`,
});
R("GET /api/v1/rectifications", {
  path: () => "/api/v1/rectifications?limit=200",
  listed: { id: (f) => f.rect },
});
R("POST /api/v1/rectifications", {
  target: true,
  body: (f) => ({
    house_id: f.house,
    problem: `矩阵整改${next()}`,
    deadline: inDays(60),
  }),
});
R("GET /api/v1/rectifications/stats");
R("GET /api/v1/rectifications/{id}", {
  path: (f) => `/api/v1/rectifications/${f.rect}`,
});
R("POST /api/v1/rectifications/{id}/actions", {
  path: (f) => `/api/v1/rectifications/${f.rect}/actions`,
  body: () => ({ action: "start", comment: "矩阵检查" }),
  refuse: {
    roles: ["grid_leader", "grid_worker"],
    why: "ticking off (销号) is for BASE_MANAGERS",
  },
});

// party building: grid 1's 网格党支部, its members and 党员中心户; the pairing, cadres and
// reception days of 阳光社区 (community-level objects: grid roles are outside them)
R("GET /api/v1/party/orgs", {
  path: () => "/api/v1/party/orgs?limit=200",
  listed: { id: (f) => f.partyOrg },
});
R("POST /api/v1/party/orgs", {
  target: true,
  body: (f) => ({
    name: `矩阵党小组${next()}`,
    kind: "group",
    parent_id: f.partyOrg,
    region_code: GRID1,
  }),
});
// A department or cadre sees its own unit's organisations only (party_org_visible): theirs is
// the unit's 机关党支部 (城管执法's made in the fixtures, 区住建局's the demo's).
R("GET /api/v1/party/orgs/{id}", {
  path: (f, who) => `/api/v1/party/orgs/${f.unitOrgOf[who.role] ?? f.partyOrg}`,
  unitWide: {
    roles: ["department", "cadre"],
    why: "a unit’s own 机关党支部 is its people’s wherever their grant lies",
  },
});
R("PATCH /api/v1/party/orgs/{id}", {
  path: (f) => `/api/v1/party/orgs/${f.partyOrg}`,
  body: () => ({ note: "矩阵检查" }),
});
R("POST /api/v1/party/orgs/{id}/move", {
  path: (f) => `/api/v1/party/orgs/${f.partyGroup}/move`,
  body: (f) => ({ parent_id: f.partyOrg }),
});
R("GET /api/v1/party/orgs/{id}/history", {
  path: (f) => `/api/v1/party/orgs/${f.partyOrg}/history`,
});
R("GET /api/v1/party/structure", {
  path: () => `/api/v1/party/structure?region=${COMM1}`,
  region: COMM1,
  scopedQuery: true,
});
R("GET /api/v1/party/members", {
  path: () => "/api/v1/party/members?limit=200",
  listed: { id: (f) => f.member },
});
R("POST /api/v1/party/members", {
  target: true,
  prep: async (f, who) => (who.obj = (await f.resident_()).id),
  body: (f, who) => ({
    resident_id: who.obj,
    org_id: f.partyOrg,
    joined_on: "2020-07-01",
  }),
});
R("GET /api/v1/party/members/export");
R("GET /api/v1/party/members/{id}", {
  path: (f) => `/api/v1/party/members/${f.member}`,
});
R("PATCH /api/v1/party/members/{id}", {
  path: (f) => `/api/v1/party/members/${f.member}`,
  body: () => ({ note: "矩阵检查" }),
});
R("POST /api/v1/party/members/{id}/memberships", {
  path: (f) => `/api/v1/party/members/${f.member}/memberships`,
  body: (f) => ({ org_id: f.functional }),
});
R("DELETE /api/v1/party/members/{id}/memberships/{org_id}", {
  prep: async (f) =>
    f.as(f.admin, "POST", `/api/v1/party/members/${f.member}/memberships`, {
      org_id: f.functional,
    }),
  path: (f) => `/api/v1/party/members/${f.member}/memberships/${f.functional}`,
});
R("GET /api/v1/party/center-households", {
  path: () => "/api/v1/party/center-households?limit=200",
  listed: { id: (f) => f.center },
});
R("POST /api/v1/party/center-households", {
  target: true,
  prep: async (f, who) => (who.obj = await f.centerInputs()),
  body: (f, who) => ({
    member_id: who.obj.member,
    household_id: who.obj.household,
    org_id: f.partyOrg,
  }),
});
R("GET /api/v1/party/center-households/coverage", {
  path: () => `/api/v1/party/center-households/coverage?region=${GRID1}`,
  scopedQuery: true,
});
R("GET /api/v1/party/center-households/{id}", {
  path: (f) => `/api/v1/party/center-households/${f.center}`,
});
R("POST /api/v1/party/center-households/{id}/households", {
  path: (f) => `/api/v1/party/center-households/${f.center}/households`,
  prep: async (f, who) => (who.obj = (await f.household_()).id),
  body: (f, who) => ({ household_id: who.obj }),
});
R("DELETE /api/v1/party/center-households/{id}/households/{household_id}", {
  prep: async (f, who) => {
    who.obj = (await f.household_()).id;
    await f.as(
      f.admin,
      "POST",
      `/api/v1/party/center-households/${f.center}/households`,
      { household_id: who.obj },
    );
  },
  path: (f, who) =>
    `/api/v1/party/center-households/${f.center}/households/${who.obj}`,
});
R("DELETE /api/v1/party/center-households/{id}", {
  prep: async (f, who) => {
    const inputs = await f.centerInputs();
    const res = await f.as(f.admin, "POST", "/api/v1/party/center-households", {
      member_id: inputs.member,
      household_id: inputs.household,
      org_id: f.partyOrg,
    });
    assert.equal(res.status, 201, `center for DELETE: ${res.text}`);
    who.obj = res.json.id;
  },
  path: (f, who) => `/api/v1/party/center-households/${who.obj}`,
});
// the demo pairing 区住建局 × 阳光社区: its sides write, others in scope are refused (403).
// A department sees only its own unit's pairings (pairings.c pairing_visible): chengguan's is
// the pairing 城管执法 × 阳光社区 made in the fixtures (the cadre gongjian is of 区住建局).
const pairingOf = (f, who) =>
  who.role === "department" ? f.cgPairing : f.mainPairing;
const SIDES = {
  roles: ["supervisor", "department", "cadre"],
  why: "only the pairing’s two sides write to it",
};
R("GET /api/v1/pairings", {
  path: () => "/api/v1/pairings?limit=200",
  listed: { id: (f) => f.pairing, region: COMM1 },
});
R("POST /api/v1/pairings", {
  target: true,
  region: COMM1,
  body: (f) => ({
    unit_org_id: f.unitOrg,
    community_org_id: f.commOrg,
    signed_on: today(),
  }),
});
R("GET /api/v1/pairings/{id}", {
  region: COMM1,
  path: (f, who) => `/api/v1/pairings/${pairingOf(f, who).id}`,
});
R("PATCH /api/v1/pairings/{id}", {
  region: COMM1,
  path: (f, who) => `/api/v1/pairings/${pairingOf(f, who).id}`,
  body: () => ({ note: "矩阵检查" }),
});
R("POST /api/v1/pairings/{id}/commitments", {
  region: COMM1,
  refuse: {
    roles: "*",
    why: "only the pairing’s unit side registers a commitment",
  },
  path: (f, who) => `/api/v1/pairings/${pairingOf(f, who).id}/commitments`,
  body: () => ({
    problem: "矩阵检查承诺",
    responsible: "矩阵",
    deadline: inDays(30),
  }),
});
R("GET /api/v1/pairings/{id}/commitments/{cid}", {
  region: COMM1,
  path: (f, who) =>
    `/api/v1/pairings/${pairingOf(f, who).id}/commitments/${pairingOf(f, who).commitment}`,
});
R("POST /api/v1/pairings/{id}/commitments/{cid}/actions", {
  region: COMM1,
  refuse: {
    roles: "*",
    why: "each commitment action belongs to one side of the pairing",
  },
  path: (f, who) =>
    `/api/v1/pairings/${pairingOf(f, who).id}/commitments/${pairingOf(f, who).commitment}/actions`,
  body: () => ({ action: "start", comment: "矩阵检查" }),
});
R("POST /api/v1/pairings/{id}/activities", {
  region: COMM1,
  refuse: SIDES,
  path: (f, who) => `/api/v1/pairings/${pairingOf(f, who).id}/activities`,
  body: () => ({ title: "矩阵共建活动", held_on: today(), hours: 1 }),
});
R("POST /api/v1/pairings/{id}/items", {
  region: COMM1,
  refuse: SIDES,
  path: (f, who) => `/api/v1/pairings/${pairingOf(f, who).id}/items`,
  body: () => ({ list: "task", content: "矩阵检查事项" }),
});
R("PATCH /api/v1/pairings/{id}/items/{iid}", {
  region: COMM1,
  refuse: SIDES,
  path: (f, who) =>
    `/api/v1/pairings/${pairingOf(f, who).id}/items/${pairingOf(f, who).item}`,
  body: () => ({ content: "矩阵检查事项" }),
});
R("GET /api/v1/cadres", {
  path: () => "/api/v1/cadres?limit=200",
  listed: { id: (f) => f.cadre, region: COMM1 },
});
R("POST /api/v1/cadres", {
  target: true,
  region: COMM1,
  body: () => ({
    name: `矩阵干部${next()}`,
    kind: "sinking",
    region_code: COMM1,
    started_on: today(),
  }),
});
R("GET /api/v1/cadres/coverage", {
  path: () => `/api/v1/cadres/coverage?region=${COMM1}`,
  region: COMM1,
  scopedQuery: true,
});
R("GET /api/v1/cadres/{id}", {
  region: COMM1,
  path: (f) => `/api/v1/cadres/${f.cadre}`,
});
R("PATCH /api/v1/cadres/{id}", {
  region: COMM1,
  path: (f) => `/api/v1/cadres/${f.cadre}`,
  body: () => ({ note: "矩阵检查" }),
});
R("POST /api/v1/cadres/{id}/service", {
  region: COMM1,
  path: (f) => `/api/v1/cadres/${f.cadre}/service`,
  body: () => ({ served_on: inDays(-1), hours: 1, what: "矩阵检查" }),
});
// reception days are the community's public schedule: its residents read them too. A
// department is no reception staff (cadres.c day_visible: party staff over the community, its
// cadres and residents), so it sees no day at all: 404 in scope is its documented answer.
const COMMUNITY_PUBLIC = Object.keys(INSIDERS).filter(
  (r) => r === "resident" || (r !== "department" && reaches(r, COMM1)),
);
R("GET /api/v1/reception-days", {
  path: () => "/api/v1/reception-days?limit=200",
  listed: { id: (f) => f.day.id, visibleTo: [...COMMUNITY_PUBLIC] },
});
R("POST /api/v1/reception-days", {
  target: true,
  region: COMM1,
  body: (f) => ({
    cadre_id: f.cadre,
    held_on: inDays(20 + (next() % 40)),
    starts: "09:00",
    ends: "10:00",
    place: "矩阵接待室",
  }),
});
R("GET /api/v1/reception-days/{id}", {
  region: COMM1,
  visibleTo: COMMUNITY_PUBLIC,
  path: (f) => `/api/v1/reception-days/${f.day.id}`,
});
R("POST /api/v1/reception-days/{id}/cancel", {
  region: COMM1,
  prep: async (f, who) => (who.obj = (await f.day_()).id),
  path: (f, who) => `/api/v1/reception-days/${who.obj}/cancel`,
});
R("POST /api/v1/reception-days/{id}/bookings", {
  region: COMM1,
  visibleTo: ["resident"],
  prep: async (f, who) => (who.obj = await f.day_()),
  path: (f, who) => `/api/v1/reception-days/${who.obj.id}/bookings`,
  body: (f, who) => ({ slot_id: who.obj.slots[0].id }),
});
R("GET /api/v1/reception-bookings");
// a booking is its resident's own
R("POST /api/v1/reception-bookings/{id}/cancel", {
  visibleTo: ["resident"],
  refuse: {
    roles: ["admin", "district", "street", "community", "cadre"],
    why: "staff may not cancel a resident’s booking",
  },
  prep: async (f, who) => {
    const day = await f.day_();
    const res = await f.as(
      f.auth.in.resident,
      "POST",
      `/api/v1/reception-days/${day.id}/bookings`,
      { slot_id: day.slots[0].id },
    );
    assert.equal(res.status, 201, `booking: ${res.text}`);
    who.obj = res.json.id;
  },
  path: (f, who) => `/api/v1/reception-bookings/${who.obj}/cancel`,
});
// services (服务下沉): slots of grid 1 are seen by the readers over it and its residents; a
// department or cadre is no service staff and sees none (404 in scope is its answer)
const SLOT_SEERS = [
  "admin",
  "district",
  "street",
  "community",
  "supervisor",
  "grid_leader",
  "grid_worker",
  "building_leader",
  "resident",
];
const soon = (hours) =>
  new Date(Date.now() + hours * 3600e3).toISOString().replace(/\.\d+Z$/, "Z");
R("GET /api/v1/service-slots", {
  path: () => "/api/v1/service-slots?limit=200",
  listed: { id: (f) => f.slot, visibleTo: SLOT_SEERS },
});
R("POST /api/v1/service-slots", {
  target: true,
  body: () => ({
    service: "矩阵服务",
    region_code: GRID1,
    starts_at: soon(48),
    ends_at: soon(49),
    capacity: 5,
  }),
});
R("GET /api/v1/service-slots/{id}", {
  visibleTo: SLOT_SEERS,
  path: (f) => `/api/v1/service-slots/${f.slot}`,
});
R("POST /api/v1/service-slots/{id}/bookings", {
  path: (f) => `/api/v1/service-slots/${f.slot}/bookings`,
  body: (f, who) =>
    who.role === "resident" ? {} : { resident_id: f.resident },
});
R("GET /api/v1/service-bookings");
// a resident's own booking: they and the staff over its grid cancel it
R("DELETE /api/v1/service-bookings/{id}", {
  prep: async (f, who) => (who.obj = await f.booking_()),
  path: (f, who) => `/api/v1/service-bookings/${who.obj}`,
});
R("POST /api/v1/service-bookings/{id}/attendance", {
  path: (f) => `/api/v1/service-bookings/${f.booking}/attendance`,
  body: () => ({ attended: true }),
});
// residents' accounts (户码 enrolment): codes of a grid 1 household by the base-data writers
// over it; enrolment is public (a bogus code: the one 422); unlinking an account linked to a
// grid 1 resident (re-linked before each call)
R("POST /api/v1/households/{id}/enrolment-code", {
  path: (f) => `/api/v1/households/${f.household}/enrolment-code`,
  body: () => ({}),
});
R("DELETE /api/v1/households/{id}/enrolment-code", {
  prep: async (f) =>
    f.as(
      f.admin,
      "POST",
      `/api/v1/households/${f.household}/enrolment-code`,
      {},
    ),
  path: (f) => `/api/v1/households/${f.household}/enrolment-code`,
});
R("POST /api/v1/enrolments", {
  body: () => ({
    code: "MATRIXCODE",
    name: "矩阵居民",
    phone: "13900000000",
    username: "mx_enrol",
    password: PASSWORD,
  }),
  anonOk: [422, 429],
});
R("DELETE /api/v1/users/{id}/resident-link", {
  prep: async (f) =>
    sql(
      f.db,
      `UPDATE users SET resident_id = ${f.linkedResident} WHERE id = ${f.linkedUser}`,
    ),
  path: (f) => `/api/v1/users/${f.linkedUser}/resident-link`,
});
// announcements (社区资讯): one of grid 1, seen by the base readers over it and its residents
const ANNOUNCEMENT_SEERS = [
  "admin",
  "district",
  "street",
  "community",
  "supervisor",
  "grid_leader",
  "grid_worker",
  "building_leader",
  "resident",
];
R("GET /api/v1/announcements", {
  path: () => "/api/v1/announcements?limit=200",
  listed: { id: (f) => f.announcement, visibleTo: ANNOUNCEMENT_SEERS },
});
R("POST /api/v1/announcements", {
  target: true,
  body: () => ({ region_code: GRID1, title: "矩阵资讯", body: "矩阵资讯正文" }),
});
R("GET /api/v1/announcements/{id}", {
  visibleTo: ANNOUNCEMENT_SEERS,
  path: (f) => `/api/v1/announcements/${f.announcement}`,
});
R("GET /api/v1/care-targets", {
  path: () => "/api/v1/care-targets?limit=200",
  listed: { id: (f) => f.care },
});
R("POST /api/v1/care-targets", {
  target: true,
  body: (f) => ({
    resident_id: f.resident,
    kind: "elderly",
    visit_every_days: 30,
  }),
});
R("GET /api/v1/care-targets/coverage", {
  path: () => `/api/v1/care-targets/coverage?region=${GRID1}`,
});
R("GET /api/v1/care-targets/{id}", {
  path: (f) => `/api/v1/care-targets/${f.care}`,
});
// a visit is a write naming a target of another grid: 403 out of scope, wherever it is
R("POST /api/v1/care-targets/{id}/visits", {
  outStatus: [403],
  path: (f) => `/api/v1/care-targets/${f.care}/visits`,
  body: () => ({ note: "矩阵走访" }),
});
// deliberation (协商议事): topics of grid 1 are read by the staff over it and the residents of
// its community; a move, vote or pledge the stage does not allow is a 409 the body explains
R("GET /api/v1/topics", { path: () => "/api/v1/topics?limit=200" });
R("POST /api/v1/topics", {
  target: true,
  body: () => ({ title: "矩阵议题", body: "矩阵", region_code: GRID1 }),
});
R("GET /api/v1/topics/{id}", { path: (f) => `/api/v1/topics/${f.topic}` });
R("POST /api/v1/topics/{id}/advance", {
  path: (f) => `/api/v1/topics/${f.topic}/advance`,
  body: () => ({ to: "discussing" }),
});
R("POST /api/v1/topics/{id}/support", {
  path: (f) => `/api/v1/topics/${f.topic}/support`,
  body: () => ({}),
});
R("POST /api/v1/topics/{id}/comments", {
  path: (f) => `/api/v1/topics/${f.voteTopic}/comments`,
  body: () => ({ body: "矩阵意见" }),
});
R("POST /api/v1/topic-comments/{id}/hide", {
  path: (f) => `/api/v1/topic-comments/${f.topicComment}/hide`,
  body: () => ({ reason: "矩阵" }),
});
R("POST /api/v1/topics/{id}/meetings", {
  path: (f) => `/api/v1/topics/${f.topic}/meetings`,
  body: () => ({ venue: "grid", held_at: soon(-1), minutes: "矩阵纪要" }),
});
R("PATCH /api/v1/topic-meetings/{id}", {
  path: (f) => `/api/v1/topic-meetings/${f.topicMeeting}`,
  body: () => ({ minutes: "矩阵纪要改" }),
});
R("POST /api/v1/topic-meetings/{id}/attendance", {
  path: (f) => `/api/v1/topic-meetings/${f.topicMeeting}/attendance`,
  body: () => ({}),
});
R("POST /api/v1/topics/{id}/ballot", {
  path: (f) => `/api/v1/topics/${f.topic}/ballot`,
  body: () => ({ question: "矩阵表决", closes_at: soon(24) }),
});
R("POST /api/v1/topics/{id}/votes", {
  refuse: {
    roles: ["resident"],
    why: "the demo resident is linked to no household: not on the register (403)",
  },
  path: (f) => `/api/v1/topics/${f.voteTopic}/votes`,
  body: () => ({ option: 0 }),
});
R("GET /api/v1/topics/{id}/result", {
  path: (f) => `/api/v1/topics/${f.voteTopic}/result`,
});
R("POST /api/v1/topics/{id}/selection", {
  path: (f) => `/api/v1/topics/${f.selFresh}/selection`,
  body: () => ({ seats: 2 }),
});
R("GET /api/v1/topics/{id}/nominations", {
  path: (f) => `/api/v1/topics/${f.selTopic}/nominations`,
});
R("POST /api/v1/topics/{id}/nominations", {
  path: (f) => `/api/v1/topics/${f.selTopic}/nominations`,
  body: () => ({ name: "矩阵被提名者", reason: "矩阵" }),
});
R("POST /api/v1/topic-nominations/{id}/review", {
  path: (f) => `/api/v1/topic-nominations/${f.nomination}/review`,
  body: () => ({ decision: "accepted" }),
});
R("POST /api/v1/topics/{id}/pledges", {
  path: (f) => `/api/v1/topics/${f.topic}/pledges`,
  body: () => ({ resource: "money", amount: 10 }),
});
R("POST /api/v1/topics/{id}/spending", {
  path: (f) => `/api/v1/topics/${f.topic}/spending`,
  body: () => ({ amount: 10, note: "矩阵" }),
});
R("POST /api/v1/topics/{id}/tasks", {
  path: (f) => `/api/v1/topics/${f.topic}/tasks`,
  body: () => ({ title: "矩阵任务", owner: "物业", deadline: inDays(5) }),
});
R("POST /api/v1/topic-tasks/{id}/done", {
  path: (f) => `/api/v1/topic-tasks/${f.topicTask}/done`,
  body: () => ({}),
});
R("POST /api/v1/topics/{id}/ratings", {
  path: (f) => `/api/v1/topics/${f.topic}/ratings`,
  body: () => ({ rating: "satisfied" }),
});
R("POST /api/v1/topics/{id}/objections", {
  path: (f) => `/api/v1/topics/${f.topic}/objections`,
  body: () => ({ body: "矩阵异议" }),
});
R("GET /api/v1/public/regions/{code}/disclosures", {
  path: () => `/api/v1/public/regions/${COMM1}/disclosures`,
});
// the service catalogue: an item of 阳光社区 is read by staff over it and by everyone whose
// grant lies under it (its residents, grid staff, its cadre); managers keep it. A request of
// the demo resident is read by the readers over grid 1, the applicant and the managers of
// the item's region; a department or cadre sees none (404 in scope is its answer)
const ITEM_SEERS = [
  "admin",
  "district",
  "street",
  "community",
  "supervisor",
  "grid_leader",
  "grid_worker",
  "building_leader",
  "cadre",
  "resident",
];
R("GET /api/v1/service-items", {
  path: () => "/api/v1/service-items?limit=200",
  listed: {
    id: (f) => f.sitem,
    visibleTo: [
      "admin",
      "district",
      "street",
      "community",
      "supervisor",
      "resident",
    ],
  },
});
R("POST /api/v1/service-items", {
  target: true,
  region: COMM1,
  body: () => ({
    level: "community",
    region_code: COMM1,
    name: `矩阵事项${next()}`,
    time_limit_days: 3,
  }),
});
R("GET /api/v1/service-items/{id}", {
  region: COMM1,
  visibleTo: ITEM_SEERS,
  path: (f) => `/api/v1/service-items/${f.sitem}`,
});
R("PATCH /api/v1/service-items/{id}", {
  region: COMM1,
  path: (f) => `/api/v1/service-items/${f.sitem}`,
  body: () => ({ time_limit_days: 4 }),
});
R("GET /api/v1/service-requests", {
  path: () => "/api/v1/service-requests?limit=200",
  listed: { id: (f) => f.sreq, visibleTo: SLOT_SEERS },
});
R("POST /api/v1/service-requests", {
  body: (f) => ({ item_id: f.sitem, note: "矩阵申请" }),
});
R("GET /api/v1/service-requests/{id}", {
  visibleTo: SLOT_SEERS,
  path: (f) => `/api/v1/service-requests/${f.sreq}`,
});
// the first manager accepts, later calls find it accepted (409); the resident withdraws
R("POST /api/v1/service-requests/{id}/actions", {
  visibleTo: SLOT_SEERS,
  path: (f) => `/api/v1/service-requests/${f.sreq}/actions`,
  body: (f, who) => ({
    action: who.role === "resident" ? "withdraw" : "accept",
  }),
});
// volunteers (志愿服务): a team and its activities at community 1, seen by the staff over it
// and by the accounts near it (its grids' workers and residents); a sign-up of a grid-1
// resident is also seen by the staff over that grid; the records and ledger are the caller's own
const VOL_SEERS = [
  "admin",
  "district",
  "street",
  "community",
  "supervisor",
  "grid_leader",
  "grid_worker",
  "building_leader",
  "resident",
];
const volActivity = (f) => ({
  team_id: f.team,
  title: "矩阵活动",
  starts_at: soon(48),
  ends_at: soon(49),
  capacity: 50,
});
R("GET /api/v1/volunteer-teams", {
  path: () => "/api/v1/volunteer-teams?limit=200",
  listed: { id: (f) => f.team, visibleTo: VOL_SEERS },
});
R("POST /api/v1/volunteer-teams", {
  target: true,
  region: COMM1,
  body: () => ({ name: `矩阵服务队${next() % 1000}`, region_code: COMM1 }),
});
R("GET /api/v1/volunteer-teams/{id}", {
  region: COMM1,
  visibleTo: VOL_SEERS,
  path: (f) => `/api/v1/volunteer-teams/${f.team}`,
});
R("POST /api/v1/volunteer-teams/{id}/members", {
  region: COMM1,
  visibleTo: VOL_SEERS,
  path: (f) => `/api/v1/volunteer-teams/${f.team}/members`,
  body: (f, who) =>
    who.role === "resident" ? {} : { resident_id: f.resident },
});
R("DELETE /api/v1/volunteer-members/{id}", {
  region: COMM1,
  prep: async (f, who) => {
    const res = await f.as(
      f.admin,
      "POST",
      `/api/v1/volunteer-teams/${await f.team_()}/members`,
      { resident_id: f.resident },
    );
    who.obj = res.json?.id;
  },
  path: (f, who) => `/api/v1/volunteer-members/${who.obj}`,
});
R("GET /api/v1/volunteer-activities", {
  path: () => "/api/v1/volunteer-activities?limit=200",
  listed: { id: (f) => f.activity, visibleTo: VOL_SEERS },
});
R("POST /api/v1/volunteer-activities", {
  target: true,
  region: COMM1,
  body: (f) => volActivity(f),
});
R("GET /api/v1/volunteer-activities/{id}", {
  region: COMM1,
  visibleTo: VOL_SEERS,
  path: (f) => `/api/v1/volunteer-activities/${f.activity}`,
});
R("POST /api/v1/volunteer-activities/{id}/signups", {
  region: COMM1,
  visibleTo: VOL_SEERS,
  path: (f) => `/api/v1/volunteer-activities/${f.activity}/signups`,
  body: (f, who) =>
    who.role === "resident" ? {} : { resident_id: f.resident },
});
R("POST /api/v1/volunteer-activities/{id}/check-in", {
  region: COMM1,
  visibleTo: VOL_SEERS,
  path: (f) => `/api/v1/volunteer-activities/${f.activity}/check-in`,
  body: () => ({ code: "XXXXXX" }),
});
// a grid-1 resident's sign-up made by staff: the staff over the community or the grid
R("DELETE /api/v1/volunteer-signups/{id}", {
  visibleTo: [
    "admin",
    "district",
    "street",
    "community",
    "grid_leader",
    "grid_worker",
  ],
  prep: async (f, who) => (who.obj = await f.signup_()),
  path: (f, who) => `/api/v1/volunteer-signups/${who.obj}`,
});
R("POST /api/v1/volunteer-signups/{id}/hours", {
  region: COMM1,
  path: (f) => `/api/v1/volunteer-signups/${f.signup}/hours`,
  body: () => ({ minutes: 60 }),
});
R("GET /api/v1/volunteer-ledger");
R("POST /api/v1/volunteer-ledger", {
  target: true,
  body: (f) => ({ resident_id: f.resident, points: 1, note: "矩阵兑换" }),
});
R("GET /api/v1/volunteer-records");
R("GET /api/v1/volunteer-records/certificate");
// field logs (民情走访, 巡查): the demo grid worker's entry of grid 1, seen by its author and the
// grid leader and above
R("GET /api/v1/field-logs");
R("POST /api/v1/field-logs", {
  target: true,
  body: () => ({ kind: "patrol", region_code: GRID1, note: "矩阵巡查" }),
});
R("GET /api/v1/field-logs/monthly");
R("GET /api/v1/field-logs/workers");
R("GET /api/v1/field-logs/{id}", {
  visibleTo: [
    "admin",
    "district",
    "street",
    "community",
    "supervisor",
    "grid_leader",
    "grid_worker",
  ],
  path: (f) => `/api/v1/field-logs/${f.fieldLog}`,
});
R("POST /api/v1/field-logs/{id}/case", {
  path: (f) => `/api/v1/field-logs/${f.fieldLog}/case`,
  body: () => ({ category: "municipal" }),
});
R("GET /api/v1/grid-teams", {
  path: () => `/api/v1/grid-teams?region=${GRID1}`,
  scopedQuery: true,
});
R("POST /api/v1/grid-teams", {
  target: true,
  body: () => ({
    region_code: GRID1,
    role: "supervisor",
    name: `矩阵督导${next() % 1000}`,
  }),
});
R("DELETE /api/v1/grid-teams/{id}", {
  prep: async (f, who) => {
    const res = await f.as(f.admin, "POST", "/api/v1/grid-teams", {
      region_code: GRID1,
      role: "supervisor",
      name: `矩阵督导${next() % 1000}`,
    });
    assert.equal(res.status, 201, `team member: ${res.text}`);
    who.obj = res.json.id;
  },
  path: (f, who) => `/api/v1/grid-teams/${who.obj}`,
});

// Open311: public reads of public cases; a private case is not published (issue 9, leak 2)
R("GET /open311/v2/{resource}.{fmt}", {
  path: () => "/open311/v2/services.json",
});
R("POST /open311/v2/{resource}.{fmt}", {
  anonOk: [400, 403], // GeoReport v2: a POST without api_key is refused in the spec's format
  path: () => "/open311/v2/requests.json",
  raw: () => ({
    body: new URLSearchParams({
      service_code: "environment",
      description: "矩阵检查",
      lat: "30.002",
      long: "120.002",
    }).toString(),
    contentType: "application/x-www-form-urlencoded",
  }),
});
R("GET /open311/v2/services/{code}.{fmt}", {
  path: () => "/open311/v2/services/environment.json",
});
R("GET /open311/v2/requests/{id}.{fmt}", {
  path: (f) => `/open311/v2/requests/${f.publicCase}.json`,
  privatePath: (f) => `/open311/v2/requests/${f.privateCase}.json`,
});
R("GET /open311/v2/tokens/{token}.{fmt}", {
  path: () => "/open311/v2/tokens/MATRIXNOTOKEN.json",
  anonOk: [404],
});

export const MATRIX_TABLE = T;

// The objects the table names, made in before().
const FIXTURES = { auth: { in: {}, out: {}, otherUnit: {} }, notes: {} };

// What a refused caller names where a prepared object would stand.
const STAND_IN_OBJECT = Object.assign([`${COMM1}998`, `${COMM1}999`], {
  id: 1,
  member: 1,
  household: 1,
  slots: [{ id: 1 }],
});
STAND_IN_OBJECT.toString = () => "1";

// ---- expectations ------------------------------------------------------------------------

/** What a call should answer: 'ok', or a list of statuses. */
function expected(route, entry, who) {
  if (who.side === "anon") return route.public ? "ok" : [401];
  if (route.public) return "ok";
  if (!route.roles.includes(who.role)) return [403];
  const hasObject = route.pattern.includes("{");
  if (entry.scopedQuery)
    return who.side === "in" && reaches(who.role, entry.region ?? GRID1)
      ? "ok"
      : [403, 404];
  // a unit's own object: the same unit's outsider (another region) sees it too
  if (
    who.side === "out" &&
    !who.otherUnit &&
    entry.unitWide?.roles.includes(who.role)
  )
    return "ok";
  if (who.side === "out")
    return hasObject ? (entry.outStatus ?? [404]) : entry.target ? [403] : "ok";
  if (entry.own && hasObject) return "ok";
  if (hasObject || entry.target) {
    const visible = entry.visibleTo
      ? entry.visibleTo.includes(who.role)
      : reaches(who.role, entry.region ?? GRID1);
    if (!visible) return hasObject ? (entry.outStatus ?? [404]) : [403];
  }
  if (entry.narrow && !entry.narrow.roles.includes(who.role)) return [403];
  return "ok";
}

/** A failure message for res against want, or null. */
function judge(route, entry, who, res) {
  const at = `${route.key} as ${who.label}`;
  const got = `${res.status} ${res.text.slice(0, 200).replace(/[^\x20-\x7e\u00a0-\uffff]/g, ".")}`;
  if (res.status >= 500) return `${at}: answered ${got} (no 5xx ever)`;
  if (res.status >= 400) {
    const ct = res.headers.get("content-type") || "";
    if (route.pattern.startsWith("/open311/")) {
      let ok = false;
      try {
        const j = JSON.parse(res.text);
        ok =
          Array.isArray(j) &&
          j.every((e) => "code" in e && typeof e.description === "string");
      } catch {
        ok = false;
      }
      if (!ok)
        return `${at}: an Open311 error is a list of {code, description}; got ${got}`;
    } else {
      const j = res.json;
      if (
        !/^application\/problem\+json/.test(ct) ||
        !j ||
        j.status !== res.status ||
        typeof j.detail !== "string" ||
        typeof j.title !== "string"
      )
        return `${at}: error body is not problem+json (${ct}): ${got}`;
    }
  }
  if (entry.listed && res.status === 200 && Array.isArray(res.json?.items)) {
    const { id, region, visibleTo } = entry.listed;
    const may =
      who.side === "in" &&
      (visibleTo
        ? visibleTo.includes(who.role)
        : reaches(who.role, region ?? GRID1));
    if (!may && res.json.items.some((it) => it.id === id(FIXTURES)))
      return `${at}: the list shows record ${id(FIXTURES)}, which is out of the caller's scope`;
  }
  const want = expected(route, entry, who);
  if (want === "ok") {
    const refused =
      entry.refuse &&
      (entry.refuse.roles === "*" || entry.refuse.roles.includes(who.role)) &&
      who.side === "in";
    const bad = [401, 403, 404].filter((s) => !(refused && s === 403));
    if (who.side === "anon" && entry.anonOk?.includes(res.status)) return null;
    if (bad.includes(res.status))
      return `${at}: expected an answer (2xx or an explained 4xx), got ${got}`;
    return null;
  }
  if (!want.includes(res.status))
    return `${at}: expected ${want.join("/")}, got ${got}`;
  return null;
}

// ---- the run -------------------------------------------------------------------------------

describe("role × route matrix", { timeout: 300_000 }, () => {
  let srv, url;
  const routes = readRoutes();
  const f = FIXTURES;

  /** A request as auth (null: no session): {status, headers, text, json}. */
  f.as = (auth, method, p, body, raw) =>
    api(url, method, p, {
      ...(auth || {}),
      ...(raw
        ? { rawBody: raw.body, contentType: raw.contentType }
        : body !== undefined
          ? { body }
          : {}),
    });
  /** A GET of a streamed answer as auth: a 200's status and headers (the stream is closed
   * then), a refusal whole. */
  f.stream = async (auth, p) => {
    const headers = {};
    if (auth?.cookie) headers.Cookie = auth.cookie;
    if (auth?.token) headers.Authorization = `Bearer ${auth.token}`;
    const ac = new AbortController();
    const res = await fetch(url + p, { headers, signal: ac.signal });
    if (res.status === 200) {
      ac.abort();
      return { status: 200, headers: res.headers, text: "", json: undefined };
    }
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  const must = async (auth, method, p, body, status = 201) => {
    const res = await f.as(auth, method, p, body);
    assert.equal(
      res.status,
      status,
      `${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`,
    );
    return res.json;
  };

  /** Signs in, waiting out a rate limit on sign-ins if the server has one. */
  async function signInPatient(name, password) {
    for (let i = 0; ; i++) {
      try {
        return password
          ? await signIn(url, name, password)
          : await signInDemo(url, name);
      } catch (e) {
        if (i >= 60 || !/answered 429/.test(e.message)) throw e;
        await sleep(1000);
      }
    }
  }

  before(async () => {
    srv = await startServer();
    url = srv.url;
    const admin = (f.admin = await signInPatient("admin"));
    // the other district, for an out-of-scope district user
    await must(admin, "POST", "/api/v1/regions", {
      code: OTHER_DISTRICT,
      name: "矩阵外区",
    });
    for (const [role, [name]] of Object.entries(INSIDERS))
      f.auth.in[role] = await signInPatient(name);
    for (const [role, region] of Object.entries(OUTSIDE)) {
      const username = `mx_out_${role}`;
      const body = {
        username,
        display_name: `区外${role}`,
        password: PASSWORD,
        grants: [{ role, region_code: region }],
      };
      if (UNITS[role]) body.unit = UNITS[role];
      await must(admin, "POST", "/api/v1/users", body);
      f.auth.out[role] = await signInPatient(username, PASSWORD);
    }
    // the same roles in another unit, granted where the insiders are (for unitWide entries)
    for (const role of Object.keys(UNITS)) {
      const username = `mx_other_unit_${role}`;
      const body = {
        username,
        display_name: `外单位${role}`,
        password: PASSWORD,
        grants: [{ role, region_code: INSIDERS[role][1] }],
        unit: OTHER_UNIT,
      };
      await must(admin, "POST", "/api/v1/users", body);
      f.auth.otherUnit[role] = await signInPatient(username, PASSWORD);
    }
    const s = f.auth.in;

    // the case: jumin reports it in grid 1 with a photo; the street dispatches it to 城管执法
    const png = await f.as(s.resident, "POST", "/api/v1/photos", undefined, {
      body: pngBytes(424242),
      contentType: "image/png",
    });
    assert.ok([200, 201].includes(png.status), `photo upload: ${png.text}`);
    f.photo = png.json.hash;
    f.case = await must(s.resident, "POST", "/api/v1/cases", {
      category: "illegal_construction",
      description: "矩阵检查：楼顶违建",
      region_code: GRID1,
      photos: [f.photo],
    });
    await must(
      s.street,
      "POST",
      `/api/v1/cases/${f.case.id}/actions`,
      { action: "accept", comment: "受理" },
      200,
    );
    await must(
      s.street,
      "POST",
      `/api/v1/cases/${f.case.id}/actions`,
      { action: "dispatch", comment: "派遣", unit: "城管执法" },
      200,
    );
    // a plain environment report (public category, minor tier) for the Open311 reads
    f.publicCase = (
      await must(s.grid_worker, "POST", "/api/v1/cases", {
        category: "environment",
        description: "矩阵检查：楼道堆物",
        region_code: GRID1,
      })
    ).id;
    f.privateCase = (
      await must(s.grid_worker, "POST", "/api/v1/cases", {
        category: "dispute",
        description: "矩阵检查：邻里纠纷 张三 13700000000",
        region_code: GRID1,
      })
    ).id;

    f.user = await must(admin, "POST", "/api/v1/users", {
      username: `mx_patch_${next()}`,
      display_name: "矩阵用户",
      password: PASSWORD,
      grants: [{ role: "grid_worker", region_code: GRID1 }],
    });
    f.rule_ = () =>
      must(admin, "POST", "/api/v1/responsibilities", {
        category: "other",
        region_code: STREET1,
        unit: `矩阵单位${next()}`,
        accept_hours: 4,
        handle_hours: 24,
      });
    f.rule = await f.rule_();
    // fresh grids of 阳光社区 for split and merge
    f.grid = async () => {
      for (;;) {
        const code = `${COMM1}${String(100 + (next() % 400)).padStart(3, "0")}`;
        const res = await f.as(admin, "POST", "/api/v1/regions", {
          code,
          name: `矩阵网格${code.slice(-3)}`,
          parent_code: COMM1,
          planned_households: 400,
        });
        if (res.status === 201) return code;
        assert.equal(res.status, 409, `grid ${code}: ${res.text}`);
      }
    };

    // base data of grid 1 (the demo's first records are there)
    const first = async (p) => {
      const j = await must(
        admin,
        "GET",
        `${p}${p.includes("?") ? "&" : "?"}limit=200`,
        undefined,
        200,
      );
      const it = j.items.find((x) => x.region_code === GRID1);
      assert.ok(it, `a record of grid 1 in ${p}`);
      return it.id;
    };
    f.resident = await first(`/api/v1/residents?region=${GRID1}`);
    f.building = await first(`/api/v1/buildings?region=${GRID1}`);
    f.house = await first(`/api/v1/houses?region=${GRID1}`);
    f.org = await first(`/api/v1/organisations?region=${GRID1}`);
    f.rect = await first(`/api/v1/rectifications?region=${GRID1}`);
    f.household_ = async () => {
      const house = await must(admin, "POST", "/api/v1/houses", {
        building_id: f.building,
        unit: "8单元",
        room: `H${next()}`,
      });
      return must(admin, "POST", "/api/v1/households", {
        house_id: house.id,
        number: `MXH${next()}`,
      });
    };
    f.household = (await f.household_()).id;
    f.resident_ = () =>
      must(admin, "POST", "/api/v1/residents", {
        name: "矩阵党员",
        id_number: idNumber(),
        phone: phone(),
        region_code: GRID1,
        residency: "registered",
      });
    f.figure = (
      await must(admin, "POST", "/api/v1/indicator-figures", figureBody())
    ).id;
    // a callback sample of the latest month with closed cases in 阳光社区, and a survey there
    for (let k = 0; k < 6 && !f.callbackSample; k++) {
      const res = await f.as(admin, "POST", "/api/v1/callback-samples", {
        region_code: COMM1,
        period: monthsBack(k),
        size: 2,
        seed: 3,
      });
      if (res.status === 201) {
        f.callbackMonth = monthsBack(k);
        f.callbackSample = res.json.id;
        f.callbackCase = res.json.items[0].case_id;
      }
    }
    assert.ok(f.callbackSample, "a month with closed cases in 阳光社区");
    const survey = await must(admin, "POST", "/api/v1/surveys", surveyBody());
    f.survey = survey.id;
    f.surveyHousehold = survey.grids.find(
      (g) => g.households.length,
    ).households[0].household_id;
    // the resident's open survey (the demo's census of grid 1) and the grid worker's id
    f.meSurvey = (
      await must(
        await signInPatient("jumin"),
        "GET",
        "/api/v1/me/surveys",
        undefined,
        200,
      )
    ).items.find((i) => !i.answered).id;
    f.wanggeId = (
      await must(
        await signInPatient("wangge"),
        "GET",
        "/api/v1/me",
        undefined,
        200,
      )
    ).id;
    f.scheme = (
      await must(admin, "POST", "/api/v1/ranking-schemes", schemeBody())
    ).id;
    await must(admin, "POST", "/api/v1/rankings/publish", {
      scheme: f.scheme,
      period: "2025-03",
    });
    // a project of grid 1 (城管执法 responsible) with a milestone
    f.project = (
      await must(admin, "POST", "/api/v1/projects", {
        region_code: GRID1,
        kind: "renovation",
        title: "矩阵项目",
        budget_fen: 10000000,
        responsible_unit: UNITS.department,
      })
    ).id;
    f.projectMilestone = (
      await must(admin, "POST", `/api/v1/projects/${f.project}/milestones`, {
        title: "矩阵节点",
        due_on: inDays(30),
      })
    ).milestone_list[0].id;
    // a campaign of grid 1 with an item, and a meeting there
    f.campaign = (
      await must(admin, "POST", "/api/v1/campaigns", {
        region_code: GRID1,
        title: "矩阵整治",
        starts_on: today(),
        ends_on: inDays(30),
        lead_unit: "矩阵单位",
      })
    ).id;
    f.citem_ = async () => {
      const it = await must(
        admin,
        "POST",
        `/api/v1/campaigns/${f.campaign}/items`,
        {
          list: "task",
          title: `矩阵事项${next()}`,
          region_code: GRID1,
        },
      );
      // owned by the department's unit, so the department reads it and reports it done in scope
      await must(
        admin,
        "POST",
        `/api/v1/campaign-items/${it.id}/actions`,
        { action: "assign", owner_unit: UNITS.department },
        200,
      );
      return it.id;
    };
    f.citem = await f.citem_();
    f.meeting_ = async () =>
      (
        await must(admin, "POST", "/api/v1/meetings", {
          region_code: GRID1,
          held_on: today(),
          title: `矩阵会议${next()}`,
          units: ["矩阵单位"],
          decisions: ["矩阵决定"],
        })
      ).id;
    f.meeting = await f.meeting_();
    // a recurring problem of grid 1: three cases of one category at one fresh point
    f.problem_ = async () => {
      const lat = 31 + (next() % 50000) / 1000;
      for (let i = 0; i < 3; i++)
        await must(admin, "POST", "/api/v1/cases", {
          category: "other",
          description: "矩阵反复问题",
          region_code: GRID1,
          location: { lat, lon: 121 },
        });
      const list = await must(
        admin,
        "GET",
        `/api/v1/recurring-problems?region=${GRID1}&limit=200`,
        undefined,
        200,
      );
      const p = list.items.find((x) => Math.abs(x.place.lat - lat) < 1e-6);
      assert.ok(
        p,
        `a problem at ${lat}: ${JSON.stringify(list.items.map((x) => x.place))}`,
      );
      return p.id;
    };
    f.problem = await f.problem_();
    f.sweep = (
      await must(admin, "POST", "/api/v1/sweeps", {
        name: "矩阵扫楼",
        region_code: GRID1,
        starts_on: today(),
        ends_on: inDays(30),
      })
    ).id;
    // an import of grid 1 by wangge with one bad row: a record and an error report
    const imp = await f.as(
      s.grid_worker,
      "POST",
      "/api/v1/residents/import",
      undefined,
      {
        body:
          "\uFEFF姓名,身份证号,联系电话,网格代码,楼栋,单元,房号,户号,与户主关系,人口类型,标签\r\n" +
          `矩阵坏行,110101199001011234,${phone()},${GRID1},1号楼,1单元,101,,,户籍,\r\n`,
        contentType: "text/csv",
      },
    );
    assert.equal(
      typeof imp.json?.import_id,
      "number",
      `import with a bad row: ${imp.text}`,
    );
    f.import = imp.json.import_id;

    // party data
    const orgs = (
      await must(
        admin,
        "GET",
        `/api/v1/party/orgs?region=${COMM1}&limit=200`,
        undefined,
        200,
      )
    ).items;
    f.partyOrg = orgs.find(
      (o) => o.region_code === GRID1 && o.kind === "grid_branch",
    ).id;
    f.commOrg = orgs.find(
      (o) => o.region_code === COMM1 && o.kind === "committee",
    )?.id;
    f.functional = orgs.find((o) => o.functional).id;
    f.partyGroup = (
      await must(admin, "POST", "/api/v1/party/orgs", {
        name: "矩阵党小组",
        kind: "group",
        parent_id: f.partyOrg,
        region_code: GRID1,
      })
    ).id;
    f.member_ = async () =>
      must(admin, "POST", "/api/v1/party/members", {
        resident_id: (await f.resident_()).id,
        org_id: f.partyOrg,
        joined_on: "2020-07-01",
      });
    f.member = (await f.member_()).id;
    f.centerInputs = async () => ({
      member: (await f.member_()).id,
      household: (await f.household_()).id,
    });
    const ci = await f.centerInputs();
    f.center = (
      await must(admin, "POST", "/api/v1/party/center-households", {
        member_id: ci.member,
        household_id: ci.household,
        org_id: f.partyOrg,
      })
    ).id;
    const pairing = (
      await must(admin, "GET", `/api/v1/pairings?limit=200`, undefined, 200)
    ).items.find((p) => p.region_code === COMM1);
    assert.equal(
      pairing.unit,
      UNITS.cadre,
      "the demo pairing of 阳光社区 is 区住建局’s",
    );
    f.pairing = pairing.id;
    f.unitOrg = pairing.unit_org_id;
    f.commOrg = f.commOrg ?? pairing.community_org_id;
    const pj = await must(
      admin,
      "GET",
      `/api/v1/pairings/${f.pairing}`,
      undefined,
      200,
    );
    f.mainPairing = {
      id: f.pairing,
      commitment: pj.commitments[0].id,
      item: (
        await must(admin, "POST", `/api/v1/pairings/${f.pairing}/items`, {
          list: "task",
          content: "矩阵事项",
        })
      ).id,
    };
    // 城管执法 (chengguan's unit) has no party organisation in the demo: its 机关党支部 and a
    // pairing of it with 阳光社区, with a commitment and an item, for the department's checks
    const cgOrg = await must(admin, "POST", "/api/v1/party/orgs", {
      name: "城管执法机关党支部",
      kind: "branch",
      region_code: "999901",
      unit: UNITS.department,
    });
    f.unitOrgOf = { department: cgOrg.id, cadre: f.unitOrg };
    const cg = await must(admin, "POST", "/api/v1/pairings", {
      unit_org_id: cgOrg.id,
      community_org_id: f.commOrg,
      signed_on: today(),
    });
    f.cgPairing = {
      id: cg.id,
      commitment: (
        await must(admin, "POST", `/api/v1/pairings/${cg.id}/commitments`, {
          problem: "矩阵承诺",
          responsible: "城管执法",
          deadline: inDays(30),
        })
      ).id,
      item: (
        await must(admin, "POST", `/api/v1/pairings/${cg.id}/items`, {
          list: "task",
          content: "矩阵事项",
        })
      ).id,
    };
    const cadres = (
      await must(admin, "GET", `/api/v1/cadres?limit=200`, undefined, 200)
    ).items;
    f.cadre = cadres.find((c) => c.user_id === s.cadre.user.id).id;
    f.day_ = () =>
      must(admin, "POST", "/api/v1/reception-days", {
        cadre_id: f.cadre,
        held_on: inDays(10 + (next() % 50)),
        starts: "09:00",
        ends: "10:00",
        place: "矩阵接待室",
        slots: [{ starts: "09:00", ends: "10:00", capacity: 50 }],
      });
    f.day = await f.day_();

    // services: a slot of grid 1 in two days, one within the day with a staff booking, a
    // fresh slot and booking of the demo resident per cancel, and a care target
    const slotOf = (hours) =>
      must(admin, "POST", "/api/v1/service-slots", {
        service: "矩阵服务",
        region_code: GRID1,
        starts_at: soon(hours),
        ends_at: soon(hours + 1),
        capacity: 50,
      });
    f.slot = (await slotOf(48)).id;
    const near = await slotOf(2);
    f.booking = (
      await must(admin, "POST", `/api/v1/service-slots/${near.id}/bookings`, {
        resident_id: f.resident,
      })
    ).id;
    f.booking_ = async () => {
      const sl = await slotOf(30);
      return (
        await must(
          f.auth.in.resident,
          "POST",
          `/api/v1/service-slots/${sl.id}/bookings`,
          {},
        )
      ).id;
    };
    f.care = (
      await must(admin, "POST", "/api/v1/care-targets", {
        resident_id: f.resident,
        kind: "elderly_alone",
        visit_every_days: 14,
      })
    ).id;

    // deliberation: a topic of grid 1 (proposed), one in discussion with a comment, a meeting
    // and an open ballot, and a task of the demo's topic being carried out
    f.topic = (
      await must(admin, "POST", "/api/v1/topics", {
        title: "矩阵议题",
        body: "矩阵",
        region_code: GRID1,
      })
    ).id;
    f.voteTopic = (
      await must(admin, "POST", "/api/v1/topics", {
        title: "矩阵表决议题",
        body: "矩阵",
        region_code: GRID1,
      })
    ).id;
    const adv = await f.as(
      admin,
      "POST",
      `/api/v1/topics/${f.voteTopic}/advance`,
      { to: "discussing" },
    );
    assert.equal(adv.status, 200, `advance: ${adv.text}`);
    f.topicComment = (
      await must(admin, "POST", `/api/v1/topics/${f.voteTopic}/comments`, {
        body: "矩阵意见",
      })
    ).id;
    f.topicMeeting = (
      await must(admin, "POST", `/api/v1/topics/${f.voteTopic}/meetings`, {
        venue: "grid",
        held_at: soon(-1),
      })
    ).id;
    await must(admin, "POST", `/api/v1/topics/${f.voteTopic}/ballot`, {
      question: "矩阵",
      closes_at: soon(24),
    });
    // a selection (评选) in discussion with a pending nomination, and a topic to make one
    const selTopic = (title) =>
      must(admin, "POST", "/api/v1/topics", {
        title,
        body: "矩阵",
        region_code: GRID1,
      });
    f.selFresh = (await selTopic("矩阵待评选")).id;
    f.selTopic = (await selTopic("矩阵评选")).id;
    await must(admin, "POST", `/api/v1/topics/${f.selTopic}/selection`, {
      seats: 1,
    });
    const selAdv = await f.as(
      admin,
      "POST",
      `/api/v1/topics/${f.selTopic}/advance`,
      { to: "discussing" },
    );
    assert.equal(selAdv.status, 200, `advance: ${selAdv.text}`);
    f.nomination = (
      await must(admin, "POST", `/api/v1/topics/${f.selTopic}/nominations`, {
        name: "矩阵提名",
        reason: "矩阵",
      })
    ).id;
    const executing = await f.as(
      admin,
      "GET",
      `/api/v1/topics?region=${GRID1}&stage=executing`,
    );
    const exTopic = await f.as(
      admin,
      "GET",
      `/api/v1/topics/${executing.json.items[0].id}`,
    );
    f.topicTask = exTopic.json.tasks[0].id;
    // the service catalogue: an item of 阳光社区 and the demo resident's request for it
    f.sitem = (
      await must(admin, "POST", "/api/v1/service-items", {
        level: "community",
        region_code: COMM1,
        name: "矩阵服务事项",
        time_limit_days: 5,
      })
    ).id;
    f.sreq = (
      await must(f.auth.in.resident, "POST", "/api/v1/service-requests", {
        item_id: f.sitem,
        note: "矩阵",
      })
    ).id;
    // residents' accounts: an account linked to a fresh resident of grid 1; an announcement there
    f.db = srv.db;
    f.linkedResident = (await f.resident_()).id;
    f.linkedUser = (
      await must(admin, "POST", "/api/v1/users", {
        username: "mx_linked",
        display_name: "矩阵居民",
        password: PASSWORD,
        grants: [{ role: "resident", region_code: GRID1 }],
      })
    ).id;
    f.announcement = (
      await must(admin, "POST", "/api/v1/announcements", {
        region_code: GRID1,
        title: "矩阵资讯",
        body: "正文",
      })
    ).id;

    // volunteers: a team of community 1 with an activity and a staff sign-up of the demo
    // resident; a fresh team or sign-up per consuming call; a field log of the grid worker
    const teamOf = async () =>
      (
        await must(admin, "POST", "/api/v1/volunteer-teams", {
          name: `矩阵志愿队${next() % 1000}`,
          region_code: COMM1,
        })
      ).id;
    f.team = await teamOf();
    f.team_ = teamOf;
    f.activity = (
      await must(admin, "POST", "/api/v1/volunteer-activities", volActivity(f))
    ).id;
    f.signup = (
      await must(
        admin,
        "POST",
        `/api/v1/volunteer-activities/${f.activity}/signups`,
        { resident_id: f.resident },
      )
    ).id;
    f.signup_ = async () => {
      const v = (
        await must(
          admin,
          "POST",
          "/api/v1/volunteer-activities",
          volActivity(f),
        )
      ).id;
      return (
        await must(admin, "POST", `/api/v1/volunteer-activities/${v}/signups`, {
          resident_id: f.resident,
        })
      ).id;
    };
    f.fieldLog = (
      await must(f.auth.in.grid_worker, "POST", "/api/v1/field-logs", {
        kind: "visit",
        region_code: GRID1,
        note: "矩阵走访",
      })
    ).id;

    // notifications: each identity's own first one, and somebody else's for the others
    for (const side of ["in", "out"])
      for (const [role, auth] of Object.entries(f.auth[side])) {
        const j = (await f.as(auth, "GET", "/api/v1/notifications?limit=1"))
          .json;
        if (side === "in" && j?.items?.[0])
          f.notes[INSIDERS[role][0]] = j.items[0].id;
      }
    f.notes.other = f.notes.chengguan ?? f.notes.jiedao;
    assert.ok(f.notes.other, "the dispatch left a notification to 城管执法");
  });

  after(async () => {
    await srv?.stop();
  });

  test("every route in routes.c has a matrix entry, and every entry a route", () => {
    const keys = new Set(routes.map((r) => r.key));
    const missing = routes.filter((r) => !T[r.key]).map((r) => r.key);
    const stale = Object.keys(T).filter((k) => !keys.has(k));
    assert.deepEqual(
      missing,
      [],
      `new route without a matrix entry: ${missing.join(", ")}`,
    );
    assert.deepEqual(
      stale,
      [],
      `matrix entries for routes routes.c no longer has: ${stale.join(", ")}`,
    );
  });

  /** The callers of one route: no session, every insider, every outsider. */
  function callers(route) {
    const list = [
      { side: "anon", role: null, label: "no session", auth: null },
    ];
    if (route.public) return list;
    for (const role of ROLE_ORDER) {
      list.push({
        side: "out",
        role,
        label: `${role} (outside: ${OUTSIDE[role]})`,
        auth: f.auth.out[role],
        name: `mx_out_${role}`,
      });
      list.push({
        side: "in",
        role,
        label: `${role} (${INSIDERS[role][0]})`,
        auth: f.auth.in[role],
        name: INSIDERS[role][0],
      });
      if (T[route.key]?.unitWide?.roles.includes(role))
        list.push({
          side: "out",
          otherUnit: true,
          role,
          label: `${role} (other unit: ${OTHER_UNIT})`,
          auth: f.auth.otherUnit[role],
          name: `mx_other_unit_${role}`,
        });
    }
    return list.filter((w) => w.side === "anon" || w.auth);
  }

  /** One call: prep, request, judgement. null when it behaved, else a message. */
  async function check(route, entry, who) {
    if (
      entry.own &&
      who.side === "in" &&
      route.pattern.includes("{") &&
      !f.notes[who.name]
    )
      return null; // nothing of their own
    // Only a caller the route's roles admit can consume an object; the others are refused
    // before the handler runs, so they name a placeholder.
    const admitted =
      route.public || (who.side !== "anon" && route.roles.includes(who.role));
    if (entry.prep && admitted) await entry.prep(f, who);
    else if (entry.prep) who.obj = STAND_IN_OBJECT;
    const p = entry.path ? entry.path(f, who) : route.pattern;
    const raw = entry.raw?.(f, who);
    const body = raw ? undefined : entry.body?.(f, who);
    const res = entry.stream
      ? await f.stream(who.auth, p)
      : await f.as(who.auth, route.method, p, body, raw);
    who.status = res.status;
    if (process.env.MATRIX_TRACE && who.side === "in" && res.status >= 400)
      console.log(
        `trace ${route.key} ${who.label} → ${res.status} ${res.text.slice(0, 160)}`,
      );
    return judge(route, entry, who, res);
  }

  // Two columns of the same table that need no role: a list answers 400 to a cursor the
  // server did not hand out, and a path id that is not all digits names nothing (404).
  test("every list answers 400 to a cursor the server did not hand out", async () => {
    const bad = [];
    const lists = routes.filter(
      (r) => r.method === "GET" && !r.public && !r.pattern.includes("{"),
    );
    await pool(lists, 8, async (route) => {
      if (T[route.key]?.stream) return; // not a list
      const base =
        T[route.key]?.path?.(f, { side: "in", role: "admin" }) ?? route.pattern;
      // every list ({items, next_cursor}), paged or not: API.md "Lists"
      const first = await f.as(f.admin, "GET", base);
      if (first.status !== 200 || !first.json || !("next_cursor" in first.json))
        return;
      const p = `${base}${base.includes("?") ? "&" : "?"}cursor=${encodeURIComponent("1.2~forged")}`;
      const res = await f.as(f.admin, "GET", p);
      if (
        res.status !== 400 ||
        !/^application\/problem\+json/.test(
          res.headers.get("content-type") || "",
        )
      )
        bad.push(
          `${route.key}: a forged cursor answered ${res.status} ${res.text.slice(0, 120)}`,
        );
    });
    assert.deepEqual(bad, []);
  });

  test("every path id that is not all digits answers 404, never 5xx", async () => {
    const bad = [];
    const withIds = routes.filter(
      (r) =>
        /\{(id|cid|iid|org_id|household_id)\}/.test(r.pattern) && !r.public,
    );
    await pool(withIds, 8, async (route) => {
      const entry = T[route.key];
      const good = entry?.path
        ? entry.path(f, {
            side: "in",
            role: "admin",
            name: "admin",
            obj: STAND_IN_OBJECT,
          })
        : null;
      if (!good) return;
      // the last numeric segment of the in-scope path, made malformed
      const p = good.replace(/\/(\d+)(?=(\/[a-z.-]*)?(\?.*)?$)/, "/$1abc");
      if (p === good) return;
      const raw = entry.raw?.(f, { side: "in", role: "admin" });
      const body = raw
        ? undefined
        : entry.body?.(f, { side: "in", role: "admin", obj: STAND_IN_OBJECT });
      // a caller the route admits, so the answer is about the id
      const role = route.roles.includes("admin") ? "admin" : route.roles[0];
      const res = await f.as(f.auth.in[role], route.method, p, body, raw);
      if (res.status !== 404)
        bad.push(
          `${route.method} ${p}: ${res.status} ${res.text.slice(0, 120)}`,
        );
    });
    assert.deepEqual(bad, []);
  });

  const stats = { calls: 0, started: 0 };
  const failures = [];
  // reads first (in parallel: they change nothing), then writes one route at a time, each
  // route's callers one after another (outsiders first, so a write that ends its object
  // ends it only after the refusals were checked), and signing out last of all
  const order = () => {
    const reads = routes.filter((r) => !r.write && T[r.key]);
    const writes = routes.filter((r) => r.write && T[r.key] && !T[r.key].last);
    const last = routes.filter((r) => T[r.key]?.last);
    return [...reads, ...writes, ...last];
  };

  test("every route × every role × in scope and out of scope", async () => {
    stats.started = Date.now();
    for (const route of order()) {
      const entry = T[route.key];
      const who = callers(route);
      const results = route.write
        ? []
        : await pool(who, 8, (w) => check(route, entry, { ...w }));
      if (route.write)
        for (const w of who) results.push(await check(route, entry, { ...w }));
      stats.calls += who.length;
      for (const r of results) if (r) failures.push(r);
    }
    // Open311 must not publish a private case to a caller without a key (issue 9, leak 2)
    const priv = await f.as(
      null,
      "GET",
      T["GET /open311/v2/requests/{id}.{fmt}"].privatePath(f),
    );
    if (![403, 404].includes(priv.status))
      failures.push(
        `GET /open311/v2/requests/{id}.{fmt} of a private dispute without an API key: expected 403/404, got ${priv.status} ${priv.text.slice(0, 200)}`,
      );
    const listed = await f.as(
      null,
      "GET",
      `/open311/v2/requests.json?service_code=dispute`,
    );
    if (
      listed.status === 200 &&
      listed.text.includes(`"service_request_id":"${f.privateCase}"`)
    )
      failures.push(
        `GET /open311/v2/requests.json without an API key lists the private dispute ${f.privateCase}`,
      );
    stats.calls += 2;
    const secs = ((Date.now() - stats.started) / 1000).toFixed(1);
    console.log(
      `matrix: ${stats.calls} calls over ${routes.length} routes in ${secs} s, ${failures.length} unexpected`,
    );
    assert.deepEqual(
      failures,
      [],
      `${failures.length} calls answered against the contract:\n${failures.join("\n")}`,
    );
  });
});
