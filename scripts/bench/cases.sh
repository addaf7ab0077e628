#!/usr/bin/env bash
# Case benchmarks (make bench runs this after the regions/healthz comparison):
#  1. POST /api/v1/cases per second, each answered only after its commit is durable
#     (synchronous=FULL; reports share commits through the group-commit writer);
#  2. GET /api/v1/cases?region=<street>&status=handling&limit=50 per second with p99,
#     on a database of 200 000 cases.
# usage: scripts/bench/cases.sh [build/jiceng]   (BENCH_DURATION, BENCH_CASES)
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d /tmp/jiceng-bench-cases.XXXXXX)
. scripts/bench/lib.sh
bin=${1:-build/jiceng}
duration=${BENCH_DURATION:-5s}
ncases=${BENCH_CASES:-200000}
cleanup() { stop_pid "${jc_pid:-}" TERM; [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$tmp"; }
trap cleanup EXIT

jc_bin=$bin
jc_db=$tmp/jiceng.db
jc_pw="Bench@$(date +%s)jc"
(umask 077 && printf '%s\n' "$jc_pw" >"$tmp/admin-password")
"$jc_bin" init --db "$jc_db" --admin-password-file "$tmp/admin-password" >"$tmp/init.log" 2>&1 ||
	die "jiceng init failed"
say "generating the demo district with $ncases cases ..."
start=$(date +%s.%N)
"$jc_bin" demo --db "$jc_db" --cases "$ncases" >"$tmp/demo.log" 2>&1 || die "jiceng demo failed"
gen=$(echo "$(date +%s.%N) - $start" | bc)
jiceng_serve 2
jiceng_token

cat >"$tmp/report.lua" <<'LUA'
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
count_before=$(sqlite3 "$jc_db" "select count(*) from cases")
wrk -t2 -c64 -d"$duration" --latency -H "$jc_auth" -s "$tmp/report.lua" "$jc_url/api/v1/cases" \
	>"$tmp/create.txt" 2>&1 || { cat "$tmp/create.txt"; die "wrk failed"; }
count_after=$(sqlite3 "$jc_db" "select count(*) from cases")
create_rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/create.txt")
create_p99=$(awk '$1 == "99%" {print $2}' "$tmp/create.txt")
create_non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/create.txt")

wrk -t2 -c64 -d"$duration" --latency -H "$jc_auth" \
	"$jc_url/api/v1/cases?region=999901001&status=handling&limit=50" >"$tmp/list.txt" 2>&1 ||
	{ cat "$tmp/list.txt"; die "wrk failed"; }
list_rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/list.txt")
list_p99=$(awk '$1 == "99%" {print $2}' "$tmp/list.txt")
list_non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/list.txt")
list_bytes=$(curl -s -H "$jc_auth" "$jc_url/api/v1/cases?region=999901001&status=handling&limit=50" | wc -c)

say ""
say "## Cases: creation rate and street list ($(date -u +%Y-%m-%d), $(nproc) cores)"
say ""
say "Command: \`bash scripts/bench/cases.sh build/jiceng\` (part of \`make bench\`); wrk -t2 -c64 -d$duration;"
say "database generated with \`jiceng demo --cases $ncases\` in ${gen%.*} s."
say ""
say "| measure | req/s | p99 | non-2xx |"
say "| --- | ---: | ---: | ---: |"
say "| POST /api/v1/cases (durable, group commit) | $create_rps | $create_p99 | ${create_non2xx:-0} |"
say "| GET /api/v1/cases?region=<street>&status=handling&limit=50 ($list_bytes B) | $list_rps | $list_p99 | ${list_non2xx:-0} |"
say ""
say "Rows written during the creation run: $((count_after - count_before))."
