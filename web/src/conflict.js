// A sweep visit refused because a resident it changes was changed by someone else since the
// phone loaded the house: 409 version_conflict naming occupants[i].version, with the resident
// as it is now (api/base/sweeps_visits.c). Which entry it is, the two versions field by field,
// and the ways on — keep mine (the same change, on the current version), take the current one
// (the change leaves the visit), or an edited change — each as the visit's body to send again.
// Used by the visit page (sent online) and the outbox (sent later).

export const CONFLICT_FIELDS = ['name', 'status', 'residency', 'relation', 'phone', 'note']

export const isVersionConflict = (e) => e?.status === 409 && e.code === 'version_conflict' && !!e.current

// { index, current, version } of the occupants[] entry the answer names; null when none is.
export function visitConflict(body, e) {
  const occ = body?.occupants || []
  const m = /^occupants\[(\d+)\]\.version$/.exec(e.errors?.[0]?.field || '')
  let index = m ? Number(m[1]) : -1
  if (occ[index]?.resident_id !== e.current.id) index = occ.findIndex((o) => o.resident_id === e.current.id)
  return index < 0 ? null : { index, current: e.current, version: e.currentVersion }
}

// The resident as the entry would leave it: the current record with the entry's changes (what
// the entry does not send stays as it is now).
export function mineOf(entry, current) {
  const out = { ...current }
  for (const k of ['residency', 'relation', 'phone', 'note']) if (entry[k] !== undefined) out[k] = entry[k]
  if (entry.action === 'moved_out') out.status = 'moved_out'
  return out
}

const same = (a, b) => (a ?? '') === (b ?? '')

// [{ key, mine, current, differs, theirs }]: theirs when someone else changed the field since
// `basis` (the resident as the phone loaded it, when known).
export function conflictRows(entry, current, basis) {
  const mine = mineOf(entry, current)
  return CONFLICT_FIELDS.map((key) => ({
    key,
    mine: mine[key],
    current: current[key],
    differs: !same(mine[key], current[key]),
    theirs: !!basis && !same(basis[key], current[key]),
  }))
}

// The entry an edit makes: moved out, or an update of what differs from the current record.
function editedEntry(residentId, ed, { current, version }) {
  if (ed.status === 'moved_out') return { action: 'moved_out', resident_id: residentId, version }
  const o = { action: 'update', resident_id: residentId, version }
  if (ed.residency && ed.residency !== current.residency) o.residency = ed.residency
  if (ed.relation && ed.relation !== current.relation) o.relation = ed.relation
  if (ed.phone?.trim()) o.phone = ed.phone.trim()
  return o
}

// The visit's body after the choice: 'mine', 'current' or 'edit' (with the edited fields).
export function resolveVisit(body, conflict, choice, edited) {
  const occupants = [...(body.occupants || [])]
  const entry = occupants[conflict.index]
  if (choice === 'current') occupants.splice(conflict.index, 1)
  else if (choice === 'mine') occupants[conflict.index] = { ...entry, version: conflict.version }
  else occupants[conflict.index] = editedEntry(entry.resident_id, edited, conflict)
  return { ...body, occupants }
}
