#!/usr/bin/env bash
# make check: every test of jiceng, once on the release build and once more
# under AddressSanitizer + UndefinedBehaviorSanitizer:
#   1. C unit tests (cmocka, run by CTest)
#   2. HTTP API tests against real jiceng servers on fresh databases (node --test);
#      on the release build a second time on PostgreSQL (a private cluster,
#      scripts/pg-api-tests.sh) and a third time there through nginx in front of
#      two `jiceng serve` nodes on the same database (JICENG_TEST_NODES=2)
#   3. browser tests (playwright-core driving Debian's chromium) on the demo data
#   4. every libFuzzer driver for a bounded time
# Ends with one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logdir=$(mktemp -d /tmp/jiceng-check.XXXXXX)
passed=0 failed=0 steps_failed=()
FUZZ_SECONDS=${FUZZ_SECONDS:-15}

started=$SECONDS
# Each step's heading says how long the run has taken so far (CI must stay within its limit).
step() { echo; echo "==== $* ==== (at $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s)"; }
# Test files run two at a time on the two cores; each file's servers are its own.
API_CONCURRENCY=${API_CONCURRENCY:-2}
fail_step() { steps_failed+=("$1"); }

# Adds counts from a ctest log ("N% tests passed, F tests failed out of T").
count_ctest() {
	local line t f
	line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1)
	[ -n "$line" ] || return
	f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
	t=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
	passed=$((passed + t - f)); failed=$((failed + f))
}
# Adds counts from node's test runner ("# pass N", "# fail N").
count_node() {
	local p f c
	p=$(grep -E '^# pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
	c=$(grep -E '^# cancelled [0-9]+' "$1" | tail -1 | awk '{print $3}')
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${c:-0}))
}

step "lint (clang-format, cppcheck, eslint, prettier)"
if bash scripts/lint.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fail_step "lint"; fi

step "web UI build"
if [ -f web/package.json ]; then
	(cd web && npm run --silent build) || fail_step "web build"
fi

run_suite() { # $1 = build dir, $2 = label, $3.. = extra cmake args
	local dir=$1 label=$2; shift 2
	step "$label: build"
	if ! cmake -S . -B "$dir" "$@" >"$logdir/$label-cmake.log" 2>&1 ||
	   ! cmake --build "$dir" -j2 >"$logdir/$label-build.log" 2>&1; then
		cat "$logdir/$label-cmake.log" "$logdir/$label-build.log" | tail -40
		fail_step "$label build"; failed=$((failed + 1)); return
	fi
	step "$label: C unit tests (ctest)"
	(cd "$dir" && ctest --output-on-failure) 2>&1 | tee "$logdir/$label-ctest.log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail_step "$label unit tests"
	count_ctest "$logdir/$label-ctest.log"
	step "$label: HTTP API tests"
	JICENG_BIN="$root/$dir/jiceng" node --test --test-concurrency=$API_CONCURRENCY tests/api/ 2>&1 |
		tee "$logdir/$label-api.log" | grep -E '^not ok|^# (pass|fail|tests)' 
	[ "${PIPESTATUS[0]}" -eq 0 ] || { fail_step "$label API tests"; grep -B2 -A30 '^not ok' "$logdir/$label-api.log" | head -150; }
	count_node "$logdir/$label-api.log"
	if [ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
		step "$label: browser tests"
		JICENG_BIN="$root/$dir/jiceng" bash scripts/browser-tests.sh "$root/$dir/jiceng" \
			>"$logdir/$label-browser.log" 2>&1
		local rc=$?
		grep -E '^not ok|^ok|^# (pass|fail|tests)' "$logdir/$label-browser.log"
		[ $rc -eq 0 ] || { fail_step "$label browser tests"; tail -60 "$logdir/$label-browser.log"; }
		count_node "$logdir/$label-browser.log"
	fi
}

# The API suite once more with every server on a PostgreSQL database of a private
# cluster, started for this step and stopped after it (scripts/pg-api-tests.sh);
# with nodes 2, every server of the suite is two nodes on one database behind nginx.
run_api_pg() { # $1 = build dir, $2 = label, $3 = nodes per server (default 1)
	local dir=$1 label=$2 nodes=${3:-1}
	step "$label: HTTP API tests"
	if [ ! -x "$dir/jiceng" ]; then
		echo "$dir/jiceng missing: not built"; fail_step "$label API tests"; failed=$((failed + 1)); return
	fi
	JICENG_TEST_NODES=$nodes bash scripts/pg-api-tests.sh "$root/$dir/jiceng" --test-concurrency=$API_CONCURRENCY 2>&1 |
		tee "$logdir/$label-api.log" | grep -E '^not ok|^# (pass|fail|skip|tests)|^pg-api-tests:'
	[ "${PIPESTATUS[0]}" -eq 0 ] || { fail_step "$label API tests"; grep -B2 -A30 '^not ok' "$logdir/$label-api.log" | head -150; }
	if grep -qE '^# (pass|fail) [0-9]+' "$logdir/$label-api.log"; then
		count_node "$logdir/$label-api.log"
	else
		failed=$((failed + 1)) # the cluster did not start: nothing ran
	fi
}

run_suite build release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJICENG_SANITIZE=OFF
run_api_pg build release-pg
run_api_pg build release-pg-2nodes 2
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_suite build-asan asan -DCMAKE_BUILD_TYPE=Debug -DJICENG_SANITIZE=ON

if [ -x scripts/fuzz.sh ]; then
	step "fuzzing (${FUZZ_SECONDS}s per driver)"
	if bash scripts/fuzz.sh "$FUZZ_SECONDS" 2>&1 | tee "$logdir/fuzz.log"; then :; else fail_step "fuzzing"; fi
	p=$(grep -cE '^fuzz_[a-z_]+ +ok' "$logdir/fuzz.log"); f=$(grep -cE '^fuzz_[a-z_]+ +[A-Z]' "$logdir/fuzz.log")
	passed=$((passed + p)); failed=$((failed + f))
fi

echo
if [ ${#steps_failed[@]} -gt 0 ]; then
	echo "failed steps: ${steps_failed[*]} (logs in $logdir)"
	[ "$failed" -gt 0 ] || failed=${#steps_failed[@]}
fi
echo "make check took $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
echo "$passed passed, $failed failed"
[ ${#steps_failed[@]} -eq 0 ] && [ "$failed" -eq 0 ]
