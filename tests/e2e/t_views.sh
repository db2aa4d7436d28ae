#!/usr/bin/env bash
# The views behind one interface, in the real binary: the metadata view (I)
# that was added as one file and one table line, its numbers, its scroll,
# and the way back to the other views.
# Numbers: go tool pprof -raw tests/data/go-cpu.pb.gz (tests/data/expected/
# go-cpu.raw): 269 sample lines, columns summing to 295 and 2950000000 ns;
# labels region and worker with two values each (and ember's own file=).
# Usage: tests/e2e/t_views.sh path/to/ember
. "$(dirname "$0")/lib.sh"
CPU=$(realpath tests/data/go-cpu.pb.gz)

start 120 40 TZ=UTC TERM=xterm-256color -- "$CPU"
expect "views: opens on both" "[Both]"
keys I
expect "metadata: I opens it" "[Metadata]"
expect "metadata: the sample count" "samples 269"
expect "metadata: the types and totals" "samples (count)  total 295"
expect "metadata: the current type" "* cpu (nanoseconds)  total 2.95s"
expect "metadata: the labels" "region  2 values"
expect "metadata: the source's time" "2026-11-24 05:19:47 +0000"
expect "metadata: the hint bar has its keys" "j scroll"
keys 6
expect "metadata: a comparison makes side B" "[Comparison]"
keys I
expect "metadata: side B listed" "  B {}  every time"
keys 1
expect "views: back to the flamegraph" "[Flamegraph]"

# a short screen: j scrolls the first lines away, k brings them back
start 100 12 TZ=UTC TERM=xterm-256color -- "$CPU"
expect "short: opens" "[Both]"
keys I
expect "short: metadata" "Sources: 1"
keys j
expect_gone "short: j scrolls" "Sources: 1"
keys k
expect "short: k scrolls back" "Sources: 1"

# the key tables list it: ? shows its section, --keys and the manual too
"$EMBER" --keys | grep -q '^Metadata (I)' && ok || ko "--keys lists the metadata view"
grep -q 'metadata: the sources' man/ember.1 && ok || ko "the manual lists I"
finish
