// The submit-with-errors pattern of every form: check the form first (an el-form's own rules,
// or a function naming the fields still missing), send, and when the server answers with
// problem+json put its errors[] on the form's fields and the detail with the rest in one line
// (forms.js useServerErrors); `busy` while the request is out, for the button's spinner.
//
//   const { errors, busy, submit } = useSubmit(['name', 'grants'], { form: formRef })
//   const saved = await submit(() => api.post('/tokens', body()))   // undefined when it failed
//
// Templates read errors.state.fields.<name> and errors.state.general. Options: `form`, the
// el-form ref to validate first; `busy`, a ref to use instead of a new one (several dialogs of a
// page sharing one spinner).
import { ref } from 'vue'
import { useServerErrors } from '../forms.js'

export function useSubmit(fields, { form, busy = ref(false) } = {}) {
  const errors = useServerErrors(fields)

  // check(): { field: message } of what is missing, shown on the fields without a round trip.
  async function submit(send, { check } = {}) {
    errors.clear()
    if (form && !(await form.value.validate().catch(() => false))) return undefined
    const missing = check ? check() : null
    if (missing && Object.keys(missing).length) {
      errors.state.fields = missing
      return undefined
    }
    busy.value = true
    try {
      return await send()
    } catch (e) {
      errors.set(e)
      return undefined
    } finally {
      busy.value = false
    }
  }

  return { errors, busy, submit }
}
