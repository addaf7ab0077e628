// Projects (民生实事, 老旧小区改造, 政府购买服务): who may do what, and the calls the pages make.
// The server decides (domain/project_flow.c); these only choose what to offer.
import { api, listAll, query } from './api.js'
import { grantsOf } from './session.js'
import { t } from './i18n.js'

export const KINDS = ['livelihood', 'renovation', 'purchase', 'other']
export const STATES = ['planned', 'underway', 'completed', 'accepted', 'suspended']
// The server's PROJECT_MANAGERS and PROJECT_READERS.
export const MANAGER_ROLES = ['admin', 'district', 'street', 'community']
export const READER_ROLES = [...MANAGER_ROLES, 'supervisor', 'department']

export const readsProjects = (user) => grantsOf(user).some((g) => READER_ROLES.includes(g.role))
export const makesProjects = (user) => grantsOf(user).some((g) => MANAGER_ROLES.includes(g.role))

export const kindName = (k) => (k ? t(`project.kind.${k}`) : '')
export const stateName = (s) => (s ? t(`project.state.${s}`) : '')
export const actionName = (a) => (a ? t(`project.action.${a}`) : '')
export const stateTag = (s) =>
  ({ planned: 'info', underway: 'warning', completed: 'primary', accepted: 'success', suspended: 'danger' })[s] ||
  'info'
// Fen as yuan with two decimals and thousands separators.
export const yuan = (fen) =>
  (Number(fen || 0) / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

export const fetchProjects = (params = {}) => listAll('/projects', params)
export const fetchProject = (id) => api.get(`/projects/${id}`)
export const createProject = (body) => api.post('/projects', body)
// An edit at the version the form was opened on: a 409 carries the project as it is now.
export const patchProject = (id, body, version) =>
  api.patch(`/projects/${id}`, body, version ? { headers: { 'If-Match': `"${version}"` } } : undefined)
export const actOnProject = (id, body) => api.post(`/projects/${id}/actions`, body)
export const addMilestone = (id, body) => api.post(`/projects/${id}/milestones`, body)
export const patchMilestone = (id, mid, body) => api.patch(`/projects/${id}/milestones/${mid}`, body)
export const addSpending = (id, body) => api.post(`/projects/${id}/spending`, body)
// The page of what produced a project (a commitment's is its pairing's board).
export const linkRoute = (link) =>
  !link
    ? null
    : link.kind === 'topic'
      ? `/topics/${link.id}`
      : link.kind === 'campaign'
        ? `/campaigns/${link.id}`
        : link.pairing_id
          ? `/pairings/${link.pairing_id}`
          : null
export const linkKindName = (k) => (k ? t(`project.linkKind.${k}`) : '')
export const exportUrl = (params = {}) => '/api/v1/projects/export' + query({ ...params, format: 'xlsx' })
