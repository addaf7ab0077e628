// The notification outbox's webhook sender: with --webhook URL, every new
// notification is POSTed there as JSON; a receiver that fails gets retries.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, signInDemo, api, sleep, GRID1 } from './harness.mjs';

describe('notification webhook', () => {
  let server, receiver, received = [], failFirst = true;

  before(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        // The first delivery fails, to show that the sender tries again.
        if (failFirst) {
          failFirst = false;
          res.writeHead(503).end();
          return;
        }
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${receiver.address().port}/hook`;
    server = await startServer({ args: ['--webhook', hook] });
  });

  after(async () => {
    await server?.stop();
    receiver?.close();
  });

  test('a report reaches the webhook as JSON, after a failed first attempt', async () => {
    const jumin = await signInDemo(server.url, 'jumin');
    const res = await api(server.url, 'POST', '/api/v1/cases', {
      ...jumin,
      body: { category: 'environment', description: '路灯不亮（webhook 测试）', region_code: GRID1 },
    });
    assert.equal(res.status, 201);
    const number = res.json.number;
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && !received.some((r) => r.body.body === number)) await sleep(200);
    const hit = received.find((r) => r.body.body === number);
    assert.ok(hit, `no webhook call for ${number}; got ${JSON.stringify(received)}`);
    assert.equal(hit.method, 'POST');
    assert.match(hit.type, /application\/json/);
    assert.equal(hit.body.kind, 'accept');
    assert.equal(hit.body.case_id, res.json.id);
    assert.equal(hit.body.role, 'grid_leader');
    assert.equal(hit.body.region_code, GRID1);
  });

  test('the reporter of an anonymous report is not named to the receiving system', async () => {
    const url = server.url;
    const [jumin, lead, worker] = await Promise.all(['jumin', 'wanggezhang', 'wangge'].map((n) => signInDemo(url, n)));
    const res = await api(url, 'POST', '/api/v1/cases', {
      ...jumin,
      body: { category: 'environment', description: '匿名 webhook 测试', region_code: GRID1, anonymous: true },
    });
    assert.equal(res.status, 201, res.text);
    const id = res.json.id;
    for (const [who, body] of [
      [lead, { action: 'accept' }],
      [worker, { action: 'start' }],
      [worker, { action: 'handle', comment: '已处理' }],
      [worker, { action: 'verify' }],
    ]) {
      const r = await api(url, 'POST', `/api/v1/cases/${id}/actions`, { ...who, body });
      assert.equal(r.status, 200, r.text);
    }
    const deadline = Date.now() + 15000;
    const rate = () => received.find((r) => r.body.case_id === id && r.body.kind === 'rate');
    while (Date.now() < deadline && !rate()) await sleep(200);
    const hit = rate();
    assert.ok(hit, `the reporter's notification went out: ${JSON.stringify(received.slice(-3))}`);
    assert.ok(!('user_id' in hit.body), `no user id: ${JSON.stringify(hit.body)}`);
    assert.equal(hit.body.personal, true);
    for (const r of received.filter((x) => x.body.case_id === id)) assert.ok(!JSON.stringify(r.body).includes('jumin'));
  });
});
