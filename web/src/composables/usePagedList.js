// A list read page by page from a GET that answers { items, next_cursor }: the first page,
// "load more" appending the next one, a reload that starts over. An answer that comes back
// after a newer reload began (the filters changed meanwhile) is dropped, so a slow old page
// never overwrites the list the user asked for last.
//
//   const { rows, cursor, loading, load } = usePagedList((cursor) =>
//     api.get('/audit' + query({ limit: 50, cursor })))
//   load()      // first page (again)
//   load(true)  // the next page, appended
//
// Options:
//   onError(e, more)  how a failure is shown; the desk's default is an Element Plus message with
//                     the problem's detail.
//   keepOnError       a failed reload leaves the rows shown (default: they are cleared, as they
//                     no longer match what was asked).
// `finished` (no next page) and `error` (the last load failed) are what Vant's van-list binds.
import { ref } from 'vue'
import { ElMessage } from 'element-plus'

export const showError = (e) => ElMessage.error(e.detail || e.message)

export function usePagedList(fetchPage, { onError = showError, keepOnError = false } = {}) {
  const rows = ref([])
  const cursor = ref(null)
  const loading = ref(false)
  const finished = ref(false)
  const error = ref(false)
  let generation = 0

  async function load(more = false) {
    const gen = more ? generation : ++generation
    loading.value = true
    try {
      const page = await fetchPage(more ? cursor.value : null)
      if (gen !== generation) return
      const items = page.items || []
      rows.value = more ? rows.value.concat(items) : items
      cursor.value = page.next_cursor || null
      finished.value = !cursor.value
      error.value = false
    } catch (e) {
      if (gen !== generation) return
      if (!more && !keepOnError) rows.value = []
      error.value = true
      onError(e, more)
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  // Empties the list at once and reads it again from its first page (a phone tab switch: the
  // old tab's rows must not stay on screen while the new ones load).
  function reset() {
    generation++
    rows.value = []
    cursor.value = null
    finished.value = false
    error.value = false
    return load()
  }

  return { rows, cursor, loading, finished, error, load, reset }
}
