// Open311 GeoReport v2 (/open311/v2/), used as a plain GeoReport client would:
// discovery, services, service definitions, form-encoded POST of service
// requests with api_key = an API token, reading requests back in both formats
// (.json and .xml), filters, tokens, and errors in the spec's own format
// (a list of {code, description}), never problem+json.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DISTRICT, GRID1, api, startServer } from './harness.mjs';
import {
  createToken,
  getCase,
  mustAct,
  parseXml,
  postForm,
  report,
  signInMany,
  tag,
  xmlChildren,
  xmlText,
} from './cases-lib.mjs';

// Demo grid 999901001001001 covers lon 120.000–120.004, lat 30.000–30.004
// (src/cli/demo.c, grid_geometry); grid …001002 lies east of it.
const IN_GRID1 = { lat: '30.002', long: '120.002' };
const IN_GRID2 = { lat: '30.002', long: '120.006' };
const NOWHERE = { lat: '31.5', long: '121.5' };
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

const O = '/open311/v2';
const get = (url, p) => api(url, 'GET', `${O}${p}`);
/** A read with api_key: the caller's scope shows cases in full. */
const keyed = (url, p, key) => api(url, 'GET', `${O}${p}${p.includes('?') ? '&' : '?'}api_key=${encodeURIComponent(key)}`);

/** Asserts a GeoReport error in JSON: [{code, description}] with the HTTP status. */
function assertJsonError(res, status, msg = '') {
  const want = Array.isArray(status) ? status : [status];
  const where = `${msg}: got ${res.status} ${res.text.slice(0, 300)}`;
  assert.ok(want.includes(res.status), `expected ${want.join('/')}; ${where}`);
  const ct = res.headers.get('content-type') || '';
  assert.match(ct, /^application\/json/, `error content type ${ct}; ${where}`);
  const body = JSON.parse(res.text);
  assert.ok(Array.isArray(body) && body.length >= 1, `errors are a list; ${where}`);
  for (const e of body) {
    assert.equal(e.code, res.status, `error code equals the status; ${where}`);
    assert.equal(typeof e.description, 'string', `error description; ${where}`);
    assert.ok(e.description.length > 0);
  }
  return body;
}

/** Asserts a GeoReport error in XML: <errors><error><code>…</code><description>…. */
function assertXmlError(res, status, msg = '') {
  const want = Array.isArray(status) ? status : [status];
  const where = `${msg}: got ${res.status} ${res.text.slice(0, 300)}`;
  assert.ok(want.includes(res.status), `expected ${want.join('/')}; ${where}`);
  assert.match(res.headers.get('content-type') || '', /xml/, where);
  const root = parseXml(res.text);
  assert.equal(root.name, 'errors', where);
  const errs = xmlChildren(root, 'error');
  assert.ok(errs.length >= 1, where);
  for (const e of errs) {
    assert.equal(xmlText(e, 'code'), String(res.status), where);
    assert.ok(xmlText(e, 'description')?.length > 0, where);
  }
}

describe('Open311 GeoReport v2', { timeout: 180_000 }, () => {
  let srv, url, s, apiKey;
  let categories = [];
  let posted; // {id, number} of the request posted in JSON
  const RESIDENT = { first_name: '华', last_name: '李', phone: '13612345678', email: 'lihua@example.com' };

  before(async () => {
    srv = await startServer();
    url = srv.url;
    s = await signInMany(url, ['admin', 'shequ', 'wangge', 'jumin']);
    apiKey = await createToken(url, s.admin, 'open311-client', [{ role: 'grid_worker', region_code: DISTRICT }]);
    const cats = await api(url, 'GET', '/api/v1/categories', s.admin);
    categories = cats.json.items;
  });
  after(async () => {
    await srv?.stop();
  });

  describe('discovery and services', () => {
    test('discovery.json and discovery.xml', async () => {
      const j = await get(url, '/discovery.json');
      assert.equal(j.status, 200, j.text);
      assert.match(j.headers.get('content-type'), /^application\/json/);
      const d = JSON.parse(j.text);
      assert.equal(typeof d.changeset, 'string');
      assert.equal(typeof d.contact, 'string');
      assert.ok(Array.isArray(d.endpoints) && d.endpoints.length >= 1);
      const ep = d.endpoints[0];
      assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.match(ep.url, /\/open311\/v2\/?$/);
      assert.ok(ep.formats.includes('text/xml') && ep.formats.includes('application/json'));
      assert.equal(typeof ep.type, 'string');

      const x = await get(url, '/discovery.xml');
      assert.equal(x.status, 200, x.text);
      assert.match(x.headers.get('content-type'), /^text\/xml|^application\/xml/);
      const root = parseXml(x.text);
      assert.equal(root.name, 'discovery');
      assert.ok(xmlText(root, 'changeset'));
      const endpoints = xmlChildren(root, 'endpoints');
      assert.equal(endpoints.length, 1);
      const eps = xmlChildren(endpoints[0], 'endpoint');
      assert.ok(eps.length >= 1);
      assert.equal(xmlText(eps[0], 'specification'), 'http://wiki.open311.org/GeoReport_v2');
      assert.match(xmlText(eps[0], 'url'), /\/open311\/v2\/?$/);
      const formats = xmlChildren(xmlChildren(eps[0], 'formats')[0], 'format').map((f) => f.text);
      assert.deepEqual(formats.sort(), ['application/json', 'text/xml']);
    });

    test('services.json lists every active category once, with the spec fields', async () => {
      const res = await get(url, '/services.json');
      assert.equal(res.status, 200, res.text);
      const list = JSON.parse(res.text);
      assert.ok(Array.isArray(list));
      assert.deepEqual(
        list.map((x) => x.service_code).sort(),
        categories.filter((c) => c.active).map((c) => c.code).sort(),
      );
      for (const svc of list) {
        const cat = categories.find((c) => c.code === svc.service_code);
        assert.equal(svc.service_name, cat.name);
        assert.equal(typeof svc.description, 'string');
        assert.equal(svc.metadata, false);
        assert.equal(svc.type, 'realtime');
        assert.equal(typeof svc.keywords, 'string');
        assert.equal(typeof svc.group, 'string');
      }
    });

    test('services.xml is well-formed and lists the same services', async () => {
      const res = await get(url, '/services.xml');
      assert.equal(res.status, 200, res.text);
      const root = parseXml(res.text);
      assert.equal(root.name, 'services');
      const svcs = xmlChildren(root, 'service');
      assert.deepEqual(
        svcs.map((x) => xmlText(x, 'service_code')).sort(),
        categories.filter((c) => c.active).map((c) => c.code).sort(),
      );
      for (const svc of svcs) {
        for (const f of ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']) {
          assert.ok(xmlText(svc, f) !== undefined, `<service> has <${f}>`);
        }
        assert.equal(xmlText(svc, 'metadata'), 'false');
        assert.equal(xmlText(svc, 'type'), 'realtime');
        const cat = categories.find((c) => c.code === xmlText(svc, 'service_code'));
        assert.equal(xmlText(svc, 'service_name'), cat.name);
      }
    });

    test('services/{code}.json and .xml give the (empty) definition; unknown → 404 in the spec format', async () => {
      const j = await get(url, '/services/environment.json');
      assert.equal(j.status, 200, j.text);
      const def = JSON.parse(j.text);
      assert.equal(def.service_code, 'environment');
      assert.deepEqual(def.attributes, []);
      const x = await get(url, '/services/environment.xml');
      assert.equal(x.status, 200, x.text);
      const root = parseXml(x.text);
      assert.equal(root.name, 'service_definition');
      assert.equal(xmlText(root, 'service_code'), 'environment');
      assert.equal(xmlChildren(root, 'attributes').length, 1);
      assertJsonError(await get(url, '/services/no_such_service.json'), 404, 'unknown service (json)');
      assertXmlError(await get(url, '/services/no_such_service.xml'), 404, 'unknown service (xml)');
    });

    test('reads need no account; an unknown format or resource → 404', async () => {
      assert.equal((await get(url, '/services.json')).status, 200);
      const html = await get(url, '/services.html');
      assert.equal(html.status, 404, html.text);
      assert.ok(!/problem\+json/.test(html.headers.get('content-type') || ''), 'spec errors, not problem+json');
      assertJsonError(await get(url, '/nothing.json'), 404, 'unknown resource');
    });
  });

  describe('posting and reading service requests', () => {
    test('POST requests.json (form-encoded, api_key) → service_request_id', async () => {
      const description = `${tag('o311')} 路灯不亮`;
      const res = await postForm(url, `${O}/requests.json`, {
        api_key: apiKey,
        service_code: 'environment',
        description,
        ...IN_GRID1,
        address_string: '幸福路 12 号',
        ...RESIDENT,
      });
      assert.ok([200, 201].includes(res.status), `${res.status} ${res.text}`);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      const body = JSON.parse(res.text);
      assert.ok(Array.isArray(body) && body.length === 1, res.text);
      assert.match(String(body[0].service_request_id), /^\d+$/);
      assert.ok(!('token' in body[0]) || typeof body[0].token === 'string');
      posted = { id: Number(body[0].service_request_id), description, notice: body[0].service_notice };
    });

    test('requests/{id}.json reads it back: open, service_code, agency_responsible, expected_datetime', async () => {
      assert.ok(posted, 'posted by the previous test');
      const res = await keyed(url, `/requests/${posted.id}.json`, apiKey);
      assert.equal(res.status, 200, res.text);
      const list = JSON.parse(res.text);
      assert.ok(Array.isArray(list) && list.length === 1);
      const r = list[0];
      for (const f of REQUEST_FIELDS) assert.ok(f in r, `request has ${f}`);
      assert.equal(String(r.service_request_id), String(posted.id));
      assert.equal(r.status, 'open');
      assert.equal(r.service_code, 'environment');
      assert.equal(r.service_name, categories.find((c) => c.code === 'environment').name);
      assert.equal(r.description, posted.description);
      assert.equal(r.address, '幸福路 12 号');
      assert.ok(Math.abs(Number(r.lat) - 30.002) < 1e-6);
      assert.ok(Math.abs(Number(r.long) - 120.002) < 1e-6);
      assert.match(r.requested_datetime, RFC3339);
      assert.match(r.updated_datetime, RFC3339);
      assert.match(r.expected_datetime, RFC3339);
      // The same case, as staff see it.
      const c = await getCase(url, s.shequ, posted.id);
      assert.equal(r.agency_responsible, c.unit);
      assert.ok(r.agency_responsible, 'a handling unit is named');
      assert.equal(Date.parse(r.expected_datetime), Date.parse(c.deadlines.handle_due), 'expected_datetime is the deadline');
      assert.equal(Date.parse(r.requested_datetime), Date.parse(c.created_at));
      // Public reads carry no personal data of the reporter.
      for (const secret of ['13612345678', '李华', 'lihua@example.com']) assert.ok(!res.text.includes(secret), secret);
    });

    test('requests/{id}.xml gives the same request, well-formed', async () => {
      const res = await keyed(url, `/requests/${posted.id}.xml`, apiKey);
      assert.equal(res.status, 200, res.text);
      const root = parseXml(res.text);
      assert.equal(root.name, 'service_requests');
      const reqs = xmlChildren(root, 'request');
      assert.equal(reqs.length, 1);
      const r = reqs[0];
      for (const f of REQUEST_FIELDS) assert.equal(xmlChildren(r, f).length, 1, `<request> has <${f}>`);
      assert.equal(xmlText(r, 'service_request_id'), String(posted.id));
      assert.equal(xmlText(r, 'status'), 'open');
      assert.equal(xmlText(r, 'service_code'), 'environment');
      assert.equal(xmlText(r, 'description'), posted.description);
      assert.match(xmlText(r, 'expected_datetime'), RFC3339);
      assert.ok(xmlText(r, 'agency_responsible'));
      const json = JSON.parse((await keyed(url, `/requests/${posted.id}.json`, apiKey)).text)[0];
      assert.equal(xmlText(r, 'agency_responsible'), json.agency_responsible);
      assert.equal(xmlText(r, 'expected_datetime'), json.expected_datetime);
    });

    test('requests.json?service_request_id=… finds it (and leaves unknown ids out)', async () => {
      let res = await get(url, `/requests.json?service_request_id=${posted.id}`);
      assert.equal(res.status, 200, res.text);
      let list = JSON.parse(res.text);
      assert.deepEqual(list.map((r) => String(r.service_request_id)), [String(posted.id)]);
      res = await get(url, `/requests.json?service_request_id=${posted.id},999999999`);
      list = JSON.parse(res.text);
      assert.deepEqual(list.map((r) => String(r.service_request_id)), [String(posted.id)]);
      res = await get(url, `/requests.xml?service_request_id=${posted.id}`);
      const root = parseXml(res.text);
      assert.equal(xmlChildren(root, 'request').length, 1);
      assertJsonError(await get(url, '/requests.json?service_request_id=abc'), 400, 'a non-numeric id');
      for (const bad of [`+${posted.id}`, `${posted.id}%20`, `%20${posted.id}`, `-${posted.id}`, '1234567890123456789'])
        assertJsonError(await get(url, `/requests.json?service_request_id=${bad}`), 400, `id ${bad}`);
    });

    test('the request is a case to staff: source open311, routed to the grid of the point', async () => {
      const c = await getCase(url, s.shequ, posted.id);
      assert.equal(c.source, 'open311');
      assert.equal(c.region_code, GRID1);
      assert.equal(c.category, 'environment');
      assert.equal(c.status, 'reported');
      assert.equal(c.description, posted.description);
      assert.equal(c.reporter?.name, '李华');
      assert.equal(c.reporter?.phone, '136****5678');
      assert.equal(c.timeline[0].action, 'report');
      assert.match(c.timeline[0].actor, /open311-client/);
      if (posted.notice) assert.equal(posted.notice, c.number);
      // It shows up in the grid's list too.
      const list = await api(url, 'GET', `/api/v1/cases?region=${GRID1}&limit=20`, s.wangge);
      assert.ok(list.json.items.some((x) => x.id === posted.id));
    });

    test('POST requests.xml → XML with service_request_id; a point in grid 2 lands in grid 2', async () => {
      const res = await postForm(url, `${O}/requests.xml`, {
        api_key: apiKey,
        service_code: 'municipal',
        description: `${tag('o311x')} 井盖缺失 <&>`,
        ...IN_GRID2,
      });
      assert.ok([200, 201].includes(res.status), `${res.status} ${res.text}`);
      assert.match(res.headers.get('content-type'), /xml/);
      const root = parseXml(res.text);
      assert.equal(root.name, 'service_requests');
      const r = xmlChildren(root, 'request');
      assert.equal(r.length, 1);
      const id = xmlText(r[0], 'service_request_id');
      assert.match(id, /^\d+$/);
      const c = await getCase(url, s.shequ, id);
      assert.equal(c.region_code, '999901001001002');
      assert.equal(c.source, 'open311');
      assert.equal(c.reporter, null, 'no name or phone: anonymous');
      const back = parseXml((await keyed(url, `/requests/${id}.xml`, apiKey)).text);
      assert.match(xmlText(xmlChildren(back, 'request')[0], 'description'), /井盖缺失 <&>$/);
    });

    test('tokens/{token}: unknown → 404; the tracking code of a request → its id', async () => {
      assertJsonError(await get(url, '/tokens/NOSUCHTOKEN1.json'), 404, 'unknown token');
      assertJsonError(await get(url, '/tokens/x.json'), 404, 'unknown short token');
      assertXmlError(await get(url, '/tokens/NOSUCHTOKEN1.xml'), 404, 'unknown token (xml)');
      const c = await getCase(url, s.shequ, posted.id);
      const res = await get(url, `/tokens/${c.tracking_code}.json`);
      assert.equal(res.status, 200, res.text);
      const list = JSON.parse(res.text);
      assert.equal(String(list[0].service_request_id), String(posted.id));
      assert.equal(list[0].token, c.tracking_code);
    });

    test('unknown request id → 404 in the spec format', async () => {
      assertJsonError(await get(url, '/requests/999999999.json'), 404, 'unknown id');
      assertXmlError(await get(url, '/requests/999999999.xml'), 404, 'unknown id (xml)');
      assertJsonError(await get(url, '/requests/abc.json'), 404, 'non-numeric id');
    });
  });

  describe('errors on POST, in the spec format; nothing is stored', () => {
    const good = () => ({ api_key: apiKey, service_code: 'environment', description: 'x', ...IN_GRID1 });
    let before;
    const total = async () => {
      const r = await api(url, 'GET', '/api/v1/cases/counts', s.admin);
      return Object.values(r.json.by_status).reduce((a, b) => a + b, 0);
    };

    test('count before', async () => {
      before = await total();
    });

    test('missing api_key → 403 [{code, description}]', async () => {
      const { api_key: _, ...noKey } = good();
      const body = assertJsonError(await postForm(url, `${O}/requests.json`, noKey), 403, 'no api_key');
      assert.equal(body[0].code, 403);
      assertXmlError(await postForm(url, `${O}/requests.xml`, noKey), 403, 'no api_key (xml)');
    });

    test('a bad or revoked api_key → 403; a session cookie is no api_key', async () => {
      assertJsonError(await postForm(url, `${O}/requests.json`, { ...good(), api_key: 'jc_not_a_token' }), 403, 'bad key');
      const made = await api(url, 'POST', '/api/v1/tokens', {
        ...s.admin,
        body: { name: 'revoked-client', grants: [{ role: 'grid_worker', region_code: DISTRICT }] },
      });
      assert.equal(made.status, 201);
      const del = await api(url, 'DELETE', `/api/v1/tokens/${made.json.id}`, s.admin);
      assert.equal(del.status, 204, del.text);
      assertJsonError(await postForm(url, `${O}/requests.json`, { ...good(), api_key: made.json.token }), 403, 'revoked');
      const { api_key: _, ...noKey } = good();
      assertJsonError(
        await postForm(url, `${O}/requests.json`, noKey, { cookie: s.shequ.cookie, csrf: s.shequ.csrf }),
        403,
        'cookie only',
      );
    });

    test('missing service_code → 400; unknown service → 400 or 404', async () => {
      const { service_code: _, ...noCode } = good();
      assertJsonError(await postForm(url, `${O}/requests.json`, noCode), 400, 'no service_code');
      assertXmlError(await postForm(url, `${O}/requests.xml`, noCode), 400, 'no service_code (xml)');
      assertJsonError(
        await postForm(url, `${O}/requests.json`, { ...good(), service_code: 'no_such_service' }),
        [400, 404],
        'unknown service_code',
      );
      assertXmlError(
        await postForm(url, `${O}/requests.xml`, { ...good(), service_code: 'no_such_service' }),
        [400, 404],
        'unknown service_code (xml)',
      );
    });

    test('a point outside every grid → 400; no location → 400; bad coordinates → 400', async () => {
      assertJsonError(await postForm(url, `${O}/requests.json`, { ...good(), ...NOWHERE }), 400, 'outside every grid');
      assertXmlError(await postForm(url, `${O}/requests.xml`, { ...good(), ...NOWHERE }), 400, 'outside (xml)');
      const { lat: _a, long: _b, ...noLoc } = good();
      assertJsonError(await postForm(url, `${O}/requests.json`, noLoc), 400, 'no location');
      assertJsonError(await postForm(url, `${O}/requests.json`, { ...good(), lat: 'abc' }), 400, 'lat abc');
      assertJsonError(await postForm(url, `${O}/requests.json`, { ...good(), lat: '95' }), 400, 'lat 95');
      assertJsonError(await postForm(url, `${O}/requests.json`, { ...good(), long: '200' }), 400, 'long 200');
    });

    test('missing description, a bad phone → 400', async () => {
      const { description: _, ...noDesc } = good();
      assertJsonError(await postForm(url, `${O}/requests.json`, noDesc), 400, 'no description');
      assertJsonError(await postForm(url, `${O}/requests.json`, { ...good(), phone: 'call me' }), 400, 'bad phone');
    });

    test('a JSON body is not a form → 415 or 400, still in the spec format', async () => {
      const res = await api(url, 'POST', `${O}/requests.json`, { body: good() });
      assertJsonError(res, [400, 415], 'JSON body');
    });

    test('nothing was stored by the refused posts', async () => {
      assert.equal(await total(), before);
    });
  });

  describe('filters on requests.json', () => {
    let openId, closedId, rejectedId;
    before(async () => {
      const post = async (description) => {
        const res = await postForm(url, `${O}/requests.json`, {
          api_key: apiKey,
          service_code: 'property',
          description,
          ...IN_GRID1,
        });
        assert.ok([200, 201].includes(res.status), res.text);
        return Number(JSON.parse(res.text)[0].service_request_id);
      };
      openId = await post(tag('open'));
      closedId = await post(tag('closed'));
      rejectedId = await post(tag('rejected'));
      for (const [who, a] of [
        ['shequ', { action: 'accept' }],
        ['wangge', { action: 'start' }],
        ['wangge', { action: 'handle', comment: '物业已维修（内部：更换水泵）', public_reply: '物业已维修' }],
        ['wangge', { action: 'verify' }],
        ['wangge', { action: 'close' }],
      ])
        await mustAct(url, s[who], closedId, a);
      await mustAct(url, s.shequ, rejectedId, { action: 'reject', comment: '不属于受理范围' });
    });

    test('status=closed lists closed requests only; status=open open ones only', async () => {
      let res = await get(url, '/requests.json?status=closed');
      assert.equal(res.status, 200, res.text);
      let list = JSON.parse(res.text);
      const ids = list.map((r) => Number(r.service_request_id));
      assert.ok(ids.includes(closedId), 'the closed request');
      assert.ok(ids.includes(rejectedId), 'a rejected request is closed too');
      assert.ok(!ids.includes(openId));
      assert.ok(list.every((r) => r.status === 'closed'));
      assert.equal(list.find((r) => Number(r.service_request_id) === closedId).status_notes, '物业已维修');
      assert.ok(!res.text.includes('更换水泵'), 'the internal result is never published');
      res = await get(url, '/requests.json?status=open');
      list = JSON.parse(res.text);
      assert.ok(list.some((r) => Number(r.service_request_id) === openId));
      assert.ok(!list.some((r) => Number(r.service_request_id) === closedId));
      assert.ok(list.every((r) => r.status === 'open'));
      res = await get(url, '/requests.xml?status=closed');
      const root = parseXml(res.text);
      const reqs = xmlChildren(root, 'request');
      assert.ok(reqs.some((r) => xmlText(r, 'service_request_id') === String(closedId)));
      assert.ok(reqs.every((r) => xmlText(r, 'status') === 'closed'));
      assertJsonError(await get(url, '/requests.json?status=pending'), 400, 'bad status');
    });

    test('service_code filters', async () => {
      const list = JSON.parse((await get(url, '/requests.json?service_code=property')).text);
      assert.ok(list.length >= 3);
      assert.ok(list.every((r) => r.service_code === 'property'));
      assert.ok(list.some((r) => Number(r.service_request_id) === openId));
    });

    test('start_date and end_date filter by the requested time', async () => {
      const fmt = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
      const now = Date.now();
      const ids = async (q) => {
        const res = await get(url, `/requests.json?${q}`);
        assert.equal(res.status, 200, `${q}: ${res.text.slice(0, 300)}`);
        return JSON.parse(res.text).map((r) => Number(r.service_request_id));
      };
      const q = (a, b) =>
        [a && `start_date=${encodeURIComponent(fmt(a))}`, b && `end_date=${encodeURIComponent(fmt(b))}`]
          .filter(Boolean)
          .join('&');
      assert.ok((await ids(q(now - 3600e3, now + 3600e3))).includes(openId), 'within the last hour');
      assert.ok((await ids(q(now - 2 * 86400e3))).includes(openId), 'start_date alone');
      assert.ok(!(await ids(q(now - 10 * 86400e3, now - 9 * 86400e3))).includes(openId), 'a window in the past');
      assert.ok(!(await ids(q(now + 3600e3, now + 7200e3))).includes(openId), 'a window in the future');
      const past = await ids(q(now - 10 * 86400e3, now - 9 * 86400e3));
      for (const id of past) assert.ok(id < openId);
      // The same instant written in Asia/Shanghai time.
      const shanghai = (ms) => new Date(ms + 8 * 3600e3).toISOString().replace(/\.\d{3}Z$/, '+08:00');
      const local = await ids(
        `start_date=${encodeURIComponent(shanghai(now - 3600e3))}&end_date=${encodeURIComponent(shanghai(now + 3600e3))}`,
      );
      assert.ok(local.includes(openId), 'dates with a +08:00 offset');
      assert.ok(
        !(await ids(`start_date=${encodeURIComponent(shanghai(now + 3600e3))}&end_date=${encodeURIComponent(shanghai(now + 7200e3))}`)).includes(openId),
      );
      assertJsonError(await get(url, '/requests.json?start_date=yesterday'), 400, 'bad start_date');
      assertJsonError(await get(url, `/requests.json?${q(now, now - 3600e3)}`), 400, 'end before start');
    });

    test('XML output stays well-formed whatever a description holds', async () => {
      // Reported through the JSON API by staff: markup characters and a noncharacter.
      const c = (
        await report(url, s.wangge, { category: 'property', description: `${tag('xml')} a<b>&c"d'e \uFFFE\uFFFF end` })
      ).json;
      const res = await keyed(url, `/requests/${c.id}.xml`, apiKey);
      assert.equal(res.status, 200, res.text);
      const root = parseXml(res.text);
      const d = xmlText(xmlChildren(root, 'request')[0], 'description');
      assert.match(d, /a<b>&c"d'e/);
      parseXml((await get(url, '/requests.xml?service_code=property')).text);
    });
  });
  describe('reads without a key publish only public cases, coarsely (leak 2)', () => {
    const EXACT = { lat: 30.0021, lon: 120.0023 };
    const c = {};
    const ids = (text) => JSON.parse(text).map((r) => Number(r.service_request_id));
    before(async () => {
      const staff = async (body) => (await report(url, s.wangge, body)).json.id;
      c.published = await staff({
        category: 'environment',
        description: `${tag('pub')} 垃圾桶满溢`,
        publish_description: true,
        location: { ...EXACT, address: '幸福路 8 号 3 单元 502 室' },
        reporter: { name: '赵公开', phone: '13700001234' },
      });
      c.unpublished = await staff({
        category: 'environment',
        description: `${tag('unpub')} 赵不公开 13700005678 楼下堆物`,
        location: { ...EXACT, address: '幸福路 9 号 1 单元 101 室' },
      });
      c.dispute = await staff({ category: 'dispute', description: `${tag('disp')} 张三与李四 13900001111 漏水纠纷` });
      c.noise = await staff({ category: 'noise', description: `${tag('noise')} 楼上 1201 夜间噪音` });
      c.privateTier = await staff({ category: 'environment', tier: 'private', description: `${tag('priv')} 私事` });
      c.anonymous = (
        await report(url, s.jumin, {
          category: 'environment',
          anonymous: true,
          description: `${tag('anon')} 匿名反映`,
          reporter: { name: '钱匿名', phone: '13700009999' },
        })
      ).json.id;
    });

    test('categories carry the public flag: disputes, noise, livelihood, public order, group rentals, other are not', async () => {
      const res = await api(url, 'GET', '/api/v1/categories?all=true', s.shequ);
      assert.equal(res.status, 200, res.text);
      const pub = Object.fromEntries(res.json.items.map((x) => [x.code, x.public]));
      for (const code of ['environment', 'property', 'municipal', 'safety', 'fire', 'illegal_construction', 'food_safety'])
        assert.equal(pub[code], true, `${code} is public`);
      for (const code of ['dispute', 'noise', 'livelihood', 'public_order', 'group_rental', 'other'])
        assert.equal(pub[code], false, `${code} is not public`);
      assert.equal((await api(url, 'GET', '/api/v1/categories?all=1', s.shequ)).status, 400, 'all=1 is not a boolean');
    });

    for (const fmt of ['json', 'xml']) {
      test(`requests.${fmt} without a key lists only public cases, with a coarse point and no home address`, async () => {
        const res = await get(url, `/requests.${fmt}?service_request_id=${Object.values(c).join(',')}`);
        assert.equal(res.status, 200, res.text);
        let listed;
        if (fmt === 'json') {
          listed = JSON.parse(res.text);
        } else {
          listed = xmlChildren(parseXml(res.text), 'request').map((r) =>
            Object.fromEntries(REQUEST_FIELDS.map((f) => [f, xmlText(r, f) || null])),
          );
        }
        const got = listed.map((r) => Number(r.service_request_id)).sort((a, b) => a - b);
        assert.deepEqual(got, [c.published, c.unpublished, c.anonymous].sort((a, b) => a - b));
        const pub = listed.find((r) => Number(r.service_request_id) === c.published);
        assert.match(pub.description, /垃圾桶满溢$/, 'a published description is shown');
        const unpub = listed.find((r) => Number(r.service_request_id) === c.unpublished);
        assert.ok(!unpub.description, 'an unpublished description is not shown');
        for (const r of [pub, unpub]) {
          const lat = Number(r.lat), lon = Number(r.long);
          assert.ok(Math.abs(lat - EXACT.lat) < 0.003 && Math.abs(lon - EXACT.lon) < 0.003, 'near the point');
          assert.ok(Math.abs(lat - EXACT.lat) > 1e-5 || Math.abs(lon - EXACT.lon) > 1e-5, 'but not the point');
          assert.equal(r.address, '阳光社区', 'the community, not the home');
        }
        for (const secret of ['幸福路', '502', '赵公开', '13700001234', '赵不公开', '13700005678', '钱匿名', '13700009999', '纠纷', '1201', '私事'])
          assert.ok(!res.text.includes(secret), `public read leaks ${secret}`);
      });
    }

    test('the window listing without a key holds no case of a non-public category or the private tier', async () => {
      const res = await get(url, '/requests.json');
      assert.equal(res.status, 200);
      const listed = JSON.parse(res.text);
      const pubCodes = new Set(['environment', 'property', 'municipal', 'safety', 'fire', 'illegal_construction', 'food_safety']);
      assert.ok(listed.length > 0);
      for (const r of listed) assert.ok(pubCodes.has(r.service_code), `${r.service_code} listed without a key`);
      const got = new Set(ids(res.text));
      for (const k of ['dispute', 'noise', 'privateTier']) assert.ok(!got.has(c[k]), `${k} not listed`);
      assert.ok(got.has(c.published));
    });

    test('a non-public request by id → 404 without a key (like an unknown id), 200 in full with a key that reaches it', async () => {
      for (const k of ['dispute', 'noise', 'privateTier']) {
        assertJsonError(await get(url, `/requests/${c[k]}.json`), 404, `${k} without a key`);
        assertXmlError(await get(url, `/requests/${c[k]}.xml`), 404, `${k} without a key (xml)`);
      }
      const res = await keyed(url, `/requests/${c.dispute}.json`, apiKey);
      assert.equal(res.status, 200, res.text);
      assert.match(JSON.parse(res.text)[0].description, /漏水纠纷$/);
      const audit = await api(url, 'GET', '/api/v1/audit?limit=20', s.admin);
      assert.ok(
        audit.json.items.some((e) => e.action === 'open311.read' && /open311-client/.test(e.username || '')),
        `a keyed read is audited: ${JSON.stringify(audit.json.items.slice(0, 3))}`,
      );
      const exact = JSON.parse((await keyed(url, `/requests/${c.unpublished}.json`, apiKey)).text)[0];
      assert.ok(Math.abs(Number(exact.lat) - EXACT.lat) < 1e-6, 'a key that reaches it reads the exact point');
      assert.equal(exact.address, '幸福路 9 号 1 单元 101 室');
      assert.ok(!JSON.stringify(exact).includes('13700005678') || exact.description.includes('13700005678'));
    });

    test('a key outside the case\'s scope, or of a department of another unit, reads only the public face', async () => {
      const grid2 = await createToken(url, s.admin, 'o311-grid2', [{ role: 'grid_worker', region_code: '999901001001002' }]);
      const dept = await createToken(url, s.admin, 'o311-dept', [{ role: 'department', region_code: DISTRICT }]);
      for (const key of [grid2, dept]) {
        assertJsonError(await keyed(url, `/requests/${c.dispute}.json`, key), 404, 'dispute out of scope');
        const pub = JSON.parse((await keyed(url, `/requests/${c.unpublished}.json`, key)).text)[0];
        assert.ok(!pub.description, 'still no unpublished description');
        assert.equal(pub.address, '阳光社区');
      }
      assertJsonError(await keyed(url, '/requests.json', 'jc_not_a_token'), 403, 'a bad key on a read');
    });

    test('admins set the public flag; a private-tier category cannot be public; others cannot set it', async () => {
      const on = await api(url, 'PATCH', '/api/v1/categories/noise', { ...s.admin, body: { public: true } });
      assert.equal(on.status, 200, on.text);
      assert.equal(on.json.public, true);
      assert.ok(ids((await get(url, `/requests.json?service_request_id=${c.noise}`)).text).includes(c.noise));
      const off = await api(url, 'PATCH', '/api/v1/categories/noise', { ...s.admin, body: { public: false } });
      assert.equal(off.json.public, false);
      assert.deepEqual(ids((await get(url, `/requests.json?service_request_id=${c.noise}`)).text), []);
      const bad = await api(url, 'PATCH', '/api/v1/categories/dispute', { ...s.admin, body: { public: true } });
      assert.equal(bad.status, 422, bad.text);
      assert.equal(bad.json.errors[0].field, 'public');
      const made = await api(url, 'POST', '/api/v1/categories', {
        ...s.admin,
        body: { code: tag('cat').replace(/[^a-z0-9]/g, '_').slice(0, 30), name: '新类别', default_tier: 'minor' },
      });
      assert.equal(made.status, 201, made.text);
      assert.equal(made.json.public, false, 'a new category is not public until an admin says so');
      assert.equal((await api(url, 'PATCH', '/api/v1/categories/noise', { ...s.shequ, body: { public: true } })).status, 403);
    });

    test('POST requires a token of a role that takes in reports; others → 403 and nothing is stored', async () => {
      const total = async () => {
        const r = await api(url, 'GET', '/api/v1/cases/counts', s.admin);
        return Object.values(r.json.by_status).reduce((a, b) => a + b, 0);
      };
      const before = await total();
      for (const role of ['department', 'resident', 'building_leader', 'cadre']) {
        const key = await createToken(url, s.admin, `o311-${role}`, [{ role, region_code: GRID1 }]);
        assertJsonError(
          await postForm(url, `${O}/requests.json`, { api_key: key, service_code: 'environment', description: 'x', ...IN_GRID1 }),
          403,
          `${role} token`,
        );
      }
      assert.equal(await total(), before);
      const key = await createToken(url, s.admin, 'o311-community', [{ role: 'community', region_code: GRID1.slice(0, 12) }]);
      const ok = await postForm(url, `${O}/requests.json`, {
        api_key: key,
        service_code: 'environment',
        description: `${tag('pubpost')} 公开描述`,
        publish_description: 'true',
        ...IN_GRID1,
      });
      assert.equal(ok.status, 201, ok.text);
      const id = JSON.parse(ok.text)[0].service_request_id;
      const pub = JSON.parse((await get(url, `/requests/${id}.json`)).text)[0];
      assert.match(pub.description, /公开描述$/, 'publish_description=true publishes it');
      assertJsonError(
        await postForm(url, `${O}/requests.json`, { api_key: key, service_code: 'environment', description: 'x', publish_description: 'yes', ...IN_GRID1 }),
        400,
        'publish_description=yes',
      );
    });
  });
});
