// PostgreSQL only: a bad URL, a database that is down, and one that goes away while a node
// serves. The node answers 503 problem+json (never crashes), and serves again by itself once
// the database is back. Runs on its own throw-away cluster, since it stops and starts it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, BACKEND, BIN, ROOT, freePort, makeTempDir, runCli, sleep } from './harness.mjs';

const PGBIN = process.env.PGBIN || '/usr/lib/postgresql/15/bin';
const asOwner = (args) =>
  process.getuid() === 0
    ? spawnSync('runuser', ['-u', 'postgres', '--', ...args], {
        encoding: 'utf8',
      })
    : spawnSync(args[0], args.slice(1), { encoding: 'utf8' });

describe('PostgreSQL outage', { skip: BACKEND !== 'postgres' && 'PostgreSQL only', timeout: 240_000 }, () => {
  let dir,
    clusterDir,
    base,
    url,
    keyFile,
    proc,
    stderr = '',
    httpUrl;

  before(async () => {
    dir = makeTempDir('jiceng-outage-');
    clusterDir = fs.mkdtempSync('/tmp/jc-out-');
    fs.rmdirSync(clusterDir);
    const port = await freePort();
    const r = spawnSync('bash', [path.join(ROOT, 'scripts/pg-cluster.sh'), 'start', clusterDir, String(port), String(process.pid)], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    base = r.stdout.trim();
    const c = spawnSync('psql', ['-X', '-q', '-d', `${base}postgres`, '-c', 'CREATE DATABASE outage'], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    url = `${base}outage`;
    keyFile = path.join(dir, 'outage.key');
    const pw = path.join(dir, 'pw');
    fs.writeFileSync(pw, ADMIN_PASSWORD + '\n', { mode: 0o600 });
    const init = runCli(['init', '--db', url, '--key-file', keyFile, '--admin-password-file', pw]);
    assert.equal(init.status, 0, init.stderr);
    const hport = await freePort();
    httpUrl = `http://127.0.0.1:${hport}`;
    proc = spawn(BIN, ['serve', '--db', url, '--key-file', keyFile, '--listen', `127.0.0.1:${hport}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr.on('data', (d) => (stderr += d));
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${httpUrl}/healthz`)).ok) break;
      } catch {
        /* not yet */
      }
      await sleep(100);
    }
  });

  after(() => {
    if (proc && proc.exitCode === null) proc.kill('SIGTERM');
    if (clusterDir) spawnSync('bash', [path.join(ROOT, 'scripts/pg-cluster.sh'), 'stop', clusterDir]);
  });

  test('a URL nobody answers, or a malformed one: one line on stderr, non-zero exit', () => {
    const k = path.join(dir, 'x.key');
    for (const bad of ['postgres://postgres@127.0.0.1:1/nowhere', 'postgresql://%zz@/?port=notaport']) {
      const r = runCli(['init', '--db', bad, '--key-file', k]);
      assert.notEqual(r.status, 0);
      assert.equal(r.signal, null, 'no crash');
      const lines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('{'));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^jiceng: cannot connect to the database/);
    }
    const s = runCli(['serve', '--db', 'postgres://postgres@127.0.0.1:1/nowhere', '--key-file', keyFile, '--listen', '127.0.0.1:1']);
    assert.notEqual(s.status, 0);
    assert.equal(s.signal, null);
  });

  test('the database goes away: 503 problem+json; back again: the node serves without a restart', async () => {
    const signIn = async () =>
      fetch(`${httpUrl}/api/v1/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
    const ok = await signIn();
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie').split(';')[0];
    const me = () => fetch(`${httpUrl}/api/v1/me`, { headers: { cookie } });
    assert.equal((await me()).status, 200);

    const stop = asOwner([`${PGBIN}/pg_ctl`, '-D', `${clusterDir}/data`, '-m', 'fast', '-w', 'stop']);
    assert.equal(stop.status, 0, stop.stderr);
    for (let i = 0; i < 3; i++) {
      const res = await me();
      assert.equal(res.status, 503);
      assert.match(res.headers.get('content-type'), /application\/problem\+json/);
      const body = await res.json();
      assert.equal(body.status, 503);
    }
    const down = await fetch(`${httpUrl}/api/v1/regions/999901`, {
      headers: { cookie },
    });
    assert.equal(down.status, 503);
    assert.equal(proc.exitCode, null, 'the node is still running');

    const start = asOwner([`${PGBIN}/pg_ctl`, '-D', `${clusterDir}/data`, '-l', `${clusterDir}/server.log`, '-w', 'start']);
    assert.equal(start.status, 0, start.stderr);
    let back = 0;
    for (let i = 0; i < 50 && back !== 200; i++) {
      back = (await me()).status;
      if (back !== 200) await sleep(200);
    }
    assert.equal(back, 200, 'served again once the database is back');
    // every worker thread's connection recovers, not just one: many requests in a row
    const many = await Promise.all(Array.from({ length: 40 }, () => me().then((r) => r.status)));
    assert.deepEqual([...new Set(many)], [200]);
    assert.equal(proc.exitCode, null);
    assert.doesNotMatch(stderr, /AddressSanitizer|runtime error/);
  });
});
