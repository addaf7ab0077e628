#!/usr/bin/env bash
# The HTTP API suite on PostgreSQL: starts a private cluster (scripts/pg-cluster.sh)
# on a free loopback port, runs `node --test tests/api/` with JICENG_TEST_PG_URL
# pointing at it, then stops the cluster and deletes its directory, also when the
# run is interrupted (and, through the cluster's watcher, when this script is
# killed outright).
#
#   pg-api-tests.sh BIN [node --test options …] [test files …]
#
# With no test files the whole tests/api/ directory runs. Exits with node's status.
# JICENG_TEST_NODES=2 in the environment makes every server of the suite two
# `jiceng serve` nodes on one database behind a private nginx (tests/api/harness.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 BIN [node --test options] [test files]" >&2; exit 2; }
bin=$1
shift
opts=() files=()
for a in "$@"; do
	case "$a" in
	-*) opts+=("$a") ;;
	*) files+=("$a") ;;
	esac
done
[ ${#files[@]} -gt 0 ] || files=(tests/api/)

dir=$(mktemp -d /tmp/jiceng-pg.XXXXXX)
trap 'bash scripts/pg-cluster.sh stop "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

url=""
for _ in 1 2 3; do # a free port can be taken between the probe and the bind: try again
	port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
	mkdir -p "$dir"
	if url=$(bash scripts/pg-cluster.sh start "$dir" "$port" $$); then break; fi
	url=""
done
[ -n "$url" ] || { echo "pg-api-tests: the PostgreSQL cluster did not start" >&2; exit 1; }
echo "pg-api-tests: PostgreSQL cluster $url (in $dir)${JICENG_TEST_NODES:+, $JICENG_TEST_NODES nodes per server behind nginx}" >&2

# The schema comparison and the data steps of migrations (unit tests that skip PostgreSQL
# without a cluster) run here, where one is.
for t in test_migrate_pg test_migrate_reception; do
	migrate_test="$(dirname "$bin")/$t"
	[ -x "$migrate_test" ] || continue
	JICENG_TEST_PG_URL="$url" "$migrate_test" >"$dir/$t.log" 2>&1 ||
		{ cat "$dir/$t.log" >&2; echo "pg-api-tests: $t failed" >&2; exit 1; }
	echo "pg-api-tests: $t passed" >&2
done
JICENG_BIN="$bin" JICENG_TEST_PG_URL="$url" node --test "${opts[@]}" "${files[@]}"
