// Client-side checks that mirror the server's rules, so forms answer before a round trip.
// The server stays the judge: its 422 errors[] are shown on the same fields.
import { t } from './i18n.js'

export const CODE_LENGTHS = { district: 6, street: 9, community: 12, grid: 15 }
export const CHILD_LEVEL = { district: 'street', street: 'community', community: 'grid' }

export function passwordProblem(pw) {
  if (!pw || pw.length < 10) return t('valid.passwordShort')
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length
  return classes < 3 ? t('valid.passwordClasses') : ''
}

export function grantsProblem(grants) {
  for (const [i, g] of grants.entries()) {
    if (!g.role) return t('valid.grantRole', { n: i + 1 })
    const code = (g.region_code || '').trim()
    if (g.role === 'admin' && code === '') continue
    if (!/^\d+$/.test(code) || !Object.values(CODE_LENGTHS).includes(code.length)) {
      return t('valid.grantRegion', { n: i + 1 })
    }
  }
  return ''
}

// A child's code: the parent's code plus 3 digits.
export function childCodeProblem(code, parentCode) {
  const want = parentCode.length + 3
  if (!code) return t('valid.required')
  if (!/^\d+$/.test(code) || code.length !== want || !code.startsWith(parentCode)) {
    return t('valid.childCode', { n: want, parent: parentCode })
  }
  return ''
}

// el-form rule from a function returning '' or a message.
export const ruleFrom = (fn, trigger = 'blur') => ({
  trigger,
  validator: (_rule, value, cb) => {
    const msg = fn(value)
    if (msg) cb(new Error(msg))
    else cb()
  },
})

export const required = (trigger = 'blur') => ({ required: true, trigger, message: t('valid.required') })

export const cleanGrants = (grants) =>
  grants.map((g) => ({ role: g.role, region_code: (g.region_code || '').trim() || null }))
