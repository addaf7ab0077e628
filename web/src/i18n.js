// A small i18n module: zh-CN is the default, English the second language.
// The choice is kept in localStorage and switches Vant's locale along
// (Element Plus reads `elementLocale` through <el-config-provider> in App.vue).
import { computed, ref } from 'vue'
import { Locale } from 'vant'
import vantZh from 'vant/es/locale/lang/zh-CN'
import vantEn from 'vant/es/locale/lang/en-US'
import elZh from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

const STORAGE_KEY = 'jiceng.lang'
export const LANGS = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]
const dicts = { 'zh-CN': zhCN, en }
const vantLocales = { 'zh-CN': vantZh, en: vantEn }
const elLocales = { 'zh-CN': elZh, en: elEn }

function stored() {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    return dicts[v] ? v : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const lang = ref(stored())
export const elementLocale = computed(() => elLocales[lang.value])

function apply(code) {
  document.documentElement.lang = code
  document.title = t('app.title')
  Locale.use(code === 'en' ? 'en-US' : 'zh-CN', vantLocales[code])
}

export function setLang(code) {
  if (!dicts[code]) return
  lang.value = code
  try {
    localStorage.setItem(STORAGE_KEY, code)
  } catch {
    /* storage may be unavailable (private mode); the choice then lasts for this page */
  }
  apply(code)
}

function lookup(dict, key) {
  let v = dict
  for (const part of key.split('.')) {
    if (v == null || typeof v !== 'object') return undefined
    v = v[part]
  }
  return typeof v === 'string' ? v : undefined
}

// t('users.created', { name: 'x' }) → the message with {name} filled in.
export function t(key, params) {
  let s = lookup(dicts[lang.value], key) ?? lookup(zhCN, key) ?? key
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => params[k] ?? m)
  return s
}

export const ROLES = [
  'admin',
  'district',
  'street',
  'community',
  'supervisor',
  'grid_leader',
  'grid_worker',
  'building_leader',
  'department',
  'cadre',
  'resident',
]
export const roleName = (r) => lookup(dicts[lang.value], `role.${r}`) ?? r
export const levelName = (l) => lookup(dicts[lang.value], `level.${l}`) ?? l

export function formatTime(s) {
  if (!s) return ''
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  return new Intl.DateTimeFormat(lang.value === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d)
}

apply(lang.value)

// "11/23 18:05" (zh) or "23/11 18:05" (en): month, day and time, for dense tables.
export function formatShort(s) {
  if (!s) return ''
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  return new Intl.DateTimeFormat(lang.value === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
    .format(d)
    .replace(',', '')
}
