#!/usr/bin/env bash
# Browser tests: a jiceng with the demo district on a free port, then
# playwright-core driving Debian's chromium (headless) against it.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/jiceng}
shift || true
# the test files to run (default: all of tests/browser/)
[ $# -gt 0 ] || set -- tests/browser/
tmp=$(mktemp -d /tmp/jiceng-browser.XXXXXX)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
printf 'Admin@12345!\n' >"$tmp/pw"
"$bin" init --db "$tmp/ui.db" --admin-password-file "$tmp/pw" >/dev/null || exit 1
"$bin" demo --db "$tmp/ui.db" >/dev/null || exit 1
"$bin" serve --db "$tmp/ui.db" --listen "127.0.0.1:$port" 2>"$tmp/serve.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
JICENG_URL="http://127.0.0.1:$port" \
JICENG_ADMIN_USER=admin JICENG_ADMIN_PASSWORD='Admin@12345!' \
JICENG_WORKER_USER=wangge JICENG_WORKER_PASSWORD='Demo@2026jc' \
	node --test --test-concurrency=1 "$@"
rc=$?
if grep -qE 'ERROR: AddressSanitizer|runtime error:' "$tmp/serve.log"; then
	echo "sanitizer report in the server log:"; grep -A20 -E 'ERROR: AddressSanitizer|runtime error:' "$tmp/serve.log" | head -40
	rc=1
fi
exit $rc
