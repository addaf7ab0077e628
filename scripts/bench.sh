#!/usr/bin/env bash
# make bench: requests/s and p99 of jiceng's GET /api/v1/regions/{code} and
# GET /healthz under wrk on loopback, side by side with nginx serving a static
# file of exactly the same bytes, as a ratio (ours / nginx); then scripts/bench/cases.sh
# (case creation, street list), scripts/bench/dashboard.sh (the command dashboard),
# scripts/bench/indicators.sh (indicators for every grid of a district),
# scripts/bench/rankings.sh (a year's ranking of every community of a district),
# scripts/bench/base.sh (import, ID lookups, name search) and
# scripts/bench/pg.sh (SQLite vs PostgreSQL, one vs two nodes behind nginx).
#
# A benchmark, not a test: it exits non-zero only when something could not be
# measured (a server did not start, sign-in failed, wrk failed, or a run got
# non-2xx answers), never because of a ratio.
#
# usage: bash scripts/bench.sh [path/to/jiceng]
# Settings (environment):
#   BENCH_DURATION     wrk duration of one measured run     (default 5s)
#   BENCH_CONNECTIONS  wrk connections                       (default 64)
#   BENCH_WRK_THREADS  wrk threads                           (default 2)
#   BENCH_ROUNDS       measured rounds per server, order alternating (default 5)
#   BENCH_THREADS      jiceng serve --threads                (default 2)
#   BENCH_NGINX_WORKERS nginx worker_processes               (default 2)
#   BENCH_KEEP=1       keep the temp dir (logs, wrk output) for a look afterwards
#   BENCH_OUT          also write the Markdown results here  (default: next to the binary)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here=$(pwd)
bin=${1:-}

duration=${BENCH_DURATION:-5s}
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
rounds=${BENCH_ROUNDS:-5}
srv_threads=${BENCH_THREADS:-2}
ngx_workers=${BENCH_NGINX_WORKERS:-2}
region=999901001001 # 阳光社区, a community of the demo district

bench_name=bench
# shellcheck source=scripts/bench/lib.sh
. "$root/scripts/bench/lib.sh"

# --- tools ----------------------------------------------------------------
ngx_bin=$(command -v nginx || true)
[ -n "$ngx_bin" ] || { [ -x /usr/sbin/nginx ] && ngx_bin=/usr/sbin/nginx; } || true
if ! command -v wrk >/dev/null 2>&1 || [ -z "$ngx_bin" ]; then
	say "bench: installing wrk and nginx-light" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
		wrk nginx-light >/dev/null ||
		{ DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
				--no-install-recommends wrk nginx-light >/dev/null; } ||
		die "cannot install wrk and nginx-light"
	# The package may start a system nginx on port 80; it is left running: this
	# benchmark runs its own on a free loopback port.
	ngx_bin=$(command -v nginx || echo /usr/sbin/nginx)
fi
command -v wrk >/dev/null 2>&1 || die "wrk is missing"
[ -x "$ngx_bin" ] || die "nginx is missing"
command -v curl >/dev/null 2>&1 || die "curl is missing"

# --- the server binary ----------------------------------------------------
if [ -z "$bin" ]; then
	bin=$root/build/jiceng
	(cd "$root" && cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
		cmake --build build -j2 --target jiceng >/dev/null) || die "build failed"
fi
case $bin in /*) ;; *) bin=$here/$bin ;; esac
[ -x "$bin" ] || die "no server binary at $bin (run 'make bench', or build it first)"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null || true)
out_md=${BENCH_OUT:-$(dirname "$bin")/bench-results.md}

# --- temp dir and clean-up --------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-bench.XXXXXX")
# nginx's workers may run as another user (nobody, when started as root): they
# may pass through the temp dir and read www/, nothing else.
chmod 0711 "$tmp"
cd "$tmp"
srv_pid="" ngx_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$?
	stop_pid "$srv_pid" TERM
	stop_pid "$ngx_pid" QUIT
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		say "bench: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- jiceng ---------------------------------------------------------------
jiceng_prepare "$bin"
jiceng_serve "$srv_threads"
srv_pid=$jc_pid srv_port=$jc_port srv=$jc_url
jiceng_token
auth=$jc_auth

# The bodies nginx will serve: our own answers, byte for byte.
www=$tmp/www
mkdir -p "$www"
chmod 0755 "$www"
fetch_body() { # URL FILE [HEADER] -> prints the Content-Type
	local url=$1 file=$2 hdr=${3:-}
	local args=(-s -o "$file" -w '%{http_code} %{content_type}')
	[ -n "$hdr" ] && args+=(-H "$hdr")
	local r
	r=$(curl "${args[@]}" "$url") || die "cannot fetch $url"
	[ "${r%% *}" = 200 ] || die "$url answered ${r%% *}, not 200"
	echo "${r#* }"
}
ct_health=$(fetch_body "$srv/healthz" "$www/healthz.json")
ct_region=$(fetch_body "$srv/api/v1/regions/$region" "$www/region.json" "$auth")
chmod 0644 "$www"/*.json
size_health=$(stat -c %s "$www/healthz.json")
size_region=$(stat -c %s "$www/region.json")

# --- nginx ----------------------------------------------------------------
ngx_port=$(free_port)
while [ "$ngx_port" = "$srv_port" ]; do ngx_port=$(free_port); done
ngx=http://127.0.0.1:$ngx_port
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/temp"
cat >"$tmp/nginx/nginx.conf" <<EOF
# Generated by scripts/bench.sh: a static-file baseline, not the system nginx.
daemon off;
master_process on;
worker_processes $ngx_workers;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=16 inactive=60s;
    open_file_cache_valid 60s;
    etag off;
    client_body_temp_path $tmp/nginx/temp/body;
    proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi;
    uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    types { }
    server {
        listen 127.0.0.1:$ngx_port;
        # The same paths as jiceng's, each answered with our bytes and our Content-Type.
        location = /healthz {
            alias $www/healthz.json;
            default_type "$ct_health";
            add_header X-Content-Type-Options nosniff;
        }
        location = /api/v1/regions/$region {
            alias $www/region.json;
            default_type "$ct_region";
            add_header X-Content-Type-Options nosniff;
        }
    }
}
EOF
"$ngx_bin" -e "$tmp/nginx/logs/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" \
	>"$tmp/nginx/logs/stdout.log" 2>&1 &
ngx_pid=$!
wait_ready "$ngx/healthz" "$ngx_pid" "$tmp/nginx/logs/error.log"

# nginx must answer the very same bytes with the same Content-Type.
for pair in "healthz|/healthz|$ct_health|" "region|/api/v1/regions/$region|$ct_region|$auth"; do
	IFS='|' read -r name path ct hdr <<<"$pair"
	got=$(fetch_body "$ngx$path" "$tmp/nginx-$name.body" "$hdr")
	cmp -s "$tmp/nginx-$name.body" "$www/$name.json" || die "nginx's $path differs from ours"
	[ "$got" = "$ct" ] || die "nginx's $path has Content-Type '$got', ours '$ct'"
done

# Keep-alive: two requests with one curl must share one connection, on both servers.
keepalive() { # URL [HEADER] -> "yes" or "NO"
	local args=(-sv -o /dev/null -o /dev/null)
	[ -n "${2:-}" ] && args+=(-H "$2")
	if curl "${args[@]}" "$1" "$1" 2>&1 | grep -q 'Re-using existing connection'; then
		echo yes
	else
		echo NO
	fi
}
ka_srv_h=$(keepalive "$srv/healthz")
ka_srv_r=$(keepalive "$srv/api/v1/regions/$region" "$auth")
ka_ngx_h=$(keepalive "$ngx/healthz")
ka_ngx_r=$(keepalive "$ngx/api/v1/regions/$region" "$auth")

# --- machine --------------------------------------------------------------
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
[ -n "$cpu_model" ] || cpu_model=$(uname -m)
mhd_ver=$(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?')
sqlite_ver=$(pkg-config --modversion sqlite3 2>/dev/null || echo '?')
ngx_ver=$("$ngx_bin" -v 2>&1 | sed 's/^nginx version: //')
wrk_ver=$( (wrk -v 2>&1 || true) | awk 'NR == 1 {print $2}')
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$root" diff --quiet HEAD -- src 2>/dev/null || rev="$rev+dirty"
when=$(date '+%Y-%m-%d %H:%M %Z')

say "== jiceng benchmark: $when"
say "machine: $(nproc) cores, $cpu_model, Linux $(uname -r)"
say "versions: jiceng $rev (${build_type:-?}), libmicrohttpd $mhd_ver, SQLite $sqlite_ver, $ngx_ver, wrk $wrk_ver"
say "servers: jiceng serve --threads $srv_threads --access-log off (port $srv_port);" \
	"nginx worker_processes $ngx_workers, access_log off, sendfile (port $ngx_port)"
say "wrk: -t$wrk_threads -c$conns -d$duration --latency, $rounds rounds each, order alternating, medians kept"
say "bodies: /healthz $size_health B ($ct_health), /api/v1/regions/$region $size_region B ($ct_region)"
say "keep-alive (curl, 2 requests on 1 connection): jiceng healthz=$ka_srv_h regions=$ka_srv_r;" \
	"nginx healthz=$ka_ngx_h regions=$ka_ngx_r"
say ""

# --- wrk runs -------------------------------------------------------------
# TCP connections accepted by this host so far (the kernel's PassiveOpens).
passive_opens() {
	awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "PassiveOpens") c = i; h = 1 }
	              else print $c }' /proc/net/snmp
}
# CPU time (clock ticks, user + system) used so far by PID and its child
# processes (nginx's workers); a thread pool is counted in its process already.
cpu_ticks() {
	local pids=$1 kids t=0 p
	kids=$(cat /proc/"$1"/task/*/children 2>/dev/null || true)
	for p in $pids $kids; do
		# Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
		t=$((t + $(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12 + $13}' || echo 0)))
	done
	echo "$t"
}
clk_tck=$(getconf CLK_TCK)
to_ms() { # 1.23ms / 456.00us / 1.02s -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000;
		else if (v ~ /s$/) n *= 1000
		printf "%.2f", n }'
}

# Per endpoint and server ("region,ours"): space-separated values, one per round.
declare -A all_rps all_p99 all_cpu all_conn total_non2xx total_sockerr
declare -A all_ratio # per endpoint: ours/nginx of each round, the two runs back to back
fail=0
last_rps=""
run_wrk() { # SERVER(ours|nginx) ENDPOINT(healthz|region) ROUND WARMUP(0|1)
	local who=$1 ep=$2 round=$3 warm=$4 base path hdr=""
	[ "$who" = ours ] && base=$srv || base=$ngx
	if [ "$ep" = healthz ]; then path=/healthz; else path=/api/v1/regions/$region hdr=$auth; fi
	local args=(-t"$wrk_threads" -c"$conns" --latency)
	[ -n "$hdr" ] && args+=(-H "$hdr")
	if [ "$warm" = 1 ]; then
		wrk "${args[@]}" -d2s "$base$path" >/dev/null 2>&1 || die "wrk warm-up failed on $base$path"
		return
	fi
	local f=$tmp/wrk-$ep-$who-$round.txt before after pid cpu0 cpu1
	[ "$who" = ours ] && pid=$srv_pid || pid=$ngx_pid
	before=$(passive_opens)
	cpu0=$(cpu_ticks "$pid")
	wrk "${args[@]}" -d"$duration" "$base$path" >"$f" 2>&1 || { cat "$f" >&2; die "wrk failed on $base$path"; }
	cpu1=$(cpu_ticks "$pid")
	after=$(passive_opens)
	local rps p99 reqs non2xx sockerr conn cpu
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
	reqs=$(awk '/requests in/ {print $1}' "$f")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")
	non2xx=${non2xx:-0}
	sockerr=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$f")
	sockerr=${sockerr:-0}
	conn=$((after - before))
	[ -n "$rps" ] || { cat "$f" >&2; die "no Requests/sec in wrk's output"; }
	# Server CPU per answered request, in microseconds: steadier than req/s on a busy machine.
	cpu=$(awk -v t=$((cpu1 - cpu0)) -v hz="$clk_tck" -v n="$reqs" \
		'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }')
	printf '  round %d  %-7s %-6s %8.0f req/s  p99 %7s ms  CPU %5s µs/req  %8s requests  %4d connections  non-2xx %s  socket errors %s\n' \
		"$round" "$ep" "$who" "$rps" "$p99" "$cpu" "$reqs" "$conn" "$non2xx" "$sockerr"
	local k=$ep,$who
	all_rps[$k]="${all_rps[$k]:-} $rps"
	all_p99[$k]="${all_p99[$k]:-} $p99"
	all_cpu[$k]="${all_cpu[$k]:-} $cpu"
	all_conn[$k]="${all_conn[$k]:-} $conn"
	total_non2xx[$k]=$((${total_non2xx[$k]:-0} + non2xx))
	total_sockerr[$k]=$((${total_sockerr[$k]:-0} + sockerr))
	if [ "$non2xx" != 0 ]; then
		say "  !! $non2xx non-2xx answers from $who on $path: the figures are not valid" >&2
		fail=1
	fi
	last_rps=$rps
}
median() { # numbers as arguments
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

for ep in region healthz; do
	run_wrk ours "$ep" 0 1
	run_wrk nginx "$ep" 0 1
	for r in $(seq "$rounds"); do
		# Alternate which server goes first; a round's two runs are back to back.
		if [ $((r % 2)) = 1 ]; then
			run_wrk ours "$ep" "$r" 0
			o=$last_rps
			run_wrk nginx "$ep" "$r" 0
			n=$last_rps
		else
			run_wrk nginx "$ep" "$r" 0
			n=$last_rps
			run_wrk ours "$ep" "$r" 0
			o=$last_rps
		fi
		rr=$(awk -v a="$o" -v b="$n" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
		all_ratio[$ep]="${all_ratio[$ep]:-} $rr"
		printf '  round %d  %-7s ratio %.2f×\n' "$r" "$ep" "$rr"
	done
done
kill -0 "$srv_pid" 2>/dev/null || die "jiceng died during the benchmark"
kill -0 "$ngx_pid" 2>/dev/null || die "nginx died during the benchmark"

# --- results --------------------------------------------------------------
label() { [ "$1" = healthz ] && echo "GET /healthz" || echo "GET /api/v1/regions/{code}"; }
body_size() { [ "$1" = healthz ] && echo "$size_health" || echo "$size_region"; }
declare -A med_rps med_p99 med_cpu med_ratio
for ep in region healthz; do
	for who in ours nginx; do
		k=$ep,$who
		# shellcheck disable=SC2086 # word splitting wanted: the lists are numbers
		med_rps[$k]=$(median ${all_rps[$k]})
		# shellcheck disable=SC2086
		med_p99[$k]=$(median ${all_p99[$k]})
		# shellcheck disable=SC2086
		med_cpu[$k]=$(median ${all_cpu[$k]})
	done
	# shellcheck disable=SC2086
	med_ratio[$ep]=$(printf '%.2f' "$(median ${all_ratio[$ep]})")
done
say ""
printf '%-28s %6s %11s %9s %9s %11s %9s %9s %7s\n' endpoint bytes "ours req/s" "ours p99" \
	"ours CPU" "nginx req/s" "nginx p99" "nginx CPU" ratio
for ep in region healthz; do
	printf '%-28s %6s %11.0f %6s ms %6s µs %11.0f %6s ms %6s µs %6s×\n' "$(label $ep)" \
		"$(body_size $ep)" "${med_rps[$ep,ours]}" "${med_p99[$ep,ours]}" \
		"${med_cpu[$ep,ours]}" "${med_rps[$ep,nginx]}" "${med_p99[$ep,nginx]}" \
		"${med_cpu[$ep,nginx]}" "${med_ratio[$ep]}"
done
say "(medians of $rounds rounds; ratio = median of the rounds' ours/nginx req/s, each round's two"
say " runs back to back; aim ≥ 1.0×, never below 0.5×. CPU = the server's CPU time per request.)"
for ep in region healthz; do
	for who in ours nginx; do
		k=$ep,$who
		[ "${total_non2xx[$k]}" = 0 ] || say "WARNING: $who $ep: ${total_non2xx[$k]} non-2xx answers"
		[ "${total_sockerr[$k]}" = 0 ] || say "note: $who $ep: ${total_sockerr[$k]} socket errors"
	done
done

{
	say "Measured $when with \`make bench\` (jiceng $rev, ${build_type:-?} build)."
	say ""
	say "- Machine: $(nproc) cores, $cpu_model, Linux $(uname -r)"
	say "- Versions: libmicrohttpd $mhd_ver, SQLite $sqlite_ver, $ngx_ver, wrk $wrk_ver"
	say "- Load: \`wrk -t$wrk_threads -c$conns -d$duration --latency\` on 127.0.0.1; $rounds rounds" \
		"per server, order alternating, medians shown; jiceng \`--threads $srv_threads\`," \
		"nginx \`worker_processes $ngx_workers\`"
	say ""
	say "| endpoint | body | jiceng req/s | jiceng p99 | jiceng CPU/req | nginx req/s | nginx p99 | nginx CPU/req | ratio |"
	say "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for ep in region healthz; do
		# shellcheck disable=SC2016 # the backquotes are Markdown
		printf '| `%s` | %s B | %.0f | %s ms | %s µs | %.0f | %s ms | %s µs | **%s×** |\n' \
			"$(label $ep)" "$(body_size $ep)" "${med_rps[$ep,ours]}" "${med_p99[$ep,ours]}" \
			"${med_cpu[$ep,ours]}" "${med_rps[$ep,nginx]}" "${med_p99[$ep,nginx]}" \
			"${med_cpu[$ep,nginx]}" "${med_ratio[$ep]}"
	done
	say ""
	say "Non-2xx answers: $((total_non2xx[region,ours] + total_non2xx[healthz,ours])) from jiceng," \
		"$((total_non2xx[region,nginx] + total_non2xx[healthz,nginx])) from nginx." \
		"TCP connections accepted per run (keep-alive check; wrk opens $conns plus one probe; the kernel counts the whole machine):" \
		"regions jiceng${all_conn[region,ours]}, nginx${all_conn[region,nginx]};" \
		"healthz jiceng${all_conn[healthz,ours]}, nginx${all_conn[healthz,nginx]}." \
		"Ratio of each round: regions${all_ratio[region]}; healthz${all_ratio[healthz]}."
} >"$tmp/results.md"
say ""
say "Markdown (also written to $out_md):"
say ""
cat "$tmp/results.md"
cp "$tmp/results.md" "$out_md" 2>/dev/null || true

# The case benchmarks (creation rate with durable group commit, street list on 200 000 cases).
say ""
timeout --kill-after=30 600 bash "$root/scripts/bench/cases.sh" "$bin" || fail=1

# Durable writes alone and mixed (reports, registrations, case actions on the group-commit writer).
say ""
bash "$root/scripts/bench/writes.sh" "$bin" || fail=1
# Case lists of a district and a street user on 200 000 cases, the region read beside nginx.
say ""
bash "$root/scripts/bench/caselist.sh" "$bin" || fail=1
# The command dashboard on 200 000 cases and a million residents, checked against a recount.
say ""
timeout --kill-after=30 900 bash "$root/scripts/bench/dashboard.sh" "$bin" || fail=1
# Indicators (考核评价) for every grid of a 2 000-grid, million-resident district.
say ""
timeout --kill-after=30 900 bash "$root/scripts/bench/indicators.sh" "$bin" || fail=1
# Rankings (月度评比, 年度考评): a full year's ranking of every community of such a district.
say ""
timeout --kill-after=30 900 bash "$root/scripts/bench/rankings.sh" "$bin" || fail=1

# Base data: a million-resident CSV import, then ID lookups and name searches on it.
say ""
timeout --kill-after=30 600 bash "$root/scripts/bench/base.sh" "$bin" || fail=1

# SQLite vs PostgreSQL (a private cluster), one vs two nodes behind a private nginx.
say ""
timeout --kill-after=30 900 bash "$root/scripts/bench/pg.sh" "$bin" || fail=1

exit $fail
