#!/usr/bin/env node
// Problem details and their translations: extracts every Chinese literal the server can send
// as a problem detail or field message (src/api, src/http) and checks it against the
// catalogue in src/api/messages/ (a file per capability). Prints the missing ones in the catalogue's own source
// format, ready to paste and translate:
//   node scripts/messages.mjs            list what is missing (exit 1 if anything is)
//   node scripts/messages.mjs --json     the same as JSON, for tests/api/i18n.test.mjs
// A literal counts as a detail when it is an argument of one of DETAIL_CALLS (also inside a
// nested arena_printf or a ternary), a "message" inside a hand-written errors JSON text, or
// the format of an arena_printf (minus NOT_DETAILS: timeline comments and titles), or a
// validator's `return "..."` in src/domain. Files: src/api, src/http, src/domain and the XLSX
// reader (src/core/xlsx.c), whose reasons become an import's detail. The nouns
// filled into "%s不存在" come from api_path_id/party_path_id and `.what = "..."` loaders.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
// The catalogue: a file per capability (src/api/messages/catalogue_*.c) and the nouns (nouns.c).
const CATALOGUE_DIR = join('src', 'api', 'messages')
const DETAIL_CALLS = [
  'api_problem', 'api_field_problem', 'api_problem_at', 'api_write_begin', 'http_problem', 'api_field_error', 'base_duplicate',
  'base_path_id', 'type_error', 'set_error', 'field_errors_add', 'add_error', 'snprintf', 'arena_printf', 'fail',
]
const NOUN_CALLS = ['api_path_id', 'party_path_id']
// arena_printf formats that are data, not details (timeline comments, generated titles, the
// PDF exports' text).
const NOT_DETAILS = new Set([
  '来源：%s', '并入 %s', '评价：%s', '重复事件 %s 并入本事件', '%s与%s结对共建',
  '%s级权责清单无匹配规则：原处置单位已清空，由受理人指派', '反复发生：%s · %s（%lld 件）', '%s%s%s，%s在%s发生%lld件（反复发生问题 %lld 号）。提请居民协商解决办法。',
  // the PDF exports' headings and cells (api/command/rankings_export.c, indicator_values_pdf.c)
  '第 %lld 版，%s 发布（%s）', '%s（%s） · %s · 导出于 %s', '与 %zu 个区划并列', '%s（合计）', ' · 同比 %s',
  '%s（%s） · 分子 %s / 分母 %s × %lld%s · 导出于 %.10s %.5s',
])
const CJK = /[\u3400-\u9fff]/ // a Chinese character (punctuation alone is no message)

// The source with comments blanked out (string and character literals kept).
function stripComments(s) {
  let out = ''
  for (let i = 0; i < s.length; ) {
    const c = s[i]
    if (c === '"' || c === "'") {
      let j = i + 1
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1
      out += s.slice(i, j + 1)
      i = j + 1
    } else if (s.startsWith('//', i)) {
      const j = s.indexOf('\n', i)
      i = j < 0 ? s.length : j
    } else if (s.startsWith('/*', i)) {
      const j = s.indexOf('*/', i + 2)
      out += s.slice(i, j + 2).replace(/[^\n]/g, ' ')
      i = j < 0 ? s.length : j + 2
    } else {
      out += c
      i++
    }
  }
  return out
}

// A C string literal's body decoded (escapes as C reads them; UTF-8 byte escapes joined).
export function decodeC(body) {
  const bytes = []
  const enc = new TextEncoder()
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      const cp = body.codePointAt(i)
      const ch = String.fromCodePoint(cp)
      bytes.push(...enc.encode(ch))
      i += ch.length - 1
      continue
    }
    const e = body[++i]
    if (e === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 1))
      bytes.push(parseInt(m[0], 16) & 0xff)
      i += m[0].length
    } else {
      bytes.push({ n: 10, r: 13, t: 9, '0': 0 }[e] ?? e.charCodeAt(0))
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

// Literals (adjacent ones joined) in a stretch of source: [{text, line}].
function literals(src, from, to, lineOf) {
  const out = []
  const re = /"((?:[^"\\\n]|\\.)*)"(?:\s*"((?:[^"\\\n]|\\.)*)")*/g
  re.lastIndex = from
  let m
  while ((m = re.exec(src)) && m.index < to) {
    const parts = [...m[0].matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((p) => decodeC(p[1]))
    out.push({ text: parts.join(''), line: lineOf(m.index) })
  }
  return out
}

function closeParen(src, open) {
  let depth = 0
  for (let i = open; i < src.length; i++) {
    const c = src[i]
    if (c === '"' || c === "'") {
      let j = i + 1
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1
      i = j
    } else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return i
  }
  return src.length
}

export function sourceFiles() {
  const files = []
  // src/api and its capability folders (src/api/cases, …), src/http, src/domain
  const walk = (dir) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)))
      if (e.isDirectory()) {
        if (join(dir, e.name) !== CATALOGUE_DIR) walk(join(dir, e.name))
      } else if (e.name.endsWith('.c')) files.push(join(dir, e.name))
  }
  for (const dir of ['src/api', 'src/http', 'src/domain']) walk(dir)
  // The XLSX reader's reasons reach the client as the import's detail.
  files.push('src/core/xlsx.c')
  return files
}

// { details: Map(text → [where]), nouns: Map(text → [where]) } of the given files (read with read).
export function extract(files = sourceFiles(), read = (f) => readFileSync(join(ROOT, f), 'utf8')) {
  const details = new Map(), nouns = new Map()
  const add = (map, text, where) => {
    if (!CJK.test(text)) return
    if (!map.has(text)) map.set(text, [])
    map.get(text).push(where)
  }
  for (const file of files) {
    const src = stripComments(read(file))
    const starts = [0]
    for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1)
    const lineOf = (pos) => {
      let lo = 0, hi = starts.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (starts[mid] <= pos) lo = mid
        else hi = mid - 1
      }
      return lo + 1
    }
    const call = new RegExp(`\\b(${[...DETAIL_CALLS, ...NOUN_CALLS].join('|')})\\s*\\(`, 'g')
    let m
    while ((m = call.exec(src))) {
      const open = m.index + m[0].length - 1
      const close = closeParen(src, open)
      const noun = NOUN_CALLS.includes(m[1])
      for (const { text, line } of literals(src, open, close, lineOf)) {
        const where = `${file}:${line}`
        if (noun) add(nouns, text, where)
        else if (text.includes('"message":"'))
          for (const mm of text.matchAll(/"message":"((?:[^"\\]|\\.)*)"/g)) add(details, JSON.parse(`"${mm[1]}"`), where)
        else if (m[1] === 'arena_printf' && NOT_DETAILS.has(text)) continue
        else add(details, text, where)
      }
    }
    for (const w of src.matchAll(/\.what\s*=\s*"((?:[^"\\\n]|\\.)*)"/g)) add(nouns, decodeC(w[1]), `${file}:${lineOf(w.index)}`)
    // A message returned by a validator (domain/person.c, domain/password.c).
    for (const w of src.matchAll(/\breturn\s+"((?:[^"\\\n]|\\.)*)"\s*;/g)) add(details, decodeC(w[1]), `${file}:${lineOf(w.index)}`)
    // A field message set by hand on an errors[] entry.
    for (const w of src.matchAll(/json_set_str\(\s*\w+\s*,\s*"message"\s*,\s*"((?:[^"\\\n]|\\.)*)"/g))
      add(details, decodeC(w[1]), `${file}:${lineOf(w.index)}`)
  }
  return { details, nouns }
}

// The catalogue's entries as written in src/api/messages/: the parts' entries and the nouns.
export function catalogue() {
  const src = readdirSync(join(ROOT, CATALOGUE_DIR))
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => readFileSync(join(ROOT, CATALOGUE_DIR, f), 'utf8'))
    .join('\n')
  const lit = '"((?:[^"\\\\\\n]|\\\\.)*)"'
  const entries = [...src.matchAll(new RegExp(`^\\s*\\{${lit},\\s*${lit},\\s*${lit}\\},`, 'gm'))].map((m) => ({
    code: decodeC(m[1]), zh: decodeC(m[2]), en: decodeC(m[3]),
  }))
  const nouns = [...src.matchAll(new RegExp(`^\\s*\\{${lit},\\s*${lit}\\},`, 'gm'))].map((m) => ({
    zh: decodeC(m[1]), en: decodeC(m[2]),
  }))
  return { entries, nouns }
}

export function missing() {
  const { details, nouns } = extract()
  const cat = catalogue()
  const have = new Set(cat.entries.map((e) => e.zh))
  const haveNouns = new Set(cat.nouns.map((n) => n.zh))
  return {
    details: [...details].filter(([t]) => !have.has(t)).map(([text, where]) => ({ text, where })),
    nouns: [...nouns].filter(([t]) => !haveNouns.has(t)).map(([text, where]) => ({ text, where })),
  }
}

const cstr = (s) => JSON.stringify(s).replace(/\\u([0-9a-f]{4})/g, (m, h) => String.fromCharCode(parseInt(h, 16)))

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const miss = missing()
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(miss, null, 1))
  } else {
    if (miss.details.length) console.log('/* details missing from the catalogue (code, zh, en): add them to the capability\'s part in src/api/messages/ */')
    for (const d of miss.details) console.log(`\t{"TODO", ${cstr(d.text)}, "TODO"}, /* ${d.where[0]} */`)
    if (miss.nouns.length) console.log('/* nouns missing from msg_nouns[] (zh, en) */')
    for (const n of miss.nouns) console.log(`\t{${cstr(n.text)}, "TODO"}, /* ${n.where[0]} */`)
  }
  process.exit(miss.details.length || miss.nouns.length ? 1 : 0)
}
