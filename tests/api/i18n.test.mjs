// Problem details in the client's language: every detail the server can send has a catalogue
// entry (src/api/messages/, a file per capability) with a stable code and its English; Accept-Language chooses
// (Chinese unless English is preferred); errors[].message follows the detail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { catalogue, extract, missing } from '../../scripts/messages.mjs';

const HAN = /[\u3400-\u9fff]/;
const EN = { 'Accept-Language': 'en-US,en;q=0.9,zh-CN;q=0.8' };
const ZH = { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' };

describe('the catalogue of problem details', () => {
  test('every detail literal in src/api and src/http has an entry (node scripts/messages.mjs)', () => {
    const miss = missing();
    const show = (list) => list.map((d) => `  ${JSON.stringify(d.text)}  (${d.where.join(', ')})`).join('\n');
    assert.equal(miss.details.length, 0,
      `details without a catalogue entry; add them to their capability's part in src/api/messages/:\n${show(miss.details)}`);
    assert.equal(miss.nouns.length, 0,
      `nouns (the <what> of "<what>不存在") without an entry; add them to msg_nouns[]:\n${show(miss.nouns)}`);
  });

  test('the script finds details however a handler writes them', () => {
    const src = `
      /* api_problem(req, 400, "注释里的不算"); */
      api_problem(req, 409, "一条新的说明");
      api_field_error(&in, "x", "enum",
                      ok ? "甲说明" : "乙说明" "（续）");
      http_problem(req, 422, arena_printf(&req->arena, "第 %d 项有误", n),
                   "[{\\"field\\":\\"a\\",\\"code\\":\\"b\\",\\"message\\":\\"字段说明\\"}]");
      json_set_str(e, "message", "手写的字段说明");
      static const struct api_loader thing = {.what = "新东西", .roles = 0};
      api_path_id(req, "id", "另一东西", &id);
      e.comment = arena_printf(a, "来源：%s", s); /* timeline text, not a detail */
      return "校验器的说明";
    `;
    const { details, nouns } = extract(['fake.c'], () => src);
    assert.deepEqual([...details.keys()].sort(),
      ['一条新的说明', '乙说明（续）', '字段说明', '手写的字段说明', '甲说明', '第 %d 项有误', '校验器的说明'].sort());
    assert.deepEqual([...nouns.keys()].sort(), ['另一东西', '新东西'].sort());
  });

  test('entries: unique text and code, snake_case codes, English without Chinese', () => {
    const { entries, nouns } = catalogue();
    assert.ok(entries.length > 300, `the script reads the catalogue (${entries.length} entries)`);
    assert.equal(new Set(entries.map((e) => e.zh)).size, entries.length, 'a Chinese text is listed once');
    assert.equal(new Set(entries.map((e) => e.code)).size, entries.length, 'a code names one detail');
    for (const e of entries) {
      assert.match(e.code, /^[a-z][a-z0-9_]*$/, e.code);
      assert.ok(!HAN.test(e.en), `${e.code}: ${e.en}`);
      assert.ok(e.en.trim() === e.en && e.en.length > 0, `${e.code}: no stray spaces`);
    }
    for (const n of nouns) assert.ok(!HAN.test(n.en), `${n.zh}: ${n.en}`);
  });
});

describe('problem details follow Accept-Language', { timeout: 120_000 }, () => {
  let srv, url, admin;
  before(async () => {
    srv = await startServer();
    url = srv.url;
    admin = await signInDemo(url, 'admin');
  });
  after(async () => {
    await srv?.stop();
  });

  test('Chinese by default and when preferred; English when preferred; the same code', async () => {
    const zh = assertProblem(await api(url, 'GET', '/api/v1/no-such-thing'), 404);
    assert.equal(zh.detail, '请求的地址不存在');
    assert.equal(zh.code, 'route_not_found');
    for (const headers of [ZH, { 'Accept-Language': '*' }, { 'Accept-Language': 'fr-FR' }, { 'Accept-Language': 'zh, en' }]) {
      const res = await api(url, 'GET', '/api/v1/no-such-thing', { headers });
      assert.equal(assertProblem(res, 404).detail, '请求的地址不存在', JSON.stringify(headers));
    }
    for (const headers of [EN, { 'Accept-Language': 'en' }, { 'Accept-Language': 'fr, en;q=0.5' }]) {
      const res = await api(url, 'GET', '/api/v1/no-such-thing', { headers });
      const p = assertProblem(res, 404);
      assert.equal(p.detail, 'No such address', JSON.stringify(headers));
      assert.equal(p.code, 'route_not_found');
      assert.equal(p.title, 'Not Found', 'title stays as it is');
      assert.match(res.headers.get('vary') || '', /Accept-Language/i, 'caches keep the languages apart');
    }
  });

  test('401, 404 of an object, JSON syntax (values filled in), 409: English detail and code', async () => {
    const cases = [
      [await api(url, 'GET', '/api/v1/users', { headers: EN }), 401, 'sign_in_required', 'Please sign in'],
      [await api(url, 'GET', '/api/v1/residents/999999999', { ...admin, headers: EN }), 404, 'resident_not_found',
        'Resident not found'],
      [await api(url, 'POST', '/api/v1/users', { ...admin, headers: EN, rawBody: '{"username": ' }), 400,
        'json_syntax', /^Malformed JSON \(line 1, column \d+\)$/],
      [await api(url, 'GET', '/api/v1/party/orgs/abc', { ...admin, headers: EN }), 404, 'party_org_not_found',
        'Party organisation not found'],
    ];
    for (const [res, status, code, detail] of cases) {
      const p = assertProblem(res, status);
      assert.equal(p.code, code, res.text);
      if (detail instanceof RegExp) assert.match(p.detail, detail);
      else assert.equal(p.detail, detail);
    }
    const dup = await api(url, 'POST', '/api/v1/users', {
      ...admin, headers: EN,
      body: { username: 'admin', display_name: 'x', password: 'Longer-Passw0rd!', grants: [{ role: 'admin', region_code: null }] },
    });
    const p = assertProblem(dup, [409, 422]);
    assert.ok(!HAN.test(dup.text), `no Chinese in an English problem: ${dup.text}`);
    assert.equal(typeof p.code, 'string');
  });

  test('422: errors[].message in English too, field codes unchanged', async () => {
    const body = { username: '!', display_name: '', password: 'short', grants: [] };
    const en = await api(url, 'POST', '/api/v1/users', { ...admin, headers: EN, body });
    const zh = await api(url, 'POST', '/api/v1/users', { ...admin, body });
    const pe = assertProblem(en, 422), pz = assertProblem(zh, 422);
    assert.ok(!HAN.test(en.text), `no Chinese in an English problem: ${en.text}`);
    assert.ok(HAN.test(pz.detail), pz.detail);
    assert.equal(pe.code, pz.code);
    assert.deepEqual(pe.errors.map((e) => [e.field, e.code]), pz.errors.map((e) => [e.field, e.code]));
    assert.ok(pz.errors.every((e) => HAN.test(e.message)), 'Chinese messages by default');
  });

  test('a refused import: detail and row messages in English', async () => {
    const csv = '姓名,网格代码\r\n张三,12345\r\n';
    const res = await api(url, 'POST', '/api/v1/residents/import', {
      ...admin, headers: EN, rawBody: csv, contentType: 'text/csv',
    });
    const p = assertProblem(res, 422);
    assert.equal(p.code, 'import_rejected');
    assert.match(p.detail, /^Import not completed: 1 of 1 rows have errors/);
    assert.ok(p.errors.length > 0 && p.errors.every((e) => !HAN.test(e.message)), JSON.stringify(p.errors));
  });
});
