// Import and export of base data (CSV and XLSX): Chinese and English headers,
// dry runs that write nothing, all-or-nothing imports refused with a
// row-by-row error report (row = line in the file, column = header text) that
// can be downloaded, partial imports, re-imports that update, masked values,
// garbage files, houses and organisations, an XLSX round trip between two
// servers, and exports that respect scope, masking and the audited reveal.
// Every response is checked to be < 500.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import { COMM1, GRID1, GRID2, STREET2, assertProblem, makeTempDir, runCli, signInDemo, startServer } from './harness.mjs';
import {
  all,
  auditEntries,
  call,
  created,
  csv,
  download,
  got,
  idNumber,
  makeGrid,
  makeResident,
  maskId,
  parseCsv,
  phone,
  tok,
  upload,
  uscc,
  usccCheck,
  wrongCheck,
} from './base-lib.mjs';

const G = `${COMM1}7${String(10 + Math.floor(Math.random() * 89))}`; // the import target grid
const ZH = ['姓名', '身份证号', '联系电话', '网格代码', '楼栋', '单元', '房号', '户号', '与户主关系', '人口类型', '标签'];
const EN = ['name', 'id_number', 'phone', 'region_code', 'building', 'unit', 'room', 'household', 'relation', 'residency', 'tags'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('import and export', { timeout: 300_000 }, () => {
  let srv, url;
  const s = {};
  const T = tok();
  const f = {};
  const count = async () => (await all(url, `/api/v1/residents?region=${G}&status=all`, s.shequ)).length;
  const lookup = async (id, who = s.shequ) => (await got(url, who, `/api/v1/residents?id_number=${id}&reveal=true`)).items;
  const imp = (data, q = '', who = s.shequ, kind = 'residents', ct) =>
    upload(url, who, `/api/v1/${kind}/import${q}`, data, ct);

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'shequ', 'jiedao', 'wangge', 'loudong', 'dudao']) s[u] = await signInDemo(url, u);
    await makeGrid(url, s.admin, G, `导入测试网格${T}`);
    f.people = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ name: `导入${i}${T}`, id: idNumber(), phone: phone() }));
  });
  after(async () => {
    await srv?.stop();
  });

  const zhRow = (p, extra = {}) => {
    const r = {
      姓名: p.name,
      身份证号: p.id,
      联系电话: p.phone,
      网格代码: G,
      楼栋: `导入楼${T}`,
      单元: '1单元',
      房号: '101',
      户号: `H${T}`,
      与户主关系: '户主',
      人口类型: '户籍',
      标签: '',
      ...extra,
    };
    return ZH.map((h) => r[h]);
  };

  test('the import template has the Chinese headers', async () => {
    const t = await call(url, 'GET', '/api/v1/residents/import-template', s.shequ);
    assert.equal(t.status, 200);
    const hdr = parseCsv(t.text)[0];
    for (const h of ZH) assert.ok(hdr.includes(h), `template has ${h}`);
  });

  test('CSV with Chinese headers: rows created with house, household and head', async () => {
    const [a, b, c] = f.people;
    const text = csv(
      [
        ZH,
        zhRow(a, { 标签: '独居老人、低保' }),
        zhRow(b, { 与户主关系: '配偶' }),
        zhRow(c, { 楼栋: `导入二楼${T}`, 单元: '', 房号: '202', 户号: '', 与户主关系: '', 人口类型: '流动', 标签: 'veteran' }),
      ],
      { bom: true },
    );
    f.zhCsv = text;
    const before = await count();
    const res = await imp(text);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      { rows: res.json.rows, created: res.json.created, updated: res.json.updated, failed: res.json.failed, dry: res.json.dry_run },
      { rows: 3, created: 3, updated: 0, failed: 0, dry: false },
    );
    assert.equal(res.json.mode, 'all_or_nothing');
    assert.equal(await count(), before + 3);
    const [pa] = await lookup(a.id);
    assert.equal(pa.name, a.name);
    assert.equal(pa.phone, a.phone);
    assert.equal(pa.region_code, G);
    assert.equal(pa.relation, 'head');
    assert.equal(pa.residency, 'registered');
    assert.deepEqual(pa.tags.sort(), ['elderly_alone', 'low_income']);
    assert.ok(pa.house_id && pa.household_id);
    const [pb] = await lookup(b.id);
    assert.equal(pb.house_id, pa.house_id);
    assert.equal(pb.household_id, pa.household_id);
    assert.equal(pb.relation, 'spouse');
    const hh = await got(url, s.shequ, `/api/v1/households/${pa.household_id}`);
    assert.equal(hh.head_id, pa.id);
    assert.equal(hh.number, `H${T}`);
    assert.deepEqual(hh.members.map((m) => m.id).sort((x, y) => x - y), [pa.id, pb.id].sort((x, y) => x - y));
    // the household and the building it made are versioned (read back from the records)
    const hv = await got(url, s.shequ, `/api/v1/households/${pa.household_id}/history`);
    assert.deepEqual(hv.items.map((v) => [v.version, v.action, v.after.head_id, v.after.number]), [[1, 'import', pa.id, `H${T}`]]);
    const house = await got(url, s.shequ, `/api/v1/houses/${pa.house_id}`);
    const bv = await got(url, s.shequ, `/api/v1/buildings/${house.building_id}/history`);
    assert.deepEqual(bv.items.map((v) => [v.version, v.action, v.after.name]), [[1, 'import', `导入楼${T}`]]);
    assert.equal(house.label, `导入楼${T}1单元101`);
    const [pc] = await lookup(c.id);
    assert.equal(pc.residency, 'floating');
    assert.deepEqual(pc.tags, ['veteran']);
    assert.notEqual(pc.house_id, pa.house_id);
    assert.equal(pc.household_id, null);
    const rec = await got(url, s.shequ, `/api/v1/imports/${res.json.id}`);
    assert.equal(rec.status, 'done');
    assert.equal(rec.created, 3);
  });

  test('CSV with English headers (no BOM, LF line ends)', async () => {
    const [, , , d, e] = f.people;
    const text = [EN.join(','), [d.name, d.id, d.phone, G, '', '', '', '', '', 'registered', 'elderly_alone'].join(','), [e.name, e.id.toLowerCase(), '', G, '', '', '', '', '', 'floating', ''].join(',')].join('\n');
    const res = await imp(text);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.json.rows, res.json.created, res.json.failed], [2, 2, 0]);
    const [pd] = await lookup(d.id);
    assert.deepEqual(pd.tags, ['elderly_alone']);
    assert.equal(pd.house_id, null);
    assert.equal((await lookup(e.id))[0].residency, 'floating');
  });

  test('dry_run=true reports counts but writes nothing', async () => {
    const p = { name: `预演${T}`, id: idNumber(), phone: phone() };
    const text = csv([ZH, zhRow(p, { 楼栋: `预演楼${T}`, 户号: '' }), zhRow(f.people[0])]);
    const before = await count();
    const housesBefore = (await all(url, `/api/v1/houses?region=${G}`, s.shequ)).length;
    const res = await imp(text, '?dry_run=true');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.dry_run, true);
    assert.deepEqual([res.json.rows, res.json.created, res.json.updated, res.json.failed], [2, 1, 1, 0]);
    assert.equal(await count(), before, 'no resident written');
    assert.deepEqual(await lookup(p.id), []);
    assert.equal((await all(url, `/api/v1/houses?region=${G}`, s.shequ)).length, housesBefore, 'no house written');
    assert.equal((await got(url, s.shequ, `/api/v1/imports/${res.json.id}`)).status, 'dry_run');
    // a dry run with an error reports it, still writing nothing
    const bad = await imp(csv([ZH, zhRow({ ...p, id: wrongCheck(p.id) })]), '?dry_run=true');
    assert.equal(bad.status, 200, bad.text); // a dry run always reports
    assert.equal(bad.json.errors[0].code, 'checksum');
    assert.equal(await count(), before);
    assertProblem(await imp(text, '?dry_run=maybe'), 400);
    assertProblem(await imp(text, '?mode=some'), 400);
  });

  test('all_or_nothing with one bad row → 422 row report, nothing written, errors.csv', async () => {
    const good1 = { name: `整批一${T}`, id: idNumber(), phone: phone() };
    const good2 = { name: `整批二${T}`, id: idNumber(), phone: phone() };
    const badP = { name: `整批坏${T}`, id: wrongCheck(idNumber()), phone: phone() };
    // line 1 header, 2 good, 3 blank, 4 bad, 5 good
    const lines = csv([ZH, zhRow(good1, { 户号: '' })]) + '\r\n' + csv([zhRow(badP, { 户号: '' }), zhRow(good2, { 户号: '' })]);
    f.mixed = lines;
    f.mixedPeople = [good1, good2, badP];
    const before = await count();
    const res = await imp(lines);
    assertProblem(res, 422);
    assert.deepEqual(
      res.json.errors.map((e) => ({ row: e.row, column: e.column, field: e.field, code: e.code })),
      [{ row: 4, column: '身份证号', field: 'id_number', code: 'checksum' }],
    );
    assert.equal(typeof res.json.errors[0].message, 'string');
    assert.equal(typeof res.json.import_id, 'number');
    assert.equal(await count(), before, 'nothing written');
    assert.deepEqual(await lookup(good1.id), []);
    const rec = await got(url, s.shequ, `/api/v1/imports/${res.json.import_id}`);
    assert.equal(rec.status, 'rejected');
    assert.deepEqual([rec.rows, rec.created, rec.failed], [3, 0, 1]);
    const report = await call(url, 'GET', `/api/v1/imports/${res.json.import_id}/errors.csv`, s.shequ);
    assert.equal(report.status, 200);
    assert.match(report.headers.get('content-type'), /^text\/csv/);
    const rows = parseCsv(report.text);
    assert.deepEqual(rows[0].slice(0, 4), ['行号', '列', '字段', '错误代码']);
    assert.equal(rows.length, 2, report.text);
    assert.deepEqual(rows[1].slice(0, 4), ['4', '身份证号', 'id_number', 'checksum']);
    // the report is the importer's own
    assertProblem(await call(url, 'GET', `/api/v1/imports/${res.json.import_id}/errors.csv`, s.wangge), 404);
    assert.equal((await call(url, 'GET', `/api/v1/imports/${res.json.import_id}/errors.csv`, s.admin)).status, 200);
    const mine = await got(url, s.shequ, '/api/v1/imports?limit=200');
    assert.ok(mine.items.some((i) => i.id === res.json.import_id));
    const theirs = await got(url, s.wangge, '/api/v1/imports?limit=200');
    assert.ok(!theirs.items.some((i) => i.id === res.json.import_id));
    assertProblem(await call(url, 'GET', '/api/v1/imports/999999/errors.csv', s.shequ), 404);
  });

  test('several errors in a row and across rows, each with its column', async () => {
    const p = { name: '', id: '12345', phone: '12' };
    const text = csv([ZH, zhRow(p, { 户号: '' }), zhRow({ name: `区外${T}`, id: idNumber(), phone: phone() }, { 网格代码: '999901002001001', 户号: '' })]);
    const res = await imp(text);
    assertProblem(res, 422);
    const got2 = res.json.errors.map((e) => [e.row, e.column, e.code]);
    assert.ok(got2.some(([r, c, code]) => r === 2 && c === '身份证号' && code === 'length'), JSON.stringify(got2));
    assert.ok(got2.some(([r, c]) => r === 2 && c === '联系电话'), JSON.stringify(got2));
    assert.ok(got2.some(([r, c]) => r === 2 && c === '姓名'), JSON.stringify(got2));
    assert.ok(got2.some(([r, c, code]) => r === 3 && c === '网格代码' && code === 'scope'), JSON.stringify(got2));
  });

  test('mode=partial writes the good rows only', async () => {
    const [good1, good2, badP] = f.mixedPeople;
    const before = await count();
    const res = await imp(f.mixed, '?mode=partial');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.json.rows, res.json.created, res.json.failed, res.json.mode], [3, 2, 1, 'partial']);
    assert.equal(res.json.errors[0].row, 4);
    assert.match(res.json.error_report, new RegExp(`/api/v1/imports/${res.json.id}/errors.csv$`));
    assert.equal(await count(), before + 2);
    assert.equal((await lookup(good1.id)).length, 1);
    assert.equal((await lookup(good2.id)).length, 1);
    assert.equal((await got(url, s.shequ, `/api/v1/residents?q=${encodeURIComponent(badP.name)}`)).items.length, 0);
  });

  test('re-importing the same file updates instead of duplicating', async () => {
    const before = await count();
    const res = await imp(f.zhCsv);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.json.rows, res.json.created, res.json.updated, res.json.failed], [3, 0, 3, 0]);
    assert.equal(await count(), before);
    // a changed name comes through as an update with a version
    const [a] = f.people;
    const text = csv([ZH, zhRow({ ...a, name: `改名${T}` }, { 标签: '独居老人、低保' })]);
    const r2 = await imp(text);
    assert.deepEqual([r2.json.created, r2.json.updated], [0, 1]);
    const [pa] = await lookup(a.id);
    assert.equal(pa.name, `改名${T}`);
    const h = await got(url, s.shequ, `/api/v1/residents/${pa.id}/history`);
    assert.equal(h.items.at(-1).action, 'import');
    assert.deepEqual(h.items.at(-1).before, h.items.at(-2).after);
    // an import keeps no copy of what it wrote: the history reads it back, from the next
    // version or from the record as it stands
    assert.ok(h.items.every((v) => v.after && v.after.id === pa.id), JSON.stringify(h.items));
    assert.equal(h.items.at(-1).after.name, `改名${T}`);
    assert.notEqual(h.items.at(-2).after.name, `改名${T}`);
    assert.equal((await all(url, `/api/v1/houses?region=${G}`, s.shequ)).filter((x) => x.building === `导入楼${T}`).length, 1, 'no duplicate house');
  });

  test('masked values cannot be imported (code "masked")', async () => {
    const p = { name: `脱敏${T}`, id: '999***********0023', phone: phone() };
    const res = await imp(csv([ZH, zhRow(p, { 户号: '' })]));
    assertProblem(res, 422);
    assert.deepEqual(res.json.errors.map((e) => [e.row, e.field, e.code, e.column]), [[2, 'id_number', 'masked', '身份证号']]);
    const q = { name: `脱敏电话${T}`, id: idNumber(), phone: '138****5678' };
    const r2 = await imp(csv([ZH, zhRow(q, { 户号: '' })]));
    assertProblem(r2, 422);
    assert.deepEqual(r2.json.errors.map((e) => [e.field, e.code]), [['phone', 'masked']]);
    // a masked export comes back refused row by row
    const exp = await call(url, 'GET', `/api/v1/residents/export?region=${G}`, s.shequ);
    assert.equal(exp.status, 200);
    const back = await imp(exp.text);
    assertProblem(back, 422);
    assert.ok(back.json.errors.length > 0 && back.json.errors.every((e) => e.code === 'masked'), JSON.stringify(back.json.errors.slice(0, 3)));
  });

  test('garbage files and headers without required columns → 422 field "file"; bad requests → 400/415', async () => {
    const bin = Buffer.from([0x00, 0x01, 0xff, 0x10, 0x00, 0x7f, 0x80, 0x81]);
    const g1 = await imp(bin, '', s.shequ, 'residents', 'application/octet-stream');
    assertProblem(g1, 422);
    assert.equal(g1.json.errors[0].field, 'file');
    const zipJunk = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 0x41)]);
    const g2 = await imp(zipJunk, '', s.shequ, 'residents', XLSX_TYPE);
    assertProblem(g2, 422);
    assert.equal(g2.json.errors[0].field, 'file');
    const g3 = await imp('this is not a spreadsheet', '?format=xlsx', s.shequ, 'residents', XLSX_TYPE);
    assertProblem(g3, 422, 'text as xlsx');
    for (const text of ['foo,bar\r\n1,2\r\n', '身份证号,联系电话\r\n123,456\r\n', '姓名\r\n张三\r\n', '']) {
      const r = await imp(text || ' ');
      assertProblem(r, [400, 422], JSON.stringify(text));
      if (r.status === 422) assert.equal(r.json.errors[0].field, 'file');
    }
    assertProblem(await upload(url, s.shequ, '/api/v1/residents/import', '', 'text/csv'), [400, 422], 'empty body');
    const uq = await imp('姓名,网格代码\r\n"未闭合,' + G + '\r\n');
    assert.equal(uq.status, 422, 'unclosed quote refused');
    assert.equal(uq.json.errors[0].code, 'csv');
    assertProblem(await imp(f.zhCsv, '', s.shequ, 'residents', 'application/json'), 415);
    assertProblem(await imp(f.zhCsv, '?format=pdf'), 400);
    assertProblem(await imp(f.zhCsv, '', s.loudong), 403, 'building leader');
    const none = await imp(f.zhCsv, '?mode=partial', s.wangge);
    assert.equal(none.status, 200, 'wangge may import, but rows of other grids fail');
    assert.equal(none.json.failed, 3);
    assert.ok(none.json.errors.every((e) => e.code === 'scope' || e.code === 'duplicate'), JSON.stringify(none.json.errors));
  });

  test('an unclosed quote is reported on its own line with a field', async () => {
    const res = await imp('姓名,网格代码\r\n"未闭合,' + G + '\r\n');
    assertProblem(res, 422);
    assert.equal(res.json.errors[0].row, 2, JSON.stringify(res.json.errors));
  });

  test('houses import: create, update, bad use; history before = previous after', async () => {
    const H = ['网格代码', '楼栋', '单元', '房号', '房屋用途', '面积'];
    const b = `房屋导入楼${T}`;
    const r1 = await imp(csv([H, [G, b, '1单元', '301', '出租', '60.5'], [G, b, '1单元', '302', '群租', '']]), '', s.shequ, 'houses');
    assert.equal(r1.status, 200, r1.text);
    assert.deepEqual([r1.json.rows, r1.json.created, r1.json.updated], [2, 2, 0]);
    const hs = (await all(url, `/api/v1/houses?region=${G}`, s.shequ)).filter((h) => h.building === b);
    assert.deepEqual(hs.map((h) => [h.room, h.use, h.area]).sort(), [['301', 'rented', 60.5], ['302', 'group_rental', null]]);
    const r2 = await imp(csv([H, [G, b, '1单元', '302', '空置', '']]), '', s.shequ, 'houses');
    assert.deepEqual([r2.json.created, r2.json.updated], [0, 1]);
    const h302 = hs.find((h) => h.room === '302');
    assert.equal((await got(url, s.shequ, `/api/v1/houses/${h302.id}`)).use, 'empty');
    const bad = await imp(csv([H, [G, b, '1单元', '303', '城堡', ''], [G, b, '1单元', '304', '自住', '-5']]), '', s.shequ, 'houses');
    assertProblem(bad, 422);
    assert.deepEqual(bad.json.errors.map((e) => [e.row, e.field, e.code, e.column]), [[2, 'use', 'enum', '房屋用途'], [3, 'area', 'range', '面积']]);
    const exp = await call(url, 'GET', `/api/v1/houses/export?region=${G}`, s.shequ);
    assert.ok(exp.text.includes(`${b},1单元,301,出租,60.5`), exp.text.slice(0, 600));
    const hist = await got(url, s.shequ, `/api/v1/houses/${h302.id}/history`);
    assert.equal(hist.items.at(-1).after.use, 'empty');
    assert.equal(hist.items.at(-1).action, 'import');
  });

  test('houses import: one version per change, before = previous after', async () => {
    const H = ['网格代码', '楼栋', '单元', '房号', '房屋用途'];
    const b = `房屋版本楼${T}`;
    assert.equal((await imp(csv([H, [G, b, '', '1', '群租']]), '', s.shequ, 'houses')).status, 200);
    assert.equal((await imp(csv([H, [G, b, '', '1', '出租']]), '', s.shequ, 'houses')).status, 200);
    const h = (await all(url, `/api/v1/houses?region=${G}`, s.shequ)).find((x) => x.building === b);
    const hist = await got(url, s.shequ, `/api/v1/houses/${h.id}/history`);
    const v = hist.items;
    assert.equal(v[0].before, null);
    for (let i = 1; i < v.length; i++) {
      assert.notEqual(v[i].before, null, `v${i + 1} has a before: ${JSON.stringify(v.map((x) => [x.version, x.before?.use ?? null, x.after.use]))}`);
      assert.deepEqual(v[i].before, v[i - 1].after, `before of v${i + 1} = after of v${i}`);
    }
    assert.deepEqual(v.map((x) => x.after.use), ['group_rental', 'rented'], 'one version per import');
  });

  test('organisations import: create, update by credit code, bad code with its column', async () => {
    const H = ['名称', '统一社会信用代码', '类型', '网格代码', '联系电话', '从业人数'];
    const c1 = uscc(),
      c2 = uscc();
    const r1 = await imp(csv([H, [`导入企业一${T}`, c1, '企业', G, '13811110000', '12'], [`导入个体${T}`, c2, '个体工商户', G, '', '']]), '', s.shequ, 'organisations');
    assert.equal(r1.status, 200, r1.text);
    assert.deepEqual([r1.json.created, r1.json.updated], [2, 0]);
    const r2 = await imp(csv([H, [`导入企业一改${T}`, c1, 'enterprise', G, '', '15']]), '', s.shequ, 'organisations');
    assert.deepEqual([r2.json.created, r2.json.updated], [0, 1]);
    const orgs = await all(url, `/api/v1/organisations?region=${G}`, s.shequ);
    const o1 = orgs.find((o) => o.uscc === c1);
    assert.equal(o1.name, `导入企业一改${T}`);
    assert.equal(o1.employees, 15);
    assert.equal(orgs.filter((o) => o.uscc === c1).length, 1);
    const badCode = c1.slice(0, 17) + (usccCheck(c1.slice(0, 17)) === '0' ? '1' : '0');
    const r3 = await imp(csv([H, [`坏码${T}`, badCode, '企业', G, '', ''], [`坏类${T}`, '', '工厂', G, '', '']]), '', s.shequ, 'organisations');
    assertProblem(r3, 422);
    assert.deepEqual(r3.json.errors.map((e) => [e.row, e.field, e.code, e.column]), [[2, 'uscc', 'checksum', '统一社会信用代码'], [3, 'kind', 'enum', '类型']]);
    const exp = await call(url, 'GET', `/api/v1/organisations/export?region=${G}`, s.shequ);
    assert.ok(exp.text.includes(c1), 'credit code exported');
    assert.ok(exp.text.includes('138****0000'), 'org phone exported masked');
    assert.ok(!exp.text.includes('13811110000'), 'org phone masked in export');
  });

  test('export respects scope and masking; reveal only for managers, audited', async () => {
    const other = await makeResident(url, s.shequ, { name: `二格${T}`, region_code: GRID2 });
    const w = await call(url, 'GET', '/api/v1/residents/export', s.wangge);
    assert.equal(w.status, 200);
    assert.match(w.headers.get('content-type'), /^text\/csv/);
    const rows = parseCsv(w.text);
    const gi = rows[0].indexOf('网格代码');
    const ii = rows[0].indexOf('身份证号');
    assert.ok(gi >= 0 && ii >= 0, rows[0].join(','));
    assert.ok(rows.length > 1);
    assert.deepEqual([...new Set(rows.slice(1).map((r) => r[gi]))], [GRID1], 'only grid 1');
    assert.ok(!w.text.includes(`二格${T}`));
    assert.ok(rows.slice(1).every((r) => !r[ii] || r[ii].includes('*')), 'IDs masked');
    assertProblem(await call(url, 'GET', '/api/v1/residents/export?reveal=true', s.wangge), 403, 'wangge reveal');
    assertProblem(await call(url, 'GET', '/api/v1/residents/export?reveal=true', s.loudong), 403, 'loudong reveal');
    assertProblem(await call(url, 'GET', '/api/v1/residents/export?format=pdf', s.shequ), 400);
    const masked = await call(url, 'GET', `/api/v1/residents/export?region=${G}`, s.shequ);
    for (const p of f.people.slice(0, 3)) {
      assert.ok(!masked.text.includes(p.id), 'no full ID without reveal');
      assert.ok(masked.text.includes(maskId(p.id)));
    }
    const auditBefore = (await auditEntries(url, s.admin)).filter((e) => e.action === 'resident.export').length;
    const full = await call(url, 'GET', `/api/v1/residents/export?region=${G}&reveal=true`, s.shequ);
    assert.equal(full.status, 200);
    for (const p of f.people.slice(0, 3)) assert.ok(full.text.includes(p.id), `full ID of ${p.name}`);
    assert.ok(!full.text.includes(`二格${T}`));
    const entries = (await auditEntries(url, s.admin)).filter((e) => e.action === 'resident.export');
    assert.equal(entries.length, auditBefore + 1);
    assert.equal(entries[0].username, 'shequ');
    assert.match(entries[0].detail || '', /reveal=1/);
    assert.equal(entries[0].object, `region:${G}`);
    // jiedao's export reaches the other grid
    const j = await call(url, 'GET', `/api/v1/residents/export?region=${GRID2}`, s.jiedao);
    assert.ok(j.text.includes(`二格${T}`));
    assert.ok(j.text.includes(maskId(other.clear_id)));
  });

  test('a duplicate ID number or credit code answers the same wherever the record lives (no scope oracle)', async () => {
    // wangge (grid 1) names people and businesses registered in grid 2 (same community) and in
    // another street; the answer never says whether, or where, outside his scope they are
    const g2 = { name: `邻格${T}`, id: idNumber(), phone: phone() };
    const far = { name: `远街${T}`, id: idNumber(), phone: phone() };
    await makeResident(url, s.shequ, { name: g2.name, id_number: g2.id, region_code: GRID2 });
    const farGrid = `${STREET2}001001`;
    const admin = s.admin;
    const farRegion = await call(url, 'GET', `/api/v1/regions/${farGrid}`, admin);
    assert.equal(farRegion.status, 200, 'the demo has a grid in street 2');
    await makeResident(url, admin, { name: far.name, id_number: far.id, region_code: farGrid });
    const row = (p) => zhRow(p, { 网格代码: GRID1, 楼栋: '', 房号: '', 户号: '', 与户主关系: '' });
    const answers = [];
    for (const q of ['?dry_run=true', '?mode=partial']) {
      const res = await imp(csv([ZH, row(g2), row(far)]), q, s.wangge);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual([res.json.created, res.json.failed], [0, 2], q);
      const [a, b] = res.json.errors;
      assert.deepEqual([a.row, b.row], [2, 3]);
      const strip = (e) => ({ column: e.column, field: e.field, code: e.code, message: e.message });
      assert.deepEqual(strip(a), strip(b), 'the same answer for grid 2 and for another street');
      answers.push(strip(a));
    }
    assert.deepEqual(answers[0], answers[1], 'dry run and real import alike');
    // …and the same as POST /residents answers any duplicate
    const dup = await call(url, 'POST', '/api/v1/residents', { ...s.shequ, body: { name: 'x', id_number: f.people[0].id, region_code: G, residency: 'registered' } });
    assertProblem(dup, 409);
    assert.deepEqual([answers[0].field, answers[0].code, answers[0].message], ['id_number', 'duplicate', dup.json.detail]);
    assert.ok(!/管辖|范围|scope/.test(answers[0].message), answers[0].message);
    // organisations: a credit code registered in grid 2 or in another street
    const H = ['名称', '统一社会信用代码', '类型', '网格代码'];
    const c2 = uscc(),
      cf = uscc();
    await created(url, s.shequ, '/api/v1/organisations', { name: `邻格企业${T}`, uscc: c2, kind: 'enterprise', region_code: GRID2 });
    await created(url, admin, '/api/v1/organisations', { name: `远街企业${T}`, uscc: cf, kind: 'enterprise', region_code: farGrid });
    const o = await imp(csv([H, [`甲${T}`, c2, '企业', GRID1], [`乙${T}`, cf, '企业', GRID1]]), '?dry_run=true', s.wangge, 'organisations');
    assert.equal(o.status, 200, o.text);
    const [oa, ob] = o.json.errors;
    assert.deepEqual([oa.field, oa.code, oa.message], [ob.field, ob.code, ob.message]);
    const odup = await call(url, 'POST', '/api/v1/organisations', { ...s.shequ, body: { name: 'x', uscc: c2, kind: 'enterprise', region_code: G } });
    assertProblem(odup, 409);
    assert.deepEqual([oa.field, oa.code, oa.message], ['uscc', 'duplicate', odup.json.detail]);
  });

  test('export → re-import by a manager keeps special-care tags; only their own column changes them', async () => {
    const care = { name: `矫正${T}`, id: idNumber(), phone: phone() };
    const only = { name: `青少年${T}`, id: idNumber(), phone: phone() };
    await makeResident(url, s.shequ, { name: care.name, id_number: care.id, region_code: G, tags: ['elderly_alone', 'community_correction'] });
    await makeResident(url, s.shequ, { name: only.name, id_number: only.id, region_code: G, tags: ['key_youth'] });
    const tagsOf = async (p) => [...(await lookup(p.id))[0].tags].sort();
    assert.deepEqual(await tagsOf(care), ['community_correction', 'elderly_alone']);
    // the masked export carries no special-care column; the full one does, for managers
    const masked = parseCsv((await call(url, 'GET', `/api/v1/residents/export?region=${G}`, s.shequ)).text);
    assert.ok(!masked[0].includes('特殊人群标签'), masked[0].join(','));
    assert.ok(!masked.some((r) => r.includes('社区矫正人员')), 'no special-care tag in a masked export');
    const full = await call(url, 'GET', `/api/v1/residents/export?region=${G}&reveal=true`, s.shequ);
    assert.equal(full.status, 200);
    const rows = parseCsv(full.text);
    const ci = rows[0].indexOf('特殊人群标签');
    const ti = rows[0].indexOf('标签');
    const ii = rows[0].indexOf('身份证号');
    assert.ok(ci >= 0 && ti >= 0, rows[0].join(','));
    const careRow = rows.find((r) => r[ii] === care.id);
    assert.deepEqual([careRow[ti], careRow[ci]], ['独居老人', '社区矫正人员']);
    assert.equal(rows.find((r) => r[ii] === only.id)[ci], '重点青少年');
    const mine = rows.filter((r, i) => i === 0 || r[ii] === care.id || r[ii] === only.id);
    // 1. the full export re-imported as it is changes nothing
    const back = await imp(csv(mine));
    assert.equal(back.status, 200, back.text);
    assert.deepEqual([back.json.updated, back.json.failed], [2, 0]);
    assert.deepEqual(await tagsOf(care), ['community_correction', 'elderly_alone']);
    assert.deepEqual(await tagsOf(only), ['key_youth']);
    // 2. a file without the special-care column (a masked export's shape) changes the
    //    ordinary tags only: the special-care ones stay
    const noCare = mine.map((r) => r.filter((_, i) => i !== ci));
    noCare[1][noCare[0].indexOf('标签')] = '低保';
    noCare[2][noCare[0].indexOf('标签')] = '低保';
    const r2 = await imp(csv(noCare));
    assert.equal(r2.status, 200, r2.text);
    assert.deepEqual(await tagsOf(care), ['community_correction', 'low_income']);
    assert.deepEqual(await tagsOf(only), ['key_youth', 'low_income']);
    // 3. the special-care column changes them: emptied, or replaced
    const edited = mine.map((r) => [...r]);
    edited.find((r) => r[ii] === care.id)[ci] = '';
    edited.find((r) => r[ii] === only.id)[ci] = '重点信访人员';
    const r3 = await imp(csv(edited));
    assert.equal(r3.status, 200, r3.text);
    assert.deepEqual(await tagsOf(care), ['elderly_alone']);
    assert.deepEqual(await tagsOf(only), ['key_petitioner', 'low_income'], 'an empty 标签 cell keeps the ordinary tags');
    // 4. an ordinary tag in the special-care column is refused, with its column
    const wrong = mine.map((r) => [...r]);
    wrong.find((r) => r[ii] === care.id)[ci] = '低保';
    const r4 = await imp(csv(wrong));
    assertProblem(r4, 422);
    assert.deepEqual(r4.json.errors.map((e) => [e.field, e.code, e.column]), [['care_tags', 'enum', '特殊人群标签']]);
  });

  test('a grid worker\'s file never touches special-care tags; naming one is refused', async () => {
    const p = { name: `网格员改${T}`, id: idNumber(), phone: phone() };
    await makeResident(url, s.shequ, { name: p.name, id_number: p.id, region_code: GRID1, tags: ['mental_disorder'] });
    const hdr = ['姓名', '身份证号', '网格代码', '标签', '特殊人群标签'];
    const ok = await imp(csv([hdr, [p.name, p.id, GRID1, '志愿者', '']]), '', s.wangge);
    assert.equal(ok.status, 200, ok.text);
    const tags = async () => [...(await lookup(p.id))[0].tags].sort();
    assert.deepEqual(await tags(), ['mental_disorder', 'volunteer'], 'an empty column from a grid worker changes nothing');
    const no = await imp(csv([hdr, [p.name, p.id, GRID1, '', '社区戒毒康复人员']]), '', s.wangge);
    assertProblem(no, 422);
    assert.equal(no.json.errors[0].code, 'forbidden');
    assert.deepEqual(await tags(), ['mental_disorder', 'volunteer']);
  });

  test('CSV exports neutralise formulas, a leading TAB or CR included (OWASP CSV injection)', async () => {
    const b = `公式楼${T}`;
    const building = await created(url, s.shequ, '/api/v1/buildings', { region_code: G, name: b });
    const risky = ['\t=1+2', '\r=cmd|calc', '=HYPERLINK("http://x")', '+86', '@SUM(A1)', '-1'];
    for (let i = 0; i < risky.length; i++) {
      await created(url, s.shequ, '/api/v1/houses', { building_id: building.id, room: `${i + 1}`, address: risky[i], note: `安全${i}` });
    }
    const exp = await call(url, 'GET', `/api/v1/houses/export?region=${G}`, s.shequ);
    assert.equal(exp.status, 200);
    const rows = parseCsv(exp.text);
    const ai = rows[0].indexOf('地址');
    const bi = rows[0].indexOf('楼栋');
    const mine = rows.filter((r) => r[bi] === b);
    assert.equal(mine.length, risky.length);
    for (const r of mine) {
      const want = risky[Number(r[rows[0].indexOf('房号')]) - 1];
      assert.equal(r[ai], `'${want}`, `address ${JSON.stringify(want)} is guarded`);
    }
    // re-imported, the guard comes off again: the value is what was exported
    const hyper = mine.find((r) => r[ai] === `'=HYPERLINK("http://x")`);
    const back = await imp(csv([rows[0], hyper]), '', s.shequ, 'houses');
    assert.equal(back.status, 200, back.text);
    const h = (await all(url, `/api/v1/houses?region=${G}`, s.shequ)).find((x) => x.building === b && x.address && x.address.startsWith('=HYPERLINK'));
    assert.equal(h.address, '=HYPERLINK("http://x")', 'no stray quote after the round trip');
  });

  test('export reveal: managers only (403 otherwise, audited), strict flag, audit names kind, region and rows', async () => {
    for (const v of ['1', 'yes', 'TRUE', '']) {
      assertProblem(await call(url, 'GET', `/api/v1/residents/export?region=${G}&reveal=${v}`, s.shequ), 400, `reveal=${v}`);
    }
    assertProblem(await call(url, 'GET', `/api/v1/organisations/export?reveal=1`, s.shequ), 400);
    // a supervisor reads base data (masked export) but may not export in clear
    assert.equal((await call(url, 'GET', `/api/v1/residents/export?region=${GRID1}`, s.dudao)).status, 200);
    assertProblem(await call(url, 'GET', `/api/v1/residents/export?region=${GRID1}&reveal=true`, s.dudao), 403, 'supervisor');
    assertProblem(await call(url, 'GET', `/api/v1/residents/export?region=${GRID1}&reveal=true`, s.wangge), 403, 'grid worker');
    const entries = await auditEntries(url, s.admin);
    const refused = entries.filter((e) => e.action === 'resident.export' && e.result === 403);
    assert.ok(refused.some((e) => e.username === 'wangge' && /reveal=1/.test(e.detail)), JSON.stringify(refused.slice(0, 3)));
    assert.ok(refused.some((e) => e.username === 'dudao'));
    const full = await call(url, 'GET', `/api/v1/residents/export?region=${G}&reveal=true`, s.shequ);
    const n = parseCsv(full.text).length - 1;
    const e = (await auditEntries(url, s.admin)).find((x) => x.action === 'resident.export' && x.username === 'shequ');
    assert.equal(e.object, `region:${G}`);
    assert.equal(e.result, 200);
    assert.match(e.detail, new RegExp(`kind=residents rows=${n} reveal=1`));
  });

  test('error-report downloads are audited; import ids are parsed strictly', async () => {
    const res = await imp(csv([ZH, zhRow({ name: `审计${T}`, id: wrongCheck(idNumber()), phone: phone() }, { 户号: '' })]), '?dry_run=true');
    assert.equal(res.status, 200);
    const id = res.json.id;
    assert.equal((await call(url, 'GET', `/api/v1/imports/${id}/errors.csv`, s.shequ)).status, 200);
    assertProblem(await call(url, 'GET', `/api/v1/imports/${id}/errors.csv`, s.wangge), 404, 'not his');
    const entries = (await auditEntries(url, s.admin)).filter((e) => e.action === 'import.errors' && e.object === `import:${id}`);
    assert.ok(entries.some((e) => e.username === 'shequ' && e.result === 200), JSON.stringify(entries));
    assert.ok(entries.some((e) => e.username === 'wangge' && e.result === 404), 'a refused download is audited too');
    for (const p of [`/api/v1/imports/${id}abc`, `/api/v1/imports/0${id}x/errors.csv`, '/api/v1/imports/-1']) {
      assertProblem(await call(url, 'GET', p, s.shequ), 404, p);
    }
  });

  test('jiceng import writes its error report 0600; jiceng export audits kind and rows', async () => {
    const file = `${srv.dir}/cli-import.csv`;
    const report = `${srv.dir}/cli-errors.csv`;
    fs.writeFileSync(file, csv([ZH, zhRow({ name: `命令行${T}`, id: wrongCheck(idNumber()), phone: phone() }, { 户号: '' })]));
    const r = runCli(['import', '--db', srv.db, '--kind', 'residents', file, '--dry-run', '--errors', report]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(fs.statSync(report).mode & 0o777, 0o600, 'the report is the owner\'s only');
    assert.match(fs.readFileSync(report, 'utf8'), /checksum/);
    const out = `${srv.dir}/cli-houses.csv`;
    const e = runCli(['export', '--db', srv.db, '--kind', 'houses', '--out', out, '--region', G]);
    assert.equal(e.status, 0, e.stderr);
    const n = parseCsv(fs.readFileSync(out, 'utf8')).length - 1;
    const entry = (await auditEntries(url, s.admin)).find((x) => x.action === 'house.export' && x.username === 'cli');
    assert.ok(entry, 'the export is audited');
    assert.match(entry.detail, new RegExp(`kind=houses rows=${n} reveal=0`));
  });

  test('XLSX: a revealed export imports into a fresh server, and re-imports as updates', async () => {
    const x = await download(url, s.shequ, `/api/v1/residents/export?region=${G}&format=xlsx&reveal=true`);
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('content-type'), XLSX_TYPE);
    assert.equal(x.buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    const n = await count();
    // into this server: every row is an update
    const again = await imp(x.buf, '', s.shequ, 'residents', XLSX_TYPE);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.json.format, again.json.rows, again.json.created, again.json.updated, again.json.failed], ['xlsx', n, 0, n, 0]);
    assert.equal(await count(), n);
    // into a fresh server with the same grid: every row is created, with the same values
    const srv2 = await startServer();
    try {
      const admin2 = await signInDemo(srv2.url, 'admin');
      const shequ2 = await signInDemo(srv2.url, 'shequ');
      await makeGrid(srv2.url, admin2, G, `导入测试网格${T}`);
      const res = await upload(srv2.url, shequ2, '/api/v1/residents/import', x.buf, XLSX_TYPE);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual([res.json.rows, res.json.created, res.json.failed], [n, n, 0]);
      for (const p of f.people.slice(0, 3)) {
        const mine = (await lookup(p.id))[0];
        const theirs = (await got(srv2.url, shequ2, `/api/v1/residents?id_number=${p.id}&reveal=true`)).items[0];
        assert.ok(theirs, `${p.name} arrived`);
        for (const k of ['name', 'id_number', 'phone', 'birth_date', 'gender', 'residency', 'relation', 'region_code', 'status']) {
          assert.equal(theirs[k], mine[k], `${p.name}.${k}`);
        }
        assert.deepEqual([...theirs.tags].sort(), [...mine.tags].sort());
      }
      // a dry run of the same workbook on the second server now reports updates only
      const dry = await upload(srv2.url, shequ2, '/api/v1/residents/import?dry_run=true', x.buf, XLSX_TYPE);
      assert.deepEqual([dry.json.created, dry.json.updated], [0, n]);
    } finally {
      await srv2.stop();
    }
  });

  test('a district export is built on disk and sent from the file: sized, complete, nothing left behind', async () => {
    const spool = makeTempDir('jiceng-spool-');
    // (a tool running the server, such as valgrind, may keep files of its own there)
    const ours = () => fs.readdirSync(spool).filter((n) => n.startsWith('jiceng'));
    const srv3 = await startServer({ env: { TMPDIR: spool } });
    try {
      const admin = await signInDemo(srv3.url, 'admin');
      for (const [kind, q] of [['residents', ''], ['residents', '&format=xlsx'], ['houses', ''], ['organisations', '&format=xlsx']]) {
        const a = await download(srv3.url, admin, `/api/v1/${kind}/export?region=999901${q}`);
        assert.equal(a.status, 200, `${kind}${q}`);
        assert.equal(Number(a.headers.get('content-length')), a.buf.length, 'sent with its size');
        if (q) assert.equal(a.buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
        else {
          assert.equal(a.buf.subarray(0, 3).toString('latin1'), '\xEF\xBB\xBF', 'BOM');
          const lines = a.buf.toString('utf8').trimEnd().split('\r\n').length;
          const b = await download(srv3.url, admin, `/api/v1/${kind}/export?region=999901${q}`);
          assert.ok(b.buf.equals(a.buf), 'the same bytes twice');
          // the demo district has thousands of each: several spool chunks
          assert.ok(lines > 250, `${kind}: ${lines} lines`);
        }
        assert.deepEqual(ours(), [], 'the temporary file has no name left');
      }
      const t = await download(srv3.url, admin, '/api/v1/residents/import-template?format=xlsx');
      assert.equal(t.status, 200);
      assert.equal(Number(t.headers.get('content-length')), t.buf.length);
      assertProblem(await call(srv3.url, 'GET', '/api/v1/residents/import-template?format=ods', admin), 400);
      assert.deepEqual(ours(), []);
    } finally {
      await srv3.stop();
      fs.rmSync(spool, { recursive: true, force: true });
    }
  });
});
