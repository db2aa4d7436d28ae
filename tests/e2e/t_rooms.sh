#!/usr/bin/env bash
# Each view in its own room (issue 9): --view metadata opens the metadata
# view; the table pane that the table (2) and both (3) views share keeps its
# sort and selection across them; the prompts keep their history in their
# own state for the whole run.
# Numbers: go tool pprof -raw tests/data/go-cpu.pb.gz (tests/data/expected/
# go-cpu.raw) has 269 sample lines; main.fib's row of go-cpu.cpu.top is self
# 390000000, total 410000000 of 2950000000 ns: 13.22% and 13.90%.
# Usage: tests/e2e/t_rooms.sh path/to/ember
. "$(dirname "$0")/lib.sh"
CPU=$DATA/go-cpu.pb.gz
fib="self 390ms (13.22%)  total 410ms (13.90%)"

# --- --view metadata: the explorer opens on it ------------------------------
start 120 40 TZ=UTC TERM=xterm-256color -- --view metadata "$CPU"
expect "--view metadata opens the metadata view" "[Metadata]"
expect "--view metadata: its sample count" "samples 269"
keys 2
expect "metadata: 2 still opens the table" "[Table]"

# --- one table for views 2 and 3: its sort and selection ---------------------
start 120 30 TERM=xterm-256color -- --view table "$CPU"
expect "table view" "[Table]"
keys s
expect "s sorts the table by total" "▼Total  Function"
keys / '^main\.fib$' Enter
expect "the search selects main.fib" "$fib"
keys 3
expect "3 opens the both view" "[Both]"
expect "both: the table keeps the sort by total (shares only at 60 columns)" "▼Total%  Function"
keys Tab
expect "both: the table's selection is still main.fib" "$fib"
keys C-x 2
expect "2: the table view again, still sorted by total" "▼Total  Function"
check "table: the selection is still main.fib" has_text "$fib"

# --- the search prompt's history lives as long as the explorer -------------
keys 1
expect "flamegraph" "[Flamegraph]"
keys / Up
expect "/ Up: the last search, typed in another view" '/ ^main\.fib$█'
keys Escape
finish
