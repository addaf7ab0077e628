// Volunteers (志愿服务) and field logs (民情走访, 巡查): who may do what on these pages (the
// role sets of src/api/volunteers/volunteers.h) and small formatting helpers.
import { grantsOf } from './session.js'

const MANAGERS = ['admin', 'district', 'street', 'community']
const has = (user, roles) => grantsOf(user).some((g) => roles.includes(g.role))

// Managers create teams and activities and confirm hours (the organisers).
export const organisesVolunteers = (user) => has(user, MANAGERS)
// Staff who read teams, activities and the records of people under their regions.
export const readsVolunteers = (user) =>
  has(user, [...MANAGERS, 'supervisor', 'grid_leader', 'grid_worker', 'building_leader'])
// Staff who sign residents up and spend points.
export const volunteerStaff = (user) => has(user, [...MANAGERS, 'grid_leader', 'grid_worker'])
// Who writes field logs, and who reads other workers' (grid leaders and above).
export const writesFieldLogs = (user) => has(user, [...MANAGERS, 'grid_leader', 'grid_worker'])
export const overseesFieldLogs = (user) => has(user, [...MANAGERS, 'supervisor', 'grid_leader'])
// The grids a user works in (field log entries are made there).
export const workGrids = (user) =>
  grantsOf(user)
    .filter((g) => ['grid_leader', 'grid_worker'].includes(g.role) && g.region_code?.length === 15)
    .map((g) => ({ code: g.region_code, name: g.region_name || g.region_code }))

// This month in Asia/Shanghai, YYYY-MM.
export const thisMonth = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)
// Minutes as hours with one decimal.
export const hoursOf = (minutes) => (Number(minutes || 0) / 60).toFixed(1)
// "MM-DD HH:mm–HH:mm" of an activity, local time.
export function activityTime(a) {
  const f = (s) => new Date(new Date(s).getTime() + 8 * 3600e3).toISOString()
  const s = f(a.starts_at)
  const e = f(a.ends_at)
  return `${s.slice(5, 10)} ${s.slice(11, 16)}–${s.slice(0, 10) === e.slice(0, 10) ? '' : e.slice(5, 10) + ' '}${e.slice(11, 16)}`
}
