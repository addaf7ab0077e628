#!/usr/bin/env bash
# The command centre's dashboard at scale (make bench runs this after caselist.sh): a demo
# district of 200 000 cases and 1 000 000 more residents; GET /api/v1/dashboard for the
# district (999901) and for every street in turn (a wrk script walks them), with one
# connection (the time of one answer) and with 16 (the server at its limit), p99 per round.
# The goal (issue 12) is under 20 ms p99 for the district and any street.
# Then the district's tiles are checked against a full recount of the cases table with the
# sqlite3 shell, so the figure is of answers known to be right.
# usage: scripts/bench/dashboard.sh [build/jiceng]
#   BENCH_DURATION (5s), BENCH_ROUNDS (3), BENCH_CASES (200000), BENCH_RESIDENTS (1000000),
#   BENCH_THREADS (2), BENCH_DB: a database made by an earlier run (BENCH_KEEP=1 keeps its
#   temp dir, with admin-password beside it) to skip making one
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench_name=bench-dashboard
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
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 shell is missing (scripts/install-deps.sh installs it)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-bench-dashboard.XXXXXX")
jc_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$?
	stop_pid "$jc_pid" TERM
	if [ "${BENCH_KEEP:-0}" = 1 ]; then say "dashboard: kept $tmp" >&2; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jc_bin=$bin
jc_db=$tmp/jiceng.db
if [ -n "${BENCH_DB:-}" ]; then
	cp "$BENCH_DB" "$jc_db"
	cp "$BENCH_DB.key" "$jc_db.key"
	jc_pw=$(cat "$(dirname "$BENCH_DB")/admin-password")
	cp "$(dirname "$BENCH_DB")/admin-password" "$tmp/admin-password"
	gen="(reused $BENCH_DB)"
else
	jc_pw="Bench@$(date +%s)jc"
	(umask 077 && printf '%s\n' "$jc_pw" >"$tmp/admin-password")
	"$jc_bin" init --db "$jc_db" --admin-password-file "$tmp/admin-password" >"$tmp/init.log" 2>&1 ||
		{ cat "$tmp/init.log" >&2; die "jiceng init failed"; }
	say "generating the demo district with $ncases cases and $nres more residents ..."
	start=$(date +%s)
	"$jc_bin" demo --db "$jc_db" --cases "$ncases" >"$tmp/demo.log" 2>&1 ||
		{ cat "$tmp/demo.log" >&2; die "jiceng demo failed"; }
	node "$root/scripts/bench/gen-residents.mjs" "$nres" "$tmp/keys.txt" >"$tmp/residents.csv"
	"$jc_bin" import --db "$jc_db" --kind residents "$tmp/residents.csv" >"$tmp/import.txt" 2>&1 ||
		{ tail -5 "$tmp/import.txt" >&2; die "jiceng import failed"; }
	rm -f "$tmp/residents.csv"
	gen="generated with \`jiceng demo --cases $ncases\` and \`jiceng import\` of $nres residents in $(($(date +%s) - start)) s"
fi
residents=$(sqlite3 "$jc_db" 'SELECT count(*) FROM residents')
cases=$(sqlite3 "$jc_db" 'SELECT count(*) FROM cases')

jiceng_serve "$threads"
jiceng_token
url=$jc_url/api/v1/dashboard
curl -sf -H "$jc_auth" -o "$tmp/district.json" "$url?region=999901" || die "the district dashboard failed"
streets=$(node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1]));
  console.log(d.children.map((c) => c.code).join(" "))' "$tmp/district.json")
[ -n "$streets" ] || die "the district dashboard lists no streets"
lua_list=$(printf '"%s",' $streets)
cat >"$tmp/streets.lua" <<LUA
local streets = {${lua_list%,}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/dashboard?region=" .. streets[(i % #streets) + 1])
end
LUA

# measure NAME CONNECTIONS WRK-ARGS...: one wrk run; appends "req/s p99 non-2xx" to
# $tmp/m-NAME. One connection shows the time of one answer; 16 the server at its limit.
measure() {
	local name=$1 c=$2
	shift 2
	wrk -t1 -c"$c" -d"$duration" --latency -H "$jc_auth" "$@" >"$tmp/out.txt" 2>&1 ||
		{ cat "$tmp/out.txt" >&2; die "wrk failed"; }
	printf '%s %s %s\n' "$(awk '/Requests\/sec/ {print $2}' "$tmp/out.txt")" \
		"$(awk '$1 == "99%" {print $2}' "$tmp/out.txt")" \
		"$(awk '/Non-2xx/ {n = $NF} END {print n + 0}' "$tmp/out.txt")" >>"$tmp/m-$name"
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
	measure district1 1 "$url?region=999901"
	measure streets1 1 -s "$tmp/streets.lua" "$jc_url"
	measure district 16 "$url?region=999901"
	measure streets 16 -s "$tmp/streets.lua" "$jc_url"
	say "round $r done"
done
kill -0 "$jc_pid" 2>/dev/null || die "jiceng died during the benchmark"
non2xx=$(cat "$tmp/m-"* | awk '{s += $3} END {print s + 0}')
[ "$non2xx" = 0 ] || die "$non2xx answers were not 2xx"

# The district's tiles against a recount of the cases table in the same second (the server
# is still running: WAL readers see the committed state). Open is neither rejected (2) nor
# closed (7); overdue is past the state's deadline (acceptance while reported, else handling).
now=$(date +%s)
curl -sf -H "$jc_auth" -o "$tmp/district.json" "$url?region=999901" || die "the district dashboard failed"
tiles=$(node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])).cases;
  console.log(d.open, d.overdue, d.supervised)' "$tmp/district.json")
recount=$(sqlite3 "$jc_db" "SELECT count(*),
  sum(CASE WHEN (CASE WHEN status = 0 THEN accept_due ELSE handle_due END) < $now THEN 1 ELSE 0 END),
  sum(supervised) FROM cases WHERE region_code LIKE '999901%' AND status NOT IN (2, 7)" | tr '|' ' ')
[ "$tiles" = "$recount" ] || say "WARNING: the district's tiles ($tiles) differ from the recount ($recount)"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$root" diff --quiet HEAD -- src 2>/dev/null || rev="$rev+dirty"
say ""
say "## The dashboard on a district of $cases cases and $residents residents ($(date -u '+%Y-%m-%d %H:%M UTC'), jiceng $rev)"
say ""
say "Command: \`bash scripts/bench/dashboard.sh ${1:-build/jiceng}\`; database $gen; wrk -t1"
say "-d$duration, $rounds rounds; \`serve --threads $threads\`; $(nproc) cores; load average at the"
say "start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
say ""
say "| GET /api/v1/dashboard | connections | req/s (median) | p99 per round |"
say "| --- | ---: | ---: | --- |"
row() { say "| $1 | $2 | $(cut -d' ' -f1 "$tmp/m-$3" | median) | $(cut -d' ' -f2 "$tmp/m-$3" | paste -sd/) |"; }
nst=$(wc -w <<<"$streets")
row "region=999901 (the district)" 1 district1
row "region=each of the $nst streets in turn" 1 streets1
row "region=999901 (the district)" 16 district
row "region=each of the $nst streets in turn" 16 streets
say ""
say "District tiles open/overdue/supervised: $tiles; recount of the cases table: $recount."
