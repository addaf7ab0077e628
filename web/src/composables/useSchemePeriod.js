// The scheme and period a ranking page is about (月度评比, 加减分): the active schemes, oldest
// first, the first of them chosen, and a month — or a year, for the annual assessment. A link's
// ?scheme=, ?month= or ?year= chooses them when the page opens.
//
//   const { schemes, f, period } = useSchemePeriod({ view: 'live' })   // more filters of the page
//   watch(() => f.scheme, load)                                        // set once the schemes are in
//
// `period` is f.year or f.month, as the API's `period` takes it.
import { computed, onMounted, reactive, ref } from 'vue'
import { useRoute } from 'vue-router'
import { showError } from './usePagedList.js'
import { fetchSchemes, thisMonth } from '../evaluation.js'

export function useSchemePeriod(more = {}) {
  const route = useRoute()
  const schemes = ref([])
  const f = reactive({ scheme: null, kind: 'monthly', month: thisMonth(), year: thisMonth().slice(0, 4), ...more })
  const period = computed(() => (f.kind === 'annual' ? f.year : f.month))

  onMounted(async () => {
    try {
      schemes.value = (await fetchSchemes()).items.filter((s) => s.status === 'active').sort((a, b) => a.id - b.id)
      if (/^\d{4}-\d{2}$/.test(route.query.month || '')) f.month = route.query.month
      if (/^\d{4}$/.test(route.query.year || '')) Object.assign(f, { kind: 'annual', year: route.query.year })
      const asked = schemes.value.find((s) => String(s.id) === route.query.scheme)
      if (schemes.value.length) f.scheme = (asked || schemes.value[0]).id
    } catch (e) {
      showError(e)
    }
  })

  return { schemes, f, period }
}
