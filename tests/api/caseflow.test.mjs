// The case state machine (事件闭环), walked through the HTTP API: for every
// state, every action and every role — allowed → 200 and the next state;
// a role the transition does not allow → 403; a state that has no such
// transition → 409; and a refused action changes nothing. Callers whose grant
// does not reach the case (or a department of another unit, or a resident who
// did not report it) get 404 and change nothing either.
//
// FLOW below mirrors the table `flow[CASE_STATE_COUNT][CASE_ACTION_COUNT]` in
// src/domain/case_flow.c (keep the two in step). The handler checks, in this
// order: visibility (404), state (409), role (403), then what the action needs
// (422) — so refused actions here always send a complete body.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DISTRICT, GRID1, GRID2, STREET2, api, assertProblem, startServer } from './harness.mjs';
import {
  CHENGGUAN_UNIT,
  ROLES,
  ROLE_USERS,
  collectFailures,
  createUser,
  getCase,
  mapLimit,
  mustAct,
  act,
  report,
  signInMany,
  snapshot,
  tag,
} from './cases-lib.mjs';

const DESK = ['admin', 'district', 'street', 'community'];
const GRID = ['supervisor', 'grid_leader', 'grid_worker'];
const HANDLERS = [...DESK, ...GRID, 'department'];
const SUPERVISE = ['admin', 'district', 'street'];

// state → action → [roles allowed, next state]  (src/domain/case_flow.c, `flow`)
const FLOW = {
  reported: {
    accept: [[...DESK, 'grid_leader'], 'accepted'],
    reject: [[...DESK, 'grid_leader'], 'rejected'],
    escalate: [[...DESK, 'grid_leader'], 'reported'],
    merge: [[...DESK, 'grid_leader'], 'closed'],
    supervise: [SUPERVISE, 'reported'],
  },
  accepted: {
    dispatch: [DESK, 'dispatched'],
    start: [[...DESK, ...GRID], 'handling'],
    escalate: [[...DESK, 'grid_leader'], 'reported'],
    merge: [[...DESK, 'grid_leader'], 'closed'],
    supervise: [SUPERVISE, 'accepted'],
  },
  dispatched: {
    start: [HANDLERS, 'handling'],
    return: [['department', ...DESK], 'accepted'],
    escalate: [[...DESK, 'department'], 'reported'],
    supervise: [SUPERVISE, 'dispatched'],
  },
  handling: {
    handle: [HANDLERS, 'handled'],
    return: [['department', ...DESK], 'accepted'],
    escalate: [[...DESK, 'department'], 'reported'],
    supervise: [SUPERVISE, 'handling'],
  },
  handled: {
    verify: [[...DESK, ...GRID], 'verified'],
    reopen: [[...DESK, ...GRID], 'handling'],
    supervise: [SUPERVISE, 'handled'],
  },
  verified: {
    // feedback with rating "satisfied" closes; "unsatisfied" goes back to handling (cases.test.mjs)
    feedback: [['resident', ...DESK, ...GRID], 'closed'],
    close: [[...DESK, ...GRID], 'closed'],
    supervise: [SUPERVISE, 'verified'],
  },
  closed: {
    reopen: [['resident', ...DESK], 'handling'],
  },
  rejected: {
    reopen: [DESK, 'reported'],
  },
};
const STATES = ['reported', 'accepted', 'rejected', 'dispatched', 'handling', 'handled', 'verified', 'closed'];
const ACTIONS = [
  'accept',
  'reject',
  'dispatch',
  'start',
  'escalate',
  'return',
  'handle',
  'verify',
  'reopen',
  'feedback',
  'close',
  'merge',
  'supervise',
];

// How a fresh case (reported by the resident jumin in grid 1, routed to 城管执法)
// is driven to each state: [role, action body].
const ACCEPT = ['community', { action: 'accept' }];
const DISPATCH = ['community', { action: 'dispatch', unit: CHENGGUAN_UNIT, comment: '派遣城管' }];
const START = ['department', { action: 'start' }];
const HANDLE = ['department', { action: 'handle', comment: '已拆除' }];
const VERIFY = ['grid_worker', { action: 'verify' }];
const PATHS = {
  reported: [],
  accepted: [ACCEPT],
  rejected: [['community', { action: 'reject', comment: '不属于受理范围' }]],
  dispatched: [ACCEPT, DISPATCH],
  handling: [ACCEPT, DISPATCH, START],
  handled: [ACCEPT, DISPATCH, START, HANDLE],
  verified: [ACCEPT, DISPATCH, START, HANDLE, VERIFY],
  closed: [ACCEPT, DISPATCH, START, HANDLE, VERIFY, ['grid_worker', { action: 'close' }]],
};

const allowedRoles = (state, action) => FLOW[state]?.[action]?.[0] ?? [];
const LEVEL_UP = { grid: 'community', community: 'street', street: 'district' };

describe('case state machine: every state × action × role', { timeout: 300_000 }, () => {
  let srv, url;
  let u = {}; // role → auth
  let outsiders = {}; // label → auth (cannot see the cases)
  const pools = {}; // state → fresh case ids for allowed actions
  const probes = {}; // state → the case refused actions are tried on
  let mergeTarget;

  before(async () => {
    srv = await startServer();
    url = srv.url;
    const byName = await signInMany(url, Object.values(ROLE_USERS));
    for (const r of ROLES) u[r] = byName[ROLE_USERS[r]];
    const admin = u.admin;

    // Route this test's cases to 城管执法 from the start, so the department
    // (unit 城管执法) holds a role on them in every state.
    const rule = await api(url, 'POST', '/api/v1/responsibilities', {
      ...admin,
      body: {
        category: 'illegal_construction',
        region_code: GRID1,
        unit: CHENGGUAN_UNIT,
        accept_hours: 8,
        handle_hours: 120,
        note: 'caseflow test',
      },
    });
    assert.equal(rule.status, 201, rule.text);

    outsiders = {
      'grid_worker of grid 2 (wangge2)': (await signInMany(url, ['wangge2'])).wangge2,
      'street of 999901002': await createUser(url, admin, { username: 'cf_street2', role: 'street', region: STREET2 }),
      'community of 999901001002': await createUser(url, admin, {
        username: 'cf_comm2',
        role: 'community',
        region: '999901001002',
      }),
      'department of another unit (环卫所)': await createUser(url, admin, {
        username: 'cf_dept_other',
        role: 'department',
        region: DISTRICT,
        unit: '环卫所',
      }),
      'department 城管执法 whose grant is street 999901002': await createUser(url, admin, {
        username: 'cf_dept_street2',
        role: 'department',
        region: STREET2,
        unit: CHENGGUAN_UNIT,
      }),
      'resident of grid 1 who did not report': await createUser(url, admin, {
        username: 'cf_resident2',
        role: 'resident',
        region: GRID1,
      }),
      'resident of grid 2': await createUser(url, admin, { username: 'cf_resident3', role: 'resident', region: GRID2 }),
    };

    const newCase = async () => {
      const res = await report(url, u.resident, {
        category: 'illegal_construction',
        description: tag('caseflow'),
        region_code: GRID1,
        reporter: { name: '测试居民', phone: '13800138000' },
      });
      assert.equal(res.json.unit, CHENGGUAN_UNIT, 'the test rule routes the case to 城管执法');
      assert.equal(res.json.level, 'street', 'illegal_construction is major: handled at street level');
      return res.json.id;
    };
    mergeTarget = await newCase();

    // One fresh case per allowed (action, role) in each state, plus one probe.
    const plan = [];
    for (const s of STATES) {
      let n = 1;
      for (const a of ACTIONS) n += allowedRoles(s, a).length;
      for (let i = 0; i < n; i++) plan.push(s);
    }
    const ids = await mapLimit(plan, 8, async (s) => {
      const id = await newCase();
      for (const [role, body] of PATHS[s]) await mustAct(url, u[role], id, body);
      return id;
    });
    for (const s of STATES) pools[s] = [];
    plan.forEach((s, i) => pools[s].push(ids[i]));
    for (const s of STATES) probes[s] = pools[s].pop();
    // Every case is where the path says.
    await mapLimit(plan, 16, async (s, i) => {
      const c = await getCase(url, u.admin, ids[i]);
      assert.equal(c.status, s, `case ${ids[i]} driven to ${s}`);
    });
  });

  after(async () => {
    await srv?.stop();
  });

  test('the mirrored table only names known states, actions and roles', () => {
    for (const [s, acts] of Object.entries(FLOW)) {
      assert.ok(STATES.includes(s), s);
      for (const [a, [roles, next]] of Object.entries(acts)) {
        assert.ok(ACTIONS.includes(a), a);
        assert.ok(STATES.includes(next), next);
        for (const r of roles) assert.ok(ROLES.includes(r), r);
      }
    }
  });

  for (const state of STATES) {
    describe(`state ${state}`, () => {
      test(`${state}: allowed_actions shown to each role match the table`, async () => {
        const failures = await collectFailures(ROLES, 4, async (role) => {
          const c = await getCase(url, u[role], probes[state]);
          assert.equal(c.status, state);
          const want = ACTIONS.filter((a) => allowedRoles(state, a).includes(role));
          assert.deepEqual(c.allowed_actions, want, `${role} in ${state}`);
        });
        assert.equal(failures.length, 0, failures.join('\n'));
      });

      for (const action of ACTIONS) {
        const allowed = allowedRoles(state, action);
        const title = allowed.length
          ? `${state} × ${action}: ${allowed.join(', ')} → ${FLOW[state][action][1]}; others 403`
          : `${state} × ${action}: every role 409`;
        test(title, async () => {
          // Refused actions never change the probe, so one snapshot serves them all.
          const probeBefore = snapshot(await getCase(url, u.admin, probes[state]));
          assert.equal(probeBefore.status, state);
          const failures = await collectFailures(ROLES, 4, async (role) => {
            const body = {
              action,
              comment: `测试：${role} ${action}`,
              unit: CHENGGUAN_UNIT,
              rating: 'satisfied',
              into: mergeTarget,
            };
            const where = `${role} ${action} in ${state}`;
            if (allowed.includes(role)) {
              const id = pools[state].pop();
              assert.ok(id, `a fresh case in ${state} for ${where}`);
              const before = await getCase(url, u.admin, id);
              assert.equal(before.status, state);
              const res = await act(url, u[role], id, body);
              assert.equal(res.status, 200, `${where}: ${res.text.slice(0, 300)}`);
              const next = FLOW[state][action][1];
              const c = res.json;
              assert.equal(c.status, next, `${where}: new status`);
              assert.equal(c.timeline.length, before.timeline.length + 1, `${where}: one timeline entry`);
              const e = c.timeline.at(-1);
              assert.equal(e.action, action, `${where}: timeline action`);
              assert.equal(e.from, state, `${where}: timeline from`);
              assert.equal(e.to, next, `${where}: timeline to`);
              assert.equal(e.role, role, `${where}: timeline role`);
              assert.equal(e.actor, ROLE_USERS[role], `${where}: timeline actor`);
              // The comment is exactly what the person wrote; a rating has its own field.
              assert.equal(e.comment, body.comment, `${where}: timeline comment`);
              assert.equal(e.rating, action === 'feedback' ? 'satisfied' : null, `${where}: timeline rating`);
              switch (action) {
                case 'supervise':
                  assert.equal(c.supervised, true, `${where}: supervised`);
                  assert.equal(c.supervise_note, body.comment, `${where}: supervise_note`);
                  break;
                case 'merge':
                  assert.equal(c.merged_into, mergeTarget, `${where}: merged_into`);
                  break;
                case 'escalate':
                  assert.equal(c.level, LEVEL_UP[before.level], `${where}: level goes up from ${before.level}`);
                  break;
                case 'dispatch':
                  assert.equal(c.unit, CHENGGUAN_UNIT, `${where}: unit`);
                  break;
                case 'feedback':
                  assert.equal(c.rating, 'satisfied', `${where}: rating`);
                  assert.ok(c.closed_at, `${where}: closed_at`);
                  break;
                case 'reopen':
                  if (role === 'resident') assert.equal(c.rating, 'unsatisfied', `${where}: rating`);
                  assert.equal(c.closed_at, null, `${where}: closed_at cleared`);
                  break;
                case 'handle':
                  assert.equal(c.result, body.comment, `${where}: result`);
                  break;
                default:
              }
              // And it is stored.
              const stored = await getCase(url, u.admin, id);
              assert.equal(stored.status, next, `${where}: stored status`);
              assert.equal(stored.timeline.length, before.timeline.length + 1, `${where}: stored timeline`);
            } else {
              const id = probes[state];
              const res = await act(url, u[role], id, body);
              const want = allowed.length ? 403 : 409;
              assertProblem(res, want, where);
              const afterSnap = snapshot(await getCase(url, u.admin, id));
              assert.deepEqual(afterSnap, probeBefore, `${where}: a refused action changes nothing`);
            }
          });
          assert.equal(failures.length, 0, failures.join('\n'));
        });
      }
    });
  }

  describe('what an allowed action needs (422, nothing changes)', () => {
    // [state, role, body missing what the transition needs, field named in errors[]]
    const NEEDS = [
      ['reported', 'community', { action: 'reject' }, 'comment'],
      ['reported', 'community', { action: 'reject', comment: '' }, 'comment'],
      ['reported', 'grid_leader', { action: 'escalate' }, 'comment'],
      ['reported', 'community', { action: 'merge', comment: '重复' }, 'into'],
      ['reported', 'street', { action: 'supervise' }, 'comment'],
      ['accepted', 'community', { action: 'escalate' }, 'comment'],
      ['dispatched', 'department', { action: 'return' }, 'comment'],
      ['dispatched', 'department', { action: 'escalate' }, 'comment'],
      ['handling', 'department', { action: 'handle' }, 'comment'],
      ['handling', 'community', { action: 'return' }, 'comment'],
      ['handled', 'grid_worker', { action: 'reopen' }, 'comment'],
      ['verified', 'resident', { action: 'feedback' }, 'rating'],
      ['verified', 'resident', { action: 'feedback', rating: 'great' }, 'rating'],
      ['closed', 'resident', { action: 'reopen' }, 'comment'],
      ['rejected', 'community', { action: 'reopen' }, 'comment'],
    ];
    for (const [state, role, body, field] of NEEDS) {
      test(`${state}: ${role} ${JSON.stringify(body)} → 422 (${field})`, async () => {
        assert.ok(allowedRoles(state, body.action).includes(role), 'the role may act: only the need is missing');
        const id = probes[state];
        const before = snapshot(await getCase(url, u.admin, id));
        const res = await act(url, u[role], id, body);
        assertProblem(res, 422);
        assert.ok(
          (res.json.errors || []).some((e) => e.field === field),
          `errors[] names ${field}: ${res.text}`,
        );
        assert.deepEqual(snapshot(await getCase(url, u.admin, id)), before, 'nothing changes');
      });
    }
  });

  describe('callers who cannot see the case', () => {
    test('every probe is still in its state', async () => {
      for (const s of STATES) assert.equal((await getCase(url, u.admin, probes[s])).status, s);
    });

    test('GET, duplicates and every action → 404, and nothing changes', async () => {
      const jobs = [];
      for (const label of Object.keys(outsiders)) for (const s of STATES) jobs.push([label, s]);
      const failures = await collectFailures(jobs, 4, async ([label, s]) => {
        const auth = outsiders[label];
        const id = probes[s];
        const before = snapshot(await getCase(url, u.admin, id));
        assertProblem(await api(url, 'GET', `/api/v1/cases/${id}`, auth), 404, `${label} GET case in ${s}`);
        assertProblem(
          await api(url, 'GET', `/api/v1/cases/${id}/duplicates`, auth),
          404,
          `${label} GET duplicates in ${s}`,
        );
        for (const action of ACTIONS) {
          const res = await act(url, auth, id, {
            action,
            comment: `越权 ${action}`,
            unit: CHENGGUAN_UNIT,
            rating: 'satisfied',
            into: mergeTarget,
          });
          assertProblem(res, 404, `${label} ${action} in ${s}`);
        }
        assert.deepEqual(snapshot(await getCase(url, u.admin, id)), before, `${label} in ${s}: nothing changes`);
      });
      assert.equal(failures.length, 0, failures.join('\n'));
    });

    test('outsiders do not find the cases in their lists', async () => {
      const mine = new Set(Object.values(probes));
      for (const [label, auth] of Object.entries(outsiders)) {
        const res = await api(url, 'GET', '/api/v1/cases?limit=200&category=illegal_construction', auth);
        assert.equal(res.status, 200, `${label}: ${res.text}`);
        for (const c of res.json.items) assert.ok(!mine.has(c.id), `${label} lists case ${c.id}`);
      }
    });

    test('an unknown case id → 404 for an action too', async () => {
      assertProblem(await act(url, u.admin, 999999999, { action: 'accept' }), 404);
      assertProblem(await act(url, u.admin, 'abc', { action: 'accept' }), 404);
    });
  });

  test('every fresh case was used: the table was walked in full', () => {
    for (const s of STATES) assert.deepEqual(pools[s], [], `unused cases in ${s}`);
  });
});
