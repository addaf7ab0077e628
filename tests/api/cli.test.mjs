// The command line: help texts, user add, argument errors, init/demo/backup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BACKEND,
  GRID1,
  GRID2,
  api,
  assertProblem,
  makeTempDir,
  newDatabase,
  runCli,
  signIn,
  sql,
  startServer,
} from './harness.mjs';

describe('jiceng command line', { timeout: 180_000 }, () => {
  test('jiceng --help lists the subcommands and exits 0', () => {
    const r = runCli(['--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /usage: jiceng/i);
    for (const c of ['serve', 'init', 'demo', 'user', 'audit', 'backup']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });

  for (const [cmd, words] of [
    [['serve'], ['--db', '--listen', '--idle-timeout', '--body-limit', '--lockout-failures']],
    [['init'], ['--db', '--admin-password-file']],
    [['demo'], ['--db']],
    [['user'], ['add', '--username', '--password-file', '--role']],
    [['audit'], ['verify', '--db', 'head', '--head']],
    [['backup'], ['--db', '--out']],
  ]) {
    test(`jiceng ${cmd.join(' ')} --help prints usage and exits 0`, () => {
      const r = runCli([...cmd, '--help']);
      assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
      assert.match(r.stdout, /usage:/i, `usage on stdout: ${r.stdout}${r.stderr}`);
      for (const w of words) assert.ok(r.stdout.includes(w), `${cmd} --help mentions ${w}`);
    });
  }

  test('jiceng with no arguments prints usage and exits non-zero', () => {
    const r = runCli([]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /usage/i);
  });

  test('jiceng bogus exits non-zero with a one-line reason', () => {
    const r = runCli(['bogus']);
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /bogus/);
  });

  test('jiceng serve without --db exits non-zero with a one-line reason', () => {
    const r = runCli(['serve', '--listen', '127.0.0.1:1']);
    assert.notEqual(r.status, 0);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0], /--db/);
  });

  test('jiceng serve refuses bad settings with one line each', () => {
    const dir = makeTempDir();
    const db = path.join(dir, 'x.db');
    const cases = [
      [['serve', '--db', db], /init|missing/i], // no database there yet
      [['serve', '--db', db, '--listen', 'nonsense'], /listen/],
      [['serve', '--db', db, '--idle-timeout', 'soon'], /idle_timeout|idle-timeout/],
      [['serve', '--db', db, '--no-such-option', '1'], /no_such_option|no-such-option/],
      [['serve', '--db', db, '--threads', '0'], /threads/],
    ];
    for (const [args, re] of cases) {
      const r = runCli(args);
      assert.notEqual(r.status, 0, args.join(' '));
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(lines[0], re, args.join(' '));
    }
  });

  test('init: database plus a 0600 key file; a second init keeps the admin; weak admin password refused', () => {
    const dir = makeTempDir();
    const { db, keyFile } = newDatabase(dir, 'new');
    const pw = path.join(dir, 'pw');
    fs.writeFileSync(pw, 'Admin@12345!\n');
    const r = runCli(['init', '--db', db, '--admin-password-file', pw]);
    assert.equal(r.status, 0, r.stderr);
    if (BACKEND === 'sqlite') assert.ok(fs.existsSync(db));
    assert.equal(sql(db, "SELECT count(*) FROM users WHERE username = 'admin'"), '1');
    const st = fs.statSync(keyFile);
    assert.equal(st.mode & 0o777, 0o600, 'key file mode 0600');
    assert.equal(st.size, 32);
    const key = fs.readFileSync(keyFile);
    const again = runCli(['init', '--db', db, '--admin-password-file', pw]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(fs.readFileSync(keyFile), key, 'the key is never replaced');

    const weakDb = newDatabase(dir, 'weak').db;
    fs.writeFileSync(path.join(dir, 'weak'), 'password\n');
    const weak = runCli(['init', '--db', weakDb, '--admin-password-file', path.join(dir, 'weak')]);
    assert.notEqual(weak.status, 0, 'a weak admin password is refused');
    const missing = runCli(['init', '--db', newDatabase(dir, 'm').db, '--admin-password-file', path.join(dir, 'nope')]);
    assert.notEqual(missing.status, 0);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    const noDb = runCli(['init']);
    assert.notEqual(noDb.status, 0);
  });

  test('demo is idempotent', () => {
    const dir = makeTempDir();
    const { db } = newDatabase(dir, 'demo');
    const r1 = runCli(['demo', '--db', db]);
    assert.equal(r1.status, 0, r1.stderr);
    assert.match(r1.stdout, /999901/);
    const r2 = runCli(['demo', '--db', db]);
    assert.equal(r2.status, 0, r2.stderr);
    // "(0 regions, 0 users and 0 cases added)": every count of the second run is 0
    const counts = [...r2.stdout.matchAll(/(\d+) (regions|users|cases)\b/g)];
    assert.ok(counts.length >= 2, r2.stdout);
    assert.deepEqual(counts.filter((m) => m[1] !== '0').map((m) => m[0]), [], `second run added: ${r2.stdout}`);
    const first = [...r1.stdout.matchAll(/(\d+) regions/g)];
    assert.equal(first[0]?.[1], '73', `first run adds 73 regions: ${r1.stdout}`);
  });
});

describe('jiceng user add and backup against a running server', { timeout: 180_000 }, () => {
  let srv, dir;
  before(async () => {
    srv = await startServer();
    dir = srv.dir;
  });
  after(async () => {
    await srv?.stop();
  });

  test('user add creates a user who can sign in with that grant', async () => {
    const pw = path.join(dir, 'x1-password');
    fs.writeFileSync(pw, 'Cli@user2026x\n');
    const r = runCli([
      'user', 'add', '--db', srv.db, '--username', 'x1', '--password-file', pw,
      '--role', 'grid_worker', '--region', GRID1,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const s = await signIn(srv.url, 'x1', 'Cli@user2026x');
    assert.equal(s.user.username, 'x1');
    assert.deepEqual(s.user.grants.map((g) => [g.role, g.region_code]), [['grid_worker', GRID1]]);
    assert.equal((await api(srv.url, 'GET', `/api/v1/regions/${GRID1}`, s)).status, 200);
    assertProblem(await api(srv.url, 'GET', `/api/v1/regions/${GRID2}`, s), [403, 404]);
    // the same name again fails
    const dup = runCli([
      'user', 'add', '--db', srv.db, '--username', 'x1', '--password-file', pw,
      '--role', 'grid_worker', '--region', GRID1,
    ]);
    assert.notEqual(dup.status, 0);
    assert.match(dup.stderr, /exists/);
  });

  test('user add refuses bad input', () => {
    const pw = path.join(dir, 'x2-password');
    fs.writeFileSync(pw, 'Cli@user2026x\n');
    const weak = path.join(dir, 'weak-password');
    fs.writeFileSync(weak, 'abc\n');
    const base = ['user', 'add', '--db', srv.db, '--username', 'x2'];
    const cases = [
      [...base, '--password-file', weak, '--role', 'grid_worker', '--region', GRID1],
      [...base, '--password-file', pw, '--role', 'emperor', '--region', GRID1],
      [...base, '--password-file', pw, '--role', 'grid_worker', '--region', '12'],
      [...base, '--password-file', pw, '--role', 'grid_worker'],
      [...base, '--password-file', pw],
      [...base, '--password-file', path.join(dir, 'no-such-file'), '--role', 'grid_worker', '--region', GRID1],
      ['user', 'frobnicate'],
    ];
    for (const args of cases) {
      const r = runCli(args);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.ok(r.stderr.trim().length > 0, `a reason for ${args.join(' ')}`);
    }
  });

  test('user add with a grant on a region that does not exist is refused', async () => {
    const pw = path.join(dir, 'x3-password');
    fs.writeFileSync(pw, 'Cli@user2026x\n');
    const r = runCli([
      'user', 'add', '--db', srv.db, '--username', 'x3', '--password-file', pw,
      '--role', 'grid_worker', '--region', '999901001001099',
    ]);
    assert.notEqual(r.status, 0, `created a user granted on a missing region: ${r.stdout}`);
  });

  // On PostgreSQL too the backup is a SQLite file (jiceng backup of a postgres:// database).
  test('backup writes a consistent copy of the live database', async () => {
    const out = path.join(dir, 'backup.db');
    const r = runCli(['backup', '--db', srv.db, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.statSync(out).size > 0);
    assert.equal(fs.statSync(out).mode & 0o777, 0o600);
    const again = runCli(['backup', '--db', srv.db, '--out', out]);
    assert.notEqual(again.status, 0, 'never overwrites');
    // without its key the copy cannot be verified, and says so in one line
    const nokey = runCli(['audit', 'verify', '--db', out]);
    assert.notEqual(nokey.status, 0);
    assert.equal(nokey.stderr.trim().split('\n').length, 1, nokey.stderr);
    assert.match(nokey.stderr, /key/);
    // with its key restored beside it, the copy verifies (the chain is keyed by PATH.key)
    fs.copyFileSync(srv.keyFile, out + '.key');
    const v = runCli(['audit', 'verify', '--db', out]);
    assert.equal(v.status, 0, v.stderr);
    const missing = runCli(['backup', '--db', srv.db]);
    assert.notEqual(missing.status, 0);
  });
});

describe('files holding personal data are private', { timeout: 180_000 }, () => {
  let oldMask;
  before(() => {
    // the usual umask: without care, SQLite and fopen would make files 0644
    oldMask = process.umask(0o022);
  });
  after(() => {
    process.umask(oldMask);
  });

  test('init creates the database and key 0600; a running server\'s -wal and -shm are 0600 too; a backup is 0600', async () => {
    const srv = await startServer({ demo: false });
    try {
      const admin = await signIn(srv.url, 'admin', 'Admin@12345!');
      const w = await api(srv.url, 'POST', '/api/v1/regions', { ...admin, body: { code: '999902', name: '文件权限区' } });
      assert.equal(w.status, 201, w.text);
      // On PostgreSQL the cluster keeps the rows; the key file is still ours.
      const files = BACKEND === 'sqlite' ? ['', '.key', '-wal', '-shm'].map((x) => srv.db + x) : [srv.keyFile];
      for (const f of files) {
        const st = fs.statSync(f);
        assert.equal((st.mode & 0o777).toString(8), '600', `${path.basename(f)} mode`);
      }
      if (BACKEND !== 'sqlite') return;
      const out = path.join(srv.dir, 'copy.db');
      const b = runCli(['backup', '--db', srv.db, '--out', out]);
      assert.equal(b.status, 0, b.stderr);
      assert.equal((fs.statSync(out).mode & 0o777).toString(8), '600', 'backup mode');
    } finally {
      await srv.stop();
    }
  });

  test('a key file that group or others can read is refused at load with a one-line reason', () => {
    const dir = makeTempDir();
    const { db, keyFile } = newDatabase(dir, 'k');
    const pw = path.join(dir, 'pw');
    fs.writeFileSync(pw, 'Admin@12345!\n');
    assert.equal(runCli(['init', '--db', db, '--admin-password-file', pw]).status, 0);
    fs.chmodSync(keyFile, 0o644);
    const named = new RegExp(`${path.basename(keyFile).replace(/\./g, '\\.')}.*0644.*chmod 600`);
    for (const args of [
      ['serve', '--db', db, '--listen', '127.0.0.1:1'],
      ['audit', 'verify', '--db', db],
      ['user', 'add', '--db', db, '--username', 'k1', '--password-file', pw, '--role', 'admin'],
    ]) {
      const r = runCli(args);
      assert.notEqual(r.status, 0, `${args[0]} refuses`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, named);
    }
    fs.chmodSync(keyFile, 0o600);
    assert.equal(runCli(['audit', 'verify', '--db', db]).status, 0);
  });

  test('init with a password that fails the policy leaves no file behind', () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, 'weak'), 'password\n');
    const { db } = newDatabase(dir, 'weak');
    const weak = runCli(['init', '--db', db, '--admin-password-file', path.join(dir, 'weak')]);
    assert.notEqual(weak.status, 0);
    assert.equal(weak.stderr.trim().split('\n').length, 1, weak.stderr);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['weak'], 'nothing but the password file');
    if (BACKEND !== 'sqlite') {
      // the database stays as empty as it was given
      assert.equal(sql(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"), '0');
      return;
    }
    // a directory that does not exist: refused, nothing made
    const gone = runCli(['init', '--db', path.join(dir, 'no', 'such.db')]);
    assert.notEqual(gone.status, 0);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['weak']);
  });

  test('demo refuses a live database (regions or users of its own) unless --yes-add-demo-accounts', async () => {
    const dir = makeTempDir();
    const live = newDatabase(dir, 'live');
    const { db } = live;
    const pw = path.join(dir, 'pw');
    fs.writeFileSync(pw, 'Admin@12345!\n');
    assert.equal(runCli(['init', '--db', db, '--admin-password-file', pw]).status, 0);
    const upw = path.join(dir, 'upw');
    fs.writeFileSync(upw, 'Live@user2026x\n');
    const add = runCli(['user', 'add', '--db', db, '--username', 'operator1', '--password-file', upw, '--role', 'admin']);
    assert.equal(add.status, 0, add.stderr);
    const r = runCli(['demo', '--db', db, '--cases', '0']);
    assert.notEqual(r.status, 0, 'refused');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /--yes-add-demo-accounts/);
    const srv = await startServerOn(live.args);
    try {
      const res = await api(srv.url, 'POST', '/api/v1/session', { body: { username: 'wangge', password: 'Demo@2026jc' } });
      assertProblem(res, 401, 'no demo account was added');
    } finally {
      await srv.stop();
    }
    const forced = runCli(['demo', '--db', db, '--cases', '0', '--yes-add-demo-accounts']);
    assert.equal(forced.status, 0, forced.stderr);
    // once the demo made it, refreshing needs no flag
    const again = runCli(['demo', '--db', db, '--cases', '0']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(runCli(['demo', '--help']).stdout, /--yes-add-demo-accounts/);
  });
});

describe('audit head kept elsewhere', { timeout: 180_000 }, () => {
  test('audit head prints ID:HASH; verify --head passes on the same log and fails on a consistent rewrite made with the key', () => {
    const dir = makeTempDir();
    const pw = path.join(dir, 'pw');
    fs.writeFileSync(pw, 'Admin@12345!\n');
    const { db: a, keyFile: aKey } = newDatabase(dir, 'a');
    assert.equal(runCli(['init', '--db', a, '--admin-password-file', pw]).status, 0);
    assert.equal(runCli(['demo', '--db', a, '--cases', '0']).status, 0);
    const h = runCli(['audit', 'head', '--db', a]);
    assert.equal(h.status, 0, h.stderr);
    const head = h.stdout.trim();
    assert.match(head, /^[1-9]\d*:[0-9a-f]{64}$/);
    const ok = runCli(['audit', 'verify', '--db', a, '--head', head]);
    assert.equal(ok.status, 0, ok.stderr);
    // someone holding the database and its key writes a log of their own, chained correctly
    const { db: b, keyFile: bKey } = newDatabase(dir, 'b');
    fs.copyFileSync(aKey, bKey);
    assert.equal(runCli(['init', '--db', b, '--admin-password-file', pw]).status, 0);
    const upw = path.join(dir, 'upw');
    fs.writeFileSync(upw, 'Other@user2026x\n');
    assert.equal(runCli(['user', 'add', '--db', b, '--username', 'mallory', '--password-file', upw, '--role', 'admin']).status, 0);
    assert.equal(runCli(['audit', 'verify', '--db', b]).status, 0, 'the rewrite is consistent on its own');
    const caught = runCli(['audit', 'verify', '--db', b, '--head', head]);
    assert.notEqual(caught.status, 0, 'but not with the head kept elsewhere');
    assert.equal(caught.stderr.trim().split('\n').length, 1, caught.stderr);
    assert.match(caught.stderr, /rewritten/);
    const bad = runCli(['audit', 'verify', '--db', a, '--head', '2:xyz']);
    assert.equal(bad.status, 2);
  });
});

// A server on an existing database (the harness makes its own): {url, stop()}.
// dbArgs: `--db …` (and `--key-file …` on PostgreSQL).
async function startServerOn(dbArgs) {
  const { spawn } = await import('node:child_process');
  const { freePort, BIN } = await import('./harness.mjs');
  const port = await freePort();
  const proc = spawn(BIN, ['serve', ...dbArgs, '--listen', `127.0.0.1:${port}`, '--access-log', 'off'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    stop: () => new Promise((resolve) => {
      proc.on('exit', resolve);
      proc.kill('SIGTERM');
    }),
  };
}
