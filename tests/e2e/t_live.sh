#!/usr/bin/env bash
# The live explorer (issue 10) on real endpoints: the fetch helper's Go test
# server (tests/live/server.go, net/http/pprof on a loopback port it prints)
# serves CPU profiles; ember fetches them every period. Checks: the timeline
# grows within a period, keys are answered while a fetch runs, Space pauses,
# the tag explorer over two URLs has two `source` values, Esc cancels a
# fetch, q during a long fetch exits at once. 127.0.0.1 only; every server is stopped at the end.
# Skips (passing) when go is missing.
# Usage: tests/e2e/t_live.sh path/to/ember
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_server.sh"

live_server_build t_live
serve || { ko "server"; finish; exit; }
p1=$port
serve || { ko "server"; finish; exit; }
p2=$port

# --- a growing timeline within a period, keys while fetching -------------
start 120 30 TERM=xterm-256color -- "127.0.0.1:$p1" --every 2s --seconds 1
expect "a fetch runs in the background" "fetching 127.0.0.1:$p1"
keys 2                          # answered while the profile is being taken
expect "a key while fetching" "[Table]"
expect "the first profile lands" "next fetch in"
first_top=$(screen | sed -n 2,3p)
# the second capture makes two steps: a timeline above the view
timeline_grew() { [ "$(screen | sed -n 2,3p)" != "$first_top" ] && has_text "next fetch in"; }
check "the timeline grows with the next fetch" timeline_grew

# --- Space pauses and resumes ---------------------------------------------
keys Space
expect "Space pauses" "paused"
keys Space
expect "Space resumes" "fetching resumed"

# --- two URLs: two source values in the tag explorer ------------------------
start 140 30 TERM=xterm-256color -- "127.0.0.1:$p1" "127.0.0.1:$p2" --every 2s --seconds 1 \
    --view tags --group-by source
expect "the first URL's source value" "127.0.0.1:$p1"
expect "the second URL's source value" "127.0.0.1:$p2"

# --- Esc cancels the running fetch --------------------------------------
start 120 30 TERM=xterm-256color -- "127.0.0.1:$p1" --every 2s --seconds 1
expect "a later fetch runs in the explorer" "fetching 127.0.0.1:$p1"
keys Escape
expect "Esc cancels it at once" "last error: 127.0.0.1:$p1: cancelled"

# --- q during a long fetch exits at once --------------------------------------
# (the wait is for ember's connection to the server, then q must end the
# first fetch well before the 30 s)
start 120 30 TERM=xterm-256color -- "127.0.0.1:$p1" --seconds 30
connected() { ss -tn state established "dst 127.0.0.1:$p1" 2>/dev/null | grep -q 127.0.0.1; }
if until_ok connected; then ok; else ko "ember connects for its 30 s fetch"; fi
keys q
wait_limit=3 expect "q exits at once, during the fetch" "EXITED:0"

stop_servers
finish
