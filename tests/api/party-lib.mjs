// Fixtures for the party-building suites (party.test.mjs): a street of its own with
// communities, grids, buildings and households made through the API, so every report has
// known answers whatever the demo holds. node's standard library only.
import assert from 'node:assert/strict';
import { api } from './harness.mjs';

/** A valid fictitious citizen ID number (GB 11643, area prefix 99). */
export function idNumber(seq) {
  const body = `990101${19800101 + (seq % 28)}${String(100 + (seq % 900)).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i];
  return body + '10X98765432'[sum % 11];
}

/** POST that must answer 201: the JSON body. */
export async function mustCreate(url, auth, path, body) {
  const res = await api(url, 'POST', path, { ...auth, body });
  assert.equal(res.status, 201, `POST ${path} ${JSON.stringify(body)}: ${res.status} ${res.text}`);
  return res.json;
}

/** GET that must answer 200: the JSON body. */
export async function mustGet(url, auth, path) {
  const res = await api(url, 'GET', path, auth);
  assert.equal(res.status, 200, `GET ${path}: ${res.status} ${res.text}`);
  return res.json;
}

/**
 * A street with communities and grids: spec = {street, name, communities: [{grids: n}]}.
 * Returns {street, communities: [code], grids: [[code]]}.
 */
export async function makeTree(url, admin, spec) {
  await mustCreate(url, admin, '/api/v1/regions', {
    code: spec.street,
    name: spec.name,
    parent_code: spec.street.slice(0, 6),
  });
  const out = { street: spec.street, communities: [], grids: [] };
  for (let c = 0; c < spec.communities.length; c++) {
    const comm = `${spec.street}${String(c + 1).padStart(3, '0')}`;
    await mustCreate(url, admin, '/api/v1/regions', {
      code: comm,
      name: `${spec.name}第${c + 1}社区`,
      parent_code: spec.street,
    });
    out.communities.push(comm);
    const grids = [];
    for (let g = 0; g < spec.communities[c].grids; g++) {
      const grid = `${comm}${String(g + 1).padStart(3, '0')}`;
      await mustCreate(url, admin, '/api/v1/regions', {
        code: grid,
        name: `${spec.name}第${c + 1}社区第${g + 1}网格`,
        parent_code: comm,
        planned_households: 400,
      });
      grids.push(grid);
    }
    out.grids.push(grids);
  }
  return out;
}

/** A building in a grid: its id. */
export async function makeBuilding(url, admin, grid, name) {
  return (await mustCreate(url, admin, '/api/v1/buildings', { region_code: grid, name })).id;
}

/** n households in a building (one house each): their ids. */
export async function makeHouseholds(url, admin, buildingId, n, prefix = 'H') {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const house = await mustCreate(url, admin, '/api/v1/houses', {
      building_id: buildingId,
      unit: '1',
      room: `${prefix}${101 + i}`,
    });
    const hh = await mustCreate(url, admin, '/api/v1/households', {
      house_id: house.id,
      number: `${prefix}-${buildingId}-${i + 1}`,
    });
    ids.push(hh.id);
  }
  return ids;
}

/** A party organisation (must be created): its JSON. */
export function makeOrg(url, auth, body) {
  return mustCreate(url, auth, '/api/v1/party/orgs', body);
}
