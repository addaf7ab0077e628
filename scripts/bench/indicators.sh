#!/usr/bin/env bash
# Indicators (考核评价) at scale (make bench runs this after dashboard.sh): the demo district
# grown to 2 000 grids (40 more communities of 50 grids), 1 000 000 residents and 200 000
# cases over the last twelve months, written straight into the database with the sqlite3
# shell so that the triggers of migration 20 keep the facts as any write would; then
# GET /api/v1/indicators/{code}/values for the district with every grid as a column
# (?level=grid) and for its streets, one connection (the time of one answer), p50 and p99.
# The goal is every grid of the district for one month in under 50 ms. The district's
# counts are then checked against a recount of the cases and residents tables.
# usage: scripts/bench/indicators.sh [build/jiceng]
#   BENCH_DURATION (5s), BENCH_ROUNDS (3), BENCH_CASES (200000), BENCH_RESIDENTS (1000000),
#   BENCH_THREADS (2), BENCH_KEEP=1 keeps the temp dir
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench_name=bench-indicators
# shellcheck source=scripts/bench/lib.sh
. "$root/scripts/bench/lib.sh"
bin=${1:-$root/build/jiceng}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || die "no server binary at $bin"
duration=${BENCH_DURATION:-5s}
rounds=${BENCH_ROUNDS:-3}
ncases=${BENCH_CASES:-200000}
nres=${BENCH_RESIDENTS:-1000000}
threads=${BENCH_THREADS:-2}
command -v wrk >/dev/null 2>&1 || die "wrk is missing (scripts/bench.sh installs it)"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-bench-indicators.XXXXXX")
jc_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$?
	stop_pid "$jc_pid" TERM
	if [ "${BENCH_KEEP:-0}" = 1 ]; then say "indicators: kept $tmp" >&2; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jiceng_prepare "$bin"
say "growing the demo district to 2 000 grids, $nres residents and $ncases cases ..."
start=$(date +%s)
now=$(date +%s)
sqlite3 "$jc_db" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 39)
INSERT INTO regions(code, name, level, parent_code, created_at, updated_at)
SELECT '99990100' || (1 + i % 2) || printf('%03d', 100 + i), '测评社区' || i, 2,
       '99990100' || (1 + i % 2), $now, $now FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
INSERT INTO regions(code, name, level, parent_code, planned_households, created_at, updated_at)
SELECT '99990100' || (1 + (i / 50) % 2) || printf('%03d', 100 + i / 50) || printf('%03d', 1 + i % 50),
       '测评网格' || i, 3, '99990100' || (1 + (i / 50) % 2) || printf('%03d', 100 + i / 50), 500, $now, $now
  FROM n;
CREATE TEMP TABLE grids(k INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO grids(k, code) SELECT row_number() OVER (ORDER BY code) - 1, code FROM regions
  WHERE level = 3 AND code LIKE '999901%' AND length(code) = 15 AND substr(code, 10, 1) = '1';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $nres - 1)
INSERT INTO residents(region_code, name, residency, status, created_at, updated_at)
SELECT (SELECT code FROM grids WHERE k = i % 2000), '测评居民', 'registered',
       CASE WHEN i % 50 = 0 THEN 'moved_out' ELSE 'active' END, $now, $now FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $ncases - 1)
INSERT INTO cases(number, tracking_code, category, tier, status, level, region_code, description,
                  source, accept_due, handle_due, handled_at, closed_at, created_at, updated_at)
SELECT 'BI' || i, 'bi' || i, CASE WHEN i % 5 = 0 THEN 'safety' ELSE 'environment' END, 0,
       CASE WHEN i % 4 = 0 THEN 0 ELSE 7 END, 3, (SELECT code FROM grids WHERE k = (i * 7) % 2000),
       '测评事件', 'patrol', c + 86400, c + 3 * 86400,
       CASE WHEN i % 4 = 0 THEN 0 ELSE c + (i % 5) * 86400 END,
       CASE WHEN i % 4 = 0 THEN 0 ELSE c + 5 * 86400 END, c, c
  FROM (SELECT i, $now - (i % 365) * 86400 - (i % 86400) AS c FROM n);
COMMIT;
SQL
gen="\`jiceng demo\`, then 2 000 grids, $nres residents and $ncases cases written with the sqlite3 shell (triggers on) in $(($(date +%s) - start)) s"
grids=$(sqlite3 "$jc_db" "SELECT count(*) FROM regions WHERE level = 3 AND code LIKE '999901%' AND status = 'active'")
residents=$(sqlite3 "$jc_db" "SELECT count(*) FROM residents")
cases=$(sqlite3 "$jc_db" "SELECT count(*) FROM cases")
month=$(TZ=Asia/Shanghai date +%Y-%m)

jiceng_serve "$threads"
jiceng_token
base=$jc_url/api/v1/indicators
for code in case_closure_rate cases_per_10k; do
	curl -sf -H "$jc_auth" -o "$tmp/$code.json" "$base/$code/values?region=999901&period=$month&level=grid" ||
		die "GET $code values failed"
done
columns=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).items.length - 1)' "$tmp/cases_per_10k.json")
[ "$columns" -ge 2000 ] || die "the district has $columns grid columns, not 2000 or more"

measure() {
	local name=$1
	shift
	wrk -t1 -c1 -d"$duration" --latency -H "$jc_auth" "$@" >"$tmp/out.txt" 2>&1 ||
		{ cat "$tmp/out.txt" >&2; die "wrk failed"; }
	printf '%s %s %s\n' "$(awk '$1 == "50%" {print $2}' "$tmp/out.txt")" \
		"$(awk '$1 == "99%" {print $2}' "$tmp/out.txt")" \
		"$(awk '/Non-2xx/ {n = $NF} END {print n + 0}' "$tmp/out.txt")" >>"$tmp/m-$name"
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
	measure grids "$base/cases_per_10k/values?region=999901&period=$month&level=grid"
	measure closure "$base/case_closure_rate/values?region=999901&period=$month&level=grid"
	measure yoy "$base/case_closure_rate/values?region=999901&period=$month&level=grid&compare=yoy"
	measure streets "$base/case_closure_rate/values?region=999901&period=$month"
	measure year "$base/case_closure_rate/values?region=999901&period=${month%-*}&level=grid"
	say "round $r done"
done
kill -0 "$jc_pid" 2>/dev/null || die "jiceng died during the benchmark"
non2xx=$(cat "$tmp/m-"* | awk '{s += $3} END {print s + 0}')
[ "$non2xx" = 0 ] || die "$non2xx answers were not 2xx"

# the district's counts against a recount of the tables
got=$(node -e 'const a = JSON.parse(require("fs").readFileSync(process.argv[1])).items[0];
  const b = JSON.parse(require("fs").readFileSync(process.argv[2])).items[0];
  console.log(a.numerator, a.denominator, b.denominator)' "$tmp/case_closure_rate.json" "$tmp/cases_per_10k.json")
ym=${month/-/}
recount=$(sqlite3 "$jc_db" "SELECT sum(status = 7), count(*), (SELECT count(*) FROM residents
  WHERE status = 'active' AND region_code LIKE '999901%') FROM cases WHERE region_code LIKE '999901%'
  AND CAST(strftime('%Y%m', created_at + 28800, 'unixepoch') AS INTEGER) = $ym" | tr '|' ' ')
[ "$got" = "$recount" ] || say "WARNING: the district's counts ($got) differ from the recount ($recount)"

rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$root" diff --quiet HEAD -- src 2>/dev/null || rev="$rev+dirty"
say ""
say "## Indicators on a district of $grids grids, $residents residents and $cases cases ($(date -u '+%Y-%m-%d %H:%M UTC'), jiceng $rev)"
say ""
say "Command: \`bash scripts/bench/indicators.sh ${1:-build/jiceng}\`; database $gen; wrk -t1 -c1"
say "-d$duration, $rounds rounds; \`serve --threads $threads\`; $(nproc) cores; load average at the"
say "start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
say ""
say "| GET /api/v1/indicators/… | columns | p50 per round | p99 per round |"
say "| --- | ---: | --- | --- |"
row() { say "| $1 | $2 | $(cut -d' ' -f1 "$tmp/m-$3" | paste -sd/) | $(cut -d' ' -f2 "$tmp/m-$3" | paste -sd/) |"; }
row "cases_per_10k/values?region=999901&period=$month&level=grid" "$columns" grids
row "case_closure_rate/values?region=999901&period=$month&level=grid" "$columns" closure
row "… the same with &compare=yoy" "$columns" yoy
row "case_closure_rate/values?region=999901&period=$month (the streets)" 2 streets
row "case_closure_rate/values?region=999901&period=${month%-*}&level=grid (a year)" "$columns" year
say ""
say "District closed/reported/active residents: $got; recount of the tables: $recount."
