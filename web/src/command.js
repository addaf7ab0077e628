// The command platform (指挥平台): who has a dashboard, and the data it draws.
import { api, listAll, query } from './api.js'
import { grantsOf } from './session.js'

// The staff who read every case of their regions (the server's DASHBOARD_ROLES).
export const DASHBOARD_ROLES = ['admin', 'district', 'street', 'community', 'supervisor', 'grid_leader', 'grid_worker']

export const hasDashboard = (user) => grantsOf(user).some((g) => DASHBOARD_ROLES.includes(g.role))

export const fetchDashboard = (region) => api.get('/dashboard' + query({ region }))

// The children of a region with their boundaries (GeoJSON).
export const fetchChildren = (parent) => listAll('/regions', { parent })

// A region with its boundary.
export const fetchRegion = (code) => api.get(`/regions/${code}`)

// Open cases of a grid that carry a location, newest first (the points on the grid map).
export async function fetchCasePoints(region) {
  const page = await api.get('/cases' + query({ region, limit: 200 }))
  return (page.items || []).filter(
    (c) => c.location && Number.isFinite(c.location.lat) && !['closed', 'rejected'].includes(c.status),
  )
}

// A short list of cases for a tile (overdue, supervised), newest first.
export const fetchCaseList = (region, filter) => api.get('/cases' + query({ region, limit: 8, ...filter }))

// The measures a map can colour by: a value per child of the dashboard.
export const MEASURES = {
  load: (c) => (c.households > 0 ? Math.round((c.open * 10000) / c.households) / 10 : c.open),
  open: (c) => c.open,
  overdue: (c) => c.overdue,
  supervised: (c) => c.supervised,
}

export const levelOf = (code) =>
  ({ 6: 'district', 9: 'street', 12: 'community', 15: 'grid' })[String(code || '').length] || ''

// The parent of a region code ('' above a district).
export const parentOf = (code) => (String(code).length > 6 ? String(code).slice(0, -3) : '')
