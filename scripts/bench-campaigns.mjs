#!/usr/bin/env node
// Campaign progress (GET /api/v1/campaigns/{id}/progress) and the first page of items on a
// campaign of the demo district with N items spread over its grids (default 50 000), on a
// fresh demo server (SQLite, or PostgreSQL with JICENG_TEST_PG_URL): p50 and p99 of 200
// sequential requests each, side by side in one run.
//   JICENG_BIN=$PWD/build/jiceng node scripts/bench-campaigns.mjs [N]
import { DISTRICT, STREET1, api, signInDemo, sql, startServer } from '../tests/api/harness.mjs';

const N = Number(process.argv[2] || 50000);
const srv = await startServer();
try {
  const s = await signInDemo(srv.url, 'zhihui');
  const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const c = await api(srv.url, 'POST', '/api/v1/campaigns', {
    ...s,
    body: { region_code: DISTRICT, title: '基准整治', starts_on: day, ends_on: day, lead_unit: '区综治中心' },
  });
  if (c.status !== 201) throw new Error(c.text);
  const id = c.json.id;
  const grids = Number(sql(srv.db, "SELECT count(*) FROM regions WHERE length(code) = 15 AND status <> 'retired'"));
  // N items, round-robin over the grids; a third past their deadline; states in turn
  sql(
    srv.db,
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${N - 1}),` +
      " g AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM regions WHERE length(code) = 15 AND status <> 'retired')" +
      ' INSERT INTO campaign_items(campaign_id, list, region_code, title, deadline, state, created_at, updated_at)' +
      ` SELECT ${id}, 'task', g.code, 'item', CASE WHEN n.i % 3 = 0 THEN '2020-01-01' ELSE '2099-01-01' END,` +
      " CASE n.i % 4 WHEN 0 THEN 'open' WHEN 1 THEN 'assigned' WHEN 2 THEN 'done' ELSE 'verified' END, 0, 0" +
      ` FROM n JOIN g ON g.k = n.i % ${grids}`,
  );
  const time = async (p) => {
    const ms = [];
    for (let i = 0; i < 200; i++) {
      const t = process.hrtime.bigint();
      const res = await api(srv.url, 'GET', p, s);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${res.text}`);
    }
    ms.sort((a, b) => a - b);
    return `p50 ${ms[100].toFixed(2)} ms, p99 ${ms[197].toFixed(2)} ms`;
  };
  console.log(`${N} items over ${grids} grids`);
  console.log(`progress, district: ${await time(`/api/v1/campaigns/${id}/progress`)}`);
  console.log(`progress, street:   ${await time(`/api/v1/campaigns/${id}/progress?region=${STREET1}`)}`);
  console.log(`items, first page:  ${await time(`/api/v1/campaigns/${id}/items?limit=50`)}`);
} finally {
  await srv.stop();
}
