// 协商议事 on the desk and the phone: the stages of the two procedures in order (the table itself is
// domain/topic_flow.c; the server answers next_stages for the caller), and what each stage takes.
import { grantsOf } from './session.js'
import { t } from './i18n.js'

export const PROCEDURES = ['six_step', 'four_two']
export const STAGES = {
  six_step: ['proposed', 'discussing', 'deciding', 'pledging', 'executing', 'evaluating', 'closed'],
  four_two: [
    'proposed',
    'consulted',
    'reviewed',
    'resolved',
    'resolution_public',
    'executing',
    'result_public',
    'closed',
  ],
}
export const ALL_STAGES = [...new Set([...STAGES.six_step, ...STAGES.four_two, 'rejected'])]
export const PRESETS = ['villagers_meeting', 'household_reps', 'representatives']
// The unit each legal preset fixes (domain/topic_flow.c ballot_preset_rule).
export const PRESET_UNIT = { villagers_meeting: 'resident', household_reps: 'household', representatives: 'resident' }

export const stageName = (s) => t(`delib.stage.${s}`)
export const procName = (p) => t(`delib.proc.${p}`)
export const meetingStage = (s) => ['discussing', 'consulted', 'reviewed'].includes(s)
export const commentStage = meetingStage
// The decision stages, whose ballot the next move needs.
export const decisionStage = (s) => s === 'deciding' || s === 'reviewed'
export const pledgeStage = (s) => ['pledging', 'resolved', 'resolution_public'].includes(s)
export const spendStage = (s) =>
  ['pledging', 'executing', 'evaluating', 'resolved', 'resolution_public', 'result_public'].includes(s)
export const disclosingStage = (s) => ['pledging', 'closed', 'resolution_public', 'result_public'].includes(s)
export const finalStage = (s) => s === 'closed' || s === 'rejected'

export const stageTagType = (s) =>
  s === 'closed' ? 'success' : s === 'rejected' ? 'info' : s === 'proposed' ? 'warning' : 'primary'

// Managers (who open ballots, record spending, assign tasks) over a region.
const MANAGERS = ['admin', 'district', 'street', 'community']
export const managesTopic = (user, region) =>
  grantsOf(user).some(
    (g) => MANAGERS.includes(g.role) && (g.role === 'admin' || (region || '').startsWith(g.region_code)),
  )

// RFC 3339 in UTC without milliseconds, as the API takes times.
export const isoTime = (d) => new Date(d).toISOString().replace(/\.\d+Z$/, 'Z')
export const pct = (x) => `${Math.round((x || 0) * 1000) / 10}%`
