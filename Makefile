# The two commands of the README, and the few others a developer needs.
#   make demo    install what is missing, build, run `station demo`
#   make test    install what is missing, build, run every test
#   make bench   build optimised, run the benchmarks, print their table (bench-large: 1M SKUs)
# WERROR=1 turns warnings into errors (CI sets it).

BUILDDIR ?= build
WERROR ?= 0
MESON_OPTS ?=

ifeq ($(WERROR),1)
MESON_OPTS += -Dwerror=true
endif

.PHONY: all deps build demo test bench bench-large format check-format clean label-decoders screen-drivers

all: build

deps:
	@.ci/install-deps

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_OPTS)

build: deps $(BUILDDIR)/build.ninja
	@if [ -n "$(MESON_OPTS)" ]; then meson configure $(BUILDDIR) $(MESON_OPTS) >/dev/null; fi
	meson compile -C $(BUILDDIR)

demo: build
	$(BUILDDIR)/station/station demo

# The label tests' decoders, from the npm registry at the versions package-lock.json pins.
# Node trusts the system's certificates too (a proxy's CA installed there, say). When the
# registry cannot be reached the label decoding suite is skipped, saying so; the rest runs.
export NODE_EXTRA_CA_CERTS ?= $(wildcard /etc/ssl/certs/ca-certificates.crt)

label-decoders:
	@if [ ! -f tests/labels/node_modules/.package-lock.json ] || \
	    [ tests/labels/package-lock.json -nt tests/labels/node_modules/.package-lock.json ]; then \
		(cd tests/labels && npm ci --no-audit --no-fund --loglevel=error) || \
		echo "WARNING: npm ci in tests/labels failed: the label decoding tests will be skipped"; \
	fi

# The screen tests' driver of Debian's chromium (playwright-core, no browser download).
screen-drivers:
	@if [ ! -f tests/screen/node_modules/.package-lock.json ] || \
	    [ tests/screen/package-lock.json -nt tests/screen/node_modules/.package-lock.json ]; then \
		(cd tests/screen && npm ci --no-audit --no-fund --loglevel=error) || \
		echo "WARNING: npm ci in tests/screen failed: the screen tests will be skipped"; \
	fi

test: build label-decoders screen-drivers
	meson test -C $(BUILDDIR) --print-errorlogs

# each benchmark prints its own figures; they end with one table of them all
# (tests/bench/bench-table.py), for the README's "Benchmarks"
bench: deps screen-drivers
	@[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release
	meson compile -C build-bench
	rm -f build-bench/bench-results.tsv
	ST_BENCH_RESULTS=$(CURDIR)/build-bench/bench-results.tsv \
		meson test -C build-bench --benchmark --verbose --no-suite large
	@python3 tests/bench/bench-table.py build-bench/bench-results.tsv | tee build-bench/bench-table.md

# the inventory at the scale of a large warehouse: 1,000,000 products, 10,000,000 ledger rows
bench-large: deps
	@[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release
	meson compile -C build-bench
	rm -f build-bench/bench-results-large.tsv
	ST_BENCH_RESULTS=$(CURDIR)/build-bench/bench-results-large.tsv \
		meson test -C build-bench --benchmark --verbose --suite large
	@python3 tests/bench/bench-table.py build-bench/bench-results-large.tsv

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

check-format:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILDDIR) build-bench build-asan
