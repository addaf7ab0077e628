#!/usr/bin/env bash
# A private, throw-away PostgreSQL 15 cluster for the tests (the API suite's
# PostgreSQL pass: JICENG_TEST_PG_URL, tests/api/README.md).
#
#   pg-cluster.sh start DIR PORT [OWNER_PID]
#       initdb's a cluster in DIR/data, starts it listening on 127.0.0.1:PORT
#       only (its socket in DIR), trust authentication, fsync on, and prints
#       the base URL postgres://postgres@127.0.0.1:PORT/ on stdout. DIR must
#       be new or empty. With OWNER_PID, a watcher stops the cluster and
#       deletes DIR as soon as that process is gone (a killed test run leaves
#       nothing behind).
#   pg-cluster.sh stop DIR
#       stops the cluster and deletes DIR.
#
# initdb refuses to run as root: as root the cluster belongs to the `postgres`
# user (runuser); as anyone else it belongs to that user. The system's own
# PostgreSQL service (if any) is never touched.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

die() { echo "pg-cluster: $*" >&2; exit 1; }

# Runs a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

stop_cluster() { # $1 = DIR; quiet, idempotent
	local dir=$1
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
			true
		# A postmaster that outlived pg_ctl (it should not): end it by its pid.
		local pid
		pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
		if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -rf "$dir"
}

cmd_start() {
	[ $# -ge 2 ] || die "usage: $0 start DIR PORT [OWNER_PID]"
	local dir=$1 port=$2 owner=${3:-}
	[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] && [ "$port" -lt 65536 ] || die "bad port '$port'"
	[ -x "$PGBIN/initdb" ] || die "$PGBIN/initdb missing (make deps installs postgresql-15)"
	mkdir -p "$dir"
	[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	dir=$(cd "$dir" && pwd)
	# The socket path must fit in sun_path (107 bytes) with "/.s.PGSQL.PORT".
	[ ${#dir} -le 80 ] || die "$dir: path too long for a socket directory"
	if [ "$(id -u)" -eq 0 ]; then
		getent passwd postgres >/dev/null || die "no postgres user (install postgresql-15)"
		chown postgres: "$dir"
		runuser -u postgres -- test -w "$dir" ||
			die "the postgres user cannot reach $dir (choose a directory under /tmp)"
	fi
	chmod 700 "$dir"
	# From here on a failure removes what was made.
	trap 'stop_cluster "$dir"' EXIT

	as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale \
		--no-instructions >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
	# Test settings. Durability stays on (fsync, synchronous_commit, full pages):
	# the crash tests check that an acknowledged write survives SIGKILL.
	as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<-EOF

		# scripts/pg-cluster.sh: a private cluster for the tests
		listen_addresses = '127.0.0.1'
		port = $port
		unix_socket_directories = '$dir'
		max_connections = 300
		shared_buffers = 128MB
		fsync = on
		synchronous_commit = on
		full_page_writes = on
		logging_collector = off
		log_min_messages = warning
		log_min_error_statement = error
	EOF
	if ! as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
		tail -20 "$dir/server.log" >&2 2>/dev/null || true
		die "the cluster did not start on 127.0.0.1:$port"
	fi
	trap - EXIT
	if [ -n "$owner" ]; then
		# The watcher holds none of the caller's file descriptors (pipes stay closable).
		setsid bash "$0" watch "$dir" "$owner" </dev/null >/dev/null 2>&1 &
	fi
	echo "postgres://postgres@127.0.0.1:$port/"
}

cmd_stop() {
	[ $# -eq 1 ] || die "usage: $0 stop DIR"
	[ -e "$1" ] || return 0
	# Refuse directories that are not a cluster of this script (rm -rf below).
	[ -f "$1/data/PG_VERSION" ] || [ -f "$1/initdb.log" ] || [ -z "$(ls -A "$1")" ] ||
		die "$1 does not hold a cluster of pg-cluster.sh"
	stop_cluster "$1"
}

cmd_watch() { # DIR OWNER_PID: stops the cluster once the owner is gone
	local dir=$1 owner=$2
	while [ -d "$dir" ] && kill -0 "$owner" 2>/dev/null; do sleep 2; done
	[ -d "$dir" ] && stop_cluster "$dir"
	return 0
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
watch) shift; cmd_watch "$@" ;;
*) die "usage: $0 start DIR PORT [OWNER_PID] | stop DIR" ;;
esac
