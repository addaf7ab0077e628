// Server-side form errors: problem+json errors[] on their form fields, the rest in one alert.
// A nested field such as "grants[1]" or "into[0].code" lands on its root ("grants", "into"),
// prefixed with the row it is about. `fieldMap` names the form item an API field is shown on
// when the two differ ({ region_code: 'grid', 'reporter.phone': 'phone' }): the exact field
// first, then its root. set(e, placed): `placed(err)` true when the page showed that error
// itself (on a row of a list), which then stays off the fields and the line.
import { reactive } from 'vue'
import { joinMessages } from './api.js'
import { t } from './i18n.js'

export function useServerErrors(knownFields, fieldMap = {}) {
  const state = reactive({ fields: {}, general: '' })
  const mapped = (field) => (Object.hasOwn(fieldMap, field) ? fieldMap[field] : undefined)
  return {
    state,
    clear() {
      state.fields = {}
      state.general = ''
    },
    set(e, placed) {
      const fields = {}
      const rest = []
      for (const err of e.errors || []) {
        if (placed?.(err)) continue
        const msg = err.message || err.code || ''
        const field = err.field || ''
        const base = field.split(/[[.]/)[0]
        const root = mapped(field) ?? mapped(base) ?? base
        const row = field.match(/\[(\d+)\]/)
        const text = row ? t('valid.row', { n: Number(row[1]) + 1 }) + msg : msg
        if (root && knownFields.includes(root)) fields[root] ??= text
        else rest.push(field ? `${field}: ${msg}` : msg)
      }
      state.fields = fields
      state.general = joinMessages([e.detail || e.message, ...rest])
    },
  }
}
