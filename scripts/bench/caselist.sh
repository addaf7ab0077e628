#!/usr/bin/env bash
# Reads at the limit (make bench runs this after cases.sh): on a demo district of 200 000
# cases, GET /api/v1/cases?limit=50 as a district user (999901) and as a street user
# (999901001), and GET /api/v1/regions/{code} beside nginx serving the very same bytes,
# wrk -c64 each; rounds alternate jiceng and nginx, medians kept.
# usage: scripts/bench/caselist.sh [build/jiceng]
#   BENCH_DURATION (5s), BENCH_ROUNDS (3), BENCH_CASES (200000), BENCH_THREADS (2),
#   BENCH_DB: a database made by an earlier run (BENCH_KEEP=1 keeps its temp dir) to skip
#   generating one
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench_name=bench-caselist
# shellcheck source=scripts/bench/lib.sh
. "$root/scripts/bench/lib.sh"
bin=${1:-$root/build/jiceng}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || die "no server binary at $bin"
duration=${BENCH_DURATION:-5s}
rounds=${BENCH_ROUNDS:-3}
ncases=${BENCH_CASES:-200000}
threads=${BENCH_THREADS:-2}
region=999901001001
ngx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$ngx_bin" ] || die "nginx is missing (scripts/bench.sh installs it)"
command -v wrk >/dev/null 2>&1 || die "wrk is missing (scripts/bench.sh installs it)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-bench-caselist.XXXXXX")
chmod 0711 "$tmp" # nginx's workers may run as another user: they read www/ only
jc_pid="" ngx_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$?
	stop_pid "$jc_pid" TERM
	stop_pid "$ngx_pid" QUIT
	if [ "${BENCH_KEEP:-0}" = 1 ]; then say "caselist: kept $tmp" >&2; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jc_bin=$bin
jc_pw="Bench@$(date +%s)jc"
if [ -n "${BENCH_DB:-}" ]; then
	jc_db=$tmp/jiceng.db
	cp "$BENCH_DB" "$jc_db"
	[ -f "$BENCH_DB.key" ] && cp "$BENCH_DB.key" "$jc_db.key"
	jc_pw=$(cat "$(dirname "$BENCH_DB")/admin-password")
	gen="(reused $BENCH_DB)"
else
	jc_db=$tmp/jiceng.db
	(umask 077 && printf '%s\n' "$jc_pw" >"$tmp/admin-password")
	"$jc_bin" init --db "$jc_db" --admin-password-file "$tmp/admin-password" >"$tmp/init.log" 2>&1 ||
		{ cat "$tmp/init.log" >&2; die "jiceng init failed"; }
	say "generating the demo district with $ncases cases ..."
	start=$(date +%s)
	"$jc_bin" demo --db "$jc_db" --cases "$ncases" >"$tmp/demo.log" 2>&1 ||
		{ cat "$tmp/demo.log" >&2; die "jiceng demo failed"; }
	gen="generated with \`jiceng demo --cases $ncases\` in $(($(date +%s) - start)) s"
fi
jiceng_serve "$threads"
jiceng_token # a district token: also reads the region for the nginx comparison
district_auth=$jc_auth
csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$tmp/session.json")
curl -sf -b "$tmp/cookies" -o "$tmp/token2.json" -H 'Content-Type: application/json' \
	-H "X-CSRF-Token: $csrf" \
	-d '{"name":"bench-street","grants":[{"role":"street","region_code":"999901001"}]}' \
	"$jc_url/api/v1/tokens" || die "creating the street token failed"
street_auth="Authorization: Bearer $(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$tmp/token2.json")"

# nginx serves our region answer, byte for byte, with our Content-Type.
www=$tmp/www
mkdir -p "$www" "$tmp/nginx/logs" "$tmp/nginx/temp"
chmod 0755 "$www"
ct=$(curl -s -o "$www/region.json" -w '%{content_type}' -H "$district_auth" "$jc_url/api/v1/regions/$region")
chmod 0644 "$www/region.json"
ngx_port=$(free_port)
while [ "$ngx_port" = "$jc_port" ]; do ngx_port=$(free_port); done
ngx=http://127.0.0.1:$ngx_port
cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $threads;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off; server_tokens off; sendfile on; tcp_nopush on; tcp_nodelay on;
    keepalive_timeout 65; keepalive_requests 1000000; etag off;
    open_file_cache max=16 inactive=60s; open_file_cache_valid 60s;
    client_body_temp_path $tmp/nginx/temp/body; proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi; uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    types { }
    server {
        listen 127.0.0.1:$ngx_port;
        location = /healthz { return 200 "ok"; }
        location = /api/v1/regions/$region {
            alias $www/region.json;
            default_type "$ct";
            add_header X-Content-Type-Options nosniff;
        }
    }
}
EOF
"$ngx_bin" -e "$tmp/nginx/logs/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" \
	>"$tmp/nginx/logs/stdout.log" 2>&1 &
ngx_pid=$!
wait_ready "$ngx/healthz" "$ngx_pid" "$tmp/nginx/logs/error.log"
curl -s -o "$tmp/ngx-region.json" "$ngx/api/v1/regions/$region"
cmp -s "$tmp/ngx-region.json" "$www/region.json" || die "nginx's region answer differs from ours"

# The server's CPU time so far (user + system, all threads, nginx's workers too) in ticks.
cpu_ticks() {
	local t=0 p
	for p in $1 $(cat /proc/"$1"/task/*/children 2>/dev/null || true); do
		t=$((t + $(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12 + $13}' || echo 0)))
	done
	echo "$t"
}
# measure NAME PID URL [HEADER]: one wrk run; appends "req/s p99 non-2xx CPU-µs/request".
measure() {
	local name=$1 pid=$2 url=$3 hdr=${4:-} args=(-t2 -c64 -d"$duration" --latency) c0 c1
	[ -n "$hdr" ] && args+=(-H "$hdr")
	c0=$(cpu_ticks "$pid")
	wrk "${args[@]}" "$url" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt" >&2; die "wrk failed"; }
	c1=$(cpu_ticks "$pid")
	printf '%s %s %s %s\n' "$(awk '/Requests\/sec/ {print $2}' "$tmp/out.txt")" \
		"$(awk '$1 == "99%" {print $2}' "$tmp/out.txt")" \
		"$(awk '/Non-2xx/ {n = $NF} END {print n + 0}' "$tmp/out.txt")" \
		"$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f", t * 1e6 / hz / $1}' "$tmp/out.txt")" \
		>>"$tmp/m-$name"
}
list="$jc_url/api/v1/cases?limit=50"
size_d=$(curl -s -H "$district_auth" "$list" | wc -c)
size_s=$(curl -s -H "$street_auth" "$list" | wc -c)
size_r=$(stat -c %s "$www/region.json")
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
	measure district "$jc_pid" "$list" "$district_auth"
	measure street "$jc_pid" "$list" "$street_auth"
	if [ $((r % 2)) = 1 ]; then
		measure region "$jc_pid" "$jc_url/api/v1/regions/$region" "$district_auth"
		measure nginx "$ngx_pid" "$ngx/api/v1/regions/$region" "$district_auth"
	else
		measure nginx "$ngx_pid" "$ngx/api/v1/regions/$region" "$district_auth"
		measure region "$jc_pid" "$jc_url/api/v1/regions/$region" "$district_auth"
	fi
	say "round $r done"
done
kill -0 "$jc_pid" 2>/dev/null || die "jiceng died during the benchmark"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
col() { cut -d" " -f"$2" "$tmp/m-$1" | median; }
ratios=$(paste -d" " "$tmp/m-region" "$tmp/m-nginx" | awk '{printf "%.2f ", $1 / $5}')
non2xx=$(cat "$tmp/m-district" "$tmp/m-street" "$tmp/m-region" | awk '{s += $3} END {print s + 0}')
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$root" diff --quiet HEAD -- src 2>/dev/null || rev="$rev+dirty"
say ""
say "## Case lists and the region read at 64 clients ($(date -u '+%Y-%m-%d %H:%M UTC'), jiceng $rev)"
say ""
say "Command: \`bash scripts/bench/caselist.sh ${1:-build/jiceng}\`; database $gen; wrk -t2 -c64"
say "-d$duration, $rounds rounds, medians; \`serve --threads $threads\`, nginx worker_processes $threads;"
say "$(nproc) cores; load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
say ""
say "| measure | body | req/s | p99 | CPU/req |"
say "| --- | ---: | ---: | ---: | ---: |"
row() { say "| $1 | $2 B | $(printf '%.0f' "$(col "$3" 1)") | $(cut -d" " -f2 "$tmp/m-$3" | paste -sd/) | $(col "$3" 4) µs |"; }
row "GET /api/v1/cases?limit=50, district user" "$size_d" district
row "GET /api/v1/cases?limit=50, street user" "$size_s" street
row "GET /api/v1/regions/$region, jiceng" "$size_r" region
row "the same bytes from nginx" "$size_r" nginx
say ""
# shellcheck disable=SC2086 # word splitting wanted: the ratios are numbers
say "jiceng / nginx on the region read, per round (back to back): $ratios; median" \
	"$(printf '%s\n' $ratios | median)×. Non-2xx answers from jiceng: $non2xx."
