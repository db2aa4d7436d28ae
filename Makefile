# ember: a terminal profile explorer.  `make run` opens the demo, `make check`
# runs every test; both install missing Debian packages first (`make deps`).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config

# SANITIZE=1 builds everything with AddressSanitizer and UBSan, apart.
ifeq ($(SANITIZE),1)
BUILD   ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# every test runs 2-3 times slower: their timeouts scale the same
export CK_TIMEOUT_MULTIPLIER = 3
else
BUILD   ?= build
SANFLAGS =
endif

# Everything the build and the tests need, each with the Debian package that
# provides it, so that `make deps` works on a machine that never built C.
# Libraries ember links (pkg-config module:package):
LIB_PKG  = libprotobuf-c:libprotobuf-c-dev libzstd:libzstd-dev libdeflate:libdeflate-dev \
           libcurl:libcurl4-openssl-dev jansson:libjansson-dev \
           ncursesw:libncurses-dev
# Libraries of the unit tests (Check) and of the bench generator (zlib):
TEST_PKG = check:check zlib:zlib1g-dev
NEED_PKG = $(LIB_PKG) $(TEST_PKG)
# Commands (name or path:package): the compiler and the build's tools, then
# what the tests run (tmux for the explorer, pkill, /usr/bin/time for bench,
# go for the live tests' server and go tool pprof, ss for their waits,
# curl, protoc and jq for tests/pyro_server.sh's requests to the stand-in
# Pyroscope server and its JSON answers; xmllint, rsvg-convert, node and
# npm read the exports back).
NEED_CMD = cc:gcc pkg-config:pkg-config protoc-c:protobuf-c-compiler tmux:tmux pkill:procps \
           /usr/bin/time:time awk:mawk cmp:diffutils realpath:coreutils \
           gzip:gzip zstd:zstd go:golang-go ss:iproute2 curl:curl protoc:protobuf-compiler \
           jq:jq xmllint:libxml2-utils rsvg-convert:librsvg2-bin node:nodejs npm:npm
# Files: the C library's headers; pprof's Go package, which the stand-in
# Pyroscope server (tests/pyro) parses and merges profiles with.
NEED_FILE = /usr/include/stdio.h:libc6-dev \
            /usr/share/gocode/src/github.com/google/pprof/profile/profile.go:golang-github-google-pprof-dev
LIBS_PKG = $(foreach p,$(LIB_PKG),$(firstword $(subst :, ,$(p))))

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LIBS_PKG) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(LIBS_PKG) 2>/dev/null) -lm
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra -MMD -MP -Iinclude -I$(BUILD)/gen \
             $(PKG_CFLAGS) $(SANFLAGS) $(CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = -pthread $(SANFLAGS) $(LDFLAGS)

SRC      = $(wildcard src/util/*.c src/source/*.c src/model/*.c src/query/*.c src/output/*.c \
             src/ui/*.c)
# Every proto/NAME.proto becomes $(BUILD)/gen/NAME.pb-c.[ch] (protoc-c).
PROTO    = $(wildcard proto/*.proto)
GEN_C    = $(PROTO:proto/%.proto=$(BUILD)/gen/%.pb-c.c)
GEN_H    = $(GEN_C:.c=.h)
OBJ      = $(SRC:%.c=$(BUILD)/%.o) $(GEN_C:.c=.o)
MAIN_OBJ = $(BUILD)/src/main.o $(BUILD)/src/demo/demo.o
TEST_SRC = $(wildcard tests/check_*.c)
# tests/view_fx.c: the view suites' shared fixture (not a suite).
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/view_fx.o $(BUILD)/tests/loopback.o \
           $(BUILD)/tests/filters_fx.o
DEMO     = $(sort $(wildcard src/demo/profiles/*.pb.gz))

.PHONY: all run check layers unit fuzz-compiles cli list filters granularity base live pyro-server remote export e2e resources bench fuzz fuzz-source fuzz-query fuzz-output fuzz-model fuzz-pyro fuzz-export fuzz-json fuzz-srcfile install uninstall clean deps
all: $(BUILD)/ember

# One rule per file (a pattern rule: make knows both outputs come from one
# run); querier.proto imports types.proto, so all are generated before any
# object compiles.
$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: proto/%.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --proto_path=proto --c_out=$(BUILD)/gen $<

# Every object may include the generated headers.
$(BUILD)/%.o: %.c $(GEN_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

.SECONDARY: $(GEN_C) $(GEN_H)

$(BUILD)/gen/%.pb-c.o: $(BUILD)/gen/%.pb-c.c $(GEN_H)
	$(CC) $(ALL_CFLAGS) -Wno-unused-parameter -c $< -o $@

$(BUILD)/demo.pack: src/demo/pack.sh $(DEMO)
	@mkdir -p $(@D)
	src/demo/pack.sh $@ $(DEMO)

$(BUILD)/src/demo/demo.o: src/demo/demo.S $(BUILD)/demo.pack
	@mkdir -p $(@D)
	$(CC) $(SANFLAGS) -I$(BUILD) -c $< -o $@

$(BUILD)/ember: $(OBJ) $(MAIN_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/check_ember: $(TEST_OBJ) $(OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS)

$(TEST_OBJ): ALL_CFLAGS += $(CHECK_CFLAGS) -DTEST_DATA='"tests/data"'

# Every tests/check_NAME.c defines NAME_suite(); the list is made from the
# file names, so a new suite is a new file and nothing else.
SUITES = $(filter-out main,$(patsubst tests/check_%.c,%,$(TEST_SRC)))
$(BUILD)/gen/suites.inc: Makefile $(TEST_SRC)
	@mkdir -p $(@D)
	@printf 'SUITE(%s)\n' $(SUITES) >$@.tmp && mv $@.tmp $@
$(BUILD)/tests/check_main.o: $(BUILD)/gen/suites.inc

# deps first, then a fresh make that reads pkg-config once packages exist.
run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/ember

check: deps
	@$(MAKE) --no-print-directory layers unit fuzz-compiles cli list filters granularity base live pyro-server remote export resources e2e

# The fuzz harnesses need clang's libFuzzer to run (make fuzz), but every
# check compiles them with the usual compiler, so an API change cannot leave
# them behind unnoticed.
fuzz-compiles: $(GEN_H)
	@for f in tests/fuzz/fuzz_*.c; do \
	  $(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -fsyntax-only $$f || exit 1; done; \
	echo "fuzz harnesses: $(words $(wildcard tests/fuzz/fuzz_*.c)) compile"

# No include goes up the layers (util < model < query < ui < main; in src/ui
# shared state < widgets < views < core), no view includes another's header.
layers:
	tests/layers.sh

unit: $(BUILD)/check_ember
	CK_FORK=yes $(BUILD)/check_ember

cli: $(BUILD)/ember $(BUILD)/bench-gen
	tests/cli.sh $(BUILD)/ember $(BUILD)/bench-gen
	tests/hostile_out.sh $(BUILD)/ember

# --granularity G against go tool pprof -top -G on real profiles (issue 13).
granularity: $(BUILD)/ember
	tests/granularity.sh $(BUILD)/ember

# --base and --diff-base against go tool pprof -base and -diff_base
# (skipped when go is missing).
base: $(BUILD)/ember
	tests/base.sh $(BUILD)/ember

# pprof's filters (--focus ... --prune-from) against go tool pprof itself.
filters: $(BUILD)/ember
	tests/filters.sh $(BUILD)/ember

# --list against go tool pprof -list, and hostile source files.
list: $(BUILD)/ember
	tests/list.sh $(BUILD)/ember

# URLs against the Go program tests/live/server.go (built into $(BUILD) by
# the test; skipped when go is missing).
live: $(BUILD)/ember
	tests/live.sh $(BUILD)/ember

# The stand-in Pyroscope server's own checks (tests/pyro, built into
# $(BUILD)/pyro-server; skipped when go or pprof's package is missing).
pyro-server:
	PYRO_BIN=$(CURDIR)/$(BUILD)/pyro-server tests/pyro_server.sh

# --url against the stand-in Pyroscope server (tests/remote.sh; its server
# part is skipped when go or pprof's package is missing).
remote: $(BUILD)/ember $(BUILD)/pyro-ask $(BUILD)/hostile-gen
	PYRO_BIN=$(CURDIR)/$(BUILD)/pyro-server tests/remote.sh $(BUILD)/ember

# The exports read back by go tool pprof, node (Pyroscope's and speedscope's
# packages, npm ci into $(BUILD)/export-node: the registry is needed once,
# else a skip line), xmllint and rsvg-convert.
export: $(BUILD)/ember
	tests/export.sh $(BUILD)/ember $(BUILD)

# One call of ember's Pyroscope client, its answer as text: remote.sh's
# checks of the methods batch mode does not call.
$(BUILD)/pyro-ask: $(BUILD)/tests/pyro_ask.o $(OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

e2e: $(BUILD)/ember $(BUILD)/bench-gen
	tests/e2e/run.sh $(BUILD)/ember

# Small hostile files must cost ember seconds and a bounded memory.
resources: $(BUILD)/ember $(BUILD)/hostile-gen
	tests/resources.sh $(BUILD)/ember $(BUILD)/hostile-gen $(SANITIZE)

$(BUILD)/hostile-gen: tests/hostile/gen.c tests/hostile/pb_write.h
	@mkdir -p $(@D)
	$(CC) -O2 -std=c11 -Wall -Wextra -o $@ $<

$(BUILD)/bench-gen: bench/gen.c
	@mkdir -p $(@D)
	$(CC) -O2 -std=c11 -Wall -Wextra -o $@ $< -lz

$(BUILD)/bench-ui: bench/ui.c $(OBJ)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# What only `make bench` needs (not make check): libdeflate-gunzip, the
# decompression floor of the load target; perf, for the breakdowns.
BENCH_CMD = libdeflate-gunzip:libdeflate-tools perf:linux-perf zstd:zstd zcat:gzip
bench: deps
	@$(MAKE) --no-print-directory deps NEED_PKG= NEED_FILE= NEED_CMD="$(BENCH_CMD)"
	@$(MAKE) --no-print-directory all $(BUILD)/bench-gen $(BUILD)/bench-ui
	bench/run.sh $(BUILD)/ember $(BUILD)/bench-gen

# libFuzzer: fuzz_source over every parser of untrusted bytes (seeded with
# the fixtures), fuzz_query over the query language, fuzz_output over the
# batch writers and the diff join, fuzz_model over the frame trees and the
# timeline, fuzz_json over the JSON imports. `make fuzz` runs each for
# FUZZ_SECONDS; fuzz-NAME runs one.
FUZZ_SECONDS ?= 60
FUZZERS = source query output model pyro export json srcfile
FUZZ_CC = clang -g -O1 -std=c11 -D_GNU_SOURCE -Iinclude -Ibuild/gen -Itests/fuzz $(PKG_CFLAGS) \
          -pthread -fsanitize=fuzzer,address,undefined
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_build.h $(SRC) $(PROTO:proto/%.proto=build/gen/%.pb-c.c) \
                   $(wildcard include/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) -o $@ $(filter %.c,$^) $(PKG_LIBS)

fuzz: $(FUZZERS:%=fuzz-%)

fuzz-source: build/fuzz/fuzz_source
	@mkdir -p build/fuzz/corpus
	cp tests/data/*.pb* tests/data/*.txt tests/data/bad/* build/fuzz/corpus/
	rm -f build/fuzz/corpus/bomb.*  # slow to inflate: the unit tests cover them
	build/fuzz/fuzz_source $(FUZZ_RUN) build/fuzz/corpus

fuzz-query: build/fuzz/fuzz_query
	@mkdir -p build/fuzz/query-corpus
	printf '%s' '{region="eu-north", pod=~"pod-[0-3]", env!~"dev.*"}' >build/fuzz/query-corpus/a
	printf '%s' 'alloc_space{a!="x\\"y",}' >build/fuzz/query-corpus/b
	printf '%s' '2026-11-24T05:00:00.25+02:00' >build/fuzz/query-corpus/c
	build/fuzz/fuzz_query $(FUZZ_RUN) build/fuzz/query-corpus

# Seeds: the protoc-made answers (each behind a method byte) and the
# stand-in server's profiles.
fuzz-pyro: build/fuzz/fuzz_pyro
	@mkdir -p build/fuzz/pyro-corpus
	for f in tests/data/pyro-txtpb/*.bin; do \
	  for m in 0 1 2 3 4 5; do printf "\\$$m" | cat - $$f >build/fuzz/pyro-corpus/$$m-$${f##*/}; done; done
	printf '\004' | cat - tests/data/go-cpu.pb >build/fuzz/pyro-corpus/merge-go-cpu
	build/fuzz/fuzz_pyro $(FUZZ_RUN) build/fuzz/pyro-corpus

fuzz-json: build/fuzz/fuzz_json
	@mkdir -p build/fuzz/json-corpus
	cp tests/data/json/*.json build/fuzz/json-corpus/
	build/fuzz/fuzz_json $(FUZZ_RUN) build/fuzz/json-corpus

fuzz-srcfile: build/fuzz/fuzz_srcfile
	@mkdir -p build/fuzz/srcfile-corpus
	cp tests/data/go/main.go tests/fuzz/seeds/* build/fuzz/srcfile-corpus/
	build/fuzz/fuzz_srcfile $(FUZZ_RUN) build/fuzz/srcfile-corpus

# Seeds in fuzz_build.h's format: folded text reads as records too, and
# tests/fuzz/seeds holds hostile names (ESC, bidi, C1, ';', '#').
fuzz-output fuzz-model fuzz-export: fuzz-%: build/fuzz/fuzz_%
	@mkdir -p build/fuzz/$*-corpus
	cp tests/data/*.txt tests/fuzz/seeds/* build/fuzz/$*-corpus/
	build/fuzz/fuzz_$* $(FUZZ_RUN) build/fuzz/$*-corpus

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/ember $(DESTDIR)$(BINDIR)/ember
	install -m 644 man/ember.1 $(DESTDIR)$(MANDIR)/man1/ember.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ember $(DESTDIR)$(MANDIR)/man1/ember.1

clean:
	rm -rf build

# Installs what is missing: apt-get as root, sudo otherwise; elsewhere it
# prints the Debian package names to look for.
deps:
	@missing=; \
	for pair in $(NEED_PKG); do \
	  $(PKG_CONFIG) --exists $${pair%%:*} 2>/dev/null || missing="$$missing $${pair#*:}"; done; \
	for pair in $(NEED_CMD); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	for pair in $(NEED_FILE); do \
	  [ -e $${pair%%:*} ] || missing="$$missing $${pair#*:}"; done; \
	[ -z "$$missing" ] && exit 0; \
	echo "ember: missing packages:$$missing"; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "ember: install them with your package manager, then run make again"; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	$$sudo apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing

-include $(OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
