// Evaluation (考核评价): indicator definitions, their values per region and period, manual
// figures from outside systems (docs/indicators.md).
import { api, query } from './api.js'
import { grantsOf } from './session.js'

// The server's DASHBOARD_ROLES (values) and ROLES_MANAGERS (manual figures).
export const INDICATOR_READERS = [
  'admin',
  'district',
  'street',
  'community',
  'supervisor',
  'grid_leader',
  'grid_worker',
]
export const FIGURE_STAFF = ['admin', 'district', 'street', 'community']
export const readsIndicators = (user) => grantsOf(user).some((g) => INDICATOR_READERS.includes(g.role))
export const entersFigures = (user) => grantsOf(user).some((g) => FIGURE_STAFF.includes(g.role))

export const fetchIndicators = () => api.get('/indicators')
export const fetchValues = (code, params) => api.get(`/indicators/${code}/values` + query(params))
// the same table as a printable PDF in Chinese (made by the server)
export const valuesPdfUrl = (code, params) => `/api/v1/indicators/${code}/values` + query({ ...params, format: 'pdf' })
export const fetchFigures = (params) => api.get('/indicator-figures' + query(params))
export const createFigure = (body) => api.post('/indicator-figures', body)
export const correctFigure = (id, body) => api.patch(`/indicator-figures/${id}`, body)
export const approveFigure = (id) => api.post(`/indicator-figures/${id}/approve`, {})

// The current month, Asia/Shanghai, and the n months before it (oldest first).
export const thisMonth = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)
export function lastMonths(month, n) {
  const [y, m] = month.split('-').map(Number)
  const out = []
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1))
    out.push(d.toISOString().slice(0, 7))
  }
  return out
}

// A score, its points or weight as a ranking shows them: up to two decimals, — for none.
export const scoreText = (v) => (v === null || v === undefined ? '—' : Number(v).toFixed(2).replace(/\.00$/, ''))

// A value as shown: two decimals for a rate, none for a count per 10 000 and above.
export function formatValue(v, factor) {
  if (v === null || v === undefined) return '—'
  return factor >= 10000 ? v.toFixed(1) : v.toFixed(1) + (factor === 100 ? '%' : '')
}

export const BAND_COLOURS = { green: '#67c23a', yellow: '#e6a23c', red: '#f56c6c' }
// The case list behind a case-based number (the numerator's cases in a region), of the month
// the number is for (case facts count the cases reported in the month: docs/indicators.md).
export function caseLink(ind, region, month) {
  if (!ind.case_filter && ind.case_filter !== '') return null
  const q = { region }
  if (/^\d{4}-\d{2}$/.test(month || '')) q.month = month
  if (ind.case_filter === 'closed') q.status = 'closed'
  if (ind.case_filter === 'hazard_closed') Object.assign(q, { status: 'closed', category: 'safety' })
  return { name: 'cases', query: q }
}

// Rankings (月度评比, 年度考评): read by managers, published by managers above the ranked level.
export const RANKING_READERS = ['admin', 'district', 'street', 'community']
export const RANKING_MANAGERS = ['admin', 'district', 'street']
export const readsRankings = (user) => grantsOf(user).some((g) => RANKING_READERS.includes(g.role))
export const publishesRankings = (user) => grantsOf(user).some((g) => RANKING_MANAGERS.includes(g.role))
export const fetchSchemes = () => api.get('/ranking-schemes')
export const fetchRanking = (params) => api.get('/rankings' + query(params))
export const fetchPublished = (params) => api.get('/rankings/published' + query(params))
export const publishRanking = (body) => api.post('/rankings/publish', body)
export const rankingExportUrl = (params) => '/api/v1/rankings/export' + query(params)
// Schemes (评比方案) and bonus and penalty items (加减分), entered by one manager and approved by
// another (the server's RANKING_MANAGERS; it refuses the one who entered the item).
export const fetchScheme = (id) => api.get(`/ranking-schemes/${id}`)
export const createScheme = (body) => api.post('/ranking-schemes', body)
export const updateScheme = (id, body) => api.patch(`/ranking-schemes/${id}`, body)
export const fetchAdjustments = (params) => api.get('/ranking-adjustments' + query(params))
export const createAdjustment = (body) => api.post('/ranking-adjustments', body)
export const approveAdjustment = (id) => api.post(`/ranking-adjustments/${id}/approve`, {})
// The digits of a ranked region's code: communities 12, streets 9.
export const RANKED_LEN = { community: 12, street: 9 }

// The cases behind an indicator value of a region and month: the month's cases, and for a
// closure rate the ones not closed (the gap the rate counts).
export function rankingCaseLink(ind, region, month) {
  if (!/^\d{4}-\d{2}$/.test(month) || !ind || ind.denominator !== 'cases_reported') return null
  const q = { region, month }
  if (ind.numerator === 'cases_closed') q.unclosed = 'true'
  return { name: 'cases', query: q }
}

// Callbacks (回访抽查) and satisfaction surveys (满意度测评): the server's CALLBACK_STAFF.
export const CALLBACK_STAFF = ['admin', 'district', 'street', 'supervisor']
export const doesCallbacks = (user) => grantsOf(user).some((g) => CALLBACK_STAFF.includes(g.role))
export const fetchCallbackSamples = (params) => api.get('/callback-samples' + query(params))
export const fetchCallbackSample = (id) => api.get(`/callback-samples/${id}`)
export const drawCallbackSample = (body) => api.post('/callback-samples', body)
export const recordCallback = (id, caseId, body) => api.post(`/callback-samples/${id}/items/${caseId}`, body)
export const fetchSurveys = (params) => api.get('/surveys' + query(params))
export const fetchSurvey = (id) => api.get(`/surveys/${id}`)
export const createSurvey = (body) => api.post('/surveys', body)
export const respondSurvey = (id, body) => api.post(`/surveys/${id}/responses`, body)
export const fetchSurveyResults = (id) => api.get(`/surveys/${id}/results`)
// A share (0..1) with its margin of error as percentages: "75.0% ± 12.3".
export function formatShare(share, margin) {
  if (share === null || share === undefined) return '—'
  const s = (share * 100).toFixed(1) + '%'
  return margin === null || margin === undefined ? s : `${s} ± ${(margin * 100).toFixed(1)}`
}
// The month before the current one (Asia/Shanghai).
export const lastMonth = () => lastMonths(thisMonth(), 2)[0]

// Grid worker assessment (网格员考核): overseers read the workers under a region, a grid worker
// reads their own row (the server's WORKER_ASSESSMENT_READERS).
export const WORKER_ASSESSMENT_READERS = [
  'admin',
  'district',
  'street',
  'community',
  'supervisor',
  'grid_leader',
  'grid_worker',
]
export const readsWorkerAssessments = (user) => grantsOf(user).some((g) => WORKER_ASSESSMENT_READERS.includes(g.role))
export const fetchWorkerAssessments = (params) => api.get('/worker-assessments' + query(params))
export const fetchWorkerRecords = (params) => api.get('/worker-assessments/records' + query(params))
export const workerAssessmentExportUrl = (params) => '/api/v1/worker-assessments/export' + query(params)
// The records behind each measure's number (the drill-down's `measure`), and those behind a
// rate's denominator.
export const WORKER_DRILL = {
  reports: 'reports',
  sweeps_verified: 'sweeps_verified',
  care_visits: 'care_visits',
  on_time_rate: 'on_time_rate',
  callback_failures: 'callback_failures',
}

// A resident's own surveys (their household sampled) and answers.
export const fetchMySurveys = () => api.get('/me/surveys')
export const answerMySurvey = (id, answers) => api.post(`/me/surveys/${id}/responses`, { answers })
