#!/usr/bin/env bash
# The read paths of make bench, two binaries side by side on one database: ID-number lookups
# (GET /api/v1/residents?id_number=…, audited), name search (GET /api/v1/residents?q=王伟
# &region=<street>&limit=50, audited) and the street case list (GET /api/v1/cases?region=
# <street>&status=handling&limit=50). Rounds alternate A, B, B, A, … on the same database,
# each server started afresh; medians per binary. Use it to compare a change with its parent.
# usage: scripts/bench/reads.sh BIN_A BIN_B
#   BENCH_DURATION (5s), BENCH_ROUNDS (4), BENCH_CASES (200000), BENCH_RESIDENTS (1000000),
#   BENCH_DB: an existing database made by this script (BENCH_KEEP=1 keeps it) to skip making one
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d /tmp/jiceng-bench-reads.XXXXXX)
bench_name=bench-reads
. scripts/bench/lib.sh
[ $# -eq 2 ] || die "usage: $0 BIN_A BIN_B"
bin_a=$(realpath "$1")
bin_b=$(realpath "$2")
duration=${BENCH_DURATION:-5s}
rounds=${BENCH_ROUNDS:-4}
cleanup() { stop_pid "${jc_pid:-}" TERM; [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$tmp"; }
trap cleanup EXIT

jc_pw="Bench@reads1jc"
(umask 077 && printf '%s\n' "$jc_pw" >"$tmp/admin-password")
if [ -n "${BENCH_DB:-}" ]; then
	jc_db=$BENCH_DB
	[ -f "$(dirname "$jc_db")/keys.txt" ] || die "no keys.txt beside $jc_db"
	cp "$(dirname "$jc_db")/keys.txt" "$tmp/keys.txt"
	jc_pw=$(cat "$(dirname "$jc_db")/admin-password")
else
	jc_db=$tmp/jiceng.db
	"$bin_a" init --db "$jc_db" --admin-password-file "$tmp/admin-password" >"$tmp/init.log" 2>&1 ||
		die "jiceng init failed"
	say "making the demo district with ${BENCH_CASES:-200000} cases and ${BENCH_RESIDENTS:-1000000} more residents ..."
	"$bin_a" demo --db "$jc_db" --cases "${BENCH_CASES:-200000}" >"$tmp/demo.log" 2>&1 || die "jiceng demo failed"
	node scripts/bench/gen-residents.mjs "${BENCH_RESIDENTS:-1000000}" "$tmp/keys.txt" >"$tmp/residents.csv"
	"$bin_a" import --db "$jc_db" --kind residents "$tmp/residents.csv" >"$tmp/import.txt" 2>&1 ||
		die "jiceng import failed"
	rm -f "$tmp/residents.csv"
fi

cat >"$tmp/lookup.lua" <<LUA
local keys = {}
for line in io.lines("$tmp/keys.txt") do keys[#keys + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/residents?id_number=" .. keys[(i % #keys) + 1])
end
LUA
q=$(printf '%s' '王伟' | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')

# The server's CPU time so far (user + system, all threads) in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$jc_pid/stat"; }

# measure NAME WHICH WRK-ARGS...: one wrk run; appends "rps p99 non2xx cpu-µs-per-request"
# to $tmp/NAME.WHICH
measure() {
	local name=$1 which=$2 c0 c1
	shift 2
	c0=$(cpu_ticks)
	wrk -t2 -c32 -d"$duration" --latency -H "$jc_auth" "$@" >"$tmp/out.txt" 2>&1 ||
		{ cat "$tmp/out.txt"; die "wrk failed"; }
	c1=$(cpu_ticks)
	printf '%s %s %s %s\n' "$(awk '/Requests\/sec/ {print $2}' "$tmp/out.txt")" \
		"$(awk '$1 == "99%" {print $2}' "$tmp/out.txt")" \
		"$(awk '/Non-2xx/ {print $NF}' "$tmp/out.txt")" \
		"$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f", t * 1e6 / hz / $1}' "$tmp/out.txt")" \
		>>"$tmp/$name.$which"
}

run_one() {
	local which=$1 bin=$2
	jc_bin=$bin
	JICENG_LOOKUPS_PER_10MIN=0 jiceng_serve 2
	jiceng_token
	measure lookup "$which" -s "$tmp/lookup.lua" "$jc_url"
	measure search "$which" "$jc_url/api/v1/residents?q=$q&region=999901001&limit=50"
	measure cases "$which" "$jc_url/api/v1/cases?region=999901001&status=handling&limit=50"
	stop_pid "$jc_pid" TERM
	jc_pid=""
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
	if [ $((r % 2)) = 1 ]; then run_one a "$bin_a"; run_one b "$bin_b"; else run_one b "$bin_b"; run_one a "$bin_a"; fi
	say "round $r done"
done
"$bin_b" audit verify --db "$jc_db" >"$tmp/verify.txt" 2>&1 || { cat "$tmp/verify.txt"; die "audit verify failed"; }

rounds_a=""
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
row() {
	local label=$1 name=$2 ra rb ca cb
	ra=$(cut -d' ' -f1 "$tmp/$name.a" | median)
	rb=$(cut -d' ' -f1 "$tmp/$name.b" | median)
	ca=$(cut -d' ' -f4 "$tmp/$name.a" | median)
	cb=$(cut -d' ' -f4 "$tmp/$name.b" | median)
	say "| $label | $(printf '%.0f' "$ra") | $ca µs | $(printf '%.0f' "$rb") | $cb µs | $(awk -v a="$ra" -v b="$rb" 'BEGIN {printf "%.2f×", b / a}') |"
	rounds_a+="- $name: A req/s $(cut -d' ' -f1 "$tmp/$name.a" | paste -sd' '), p99 $(cut -d' ' -f2 "$tmp/$name.a" | paste -sd' '), non-2xx $(cut -d' ' -f3 "$tmp/$name.a" | sed 's/^$/0/' | paste -sd' '); B req/s $(cut -d' ' -f1 "$tmp/$name.b" | paste -sd' '), p99 $(cut -d' ' -f2 "$tmp/$name.b" | paste -sd' '), non-2xx $(cut -d' ' -f3 "$tmp/$name.b" | sed 's/^$/0/' | paste -sd' ')"$'\n'
}
say ""
say "A = $1, B = $2; $rounds rounds each alternating, wrk -t2 -c32 -d$duration, serve --threads 2, $(nproc) cores; load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
say ""
say "| measure | A req/s | A CPU/req | B req/s | B CPU/req | B / A req/s |"
say "| --- | ---: | ---: | ---: | ---: | ---: |"
row "GET /api/v1/residents?id_number=… (audited)" lookup
row "GET /api/v1/residents?q=王伟&region=<street>&limit=50 (audited)" search
row "GET /api/v1/cases?region=<street>&status=handling&limit=50" cases
say ""
say "Medians of the rounds; CPU/req is the server's user + system CPU time over the run divided by"
say "the requests answered. Every round:"
printf '%s' "$rounds_a"
