#!/usr/bin/env bash
# Static checks: clang-format conformance and cppcheck over the C sources.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.c' 'src/*.h' 'tools/*.c' 'tests/*.c' 2>/dev/null || true)
[ -n "$files" ] || files=$(find src tools tests -name '*.[ch]')
echo "clang-format: $(wc -w <<<"$files") files"
clang-format --dry-run -Werror $files
echo "cppcheck"
cppcheck --enable=warning,performance,portability --std=c11 --inline-suppr --quiet \
	--error-exitcode=1 -I src src tools
echo "lint: ok"
