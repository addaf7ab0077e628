// docs/openapi.yaml covers every route the server has (API.md: "must cover every route"):
// each {"METHOD", "/path"} of src/api/routes.c is a path of the document with that method,
// and the document names no route the server does not have.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './harness.mjs';

function routes() {
  const src = fs.readFileSync(path.join(ROOT, 'src/api/routes.c'), 'utf8');
  const out = new Set();
  for (const m of src.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)",\s*"(\/[^"]*)"/g)) out.add(`${m[1]} ${m[2]}`);
  return out;
}

function documented() {
  const text = fs.readFileSync(path.join(ROOT, 'docs/openapi.yaml'), 'utf8');
  const out = new Set();
  let inPaths = false;
  let current = null;
  for (const line of text.split('\n')) {
    if (/^paths:\s*$/.test(line)) {
      inPaths = true;
      continue;
    }
    if (inPaths && /^\S/.test(line)) inPaths = false;
    if (!inPaths) continue;
    const p = line.match(/^ {2}(\/\S*):\s*$/);
    if (p) {
      current = p[1];
      continue;
    }
    const m = line.match(/^ {4}(get|post|put|patch|delete):\s*$/);
    if (m && current) out.add(`${m[1].toUpperCase()} ${current}`);
  }
  return out;
}

test('every route of the server is in docs/openapi.yaml, and nothing else', () => {
  const have = routes();
  const doc = documented();
  assert.ok(have.size > 100, `read ${have.size} routes from routes.c`);
  const missing = [...have].filter((r) => !doc.has(r)).sort();
  const extra = [...doc].filter((r) => !have.has(r)).sort();
  assert.deepEqual(missing, [], 'routes without documentation');
  assert.deepEqual(extra, [], 'documented routes the server does not have');
});
