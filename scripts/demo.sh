#!/usr/bin/env bash
# make demo: generate (or refresh) the demo district and serve it until Ctrl-C.
set -euo pipefail
bin=${1:-build/jiceng} db=${2:-demo.db} listen=${3:-127.0.0.1:8080}
"$bin" demo --db "$db"
echo
echo "jiceng 基层治理综合信息平台 — demo at http://$listen/"
echo "sign in with a user above (password Demo@2026jc); press Ctrl-C to stop."
exec "$bin" serve --db "$db" --listen "$listen"
