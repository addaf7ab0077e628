// The dashboard map's "indicator" measure (考核指标): any indicator's value per child of the
// dashboard's region for the current month (docs/indicators.md), the definitions read once.
import { computed, ref } from 'vue'
import { fetchIndicators, fetchValues, thisMonth } from '../evaluation.js'

// Low to high: for "higher is better" high is green, for "lower is better" high is red.
const GOOD_HIGH = ['#d63447', '#f08a5d', '#f6d365', '#e3f2e1']
const GOOD_LOW = ['#e3f2e1', '#f6d365', '#f08a5d', '#d63447']

export function useIndicatorMeasure() {
  const indicators = ref([])
  const chosen = ref(null)
  const values = ref({})
  const definition = computed(() => indicators.value.find((i) => i.code === chosen.value))
  const colors = computed(() => (definition.value?.direction === 'lower' ? GOOD_LOW : GOOD_HIGH))

  async function refresh(region) {
    try {
      if (!indicators.value.length) indicators.value = (await fetchIndicators()).items
      chosen.value ??= indicators.value[0]?.code ?? null
      if (!chosen.value) return
      const got = await fetchValues(chosen.value, { region, period: thisMonth() })
      values.value = Object.fromEntries(got.items.slice(1).map((i) => [i.region_code, i.value]))
    } catch {
      values.value = {}
    }
  }

  return { indicators, chosen, values, definition, colors, refresh }
}
