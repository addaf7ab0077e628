// Helpers shared by the case closed loop and Open311 suites (cases.test.mjs,
// caseflow.test.mjs, open311.test.mjs). Built on harness.mjs, which this
// module only imports; node's standard library only.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { GRID1, api, signIn, signInDemo } from './harness.mjs';

/** A password that satisfies the policy (≥ 10 characters, 3 of 4 classes). */
export const TEST_PASSWORD = 'Test@2026pass';

/** One demo user per role, each with a grant that reaches grid 1 (GRID1). */
export const ROLE_USERS = {
  admin: 'admin',
  district: 'zhihui',
  street: 'jiedao',
  community: 'shequ',
  supervisor: 'dudao',
  grid_leader: 'wanggezhang',
  grid_worker: 'wangge',
  building_leader: 'loudong',
  department: 'chengguan', // unit 城管执法
  cadre: 'ganbu',
  resident: 'jumin',
};
export const ROLES = Object.keys(ROLE_USERS);
export const CHENGGUAN_UNIT = '城管执法';

/** Signs in several demo users: {username: auth}. */
export async function signInMany(url, names) {
  const out = {};
  await Promise.all(names.map(async (n) => (out[n] = await signInDemo(url, n))));
  return out;
}

/**
 * Creates a user as admin and signs them in. grants: [{role, region_code}] or
 * a shorthand {role, region}. Returns the auth of the new user.
 */
export async function createUser(url, adminAuth, { username, role, region, unit, grants }) {
  const body = {
    username,
    display_name: `测试用户 ${username}`,
    password: TEST_PASSWORD,
    grants: grants || [{ role, region_code: region }],
  };
  if (unit) body.unit = unit;
  const res = await api(url, 'POST', '/api/v1/users', { ...adminAuth, body });
  assert.equal(res.status, 201, `create user ${username}: ${res.text}`);
  return signIn(url, username, TEST_PASSWORD);
}

/** Creates an API token as admin: the secret string. */
export async function createToken(url, adminAuth, name, grants) {
  const res = await api(url, 'POST', '/api/v1/tokens', { ...adminAuth, body: { name, grants } });
  assert.equal(res.status, 201, `create token ${name}: ${res.text}`);
  assert.equal(typeof res.json.token, 'string');
  return res.json.token;
}

let seq = 0;
/** A unique short tag for descriptions, so tests find their own cases. */
export function tag(prefix = 't') {
  seq += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${seq}`;
}

/** POST /api/v1/cases; asserts 201 unless opts.expect is given. Returns the response. */
export async function report(url, auth, body, opts = {}) {
  const full = { category: 'environment', description: tag('report'), region_code: GRID1, ...body };
  const res = await api(url, 'POST', '/api/v1/cases', { ...auth, body: full });
  const want = opts.expect ?? 201;
  assert.equal(res.status, want, `POST /api/v1/cases ${JSON.stringify(full)}: ${res.text.slice(0, 500)}`);
  return res;
}

/** POST /api/v1/cases/{id}/actions with the given body. */
export function act(url, auth, id, body) {
  return api(url, 'POST', `/api/v1/cases/${id}/actions`, { ...auth, body });
}

/** Runs an action that must succeed (200); returns the case. */
export async function mustAct(url, auth, id, body) {
  const res = await act(url, auth, id, body);
  assert.equal(res.status, 200, `action ${JSON.stringify(body)} on case ${id}: ${res.text.slice(0, 500)}`);
  return res.json;
}

/** GET /api/v1/cases/{id} (must succeed unless opts.expect). */
export async function getCase(url, auth, id, opts = {}) {
  const res = await api(url, 'GET', `/api/v1/cases/${id}${opts.query || ''}`, auth);
  const want = opts.expect ?? 200;
  assert.equal(res.status, want, `GET case ${id}: ${res.text.slice(0, 500)}`);
  return res.json;
}

/** The parts of a case that any change would touch. */
export function snapshot(c) {
  return {
    status: c.status,
    timeline: c.timeline.length,
    level: c.level,
    unit: c.unit,
    supervised: c.supervised,
    supervise_note: c.supervise_note,
    merged_into: c.merged_into,
    rating: c.rating,
    updated_at: c.updated_at,
    closed_at: c.closed_at,
    result: c.result,
  };
}

/** Runs fn over items with at most n in flight; resolves to the results in order. */
export async function mapLimit(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** Like mapLimit, but collects failures as strings instead of stopping. */
export async function collectFailures(items, n, fn) {
  const failures = [];
  await mapLimit(items, n, async (item, i) => {
    try {
      await fn(item, i);
    } catch (e) {
      failures.push(e.message);
    }
  });
  return failures;
}

// ---- images ----

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A valid 1×1 PNG; seed varies the pixel so each call can yield a new hash. */
export function pngBytes(seed = 0) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const raw = Buffer.from([0, seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff]);
  // zlib stream, stored (uncompressed) block.
  const zlib = Buffer.concat([
    Buffer.from([0x78, 0x01, 0x01, raw.length, 0, ~raw.length & 0xff, 0xff]),
    raw,
    Buffer.alloc(4),
  ]);
  let a = 1,
    b = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  zlib.writeUInt32BE(((b << 16) | a) >>> 0, zlib.length - 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal JPEG-shaped byte string: SOI, APP0 (JFIF), a comment with the seed, EOI. */
export function jpegBytes(seed = 0) {
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ]);
  const text = Buffer.from(`jiceng test ${seed}`, 'ascii');
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, text.length + 2]), text]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, com, Buffer.from([0xff, 0xd9])]);
}

export function sha256hex(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/** POST /api/v1/photos with raw bytes. */
export function uploadPhoto(url, auth, bytes, contentType = 'image/png') {
  return api(url, 'POST', '/api/v1/photos', { ...auth, rawBody: bytes, contentType });
}

// ---- Open311 ----

/** A form-encoded POST, as a GeoReport v2 client sends it. */
export function postForm(url, p, params, opts = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body.append(k, String(v));
  return api(url, 'POST', p, {
    rawBody: body.toString(),
    contentType: 'application/x-www-form-urlencoded',
    ...opts,
  });
}

/**
 * A tiny, strict XML parser for the documents these suites read: an optional
 * declaration, elements (with or without attributes, self-closing or not),
 * text with the five predefined entities and character references. Throws on
 * anything not well-formed. Returns the root {name, attrs, children, text}.
 */
export function parseXml(xml) {
  const re =
    /<\?xml[^?]*\?>|<!--[\s\S]*?-->|<\/([A-Za-z_][\w.-]*)\s*>|<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/y;
  const bad = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(xml);
  if (bad) {
    const cp = bad[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new Error(`XML: U+${cp} at offset ${bad.index} is not an XML character`);
  }
  const root = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  let pos = 0;
  let first = true;
  while (pos < xml.length) {
    re.lastIndex = pos;
    const m = re.exec(xml);
    if (!m) throw new Error(`XML not well-formed at offset ${pos}: ${JSON.stringify(xml.slice(pos, pos + 40))}`);
    const tok = m[0];
    if (tok.startsWith('<?xml') && !first) throw new Error('XML declaration not at the start');
    first = false;
    pos = re.lastIndex;
    if (tok.startsWith('<?') || tok.startsWith('<!--')) continue;
    const top = stack[stack.length - 1];
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`XML: </${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      if (top === root && root.children.length) throw new Error('XML: more than one root element');
      const attrs = {};
      for (const a of m[3].matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attrs[a[1]] = decodeEntities(a[2] ?? a[3]);
      }
      const el = { name: m[2], attrs, children: [], text: '' };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    } else {
      const text = m[5];
      if (top === root) {
        if (text.trim()) throw new Error('XML: text outside the root element');
        continue;
      }
      top.text += decodeEntities(text);
    }
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1].name}> is not closed`);
  if (root.children.length !== 1) throw new Error('XML: no root element');
  return root.children[0];
}

function decodeEntities(s) {
  return s.replace(/&([^;&]*);|&/g, (all, ent) => {
    if (ent === undefined) throw new Error(`XML: bare & in ${JSON.stringify(s.slice(0, 60))}`);
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ent in named) return named[ent];
    const num = /^#(\d+)$/.exec(ent) || /^#x([0-9a-fA-F]+)$/.exec(ent);
    if (num) return String.fromCodePoint(parseInt(num[1], ent[1] === 'x' ? 16 : 10));
    throw new Error(`XML: unknown entity &${ent};`);
  });
}

/** The child elements of el named name. */
export function xmlChildren(el, name) {
  return el.children.filter((c) => c.name === name);
}

/** The text of el's only child element called name (undefined when absent). */
export function xmlText(el, name) {
  const c = xmlChildren(el, name);
  assert.ok(c.length <= 1, `<${el.name}> has ${c.length} <${name}> children`);
  return c.length ? c[0].text : undefined;
}

/** The local (UTC+8) day number (days since 1970-01-01) of a YYYY-MM-DD date. */
export const dayOf = (date) => Date.parse(`${date}T00:00:00Z`) / 86400e3;
/** The YYYY-MM-DD of a local day number. */
export const dateOf = (day) => new Date(day * 86400e3).toISOString().slice(0, 10);

/** The server's working-day calendar (GET /api/v1/calendar): local day number → 'holiday' | 'workday'. */
export async function workCalendar(url, auth) {
  const res = await api(url, 'GET', '/api/v1/calendar', auth);
  assert.equal(res.status, 200, res.text);
  return new Map(res.json.items.map((d) => [dayOf(d.date), d.kind]));
}

/** Whether a local day number is a working day: Monday–Friday unless the calendar says otherwise. */
export function isWorkingDay(day, cal = new Map()) {
  const kind = cal.get(day);
  if (kind) return kind === 'workday';
  return (((day + 3) % 7) + 7) % 7 < 5; // 0 = Monday
}

/**
 * Working deadlines as DESIGN.md describes them, written apart from the server's (src/domain/deadline.c)
 * so either can catch the other: hours count on working days (Asia/Shanghai, UTC+8 all year) — Monday–
 * Friday, minus the calendar's holidays, plus its 调休 workdays; a start on a day off counts from the next
 * working day 00:00.
 */
export function addWorkingHours(start, hours, cal = new Map()) {
  const OFF = 8 * 3600,
    DAY = 86400;
  let local = start + OFF;
  let remaining = hours * 3600;
  let day = Math.floor(local / DAY);
  if (!isWorkingDay(day, cal)) {
    while (!isWorkingDay(day, cal)) day++;
    local = day * DAY;
  }
  for (;;) {
    const end = (day + 1) * DAY;
    if (isWorkingDay(day, cal)) {
      const left = end - local;
      if (remaining <= left) return local + remaining - OFF;
      remaining -= left;
    }
    day++;
    local = day * DAY;
  }
}
