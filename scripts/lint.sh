#!/usr/bin/env bash
# Static checks: clang-format conformance and cppcheck over the C sources; ESLint and
# Prettier over the web UI when its packages are installed (make deps, or npm ci in web/).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.c' 'src/*.h' 'tools/*.c' 'tests/*.c' 2>/dev/null || true)
[ -n "$files" ] || files=$(find src tools tests -name '*.[ch]')
echo "clang-format: $(wc -w <<<"$files") files"
clang-format --dry-run -Werror $files
echo "cppcheck"
cppcheck --enable=warning,performance,portability --std=c11 --inline-suppr --quiet \
	--error-exitcode=1 -I src src tools
if [ -d web/node_modules ]; then
	echo "eslint, prettier (web/)"
	(cd web && npx --no-install eslint --max-warnings=0 . && npx --no-install prettier --check --log-level=warn .)
else
	echo "web/node_modules missing: web lint skipped (make deps installs it)" >&2
fi
echo "lint: ok"
