// jiceng migrate-data and the backup of a PostgreSQL database: a whole database copied
// between backends, checked by row counts, per-table checksums and the audit chain, and
// served afterwards with the same answers. On SQLite the copy goes SQLite → SQLite; on
// PostgreSQL, PostgreSQL → SQLite (backup) → PostgreSQL (migrate-data).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BACKEND, BIN, api, freePort, makeTempDir, newDatabase, psql, runCli, signInDemo, sleep, startServer, sql } from './harness.mjs';

const copiedLine = /^copied (\d+) tables, (\d+) rows; counts and checksums match; audit chain of (\d+) entries verified$/m;

describe('migrate-data and backup between backends', { timeout: 600_000 }, () => {
  let srv, dir, who;
  before(async () => {
    srv = await startServer();
    dir = makeTempDir('jiceng-migrate-');
    who = await signInDemo(srv.url, 'shequ');
    // some work of the day, so the copy carries writes as well as the demo
    const r = await api(srv.url, 'POST', '/api/v1/cases', {
      ...who,
      body: {
        category: 'environment',
        description: '迁移测试：楼道堆放杂物',
        region_code: '999901001001001',
      },
    });
    assert.equal(r.status, 201, r.text);
  });
  after(async () => srv && (await srv.stop()));

  const keyArgs = () => ['--key-file', srv.keyFile];

  test('a copy into a new SQLite file matches table by table, verifies, and serves the same answers', async () => {
    const out = path.join(dir, 'copy.db');
    const r = runCli(['migrate-data', '--from', srv.db, '--to', out, ...keyArgs()]);
    assert.equal(r.status, 0, r.stderr);
    const m = r.stdout.match(copiedLine);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[2]) > 1000, 'the demo rows were copied');
    assert.equal(fs.statSync(out).mode & 0o777, 0o600);
    // the copy holds what the source holds
    const count = (db, t) => Number(sql(db, `SELECT count(*) FROM ${t}`));
    for (const t of ['residents', 'cases', 'case_events', 'audit', 'users']) {
      const want = BACKEND === 'sqlite' ? count(srv.db, t) : Number(srv.sql(`SELECT count(*) FROM ${t}`));
      assert.equal(Number(runSqlite(out, `SELECT count(*) FROM ${t}`)), want, t);
    }
    // a second copy into the same file is refused, and the file is left as it was
    const before = fs.statSync(out).size;
    const again = runCli(['migrate-data', '--from', srv.db, '--to', out, ...keyArgs()]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already exists/);
    assert.equal(fs.statSync(out).size, before);
    // the audit chain of the copy verifies with the same key
    const v = runCli(['audit', 'verify', '--db', out, '--key-file', srv.keyFile]);
    assert.equal(v.status, 0, v.stderr);
  });

  test('a copy into a target that already holds users is refused, nothing written', () => {
    const t = newDatabase(dir, 'busy');
    assert.equal(runCli(['init', ...t.args]).status, 0);
    assert.equal(runCli(['user', 'add', ...t.args, '--username', 'someone', '--password-file', writePw(), '--role', 'admin']).status, 0);
    const r = runCli(['migrate-data', '--from', path.join(dir, 'copy.db'), '--to', t.db, ...keyArgs()]);
    assert.notEqual(r.status, 0);
    // a SQLite target must be a new file; a PostgreSQL database must hold no one's work
    assert.match(r.stderr, BACKEND === 'sqlite' ? /already exists/ : /not empty \(table users has rows\)/);
    assert.equal(sql(t.db, 'SELECT count(*) FROM users'), '1');
    assert.equal(sql(t.db, 'SELECT count(*) FROM residents'), '0');
  });

  test(
    'PostgreSQL: backup writes a SQLite copy; migrate-data carries it into a new PostgreSQL database',
    { skip: BACKEND !== 'postgres' && 'PostgreSQL only' },
    async () => {
      const file = path.join(dir, 'backup.db');
      const b = runCli(['backup', '--db', srv.db, '--out', file, ...keyArgs()]);
      assert.equal(b.status, 0, b.stderr);
      assert.match(b.stdout, copiedLine);
      const t = newDatabase(dir, 'restored');
      const r = runCli(['migrate-data', '--from', file, '--to', t.db, '--key-file', srv.keyFile]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, copiedLine);
      for (const tb of ['residents', 'cases', 'audit'])
        assert.equal(psql(t.db, `SELECT count(*) FROM ${tb}`), srv.sql(`SELECT count(*) FROM ${tb}`), tb);
      // the restored database serves, and new rows get ids past the copied ones
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const proc = spawn(BIN, ['serve', '--db', t.db, '--key-file', srv.keyFile, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
      try {
        for (let i = 0; i < 100; i++) {
          const ok = await fetch(`${url}/healthz`).then(
            (x) => x.ok,
            () => false,
          );
          if (ok) break;
          await sleep(100);
        }
        const c = await signInDemo(url, 'shequ');
        const list = await api(url, 'GET', '/api/v1/cases?limit=5', { ...c });
        assert.equal(list.status, 200);
        assert.ok(list.json.items.some((x) => x.description === '迁移测试：楼道堆放杂物'));
        const made = await api(url, 'POST', '/api/v1/cases', {
          ...c,
          body: {
            category: 'environment',
            description: '恢复后的新事件',
            region_code: '999901001001001',
          },
        });
        assert.equal(made.status, 201, made.text);
      } finally {
        proc.kill('SIGTERM');
      }
    },
  );

  function writePw() {
    const f = path.join(dir, 'pw');
    fs.writeFileSync(f, 'Other@12345!x\n', { mode: 0o600 });
    return f;
  }
});

function runSqlite(file, query) {
  return execFileSync('sqlite3', [file, query], { encoding: 'utf8' }).trim();
}
