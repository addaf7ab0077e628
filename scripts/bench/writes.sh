#!/usr/bin/env bash
# Durable writes, alone and mixed (make bench runs this after the case benchmarks):
#  1. each kind of write alone under wrk -t2 -c64: POST /api/v1/cases (reports),
#     POST /api/v1/residents (registrations), POST /api/v1/cases/{id}/actions (supervise,
#     which leaves a case in its state, so it can be repeated, round the demo's open cases);
#  2. the three at once, one wrk each with a third of the connections (-t1 -c21);
#     every kind should keep at least a quarter of its rate alone.
# Every answer is a 2xx only once its commit is durable (synchronous=FULL on SQLite).
# usage: scripts/bench/writes.sh [build/jiceng]   (BENCH_DURATION, default 5s)
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d /tmp/jiceng-bench-writes.XXXXXX)
bench_name=writes
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
bin=${1:-build/jiceng}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
duration=${BENCH_DURATION:-5s}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() { stop_pid "${jc_pid:-}" TERM; [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$tmp"; }
trap cleanup EXIT

jiceng_prepare "$bin"
jiceng_serve 2
jiceng_token

# The grids of the demo district: 2 streets × 5 communities × 6 grids.
cat >"$tmp/cases.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local grid = string.format("999901%03d%03d%03d", n % 2 + 1, n % 5 + 1, n % 6 + 1)
  local body = '{"category":"environment","description":"基准测试上报 ' .. n ..
    '","region_code":"' .. grid .. '","source":"patrol","location":{"lat":30.001,"lon":120.001}}'
  return wrk.format(nil, nil, nil, body)
end
LUA
# Registrations with valid, distinct ID numbers (GB 11643 check digit; area 999901, a
# fictitious one): each wrk thread of each run takes its own slot of 2 000 000 numbers.
residents_lua() { # RUN -> the script for that run
	cat <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
local w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = "10X98765432"
local function idnum(k)
  local seq = k % 999 + 1
  local day = math.floor(k / 999) % 336
  local year = 1940 + math.floor(k / (999 * 336)) % 60
  local s = string.format("999901%04d%02d%02d%03d", year, math.floor(day / 28) + 1, day % 28 + 1, seq)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(s:sub(i, i)) * w[i] end
  local c = sum % 11 + 1
  return s .. checks:sub(c, c)
end
request = function()
  n = n + 1
  local k = ($1 * 2 + (tid or 1) - 1) * 2000000 + n
  local grid = string.format("999901%03d%03d%03d", n % 2 + 1, n % 5 + 1, n % 6 + 1)
  local body = '{"name":"基准' .. k .. '","region_code":"' .. grid ..
    '","residency":"registered","id_number":"' .. idnum(k) .. '"}'
  return wrk.format(nil, nil, nil, body)
end
LUA
}
residents_lua 0 >"$tmp/residents-warm.lua"
residents_lua 1 >"$tmp/residents-alone.lua"
residents_lua 2 >"$tmp/residents-mixed.lua"
# The demo's open cases (not rejected, not closed: supervise is allowed in every other
# state and changes none); the actions go round them, so each timeline grows by a few entries.
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is missing"
ids=$(sqlite3 "$jc_db" "SELECT group_concat(id) FROM (SELECT id FROM cases WHERE status NOT IN (2, 7) ORDER BY id LIMIT 2000)")
[ -n "$ids" ] || die "no open cases in the demo district"
cat >"$tmp/actions.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local ids = {$ids}
local n = 0
request = function()
  n = n + 1
  local body = '{"action":"supervise","comment":"督办 ' .. n .. '"}'
  return wrk.format(nil, "/api/v1/cases/" .. ids[n % #ids + 1] .. "/actions", nil, body)
end
LUA

declare -A alone_rps alone_p99 alone_bad mixed_rps mixed_p99 mixed_bad
script() { [ "$1" = residents ] && echo "$tmp/residents-$2.lua" || echo "$tmp/$1.lua"; }
url_of() { [ "$1" = residents ] && echo "$jc_url/api/v1/residents" || echo "$jc_url/api/v1/cases"; }
parse() { # FILE -> "rps p99 non-2xx/socket-errors"
	awk '/Requests\/sec/ {r = $2} $1 == "99%" {p = $2} /Non-2xx/ {b += $NF}
	     /Socket errors/ {gsub(",", ""); e += $6 + $8 + $10}
	     END {printf "%s %s %d/%d\n", r, p, b, e}' "$1"
}
for k in cases residents actions; do
	wrk -t2 -c64 -d2s -H "$jc_auth" -s "$(script $k warm)" "$(url_of $k)" >/dev/null 2>&1 || die "wrk warm-up failed"
	wrk -t2 -c64 -d"$duration" --latency -H "$jc_auth" -s "$(script $k alone)" "$(url_of $k)" \
		>"$tmp/alone-$k.txt" 2>&1 || { cat "$tmp/alone-$k.txt"; die "wrk failed"; }
	read -r alone_rps[$k] alone_p99[$k] alone_bad[$k] < <(parse "$tmp/alone-$k.txt")
done
pids=()
for k in cases residents actions; do
	wrk -t1 -c21 -d"$duration" --latency -H "$jc_auth" -s "$(script $k mixed)" "$(url_of $k)" \
		>"$tmp/mixed-$k.txt" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "wrk failed in the mixed run"; done
for k in cases residents actions; do
	read -r mixed_rps[$k] mixed_p99[$k] mixed_bad[$k] < <(parse "$tmp/mixed-$k.txt")
done
kill -0 "$jc_pid" 2>/dev/null || die "jiceng died during the benchmark"

say ""
say "## Writes alone and mixed ($(date -u +%Y-%m-%d\ %H:%M) UTC, $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
say ""
say "Command: \`bash scripts/bench/writes.sh $1\`; alone: wrk -t2 -c64 -d$duration each;"
say "mixed: the three at once, wrk -t1 -c21 -d$duration each. All answers durable (synchronous=FULL)."
say ""
say "| write | alone req/s | alone p99 | mixed req/s | mixed p99 | mixed ÷ alone | non-2xx/socket errors (alone, mixed) |"
say "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
bad=0
for k in cases residents actions; do
	ratio=$(awk -v a="${alone_rps[$k]}" -v m="${mixed_rps[$k]}" 'BEGIN { printf "%.2f", (a > 0 ? m / a : 0) }')
	case $k in cases) l='POST /api/v1/cases' ;; residents) l='POST /api/v1/residents' ;;
	actions) l='POST /api/v1/cases/{id}/actions (supervise)' ;; esac
	say "| $l | ${alone_rps[$k]} | ${alone_p99[$k]} | ${mixed_rps[$k]} | ${mixed_p99[$k]} | $ratio | ${alone_bad[$k]}, ${mixed_bad[$k]} |"
	[ "${alone_bad[$k]%/*}" = 0 ] && [ "${mixed_bad[$k]%/*}" = 0 ] || bad=1
done
[ $bad = 0 ] || say "WARNING: some answers were not 2xx: the figures are not valid"
exit $bad
