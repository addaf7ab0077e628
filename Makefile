# jiceng — the two set-up commands are `make demo` and `make check` (README.md).
# This file only names the steps; the work is in CMakeLists.txt and scripts/.

BUILD      ?= build
DEMO_DB    ?= demo.db
DEMO_LISTEN ?= 127.0.0.1:8080

.PHONY: all deps web program demo check test bench format lint clean

all: program

deps:
	@bash scripts/install-deps.sh

# The web UI is built only when its packages are installed (make deps does that).
web:
	@if [ -d web/node_modules ]; then cd web && npm run --silent build; \
	 else echo "web/node_modules missing: run 'make deps' to build the web UI" >&2; fi

program: web
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j2 --target jiceng

demo: deps program
	@bash scripts/demo.sh $(BUILD)/jiceng $(DEMO_DB) $(DEMO_LISTEN)

check: deps
	@bash scripts/check.sh

# The everyday loop (under two minutes once built): unit tests and the API tests on the
# release build, no package installs, no sanitizers, browsers or fuzzing. It leaves out the
# API files that spend their time waiting or walking everything — the role × route matrix,
# every state × action × role, SIGKILLs, the CLI's processes, webhook retries, the SSE
# stream, lock-outs and idle time-outs (QUICK_SKIP); make check runs every file, and so
# does `node --test tests/api/`. JICENG_TEST_PG=1 runs the same files a second time on
# PostgreSQL (a private cluster, scripts/pg-api-tests.sh).
QUICK_SKIP := matrix caseflow crash crash-node cli webhooks dashboard-events auth
QUICK_API := $(filter-out $(QUICK_SKIP:%=tests/api/%.test.mjs),$(sort $(wildcard tests/api/*.test.mjs)))
test:
	@[ -f web/dist/index.html ] || $(MAKE) --no-print-directory web
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j2
	@cd $(BUILD) && ctest --output-on-failure -j2
	@JICENG_BIN=$(CURDIR)/$(BUILD)/jiceng node --test --test-concurrency=3 $(QUICK_API)
	@if [ "$${JICENG_TEST_PG:-}" = 1 ]; then \
	   bash scripts/pg-api-tests.sh $(CURDIR)/$(BUILD)/jiceng --test-concurrency=2 $(QUICK_API); fi

bench: deps program
	@bash scripts/bench.sh $(BUILD)/jiceng

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tools/*.c')
	@if [ -d web/node_modules ]; then cd web && npm run --silent format; fi

lint:
	@bash scripts/lint.sh

clean:
	rm -rf build build-asan build-fuzz web/dist
