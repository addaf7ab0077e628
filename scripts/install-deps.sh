#!/usr/bin/env bash
# Installs what building, testing and running jiceng needs on Debian 12:
# the C libraries' -dev packages (libpq for the PostgreSQL backend), test tools,
# PostgreSQL 15 (the API suite's second pass runs on a private cluster, see
# scripts/pg-cluster.sh), Debian's chromium for browser tests, and the web UI's
# npm packages from the committed lock file. cairo, Pango and the Noto CJK fonts set the
# PDF exports (src/core/pdf.c); poppler-utils' pdftotext reads them back in the tests.
# Idempotent: does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential pkg-config cmake clang libclang-rt-14-dev
      libmicrohttpd-dev libjansson-dev libsodium-dev libsqlite3-dev sqlite3
      libpq-dev postgresql-15 postgresql-client-15
      libcmocka-dev libcurl4-openssl-dev zlib1g-dev libxlsxwriter-dev libzip-dev libexpat1-dev
      libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils
      curl wrk nginx-light chromium cppcheck
      clang-format)

command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Services that packages start (nginx-light's on port 80, postgresql-15's
# cluster on 5432) are left alone: the benchmark and the tests run their own
# instances on free loopback ports.

if [ -f web/package-lock.json ]; then
	stamp=web/node_modules/.lock-stamp
	if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
		(cd web && npm ci --no-audit --no-fund --loglevel=error)
		cp web/package-lock.json "$stamp"
	fi
fi
