// Shared pieces of party building (党建引领) and pairing (结对共建) for the desk and the phone:
// names of kinds and states in the current language, tag colours, who may do what (mirrors
// src/api/party.h; the server stays the judge) and small formatters.
import { api, listAll, joinMessages } from './api.js'
import { childRegions } from './base.js'
import { t } from './i18n.js'
import { grantsOf } from './session.js'

// ---- organisations ----
export const ORG_KINDS = [
  'working_committee',
  'committee',
  'joint_committee',
  'general_branch',
  'branch',
  'grid_branch',
  'group',
  'functional_sinking',
  'functional_social',
]
export const orgKindName = (k) => (k ? t(`party.kind.${k}`) : '')
const KIND_TAG = {
  working_committee: 'danger',
  committee: 'danger',
  joint_committee: 'danger',
  general_branch: 'warning',
  branch: 'primary',
  grid_branch: 'success',
  group: 'info',
  functional_sinking: 'warning',
  functional_social: 'warning',
}
export const orgKindTag = (k) => KIND_TAG[k] || 'info'
// Kinds a member's primary branch may be (PartyMemberCreate.org_id).
export const BRANCH_KINDS = ['branch', 'grid_branch', 'functional_sinking', 'functional_social']
export const FUNCTIONAL_KINDS = ['functional_sinking', 'functional_social']
// Kinds that may sit under a parent kind (domain/party.c's nesting table, for the create dialog).
export const CHILD_KINDS = {
  '': ['working_committee', 'committee', 'general_branch', 'branch'],
  working_committee: ['working_committee', 'committee', 'joint_committee', 'general_branch', 'branch'],
  committee: [
    'committee',
    'joint_committee',
    'general_branch',
    'branch',
    'grid_branch',
    'functional_sinking',
    'functional_social',
  ],
  joint_committee: ['general_branch', 'branch', 'grid_branch', 'functional_sinking', 'functional_social'],
  general_branch: ['branch', 'grid_branch', 'functional_sinking', 'functional_social'],
  branch: ['group'],
  grid_branch: ['group'],
  group: [],
  functional_sinking: ['group'],
  functional_social: ['group'],
}

// ---- members ----
export const MEMBER_STATUSES = ['full', 'probationary', 'transferred_out']
export const memberStatusName = (s) => (s ? t(`party.memberStatus.${s}`) : '')
export const memberStatusTag = (s) =>
  ({ full: 'danger', probationary: 'warning', transferred_out: 'info' })[s] || 'info'
// The status changes the server accepts from each status (预备 → 正式, never back; 转出 / 转入).
export const MEMBER_MOVES = {
  probationary: ['full', 'transferred_out'],
  full: ['transferred_out'],
  transferred_out: ['full', 'probationary'],
}

// ---- pairings and commitments ----
export const COMMIT_STATES = ['proposed', 'in_progress', 'done', 'verified', 'closed']
export const commitStateName = (s) => (s ? t(`party.commit.state.${s}`) : '')
export const commitStateTag = (s) =>
  ({ proposed: 'info', in_progress: 'primary', done: 'warning', verified: 'success', closed: 'success' })[s] || 'info'
export const COMMIT_ACTIONS = ['start', 'complete', 'verify', 'close', 'reopen']
export const commitActionName = (a) => (a ? t(`party.commit.action.${a}`) : '')
export const commitActionType = (a) =>
  ({ start: 'primary', complete: 'success', verify: 'success', close: 'danger', reopen: 'warning' })[a] || 'primary'
export const sortCommitActions = (list) => COMMIT_ACTIONS.filter((a) => (list || []).includes(a))
export const sideName = (s) => (s ? t(`party.side.${s}`) : '')
export const LISTS = ['problem', 'responsibility', 'task']
export const listName = (l) => t(`party.list.${l}`)

// ---- cadres, reception, grid teams ----
export const CADRE_KINDS = ['sinking', 'judge', 'prosecutor', 'police', 'lawyer']
export const cadreKindName = (k) => (k ? t(`party.cadreKind.${k}`) : '')
export const cadreKindTag = (k) =>
  ({ sinking: 'danger', judge: 'primary', prosecutor: 'warning', police: 'success', lawyer: 'info' })[k] || 'info'
export const TEAM_ROLES = ['supervisor', 'grid_leader', 'grid_worker', 'building_leader']
export const teamRoleName = (r) => (r ? t(`party.teamRole.${r}`) : '')

// ---- buildings and households, for the pickers (a household is found through its building) ----
// The buildings under a region, each with region_name (its grid's name: building names repeat
// from grid to grid).
export async function buildingsIn(region) {
  const list = await listAll('/buildings', { region }, 10)
  const parents = [...new Set(list.map((b) => b.region_code.slice(0, -3)).filter((c) => c.length >= 6))]
  const names = {}
  await Promise.all(
    parents.map(async (p) => {
      try {
        for (const r of await childRegions(p)) names[r.code] = r.name
      } catch {
        // names are a nicety
      }
    }),
  )
  return list.map((b) => ({ ...b, region_name: names[b.region_code] || '' }))
}
// A household as the pickers show it: { id, number, house_id, house (label), building_id, head, region_code }.
const householdOf = (house, hh) => ({
  id: hh.id,
  number: hh.number,
  house_id: house.id,
  house: house.label,
  building_id: house.building_id,
  head: (house.residents || []).find((r) => r.id === hh.head_id)?.name || '',
  region_code: hh.region_code,
  shared: (house.households || []).length > 1,
})
// The households of a building in one request (GET /buildings/{id}/households), in unit and
// room order.
export async function buildingHouseholds(buildingId) {
  const list = await api.get(`/buildings/${buildingId}/households`)
  return list.items.map((hh) => ({
    id: hh.id,
    number: hh.number,
    house_id: hh.house_id,
    house: hh.house_label,
    building_id: hh.building_id,
    head: hh.head_name || '',
    region_code: hh.region_code,
    shared: hh.house_households > 1,
  }))
}
// One household by id (GET /households/{id}, then its house for the address); null when unseen.
export async function householdInfo(id) {
  try {
    const hh = await api.get(`/households/${id}`)
    const head = (hh.members || []).find((r) => r.id === hh.head_id)?.name || ''
    if (!hh.house_id)
      return {
        id: hh.id,
        number: hh.number,
        house_id: null,
        house: '',
        building_id: null,
        head,
        region_code: hh.region_code,
      }
    const house = await api.get(`/houses/${hh.house_id}`)
    return { ...householdOf(house, hh), head }
  } catch {
    return null
  }
}
// "1号楼1单元402 · 户主 王敏" (the household number too when the house holds several).
export function householdText(h) {
  if (!h) return ''
  const where = h.house
    ? h.shared
      ? `${h.house}（${h.number}）`
      : h.house
    : t('party.householdNo', { n: h.number || h.id })
  return h.head ? `${where} · ${t('party.headIs', { name: h.head })}` : where
}

// ---- who may do what ----
const MANAGERS = ['admin', 'district', 'street', 'community']
const roles = (user) => grantsOf(user).map((g) => g.role)
// Party data is for the region's party staff (the server's PARTY_STAFF); a county unit's
// people (department staff, cadres) see their own unit's pairings only.
const PARTY_STAFF = [...MANAGERS, 'supervisor', 'grid_leader', 'grid_worker', 'building_leader']
export const isPartyStaff = (user) => roles(user).some((r) => PARTY_STAFF.includes(r))
export const isPartyUnit = (user) => roles(user).some((r) => r === 'department' || r === 'cadre')
export const isPartyManager = (user) => roles(user).some((r) => MANAGERS.includes(r))
export const isCadre = (user) => roles(user).includes('cadre')
export const isResident = (user) => roles(user).length > 0 && roles(user).every((r) => r === 'resident')

// The region a user's lists start at: the widest grant (the server's own default), '' for admin.
export function partyHome(user) {
  const gs = grantsOf(user).filter((g) => g.role !== 'resident')
  if (!gs.length || gs.some((g) => g.role === 'admin' || !g.region_code)) return ''
  return gs.map((g) => g.region_code).sort((a, b) => a.length - b.length)[0]
}

// ---- formatters ----
export const pct = (rate) => (rate == null ? '—' : `${(Number(rate) * 100).toFixed(1)}%`)
export const pctNum = (rate) => (rate == null ? 0 : Number(rate) * 100)
export const hours = (h) => (h == null ? '—' : Number(h).toFixed(1).replace(/\.0$/, ''))
export function today(offsetDays = 0) {
  const d = new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3) // Asia/Shanghai
  return d.toISOString().slice(0, 10)
}
// Whether a date (YYYY-MM-DD) lies before today, for deadlines.
export const overdue = (date) => !!date && date < today()
export const errText = (e) =>
  joinMessages([
    e.detail || e.message,
    ...(e.errors || []).map((x) => (x.field ? `${x.field}: ${x.message}` : x.message)),
  ])
