// Case callbacks (回访抽查, docs/indicators.md "Samples"): a reproducible sample of the cases
// closed in a month under a region (the same seed → the same cases, as the reference draw in
// sample-lib.mjs computes them; another seed → others), outcomes recorded (a change needs a
// reason and keeps its history), a contradicted callback flagging the case, per-unit counts
// with the margin of error, the facts feeding callback_contradiction_rate, and the scope.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKEND, STREET2, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { createUser, mustAct, report } from './cases-lib.mjs';
import { drawSample, margin } from './sample-lib.mjs';

const STREET = '999901001';
const COMM = `${STREET}0${70 + (process.pid % 20)}`;
const [G1, G2] = ['001', '002'].map((g) => COMM + g);
const PERIOD = '2025-03';
const IN_MARCH = 1741500000; // 2025-03-09 in Asia/Shanghai

describe('callback samples', { timeout: 240_000 }, () => {
  let srv, url;
  const s = {};
  const ids = [];
  const unitOf = {};
  const put = (q) => srv.sql(BACKEND === 'postgres' ? q : `PRAGMA busy_timeout = 10000; ${q}`);
  const draw = (who, body) => api(url, 'POST', '/api/v1/callback-samples', { ...s[who], body });
  const record = (who, sample, caseId, body) =>
    api(url, 'POST', `/api/v1/callback-samples/${sample}/items/${caseId}`, { ...s[who], body });

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'dudao', 'wangge', 'jumin']) s[u] = await signInDemo(url, u);
    s.other = await createUser(url, s.admin, { username: `cbother${process.pid}`, role: 'street', region: STREET2 });
    let res = await api(url, 'POST', '/api/v1/regions', { ...s.jiedao, body: { code: COMM, name: '回访测试社区', parent_code: STREET } });
    assert.equal(res.status, 201, res.text);
    for (const [i, g] of [G1, G2].entries()) {
      res = await api(url, 'POST', '/api/v1/regions', { ...s.jiedao, body: { code: g, name: `回访网格${i + 1}`, parent_code: COMM } });
      assert.equal(res.status, 201, res.text);
    }
    // 12 cases closed, 7 in G1 and 5 in G2; one more left open (not in the population)
    for (let i = 0; i < 13; i++) {
      const id = (await report(url, s.jiedao, { region_code: i < 7 ? G1 : G2, reporter_name: '回访测试人', reporter_phone: '13912345678' })).json.id;
      if (i < 12) {
        for (const action of ['accept', 'start']) await mustAct(url, s.jiedao, id, { action });
        await mustAct(url, s.jiedao, id, { action: 'handle', comment: '已处理' });
        await mustAct(url, s.jiedao, id, { action: 'verify' });
        await mustAct(url, s.jiedao, id, { action: 'close' });
        ids.push(id);
        unitOf[id] = i < 8 ? '回访测试甲单位' : '回访测试乙单位';
      }
    }
    // closed in March 2025, by two handling units (8 and 4)
    put(`UPDATE cases SET closed_at = ${IN_MARCH}, unit = '回访测试甲单位' WHERE id IN (${ids.slice(0, 8).join(',')})`);
    put(`UPDATE cases SET closed_at = ${IN_MARCH}, unit = '回访测试乙单位' WHERE id IN (${ids.slice(8).join(',')})`);
  });
  after(() => srv?.stop());

  test('the same seed draws the same cases, another seed others', async () => {
    const a = await draw('jiedao', { region_code: COMM, period: PERIOD, size: 5, seed: 42 });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.population, 12);
    assert.equal(a.json.drawn, 5);
    assert.equal(a.json.seed, '42');
    assert.equal(a.json.period, PERIOD);
    const got = a.json.items.map((i) => i.case_id);
    assert.deepEqual(got, drawSample(ids, 5, 42));
    assert.deepEqual(
      a.json.items.map((i) => i.position),
      [1, 2, 3, 4, 5],
    );
    const b = await draw('zhihui', { region_code: COMM, period: PERIOD, size: 5, seed: '42' });
    assert.equal(b.status, 201, b.text);
    assert.deepEqual(
      b.json.items.map((i) => i.case_id),
      got,
    );
    const c = await draw('jiedao', { region_code: COMM, period: PERIOD, size: 5, seed: 43 });
    assert.deepEqual(
      c.json.items.map((i) => i.case_id),
      drawSample(ids, 5, 43),
    );
    assert.notDeepEqual(
      c.json.items.map((i) => i.case_id),
      got,
    );
    const big = await draw('jiedao', { region_code: COMM, period: PERIOD, size: 3, seed: '18446744073709551615' });
    assert.equal(big.status, 201, big.text);
    assert.deepEqual(
      big.json.items.map((i) => i.case_id),
      drawSample(ids, 3, 18446744073709551615n),
    );
    // no seed: one is made and recorded, and redraws the same
    const r = await draw('jiedao', { region_code: COMM, period: PERIOD, size: 4 });
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.seed, /^\d+$/);
    assert.deepEqual(
      r.json.items.map((i) => i.case_id),
      drawSample(ids, 4, BigInt(r.json.seed)),
    );
    // a grid only: its own cases; more than there are: all of them
    const g = await draw('jiedao', { region_code: G2, period: PERIOD, size: 50, seed: 1 });
    assert.equal(g.json.population, 5);
    assert.deepEqual(
      g.json.items.map((i) => i.case_id).sort((x, y) => x - y),
      ids.slice(7),
    );
    // items carry no personal data
    assert.doesNotMatch(a.text, /回访测试人|13912345678|reporter/);
    assert.equal(a.json.items[0].unit, unitOf[got[0]]);
    assert.equal(a.json.items[0].category, 'environment');
  });

  test('bad input: 422, an empty month 422', async () => {
    for (const body of [
      { region_code: COMM, period: '2025-13', size: 5 },
      { region_code: COMM, period: PERIOD, size: 0 },
      { region_code: COMM, period: PERIOD, size: 5, seed: -1 },
      { region_code: COMM, period: PERIOD, size: 5, seed: '12x' },
      { region_code: '999901001999', period: PERIOD, size: 5 },
    ])
      assertProblem(await draw('jiedao', body), 422, JSON.stringify(body));
    assertProblem(await draw('jiedao', { region_code: COMM, period: '2024-01', size: 5 }), 422, 'no closed case that month');
  });

  test('outcomes: a change needs a reason and keeps history; contradicted flags the case; per unit counts and margins', async () => {
    const all = await draw('dudao', { region_code: COMM, period: PERIOD, size: 12, seed: 7 }).catch(() => null);
    // the supervisor's grant is 阳光社区: this community is outside it
    assertProblem(all, 403, 'supervisor out of scope');
    const res = await draw('jiedao', { region_code: COMM, period: PERIOD, size: 6, seed: 2026 });
    assert.equal(res.status, 201, res.text);
    const sample = res.json.id;
    const items = res.json.items.map((i) => i.case_id);
    // outcomes: first two contradicted, next two confirmed, fifth unreachable, last pending
    const outcomes = ['contradicted', 'contradicted', 'confirmed', 'confirmed', 'unreachable'];
    for (const [i, outcome] of outcomes.entries()) {
      const r = await record('jiedao', sample, items[i], { outcome, note: `回访记录${i} 电话13800001111` });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.outcome, outcome);
      assert.equal(r.json.history.length, 1);
    }
    // a change without a reason: 422; with one: kept with the history
    assertProblem(await record('jiedao', sample, items[2], { outcome: 'contradicted' }), 422, 'no reason');
    assertProblem(await record('jiedao', sample, items[2], { outcome: 'maybe', reason: 'x' }), 422, 'bad outcome');
    const ch = await record('jiedao', sample, items[2], { outcome: 'contradicted', note: '复核', reason: '复核时群众表示未处理' });
    assert.equal(ch.status, 200, ch.text);
    assert.deepEqual(
      ch.json.history.map((h) => [h.outcome, h.reason]),
      [
        ['confirmed', null],
        ['contradicted', '复核时群众表示未处理'],
      ],
    );
    // a case not in the sample: 404
    assertProblem(await record('jiedao', sample, ids.find((id) => !items.includes(id)), { outcome: 'confirmed' }), 404);

    // the case shows the flag and a timeline entry without the note
    const cs = await api(url, 'GET', `/api/v1/cases/${items[0]}`, s.jiedao);
    assert.equal(cs.json.callback, 'contradicted');
    const entry = cs.json.timeline.find((e) => e.action === 'callback');
    assert.ok(entry, 'a callback entry on the timeline');
    assert.doesNotMatch(cs.text, /13800001111|回访记录/);
    const confirmedCase = await api(url, 'GET', `/api/v1/cases/${items[3]}`, s.jiedao);
    assert.equal(confirmedCase.json.callback, 'confirmed');
    const untouched = await api(url, 'GET', `/api/v1/cases/${ids.find((id) => !items.includes(id))}`, s.jiedao);
    assert.equal(untouched.json.callback, null);

    // per unit: counts and the contradiction rate with its margin (N: the unit's closed cases)
    const got = (await api(url, 'GET', `/api/v1/callback-samples/${sample}`, s.jiedao)).json;
    assert.equal(got.recorded, 5);
    assert.equal(got.contradicted, 3);
    const final = { [items[0]]: 'contradicted', [items[1]]: 'contradicted', [items[2]]: 'contradicted', [items[3]]: 'confirmed', [items[4]]: 'unreachable' };
    const want = {};
    for (const id of items) {
      const u = (want[unitOf[id]] ??= { n: 0, confirmed: 0, contradicted: 0, unreachable: 0 });
      u.n++;
      if (final[id]) u[final[id]]++;
    }
    const pop = { 回访测试甲单位: 8, 回访测试乙单位: 4 };
    assert.deepEqual(got.result.units.map((u) => u.unit).sort(), Object.keys(want).sort());
    for (const u of got.result.units) {
      const w = want[u.unit];
      assert.deepEqual([u.n, u.confirmed, u.contradicted, u.unreachable, u.population], [w.n, w.confirmed, w.contradicted, w.unreachable, pop[u.unit]], u.unit);
      const reached = w.confirmed + w.contradicted;
      if (!reached) {
        assert.equal(u.contradiction_rate, null);
        assert.equal(u.margin, null);
      } else {
        assert.ok(Math.abs(u.contradiction_rate - w.contradicted / reached) < 1e-9);
        assert.ok(Math.abs(u.margin - margin(w.contradicted, reached, pop[u.unit])) < 1e-9, `${u.unit} margin`);
      }
    }
    const t = got.result.total;
    assert.deepEqual([t.n, t.confirmed, t.contradicted, t.unreachable, t.pending, t.reached, t.population], [6, 1, 3, 1, 1, 4, 12]);
    // 3 of 4 out of 12: 1.96·sqrt(0.75·0.25/4)·sqrt(8/11)
    assert.ok(Math.abs(t.margin - 0.3618889835) < 1e-9, String(t.margin));
    assert.ok(Math.abs(t.contradiction_rate - 0.75) < 1e-12);

    // the facts feed the indicator: 3 contradicted of 4 reached in March 2025 under COMM
    const v = await api(url, 'GET', `/api/v1/indicators/callback_contradiction_rate/values?region=${COMM}&period=${PERIOD}`, s.jiedao);
    assert.equal(v.status, 200, v.text);
    assert.deepEqual([v.json.items[0].numerator, v.json.items[0].denominator, v.json.items[0].value], [3, 4, 75]);
    const grids = Object.fromEntries(v.json.items.slice(1).map((i) => [i.region_code, [i.numerator, i.denominator]]));
    const per = { [G1]: [0, 0], [G2]: [0, 0] };
    for (const id of items.slice(0, 4)) {
      const g = ids.indexOf(id) < 7 ? G1 : G2;
      per[g][1]++;
      if (final[id] === 'contradicted') per[g][0]++;
    }
    assert.deepEqual(grids, per);
    // a change back takes the facts back
    const back = await record('zhihui', sample, items[0], { outcome: 'confirmed', reason: '误记' });
    assert.equal(back.status, 200, back.text);
    const v2 = await api(url, 'GET', `/api/v1/indicators/callback_contradiction_rate/values?region=${COMM}&period=${PERIOD}`, s.jiedao);
    assert.deepEqual([v2.json.items[0].numerator, v2.json.items[0].denominator], [2, 4]);
    // the audit log has the records
    const audit = await api(url, 'GET', `/api/v1/audit?action=callback_item.record&limit=50`, s.admin);
    assert.equal(audit.status, 200, audit.text);
    assert.ok(audit.text.includes(`callback_item:${sample}:${items[0]}`), 'audited');
  });

  test('scope: roles without callbacks 403, another street 404/403, lists scoped', async () => {
    const mine = await draw('jiedao', { region_code: COMM, period: PERIOD, size: 2, seed: 5 });
    assert.equal(mine.status, 201, mine.text);
    const id = mine.json.id;
    for (const who of ['shequ', 'wangge', 'jumin']) {
      assertProblem(await api(url, 'GET', '/api/v1/callback-samples', s[who]), 403, who);
      assertProblem(await api(url, 'GET', `/api/v1/callback-samples/${id}`, s[who]), 403, who);
      assertProblem(await draw(who, { region_code: COMM, period: PERIOD, size: 2 }), 403, who);
    }
    assertProblem(await api(url, 'GET', `/api/v1/callback-samples/${id}`, s.other), 404, 'other street');
    assertProblem(await record('other', id, mine.json.items[0].case_id, { outcome: 'confirmed' }), 404, 'other street records');
    assertProblem(await draw('other', { region_code: COMM, period: PERIOD, size: 2 }), 403, 'other street draws');
    const list = await api(url, 'GET', '/api/v1/callback-samples?limit=200', s.other);
    assert.equal(list.status, 200, list.text);
    assert.ok(!list.json.items.some((x) => x.id === id), 'not in the other street list');
    const own = await api(url, 'GET', `/api/v1/callback-samples?region=${COMM}&limit=200`, s.jiedao);
    assert.ok(own.json.items.some((x) => x.id === id));
    assertProblem(await api(url, 'GET', `/api/v1/callback-samples?region=${STREET2}`, s.jiedao), 403);
    assertProblem(await api(url, 'GET', '/api/v1/callback-samples/99999999', s.jiedao), 404);
  });
});
