// The submit-with-errors pattern of every form: check the form first (an el-form's own rules,
// or a function naming the fields still missing), send, and when the server answers with
// problem+json put its errors[] on the form's fields and the detail with the rest in one line
// (forms.js useServerErrors); `busy` while the request is out, for the button's spinner.
//
//   const { errors, busy, submit } = useSubmit(['name', 'grants'], { form: formRef })
//   const saved = await submit(() => api.post('/tokens', body()))   // undefined when it failed
//   submit(send, { check: () => (form.name ? null : { name: t('valid.required') }) })
//
// Templates read errors.state.fields.<name> and errors.state.general. Options: `form`, the
// el-form ref to validate first; `busy`, a ref to use instead of a new one (several dialogs of a
// page sharing one spinner); `fieldMap`, the form item an API field is shown on when their names
// differ ({ region_code: 'grid' }; the item must be one of `fields`).
import { ref } from 'vue'
import { useServerErrors } from '../forms.js'

export function useSubmit(fields, { form, busy = ref(false), fieldMap } = {}) {
  const errors = useServerErrors(fields, fieldMap)

  // check(): what the form still lacks, found without a round trip — { field: message } shown on
  // the fields, or one message for the alert; nothing (null, '', {}) when the form may go.
  // onError(e): more to do when the request failed, after the errors are shown (say, row errors
  // of a list field, or reloading what the failed request may have left stale).
  // placed(err): true when the page put that error of the answer somewhere itself (the row of a
  // list it is about); it then stays off the fields and the line.
  async function submit(send, { check, onError, placed } = {}) {
    errors.clear()
    if (form && !(await form.value.validate().catch(() => false))) return undefined
    const problem = check ? check() : null
    if (typeof problem === 'string' && problem) {
      errors.state.general = problem
      return undefined
    }
    if (problem && typeof problem === 'object' && Object.keys(problem).length) {
      errors.state.fields = problem
      return undefined
    }
    busy.value = true
    try {
      return await send()
    } catch (e) {
      errors.set(e, placed)
      onError?.(e)
      return undefined
    } finally {
      busy.value = false
    }
  }

  return { errors, busy, submit }
}
