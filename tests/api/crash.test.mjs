// Crash test: several clients write at once — cases through POST /api/v1/cases (the
// group-commit path), residents, and case actions — while the server is killed with SIGKILL
// at a random moment, several times. After each kill: the database passes
// PRAGMA integrity_check, `jiceng audit verify` passes, and once the server is back every
// write that was answered 2xx is there. A write whose answer never came may or may not be
// there; one that was answered must never be lost.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { BACKEND, GRID1, api, runCli, signInDemo, sleep, startServer } from './harness.mjs';
import { idNumber, phone } from './base-lib.mjs';

const ROUNDS = 4;
const MIN_RUN_MS = 1000;
const MAX_RUN_MS = 3000;

/** A write that may be cut off by the kill: the response, or null when none came. */
async function attempt(url, method, p, auth, body) {
  try {
    return await api(url, method, p, { ...auth, body, timeout: 10_000 });
  } catch {
    return null; // connection reset or refused: the server died under it
  }
}

describe('crash: SIGKILL under mixed writes', { timeout: 120_000 }, () => {
  let srv, url;
  const auth = {};
  // what the server acknowledged, to be found after every restart
  const cases = new Map(); // id → {description, actions: [action]}
  const residents = new Map(); // id → {name}
  const rounds = [];

  before(async () => {
    srv = await startServer();
    url = srv.url;
    for (const u of ['wangge', 'wangge2', 'wanggezhang', 'shequ']) auth[u] = await signInDemo(url, u);
  });
  after(async () => {
    await srv?.stop();
  });

  /** One client loop until stop.done: what it writes and what it saw acknowledged. */
  function reporter(who, grid, tagPrefix, stop, tally) {
    return (async () => {
      for (let i = 0; !stop.done; i++) {
        const description = `${tagPrefix}-${i} 楼道堆物`;
        const res = await attempt(url, 'POST', '/api/v1/cases', auth[who], { category: 'environment', description, region_code: grid });
        if (!res) return;
        if (res.status === 201) {
          cases.set(res.json.id, { description, actions: [], by: who });
          tally.cases++;
        } else if (res.status >= 500 && res.status !== 503) {
          throw new Error(`POST /api/v1/cases answered ${res.status}: ${res.text}`);
        }
      }
    })();
  }
  function registrar(stop, tally, tagPrefix) {
    return (async () => {
      for (let i = 0; !stop.done; i++) {
        const name = `崩溃测试${tagPrefix}${i}`;
        const res = await attempt(url, 'POST', '/api/v1/residents', auth.shequ, {
          name,
          id_number: idNumber(),
          phone: phone(),
          region_code: GRID1,
          residency: 'registered',
        });
        if (!res) return;
        if (res.status === 201) {
          residents.set(res.json.id, { name });
          tally.residents++;
        } else if (res.status >= 500 && res.status !== 503) {
          throw new Error(`POST /api/v1/residents answered ${res.status}: ${res.text}`);
        }
      }
    })();
  }
  /** The grid leader takes in (accept) reported cases of grid 1, then starts accepted ones. */
  function handler(stop, tally) {
    return (async () => {
      while (!stop.done) {
        const next = [...cases].find(([, c]) => c.by === 'wangge' && c.actions.length < 2 && !c.pending);
        if (!next) {
          await sleep(5);
          continue;
        }
        const [id, c] = next;
        const action = c.actions.length === 0 ? 'accept' : 'start';
        c.pending = true;
        const res = await attempt(url, 'POST', `/api/v1/cases/${id}/actions`, auth.wanggezhang, { action, comment: `崩溃测试 ${action}` });
        c.pending = false;
        if (!res) return;
        if (res.status === 200) {
          c.actions.push(action);
          tally.actions++;
        } else if (res.status === 409) {
          c.actions.push('?'); // another state than expected: leave the case alone
        } else if (res.status >= 500 && res.status !== 503) {
          throw new Error(`POST /api/v1/cases/${id}/actions answered ${res.status}: ${res.text}`);
        }
      }
    })();
  }

  /** Checks the stopped server's database: integrity and the audit chain. */
  function checkFiles() {
    if (BACKEND === 'sqlite') {
      const ic = execFileSync('sqlite3', [srv.db, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
      assert.equal(ic, 'ok', `PRAGMA integrity_check after SIGKILL: ${ic}`);
    } else {
      // PostgreSQL's counterpart: amcheck over every B-tree index, with every heap row found in it.
      srv.sql('CREATE EXTENSION IF NOT EXISTS amcheck');
      const n = srv.sql(
        'SELECT count(bt_index_check(c.oid, true)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid ' +
          "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace s ON s.oid = c.relnamespace WHERE a.amname = 'btree' " +
          "AND s.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND i.indisready AND i.indisvalid",
      );
      assert.ok(Number(n) > 0, `amcheck checked the indexes after SIGKILL: ${n}`);
    }
    const v = runCli(['audit', 'verify', '--db', srv.db]);
    assert.equal(v.status, 0, `jiceng audit verify after SIGKILL: ${v.stderr}${v.stdout}`);
  }

  /** Every acknowledged write is there (server running). */
  async function checkAcknowledged(round) {
    const missing = [];
    const caseIds = [...cases.keys()];
    for (let i = 0; i < caseIds.length; i += 16) {
      await Promise.all(
        caseIds.slice(i, i + 16).map(async (id) => {
          const c = cases.get(id);
          const res = await api(url, 'GET', `/api/v1/cases/${id}`, auth.shequ);
          if (res.status !== 200 || res.json.description !== c.description) {
            missing.push(`case ${id} (${c.description}): ${res.status}`);
            return;
          }
          const done = res.json.timeline.map((e) => e.action);
          for (const a of c.actions.filter((x) => x !== '?'))
            if (!done.includes(a)) missing.push(`case ${id}: acknowledged ${a} is not in its timeline (${done.join(',')})`);
        }),
      );
    }
    const resIds = [...residents.keys()];
    for (let i = 0; i < resIds.length; i += 16) {
      await Promise.all(
        resIds.slice(i, i + 16).map(async (id) => {
          const res = await api(url, 'GET', `/api/v1/residents/${id}`, auth.shequ);
          if (res.status !== 200 || res.json.name !== residents.get(id).name) missing.push(`resident ${id}: ${res.status}`);
        }),
      );
    }
    assert.deepEqual(missing, [], `round ${round}: acknowledged writes lost after SIGKILL`);
  }

  test(`${ROUNDS} rounds of SIGKILL at a random moment under mixed writes lose no acknowledged write`, async () => {
    const t0 = Date.now();
    for (let round = 1; round <= ROUNDS; round++) {
      const stop = { done: false };
      const tally = { cases: 0, residents: 0, actions: 0 };
      const tag = `r${round}-${process.pid}`;
      const loops = [
        reporter('wangge', GRID1, `${tag}a`, stop, tally),
        reporter('wangge', GRID1, `${tag}b`, stop, tally),
        reporter('wangge2', '999901001001002', `${tag}c`, stop, tally),
        registrar(stop, tally, `${tag}d`),
        registrar(stop, tally, `${tag}e`),
        handler(stop, tally),
      ];
      const runFor = MIN_RUN_MS + Math.floor(Math.random() * (MAX_RUN_MS - MIN_RUN_MS));
      await sleep(runFor);
      await srv.kill9();
      stop.done = true;
      await Promise.all(loops);
      rounds.push({ round, ms: runFor, ...tally });
      assert.ok(tally.cases > 0 && tally.residents > 0, `round ${round}: writes were acknowledged before the kill (${JSON.stringify(tally)})`);
      checkFiles();
      await srv.restart();
      for (const u of Object.keys(auth)) {
        const me = await api(url, 'GET', '/api/v1/me', auth[u]);
        if (me.status !== 200) auth[u] = await signInDemo(url, u);
      }
      await checkAcknowledged(round);
    }
    const total = rounds.reduce((a, r) => ({ cases: a.cases + r.cases, residents: a.residents + r.residents, actions: a.actions + r.actions }), { cases: 0, residents: 0, actions: 0 });
    console.log(`crash: ${ROUNDS} kills in ${((Date.now() - t0) / 1000).toFixed(1)} s; acknowledged ${JSON.stringify(total)}; per round ${JSON.stringify(rounds)}`);
    assert.ok(total.actions > 0, 'case actions were acknowledged in some round');
  });

  test('after the last restart the server is consistent under a clean stop too', async () => {
    const { code } = await srv.stop();
    assert.equal(code, 0);
    checkFiles();
    await srv.restart();
  });
});
