// Recurring problems (反复发生问题): who reads them and who turns them into campaign items.
import { api, listAll, query } from './api.js'
import { grantsOf } from './session.js'

// The server's RECURRING_READERS and CAMPAIGN_WRITERS.
export const RECURRING_READERS = ['admin', 'district', 'street', 'community', 'supervisor']
export const RECURRING_WRITERS = ['admin', 'district', 'street', 'community']

export const canReadRecurring = (user) => grantsOf(user).some((g) => RECURRING_READERS.includes(g.role))
export const canTakeUpRecurring = (user) => grantsOf(user).some((g) => RECURRING_WRITERS.includes(g.role))

export const fetchProblems = (params) => api.get('/recurring-problems' + query(params))
export const fetchProblem = (id) => api.get(`/recurring-problems/${id}`)
export const takeUp = (id, body) => api.post(`/recurring-problems/${id}/campaign-item`, body)
// As a deliberation topic (议题) at the problem's grid (the server's DELIB_MANAGERS: the same roles).
export const toTopic = (id) => api.post(`/recurring-problems/${id}/topic`, {})
// The active campaigns the caller sees (a few pages at most).
export const fetchCampaigns = async () => (await listAll('/campaigns', {}, 5)).filter((c) => c.status === 'active')

// Where a problem is, in words: its address, else its building, else its point.
export function placeText(p) {
  const pl = p.place || {}
  if (pl.address) return pl.address
  if (pl.building_name) return pl.building_name
  if (Number.isFinite(pl.lat)) return `${pl.lat.toFixed(5)}, ${pl.lon.toFixed(5)}`
  return p.region_name || p.region_code
}
