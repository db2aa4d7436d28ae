#!/usr/bin/env bash
# The explorer behind a slow or failing data set (EMBER_TEST_SOURCE, a test
# source in front of the local one once the first screen is drawn): a query
# change shows `loading QUERY ... 0.4s` with a clock that runs, keeps the
# old numbers meanwhile, then shows the new ones; Esc cancels (the old
# numbers stay, `cancelled`); a failure keeps the old numbers and shows the
# source's message. Totals are pprof's (tests/data/expected: the sums of
# go tool pprof -top's flat column). Usage: tests/e2e/t_async.sh EMBER
. "$(dirname "$0")/lib.sh"

# seconds of a pprof table, as ember writes them (2.95s, 1.51s)
secs() { awk -F'\t' '{ t += $1 } END { printf "%.2fs", t / 1e9 }' "$DATA/expected/$1"; }
all=$(secs go-cpu.cpu.top)
eu=$(secs go-cpu.cpu.q-eu-north.top)
us=$(secs go-cpu.cpu.q-us-east-not-a.top)
EU='{region="eu-north"}'
US='{region="us-east", worker!="a"}'

# query TEXT: replaces side A's query through the : prompt.
query() { keys : C-u "$1" Enter; }

# The loading line's clock runs: the line changes while it still loads.
# (The checks below hold before the keys too, so each follows a wait for
# what the keys bring: lib.sh's expect_gone would refuse them.)
LOADING=""
clock_moved() { local l; l=$(line_of "loading "); [ -n "$l" ] && [ "$l" != "$LOADING" ]; }

# --- slow: pending, then done ------------------------------------------
start 120 30 TERM=xterm-256color EMBER_TEST_SOURCE=slow:800ms -- --view table "$DATA/go-cpu.pb.gz"
expect "first screen, at once" "total $all "
query "$EU"
expect "the loading line names the query" "loading $EU ... "
LOADING=$(line_of "loading ")
check "the old total while loading" has_text "total $all "
check "the elapsed time advances" clock_moved
expect "the new total once it came" "total $eu "
check "no loading line when done" lacks_text "loading "

# --- Esc while loading: cancelled, the old numbers ---------------------
query "$US"
expect "loading the second query" "loading {region=\"us-east\""
keys Escape
expect "Esc cancels" "cancelled"
expect_gone "the loading line goes" "loading "
check "the numbers before the query stay" has_text "total $eu "
# the cancelled answer never shows: a new query comes, not the old one
query "$EU"
expect "asked again" "loading $EU"
# (the same total as before: wait for the loading line to go first)
check "and answered" lacks_text "loading "
check "with the numbers of the last query" has_text "total $eu "
lacks_us() { lacks_text "total $us "; }
check "never those of the cancelled one" lacks_us

# --- the first screen never waits: the tag rows and timeline come before
# the test source steps in (the loop wraps the data set after drawing it)
start 120 30 TERM=xterm-256color EMBER_TEST_SOURCE=slow:800ms -- --view tags "$DATA/go-cpu.pb.gz"
expect "the tag rows at once" "eu-north"
check "nothing pending on the first screen" lacks_text "loading "

# --- every request fails: the message, the old numbers -----------------
start 120 30 TERM=xterm-256color EMBER_TEST_SOURCE=slow:300ms,fail:1 -- --view table "$DATA/go-cpu.pb.gz"
expect "first screen (before the test source)" "total $all "
query "$EU"
expect "loading, then" "loading $EU"
expect "the failure's message" "test failure"
check "the old total stays" has_text "total $all "
check "no loading line after the failure" lacks_text "loading "

# --- every second request fails: the first query shows, the second fails
start 120 30 TERM=xterm-256color EMBER_TEST_SOURCE=fail:2 -- --view flame "$DATA/go-cpu.pb.gz"
expect "first screen" "total $all "
query "$EU"
expect "the first request answers" "total $eu "
query "$US"
expect "the second fails" "test failure"
check "with the first query's numbers" has_text "total $eu "

finish
