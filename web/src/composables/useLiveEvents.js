// A live subscription to server-sent events (EventSource, which sends the session cookie):
// `live` is true while connected. onEvent(data, { first }) gets each event of the given
// name parsed, first telling the connection's first event (the counts it starts from). After
// an error the connection is dropped and made again after 1 s, 2 s, 4 s … up to a minute (a
// little random, so many screens do not come back at once); the delay starts over once an
// event arrives. The URL is a ref: a new one reconnects, an empty one disconnects.
//
//   const { live } = useLiveEvents(computed(() => `/api/v1/dashboard/events?region=${code}`),
//                                  (d, { first }) => …, { event: 'dashboard' })
import { onBeforeUnmount, ref, watch } from 'vue'

const MAX_DELAY = 60_000

export function useLiveEvents(url, onEvent, { event = 'message' } = {}) {
  const live = ref(false)
  let source = null
  let timer = null
  let delay = 1000
  let first = true

  function close() {
    clearTimeout(timer)
    timer = null
    if (source) source.close()
    source = null
    live.value = false
  }

  function open() {
    close()
    const u = url.value
    if (!u || typeof EventSource === 'undefined') return
    first = true
    const es = new EventSource(u, { withCredentials: true })
    source = es
    es.addEventListener('open', () => (live.value = true))
    es.addEventListener(event, (e) => {
      live.value = true
      delay = 1000
      let data
      try {
        data = JSON.parse(e.data)
      } catch {
        return
      }
      onEvent(data, { first })
      first = false
    })
    // EventSource retries a dropped connection itself but gives up on a refusal (401, 503);
    // one rule for both: close and come back later, later each time.
    es.addEventListener('error', () => {
      if (source !== es) return
      close()
      timer = setTimeout(open, delay * (0.75 + Math.random() / 2))
      delay = Math.min(delay * 2, MAX_DELAY)
    })
  }

  watch(url, open, { immediate: true })
  onBeforeUnmount(close)
  return { live }
}
