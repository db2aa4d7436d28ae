#!/usr/bin/env bash
# Snapshots over time (man: SNAPSHOTS OVER TIME) in the real explorer: a
# folder of Go heap snapshots shows in-use memory at one snapshot's scale
# and says so in the header; alloc_space is the sum of the deltas.
# Numbers: tests/data/snapshots/pprof.txt (go tool pprof -top of each file):
# inuse_space 1052368 2110472 3160232 4208904 1051184 2109736, mean
# 13692896 / 6 = 2282149 B = 2.18MB (summed it was 13.1MB); alloc_space
# ends each run at 29251352 and 8877936, less heap-01's 5247368 (the
# baseline): 32881920 B = 31.4MB.
# Usage: tests/e2e/t_snapshots.sh path/to/ember
. "$(dirname "$0")/lib.sh"

SNAP=$DATA/snapshots/series
mb() { awk -v v="$1" 'BEGIN { printf "%.3gMB", v / 1048576 }'; }
col() { awk -v t="$1" '$2 == t { print $3 }' "$DATA/snapshots/pprof.txt" | grep -v '^$'; }
INUSE=$(col inuse_space | awk '{ s += $1 } END { printf "%.0f", s / NR }')
ALLOC=$(( $(awk '$1 == "heap-04.pb.gz" && $2 == "alloc_space" { print $3 }' "$DATA/snapshots/pprof.txt") + \
          $(awk '$1 == "heap-06.pb.gz" && $2 == "alloc_space" { print $3 }' "$DATA/snapshots/pprof.txt") - \
          $(awk '$1 == "heap-01.pb.gz" && $2 == "alloc_space" { print $3 }' "$DATA/snapshots/pprof.txt") ))

start 160 30 -- -t inuse_space "$SNAP"
expect "in use averaged, and said so" "inuse_space (bytes)  total $(mb "$INUSE")  avg of 6 snapshots"
keys : C-u 'alloc_space{}' Enter
expect "alloc_space: the deltas' sum" "alloc_space (bytes)  total $(mb "$ALLOC")  delta of 6 snapshots"
finish
