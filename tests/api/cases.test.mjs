// Cases (事件): reporting, routing by the responsibility list (权责清单),
// validation, personal data of the reporter, the special actions (escalate,
// return, reopen, merge, supervise), duplicates, listing with filters and
// scope, counts, paging, public tracking, photos, notifications,
// responsibilities and categories. The full state × action × role matrix is in
// caseflow.test.mjs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  COMM1,
  DISTRICT,
  GRID1,
  GRID2,
  api,
  assertProblem,
  errorFields,
  sleep,
  startServer,
  walkList,
} from './harness.mjs';
import {
  CHENGGUAN_UNIT,
  act,
  createUser,
  getCase,
  jpegBytes,
  mustAct,
  pngBytes,
  report,
  sha256hex,
  signInMany,
  snapshot,
  tag,
  uploadPhoto,
  addWorkingHours,
  workCalendar,
} from './cases-lib.mjs';

const OTHER_COMM_GRID = '999901001002001'; // a grid of 春晖社区, outside COMM1
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const STATES = ['reported', 'accepted', 'rejected', 'dispatched', 'handling', 'handled', 'verified', 'closed'];
const sec = (t) => Math.floor(Date.parse(t) / 1000);

/** The last second of the local (UTC+8) day of t. */
const endOfLocalDay = (t) => (Math.floor((t + 8 * 3600) / 86400) + 1) * 86400 - 1 - 8 * 3600;

describe('cases', { timeout: 300_000 }, () => {
  let srv, url;
  let s = {};
  let categories = {};
  let rules = [];
  let cal = new Map(); // the working-day calendar the deadlines count on

  const inbox = async (auth) => {
    const res = await api(url, 'GET', '/api/v1/notifications?limit=200', auth);
    assert.equal(res.status, 200, res.text);
    return res.json.items;
  };
  const findNote = (items, caseId, kind) => items.find((n) => n.case_id === caseId && n.kind === kind);
  const countsOf = async (auth, q = '') => {
    const res = await api(url, 'GET', `/api/v1/cases/counts${q}`, auth);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const total = (c) => Object.values(c.by_status).reduce((a, b) => a + b, 0);

  before(async () => {
    srv = await startServer();
    url = srv.url;
    s = await signInMany(url, [
      'admin',
      'zhihui',
      'jiedao',
      'shequ',
      'dudao',
      'wanggezhang',
      'wangge',
      'wangge2',
      'loudong',
      'chengguan',
      'ganbu',
      'jumin',
    ]);
    const cats = await api(url, 'GET', '/api/v1/categories', s.jumin);
    assert.equal(cats.status, 200, cats.text);
    for (const c of cats.json.items) categories[c.code] = c;
    const rs = await api(url, 'GET', '/api/v1/responsibilities', s.admin);
    assert.equal(rs.status, 200, rs.text);
    rules = rs.json.items;
    cal = await workCalendar(url, s.admin);
  });
  after(async () => {
    await srv?.stop();
  });

  describe('categories', () => {
    test('GET /api/v1/categories lists the seeded code table with default tiers', async () => {
      const want = {
        environment: 'minor',
        property: 'minor',
        municipal: 'minor',
        noise: 'minor',
        livelihood: 'minor',
        dispute: 'private',
        safety: 'major',
        fire: 'major',
        public_order: 'major',
        group_rental: 'major',
        illegal_construction: 'major',
        food_safety: 'major',
        other: 'minor',
      };
      for (const [code, tier] of Object.entries(want)) {
        assert.ok(categories[code], `category ${code}`);
        assert.equal(categories[code].default_tier, tier, code);
        assert.equal(typeof categories[code].name, 'string');
        assert.equal(categories[code].active, true);
      }
      const res = await api(url, 'GET', '/api/v1/categories', s.wangge);
      assert.equal(res.status, 200);
      assert.equal(res.json.next_cursor, null);
    });

    test('categories need a sign-in; only admins create them', async () => {
      assertProblem(await api(url, 'GET', '/api/v1/categories'), 401);
      assertProblem(
        await api(url, 'POST', '/api/v1/categories', {
          ...s.zhihui,
          body: { code: 'x_test', name: '测试', default_tier: 'minor' },
        }),
        403,
      );
    });
  });

  describe('reporting', () => {
    test('201: number SJYYYYMMDD+6 digits, status reported, tier from the category, tracking code, deadlines, unit', async () => {
      const expectUnit = { environment: '网格服务团队', dispute: '社区人民调解委员会', safety: '街道综治中心' };
      const expectLevel = { minor: 'grid', private: 'community', major: 'street' };
      for (const category of ['environment', 'dispute', 'safety']) {
        const description = tag(category);
        const res = await report(url, s.wangge, {
          category,
          description,
          location: { lat: 30.001, lon: 120.001, address: '幸福路 1 号' },
        });
        const c = res.json;
        assert.ok(Number.isInteger(c.id) && c.id > 0);
        assert.match(c.number, /^SJ\d{8}\d{6}$/);
        assert.equal(c.number.slice(2, 10), c.created_at.slice(0, 10).replaceAll('-', ''), 'number carries the local date');
        assert.match(c.created_at, /\+08:00$/, 'times in Asia/Shanghai');
        assert.equal(c.status, 'reported');
        assert.equal(c.category, category);
        assert.equal(c.tier, categories[category].default_tier, `${category}: the category's default tier`);
        assert.equal(c.level, expectLevel[c.tier]);
        assert.equal(c.region_code, GRID1);
        assert.equal(c.description, description);
        assert.equal(c.source, 'patrol', 'a grid worker reports on patrol by default');
        assert.match(c.tracking_code, /^[A-Z2-9]{12}$/);
        assert.equal(c.location.lat, 30.001);
        assert.equal(c.location.lon, 120.001);
        assert.equal(c.location.address, '幸福路 1 号');
        assert.match(c.deadlines.accept_due, RFC3339);
        assert.match(c.deadlines.handle_due, RFC3339);
        assert.ok(sec(c.deadlines.accept_due) >= sec(c.created_at));
        assert.ok(sec(c.deadlines.handle_due) >= sec(c.deadlines.accept_due));
        assert.equal(c.deadlines.level, 'ok');
        assert.equal(c.overdue, false);
        assert.equal(c.supervised, false);
        assert.equal(c.merged_into, null);
        assert.equal(c.unit, expectUnit[category], `${category} routes to ${expectUnit[category]}`);
        const rule = rules.find((r) => r.id === c.rule_id);
        assert.ok(rule, `rule_id ${c.rule_id} is a responsibility rule`);
        assert.equal(rule.unit, c.unit);
        if (c.tier === 'minor') {
          assert.equal(sec(c.deadlines.handle_due), Math.max(endOfLocalDay(sec(c.created_at)), sec(c.deadlines.accept_due)), '今日事今日毕: due the same day');
        } else {
          assert.equal(sec(c.deadlines.handle_due), addWorkingHours(sec(c.created_at), rule.handle_hours, cal));
        }
        assert.equal(sec(c.deadlines.accept_due), addWorkingHours(sec(c.created_at), rule.accept_hours, cal));
        const got = await getCase(url, s.shequ, c.id);
        assert.equal(got.number, c.number);
        assert.equal(got.timeline.length, 1);
        assert.equal(got.timeline[0].action, 'report');
        assert.equal(got.timeline[0].from, null);
        assert.equal(got.timeline[0].to, 'reported');
        assert.equal(got.timeline[0].actor, 'wangge');
      }
    });

    test('numbers follow each other; the resident source is the default for residents; an explicit tier wins', async () => {
      const a = (await report(url, s.jumin, {})).json;
      const b = (await report(url, s.shequ, { tier: 'major', source: 'hotline' })).json;
      assert.equal(a.source, 'resident');
      assert.equal(b.source, 'hotline');
      if (a.number.slice(0, 10) === b.number.slice(0, 10)) {
        assert.equal(Number(b.number.slice(10)), Number(a.number.slice(10)) + 1, 'daily serial');
      }
      assert.notEqual(a.tracking_code, b.tracking_code);
      assert.equal(b.tier, 'major');
      assert.equal(b.level, 'street');
    });

    test('a resident reports as a resident and cannot declare a major matter; staff sources follow the role', async () => {
      const before = total(await countsOf(s.admin));
      for (const source of ['hotline', 'patrol', 'reception', 'open311', 'building']) {
        const res = await api(url, 'POST', '/api/v1/cases', {
          ...s.jumin,
          body: { category: 'environment', description: tag('src'), region_code: GRID1, source },
        });
        assertProblem(res, 403, `resident with source ${source}`);
      }
      assertProblem(
        await api(url, 'POST', '/api/v1/cases', {
          ...s.jumin,
          body: { category: 'environment', description: tag('major'), region_code: GRID1, tier: 'major' },
        }),
        403,
        'resident with tier major',
      );
      // The hotline is entered at the desks; open311 only through the Open311 endpoint.
      for (const [who, source] of [['wangge', 'hotline'], ['loudong', 'hotline'], ['shequ', 'open311'], ['admin', 'open311']]) {
        assertProblem(
          await api(url, 'POST', '/api/v1/cases', {
            ...s[who],
            body: { category: 'environment', description: tag('src'), region_code: GRID1, source },
          }),
          403,
          `${who} with source ${source}`,
        );
      }
      // A building leader or a cadre does not send a matter straight to the street either.
      for (const who of ['loudong', 'ganbu', 'chengguan']) {
        assertProblem(
          await api(url, 'POST', '/api/v1/cases', {
            ...s[who],
            body: { category: 'environment', description: tag('major'), region_code: GRID1, tier: 'major' },
          }),
          403,
          `${who} with tier major`,
        );
      }
      assert.equal(total(await countsOf(s.admin)), before, 'no refused report stored a case');
      // What is allowed still works.
      assert.equal((await report(url, s.jumin, { source: 'resident', tier: 'private' })).json.source, 'resident');
      assert.equal((await report(url, s.loudong, { source: 'building' })).json.source, 'building');
      assert.equal((await report(url, s.ganbu, { source: 'reception' })).json.source, 'reception');
      assert.equal((await report(url, s.wangge, { source: 'resident', tier: 'major' })).json.tier, 'major');
      assert.equal((await report(url, s.zhihui, { source: 'hotline' })).json.source, 'hotline');
    });

    test('concurrent reports get distinct numbers and tracking codes', async () => {
      const res = await Promise.all(
        Array.from({ length: 30 }, (_, i) => report(url, i % 2 ? s.wangge : s.jumin, { description: tag('burst') })),
      );
      const numbers = new Set(res.map((r) => r.json.number));
      const codes = new Set(res.map((r) => r.json.tracking_code));
      assert.equal(numbers.size, 30, 'numbers are unique');
      assert.equal(codes.size, 30, 'tracking codes are unique');
    });

    test('the most specific responsibility rule routes the case; case keeps its rule_id', async () => {
      const mk = async (auth, body, want = 201) => {
        const res = await api(url, 'POST', '/api/v1/responsibilities', { ...auth, body });
        assert.equal(res.status, want, res.text);
        return res.json;
      };
      const r1 = await mk(s.admin, {
        category: 'noise',
        region_code: COMM1,
        unit: '阳光社区噪音专班',
        accept_hours: 2,
        handle_hours: 24,
        note: 'community rule',
      });
      assert.equal(r1.unit, '阳光社区噪音专班');
      assert.equal(r1.region_code, COMM1);
      let c = (await report(url, s.wangge, { category: 'noise' })).json;
      assert.equal(c.unit, '阳光社区噪音专班', 'a region rule beats the defaults');
      assert.equal(c.rule_id, r1.id);
      assert.equal(sec(c.deadlines.accept_due), addWorkingHours(sec(c.created_at), 2, cal), 'accept deadline from the rule');

      const r2 = await mk(s.zhihui, {
        category: 'noise',
        region_code: GRID1,
        unit: '第一网格噪音组',
        accept_hours: 1,
        handle_hours: 8,
      });
      const inGrid1 = (await report(url, s.wangge, { category: 'noise' })).json;
      assert.equal(inGrid1.unit, '第一网格噪音组', 'the grid rule beats the community rule');
      assert.equal(inGrid1.rule_id, r2.id);
      const inGrid2 = (await report(url, s.wangge2, { category: 'noise', region_code: GRID2 })).json;
      assert.equal(inGrid2.unit, '阳光社区噪音专班', 'grid 2 falls under the community rule');
      assert.equal(inGrid2.rule_id, r1.id);
      const elsewhere = (await report(url, s.admin, { category: 'noise', region_code: OTHER_COMM_GRID })).json;
      assert.ok(![r1.id, r2.id].includes(elsewhere.rule_id), 'another community does not use these rules');
      assert.notEqual(elsewhere.unit, '阳光社区噪音专班');

      // Retiring the grid rule: new cases fall back, old ones keep theirs.
      const del = await api(url, 'DELETE', `/api/v1/responsibilities/${r2.id}`, s.zhihui);
      assert.equal(del.status, 204, del.text);
      c = (await report(url, s.wangge, { category: 'noise' })).json;
      assert.equal(c.rule_id, r1.id);
      assert.equal((await getCase(url, s.shequ, inGrid1.id)).rule_id, r2.id);
      // Clean up: this rule would change routing for later tests.
      assert.equal((await api(url, 'DELETE', `/api/v1/responsibilities/${r1.id}`, s.admin)).status, 204);
    });

    test('validation: 422 for broken rules, 400 for wrong types, 403 outside the scope; nothing is stored', async () => {
      const before = total(await countsOf(s.admin));
      const bad422 = [
        [{ category: 'no_such_category' }, 'category'],
        [{ category: '' }, 'category'],
        [{ region_code: COMM1 }, 'region_code'],
        [{ region_code: '999901001001099' }, 'region_code'],
        [{ region_code: '9999' }, 'region_code'],
        [{ reporter: { name: '张三', phone: '12345' } }, 'reporter.phone'],
        [{ reporter: { name: '张三', phone: '1381234567a' } }, 'reporter.phone'],
        [{ location: { lat: 91, lon: 120 } }, 'location'],
        [{ location: { lat: 30, lon: -180.5 } }, 'location'],
        [{ description: undefined }, 'description'],
        [{ description: '   ' }, 'description'],
        [{ source: 'twitter' }, 'source'],
        [{ tier: 'huge' }, 'tier'],
      ];
      for (const [body, field] of bad422) {
        const res = await api(url, 'POST', '/api/v1/cases', {
          ...s.shequ,
          body: { category: 'environment', description: 'x', region_code: GRID1, ...body },
        });
        assertProblem(res, 422, JSON.stringify(body));
        assert.ok(errorFields(res).includes(field), `${JSON.stringify(body)}: errors name ${field}: ${res.text}`);
      }
      const bad400 = [
        { description: 5 },
        { category: ['environment'] },
        { region_code: 999901001001001 },
        { anonymous: 'yes' },
        { reporter: 'someone' },
        { reporter: { name: 1 } },
        { location: 'here' },
        { location: { lat: '30.0', lon: 120 } },
        { photos: 'abc' },
      ];
      for (const body of bad400) {
        const res = await api(url, 'POST', '/api/v1/cases', {
          ...s.wangge,
          body: { category: 'environment', description: 'x', region_code: GRID1, ...body },
        });
        assertProblem(res, 400, JSON.stringify(body));
      }
      assertProblem(await api(url, 'POST', '/api/v1/cases', { ...s.wangge, rawBody: '{"category":' }), 400);
      assertProblem(await api(url, 'POST', '/api/v1/cases', { ...s.wangge, rawBody: '[]' }), 400);
      assertProblem(
        await api(url, 'POST', '/api/v1/cases', { ...s.wangge, rawBody: 'category=environment', contentType: 'text/plain' }),
        415,
      );
      // Out of scope: a grid the caller's grant does not reach.
      for (const [who, grid] of [
        ['wangge', GRID2],
        ['jumin', GRID2],
        ['shequ', OTHER_COMM_GRID],
        ['jiedao', '999901002001001'],
      ]) {
        const res = await api(url, 'POST', '/api/v1/cases', {
          ...s[who],
          body: { category: 'environment', description: 'x', region_code: grid },
        });
        assertProblem(res, 403, `${who} reports in ${grid}`);
      }
      // Sign-in and CSRF.
      assertProblem(
        await api(url, 'POST', '/api/v1/cases', { body: { category: 'environment', description: 'x', region_code: GRID1 } }),
        401,
      );
      assertProblem(
        await api(url, 'POST', '/api/v1/cases', {
          cookie: s.wangge.cookie,
          body: { category: 'environment', description: 'x', region_code: GRID1 },
        }),
        403,
      );
      assert.equal(total(await countsOf(s.admin)), before, 'no refused report stored a case');
    });

    test('anonymous reports hide the reporter from every staff member: case, timeline, lists, notifications (leak 4)', async () => {
      const c = (
        await report(url, s.jumin, { anonymous: true, reporter: { name: '匿名者张三', phone: '13800001111' } })
      ).json;
      assert.equal(c.anonymous, true);
      assert.equal(c.reporter, null);
      // The case goes round the loop; the reporter rates it under their own account.
      await mustAct(url, s.wanggezhang, c.id, { action: 'accept' });
      await mustAct(url, s.wangge, c.id, { action: 'start' });
      await mustAct(url, s.wangge, c.id, { action: 'handle', comment: '已清理' });
      await mustAct(url, s.wangge, c.id, { action: 'verify' });
      await mustAct(url, s.jumin, c.id, { action: 'feedback', rating: 'satisfied', comment: '谢谢' });
      const secrets = ['匿名者张三', '13800001111', '138****1111', 'jumin'];
      const clean = (text, where) => {
        for (const x of secrets) assert.ok(!text.includes(x), `${where} shows ${x}`);
      };
      for (const who of ['shequ', 'admin', 'wangge', 'wanggezhang', 'zhihui', 'jiedao', 'dudao']) {
        const res = await api(url, 'GET', `/api/v1/cases/${c.id}`, s[who]);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.json.reporter, null);
        clean(res.text, `${who}: the case`);
        assert.equal(res.json.timeline[0].actor, '匿名反映人');
        assert.equal(res.json.timeline.at(-1).actor, '匿名反映人', 'the feedback entry names no one either');
        clean((await api(url, 'GET', `/api/v1/cases?region=${GRID1}&limit=20`, s[who])).text, `${who}: the list`);
        clean((await api(url, 'GET', '/api/v1/notifications?limit=200', s[who])).text, `${who}: notifications`);
      }
      // Roles that may not reveal personal data cannot open the sealed identity.
      for (const who of ['dudao', 'loudong', 'ganbu']) {
        const res = await api(url, 'GET', `/api/v1/cases/${c.id}?reveal=true`, s[who]);
        assert.ok([403, 404].includes(res.status), `${who}: ${res.status}`);
        clean(res.text, `${who}: a refused reveal`);
      }
      assertProblem(await api(url, 'GET', `/api/v1/cases/${c.id}?reveal=1`, s.shequ), 400, 'reveal=1 is not a boolean');
      // The reporter still sees their own case.
      const own = await getCase(url, s.jumin, c.id);
      assert.equal(own.status, 'closed');
    });

    test('an anonymous reporter is shown only through an audited reveal by the roles that may reveal', async () => {
      const c = (
        await report(url, s.jumin, { anonymous: true, reporter: { name: '匿名者李四', phone: '13800002222' } })
      ).json;
      for (const who of ['shequ', 'admin', 'wangge', 'wanggezhang']) {
        const res = await api(url, 'GET', `/api/v1/cases/${c.id}?reveal=true`, s[who]);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.json.reporter?.name, '匿名者李四', `${who} reveals the name`);
        assert.equal(res.json.reporter?.phone, '13800002222', `${who} reveals the phone`);
        assert.equal(res.json.reporter?.username, 'jumin', `${who} reveals the reporting account`);
      }
      const audit = await api(url, 'GET', '/api/v1/audit?limit=50', s.admin);
      assert.equal(audit.status, 200, audit.text);
      const reveals = audit.json.items.filter((e) => e.action === 'case.reveal' && e.object === `case:${c.id}`);
      assert.ok(reveals.length >= 4, `every reveal is audited: ${JSON.stringify(reveals.slice(0, 2))}`);
      assert.ok(reveals.every((e) => /匿名者李四/.test(e.detail || '')), 'the audit entry names whose data was shown');
    });

    test('possible_duplicates: a second report of the same category in the same grid offers the first', async () => {
      const first = (await report(url, s.wangge, { category: 'property', description: tag('dup-first') })).json;
      const second = (await report(url, s.wanggezhang, { category: 'property', description: tag('dup-second') })).json;
      assert.ok(Array.isArray(second.possible_duplicates));
      const hit = second.possible_duplicates.find((d) => d.id === first.id);
      assert.ok(hit, `second report offers ${first.id}: ${JSON.stringify(second.possible_duplicates)}`);
      assert.equal(hit.number, first.number);
      assert.equal(hit.status, 'reported');
      // Another category, or a grid far away, is not a duplicate.
      const other = (await report(url, s.wangge, { category: 'livelihood' })).json;
      assert.ok(!other.possible_duplicates.some((d) => d.id === first.id));
      const far = (await report(url, s.wangge2, { category: 'property', region_code: GRID2 })).json;
      assert.ok(!far.possible_duplicates.some((d) => d.id === first.id), 'grid 2 without a nearby point');
      const dups = await api(url, 'GET', `/api/v1/cases/${second.id}/duplicates`, s.shequ);
      assert.equal(dups.status, 200, dups.text);
      assert.ok(dups.json.items.some((d) => d.id === first.id));
    });
  });

  describe('reporter personal data', () => {
    let caseId, deptCaseId, residentCaseId;
    before(async () => {
      caseId = (await report(url, s.wangge, { reporter: { name: '李四', phone: '13812345678' } })).json.id;
      const d = (
        await report(url, s.wangge, { category: 'illegal_construction', reporter: { name: '王二', phone: '13912345678' } })
      ).json;
      deptCaseId = d.id;
      await mustAct(url, s.shequ, d.id, { action: 'accept' });
      await mustAct(url, s.shequ, d.id, { action: 'dispatch', unit: CHENGGUAN_UNIT });
      residentCaseId = (await report(url, s.jumin, { reporter: { name: '居民', phone: '13700001234' } })).json.id;
    });

    test('the phone is masked (138****5678) in the case, the list and the action response', async () => {
      const c = await getCase(url, s.shequ, caseId);
      assert.deepEqual(c.reporter, { name: '李四', phone: '138****5678' });
      const list = await api(url, 'GET', `/api/v1/cases?region=${GRID1}&limit=50`, s.shequ);
      const item = list.json.items.find((x) => x.id === caseId);
      assert.equal(item.reporter.phone, '138****5678');
      assert.ok(!list.text.includes('13812345678'));
      const res = await act(url, s.dudao, caseId, { action: 'accept' }); // refused, but must not leak either
      assert.ok(!res.text.includes('13812345678'));
    });

    test('?reveal=true gives community staff the full phone and writes case.reveal to the audit log', async () => {
      const res = await api(url, 'GET', `/api/v1/cases/${caseId}?reveal=true`, s.shequ);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.reporter.phone, '13812345678');
      const audit = await api(url, 'GET', '/api/v1/audit?limit=200', s.admin);
      assert.equal(audit.status, 200, audit.text);
      const e = audit.json.items.find((a) => a.action === 'case.reveal' && a.object === `case:${caseId}`);
      assert.ok(e, `audit has case.reveal for case:${caseId}`);
      assert.equal(e.username, 'shequ');
      assert.equal(e.result, 200);
    });

    test('reveal for every role allowed (desk and grid staff) → full phone', async () => {
      for (const who of ['admin', 'zhihui', 'jiedao', 'shequ', 'wanggezhang', 'wangge']) {
        const res = await api(url, 'GET', `/api/v1/cases/${caseId}?reveal=true`, s[who]);
        assert.equal(res.status, 200, `${who}: ${res.text}`);
        assert.equal(res.json.reporter.phone, '13812345678', who);
      }
    });

    test('reveal → 403 for roles not allowed, and nothing is audited as a reveal', async () => {
      const auditBefore = await api(url, 'GET', '/api/v1/audit?limit=200', s.admin);
      const reveals = (items) => items.filter((a) => a.action === 'case.reveal').map((a) => a.id);
      const n0 = reveals(auditBefore.json.items).length;
      for (const [who, id] of [
        ['dudao', caseId],
        ['loudong', caseId],
        ['ganbu', caseId],
        ['chengguan', deptCaseId],
        ['jumin', residentCaseId],
      ]) {
        const plain = await api(url, 'GET', `/api/v1/cases/${id}`, s[who]);
        assert.equal(plain.status, 200, `${who} may read case ${id}: ${plain.text}`);
        const res = await api(url, 'GET', `/api/v1/cases/${id}?reveal=true`, s[who]);
        assertProblem(res, 403, `${who} reveal`);
        assert.ok(!/1[3-9]\d{9}/.test(res.text), 'no phone in the refusal');
      }
      const auditAfter = await api(url, 'GET', '/api/v1/audit?limit=200', s.admin);
      assert.equal(reveals(auditAfter.json.items).length, n0, 'refused reveals are not reveals');
    });
  });

  describe('actions', () => {
    test('escalate walks grid → community → street → district, then 409', async () => {
      const c0 = (await report(url, s.wangge, { category: 'environment' })).json;
      assert.equal(c0.level, 'grid');
      const steps = [
        ['wanggezhang', 'community', 'shequ', COMM1],
        ['shequ', 'street', 'jiedao', '999901001'],
        ['jiedao', 'district', 'zhihui', DISTRICT],
      ];
      let timeline = 1;
      for (const [who, level, desk] of steps) {
        assertProblem(await act(url, s[who], c0.id, { action: 'escalate' }), 422, 'escalate needs a reason');
        const c = await mustAct(url, s[who], c0.id, { action: 'escalate', comment: `上报至${level}` });
        timeline += 1;
        assert.equal(c.status, 'reported');
        assert.equal(c.level, level);
        assert.equal(c.timeline.length, timeline);
        assert.equal(c.timeline.at(-1).action, 'escalate');
        assert.equal(c.timeline.at(-1).comment, `上报至${level}`);
        const rule = rules.find((r) => r.id === c.rule_id);
        assert.ok(rule, 'routed again by a rule');
        assert.equal(c.unit, rule.unit);
        assert.ok(findNote(await inbox(s[desk]), c0.id, 'accept'), `${desk} is told to take in the escalated case`);
      }
      const last = await getCase(url, s.zhihui, c0.id);
      assert.equal(last.unit, '区指挥中心');
      const res = await act(url, s.zhihui, c0.id, { action: 'escalate', comment: '再上报' });
      assertProblem(res, 409, 'no level above the district');
      assert.deepEqual(snapshot(await getCase(url, s.zhihui, c0.id)), snapshot(last));
    });

    test('escalate to a level where no rule matches clears the unit and says so in the timeline', async () => {
      const code = `norule_${process.pid}`;
      const made = await api(url, 'POST', '/api/v1/categories', {
        ...s.admin,
        body: { code, name: '无规则类别', default_tier: 'minor' },
      });
      assert.equal(made.status, 201, made.text);
      const c0 = (await report(url, s.wangge, { category: code })).json;
      assert.equal(c0.level, 'grid');
      assert.equal(c0.unit, '网格服务团队', 'the grid rule routes it at the grid');
      const c = await mustAct(url, s.wanggezhang, c0.id, { action: 'escalate', comment: '网格处理不了' });
      assert.equal(c.level, 'community');
      assert.equal(c.unit, null, 'the grid team is not the community\'s unit');
      assert.equal(c.rule_id, null);
      const e = c.timeline.at(-1);
      assert.equal(e.comment, '网格处理不了', 'the comment is what was written');
      assert.equal(e.unit, null);
      assert.match(e.note || '', /无匹配规则/, `the timeline says no rule matched: ${e.note}`);
      // One level up a rule matches again.
      const up = await mustAct(url, s.shequ, c0.id, { action: 'escalate', comment: '上报街道' });
      assert.equal(up.unit, '街道综治中心');
      assert.equal(up.timeline.at(-1).note, null);
    });

    test('return needs a reason and goes back to the dispatcher (accepted); a new dispatch picks another unit', async () => {
      const c0 = (await report(url, s.wangge, { category: 'environment' })).json;
      await mustAct(url, s.shequ, c0.id, { action: 'accept' });
      const d = await mustAct(url, s.shequ, c0.id, { action: 'dispatch', unit: CHENGGUAN_UNIT, comment: '请城管处置' });
      assert.equal(d.status, 'dispatched');
      assert.equal(d.unit, CHENGGUAN_UNIT);
      assert.equal(d.timeline.at(-1).unit, CHENGGUAN_UNIT);
      assert.ok(findNote(await inbox(s.chengguan), c0.id, 'handle'), 'the department is told');
      const before = snapshot(await getCase(url, s.chengguan, c0.id));
      const noReason = await act(url, s.chengguan, c0.id, { action: 'return' });
      assertProblem(noReason, 422);
      assert.ok(errorFields(noReason).includes('comment'));
      assertProblem(await act(url, s.chengguan, c0.id, { action: 'return', comment: '' }), 422);
      assert.deepEqual(snapshot(await getCase(url, s.chengguan, c0.id)), before, 'a refused return changes nothing');
      const r = await mustAct(url, s.chengguan, c0.id, { action: 'return', comment: '不属于城管职责' });
      assert.equal(r.status, 'accepted');
      assert.equal(r.timeline.at(-1).action, 'return');
      assert.equal(r.timeline.at(-1).comment, '不属于城管职责');
      assert.equal(r.timeline.at(-1).role, 'department');
      assert.ok(findNote(await inbox(s.wanggezhang), c0.id, 'returned'), 'the grid desk is told of the return');
      const again = await mustAct(url, s.shequ, c0.id, { action: 'dispatch', unit: '环卫所' });
      assert.equal(again.unit, '环卫所');
      assertProblem(await api(url, 'GET', `/api/v1/cases/${c0.id}`, s.chengguan), 404, 'no longer the department\'s case');
    });

    test('dispatch without a unit sends the case to its routed unit', async () => {
      const c0 = (await report(url, s.wangge, { category: 'environment' })).json;
      await mustAct(url, s.shequ, c0.id, { action: 'accept' });
      const d = await mustAct(url, s.shequ, c0.id, { action: 'dispatch' });
      assert.equal(d.unit, c0.unit);
    });

    test('reporter rates: unsatisfied reopens to handling; satisfied closes; the reporter may reopen a closed case', async () => {
      const c0 = (await report(url, s.jumin, { category: 'environment', description: tag('rate') })).json;
      assert.equal(c0.source, 'resident');
      await mustAct(url, s.shequ, c0.id, { action: 'accept' });
      await mustAct(url, s.wangge, c0.id, { action: 'start' });
      const h = await mustAct(url, s.wangge, c0.id, { action: 'handle', comment: '已清理' });
      assert.equal(h.result, '已清理');
      assert.ok(h.handled_at);
      await mustAct(url, s.wangge, c0.id, { action: 'verify' });
      assert.ok(findNote(await inbox(s.jumin), c0.id, 'rate'), 'the reporter is asked to rate');
      const noRating = await act(url, s.jumin, c0.id, { action: 'feedback' });
      assertProblem(noRating, 422);
      assert.ok(errorFields(noRating).includes('rating'));
      assertProblem(await act(url, s.jumin, c0.id, { action: 'feedback', rating: 'great' }), 422);
      const un = await mustAct(url, s.jumin, c0.id, { action: 'feedback', rating: 'unsatisfied', comment: '还有垃圾' });
      assert.equal(un.status, 'handling');
      assert.equal(un.rating, 'unsatisfied');
      assert.equal(un.timeline.at(-1).action, 'feedback');
      assert.equal(un.timeline.at(-1).to, 'handling');
      // The comment is what the reporter wrote; the rating has its own field.
      assert.equal(un.timeline.at(-1).comment, '还有垃圾');
      assert.equal(un.timeline.at(-1).rating, 'unsatisfied');
      assert.ok(findNote(await inbox(s.wanggezhang), c0.id, 'reopened'), 'the desk hears of the reopening');
      await mustAct(url, s.wangge, c0.id, { action: 'handle', comment: '已彻底清理' });
      await mustAct(url, s.wangge, c0.id, { action: 'verify' });
      const ok = await mustAct(url, s.jumin, c0.id, { action: 'feedback', rating: 'satisfied' });
      assert.equal(ok.status, 'closed');
      assert.equal(ok.rating, 'satisfied');
      assert.ok(ok.closed_at);
      assertProblem(await act(url, s.jumin, c0.id, { action: 'reopen' }), 422, 'reopen needs a reason');
      const re = await mustAct(url, s.jumin, c0.id, { action: 'reopen', comment: '问题又出现了' });
      assert.equal(re.status, 'handling');
      assert.equal(re.rating, 'unsatisfied');
      assert.equal(re.closed_at, null);
    });

    test('feedback "basic" closes the case', async () => {
      const c0 = (await report(url, s.jumin, {})).json;
      for (const [who, a] of [
        ['shequ', { action: 'accept' }],
        ['wangge', { action: 'start' }],
        ['wangge', { action: 'handle', comment: '已处理' }],
        ['wangge', { action: 'verify' }],
      ])
        await mustAct(url, s[who], c0.id, a);
      const c = await mustAct(url, s.jumin, c0.id, { action: 'feedback', rating: 'basic' });
      assert.equal(c.status, 'closed');
      assert.equal(c.rating, 'basic');
    });

    test('merge: the duplicate closes with merged_into and both timelines get an entry', async () => {
      const orig = (await report(url, s.wangge, { category: 'municipal', description: tag('orig') })).json;
      const dup = (await report(url, s.wanggezhang, { category: 'municipal', description: tag('dup') })).json;
      assert.ok(dup.possible_duplicates.some((d) => d.id === orig.id));
      const before = snapshot(await getCase(url, s.shequ, dup.id));
      const noInto = await act(url, s.shequ, dup.id, { action: 'merge' });
      assertProblem(noInto, 422);
      assert.ok(errorFields(noInto).includes('into'));
      assertProblem(await act(url, s.shequ, dup.id, { action: 'merge', into: dup.id }), 422, 'into itself');
      assertProblem(await act(url, s.shequ, dup.id, { action: 'merge', into: 999999999 }), 422, 'into nothing');
      const hidden = (await report(url, s.admin, { category: 'municipal', region_code: OTHER_COMM_GRID })).json;
      assertProblem(await act(url, s.shequ, dup.id, { action: 'merge', into: hidden.id }), 422, 'into a case shequ cannot see');
      assertProblem(await act(url, s.shequ, dup.id, { action: 'merge', into: 'abc' }), 400, 'into of the wrong type');
      const closed = (await report(url, s.wangge, { category: 'municipal' })).json;
      await mustAct(url, s.shequ, closed.id, { action: 'reject', comment: '重复' });
      assertProblem(await act(url, s.shequ, dup.id, { action: 'merge', into: closed.id }), 409, 'into a finished case');
      assert.deepEqual(snapshot(await getCase(url, s.shequ, dup.id)), before, 'refused merges change nothing');

      const origBefore = await getCase(url, s.shequ, orig.id);
      const m = await mustAct(url, s.shequ, dup.id, { action: 'merge', into: orig.id, comment: '同一处井盖' });
      assert.equal(m.status, 'closed');
      assert.equal(m.merged_into, orig.id);
      assert.equal(m.timeline.at(-1).action, 'merge');
      assert.ok(m.timeline.at(-1).note.includes(orig.number), 'the duplicate names the original');
      assert.equal(m.timeline.at(-1).comment, '同一处井盖', 'the comment is what was written');
      const o = await getCase(url, s.shequ, orig.id);
      assert.equal(o.status, origBefore.status, 'the original keeps its state');
      assert.equal(o.timeline.length, origBefore.timeline.length + 1);
      assert.equal(o.timeline.at(-1).action, 'merge');
      assert.ok(o.timeline.at(-1).note.includes(dup.number), 'the original names the duplicate');
      const open = await api(url, 'GET', `/api/v1/cases?region=${GRID1}&status=reported&limit=200`, s.shequ);
      assert.ok(!open.json.items.some((x) => x.id === dup.id));
      const later = (await report(url, s.wangge, { category: 'municipal' })).json;
      assert.ok(!later.possible_duplicates.some((d) => d.id === dup.id), 'a merged case is no longer a candidate');
    });

    test('a merged duplicate does not come back as an open case that is still merged_into another', async () => {
      const orig = (await report(url, s.wangge, { category: 'municipal', description: tag('orig2') })).json;
      const dup = (await report(url, s.jumin, { category: 'municipal', description: tag('dup2') })).json;
      await mustAct(url, s.shequ, dup.id, { action: 'merge', into: orig.id });
      // The reporter of the duplicate (and desk staff) are offered "reopen" on it.
      for (const [who, auth] of [
        ['jumin (reporter)', s.jumin],
        ['shequ', s.shequ],
      ]) {
        const before = await getCase(url, auth, dup.id);
        if (before.status !== 'closed') continue;
        const res = await act(url, auth, dup.id, { action: 'reopen', comment: '还没处理' });
        if (res.status === 200) {
          assert.ok(
            res.json.merged_into === null,
            `${who}: POST /api/v1/cases/${dup.id}/actions {"action":"reopen"} on a case merged into ${orig.id} → 200 ` +
              `status ${res.json.status} with merged_into ${res.json.merged_into}: an open case still marked as a merged duplicate`,
          );
        } else {
          assertProblem(res, 409, `${who} reopens a merged duplicate`);
        }
      }
    });

    test('supervise sets the flag and note (street and up) without changing the state', async () => {
      const c0 = (await report(url, s.wangge, {})).json;
      await mustAct(url, s.shequ, c0.id, { action: 'accept' });
      assertProblem(await act(url, s.shequ, c0.id, { action: 'supervise', comment: '请加快' }), 403);
      assertProblem(await act(url, s.jiedao, c0.id, { action: 'supervise' }), 422);
      const c = await mustAct(url, s.jiedao, c0.id, { action: 'supervise', comment: '请今日办结' });
      assert.equal(c.status, 'accepted');
      assert.equal(c.supervised, true);
      assert.equal(c.supervise_note, '请今日办结');
      assert.equal(c.timeline.at(-1).action, 'supervise');
      assert.equal(c.timeline.at(-1).from, 'accepted');
      assert.equal(c.timeline.at(-1).to, 'accepted');
      const list = await api(url, 'GET', `/api/v1/cases?supervised=true&region=${GRID1}&limit=200`, s.shequ);
      assert.equal(list.status, 200);
      assert.ok(list.json.items.some((x) => x.id === c0.id));
      assert.ok(list.json.items.every((x) => x.supervised === true));
    });

    test('action body: unknown action → 422, missing action → 422, wrong types → 400, not JSON → 400', async () => {
      const c0 = (await report(url, s.wangge, {})).json;
      const before = snapshot(await getCase(url, s.shequ, c0.id));
      const unknown = await act(url, s.shequ, c0.id, { action: 'fly' });
      assertProblem(unknown, 422);
      assert.ok(errorFields(unknown).includes('action'));
      assertProblem(await act(url, s.shequ, c0.id, { comment: 'x' }), 422);
      assertProblem(await act(url, s.shequ, c0.id, { action: 5 }), 400);
      assertProblem(await act(url, s.shequ, c0.id, { action: 'reject', comment: ['x'] }), 400);
      assertProblem(
        await api(url, 'POST', `/api/v1/cases/${c0.id}/actions`, { ...s.shequ, rawBody: '{"action":' }),
        400,
      );
      assertProblem(
        await api(url, 'POST', `/api/v1/cases/${c0.id}/actions`, { cookie: s.shequ.cookie, body: { action: 'accept' } }),
        403,
        'no CSRF token',
      );
      assert.deepEqual(snapshot(await getCase(url, s.shequ, c0.id)), before);
    });
  });

  describe('listing', () => {
    test('scope: wangge sees only grid 1, chengguan only 城管执法, jumin only own reports', async () => {
      const mine = (await report(url, s.jumin, { description: tag('mine') })).json;
      const notMine = (await report(url, s.wangge, { description: tag('not-mine') })).json;
      const w = await walkList(url, '/api/v1/cases', s.wangge, 200);
      assert.ok(w.length > 0);
      assert.ok(w.every((c) => c.region_code === GRID1), 'wangge lists only grid 1');
      assert.ok(w.some((c) => c.id === notMine.id));
      const dept = await walkList(url, '/api/v1/cases', s.chengguan, 200);
      assert.ok(dept.length > 0, 'the demo has 城管执法 cases');
      assert.ok(dept.every((c) => c.unit === CHENGGUAN_UNIT), 'chengguan lists only its unit');
      const res = await walkList(url, '/api/v1/cases', s.jumin, 200);
      assert.ok(res.some((c) => c.id === mine.id), 'jumin lists own report');
      assert.ok(!res.some((c) => c.id === notMine.id), 'not others\'');
      for (const c of res) {
        const g = await api(url, 'GET', `/api/v1/cases/${c.id}`, s.jumin);
        assert.equal(g.status, 200, `jumin may read every case it lists (${c.id})`);
      }
      assertProblem(await api(url, 'GET', `/api/v1/cases/${notMine.id}`, s.jumin), 404);
      const w2 = await walkList(url, '/api/v1/cases', s.wangge2, 200);
      assert.ok(w2.every((c) => c.region_code === GRID2));
    });

    test('a user holding several grants lists only the cases one of them lets it read', async () => {
      const deptAndGrid = await createUser(url, s.admin, {
        username: 'c_multi_dept',
        unit: CHENGGUAN_UNIT,
        grants: [
          { role: 'department', region_code: DISTRICT },
          { role: 'grid_worker', region_code: GRID1 },
        ],
      });
      const residentAndGrid = await createUser(url, s.admin, {
        username: 'c_multi_res',
        grants: [
          { role: 'resident', region_code: GRID2 },
          { role: 'grid_worker', region_code: GRID1 },
        ],
      });
      const problems = [];
      for (const [label, auth, readable] of [
        ['department 城管执法 @district + grid_worker @grid 1', deptAndGrid, (c) => c.region_code === GRID1 || c.unit === CHENGGUAN_UNIT],
        ['resident @grid 2 (no reports) + grid_worker @grid 1', residentAndGrid, (c) => c.region_code === GRID1],
      ]) {
        const items = await walkList(url, '/api/v1/cases', auth, 200);
        assert.ok(items.some((c) => c.region_code === GRID1), `${label}: lists grid 1`);
        const leaked = items.filter((c) => !readable(c));
        if (leaked.length) {
          const g = await api(url, 'GET', `/api/v1/cases/${leaked[0].id}`, auth);
          problems.push(
            `${label}: GET /api/v1/cases lists ${leaked.length} of ${items.length} cases it may not read, ` +
              `e.g. case ${leaked[0].id} in ${leaked[0].region_code}, unit ${leaked[0].unit}, reporter ` +
              `${JSON.stringify(leaked[0].reporter)} (GET /api/v1/cases/${leaked[0].id} → ${g.status})`,
          );
        }
        const c = await countsOf(auth);
        if (total(c) !== items.length) problems.push(`${label}: counts total ${total(c)}, list ${items.length}`);
      }
      assert.deepEqual(problems, []);
    });

    test('a department whose grant is one street lists its unit\'s cases in that street only', async () => {
      const d = await createUser(url, s.admin, { username: 'c_dept_s2', role: 'department', region: '999901002', unit: CHENGGUAN_UNIT });
      const items = await walkList(url, '/api/v1/cases', d, 200);
      assert.ok(items.every((c) => c.unit === CHENGGUAN_UNIT && c.region_code.startsWith('999901002')));
    });

    test('filters: status, region, category, supervised, overdue, warning', async () => {
      for (const st of STATES) {
        const res = await api(url, 'GET', `/api/v1/cases?status=${st}&limit=100`, s.shequ);
        assert.equal(res.status, 200, res.text);
        assert.ok(res.json.items.every((c) => c.status === st), st);
        assert.ok(res.json.items.every((c) => c.region_code.startsWith(COMM1)), 'shequ: own community');
      }
      const byRegion = await api(url, 'GET', `/api/v1/cases?region=${GRID2}&limit=100`, s.shequ);
      assert.ok(byRegion.json.items.length > 0);
      assert.ok(byRegion.json.items.every((c) => c.region_code === GRID2));
      const byCat = await api(url, 'GET', '/api/v1/cases?category=noise&limit=100', s.zhihui);
      assert.ok(byCat.json.items.length > 0);
      assert.ok(byCat.json.items.every((c) => c.category === 'noise'));
      const od = await api(url, 'GET', '/api/v1/cases?overdue=true&limit=200', s.zhihui);
      assert.ok(od.json.items.length > 0, 'the demo has overdue cases');
      assert.ok(od.json.items.every((c) => c.overdue === true && c.deadlines.level === 'red'));
      const wa = await api(url, 'GET', '/api/v1/cases?warning=true&limit=200', s.zhihui);
      assert.equal(wa.status, 200);
      assert.ok(wa.json.items.every((c) => c.deadlines.level === 'yellow' && c.overdue === false));
      const su = await api(url, 'GET', '/api/v1/cases?supervised=true&limit=200', s.zhihui);
      assert.ok(su.json.items.every((c) => c.supervised === true));
      const combo = await api(url, 'GET', `/api/v1/cases?status=reported&category=environment&region=${GRID1}`, s.shequ);
      assert.ok(combo.json.items.every((c) => c.status === 'reported' && c.category === 'environment' && c.region_code === GRID1));
    });

    test('bad filters → 400; a region outside the scope → 403', async () => {
      for (const q of ['status=bogus', 'overdue=maybe', 'warning=2', 'supervised=yes', 'region=abc', 'limit=0', 'limit=201', 'cursor=abc']) {
        assertProblem(await api(url, 'GET', `/api/v1/cases?${q}`, s.shequ), 400, q);
      }
      assertProblem(await api(url, 'GET', `/api/v1/cases?region=${GRID2}`, s.wangge), 403);
      assertProblem(await api(url, 'GET', `/api/v1/cases?region=${COMM1}`, s.wangge), 403);
      assertProblem(await api(url, 'GET', `/api/v1/cases?region=${OTHER_COMM_GRID}`, s.shequ), 403);
      assertProblem(await api(url, 'GET', '/api/v1/cases'), 401);
    });

    test('flags are true or false only; ids in paths and queries parse strictly (400 / 404, never a guess)', async () => {
      for (const q of ['overdue=1', 'warning=0', 'supervised=TRUE', 'overdue=', 'cursor=12']) {
        assertProblem(await api(url, 'GET', `/api/v1/cases?${q}`, s.shequ), 400, `list ${q}`);
        assertProblem(await api(url, 'GET', `/api/v1/cases/counts?${q.startsWith('cursor') ? 'overdue=1' : q}`, s.shequ), 400, `counts ${q}`);
      }
      const c0 = (await report(url, s.wangge, {})).json;
      for (const q of ['reveal=1', 'reveal=yes', 'reveal=']) {
        assertProblem(await api(url, 'GET', `/api/v1/cases/${c0.id}?${q}`, s.shequ), 400, q);
      }
      assert.equal((await api(url, 'GET', `/api/v1/cases/${c0.id}?reveal=false`, s.shequ)).status, 200);
      for (const p of [`${c0.id}abc`, `0${c0.id}x`, `+${c0.id}`, '-1', '0', '1e3', `${c0.id}%20`]) {
        assertProblem(await api(url, 'GET', `/api/v1/cases/${p}`, s.shequ), 404, `case ${p}`);
        assertProblem(await act(url, s.shequ, p, { action: 'accept' }), 404, `action on ${p}`);
      }
      assertProblem(await api(url, 'POST', '/api/v1/notifications/1abc/read', { ...s.shequ, body: {} }), 404);
      assertProblem(await api(url, 'PATCH', '/api/v1/responsibilities/1abc', { ...s.admin, body: { unit: 'x' } }), 404);
      assertProblem(await api(url, 'GET', '/api/v1/categories?all=yes', s.shequ), 400);
      const imp = await api(url, 'POST', '/api/v1/responsibilities/import?dry_run=1', {
        ...s.admin,
        rawBody: 'unit,accept_hours,handle_hours\n',
        contentType: 'text/csv',
      });
      assertProblem(imp, 400, 'dry_run=1');
    });

    test('a case past its accept deadline is overdue (red) and listed with overdue=true', async (t) => {
      const rule = await api(url, 'POST', '/api/v1/responsibilities', {
        ...s.admin,
        body: { category: 'livelihood', region_code: GRID2, unit: '即时组', accept_hours: 0, handle_hours: 1 },
      });
      assert.equal(rule.status, 201, rule.text);
      const c0 = (await report(url, s.wangge2, { category: 'livelihood', region_code: GRID2 })).json;
      await api(url, 'DELETE', `/api/v1/responsibilities/${rule.json.id}`, s.admin);
      assert.equal(c0.rule_id, rule.json.id);
      if (sec(c0.deadlines.accept_due) > sec(c0.created_at)) {
        t.skip('reported on a day off: the accept deadline starts on the next working day');
        return;
      }
      await sleep(1100);
      const c = await getCase(url, s.wangge2, c0.id);
      assert.equal(c.overdue, true);
      assert.equal(c.deadlines.level, 'red');
      const list = await api(url, 'GET', `/api/v1/cases?overdue=true&region=${GRID2}&limit=200`, s.wangge2);
      assert.ok(list.json.items.some((x) => x.id === c0.id));
      // The counts agree with the list (a count taken before could already include c0 when
      // the run is slow, since its accept deadline is its creation second).
      assert.ok(list.json.items.length < 200);
      assert.equal((await countsOf(s.wangge2)).overdue, list.json.items.length);
      // Accepting moves it to the handle deadline (1 working hour): no longer overdue.
      const a = await mustAct(url, s.shequ, c0.id, { action: 'accept' });
      assert.equal(a.overdue, false);
    });

    test('cursor paging walks every case once, newest first', async () => {
      const one = await api(url, 'GET', `/api/v1/cases?region=${GRID1}&limit=200`, s.shequ);
      assert.equal(one.status, 200);
      const all = await walkList(url, `/api/v1/cases?region=${GRID1}`, s.shequ, 200);
      const paged = await walkList(url, `/api/v1/cases?region=${GRID1}`, s.shequ, 7);
      assert.deepEqual(
        paged.map((c) => c.id),
        all.map((c) => c.id),
      );
      for (let i = 1; i < paged.length; i++) assert.ok(paged[i - 1].id > paged[i].id, 'strictly newest first');
      assert.ok(paged.length > 7, 'more than one page');
    });

    test('counts: by_status for every state, equal to the list; overdue and warning', async () => {
      const c = await countsOf(s.shequ, `?region=${GRID1}`);
      assert.deepEqual(Object.keys(c.by_status).sort(), [...STATES].sort());
      const all = await walkList(url, `/api/v1/cases?region=${GRID1}`, s.shequ, 200);
      assert.equal(total(c), all.length);
      for (const st of STATES) {
        assert.equal(c.by_status[st], all.filter((x) => x.status === st).length, st);
      }
      assert.equal(c.overdue, all.filter((x) => x.overdue).length, 'overdue');
      assert.equal(c.warning, all.filter((x) => x.deadlines.level === 'yellow').length, 'warning');
      // The grid worker's own scope counts the same grid.
      assert.deepEqual(await countsOf(s.wangge), c);
      // One more report, one more "reported".
      await report(url, s.wangge, {});
      const c2 = await countsOf(s.shequ, `?region=${GRID1}`);
      assert.equal(c2.by_status.reported, c.by_status.reported + 1);
      // The department counts its unit only.
      const d = await countsOf(s.chengguan);
      assert.equal(total(d), (await walkList(url, '/api/v1/cases', s.chengguan, 200)).length);
      assertProblem(await api(url, 'GET', `/api/v1/cases/counts?region=${GRID2}`, s.wangge), 403);
    });
  });

  describe('public tracking', () => {
    test('GET /api/v1/track/{code} without sign-in: status and public timeline, no personal data, no comments', async () => {
      const c0 = (
        await report(url, s.jumin, {
          description: '楼下垃圾堆积 内部描述',
          reporter: { name: '王五', phone: '13912340000' },
          location: { lat: 30.002, lon: 120.002, address: '幸福路 8 号 3 单元' },
        })
      ).json;
      await mustAct(url, s.shequ, c0.id, { action: 'accept', comment: '内部备注 秘密' });
      const res = await api(url, 'GET', `/api/v1/track/${c0.tracking_code}`);
      assert.equal(res.status, 200, res.text);
      const t = res.json;
      assert.equal(t.number, c0.number);
      assert.equal(t.status, 'accepted');
      assert.equal(t.category, 'environment');
      assert.equal(t.timeline.length, 2);
      assert.deepEqual(
        t.timeline.map((e) => [e.action, e.from, e.to]),
        [
          ['report', null, 'reported'],
          ['accept', 'reported', 'accepted'],
        ],
      );
      for (const e of t.timeline) {
        for (const k of ['actor', 'comment', 'role', 'photos']) assert.ok(!(k in e), `public timeline has no ${k}`);
      }
      for (const k of ['reporter', 'description', 'location', 'id']) assert.ok(!(k in t), `public view has no ${k}`);
      for (const secret of ['王五', '13912340000', '139****0000', '内部备注', '内部描述', '幸福路 8 号', 'jumin', 'shequ']) {
        assert.ok(!res.text.includes(secret), `public view leaks ${secret}`);
      }
      assertProblem(await api(url, 'GET', '/api/v1/track/ZZZZZZZZZZZZ'), 404);
      assertProblem(await api(url, 'GET', '/api/v1/track/short'), 404);
    });

    test('tracking shows the reply written for the public, never the internal result or comments (leak 3)', async () => {
      const c0 = (await report(url, s.jumin, { description: tag('reply') })).json;
      await mustAct(url, s.wanggezhang, c0.id, { action: 'accept' });
      await mustAct(url, s.wangge, c0.id, { action: 'start' });
      // The reply for the public goes with handle (or close, reject), nowhere else.
      const bad = await act(url, s.wangge, c0.id, { action: 'supervise', comment: 'x', public_reply: '不应在此' });
      assertProblem(bad, 422, 'a public reply with another action');
      assert.deepEqual(errorFields(bad), ['public_reply']);
      const h = await mustAct(url, s.wangge, c0.id, {
        action: 'handle',
        comment: '内部记录：联系物业王经理 13911112222 清运',
        public_reply: '垃圾已清运，感谢您的反映。',
      });
      assert.equal(h.public_reply, '垃圾已清运，感谢您的反映。');
      assert.match(h.result, /内部记录/, 'staff keep the internal result');
      const res = await api(url, 'GET', `/api/v1/track/${c0.tracking_code}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.public_reply, '垃圾已清运，感谢您的反映。');
      assert.ok(!('result' in res.json), 'no result field');
      for (const secret of ['内部记录', '王经理', '13911112222']) assert.ok(!res.text.includes(secret), `tracking leaks ${secret}`);
      assert.deepEqual(
        res.json.timeline.map((e) => e.action),
        ['report', 'accept', 'start', 'handle'],
      );
      // The reporter, signed in, reads the same public face of the handling.
      const own = await api(url, 'GET', `/api/v1/cases/${c0.id}`, s.jumin);
      assert.equal(own.status, 200, own.text);
      assert.equal(own.json.public_reply, '垃圾已清运，感谢您的反映。');
      assert.equal(own.json.result, null);
      for (const secret of ['内部记录', '王经理', '13911112222']) assert.ok(!own.text.includes(secret), `the reporter sees ${secret}`);
      // Close may set or replace it.
      await mustAct(url, s.wangge, c0.id, { action: 'verify' });
      const closed = await mustAct(url, s.wangge, c0.id, { action: 'close', public_reply: '已结案，欢迎继续监督。' });
      assert.equal(closed.public_reply, '已结案，欢迎继续监督。');
      assert.equal((await api(url, 'GET', `/api/v1/track/${c0.tracking_code}`)).json.public_reply, '已结案，欢迎继续监督。');
    });

    test('tracking codes are random in the demo too: none can be derived', async () => {
      assertProblem(await api(url, 'GET', '/api/v1/track/DEMO00000001'), 404, 'the old derivable demo code');
      const list = await api(url, 'GET', `/api/v1/cases?region=${DISTRICT}&limit=200`, s.admin);
      assert.equal(list.status, 200, list.text);
      const codes = list.json.items.map((c) => c.tracking_code);
      assert.ok(codes.length > 50);
      for (const code of codes) {
        assert.match(code, /^[A-HJ-NP-Z2-9]{12}$/, `code ${code}`);
        assert.ok(!code.startsWith('DEMO'), `code ${code}`);
      }
      assert.equal(new Set(codes).size, codes.length);
      const demo = await api(url, 'GET', `/api/v1/track/${codes.at(-1)}`);
      assert.equal(demo.status, 200, 'a demo tracking code works');
      assert.ok(!('reporter' in demo.json) && !('result' in demo.json));
    });
  });

  describe('photos', () => {
    let png, jpg;
    test('PNG and JPEG uploads → 201 named by SHA-256; readable again', async () => {
      const bytes = pngBytes(7);
      const res = await uploadPhoto(url, s.wangge, bytes, 'image/png');
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.hash, sha256hex(bytes));
      assert.equal(res.json.mime, 'image/png');
      assert.equal(res.json.size, bytes.length);
      png = res.json.hash;
      const again = await uploadPhoto(url, s.wangge, bytes, 'image/png');
      assert.equal(again.status, 201);
      assert.equal(again.json.hash, png, 'same bytes, same name');
      const jb = jpegBytes(3);
      const j = await uploadPhoto(url, s.wangge, jb, 'image/jpeg');
      assert.equal(j.status, 201, j.text);
      assert.equal(j.json.mime, 'image/jpeg');
      assert.equal(j.json.hash, sha256hex(jb));
      jpg = j.json.hash;
      // Recognised by content, not by the declared type.
      const oct = await uploadPhoto(url, s.wangge, pngBytes(8), 'application/octet-stream');
      assert.equal(oct.status, 201, oct.text);
      assert.equal(oct.json.mime, 'image/png');
      // Read back by its uploader (others only through a record that references it: photos.test.mjs).
      const get = await fetch(`${url}/api/v1/photos/${png}`, { headers: { Cookie: s.wangge.cookie } });
      assert.equal(get.status, 200);
      assert.match(get.headers.get('content-type'), /^image\/png/);
      assert.deepEqual(Buffer.from(await get.arrayBuffer()), bytes);
      assertProblem(await api(url, 'GET', `/api/v1/photos/${'0'.repeat(64)}`, s.shequ), 404);
      assertProblem(await api(url, 'GET', '/api/v1/photos/nothex', s.shequ), 404);
    });

    test('text → 415, empty → 400, 6 MiB → 413, no sign-in → 401, no CSRF → 403', async () => {
      assertProblem(await uploadPhoto(url, s.wangge, Buffer.from('hello, not an image'), 'text/plain'), 415);
      assertProblem(await uploadPhoto(url, s.wangge, Buffer.from('GIF89a but not really'), 'image/png'), 415);
      assertProblem(await uploadPhoto(url, s.wangge, Buffer.alloc(0), 'image/png'), [400, 415]);
      // Every oversized upload must get its 413 (a client that sends the whole body
      // without Expect: 100-continue must still be able to read the answer).
      const big = Buffer.alloc(6 * 1024 * 1024, 0x41);
      pngBytes(1).copy(big, 0, 0, 8);
      const outcomes = [];
      for (let i = 0; i < 3; i++) {
        try {
          outcomes.push((await uploadPhoto(url, s.wangge, big, 'image/png')).status);
        } catch (e) {
          outcomes.push(`no HTTP answer (${e.cause?.code || e.message})`);
        }
      }
      assert.deepEqual(outcomes, [413, 413, 413], '6 MiB photo uploads → 413 each time');
      assertProblem(await api(url, 'POST', '/api/v1/photos', { rawBody: pngBytes(2), contentType: 'image/png' }), 401);
      assertProblem(
        await api(url, 'POST', '/api/v1/photos', { cookie: s.wangge.cookie, rawBody: pngBytes(2), contentType: 'image/png' }),
        403,
      );
    });

    test('photos attach to a report and to a handle step (timeline photos); unknown hash → 422', async () => {
      assert.ok(png && jpg, 'uploads from the first photo test');
      const c0 = (await report(url, s.wangge, { photos: [png] })).json;
      const g = await getCase(url, s.shequ, c0.id);
      assert.deepEqual(g.timeline[0].photos, [png]);
      await mustAct(url, s.shequ, c0.id, { action: 'accept' });
      await mustAct(url, s.wangge, c0.id, { action: 'start' });
      const h = await mustAct(url, s.wangge, c0.id, { action: 'handle', comment: '已处理，见照片', photos: [jpg, png] });
      assert.deepEqual(h.timeline.at(-1).photos, [jpg, png]);
      assert.deepEqual(h.timeline.at(-2).photos, []);

      const unknown = 'a'.repeat(64);
      let res = await api(url, 'POST', '/api/v1/cases', {
        ...s.wangge,
        body: { category: 'environment', description: 'x', region_code: GRID1, photos: [png, unknown] },
      });
      assertProblem(res, 422);
      assert.ok(errorFields(res).some((f) => f.startsWith('photos')), res.text);
      res = await api(url, 'POST', '/api/v1/cases', {
        ...s.wangge,
        body: { category: 'environment', description: 'x', region_code: GRID1, photos: ['../../etc/passwd'] },
      });
      assertProblem(res, 422);
      res = await api(url, 'POST', '/api/v1/cases', {
        ...s.wangge,
        body: { category: 'environment', description: 'x', region_code: GRID1, photos: Array(10).fill(png) },
      });
      assertProblem(res, 422, 'at most 9 photos');
      const before = snapshot(await getCase(url, s.shequ, h.id));
      res = await act(url, s.wangge, h.id, { action: 'verify', photos: [unknown] });
      assertProblem(res, 422);
      assert.deepEqual(snapshot(await getCase(url, s.shequ, h.id)), before);
    });
  });

  describe('notifications', () => {
    test('a report tells the desk of its level; dispatch tells the department; mark read', async () => {
      const minor = (await report(url, s.wangge, { category: 'environment' })).json;
      const gl = findNote(await inbox(s.wanggezhang), minor.id, 'accept');
      assert.ok(gl, 'the grid leader is told of a grid-level case');
      assert.equal(gl.body, minor.number);
      assert.equal(gl.read_at, null);
      assert.ok(!findNote(await inbox(s.wangge2), minor.id, 'accept'), 'not the other grid');
      const priv = (await report(url, s.wangge, { category: 'dispute' })).json;
      assert.ok(findNote(await inbox(s.shequ), priv.id, 'accept'), 'the community is told of a private dispute');

      const other = await createUser(url, s.admin, { username: 'c_dept_hw', role: 'department', region: DISTRICT, unit: '环卫所' });
      await mustAct(url, s.wanggezhang, minor.id, { action: 'accept' });
      await mustAct(url, s.shequ, minor.id, { action: 'dispatch', unit: CHENGGUAN_UNIT });
      const dn = findNote(await inbox(s.chengguan), minor.id, 'handle');
      assert.ok(dn, 'the department is told of the dispatch');
      assert.ok(!findNote(await inbox(other), minor.id, 'handle'), 'another unit is not');

      const r = await api(url, 'POST', `/api/v1/notifications/${gl.id}/read`, s.wanggezhang);
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.read_at, RFC3339);
      const again = await api(url, 'POST', `/api/v1/notifications/${gl.id}/read`, s.wanggezhang);
      assert.equal(again.status, 200);
      assert.equal(again.json.read_at, r.json.read_at, 'reading twice keeps the first time');
      assert.equal(findNote(await inbox(s.wanggezhang), minor.id, 'accept').read_at, r.json.read_at);
      assertProblem(await api(url, 'POST', `/api/v1/notifications/${dn.id}/read`, s.wangge2), 404, 'not addressed to wangge2');
      assertProblem(await api(url, 'POST', `/api/v1/notifications/${dn.id}/read`, other), 404, 'not to another unit');
      assertProblem(await api(url, 'POST', '/api/v1/notifications/999999999/read', s.wanggezhang), 404);
      assertProblem(await api(url, 'POST', '/api/v1/notifications/abc/read', s.wanggezhang), 404);
      assertProblem(await api(url, 'GET', '/api/v1/notifications'), 401);
    });
  });

  describe('responsibilities (权责清单)', () => {
    const body = { category: 'fire', tier: 'major', level: 'street', unit: '消防中队', accept_hours: 1, handle_hours: 12, note: 't' };

    test('everyone signed in reads the list; it holds the seeded defaults', async () => {
      const res = await api(url, 'GET', '/api/v1/responsibilities', s.jumin);
      assert.equal(res.status, 200, res.text);
      const env = res.json.items.find((r) => r.category === 'environment' && r.region_code === null && r.level === null);
      assert.equal(env?.unit, '环卫所');
      assertProblem(await api(url, 'GET', '/api/v1/responsibilities'), 401);
    });

    test('create, update, retire: admin and district only; others 403', async () => {
      for (const who of ['jiedao', 'shequ', 'wangge', 'chengguan', 'jumin', 'dudao']) {
        assertProblem(await api(url, 'POST', '/api/v1/responsibilities', { ...s[who], body }), 403, who);
      }
      const a = await api(url, 'POST', '/api/v1/responsibilities', { ...s.admin, body });
      assert.equal(a.status, 201, a.text);
      assert.equal(a.json.category, 'fire');
      assert.equal(a.json.tier, 'major');
      assert.equal(a.json.level, 'street');
      assert.equal(a.json.unit, '消防中队');
      assert.equal(a.json.accept_hours, 1);
      assert.equal(a.json.handle_hours, 12);
      const z = await api(url, 'POST', '/api/v1/responsibilities', { ...s.zhihui, body: { ...body, unit: '消防二中队' } });
      assert.equal(z.status, 201, z.text);
      for (const who of ['jiedao', 'shequ', 'wangge']) {
        assertProblem(
          await api(url, 'PATCH', `/api/v1/responsibilities/${a.json.id}`, { ...s[who], body: { ...body, unit: 'x' } }),
          403,
          who,
        );
        assertProblem(await api(url, 'DELETE', `/api/v1/responsibilities/${a.json.id}`, s[who]), 403, who);
      }
      const p = await api(url, 'PATCH', `/api/v1/responsibilities/${a.json.id}`, {
        ...s.zhihui,
        body: { ...body, unit: '消防救援站', handle_hours: 6 },
      });
      assert.equal(p.status, 200, p.text);
      assert.equal(p.json.unit, '消防救援站');
      assert.equal(p.json.handle_hours, 6);
      let list = await api(url, 'GET', '/api/v1/responsibilities', s.shequ);
      assert.equal(list.json.items.find((r) => r.id === a.json.id)?.unit, '消防救援站');
      assertProblem(
        await api(url, 'PATCH', '/api/v1/responsibilities/999999', { ...s.admin, body }),
        404,
      );
      for (const id of [a.json.id, z.json.id]) {
        const d = await api(url, 'DELETE', `/api/v1/responsibilities/${id}`, s.admin);
        assert.equal(d.status, 204, d.text);
      }
      list = await api(url, 'GET', '/api/v1/responsibilities', s.shequ);
      assert.ok(!list.json.items.some((r) => r.id === a.json.id || r.id === z.json.id), 'retired rules leave the list');
      assertProblem(await api(url, 'DELETE', `/api/v1/responsibilities/${a.json.id}`, s.admin), 404);
      assertProblem(await api(url, 'DELETE', '/api/v1/responsibilities/abc', s.admin), 404);
    });

    test('rule validation → 422 naming the field; wrong types → 400', async () => {
      const cases = [
        [{ ...body, category: 'nope' }, 'category'],
        [{ ...body, tier: 'huge' }, 'tier'],
        [{ ...body, level: 'planet' }, 'level'],
        [{ ...body, region_code: '999901999' }, 'region_code'],
        [{ ...body, unit: undefined }, 'unit'],
        [{ ...body, accept_hours: -1 }, 'accept_hours'],
        [{ ...body, handle_hours: 0 }, 'handle_hours'],
      ];
      for (const [b, field] of cases) {
        const res = await api(url, 'POST', '/api/v1/responsibilities', { ...s.admin, body: b });
        assertProblem(res, 422, JSON.stringify(b));
        assert.ok(errorFields(res).includes(field), `${field}: ${res.text}`);
      }
      assertProblem(await api(url, 'POST', '/api/v1/responsibilities', { ...s.admin, body: { ...body, accept_hours: '1' } }), 400);
      // The district cannot write rules for a region outside its own grant (it is the whole district here, so use a foreign code).
      const res = await api(url, 'POST', '/api/v1/responsibilities', { ...s.zhihui, body: { ...body, region_code: '999902' } });
      assertProblem(res, 422);
    });
  });
});
