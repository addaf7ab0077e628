# Shared by scripts/bench.sh and scripts/bench/*.sh (sourced, not run): start a
# throw-away jiceng on the demo district in a temp dir, sign in, make an API
# token, and stop it again. Callers set `tmp` (a temp dir) and `bench_name`.
# shellcheck shell=bash disable=SC2154,SC2034 # tmp comes from the caller; jc_* are for it

say() { printf '%s\n' "$*"; }
die() {
	printf '%s: %s\n' "${bench_name:-bench}" "$*" >&2
	exit 1
}

# A free TCP port on 127.0.0.1 (not listened on, not in use by any socket).
free_port() {
	local p
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 40000))
		if [ -z "$(ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# wait_ready URL PID LOG [SECONDS]: until URL answers 200 while PID lives.
wait_ready() {
	local url=$1 pid=$2 log=$3 secs=${4:-15}
	for _ in $(seq $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2 || true; die "server exited: $url"; }
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ] && return 0
		sleep 0.1
	done
	tail -n 20 "$log" >&2 || true
	die "server did not answer $url within $secs s"
}

# stop_pid PID SIGNAL: sends SIGNAL, waits up to 5 s, then SIGKILL. Only our own children.
stop_pid() {
	local pid=$1 sig=${2:-TERM}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -"$sig" "$pid" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# jiceng_prepare BIN: $tmp/jiceng.db with the admin user and the demo district.
# Sets jc_bin, jc_db, jc_pw.
jiceng_prepare() {
	jc_bin=$1
	jc_db=$tmp/jiceng.db
	jc_pw="Bench@$(date +%s)jc"
	(umask 077 && printf '%s\n' "$jc_pw" >"$tmp/admin-password")
	"$jc_bin" init --db "$jc_db" --admin-password-file "$tmp/admin-password" >"$tmp/init.log" 2>&1 ||
		{ cat "$tmp/init.log" >&2; die "jiceng init failed"; }
	"$jc_bin" demo --db "$jc_db" >"$tmp/demo.log" 2>&1 ||
		{ cat "$tmp/demo.log" >&2; die "jiceng demo failed"; }
}

# jiceng_serve THREADS [WRAPPER...]: serves $jc_db on a free port, access log off,
# optionally under WRAPPER (e.g. valgrind ...); waits for /healthz.
# Sets jc_pid, jc_port, jc_url.
jiceng_serve() {
	local threads=$1
	shift
	jc_port=$(free_port)
	jc_url=http://127.0.0.1:$jc_port
	"$@" "$jc_bin" serve --db "$jc_db" --listen "127.0.0.1:$jc_port" --access-log off \
		--threads "$threads" >"$tmp/serve.log" 2>&1 &
	jc_pid=$!
	wait_ready "$jc_url/healthz" "$jc_pid" "$tmp/serve.log" "${JC_START_SECS:-15}"
}

# jiceng_token: signs in as admin and creates a district-wide API token (read
# access to region 999901 and below). Sets jc_token and jc_auth (the header).
jiceng_token() {
	curl -sf -c "$tmp/cookies" -o "$tmp/session.json" -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$jc_pw\"}" "$jc_url/api/v1/session" ||
		die "sign-in as admin failed"
	local csrf
	csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$tmp/session.json")
	[ -n "$csrf" ] || die "no csrf_token in the sign-in answer"
	curl -sf -b "$tmp/cookies" -o "$tmp/token.json" -H 'Content-Type: application/json' \
		-H "X-CSRF-Token: $csrf" \
		-d '{"name":"bench","grants":[{"role":"district","region_code":"999901"}]}' \
		"$jc_url/api/v1/tokens" || die "creating the API token failed"
	jc_token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$tmp/token.json")
	[ -n "$jc_token" ] || die "no token in the answer of POST /api/v1/tokens"
	jc_auth="Authorization: Bearer $jc_token"
}
