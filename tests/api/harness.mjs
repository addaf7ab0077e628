// Test harness for the jiceng HTTP API suite (node --test tests/api/).
//
// startServer(opts) makes a fresh database in a temp dir (jiceng init + jiceng
// demo), starts `jiceng serve` on a free port and waits for /healthz. The
// binary comes from $JICENG_BIN (default build/jiceng, relative to the repo
// root). Every helper here uses only node's standard library.
//
// With JICENG_TEST_PG_URL set to the base URL of a PostgreSQL cluster
// (postgres://postgres@127.0.0.1:PORT/, scripts/pg-cluster.sh), every server
// gets a fresh database of its own on that cluster instead (CREATE DATABASE
// jt_<random> through psql, dropped when the test process exits) and a key file
// in its temp dir; BACKEND says which of the two a run uses.
//
// With JICENG_TEST_NODES=2 as well (scripts/pg-api-tests.sh passes it on), every
// server is two `jiceng serve` nodes on that one database and key file behind a
// private nginx (Debian's /usr/sbin/nginx, or $JICENG_TEST_NGINX) on a free
// port, and server.url is nginx's: the whole suite runs through the load
// balancer. Tests that cannot skip with skipTwoNodes(reason).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(ROOT, process.env.JICENG_BIN || 'build/jiceng');
export const ADMIN_PASSWORD = 'Admin@12345!';
export const DEMO_PASSWORD = 'Demo@2026jc';

/** The base URL of the PostgreSQL cluster the suite runs on, or '' for SQLite files. */
export const PG_URL = process.env.JICENG_TEST_PG_URL || '';
/** 'sqlite' or 'postgres': tests that read the database file itself skip on 'postgres'. */
export const BACKEND = PG_URL ? 'postgres' : 'sqlite';
/** JICENG_TEST_NODES=2: every server is two `jiceng serve` nodes on one PostgreSQL database behind nginx. */
export const NODES = Number(process.env.JICENG_TEST_NODES || 1);
export const TWO_NODES = NODES > 1;
if (!Number.isInteger(NODES) || NODES < 1) throw new Error(`JICENG_TEST_NODES=${process.env.JICENG_TEST_NODES}: a number of nodes`);
if (TWO_NODES && !PG_URL) throw new Error('JICENG_TEST_NODES needs JICENG_TEST_PG_URL: several nodes share a PostgreSQL database');
const NGINX = process.env.JICENG_TEST_NGINX || '/usr/sbin/nginx';

/**
 * The skip option of a test that cannot run through several nodes behind nginx
 * (it reads one process's access log, signals a single process, or tests what
 * each process holds for itself): false with one node, else the reason.
 * Use as test(name, { skip: skipTwoNodes('why') }, fn).
 */
export function skipTwoNodes(reason) {
  return TWO_NODES ? `two nodes behind nginx: ${reason}` : false;
}

/**
 * Waits out the bound within which every node sees a revoked credential (a sign-out, a
 * disabled user, a new password, a deleted token): each node caches a credential for at
 * most 1 s (AUTH_CACHE_NS in src/api/guard.c). One node sees it at once: no wait.
 */
export function revocationSettled() {
  return TWO_NODES ? new Promise((r) => setTimeout(r, 1100)) : Promise.resolve();
}
const PSQL =
  process.env.JICENG_TEST_PSQL || (fs.existsSync('/usr/lib/postgresql/15/bin/psql') ? '/usr/lib/postgresql/15/bin/psql' : 'psql');

// Demo tree (jiceng demo).
export const DISTRICT = '999901';
export const STREET1 = '999901001';
export const STREET2 = '999901002';
export const COMM1 = '999901001001'; // 阳光社区, shequ / dudao / ganbu
export const GRID1 = '999901001001001'; // wangge, wanggezhang, loudong, jumin
export const GRID2 = '999901001001002'; // wangge2

// Patterns that mean a sanitizer found something in the server.
const SANITIZER_PATTERNS = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:', 'ERROR: UndefinedBehaviorSanitizer'];

// Responses received per server base URL, so tests can match the access log.
const responses = new Map();
function countResponse(url) {
  responses.set(url, (responses.get(url) || 0) + 1);
}
/** How many HTTP responses this process has received from the server at url. */
export function responseCount(url) {
  return responses.get(url) || 0;
}

const tempDirs = new Set();
const children = new Set();
const proxies = new Set(); // nginx masters, each leading a process group with its worker
const pgDatabases = new Set(); // names of the databases this process made
process.on('exit', () => {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const p of proxies) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (!process.env.JICENG_KEEP_TMP) {
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    // WITH (FORCE) ends the sessions of servers killed a moment ago.
    if (pgDatabases.size > 0) {
      const drops = [...pgDatabases].flatMap((n) => ['-c', `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`]);
      spawnSync(PSQL, ['-X', '-q', '-d', pgUrl('postgres'), ...drops], { stdio: 'ignore', timeout: 60_000 });
    }
  }
});

// Interrupted runs (Ctrl-C, a runner's SIGTERM) must not leave servers behind.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1)));
}

/** The URL of database name on the test cluster (JICENG_TEST_PG_URL). */
export function pgUrl(name) {
  const u = new URL(PG_URL);
  u.pathname = '/' + name;
  return u.href;
}

/** Runs SQL through psql on database db (a URL) and returns its unaligned output, trimmed. */
export function psql(db, sql) {
  const r = spawnSync(PSQL, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], {
    encoding: 'utf8',
    timeout: 120_000,
    // A lock held by a server's open transaction fails the statement instead of hanging it.
    env: { ...process.env, PGCONNECT_TIMEOUT: '10', PGOPTIONS: '-c lock_timeout=30000' },
  });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql ${sql.slice(0, 200)}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Creates a database on the test cluster (empty, or a copy of template) and returns its URL. */
function createPgDatabase(template = null) {
  const name = 'jt_' + randomBytes(8).toString('hex');
  pgDatabases.add(name);
  psql(pgUrl('postgres'), `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  return pgUrl(name);
}

function dropPgDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  psql(pgUrl('postgres'), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  pgDatabases.delete(name);
}

// The key file of each database the harness made on PostgreSQL: runCli adds
// `--key-file F` to a command naming one of them with --db (on SQLite the key
// is always PATH.key, beside the file).
const pgKeyFiles = new Map();

/**
 * A new, empty database for tests that run `jiceng init` themselves: on SQLite
 * DIR/NAME.db (not yet created) with its key DIR/NAME.db.key; on PostgreSQL a
 * fresh database on the test cluster with its key file DIR/NAME.key (not yet
 * created). Returns {db, keyFile, args} where args are the `--db …` arguments.
 */
export function newDatabase(dir, name) {
  if (BACKEND === 'sqlite') {
    const db = path.join(dir, name + '.db');
    return { db, keyFile: db + '.key', args: ['--db', db] };
  }
  const db = createPgDatabase();
  const keyFile = path.join(dir, name + '.key');
  pgKeyFiles.set(db, keyFile);
  return { db, keyFile, args: ['--db', db, '--key-file', keyFile] };
}

/**
 * A copy of a closed database with its key, to tamper with: on SQLite
 * `VACUUM INTO` DIR/NAME.db, on PostgreSQL CREATE DATABASE … TEMPLATE (no
 * session may be open on it: stop its server first). Returns {db, keyFile}.
 */
export function cloneDatabase(from, dir, name) {
  if (BACKEND === 'sqlite') {
    const db = path.join(dir, name + '.db');
    execFileSync('sqlite3', ['-cmd', '.timeout 10000', from.db, `VACUUM INTO '${db.replace(/'/g, "''")}'`]);
    fs.copyFileSync(from.keyFile, db + '.key');
    return { db, keyFile: db + '.key' };
  }
  const db = createPgDatabase(new URL(from.db).pathname.slice(1));
  const keyFile = path.join(dir, name + '.key');
  fs.copyFileSync(from.keyFile, keyFile);
  pgKeyFiles.set(db, keyFile);
  return { db, keyFile };
}

/**
 * The files that hold a database's rows on disk, for tests that look for
 * personal data in clear: on SQLite the file with its -wal and -journal; on
 * PostgreSQL (after a CHECKPOINT writes every page out) the files of the
 * database's directory in the cluster, or null when that directory cannot be
 * read from here (a remote cluster, another user's files).
 */
export function storedFiles(db) {
  if (BACKEND === 'sqlite') return [db, `${db}-wal`, `${db}-journal`].filter((p) => fs.existsSync(p));
  psql(db, 'CHECKPOINT');
  const dir = psql(db, "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = current_database()");
  try {
    return fs
      .readdirSync(dir)
      .map((n) => path.join(dir, n))
      .filter((p) => fs.statSync(p).isFile());
  } catch {
    return null;
  }
}

/**
 * Runs SQL on a database the harness made (sqlite3 on a file, psql on PostgreSQL); the output, trimmed.
 * The server may be writing at that moment (its outbox thread, a sweep), so sqlite3 waits for the
 * lock as the server's own connections do instead of failing at once with "database is locked".
 */
export function sql(db, query) {
  if (BACKEND === 'postgres') return psql(db, query);
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, query], { encoding: 'utf8' }).trim();
}

export function makeTempDir(prefix = 'jiceng-api-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The binary is briefly unexecutable while a build relinks it: wait for it.
const BEING_REBUILT = new Set(['EACCES', 'ETXTBSY', 'ENOENT']);
const REBUILD_WAIT_MS = 30_000;

// `jiceng demo` writes its ~150 000 rows one statement at a time: a round trip each on PostgreSQL.
const CLI_TIMEOUT_MS = BACKEND === 'postgres' ? 600_000 : 60_000;

/** Runs the jiceng CLI synchronously: {status, stdout, stderr}; opts: {env, cwd, timeout}. */
export function runCli(args, opts = {}) {
  args = withKeyFile(args);
  let r;
  for (const deadline = Date.now() + REBUILD_WAIT_MS; ;) {
    r = spawnSync(BIN, args, {
      encoding: 'utf8',
      timeout: opts.timeout ?? CLI_TIMEOUT_MS,
      env: { ...cliEnv(), ...(opts.env || {}) },
      cwd: opts.cwd,
    });
    if (!(r.error && BEING_REBUILT.has(r.error.code) && Date.now() < deadline)) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250); // sleep synchronously
  }
  if (r.error) throw r.error;
  for (const pat of SANITIZER_PATTERNS) {
    if (r.stderr.includes(pat)) throw new Error(`jiceng ${args.join(' ')}: sanitizer report\n${r.stderr}`);
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** args plus `--key-file F` when they name a PostgreSQL database of the harness without one. */
function withKeyFile(args) {
  const at = args.indexOf('--db');
  if (at < 0 || args.includes('--key-file') || args.includes('--help')) return args;
  const keyFile = pgKeyFiles.get(args[at + 1]);
  return keyFile ? [...args, '--key-file', keyFile] : args;
}

function cliEnv() {
  const env = { ...process.env };
  // Keep settings from the caller's shell out of the server under test.
  for (const k of Object.keys(env)) if (k.startsWith('JICENG_') && k !== 'JICENG_BIN') delete env[k];
  // Under AddressSanitizer: fontconfig's and cairo's process-wide caches (the PDF export) are
  // excused by tests/lsan.supp; leak detection itself stays on.
  const supp = `suppressions=${path.join(ROOT, 'tests', 'lsan.supp')}:print_suppressions=0`;
  env.LSAN_OPTIONS = env.LSAN_OPTIONS ? `${env.LSAN_OPTIONS}:${supp}` : supp;
  return env;
}

function mustRun(args) {
  const r = runCli(args);
  if (r.status !== 0) {
    throw new Error(`jiceng ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export { sleep };

async function waitHealthy(url, proc, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (proc.spawnError) throw new Error(`cannot start ${BIN}: ${proc.spawnError.message}`);
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`${proc.spawnfile} exited early (${proc.exitCode ?? proc.signalCode})`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      countResponse(url);
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(50);
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms (${last})`);
}

/** Copies a closed database with its key file (and any other PATH.* companions) to db. */
function copyDatabase(from, db) {
  const dir = path.dirname(from);
  const base = path.basename(from);
  for (const name of fs.readdirSync(dir)) {
    if (name !== base && !name.startsWith(base + '.') && !name.startsWith(base + '-')) continue;
    if (name.endsWith('-shm')) continue;
    const to = path.join(path.dirname(db), path.basename(db) + name.slice(base.length));
    fs.cpSync(path.join(dir, name), to, { recursive: true, preserveTimestamps: true });
  }
}

/**
 * The result of `jiceng init` + `jiceng demo`, made once per binary build and
 * shared by every test file of a run (the demo takes seconds under ASan).
 * Each server gets its own copy, so tests never share state. Keyed by the
 * binary's path, size and mtime and a 10-minute time bucket (and on PostgreSQL
 * by the cluster); JICENG_API_FRESH=1 makes every server from scratch instead.
 * On SQLite the template is a database file with its key; on PostgreSQL a
 * database of the cluster (copied with CREATE DATABASE … TEMPLATE) named in
 * the template dir, beside its key file. Returns {db, keyFile}.
 */
let template = null;
async function demoTemplate() {
  if (template) return template;
  const st = fs.statSync(BIN);
  // The demo's cases are dated relative to when it ran: a new template every 10 minutes.
  const bucket = Math.floor(Date.now() / 600_000);
  // A cluster made again on the same port is another cluster: its system identifier tells.
  const cluster = PG_URL ? `${PG_URL}\0${psql(pgUrl('postgres'), 'SELECT system_identifier FROM pg_control_system()')}` : '';
  const id = createHash('sha256').update(`${BIN}\0${st.size}\0${st.mtimeMs}\0${bucket}\0${cluster}`).digest('hex').slice(0, 16);
  const prefix = 'jiceng-api-template-';
  const final = path.join(os.tmpdir(), prefix + id);
  // One process makes it while the others of the run wait (the demo is slow under ASan and on PostgreSQL).
  const lock = await templateLock(final);
  try {
    if (!fs.existsSync(path.join(final, 'ready'))) makeTemplate(final, id, prefix);
  } finally {
    lock.release();
  }
  if (!fs.existsSync(path.join(final, 'ready'))) throw new Error(`demo template ${final} not ready`);
  fs.utimesSync(final, new Date(), new Date());
  if (PG_URL) {
    template = {
      db: fs.readFileSync(path.join(final, 'pg-database'), 'utf8').trim(),
      keyFile: path.join(final, 'jiceng.key'),
    };
  } else {
    template = { db: path.join(final, 'jiceng.db'), keyFile: path.join(final, 'jiceng.db.key') };
  }
  return template;
}

/**
 * Waits until this process holds the template's lock (a directory holding the
 * holder's pid) or the template is ready. A lock whose process is gone, or older
 * than 20 minutes, is broken. Returns {release()}.
 */
async function templateLock(final) {
  const lockDir = final + '.lock';
  for (;;) {
    if (fs.existsSync(path.join(final, 'ready'))) return { release() {} };
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return { release: () => fs.rmSync(lockDir, { recursive: true, force: true }) };
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let stale = false;
    try {
      const age = Date.now() - fs.statSync(lockDir).mtimeMs;
      const pidFile = path.join(lockDir, 'pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
      if (age > 1200_000 || (!pid && age > 10_000)) stale = true;
      else if (pid > 0) {
        try {
          process.kill(pid, 0);
        } catch (e) {
          stale = e.code === 'ESRCH';
        }
      }
    } catch {
      /* the holder just released the lock */
    }
    if (stale) fs.rmSync(lockDir, { recursive: true, force: true });
    else await sleep(250);
  }
}

/** Runs init + demo into a work dir (and database) and renames it to final. */
function makeTemplate(final, id, prefix) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiceng-api-tmpl-work-'));
  let pgMade = null; // the PostgreSQL database this process made, until it is the template
  try {
    const pw = path.join(work, 'admin-password');
    fs.writeFileSync(pw, ADMIN_PASSWORD + '\n', { mode: 0o600 });
    let args;
    if (PG_URL) {
      pgMade = createPgDatabase();
      args = ['--db', pgMade, '--key-file', path.join(work, 'jiceng.key')];
      fs.writeFileSync(path.join(work, 'pg-database'), new URL(pgMade).pathname.slice(1));
    } else {
      args = ['--db', path.join(work, 'jiceng.db')];
    }
    mustRun(['init', ...args, '--admin-password-file', pw]);
    mustRun(['demo', ...args]);
    fs.writeFileSync(path.join(work, 'ready'), '');
    try {
      fs.renameSync(work, final); // atomic: concurrent test files race harmlessly
      if (pgMade) {
        // The template outlives this process (later test files copy it); old ones are dropped below.
        pgDatabases.delete(new URL(pgMade).pathname.slice(1));
        pgMade = null;
      }
    } catch {
      /* another process made it first */
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (pgMade) dropPgDatabase(pgMade);
  }
  // Drop older templates nobody has used for 20 minutes.
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(prefix) || name === prefix + id) continue;
    const p = path.join(os.tmpdir(), name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs <= 1200_000) continue;
      const named = path.join(p, 'pg-database');
      if (PG_URL && fs.existsSync(named)) {
        // Only templates of this cluster: another cluster's database is not ours to drop.
        const n = fs.readFileSync(named, 'utf8').trim();
        if (psql(pgUrl('postgres'), `SELECT count(*) FROM pg_database WHERE datname = '${n.replace(/'/g, "''")}'`) === '1')
          dropPgDatabase(pgUrl(n));
      }
      fs.rmSync(p, { recursive: true, force: true });
    } catch {
      /* raced with another run */
    }
  }
}

/**
 * One `jiceng serve` process on dbArgs, listening on 127.0.0.1:port: launch(),
 * stop(), kill9(), restart(); what it wrote to stderr and stdout over all its
 * runs. Used alone (one node) or twice behind nginx (JICENG_TEST_NODES=2).
 */
function makeNode({ dbArgs, port, args, env, name = 'server' }) {
  let stderrText = '';
  let stdoutText = '';
  let proc = null;
  let exitPromise = null;
  const url = `http://127.0.0.1:${port}`;
  const running = () => proc && !proc.spawnError && proc.exitCode === null && proc.signalCode === null;

  const launch = async (deadline = Date.now() + REBUILD_WAIT_MS) => {
    proc = spawn(BIN, ['serve', ...dbArgs, '--listen', `127.0.0.1:${port}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...cliEnv(), ...env },
    });
    children.add(proc);
    proc.stderr.setEncoding('utf8');
    proc.stdout.setEncoding('utf8');
    proc.stderr.on('data', (d) => (stderrText += d));
    proc.stdout.on('data', (d) => (stdoutText += d));
    const p = proc;
    exitPromise = new Promise((resolve) => {
      p.on('exit', (code, signal) => {
        children.delete(p);
        resolve({ code, signal });
      });
      // A failed spawn (binary missing or being rebuilt) emits 'error' and never 'exit'.
      p.on('error', (error) => {
        children.delete(p);
        p.spawnError = error;
        resolve({ code: null, signal: null, error });
      });
    });
    try {
      await waitHealthy(url, proc);
    } catch (e) {
      proc.kill('SIGKILL');
      await exitPromise;
      if (proc.spawnError && BEING_REBUILT.has(proc.spawnError.code) && Date.now() < deadline) {
        await sleep(250);
        return launch(deadline);
      }
      throw new Error(`${name}: ${e.message}\n--- ${name} stderr ---\n${stderrText.slice(-4000)}`);
    }
  };

  return {
    name,
    url,
    port,
    get proc() {
      return proc;
    },
    running,
    launch,
    stderr: () => stderrText,
    stdout: () => stdoutText,
    /** SIGTERM and wait for the exit: {code, signal}. Throws on sanitizer reports. */
    async stop(timeoutMs = 20_000) {
      let result = { code: proc.exitCode, signal: proc.signalCode };
      if (running()) {
        proc.kill('SIGTERM');
        let timer;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), timeoutMs);
        });
        const r = await Promise.race([exitPromise, timeout]);
        clearTimeout(timer);
        if (r === null) {
          proc.kill('SIGKILL');
          await exitPromise;
          throw new Error(`${name} did not exit within ${timeoutMs} ms of SIGTERM`);
        }
        result = r;
      } else if (exitPromise) {
        result = await exitPromise;
      }
      this.checkSanitizers();
      return result;
    },
    /** SIGKILL: no chance to flush or clean up. */
    async kill9() {
      if (running()) {
        proc.kill('SIGKILL');
        await exitPromise;
      }
    },
    /** Starts the process again on the same database and port. */
    async restart() {
      if (running()) throw new Error(`restart() while ${name} still runs`);
      await launch();
    },
    checkSanitizers() {
      for (const pat of SANITIZER_PATTERNS) {
        if (stderrText.includes(pat)) {
          const at = stderrText.indexOf(pat);
          throw new Error(`${name} stderr reports a sanitizer error (${pat}):\n` + stderrText.slice(Math.max(0, at - 200), at + 4000));
        }
      }
    },
  };
}

/**
 * A private nginx (master and one worker, in a process group of their own) on
 * 127.0.0.1:port in front of the nodes at upstreams (ports), with its prefix,
 * configuration, pid file, error log and temp dirs under dir. The nodes trust it
 * (--trusted-proxy 127.0.0.1); it sets X-Forwarded-For to the test client's
 * address and X-Forwarded-Proto to http. trustClient (an address) makes it take
 * the client's own X-Forwarded-For (last entry, realip) and X-Forwarded-Proto
 * instead, as a proxy in front of it would send them: what `--trusted-proxy
 * ADDR` means for a single node. launch(), stop() (graceful: requests in
 * flight finish), kill9(), errorLog().
 */
function makeProxy({ dir, port, upstreams, trustClient }) {
  const prefix = path.join(dir, 'nginx');
  for (const d of ['', 'tmp', 'tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi'])
    fs.mkdirSync(path.join(prefix, d), { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  const errorLog = path.join(prefix, 'error.log');
  const url = `http://127.0.0.1:${port}`;
  const user = process.getuid() === 0 ? `user root;\n` : ''; // its workers run as this user, not as nobody
  const trust = trustClient
    ? `set_real_ip_from ${trustClient};\n  real_ip_header X-Forwarded-For;\n` +
      // the client's X-Forwarded-Proto only from the trusted address, as realip does for X-Forwarded-For
      `  geo $realip_remote_addr $jt_trusted {\n    default 0;\n    ${trustClient} 1;\n  }\n` +
      `  map "$jt_trusted:$http_x_forwarded_proto" $jt_proto {\n    default $scheme;\n    "~^1:(?<p>.+)$" $p;\n  }\n`
    : '';
  fs.writeFileSync(
    conf,
    `${user}daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${errorLog} warn;
events {
  worker_connections 1024;
}
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  # Both nodes on one database: any node serves any request. A node that refuses
  # a connection is left out for a second, so a restarted one is back soon.
  upstream jiceng_nodes {
    least_conn;
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=1s;`).join('\n')}
  }
  ${trust}
  server {
    listen 127.0.0.1:${port};
    # The photo test sends 6 MiB; jiceng answers each route's own limit with its own 413.
    client_max_body_size 64m;
    large_client_header_buffers 4 32k;
    proxy_request_buffering off;
    proxy_buffering off;
    location / {
      proxy_pass http://jiceng_nodes;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For ${trustClient ? '$proxy_add_x_forwarded_for' : '$remote_addr'};
      proxy_set_header X-Forwarded-Proto ${trustClient ? '$jt_proto' : '$scheme'};
      proxy_pass_header Server;
      proxy_connect_timeout 5s;
      proxy_read_timeout 300s;
      proxy_send_timeout 300s;
      # As in deploy/nginx-jiceng.conf: a refused connection goes to the other node;
      # a request that reached a node is not sent again unless it is idempotent.
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
    }
  }
}
`,
  );
  let proc = null;
  let exitPromise = null;
  const running = () => proc && !proc.spawnError && proc.exitCode === null && proc.signalCode === null;
  const readLog = () => {
    try {
      return fs.readFileSync(errorLog, 'utf8');
    } catch {
      return '';
    }
  };
  const killGroup = () => {
    try {
      process.kill(-proc.pid, 'SIGKILL'); // the master and its worker
    } catch {
      /* already gone */
    }
  };
  return {
    url,
    port,
    conf,
    errorLog: readLog,
    running,
    async launch() {
      let out = '';
      proc = spawn(NGINX, ['-p', prefix + '/', '-c', conf, '-e', errorLog], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      proxies.add(proc);
      proc.stdout.setEncoding('utf8');
      proc.stderr.setEncoding('utf8');
      proc.stdout.on('data', (d) => (out += d));
      proc.stderr.on('data', (d) => (out += d));
      const p = proc;
      exitPromise = new Promise((resolve) => {
        p.on('exit', (code, signal) => {
          proxies.delete(p);
          resolve({ code, signal });
        });
        p.on('error', (error) => {
          proxies.delete(p);
          p.spawnError = error;
          resolve({ code: null, signal: null, error });
        });
      });
      try {
        await waitHealthy(url, proc);
      } catch (e) {
        if (proc.pid) killGroup();
        await exitPromise;
        throw new Error(`nginx (${NGINX}): ${e.message}\n${out.slice(-2000)}\n--- nginx error log ---\n${readLog().slice(-3000)}`);
      }
    },
    /** SIGQUIT: nginx stops listening and exits once the requests in flight are answered. */
    async stop(timeoutMs = 20_000) {
      if (!running()) return;
      proc.kill('SIGQUIT');
      let timer;
      const r = await Promise.race([exitPromise, new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)))]);
      clearTimeout(timer);
      killGroup(); // a worker the master left behind
      if (r === null) {
        await exitPromise;
        throw new Error(`nginx did not exit within ${timeoutMs} ms of SIGQUIT`);
      }
    },
    async kill9() {
      if (!running()) return;
      killGroup();
      await exitPromise;
    },
  };
}

/**
 * Starts a server on a fresh demo database.
 * opts.args: extra `jiceng serve` arguments; opts.demo (default true): run
 * `jiceng demo`; opts.env: extra environment; opts.sameDatabaseAs: another server
 * (from startServer) whose database and key file this one serves too — a second node.
 * Returns {url, port, db, keyFile, dbArgs, dir, nodes, sql(), stop(), kill9(), restart(), stderr(), proc}.
 *
 * With JICENG_TEST_NODES=2 (on PostgreSQL) the server is two `jiceng serve`
 * nodes on the one database and key file behind a private nginx (makeProxy):
 * url and port are nginx's, nodes[] the two nodes (each with url, port, stop(),
 * kill9(), restart(), stderr()), stderr() and stdout() the two nodes' output
 * one after the other; stop(), kill9() and restart() act on nginx and both
 * nodes. A `--trusted-proxy ADDR` in opts.args goes to nginx (it trusts the
 * client's forwarding headers, see makeProxy); the nodes trust nginx.
 */
export async function startServer(opts = {}) {
  const dir = makeTempDir();
  const pwFile = path.join(dir, 'admin-password');
  fs.writeFileSync(pwFile, ADMIN_PASSWORD + '\n', { mode: 0o600 });
  let db, keyFile;
  if (opts.sameDatabaseAs) {
    ({ db, keyFile } = opts.sameDatabaseAs);
  } else if (opts.demo !== false && !process.env.JICENG_API_FRESH) {
    const t = await demoTemplate();
    if (BACKEND === 'postgres') {
      db = createPgDatabase(t.db);
      keyFile = path.join(dir, 'jiceng.key');
      fs.copyFileSync(t.keyFile, keyFile);
      fs.chmodSync(keyFile, 0o600);
      pgKeyFiles.set(db, keyFile);
    } else {
      db = path.join(dir, 'jiceng.db');
      keyFile = db + '.key';
      copyDatabase(t.db, db);
    }
  } else {
    ({ db, keyFile } = newDatabase(dir, 'jiceng'));
    mustRun(['init', '--db', db, '--admin-password-file', pwFile]);
    if (opts.demo !== false) mustRun(['demo', '--db', db]);
  }
  const dbArgs = BACKEND === 'postgres' ? ['--db', db, '--key-file', keyFile] : ['--db', db];
  const env = opts.env || {};
  let args = opts.args || [];
  let nodes, proxy;
  if (TWO_NODES) {
    let trustClient = null;
    const at = args.indexOf('--trusted-proxy');
    if (at >= 0) {
      trustClient = args[at + 1];
      args = [...args.slice(0, at), ...args.slice(at + 2)];
    }
    args = [...args, '--trusted-proxy', '127.0.0.1'];
    nodes = [];
    for (let i = 0; i < NODES; i++) nodes.push(makeNode({ dbArgs, port: await freePort(), args, env, name: `node ${i + 1}` }));
    proxy = makeProxy({ dir, port: await freePort(), upstreams: nodes.map((n) => n.port), trustClient });
  } else {
    nodes = [makeNode({ dbArgs, port: await freePort(), args, env })];
  }
  const front = proxy || nodes[0];

  /** Starts whatever of the nodes and nginx is not running (the nodes together). */
  const launch = async () => {
    const started = await Promise.allSettled(nodes.filter((n) => !n.running()).map((n) => n.launch()));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (proxy && !proxy.running()) await proxy.launch();
  };

  const server = {
    url: front.url,
    port: front.port,
    /** The database: a file path on SQLite, a postgres:// URL on PostgreSQL. */
    db,
    /** Its key file (PATH.key beside a SQLite file). */
    keyFile,
    /** `--db …` (and `--key-file …` on PostgreSQL) for CLI commands on this database. */
    dbArgs,
    dir,
    adminPasswordFile: pwFile,
    /** The `jiceng serve` processes: one, or JICENG_TEST_NODES behind nginx. */
    nodes,
    /** The nginx in front of the nodes, or null with one node. */
    proxy: proxy || null,
    /** Runs SQL on the server's database (sqlite3 or psql); the output, trimmed. */
    sql: (query) => sql(db, query),
    get proc() {
      return nodes[0].proc;
    },
    stderr: () => nodes.map((n) => n.stderr()).join(''),
    stdout: () => nodes.map((n) => n.stdout()).join(''),
    /**
     * SIGTERM and wait for the exit: {code, signal} (of a node that did not
     * exit cleanly, if one did not). nginx first, gracefully, so a request in
     * flight still reaches its node. Throws on sanitizer reports.
     */
    async stop(timeoutMs = 20_000) {
      if (proxy) await proxy.stop(timeoutMs);
      const results = await Promise.allSettled(nodes.map((n) => n.stop(timeoutMs)));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const all = results.map((r) => r.value);
      return all.find((r) => r.code !== 0 || r.signal !== null) || all[0];
    },
    /**
     * SIGKILL: no chance to flush or clean up. nginx first, so that a client sees
     * the whole service go (a reset connection) rather than a 502 from nginx.
     */
    async kill9() {
      if (proxy) await proxy.kill9();
      await Promise.all(nodes.map((n) => n.kill9()));
    },
    /** Starts the server again on the same database and ports. */
    async restart() {
      if (nodes.every((n) => n.running()) && (!proxy || proxy.running())) throw new Error('restart() while the server still runs');
      await launch();
    },
    checkSanitizers() {
      for (const n of nodes) n.checkSanitizers();
    },
  };
  try {
    await launch();
  } catch (e) {
    await server.kill9();
    throw e;
  }
  return server;
}

/**
 * One API request. opts: {cookie, csrf, token, body (JSON-encoded), rawBody,
 * contentType, headers}. Returns {status, headers, text, json}.
 */
export async function api(url, method, p, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (opts.cookie) headers['Cookie'] = opts.cookie;
  if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  let body;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    if (opts.contentType !== null) headers['Content-Type'] = opts.contentType || 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = opts.contentType || 'application/json';
  }
  const res = await fetch(url + p, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeout ?? 30_000),
  });
  const text = await res.text();
  countResponse(url);
  let json;
  const ct = res.headers.get('content-type') || '';
  if (text && ct.includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Signs in (must succeed): {cookie, csrf, user, setCookie}. */
export async function signIn(url, username, password) {
  const res = await api(url, 'POST', '/api/v1/session', { body: { username, password } });
  if (res.status !== 200) {
    throw new Error(`sign-in of ${username} answered ${res.status}: ${res.text}`);
  }
  const setCookie = sessionSetCookie(res.headers);
  assert.ok(setCookie, `no jiceng_session Set-Cookie for ${username}`);
  const cookie = setCookie.split(';')[0].trim();
  return { cookie, csrf: res.json.csrf_token, user: res.json.user, setCookie };
}

/** The Set-Cookie header line that sets jiceng_session, or undefined. */
export function sessionSetCookie(headers) {
  const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie')];
  return all.find((c) => c && c.trim().startsWith('jiceng_session='));
}

/** Signs in a demo user (password Demo@2026jc) or admin. */
export function signInDemo(url, username) {
  return signIn(url, username, username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
}

/**
 * Asserts an RFC 9457 problem response with the given status (or one of
 * several). A 422 must carry errors[] unless opts.skipErrors (used where a
 * separate test checks errors[] so one defect does not hide others).
 */
export function assertProblem(res, status, msg = '', opts = {}) {
  const want = Array.isArray(status) ? status : [status];
  const where = `${msg ? msg + ': ' : ''}got ${res.status} ${res.text.slice(0, 300)}`;
  assert.ok(want.includes(res.status), `expected status ${want.join('/')}; ${where}`);
  const ct = res.headers.get('content-type') || '';
  assert.match(ct, /^application\/problem\+json/, `content type of a ${res.status}: ${ct}; ${where}`);
  assert.ok(res.json && typeof res.json === 'object', `problem body is JSON; ${where}`);
  assert.equal(typeof res.json.type, 'string', `problem.type; ${where}`);
  assert.equal(typeof res.json.title, 'string', `problem.title; ${where}`);
  assert.equal(res.json.status, res.status, `problem.status equals the HTTP status; ${where}`);
  assert.equal(typeof res.json.detail, 'string', `problem.detail; ${where}`);
  assert.match(String(res.json.code), /^[a-z][a-z0-9_]*$/, `problem.code (a stable snake_case identifier); ${where}`);
  if (res.status === 422 && !opts.skipErrors) {
    assert.ok(Array.isArray(res.json.errors) && res.json.errors.length > 0, `422 carries errors[]; ${where}`);
    for (const e of res.json.errors) {
      assert.equal(typeof e.field, 'string', `errors[].field; ${where}`);
      assert.equal(typeof e.code, 'string', `errors[].code; ${where}`);
      assert.equal(typeof e.message, 'string', `errors[].message; ${where}`);
    }
  }
  return res.json;
}

/** The fields named in a 422's errors[]. */
export function errorFields(res) {
  return (res.json?.errors || []).map((e) => e.field);
}

/**
 * A raw HTTP/1.1 GET whose path is sent exactly as given (fetch would
 * normalise "/../"). Resolves {status, headers, body}.
 */
export function rawGet(port, rawPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: rawPath, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        countResponse(`http://127.0.0.1:${port}`);
        resolve({ status: res.statusCode, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${rawPath}: no answer in 30 s`)));
    req.end();
  });
}

/** Walks a list endpoint with limit and next_cursor; returns every item. */
export async function walkList(url, p, auth, limit) {
  const items = [];
  let cursor = null;
  for (let pages = 0; pages < 1000; pages++) {
    const sep = p.includes('?') ? '&' : '?';
    const q = `${p}${sep}limit=${limit}${cursor !== null ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api(url, 'GET', q, auth);
    assert.equal(res.status, 200, `GET ${q}: ${res.text}`);
    assert.ok(Array.isArray(res.json.items), `items of ${q}`);
    assert.ok(res.json.items.length <= limit, `page of ${q} holds at most ${limit}`);
    assert.ok('next_cursor' in res.json, `next_cursor present in ${q}`);
    items.push(...res.json.items);
    cursor = res.json.next_cursor;
    if (cursor === null) return items;
    assert.equal(typeof cursor, 'string', 'next_cursor is a string or null');
  }
  throw new Error(`${p}: paging did not end`);
}
