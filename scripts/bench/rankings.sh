#!/usr/bin/env bash
# Rankings (月度评比, 年度考评) at scale (make bench runs this after indicators.sh): the demo
# district grown to 2 000 more grids (200 more communities of 10 grids), 1 000 000 residents and
# 200 000 cases over the last twelve months, written straight into the database with the
# sqlite3 shell so that the triggers of migration 20 keep the facts as any write would; then a
# scheme of six indicators ranking every community of the district, and GET /api/v1/rankings
# for the whole year (the mean of twelve monthly rankings) and for one month, one connection
# (the time of one answer), p50 and p99. The goal is a full year's ranking of every community
# in under 1 s. One community's month is checked against a recount of the cases table. Then the
# month's and the year's ranking as a printable PDF (GET /api/v1/rankings/export?format=pdf,
# every community: one row each): one `curl` each (time_total, pages, bytes) and the month's
# p50/p99 with wrk like the others.
# usage: scripts/bench/rankings.sh [build/jiceng]
#   BENCH_DURATION (5s), BENCH_ROUNDS (3), BENCH_CASES (200000), BENCH_RESIDENTS (1000000),
#   BENCH_THREADS (2), BENCH_KEEP=1 keeps the temp dir
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench_name=bench-rankings
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-bench-rankings.XXXXXX")
jc_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$?
	stop_pid "$jc_pid" TERM
	if [ "${BENCH_KEEP:-0}" = 1 ]; then say "rankings: kept $tmp" >&2; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jiceng_prepare "$bin"
say "growing the demo district by 200 communities of 10 grids, $nres residents and $ncases cases ..."
start=$(date +%s)
now=$(date +%s)
sqlite3 "$jc_db" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
INSERT INTO regions(code, name, level, parent_code, created_at, updated_at)
SELECT '99990100' || (1 + i % 2) || printf('%03d', 100 + i), '评比社区' || i, 2,
       '99990100' || (1 + i % 2), $now, $now FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
INSERT INTO regions(code, name, level, parent_code, planned_households, created_at, updated_at)
SELECT '99990100' || (1 + (i / 10) % 2) || printf('%03d', 100 + i / 10) || printf('%03d', 1 + i % 10),
       '评比网格' || i, 3, '99990100' || (1 + (i / 10) % 2) || printf('%03d', 100 + i / 10), 500, $now, $now
  FROM n;
CREATE TEMP TABLE grids(k INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO grids(k, code) SELECT row_number() OVER (ORDER BY code) - 1, code FROM regions
  WHERE level = 3 AND length(code) = 15 AND substr(code, 1, 6) = '999901' AND substr(code, 10, 1) IN ('1', '2');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $nres - 1)
INSERT INTO residents(region_code, name, residency, status, created_at, updated_at)
SELECT (SELECT code FROM grids WHERE k = i % 2000), '评比居民', 'registered',
       CASE WHEN i % 50 = 0 THEN 'moved_out' ELSE 'active' END, $now, $now FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $ncases - 1)
INSERT INTO cases(number, tracking_code, category, tier, status, level, region_code, description,
                  source, accept_due, handle_due, handled_at, closed_at, created_at, updated_at)
SELECT 'BR' || i, 'br' || i, CASE WHEN i % 5 = 0 THEN 'safety' ELSE 'environment' END, 0,
       CASE WHEN (i / 7) % (3 + i % 4) = 0 THEN 0 ELSE 7 END, 3,
       (SELECT code FROM grids WHERE k = (i * 7) % 2000), '评比事件', 'patrol', c + 86400,
       c + 3 * 86400, CASE WHEN (i / 7) % (3 + i % 4) = 0 THEN 0 ELSE c + (i % 5) * 86400 END,
       CASE WHEN (i / 7) % (3 + i % 4) = 0 THEN 0 ELSE c + 5 * 86400 END, c, c
  FROM (SELECT i, $now - (i % 365) * 86400 - (i % 86400) AS c FROM n);
COMMIT;
SQL
gen="\`jiceng demo\`, then 200 communities of 10 grids, $nres residents and $ncases cases written with the sqlite3 shell (triggers on) in $(($(date +%s) - start)) s"
communities=$(sqlite3 "$jc_db" "SELECT count(*) FROM regions WHERE level = 2 AND code LIKE '999901%' AND status = 'active'")
grids=$(sqlite3 "$jc_db" "SELECT count(*) FROM regions WHERE level = 3 AND code LIKE '999901%' AND status = 'active'")
residents=$(sqlite3 "$jc_db" "SELECT count(*) FROM residents")
cases=$(sqlite3 "$jc_db" "SELECT count(*) FROM cases")
month=$(TZ=Asia/Shanghai date +%Y-%m)
year=${month%-*}

jiceng_serve "$threads"
jiceng_token
curl -sf -H "$jc_auth" -H 'Content-Type: application/json' -o "$tmp/scheme.json" -d '{"name":"全区社区评比（基准）",
  "level":"community","region_code":"999901","top_n":10,"items":[
  {"indicator":"case_closure_rate","weight":30,"floor":50,"target":95},
  {"indicator":"on_time_closure_rate","weight":15,"floor":50,"target":90},
  {"indicator":"satisfaction_rate","weight":15,"floor":80,"target":98},
  {"indicator":"cases_per_10k","weight":15,"floor":100,"target":20},
  {"indicator":"hazard_rectification_rate","weight":15,"floor":50,"target":95},
  {"indicator":"sweep_coverage","weight":10,"floor":50,"target":100}]}' \
	"$jc_url/api/v1/ranking-schemes" || die "POST /api/v1/ranking-schemes failed"
scheme=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).id)' "$tmp/scheme.json")
base="$jc_url/api/v1/rankings?scheme=$scheme"
curl -sf -H "$jc_auth" -o "$tmp/year.json" "$base&period=$year" || die "GET the year's ranking failed"
curl -sf -H "$jc_auth" -o "$tmp/month.json" "$base&period=$month" || die "GET the month's ranking failed"
ranked=$(node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1]));
  if (o.months.length < 1 || o.items.some((i) => typeof i.total !== "number")) process.exit(1);
  console.log(o.items.length, o.months.length)' "$tmp/year.json") || die "the year's ranking is malformed"
read -r nranked nmonths <<<"$ranked"
[ "$nranked" -ge 200 ] || die "the year's ranking has $nranked communities, not 200 or more"

measure() {
	local name=$1
	shift
	wrk -t1 -c1 -d"$duration" --timeout 10s --latency -H "$jc_auth" "$@" >"$tmp/out.txt" 2>&1 ||
		{ cat "$tmp/out.txt" >&2; die "wrk failed"; }
	printf '%s %s %s\n' "$(awk '$1 == "50%" {print $2}' "$tmp/out.txt")" \
		"$(awk '$1 == "99%" {print $2}' "$tmp/out.txt")" \
		"$(awk '/Non-2xx/ {n = $NF} END {print n + 0}' "$tmp/out.txt")" >>"$tmp/m-$name"
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
	measure year "$base&period=$year"
	measure month "$base&period=$month"
	measure street "$base&period=$year&parent=999901001"
	measure pdf "$jc_url/api/v1/rankings/export?scheme=$scheme&format=pdf&period=$month"
	say "round $r done"
done
# the PDFs once each, as a user's click would fetch them
pdf_once() { # $1 = period, $2 = file: "seconds pages bytes"
	local t
	t=$(curl -sf -H "$jc_auth" -o "$tmp/$2" -w '%{time_total}' \
		"$jc_url/api/v1/rankings/export?scheme=$scheme&format=pdf&period=$1") || die "GET the $1 PDF failed"
	printf '%s %s %s\n' "$t" "$(pdfinfo "$tmp/$2" 2>/dev/null | awk '/^Pages:/ {print $2}')" "$(wc -c <"$tmp/$2")"
}
read -r pdf_month_s pdf_month_pages pdf_month_bytes <<<"$(pdf_once "$month" month.pdf)"
read -r pdf_year_s pdf_year_pages pdf_year_bytes <<<"$(pdf_once "$year" year.pdf)"
kill -0 "$jc_pid" 2>/dev/null || die "jiceng died during the benchmark"
non2xx=$(cat "$tmp/m-"* | awk '{s += $3} END {print s + 0}')
[ "$non2xx" = 0 ] || die "$non2xx answers were not 2xx"

# one community's month against a recount of the cases table
got=$(node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const r = o.items.find((i) => i.region_code === "999901001100");
  const s = r.scores.find((x) => x.indicator === "case_closure_rate");
  console.log(s.numerator, s.denominator)' "$tmp/month.json")
ym=${month/-/}
recount=$(sqlite3 "$jc_db" "SELECT sum(status = 7), count(*) FROM cases WHERE substr(region_code, 1, 12) = '999901001100'
  AND CAST(strftime('%Y%m', created_at + 28800, 'unixepoch') AS INTEGER) = $ym" | tr '|' ' ')
[ "$got" = "$recount" ] || say "WARNING: the community's counts ($got) differ from the recount ($recount)"
size=$(wc -c <"$tmp/year.json")

rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$root" diff --quiet HEAD -- src 2>/dev/null || rev="$rev+dirty"
say ""
say "## Rankings on a district of $communities communities, $grids grids, $residents residents and $cases cases ($(date -u '+%Y-%m-%d %H:%M UTC'), jiceng $rev)"
say ""
say "Command: \`bash scripts/bench/rankings.sh ${1:-build/jiceng}\`; database $gen; a scheme of six"
say "indicators; wrk -t1 -c1 -d$duration, $rounds rounds; \`serve --threads $threads\`; $(nproc) cores; load"
say "average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
say ""
say "| GET /api/v1/rankings?scheme=$scheme&… | regions | p50 per round | p99 per round |"
say "| --- | ---: | --- | --- |"
row() { say "| $1 | $2 | $(cut -d' ' -f1 "$tmp/m-$3" | paste -sd/) | $(cut -d' ' -f2 "$tmp/m-$3" | paste -sd/) |"; }
row "period=$year (the year: $nmonths months, every community of the district)" "$nranked" year
row "period=$month (one month)" "$nranked" month
row "period=$year&parent=999901001 (one street's communities)" "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).items.filter((i) => i.region_code.startsWith("999901001")).length)' "$tmp/year.json")" street
row "…/rankings/export?format=pdf&period=$month (the month as a PDF)" "$nranked" pdf
say ""
say "The year's answer is $size bytes. Community 999901001100 closed/reported in $month: $got; recount of the cases: $recount."
say "As a PDF, fetched once with curl (time_total): the month $pdf_month_s s ($pdf_month_pages pages, $pdf_month_bytes bytes),"
say "the year $pdf_year_s s ($pdf_year_pages pages, $pdf_year_bytes bytes)."
