// Campaigns (专项整治) with their three lists, and joint meetings (联席会议): who may do what,
// and the calls the pages make. The server decides; these only choose what to offer.
import { api, listAll, query } from './api.js'
import { DASHBOARD_ROLES } from './command.js'
import { grantsOf } from './session.js'
import { t } from './i18n.js'

export const LISTS = ['problem', 'responsibility', 'task']
export const STATES = ['open', 'assigned', 'done', 'verified']
// The server's CAMPAIGN_MANAGERS and CAMPAIGN_WORKERS (domain/campaign_flow.h).
export const MANAGER_ROLES = ['admin', 'district', 'street', 'community']
export const WORKER_ROLES = DASHBOARD_ROLES

// Whether one of the caller's grants with a role in roles reaches region code.
const reachesWith = (user, roles, code) =>
  grantsOf(user).some(
    (g) => roles.includes(g.role) && (g.role === 'admin' || String(code).startsWith(g.region_code || '')),
  )

export const readsCampaigns = (user) => grantsOf(user).some((g) => WORKER_ROLES.includes(g.role))
export const makesCampaigns = (user) => grantsOf(user).some((g) => MANAGER_ROLES.includes(g.role))
export const managesAt = (user, code) => reachesWith(user, MANAGER_ROLES, code)

// The actions the flow allows from an item's state to the caller's roles at its region (the
// table of domain/campaign_flow.c). Verify is offered to managers even on their own work: the
// server refuses it (409) and the page shows why.
export function itemActions(user, item) {
  const manager = managesAt(user, item.region_code)
  const worker = reachesWith(user, WORKER_ROLES, item.region_code)
  switch (item.state) {
    case 'open':
      return manager ? ['assign'] : []
    case 'assigned':
      return [...(worker ? ['done'] : []), ...(manager ? ['assign'] : [])]
    case 'done':
      return manager ? ['verify', 'return'] : []
    default:
      return []
  }
}

export const stateName = (s) => (s ? t(`campaign.state.${s}`) : '')
export const listName = (l) => (l ? t(`campaign.list.${l}`) : '')
export const actionName = (a) => (a ? t(`campaign.action.${a}`) : '')
export const stateTag = (s) =>
  ({ open: 'info', assigned: 'warning', done: 'primary', verified: 'success' })[s] || 'info'

// The share of items ticked off, as a whole percentage (null when there are none).
export const verifiedPct = (p) => (p && p.total > 0 ? Math.round((p.verified * 100) / p.total) : null)

export const fetchCampaigns = () => listAll('/campaigns')
export const fetchCampaign = (id) => api.get(`/campaigns/${id}`)
export const createCampaign = (body) => api.post('/campaigns', body)
export const patchCampaign = (id, body) => api.patch(`/campaigns/${id}`, body)
export const fetchProgress = (id, region) => api.get(`/campaigns/${id}/progress` + query({ region }))
export const fetchItems = (id, params = {}) => listAll(`/campaigns/${id}/items`, params)
export const createItem = (id, body) => api.post(`/campaigns/${id}/items`, body)
export const fetchItem = (id) => api.get(`/campaign-items/${id}`)
export const actOnItem = (id, body) => api.post(`/campaign-items/${id}/actions`, body)

export const fetchMeetings = () => listAll('/meetings')
export const fetchMeeting = (id) => api.get(`/meetings/${id}`)
export const createMeeting = (body) => api.post('/meetings', body)
export const decisionToItem = (id, n, body) => api.post(`/meetings/${id}/decisions/${n}/item`, body)
export const decisionToCase = (id, n, body) => api.post(`/meetings/${id}/decisions/${n}/case`, body)

// Lines of a textarea as a list (blank lines dropped).
export const lines = (s) =>
  String(s || '')
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean)

// How a map colours the share ticked off: red (nothing) through amber to green (all), 0–100 %.
export const PROGRESS_COLORS = ['#d63447', '#f6d365', '#67c23a']
export const PROGRESS_RANGE = [0, 100]
export const pctText = (v) => (v === null || v === undefined || Number.isNaN(v) ? t('campaign.noItems') : `${v}%`)

// The share ticked off per child of region (or of region itself, on a grid): { code: % | null }.
export function progressValues(p) {
  if (!p) return {}
  if (!p.children.length) return { [p.region_code]: verifiedPct(p.totals) }
  return Object.fromEntries(p.children.map((k) => [k.region_code, verifiedPct(k)]))
}
