#!/usr/bin/env bash
# Instructions per request, by function, for GET /api/v1/regions/{code} and
# GET /healthz: jiceng runs under valgrind's callgrind and answers N requests
# on one keep-alive connection for each. Counts are exact and do not depend on
# how busy the machine is, so they compare two builds where wrk's req/s cannot
# (user space only: time in the kernel, e.g. send/recv and SQLite's fcntl locks,
# is not counted; `perf record -g -p PID` under wrk load shows that part).
#
# usage: bash scripts/bench/profile.sh [path/to/jiceng] [N]   (N default 2000)
#   PROFILE_TOP   functions listed per endpoint (default 25)
#   BENCH_KEEP=1  keep the temp dir with the callgrind files (callgrind_annotate them)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bench_name=profile
# shellcheck source=scripts/bench/lib.sh
. "$root/scripts/bench/lib.sh"

bin=${1:-$root/build/jiceng}
n=${2:-2000}
top=${PROFILE_TOP:-25}
region=999901001001
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || die "no server binary at $bin (make program)"
if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_control >/dev/null 2>&1; then
	die "needs valgrind (apt-get install -y valgrind)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-profile.XXXXXX")
cd "$tmp"
jc_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$?
	stop_pid "$jc_pid" TERM
	if [ "${BENCH_KEEP:-0}" = 1 ]; then say "profile: kept $tmp" >&2; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jiceng_prepare "$bin"
JC_START_SECS=90 jiceng_serve 2 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
	--dump-instr=no
jiceng_token

say "== callgrind: $n requests per endpoint on one connection, $(basename "$bin") --threads 2"
for ep in region healthz; do
	if [ "$ep" = region ]; then path=/api/v1/regions/$region hdr=$jc_auth; else path=/healthz hdr="X-Bench: 1"; fi
	for _ in 1 2 3; do curl -s -o /dev/null -H "$hdr" "$jc_url$path"; done # warm caches
	for _ in $(seq "$n"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$jc_url$path"; done >"$tmp/$ep.curl"
	callgrind_control -z "$jc_pid" >/dev/null 2>&1
	got=$(curl -s -w '%{http_code}\n' -H "$hdr" -K "$tmp/$ep.curl" | grep -c '^200$' || true)
	[ "$got" = "$n" ] || die "$path: only $got of $n answers were 200"
	callgrind_control -d "$ep" "$jc_pid" >/dev/null 2>&1
	f=""
	for _ in $(seq 100); do
		f=$(grep -l "^desc: Trigger: dump $ep\$" "$tmp"/cg.out.* 2>/dev/null | head -1 || true)
		[ -n "$f" ] && break
		sleep 0.1
	done
	[ -n "$f" ] || die "no callgrind dump for $ep"
	total=$(sed -n 's/^summary: //p' "$f")
	say ""
	say "GET $path: $((total / n)) instructions per request (user space), inclusive by function:"
	# Thread start-up frames (all of it) are left out; awk reads to the end (no SIGPIPE).
	callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$f" 2>/dev/null |
		sed -n '/file:function/,$p' | sed '1,2d' |
		awk -v n="$n" -v top="$top" -v total="$total" '$1 ~ /^[0-9,]+$/ {
			ir = $1; gsub(",", "", ir); ir += 0
			fn = $0; sub(/^ *[0-9,]+ *\( *[0-9.]+%\) */, "", fn)
			if (ir >= 0.99 * total || k >= top) next
			k++
			# "dir/file.c:function [/lib/libx.so]" -> "function  (file.c, libx.so)"
			obj = fn; sub(/^[^[]*\[/, "", obj); sub(/\].*$/, "", obj); sub(/.*\//, "", obj)
			sub(/ *\[.*$/, "", fn)
			file = fn; sub(/:[^:]*$/, "", file); sub(/.*\//, "", file)
			sub(/^.*:/, "", fn)
			printf "  %8d  %5.1f%%  %-40s %s%s\n", ir / n, 100 * ir / total, fn, \
				(file == "???" ? "" : file ", "), obj }'
done
