// Announcements (社区资讯): staff publish by region with a publish date; residents see those of
// their grid, community and the regions above that are published (not a later one, not another
// community's); opening one records the read once and staff see the count; scope of staff.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMM1, DISTRICT, GRID1, GRID2, STREET1, STREET2, api, assertProblem, signInDemo, startServer } from './harness.mjs';
import { createUser } from './cases-lib.mjs';

const later = (hours) => new Date(Date.now() + hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

describe('announcements', { timeout: 180_000 }, () => {
  let srv, url;
  const s = {};
  const a = {};
  const call = (who, method, p, body) => api(url, method, p, { ...s[who], ...(body !== undefined ? { body } : {}) });
  const must = async (who, method, p, body, status = 201) => {
    const res = await call(who, method, p, body);
    assert.equal(res.status, status, `${who} ${method} ${p} ${JSON.stringify(body)}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
  };
  const publish = (who, region_code, title, extra = {}) =>
    must(who, 'POST', '/api/v1/announcements', { region_code, title, body: `${title}的正文`, ...extra });
  const titles = (items) => items.map((x) => x.title);

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['admin', 'zhihui', 'jiedao', 'shequ', 'wanggezhang', 'wangge', 'jumin']) s[u] = await signInDemo(url, u);
    s.other = await createUser(url, s.admin, { username: `ann_res_${process.pid}`, role: 'resident', region: `${STREET2}001001` });
    const tag = process.pid;
    a.district = await publish('zhihui', DISTRICT, `区级资讯${tag}`);
    a.street = await publish('jiedao', STREET1, `街道资讯${tag}`);
    a.comm = await publish('shequ', COMM1, `社区资讯${tag}`);
    a.grid = await publish('wanggezhang', GRID1, `网格资讯${tag}`);
    a.grid2 = await publish('shequ', GRID2, `他网格资讯${tag}`);
    a.future = await publish('shequ', COMM1, `明日资讯${tag}`, { publish_at: later(24) });
    a.away = await publish('admin', `${STREET2}001`, `他社区资讯${tag}`);
  });
  after(async () => {
    await srv?.stop();
  });

  test('staff publish in their scope; the input is checked', async () => {
    assert.equal(a.comm.region_code, COMM1);
    assert.equal(a.comm.reads, 0);
    assert.equal(a.comm.published, true);
    assert.equal(a.future.published, false);
    assertProblem(await call('wanggezhang', 'POST', '/api/v1/announcements', { region_code: COMM1, title: 'x', body: 'y' }), 403);
    assertProblem(await call('shequ', 'POST', '/api/v1/announcements', { region_code: `${STREET2}001`, title: 'x', body: 'y' }), 403);
    assertProblem(await call('wangge', 'POST', '/api/v1/announcements', { region_code: GRID1, title: 'x', body: 'y' }), 403);
    assertProblem(await call('jumin', 'POST', '/api/v1/announcements', { region_code: GRID1, title: 'x', body: 'y' }), 403);
    assertProblem(await call('shequ', 'POST', '/api/v1/announcements', { region_code: COMM1, title: '', body: 'y' }), 422);
    assertProblem(await call('shequ', 'POST', '/api/v1/announcements', { region_code: COMM1, title: 'x', body: 'y', publish_at: 'tomorrow' }), 422);
    assertProblem(await call('shequ', 'POST', '/api/v1/announcements', { region_code: '999901001999', title: 'x', body: 'y' }), 422);
  });

  test('a resident sees those of their grid, community and above that are published, newest first', async () => {
    const list = await must('jumin', 'GET', '/api/v1/announcements?limit=200', undefined, 200);
    const mine = list.items.filter((x) => x.title.endsWith(String(process.pid)));
    assert.deepEqual(titles(mine), [a.grid.title, a.comm.title, a.street.title, a.district.title]);
    assert.ok(mine.every((x) => x.read === false && !('reads' in x)));
    assertProblem(await call('jumin', 'GET', `/api/v1/announcements/${a.future.id}`), 404);
    assertProblem(await call('jumin', 'GET', `/api/v1/announcements/${a.grid2.id}`), 404);
    assertProblem(await call('jumin', 'GET', `/api/v1/announcements/${a.away.id}`), 404);
    const other = await must('other', 'GET', '/api/v1/announcements?limit=200', undefined, 200);
    assert.deepEqual(titles(other.items.filter((x) => x.title.endsWith(String(process.pid)))), [a.away.title, a.district.title]);
  });

  test('paging: a resident walks the list one by one', async () => {
    const seen = [];
    let cursor = '';
    for (let i = 0; i < 50; i++) {
      const page = await must('jumin', 'GET', `/api/v1/announcements?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, 200);
      seen.push(...page.items.map((x) => x.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const all = await must('jumin', 'GET', '/api/v1/announcements?limit=200', undefined, 200);
    assert.deepEqual(seen, all.items.map((x) => x.id));
  });

  test('opening one records the read once; staff see the count, a staff read counts nothing', async () => {
    const got = await must('jumin', 'GET', `/api/v1/announcements/${a.comm.id}`, undefined, 200);
    assert.equal(got.body, a.comm.body);
    assert.equal(got.read, true);
    await must('jumin', 'GET', `/api/v1/announcements/${a.comm.id}`, undefined, 200);
    await must('shequ', 'GET', `/api/v1/announcements/${a.comm.id}`, undefined, 200);
    const staff = await must('shequ', 'GET', `/api/v1/announcements/${a.comm.id}`, undefined, 200);
    assert.equal(staff.reads, 1);
    const list = await must('shequ', 'GET', `/api/v1/announcements?region=${COMM1}&limit=200`, undefined, 200);
    assert.equal(list.items.find((x) => x.id === a.comm.id).reads, 1);
    const mine = await must('jumin', 'GET', '/api/v1/announcements?limit=200', undefined, 200);
    assert.equal(mine.items.find((x) => x.id === a.comm.id).read, true);
  });

  test('staff lists: their scope only; staff see a scheduled one before it is published', async () => {
    const comm = await must('shequ', 'GET', '/api/v1/announcements?limit=200', undefined, 200);
    const ids = comm.items.map((x) => x.id);
    assert.ok(ids.includes(a.future.id) && ids.includes(a.grid2.id) && ids.includes(a.comm.id));
    assert.ok(!ids.includes(a.away.id) && !ids.includes(a.district.id), 'nothing outside the community');
    const grid = await must('wangge', 'GET', '/api/v1/announcements?limit=200', undefined, 200);
    assert.deepEqual(
      grid.items.filter((x) => x.title.endsWith(String(process.pid))).map((x) => x.id),
      [a.grid.id],
    );
    assertProblem(await call('wangge', 'GET', `/api/v1/announcements/${a.grid2.id}`), 404);
  });
});
