// The warning box before an action that cannot be taken back (delete, retire, rotate a secret,
// close a sweep): its message and the confirming button's text (action). Resolves to true when
// the user confirmed, false when they cancelled or closed the box.
import { ElMessageBox } from 'element-plus'
import { t } from './i18n.js'

export const confirmAction = (message, action) =>
  ElMessageBox.confirm(message, t('common.confirm'), {
    type: 'warning',
    confirmButtonText: action,
    cancelButtonText: t('common.cancel'),
  }).then(
    () => true,
    () => false,
  )
