#!/usr/bin/env bash
# Builds the libFuzzer drivers (tests/fuzz/fuzz_*.c) with clang, ASan and UBSan
# into build-fuzz/ and runs each for SECONDS (default 20) on a scratch copy of
# its seed corpus, so the repository is never modified. Prints one line per
# driver; exits non-zero when any driver crashes (or the build fails).
#
#   scripts/fuzz.sh [SECONDS]
#
# Crash inputs are kept in build-fuzz/fuzz-artifacts/<driver>/; replay one with
#   build-fuzz/<driver> build-fuzz/fuzz-artifacts/<driver>/crash-...
# Environment: FUZZ_JOBS (parallel build jobs, default 2), FUZZ_ONLY (a driver
# name to run alone), FUZZ_KEEP_CORPUS=1 (keep the grown scratch corpus).
set -euo pipefail

secs=${1:-20}
if ! [[ $secs =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
	echo "usage: $0 [SECONDS]" >&2
	exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
jobs=${FUZZ_JOBS:-2}

if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz.sh: clang is required (apt-get install -y clang libclang-rt-14-dev)" >&2
	exit 2
fi

# The library is instrumented for coverage too (fuzzer-no-link), so libFuzzer
# sees the branches of the code under test and not only those of the driver.
echo "== configuring and building $build"
# The flags are passed explicitly (not through CFLAGS) so that an existing
# build-fuzz cache configured some other way is brought in line.
mkdir -p "$build"
if ! CC=clang cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang \
	-DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" -DJICENG_FUZZ=ON -DJICENG_SANITIZE=ON \
	-DCMAKE_BUILD_TYPE=Debug >"$build/fuzz-configure.log" 2>&1; then
	cat "$build/fuzz-configure.log" >&2
	echo "fuzz.sh: cmake configure failed" >&2
	exit 2
fi

drivers=()
for src in "$root"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	if [ -n "${FUZZ_ONLY:-}" ] && [ "$name" != "$FUZZ_ONLY" ]; then
		continue
	fi
	drivers+=("$name")
done
if [ ${#drivers[@]} -eq 0 ]; then
	echo "fuzz.sh: no drivers to run" >&2
	exit 2
fi

if ! cmake --build "$build" -j"$jobs" --target "${drivers[@]}" >"$build/fuzz-build.log" 2>&1; then
	grep -E "error|Error" "$build/fuzz-build.log" | head -40 >&2 || true
	echo "fuzz.sh: build failed (full log: $build/fuzz-build.log)" >&2
	exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-fuzz.XXXXXX")
cleanup() {
	if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
		echo "scratch corpus kept in $scratch"
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "== running ${#drivers[@]} drivers for ${secs}s each"
failed=0
for name in "${drivers[@]}"; do
	corpus="$scratch/$name"
	mkdir -p "$corpus"
	seeds="$root/tests/fuzz/corpus/$name"
	if [ -d "$seeds" ]; then
		cp -R "$seeds"/. "$corpus"/
	fi
	artifacts="$build/fuzz-artifacts/$name"
	mkdir -p "$artifacts"
	log="$build/fuzz-$name.log"
	start=$(date +%s)
	set +e
	"$build/$name" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
	rc=$?
	set -e
	took=$(($(date +%s) - start))
	runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
	cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
	files=$(find "$corpus" -type f | wc -l)
	if [ $rc -eq 0 ]; then
		printf '%-20s ok     %6ss  %10s runs  cov %-6s corpus %s\n' "$name" "$took" "${runs:-?}" \
			"${cov:-?}" "$files"
	else
		failed=1
		artifact=$(grep -aoE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //' || true)
		why=$(grep -aE "check failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error" "$log" | head -1 || true)
		printf '%-20s CRASH  %6ss  exit %s  %s\n' "$name" "$took" "$rc" "${why:-see log}"
		printf '%-20s        input: %s\n' "" "${artifact:-none}"
		printf '%-20s        log:   %s\n' "" "$log"
	fi
done

exit $failed
