// The dashboard map's "campaign progress" measure (专项整治进度): the active campaigns that cover
// the dashboard's region, the one chosen, and the share of its items ticked off per child.
import { ref } from 'vue'
import { fetchCampaigns, fetchProgress, progressValues } from '../campaigns.js'

export function useCampaignMeasure() {
  const campaigns = ref([])
  const chosen = ref(null)
  const values = ref({})
  let all = null

  // Loads the values for region (the campaigns list once); a campaign that does not cover the
  // region is dropped from the choice.
  async function refresh(region) {
    try {
      all ??= await fetchCampaigns()
      campaigns.value = all.filter((c) => c.status === 'active' && region.startsWith(c.region_code))
      if (!campaigns.value.some((c) => c.id === chosen.value)) chosen.value = campaigns.value[0]?.id ?? null
      values.value = chosen.value ? progressValues(await fetchProgress(chosen.value, region)) : {}
    } catch {
      values.value = {}
    }
  }

  return { campaigns, chosen, values, refresh }
}
