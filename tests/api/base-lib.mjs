// Fixtures and generators for the base-data suites (residents, sweeps,
// exchange): GB 11643 citizen IDs with the fictitious area prefix 99, GB 32100
// credit codes, buildings/houses/residents made through the API, CSV text and
// audit look-ups. node's standard library only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { api, walkList } from './harness.mjs';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643 check character of the first 17 digits. */
export function idCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return '10X98765432'[sum % 11];
}

let idSerial = Math.floor(Math.random() * 400);
/**
 * A valid fictitious citizen ID: area 999xxx (the demo uses 990xxx), birth
 * date `birth` (YYYYMMDD, not checked here so invalid dates can be made with a
 * correct check digit), sequence `seq` (3 digits; odd = male).
 */
export function idNumber({ birth = '19800101', seq, area } = {}) {
  idSerial++;
  const a = area ?? `999${String(idSerial % 1000).padStart(3, '0')}`;
  const s = seq ?? 100 + ((idSerial * 7) % 800);
  const first = `${a}${birth}${String(s).padStart(3, '0')}`;
  return first + idCheck(first);
}

/** A valid ID whose check character is X. */
export function idNumberX(birth = '19850615') {
  for (let s = 1; s < 1000; s++) {
    idSerial++;
    const first = `999${String(idSerial % 1000).padStart(3, '0')}${birth}${String(s).padStart(3, '0')}`;
    if (idCheck(first) === 'X') return first + 'X';
  }
  throw new Error('no X check digit found');
}

/** The ID with a wrong (but well-formed) check character. */
export function wrongCheck(id) {
  const good = id[17];
  const bad = good === '1' ? '2' : good === 'X' ? '3' : good === '0' ? '1' : good === '9' ? '8' : '0';
  assert.notEqual(bad, good);
  return id.slice(0, 17) + bad;
}

/** The mask the API shows: 3 leading and 4 trailing characters kept. */
export const maskId = (id) => id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
export const maskPhone = (p) => p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4);

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 check character of the first 17 characters. */
export function usccCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c];
}

let usccSerial = Math.floor(Math.random() * 100000);
/** A valid unified social credit code (registration authority 9, type 1, area 999901). */
export function uscc() {
  usccSerial++;
  const first = `91999901M${String(usccSerial % 1e8).padStart(8, '0')}`;
  assert.equal(first.length, 17);
  return first + usccCheck(first);
}

/** A short random token to keep fixture names apart from demo data. */
export const tok = () => randomBytes(3).toString('hex');

let phoneSerial = Math.floor(Math.random() * 1e6);
/** A mobile number 13x######## that is unlikely to collide. */
export function phone() {
  phoneSerial++;
  return `137${String(phoneSerial % 1e8).padStart(8, '0')}`;
}

/**
 * An API request that must never answer 5xx (every call in the base-data
 * suites goes through this).
 */
export async function call(url, method, p, opts = {}) {
  const res = await api(url, method, p, opts);
  assert.ok(res.status < 500, `${method} ${p} answered ${res.status}: ${res.text.slice(0, 400)}`);
  return res;
}

/** POST that must answer 201: the JSON body. */
export async function created(url, auth, p, body) {
  const res = await call(url, 'POST', p, { ...auth, body });
  assert.equal(res.status, 201, `POST ${p} ${JSON.stringify(body)}: ${res.status} ${res.text}`);
  return res.json;
}

/** GET that must answer 200: the JSON body. */
export async function got(url, auth, p) {
  const res = await call(url, 'GET', p, auth);
  assert.equal(res.status, 200, `GET ${p}: ${res.status} ${res.text}`);
  return res.json;
}

/** PATCH that must answer 200: the JSON body. */
export async function patched(url, auth, p, body) {
  const res = await call(url, 'PATCH', p, { ...auth, body });
  assert.equal(res.status, 200, `PATCH ${p} ${JSON.stringify(body)}: ${res.status} ${res.text}`);
  return res.json;
}

/** A building in grid and n houses in it (rooms 101, 102, …): {building, houses}. */
export async function makeHouses(url, auth, grid, name, n, extra = {}) {
  const building = await created(url, auth, '/api/v1/buildings', { region_code: grid, name, floors: 6 });
  const houses = [];
  for (let i = 0; i < n; i++) {
    houses.push(
      await created(url, auth, '/api/v1/houses', {
        building_id: building.id,
        unit: '1单元',
        room: String(101 + i),
        ...extra,
      }),
    );
  }
  return { building, houses };
}

/** A resident (201) with a fresh ID and phone unless given: the JSON plus the clear values. */
export async function makeResident(url, auth, body) {
  const b = { residency: 'registered', id_number: idNumber(), phone: phone(), ...body };
  const r = await created(url, auth, '/api/v1/residents', b);
  return { ...r, clear_id: b.id_number, clear_phone: b.phone };
}

/** Admin-made grid under a community (code = community + serial). */
export async function makeGrid(url, admin, code, name) {
  return created(url, admin, '/api/v1/regions', {
    code,
    name,
    parent_code: code.slice(0, 12),
    planned_households: 400,
  });
}

/** Newest audit entries (up to n) as admin. */
export async function auditEntries(url, admin, n = 200) {
  const res = await call(url, 'GET', `/api/v1/audit?limit=${Math.min(n, 200)}`, admin);
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

/** Every item of a list endpoint (limit 200 pages). */
export const all = (url, p, auth) => walkList(url, p, auth, 200);

/** CSV text (CRLF, quoted where needed) from an array of rows. */
export function csv(rows, { bom = false } = {}) {
  const q = (v) => {
    const s = v == null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (bom ? '\uFEFF' : '') + rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}

/** Parses CSV text (RFC 4180, optional BOM) into rows of strings. */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [],
    field = '',
    i = 0,
    quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Uploads a file to an import route: {status, json, text, headers}. */
export function upload(url, auth, p, data, contentType = 'text/csv; charset=utf-8') {
  return call(url, 'POST', p, { ...auth, rawBody: data, contentType });
}

/** Downloads a binary body (for XLSX exports): {status, headers, buf}. */
export async function download(url, auth, p) {
  const res = await fetch(url + p, { headers: { Cookie: auth.cookie } });
  const buf = Buffer.from(await res.arrayBuffer());
  assert.ok(res.status < 500, `GET ${p} answered ${res.status}`);
  return { status: res.status, headers: res.headers, buf };
}
