#!/usr/bin/env bash
# Base-data benchmarks (make bench runs this after the case benchmarks):
#  1. jiceng import of N residents from CSV (default 1 000 000): rows/s and peak memory;
#  2. on that database over HTTP: exact ID-number lookups per second (blind index,
#     GET /api/v1/residents?id_number=…) and name searches per second
#     (GET /api/v1/residents?q=<name>&region=<street>), with p99.
# usage: scripts/bench/base.sh [build/jiceng]   (BENCH_DURATION, BENCH_RESIDENTS)
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d /tmp/jiceng-bench-base.XXXXXX)
bench_name=bench-base
. scripts/bench/lib.sh
bin=${1:-build/jiceng}
duration=${BENCH_DURATION:-5s}
n=${BENCH_RESIDENTS:-1000000}
cleanup() { stop_pid "${jc_pid:-}" TERM; [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$tmp"; }
trap cleanup EXIT

jc_bin=$bin
jc_db=$tmp/jiceng.db
jc_pw="Bench@$(date +%s)jc"
(umask 077 && printf '%s\n' "$jc_pw" >"$tmp/admin-password")
"$jc_bin" init --db "$jc_db" --admin-password-file "$tmp/admin-password" >"$tmp/init.log" 2>&1 ||
	die "jiceng init failed"
"$jc_bin" demo --db "$jc_db" --cases 0 >"$tmp/demo.log" 2>&1 || die "jiceng demo failed"
say "generating $n residents as CSV ..."
node scripts/bench/gen-residents.mjs "$n" "$tmp/keys.txt" >"$tmp/residents.csv"
size=$(du -m "$tmp/residents.csv" | cut -f1)
say "importing ..."
"$jc_bin" import --db "$jc_db" --kind residents "$tmp/residents.csv" >"$tmp/import.txt" 2>&1 ||
	{ cat "$tmp/import.txt"; die "jiceng import failed"; }
import_line=$(grep ' rows in ' "$tmp/import.txt")
import_rps=$(sed -n 's/.*(\([0-9]*\) rows\/s).*/\1/p' <<<"$import_line")
import_secs=$(sed -n 's/.* rows in \([0-9.]*\) s.*/\1/p' <<<"$import_line")
import_rss=$(sed -n 's/peak memory (max RSS): \([0-9]*\) MiB/\1/p' "$tmp/import.txt")

# The per-user lookup limit (30 per 10 minutes by default) is what protects masked numbers;
# this measures the lookup itself, so it is lifted for the benchmark's one token.
JICENG_LOOKUPS_PER_10MIN=0 jiceng_serve 2
jiceng_token

cat >"$tmp/lookup.lua" <<LUA
local keys = {}
for line in io.lines("$tmp/keys.txt") do keys[#keys + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/residents?id_number=" .. keys[(i % #keys) + 1])
end
LUA
wrk -t2 -c32 -d"$duration" --latency -H "$jc_auth" -s "$tmp/lookup.lua" "$jc_url" \
	>"$tmp/lookup.txt" 2>&1 || { cat "$tmp/lookup.txt"; die "wrk failed"; }
lookup_rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/lookup.txt")
lookup_p99=$(awk '$1 == "99%" {print $2}' "$tmp/lookup.txt")
lookup_non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/lookup.txt")
found=$(curl -s -H "$jc_auth" "$jc_url/api/v1/residents?id_number=$(sed -n 7p "$tmp/keys.txt")" |
	grep -c '"id":' || true)

# Name search: a full name (surname + given name) under a street, 50 per page.
q=$(printf '%s' '王伟' | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')
wrk -t2 -c32 -d"$duration" --latency -H "$jc_auth" \
	"$jc_url/api/v1/residents?q=$q&region=999901001&limit=50" >"$tmp/search.txt" 2>&1 ||
	{ cat "$tmp/search.txt"; die "wrk failed"; }
search_rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/search.txt")
search_p99=$(awk '$1 == "99%" {print $2}' "$tmp/search.txt")
search_non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/search.txt")
search_items=$(curl -s -H "$jc_auth" "$jc_url/api/v1/residents?q=$q&region=999901001&limit=50" |
	grep -o '"id_number"' | wc -l)

# Export of the whole district over HTTP: built on disk a chunk at a time and sent from the
# file, so the server's peak memory should hardly move.
hwm() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$jc_pid/status"; }
hwm_before=$(hwm)
t0=$(date +%s.%N)
curl -sf -H "$jc_auth" -o "$tmp/export.csv" "$jc_url/api/v1/residents/export?region=999901" ||
	die "export failed"
t1=$(date +%s.%N)
hwm_after=$(hwm)
export_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
export_rows=$(($(wc -l <"$tmp/export.csv") - 1))
export_mb=$(du -m "$tmp/export.csv" | cut -f1)

say ""
say "## Base data: import and lookups ($(date -u +%Y-%m-%d), $(nproc) cores)"
say ""
say "| measure | result | aim |"
say "|---|---|---|"
say "| \`jiceng import\` of $n residents (CSV, ${size} MB; sealed ID and phone, blind indexes, a version row each, houses and households created) | ${import_secs} s, ${import_rps} rows/s, peak RSS ${import_rss} MiB | < 10 s, < 200 MB |"
say "| GET /api/v1/residents?id_number=… (blind index; found: ${found}) | ${lookup_rps} req/s, p99 ${lookup_p99}, non-2xx ${lookup_non2xx:-0} | > 30 000/s |"
say "| GET /api/v1/residents?q=王伟&region=<street>&limit=50 (${search_items} items) | ${search_rps} req/s, p99 ${search_p99}, non-2xx ${search_non2xx:-0} | — |"
say "| GET /api/v1/residents/export?region=<district> (${export_rows} rows, ${export_mb} MB CSV, masked) | ${export_secs} s; server peak RSS ${hwm_before} → ${hwm_after} MiB | memory flat |"
