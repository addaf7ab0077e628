// Shared pieces of base data (人、房、企), sweeps (扫楼) and group-rental rectification
// (群租房整治) for the desk and the phone: the code tables from GET /base/codes, their
// names, colours for house uses, ID-number checks (GB 11643), who may do what, the
// caller's regions, version diffs and file downloads.
import { ref } from 'vue'
import { ApiError, acceptLanguage, api, listAll } from './api.js'
import { lang, t } from './i18n.js'
import { grantsOf } from './session.js'

// ---- code tables (GET /base/codes, cached for the session) ----
export const codes = ref({
  residency: [],
  house_use: [],
  relation: [],
  org_kind: [],
  resident_status: [],
  rectify_method: [],
  rectify_status: [],
  tags: [],
})
let codesLoad = null

export function loadCodes(force = false) {
  if (!codesLoad || force) {
    codesLoad = api.get('/base/codes').then(
      (r) => {
        codes.value = { ...codes.value, ...r }
        return codes.value
      },
      (e) => {
        codesLoad = null
        throw e
      },
    )
  }
  return codesLoad
}

// English names for the codes (the server speaks Chinese); Chinese from the table itself.
const EN = {
  residency: { registered: 'Registered', floating: 'Non-local', foreign: 'Foreign' },
  house_use: {
    owner_occupied: 'Owner-occupied',
    rented: 'Rented',
    group_rental: 'Group rental',
    short_let: 'Short let',
    business: 'Home turned shop',
    empty: 'Empty',
  },
  relation: {
    head: 'Head',
    spouse: 'Spouse',
    child: 'Child',
    parent: 'Parent',
    grandchild: 'Grandchild',
    grandparent: 'Grandparent',
    sibling: 'Sibling',
    tenant: 'Tenant',
    other: 'Other',
  },
  org_kind: {
    enterprise: 'Enterprise',
    individual: 'Sole trader',
    social_org: 'Social organisation',
    institution: 'Institution',
    government: 'Government body',
    other: 'Other',
  },
  resident_status: { active: 'Living here', moved_out: 'Moved out', deceased: 'Deceased' },
  rectify_method: {
    phone: 'Phone talk',
    interview: 'Group interview',
    home_visit: 'Home visit',
    public_servant: 'Public servants first',
    joint_enforcement: 'Joint enforcement',
  },
  rectify_status: {
    open: 'To rectify',
    rectifying: 'Rectifying',
    rectified: 'Rectified, to check',
    verified: 'Closed off',
  },
  tags: {
    elderly_alone: 'Elderly living alone',
    elderly: 'Very old',
    low_income: 'Low income (dibao)',
    disabled: 'Disabled',
    veteran: 'Veteran',
    party_member: 'Party member',
    left_behind_child: 'Left-behind child',
    volunteer: 'Volunteer',
    community_correction: 'Community correction',
    released_prisoner: 'Released prisoner',
    drug_user: 'Drug rehabilitation',
    mental_disorder: 'Severe mental disorder',
    aids_risk: 'AIDS risk',
    key_youth: 'Youth at risk',
    key_petitioner: 'Key petitioner',
  },
}

// The name of a code in the current language: codeName('house_use', 'group_rental') → 群租.
export function codeName(table, code, fallback) {
  if (!code) return ''
  if (lang.value === 'en' && EN[table]?.[code]) return EN[table][code]
  const hit = (codes.value[table] || []).find((c) => c.code === code)
  return hit?.name || fallback || code
}

// Options for a select: [{ value, label }] in the table's order.
export const codeOptions = (table) =>
  (codes.value[table] || []).map((c) => ({ value: c.code, label: codeName(table, c.code) }))

// House uses that need attention get a colour of their own (Element Plus tag types).
const USE_TAG = { group_rental: 'danger', short_let: 'warning', business: 'primary', empty: 'info', rented: 'success' }
export const useTagType = (use) => USE_TAG[use] || 'info'
export const USE_COLOR = {
  group_rental: '#f56c6c',
  short_let: '#e6a23c',
  business: '#409eff',
  rented: '#67c23a',
  empty: '#909399',
  owner_occupied: '#b1b3b8',
}
export const isFocusUse = (use) => ['group_rental', 'short_let', 'business'].includes(use)

const RECTIFY_TAG = { open: 'danger', rectifying: 'warning', rectified: 'primary', verified: 'success' }
export const rectifyTagType = (s) => RECTIFY_TAG[s] || 'info'
export const RECTIFY_STATUSES = ['open', 'rectifying', 'rectified', 'verified']

// ---- ID numbers (GB 11643-1999) ----
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
export function idCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return '10X98765432'[sum % 11]
}

// '' when id is a well-formed 18-character citizen ID; otherwise the problem, in words.
export function idNumberProblem(raw) {
  const id = (raw || '').trim().toUpperCase()
  if (!id) return t('base.valid.idRequired')
  if (id.length !== 18) return t('base.valid.idLength')
  if (!/^\d{17}[\dX]$/.test(id)) return t('base.valid.idFormat')
  const y = Number(id.slice(6, 10))
  const m = Number(id.slice(10, 12))
  const d = Number(id.slice(12, 14))
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 1850 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return t('base.valid.idDate')
  if (idCheckChar(id) !== id[17]) return t('base.valid.idChecksum')
  return ''
}

export const phoneProblem = (raw) => {
  const p = (raw || '').trim()
  return !p || /^(1\d{10}|0\d{2,3}-?\d{7,8})$/.test(p) ? '' : t('base.valid.phone')
}

// ---- who may do what (mirrors src/api/base.h; the server stays the judge) ----
const MANAGERS = ['admin', 'district', 'street', 'community']
const READERS = [...MANAGERS, 'supervisor', 'grid_leader', 'grid_worker', 'building_leader']
const WRITERS = [...MANAGERS, 'grid_leader', 'grid_worker']
const roles = (user) => grantsOf(user).map((g) => g.role)
export const canReadBase = (user) => roles(user).some((r) => READERS.includes(r))
export const canWriteBase = (user) => roles(user).some((r) => WRITERS.includes(r))
export const canRevealBase = canWriteBase
export const isBaseManager = (user) => roles(user).some((r) => MANAGERS.includes(r))

// The regions the user's base-data grants start at (no nested repeats); [] for admin (everything).
export function baseRoots(user, allowed = READERS) {
  const gs = grantsOf(user).filter((g) => allowed.includes(g.role))
  if (gs.some((g) => g.role === 'admin' || !g.region_code)) return []
  const codesList = [...new Set(gs.map((g) => g.region_code))]
  return codesList
    .filter((c) => !codesList.some((o) => o !== c && c.startsWith(o)))
    .map((c) => ({ code: c, name: gs.find((g) => g.region_code === c)?.region_name || c }))
}

// The grids a field user works in (grid grants), for the phone worklist.
export const userGrids = (user) => baseRoots(user, WRITERS).filter((r) => r.code.length === 15)

export const levelOfCode = (code) => ({ 6: 'district', 9: 'street', 12: 'community', 15: 'grid' })[(code || '').length]

// Child regions of a code ('' → the top of the user's tree), for cascaders.
export async function childRegions(code) {
  const list = code ? await listAll('/regions', { parent: code }) : await listAll('/regions')
  return list.filter((r) => r.status !== 'retired')
}

// ---- versions (GET …/history) ----
const HIDDEN = [
  'id',
  'version',
  'updated_at',
  'created_at',
  'verified_at',
  'masked',
  'use_name',
  'kind_name',
  'label',
  'occupants',
]
// The keys whose values differ between before and after: [{ key, before, after }].
export function versionDiff(before, after) {
  const b = before || {}
  const a = after || {}
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !HIDDEN.includes(k))
  return keys
    .filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
    .map((k) => ({ key: k, before: b[k] ?? null, after: a[k] ?? null }))
}

// A household as the forms and drawers name it: "户号 0101 · 户主 王敏" ({ id, number, head }).
export const householdLabel = (hh) =>
  [
    hh.number ? t('base.hhPick.number', { n: hh.number }) : t('base.hhPick.unnumbered', { id: hh.id }),
    hh.head ? t('base.hhPick.head', { name: hh.head }) : t('base.hhPick.noHead'),
  ].join(' · ')

// A field's label for the history table, where we know it.
export function fieldLabel(key) {
  const s = t(`base.f.${key}`)
  return s === `base.f.${key}` ? key : s
}

const CODED = {
  residency: 'residency',
  relation: 'relation',
  status: 'resident_status',
  use: 'house_use',
  kind: 'org_kind',
}
export function fieldValue(key, v) {
  if (v === null || v === undefined || v === '') return '—'
  if (key === 'tags' && Array.isArray(v)) return v.map((x) => codeName('tags', x)).join('、') || '—'
  if (key === 'gender') return t(`base.gender.${v}`)
  if (CODED[key]) return codeName(CODED[key], v)
  if (Array.isArray(v)) return v.join('、')
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

// ---- dates ----
export function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d) // YYYY-MM-DD
}

// ---- downloads ----
// Fetches a file (the session cookie goes along) and saves it under filename, so a problem
// (403, 400) is shown instead of saved, and the name's extension matches the format asked for.
export async function download(path, filename) {
  const res = await fetch(`/api/v1${path}`, {
    credentials: 'same-origin',
    headers: { 'Accept-Language': acceptLanguage() },
  })
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}))
    throw new ApiError(res.status, problem || {})
  }
  const blob = await res.blob()
  const fromHeader = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '')?.[1]
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename || fromHeader || 'download'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

// The file name for an export: residents-999901001001-2026-11-23.xlsx.
export const exportName = (kind, region, format) => `${kind}${region ? `-${region}` : ''}-${today()}.${format}`

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
