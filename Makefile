# dmesgscan: `make demo` builds and scans a shipped sample; `make test` runs the tests.
SWIFT ?= swift
# bash for pipefail: a filtered pipeline must still fail when the test run fails.
SHELL := /bin/bash
BIN = .build/release/dmesgscan

.PHONY: setup build demo test check-asan fuzz-smoke rules-test man install dist dist-check clean

setup:
	@scripts/setup

# The Swift runtime linked in (as in `make dist`): no dynamic symbol binding at start-up, and
# direct calls into the runtime (retain, release) on every line; a 411 MB scan took 7% less
# CPU time. `scripts/bench` builds the same way. (The mktemp warning is the static Foundation
# archive's own, filtered as in `dist`.)
build: setup
	@set -o pipefail; $(SWIFT) build -c release --static-swift-stdlib 2>&1 \
	  | { grep -v "the use of \`mktemp' is dangerous" || true; }

# Exit status 1 means "findings", which is what the demo shows; only 2 (errors) fails.
demo: build
	@echo "== dmesgscan samples/refused-7.0-next-util-linux.log"
	@$(BIN) samples/refused-7.0-next-util-linux.log; test $$? -le 1
	@echo
	@echo "== dmesgscan samples/*.log samples/*.gz (one line per verdict in JSON)"
	@$(BIN) --format json samples/*.log samples/*.gz | python3 -c 'import json,sys; d=json.load(sys.stdin); [print(i["path"], b["index"], v["id"], v["verdict"], "enforced" if v["enforced"] else "not enforced") for i in d["inputs"] for b in i["boots"] for v in b["invariants"]]' 2>/dev/null || true

test:
	@scripts/setup --test
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-xctest
	@scripts/check-man
	@scripts/spark-demo

# The test suite under AddressSanitizer (its own build folder). gold prints one line per
# ASan check symbol it cannot export (about 420 lines, harmless): they are filtered out so
# that a real warning stays visible.
check-asan:
	@scripts/setup --test
	@set -o pipefail; DMESGSCAN_SANITIZED=1 LSAN_OPTIONS=suppressions=$(CURDIR)/.lsan-suppressions $(SWIFT) test --disable-xctest --sanitize=address --scratch-path .build-asan 2>&1 \
	  | { grep -v "warning: Cannot export local symbol '__asan" || true; }

# A few thousand runs of every fuzz target (see scripts/fuzz for long runs).
fuzz-smoke: setup
	scripts/fuzz --smoke

rules-test: build
	$(BIN) rules test

# The man page, generated from the argument parser (swift-argument-parser's generate-manual plugin).
MANPAGE = .build/plugins/GenerateManual/outputs/dmesgscan/dmesgscan.1
man: build
	$(SWIFT) package generate-manual >/dev/null
	@echo "$(MANPAGE)"

PREFIX ?= /usr/local
install: build man
	install -d $(PREFIX)/bin $(PREFIX)/share/dmesgscan/rules $(PREFIX)/share/man/man1 \
	  $(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions $(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(PREFIX)/bin/dmesgscan
	install -m 644 rules/*.yml $(PREFIX)/share/dmesgscan/rules/
	install -m 644 $(MANPAGE) $(PREFIX)/share/man/man1/dmesgscan.1
	scripts/completions bash > $(PREFIX)/share/bash-completion/completions/dmesgscan
	scripts/completions zsh > $(PREFIX)/share/zsh/site-functions/_dmesgscan
	scripts/completions fish > $(PREFIX)/share/fish/vendor_completions.d/dmesgscan.fish

# A relocatable build: the binary with the Swift runtime linked in (no toolchain needed where
# it runs; the C libraries it uses are the distribution's), with its rules, man page and
# completions beside it: dmesgscan-VERSION-linux-ARCH.tar.gz. It finds its rules in
# ../share/dmesgscan/rules from wherever it is unpacked.
VERSION := $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/dmesgscan/DmesgScanCommand.swift)
DIST := dmesgscan-$(VERSION)-linux-$(shell uname -m)
# The static Foundation archive the toolchain links warns about its own mktemp (two lines,
# harmless to dmesgscan, which calls no Foundation): filtered out so a real warning shows.
dist: setup man
	@set -o pipefail; $(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-dist 2>&1 \
	  | { grep -v "the use of \`mktemp' is dangerous" || true; }
	rm -rf .build-dist/$(DIST) && mkdir -p .build-dist/$(DIST)/bin .build-dist/$(DIST)/share/dmesgscan/rules \
	  .build-dist/$(DIST)/share/man/man1 .build-dist/$(DIST)/share/bash-completion/completions \
	  .build-dist/$(DIST)/share/zsh/site-functions .build-dist/$(DIST)/share/fish/vendor_completions.d
	install -m 755 .build-dist/release/dmesgscan .build-dist/$(DIST)/bin/dmesgscan
	strip .build-dist/$(DIST)/bin/dmesgscan 2>/dev/null || true
	install -m 644 rules/*.yml .build-dist/$(DIST)/share/dmesgscan/rules/
	install -m 644 $(MANPAGE) .build-dist/$(DIST)/share/man/man1/dmesgscan.1
	install -m 644 README.md .build-dist/$(DIST)/
	DMESGSCAN_BIN=.build-dist/release/dmesgscan scripts/completions bash > .build-dist/$(DIST)/share/bash-completion/completions/dmesgscan
	DMESGSCAN_BIN=.build-dist/release/dmesgscan scripts/completions zsh > .build-dist/$(DIST)/share/zsh/site-functions/_dmesgscan
	DMESGSCAN_BIN=.build-dist/release/dmesgscan scripts/completions fish > .build-dist/$(DIST)/share/fish/vendor_completions.d/dmesgscan.fish
	tar -czf $(DIST).tar.gz -C .build-dist $(DIST)
	@echo "$(DIST).tar.gz"

# Unpacks the dist tarball elsewhere and runs it there with an empty environment.
dist-check: dist
	scripts/check-dist $(DIST).tar.gz

clean:
	rm -rf .build
