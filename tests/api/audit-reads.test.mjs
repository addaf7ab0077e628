// Audited reads under load: lookups by ID number and pages of residents append their audit
// entries through the group-commit writer (many entries, one fsync). Each request must still
// leave exactly one entry, answered only once that entry is durable, and the whole trail must
// stay one hash chain that `jiceng audit verify` accepts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STREET1, api, runCli, signInDemo, startServer, walkList } from './harness.mjs';
import { idNumber } from './base-lib.mjs';

const LOOKUPS_PER_USER = 120;
const PAGES_PER_USER = 30;
const USERS = ['admin', 'shequ', 'wanggezhang'];

describe('audited reads share commits and keep one chain', { timeout: 120_000 }, () => {
  let srv, url;
  const auth = {};

  before(async () => {
    // The per-user lookup limit (30 per 10 minutes) is lifted: this counts audit entries.
    srv = await startServer({ args: ['--threads', '2', '--lookups-per-10min', '0'] });
    url = srv.url;
    for (const u of USERS) auth[u] = await signInDemo(url, u);
  });
  after(async () => {
    await srv?.stop();
  });

  test('concurrent lookups and name searches each leave exactly one entry; audit verify passes', async () => {
    const trail = async () => walkList(url, '/api/v1/audit', auth.admin, 200);
    const startId = Math.max(0, ...(await trail()).map((e) => e.id));

    // Every user's lookups carry numbers of their own, so each entry can be matched to its
    // request by user and count; all requests of all users are in flight at once.
    const calls = [];
    for (const u of USERS) {
      for (let i = 0; i < LOOKUPS_PER_USER; i++) {
        const id = idNumber({ birth: '19010101', seq: (i % 900) + 1 });
        calls.push(
          api(url, 'GET', `/api/v1/residents?id_number=${id}`, auth[u]).then((res) => ({ u, kind: 'lookup', res })),
        );
      }
      for (let i = 0; i < PAGES_PER_USER; i++) {
        const q = encodeURIComponent('王');
        calls.push(
          api(url, 'GET', `/api/v1/residents?q=${q}&region=${STREET1}&limit=5`, auth[u]).then((res) => ({
            u,
            kind: 'list',
            res,
          })),
        );
      }
    }
    const results = await Promise.all(calls);
    for (const { u, kind, res } of results) assert.equal(res.status, 200, `${u} ${kind}: ${res.text.slice(0, 300)}`);

    const entries = (await trail()).filter((e) => e.id > startId).sort((a, b) => a.id - b.id);
    // Ids follow each other without gaps: one chain, in commit order.
    for (let i = 1; i < entries.length; i++) assert.equal(entries[i].id, entries[i - 1].id + 1, 'audit ids are contiguous');
    for (const u of USERS) {
      const mine = entries.filter((e) => e.username === u);
      const lookups = mine.filter((e) => e.action === 'resident.lookup');
      const pages = mine.filter((e) => e.action === 'resident.list');
      assert.equal(lookups.length, LOOKUPS_PER_USER, `${u}: one resident.lookup entry per lookup`);
      assert.equal(pages.length, PAGES_PER_USER, `${u}: one resident.list entry per page`);
      for (const e of lookups) {
        assert.equal(e.result, 200);
        assert.equal(e.detail, 'by=id_number found=0');
      }
    }

    const live = runCli(['audit', 'verify', '--db', srv.db]);
    assert.equal(live.status, 0, `jiceng audit verify while serving: ${live.stderr}${live.stdout}`);
    await srv.stop();
    const v = runCli(['audit', 'verify', '--db', srv.db]);
    assert.equal(v.status, 0, `jiceng audit verify: ${v.stderr}${v.stdout}`);
    srv = null;
  });
});
