// The cost of counting limits in the database (PostgreSQL, several nodes): resident lookups
// by phone and failed sign-ins on one node, with the limits on (counted in the database) and
// off (0: not counted), side by side in one run, alternating rounds. Run on a PostgreSQL
// cluster of its own:
//   bash scripts/pg-api-tests.sh $PWD/build/jiceng scripts/bench/shared-limits.mjs
import { test } from 'node:test';
import { startServer, signIn, api, BACKEND, DEMO_PASSWORD } from '../../tests/api/harness.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test(
  'shared limits: lookup and sign-in latency, counted vs not',
  { skip: BACKEND !== 'postgres' && 'PostgreSQL only', timeout: 600_000 },
  async () => {
    const on = await startServer({ args: ['--lookups-per-10min', '100', '--login-per-minute', '100000', '--trusted-proxy', '127.0.0.1'] });
    const off = await startServer({
      sameDatabaseAs: on,
      args: ['--lookups-per-10min', '0', '--login-per-minute', '0', '--trusted-proxy', '127.0.0.1'],
    });
    const users = ['wangge', 'wanggezhang', 'shequ', 'wangge2'];
    const times = { on: { lookup: [], signin: [] }, off: { lookup: [], signin: [] } };
    let k = 0;
    for (let round = 0; round < 4; round++) {
      for (const [name, srv] of [
        ['on', on],
        ['off', off],
      ]) {
        const s = await signIn(srv.url, users[round], DEMO_PASSWORD);
        for (let i = 0; i < 90; i++) {
          const t0 = process.hrtime.bigint();
          const r = await api(srv.url, 'GET', `/api/v1/residents?phone=1370008${String(1000 + i)}`, { cookie: s.cookie });
          times[name].lookup.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (r.status !== 200) throw new Error(`${name} lookup ${i}: ${r.status} ${r.text}`);
        }
        for (let i = 0; i < 5; i++) {
          const t0 = process.hrtime.bigint();
          const r = await api(srv.url, 'POST', '/api/v1/session', {
            body: { username: `bench_nobody_${k++}`, password: 'x' },
            headers: { 'X-Forwarded-For': `10.66.${round}.${i}` },
          });
          times[name].signin.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (r.status !== 401) throw new Error(`${name} sign-in: ${r.status}`);
        }
      }
    }
    for (const name of ['on', 'off'])
      console.log(
        `limits ${name}: lookup median ${median(times[name].lookup).toFixed(2)} ms (n=${times[name].lookup.length}), ` +
          `failed sign-in median ${median(times[name].signin).toFixed(1)} ms (n=${times[name].signin.length})`,
      );
    await off.stop();
    await on.stop();
  },
);
