// The route table as the server declares it, read from src/api/routes.c: method, pattern,
// the role set (role macros resolved from routes.c and the headers that define them) and the
// flags. matrix.test.mjs derives every expected answer from it, so a route added to routes.c
// is checked (or reported as missing from the matrix) without anyone remembering to.
// node's standard library only.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';

/** Roles in the order of enum role (src/domain/role.h): bit i is role i. */
export const ROLE_ORDER = [
  'admin',
  'district',
  'street',
  'community',
  'supervisor',
  'grid_leader',
  'grid_worker',
  'building_leader',
  'department',
  'cadre',
  'resident',
];

// Files whose #defines may name role sets used in the route table.
const MACRO_FILES = [
  'src/domain/role.h',
  'src/api/base/base.h',
  'src/api/party/party.h',
  'src/api/command/command.h',
  'src/api/services/services.h',
  'src/api/deliberation/deliberation.h',
  'src/domain/topic_flow.h',
  'src/domain/project_flow.h',
  'src/api/voice/voice.h',
  'src/api/volunteers/volunteers.h',
  'src/api/routes.c',
];

/** Strips C comments (the route table's comments hold braces and quotes). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/** Every object-like #define NAME body of the files (continuation lines joined). */
function readMacros(root) {
  const macros = new Map();
  for (const f of MACRO_FILES) {
    const text = stripComments(fs.readFileSync(path.join(root, f), 'utf8').replace(/\\\r?\n/g, ' '));
    for (const m of text.matchAll(/^[ \t]*#define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?[ \t]*(.*)$/gm)) {
      if (m[2]) continue; // function-like (ROLE_BIT) is handled by the evaluator itself
      macros.set(m[1], m[3].trim());
    }
  }
  return macros;
}

/**
 * Evaluates a role-set expression of the route table (ROLE_BIT(ROLE_X), macros, | & ~ and
 * parentheses) to a bit mask. Throws on anything it does not understand, so a new kind of
 * expression fails loudly instead of being read wrong.
 */
export function evalRoles(expr, macros, depth = 0) {
  if (depth > 20) throw new Error(`role macro recursion in ${expr}`);
  const enumIndex = (name) => {
    const code = name.replace(/^ROLE_/, '').toLowerCase();
    const i = ROLE_ORDER.indexOf(code);
    if (name === 'ROLE_COUNT') return ROLE_ORDER.length;
    if (i < 0) throw new Error(`unknown role enumerator ${name}`);
    return i;
  };
  let js = expr.replace(/ROLE_BIT\s*\(\s*(\w+)\s*\)/g, (_, r) => `(1 << ${enumIndex(r)})`);
  js = js.replace(/\b([A-Za-z_]\w*)\b/g, (name) => {
    if (name === 'ROLE_COUNT') return String(ROLE_ORDER.length);
    if (macros.has(name)) return `(${evalRoles(macros.get(name), macros, depth + 1)})`;
    throw new Error(`role expression ${expr}: unknown name ${name}`);
  });
  js = js.replace(/(\d+)u\b/g, '$1');
  if (!/^[\d\s()|&~<>+-]*$/.test(js)) throw new Error(`role expression ${expr}: cannot evaluate ${js}`);
  const v = Function(`"use strict"; return (${js});`)();
  return v & ((1 << ROLE_ORDER.length) - 1);
}

/**
 * The routes of src/api/routes.c: [{method, pattern, key, roles: [codes], public, write,
 * flags: [names]}] in table order.
 */
export function readRoutes(root = ROOT) {
  const macros = readMacros(root);
  const text = stripComments(fs.readFileSync(path.join(root, 'src/api/routes.c'), 'utf8'));
  const table = text.slice(text.indexOf('api_routes[]'));
  const routes = [];
  const re = /\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*([^,]+?)\s*,\s*([^,}]+?)\s*[,}]/g;
  for (const m of table.matchAll(re)) {
    const [, method, pattern, handler, rolesExpr, flagsExpr] = m;
    const flags = flagsExpr
      .split('|')
      .map((s) => s.trim())
      .filter((s) => s && s !== '0');
    const mask = rolesExpr.trim() === '0' ? 0 : evalRoles(rolesExpr, macros);
    routes.push({
      method,
      pattern,
      handler,
      key: `${method} ${pattern}`,
      roles: ROLE_ORDER.filter((_, i) => mask & (1 << i)),
      public: flags.includes('HTTP_PUBLIC'),
      write: flags.includes('HTTP_WRITE'),
      flags,
    });
  }
  if (routes.length < 10) throw new Error(`read only ${routes.length} routes from routes.c`);
  return routes;
}

/** Runs fn over items with at most n in flight; results in order. */
export async function pool(items, n, fn) {
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
