// Services (服务下沉): who may do what on the service pages (the role sets of
// src/api/services/services.h; the server stays the judge) and the names of states, actions
// and care kinds in the UI's language.
import { grantsOf } from './session.js'
import { t } from './i18n.js'

const MANAGERS = ['admin', 'district', 'street', 'community']
const READERS = [...MANAGERS, 'supervisor', 'grid_leader', 'grid_worker', 'building_leader']
const STAFF = [...MANAGERS, 'grid_leader', 'grid_worker']
const has = (user, roles) => grantsOf(user).some((g) => roles.includes(g.role))

// Managers keep the catalogue and handle online requests (SERVICE_MANAGERS).
export const managesServices = (user) => has(user, MANAGERS)
// Staff who read slots, bookings and care targets (SERVICE_READERS).
export const readsServices = (user) => has(user, READERS)
// Staff who publish slots, book for residents, mark attendance (SERVICE_STAFF).
export const serviceStaff = (user) => has(user, STAFF)

export const REQUEST_STATES = ['submitted', 'accepted', 'more_needed', 'completed', 'refused', 'withdrawn']
export const stateName = (s) => t(`svc.state.${s}`)
export const actionName = (a) => t(`svc.action.${a}`)
export const STATE_TAG = {
  submitted: 'primary',
  accepted: 'warning',
  more_needed: 'danger',
  completed: 'success',
  refused: 'info',
  withdrawn: 'info',
}
// Actions that need a reason (the table in src/domain/service_flow.c).
export const needsComment = (a) => ['ask_more', 'refuse', 'supplement'].includes(a)

// Care kinds a target may have (resident tags that name people looked after).
export const CARE_KINDS = ['elderly_alone', 'elderly', 'low_income', 'disabled', 'veteran', 'left_behind_child']
export const careKindName = (k, fallback) => {
  const key = `svc.kind.${k}`
  const s = t(key)
  return s === key ? fallback || k : s
}

// "YYYY-MM-DD" of a time in Asia/Shanghai.
export const localDate = (s) => new Date(new Date(s).getTime() + 8 * 3600e3).toISOString().slice(0, 10)
// "MM-DD HH:mm–HH:mm" of a slot, local time.
export function slotTime(s) {
  const f = (x) => new Date(new Date(x).getTime() + 8 * 3600e3).toISOString()
  const a = f(s.starts_at)
  const b = f(s.ends_at)
  return `${a.slice(5, 10)} ${a.slice(11, 16)}–${b.slice(11, 16)}`
}
