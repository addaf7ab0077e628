#!/usr/bin/env bash
# SQLite vs PostgreSQL, one vs two nodes (make bench runs this last). One database of the demo
# district on each backend (jiceng demo --cases N, then jiceng import of M more residents: the
# import is timed on both), then wrk on loopback against four set-ups, side by side in one run:
#   sqlite  one `jiceng serve` on the SQLite file, asked directly
#   pg      one `jiceng serve` on the PostgreSQL database, asked directly
#   pg-1n   the same node behind a private nginx (upstream of one node)
#   pg-2n   that node and a second `jiceng serve` on the same database behind the same nginx
#           (upstream of both, least_conn)
# for GET /api/v1/regions/{code}, POST /api/v1/cases (durable), GET /api/v1/cases?limit=50 as a
# district and as a street user, and GET /api/v1/residents?id_number=… (blind index, audited).
# PostgreSQL is a private cluster (scripts/pg-cluster.sh) on a free port; nginx is Debian's,
# run as the current user with its own prefix, config, pid and temp dirs. All of it is stopped
# and deleted at the end, also when the run fails or is interrupted.
#
# A benchmark, not a test: it fails only when something could not be measured.
# usage: scripts/bench/pg.sh [build/jiceng]
#   BENCH_PG_DURATION   one wrk run (default 4s)        BENCH_PG_ROUNDS  rounds (default 3)
#   BENCH_PG_CASES      cases of each demo database (default 20000)
#   BENCH_PG_RESIDENTS  residents imported on top of the demo's ~30 000 (default 30000)
#   BENCH_PG_CONNECTIONS wrk connections (default 32)   BENCH_THREADS serve --threads (default 2)
#   BENCH_KEEP=1        keep the temp dir (logs, wrk output; the cluster is stopped all the same)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
bench_name=bench-pg
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
bin=${1:-build/jiceng}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
[ -x "$bin" ] || die "no server binary at $bin"
duration=${BENCH_PG_DURATION:-4s}
rounds=${BENCH_PG_ROUNDS:-3}
ncases=${BENCH_PG_CASES:-20000}
nres=${BENCH_PG_RESIDENTS:-30000}
conns=${BENCH_PG_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
region=999901001001

ngx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$ngx_bin" ] || die "nginx is missing (make deps installs nginx-light)"
command -v wrk >/dev/null 2>&1 || die "wrk is missing (make deps)"
command -v psql >/dev/null 2>&1 || die "psql is missing (make deps installs postgresql-client-15)"

# A short path: the cluster's socket lives in it. 0711: the postgres user (the cluster's owner
# when run as root) and nginx's workers pass through it.
tmp=$(mktemp -d /tmp/jiceng-bench-pg.XXXXXX)
chmod 0711 "$tmp"
pids=() ngx_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$? p
	stop_pid "$ngx_pid" QUIT
	for p in "${pids[@]}"; do stop_pid "$p" TERM; done
	bash scripts/pg-cluster.sh stop "$tmp/pg" || true
	if [ "${BENCH_KEEP:-0}" = 1 ]; then say "bench-pg: kept $tmp" >&2; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# bounded BIN ARGS...: a step that must finish within 15 minutes.
bounded() { timeout --kill-after=10 900 "$@"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }

# --- the two databases ----------------------------------------------------------------------
pg_port=$(free_port)
mkdir -p "$tmp/pg"
base_url=$(bash scripts/pg-cluster.sh start "$tmp/pg" "$pg_port" $$) || die "the PostgreSQL cluster did not start"
psql -X -q -v ON_ERROR_STOP=1 "${base_url}postgres" -c 'CREATE DATABASE jiceng' >/dev/null ||
	die "CREATE DATABASE failed"
pg_db=${base_url}jiceng
pg_key=$tmp/pg.key
sq_db=$tmp/jiceng.db
jc_pw="Bench@$(date +%s)jc"
(umask 077 && printf '%s\n' "$jc_pw" >"$tmp/admin-password")

declare -A demo_s import_s import_rps import_rss
for b in sqlite pg; do
	if [ $b = sqlite ]; then db=(--db "$sq_db"); else db=(--db "$pg_db" --key-file "$pg_key"); fi
	bounded "$bin" init "${db[@]}" --admin-password-file "$tmp/admin-password" >"$tmp/init-$b.log" 2>&1 ||
		{ cat "$tmp/init-$b.log" >&2; die "jiceng init failed on $b"; }
	say "bench-pg: jiceng demo --cases $ncases on $b ..."
	t0=$(date +%s.%N)
	bounded "$bin" demo "${db[@]}" --cases "$ncases" >"$tmp/demo-$b.log" 2>&1 ||
		{ tail "$tmp/demo-$b.log" >&2; die "jiceng demo failed on $b"; }
	demo_s[$b]=$(elapsed "$t0")
done
node scripts/bench/gen-residents.mjs "$nres" "$tmp/keys.txt" >"$tmp/residents.csv"
for b in sqlite pg; do
	if [ $b = sqlite ]; then db=(--db "$sq_db"); else db=(--db "$pg_db" --key-file "$pg_key"); fi
	say "bench-pg: jiceng import of $nres residents on $b ..."
	bounded "$bin" import "${db[@]}" --kind residents "$tmp/residents.csv" >"$tmp/import-$b.txt" 2>&1 ||
		{ tail "$tmp/import-$b.txt" >&2; die "jiceng import failed on $b"; }
	line=$(grep ' rows in ' "$tmp/import-$b.txt")
	import_s[$b]=$(sed -n 's/.* rows in \([0-9.]*\) s.*/\1/p' <<<"$line")
	import_rps[$b]=$(sed -n 's/.*(\([0-9]*\) rows\/s).*/\1/p' <<<"$line")
	import_rss[$b]=$(sed -n 's/peak memory (max RSS): \([0-9]*\) MiB/\1/p' "$tmp/import-$b.txt")
done
rm -f "$tmp/residents.csv"

# Sizes on disk after the load (PostgreSQL: after VACUUM ANALYZE, as autovacuum would leave it).
psql -X -q "$pg_db" -c 'VACUUM ANALYZE' >/dev/null 2>&1 || true
pg_bytes=$(psql -X -At "$pg_db" -c 'SELECT pg_database_size(current_database())')
sq_bytes=$(($(stat -c %s "$sq_db") + $(stat -c %s "$sq_db-wal" 2>/dev/null || echo 0)))
counts=$(psql -X -At -F' ' "$pg_db" -c 'SELECT (SELECT count(*) FROM residents), (SELECT count(*) FROM houses), (SELECT count(*) FROM households), (SELECT count(*) FROM cases)')
read -r n_res n_houses n_hh n_cases <<<"$counts"
psql -X -At -F' | ' "$pg_db" -c "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)),
	pg_size_pretty(pg_indexes_size(relid)) FROM pg_stat_user_tables
	ORDER BY pg_total_relation_size(relid) DESC LIMIT 12" >"$tmp/pg-tables.txt"

# --- servers: one on SQLite, two on PostgreSQL, nginx in front of the PostgreSQL ones -------
start_node() { # NAME DB-ARGS... -> sets node_url, node_pid
	local name=$1 port
	shift
	port=$(free_port)
	JICENG_LOOKUPS_PER_10MIN=0 "$bin" serve "$@" --listen "127.0.0.1:$port" --access-log off \
		--threads "$threads" >"$tmp/serve-$name.log" 2>&1 &
	node_pid=$!
	pids+=("$node_pid")
	node_url=http://127.0.0.1:$port
	wait_ready "$node_url/healthz" "$node_pid" "$tmp/serve-$name.log" 30
}
start_node sqlite --db "$sq_db"
s_url=$node_url s_pid=$node_pid
start_node pg1 --db "$pg_db" --key-file "$pg_key"
p1_url=$node_url p1_pid=$node_pid
start_node pg2 --db "$pg_db" --key-file "$pg_key"
p2_url=$node_url p2_pid=$node_pid

n1_port=$(free_port)
n2_port=$(free_port)
while [ "$n2_port" = "$n1_port" ]; do n2_port=$(free_port); done
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/temp"
cat >"$tmp/nginx/nginx.conf" <<EOF
# Generated by scripts/bench/pg.sh: one upstream of one node, one of two, as in deploy/.
daemon off;
master_process on;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/temp/body;
    proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi;
    uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    upstream one { least_conn; server ${p1_url#http://}; keepalive 64; }
    upstream two { least_conn; server ${p1_url#http://}; server ${p2_url#http://}; keepalive 64; }
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_buffer_size 16k;
    proxy_buffers 32 16k;
    proxy_max_temp_file_size 0;
    server { listen 127.0.0.1:$n1_port; location / { proxy_pass http://one; } }
    server { listen 127.0.0.1:$n2_port; location / { proxy_pass http://two; } }
}
EOF
"$ngx_bin" -e "$tmp/nginx/logs/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" \
	>"$tmp/nginx/logs/stdout.log" 2>&1 &
ngx_pid=$!
n1_url=http://127.0.0.1:$n1_port n2_url=http://127.0.0.1:$n2_port
wait_ready "$n1_url/healthz" "$ngx_pid" "$tmp/nginx/logs/error.log"
wait_ready "$n2_url/healthz" "$ngx_pid" "$tmp/nginx/logs/error.log"

# Tokens: a district one (region 999901) and a street one (999901001) on each backend.
token() { # URL ROLE REGION -> the bearer token
	local url=$1 csrf
	curl -sf -c "$tmp/cookies" -o "$tmp/session.json" -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$jc_pw\"}" "$url/api/v1/session" || die "sign-in failed on $url"
	csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$tmp/session.json")
	curl -sf -b "$tmp/cookies" -o "$tmp/token.json" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
		-d "{\"name\":\"bench-$2\",\"grants\":[{\"role\":\"$2\",\"region_code\":\"$3\"}]}" "$url/api/v1/tokens" ||
		die "POST /api/v1/tokens failed on $url"
	sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$tmp/token.json"
}
declare -A tok_d tok_s
tok_d[sqlite]=$(token "$s_url" district 999901)
tok_s[sqlite]=$(token "$s_url" street 999901001)
tok_d[pg]=$(token "$p1_url" district 999901)
tok_s[pg]=$(token "$p1_url" street 999901001)

cat >"$tmp/create.lua" <<'LUA'
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
cat >"$tmp/lookup.lua" <<LUA
local keys = {}
for line in io.lines("$tmp/keys.txt") do keys[#keys + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/residents?id_number=" .. keys[(i % #keys) + 1])
end
LUA

# What each list answers (items on the first page), checked once per backend.
items() { { grep -o '"tracking_code"' || true; } | wc -l; }
declare -A list_items
for b in sqlite pg; do
	[ $b = sqlite ] && u=$s_url || u=$p1_url
	list_items[d,$b]=$(curl -sf -H "Authorization: Bearer ${tok_d[$b]}" "$u/api/v1/cases?limit=50" | items)
	list_items[s,$b]=$(curl -sf -H "Authorization: Bearer ${tok_s[$b]}" "$u/api/v1/cases?limit=50" | items)
done

# --- measuring -------------------------------------------------------------------------------
pg_master=$(head -1 "$tmp/pg/data/postmaster.pid")
clk=$(getconf CLK_TCK)
ticks() { # PID... -> user + system clock ticks of those processes (all threads)
	local t=0 p
	for p in "$@"; do t=$((t + $(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0))); done
	echo "$t"
}
pg_ticks() { # the postmaster and all its children (backends, WAL writer, checkpointer)
	# shellcheck disable=SC2046 # a list of pids
	ticks "$pg_master" $(cat /proc/"$pg_master"/task/*/children 2>/dev/null)
}
to_ms() {
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n;
		else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

eps=(region create list_d list_s lookup)
setups=(sqlite pg pg-1n pg-2n)
two_a=0 two_b=0 # CPU ticks of node 1 and node 2 in the two-node runs
declare -A res # "ep,setup" -> lines "rps p99 jiceng-µs pg-µs non2xx"
measure() { # EP SETUP WARMUP(0|1)
	local ep=$1 su=$2 warm=$3 url b nodes=() tok args f j0 j1 q0 q1 d
	case $su in
	sqlite) url=$s_url b=sqlite nodes=("$s_pid") ;;
	pg) url=$p1_url b=pg nodes=("$p1_pid") ;;
	pg-1n) url=$n1_url b=pg nodes=("$p1_pid") ;;
	pg-2n) url=$n2_url b=pg nodes=("$p1_pid" "$p2_pid") ;;
	esac
	tok=${tok_d[$b]}
	[ "$ep" = list_s ] && tok=${tok_s[$b]}
	d=$duration
	[ "$warm" = 1 ] && d=1s
	args=(-t2 -c"$conns" -d"$d" --latency --timeout 5s -H "Authorization: Bearer $tok")
	case $ep in
	region) args+=("$url/api/v1/regions/$region") ;;
	create) args+=(-s "$tmp/create.lua" "$url/api/v1/cases") ;;
	list_d | list_s) args+=("$url/api/v1/cases?limit=50") ;;
	lookup) args+=(-s "$tmp/lookup.lua" "$url") ;;
	esac
	f=$tmp/wrk-$ep-$su.txt
	j0=$(ticks "${nodes[@]}")
	q0=$(pg_ticks)
	local a0 b0
	a0=$(ticks "$p1_pid")
	b0=$(ticks "$p2_pid")
	timeout --kill-after=5 $((${d%s} + 30)) wrk "${args[@]}" >"$f" 2>&1 ||
		{ cat "$f" >&2; die "wrk failed: $ep on $su"; }
	j1=$(ticks "${nodes[@]}")
	q1=$(pg_ticks)
	[ "$warm" = 1 ] && return 0
	if [ "$su" = pg-2n ]; then
		two_a=$((two_a + $(ticks "$p1_pid") - a0))
		two_b=$((two_b + $(ticks "$p2_pid") - b0))
	fi
	local rps p99 n non2xx ju qu
	rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
	n=$(awk '/requests in/ {print $1}' "$f")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")
	if [ -z "$rps" ] || [ "${n:-0}" -eq 0 ]; then cat "$f" >&2; die "no requests answered: $ep on $su"; fi
	ju=$(awk -v t=$((j1 - j0)) -v hz="$clk" -v n="$n" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')
	qu=0
	[ $b = pg ] && qu=$(awk -v t=$((q1 - q0)) -v hz="$clk" -v n="$n" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')
	res[$ep,$su]+="$rps $p99 $ju $qu ${non2xx:-0}"$'\n'
	printf '  %-7s %-7s %7s req/s  p99 %8s ms  jiceng %5s µs/req  postgres %5s µs/req  non-2xx %s\n' \
		"$ep" "$su" "$rps" "$p99" "$ju" "$qu" "${non2xx:-0}"
	if [ "${non2xx:-0}" != 0 ]; then say "  !! non-2xx answers: the figures of $ep on $su are not valid" >&2; fi
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
t_all=$(date +%s.%N)
say ""
say "bench-pg: wrk -t2 -c$conns -d$duration, $rounds rounds, set-ups in turn (order reversed every other round)"
for ep in "${eps[@]}"; do
	for su in "${setups[@]}"; do measure "$ep" "$su" 1; done
	for r in $(seq "$rounds"); do
		if [ $((r % 2)) = 1 ]; then order=("${setups[@]}"); else order=(pg-2n pg-1n pg sqlite); fi
		for su in "${order[@]}"; do measure "$ep" "$su" 0; done
	done
done
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || die "a jiceng node died during the run"; done
kill -0 "$ngx_pid" 2>/dev/null || die "nginx died during the run"
load1=$(cut -d' ' -f1-3 /proc/loadavg)
wrk_secs=$(elapsed "$t_all")
# How nginx spread the two-node runs: each node's share of the CPU they used.
share=$(awk -v a="$two_a" -v b="$two_b" 'BEGIN {if (a + b > 0) printf "%.0f %% / %.0f %%", 100 * a / (a + b), 100 * b / (a + b); else print "?"}')

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
col() { printf '%s' "${res[$1,$2]}" | awk -v c="$3" 'NF {print $c}' | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", (b > 0 ? a / b : 0)}'; }
label() {
	case $1 in
	region) echo "GET /api/v1/regions/{code}" ;;
	create) echo "POST /api/v1/cases (durable)" ;;
	list_d) echo "GET /api/v1/cases?limit=50, district user (${list_items[d,sqlite]} / ${list_items[d,pg]} items)" ;;
	list_s) echo "GET /api/v1/cases?limit=50, street user (${list_items[s,sqlite]} / ${list_items[s,pg]} items)" ;;
	lookup) echo "GET /api/v1/residents?id_number=… (audited)" ;;
	esac
}
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
pg_ver=$(psql -X -At "$pg_db" -c 'SHOW server_version' 2>/dev/null || echo '?')
mib() { awk -v b="$1" 'BEGIN {printf "%.0f MiB", b / 1048576}'; }
say ""
say "## SQLite vs PostgreSQL, one vs two nodes ($(date -u '+%Y-%m-%d %H:%M UTC'), jiceng $git_rev)"
say ""
say "Command: \`BENCH_PG_CASES=$ncases BENCH_PG_RESIDENTS=$nres BENCH_PG_ROUNDS=$rounds BENCH_PG_DURATION=$duration bash scripts/bench/pg.sh build/jiceng\`"
say "(\`make bench\` runs it with the defaults). $(nproc) cores, shared:"
say "load average $load0 at the start of the wrk runs, $load1 at the end ($wrk_secs s). PostgreSQL $pg_ver,"
say "a private cluster with the tests' settings (fsync and synchronous_commit on, shared_buffers 128MB)."
say "Each set-up: \`jiceng serve --threads $threads\`; nginx \`worker_processes 1\`, upstream keepalive 64."
say "wrk -t2 -c$conns -d$duration; $rounds rounds, the four set-ups back to back in each round (order"
say "reversed every other round); medians. CPU/req: the jiceng node(s)' and the PostgreSQL cluster's user +"
say "system CPU over the run divided by the requests answered."
say ""
say "Data: the demo district with $ncases cases, then \`jiceng import\` of $nres residents on each backend:"
say "$n_res residents, $n_houses houses, $n_hh households, $n_cases cases before the runs. On disk: SQLite"
say "$(mib "$sq_bytes") (file + WAL), PostgreSQL $(mib "$pg_bytes") (pg_database_size after VACUUM ANALYZE)."
say ""
say "| step | SQLite | PostgreSQL | PG / SQLite |"
say "| --- | ---: | ---: | ---: |"
say "| \`jiceng demo --cases $ncases\` | ${demo_s[sqlite]} s | ${demo_s[pg]} s | $(ratio "${demo_s[pg]}" "${demo_s[sqlite]}") time |"
say "| \`jiceng import\` of $nres residents | ${import_s[sqlite]} s, ${import_rps[sqlite]} rows/s, RSS ${import_rss[sqlite]} MiB | ${import_s[pg]} s, ${import_rps[pg]} rows/s, RSS ${import_rss[pg]} MiB | $(ratio "${import_rps[pg]}" "${import_rps[sqlite]}") rows/s |"
say ""
say "| measure | SQLite req/s · p99 · CPU/req | PostgreSQL req/s · p99 · CPU/req (jiceng + pg) | PG / SQLite | 1 node behind nginx | 2 nodes behind nginx | 2 / 1 |"
say "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for ep in "${eps[@]}"; do
	declare -A m=()
	for su in "${setups[@]}"; do
		m[$su,rps]=$(col "$ep" "$su" 1)
		m[$su,p99]=$(col "$ep" "$su" 2)
		m[$su,ju]=$(col "$ep" "$su" 3)
		m[$su,qu]=$(col "$ep" "$su" 4)
	done
	cell() { # SETUP
		if [ "$1" = sqlite ]; then
			printf '%.0f · %s ms · %.0f µs' "${m[$1,rps]}" "${m[$1,p99]}" "${m[$1,ju]}"
		else
			printf '%.0f · %s ms · %.0f + %.0f µs' "${m[$1,rps]}" "${m[$1,p99]}" "${m[$1,ju]}" "${m[$1,qu]}"
		fi
	}
	say "| $(label "$ep") | $(cell sqlite) | $(cell pg) | $(ratio "${m[pg,rps]}" "${m[sqlite,rps]}") | $(cell pg-1n) | $(cell pg-2n) | **$(ratio "${m[pg-2n,rps]}" "${m[pg-1n,rps]}")** |"
done
say ""
say "In the two-node runs node 1 and node 2 used $share of the nodes' CPU (least_conn). Items: SQLite / PostgreSQL."
say "Every run (req/s p99-ms jiceng-µs pg-µs non-2xx):"
for ep in "${eps[@]}"; do
	for su in "${setups[@]}"; do say "- $ep $su: $(printf '%s' "${res[$ep,$su]}" | awk 'NF' | paste -sd';' | sed 's/;/; /g')"; done
done
say ""
say "Largest PostgreSQL tables (name | rows | total | indexes):"
sed 's/^/    /' "$tmp/pg-tables.txt"
