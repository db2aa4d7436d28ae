#!/usr/bin/env bash
# Fetching without a blank terminal (issue 10's review: F1, M4), on the Go
# test server (tests/live/server.go, 127.0.0.1 only): the explorer opens at
# once and takes its first profile in the background; batch output shows a
# progress line on stderr while a fetch runs.
# Skips (passing) when go is missing.
# Usage: tests/e2e/t_fixfetch.sh path/to/ember
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_server.sh"

live_server_build t_fixfetch
serve || { ko "server"; finish; exit; }
p=$port

# --- F1: the explorer shows while its first (4 s) CPU profile is taken ---
# Before: main fetched it first, the terminal stayed blank for 4 s, then
# the explorer opened on the data (no "waiting" screen ever showed).
start 120 30 TERM=xterm-256color -- "127.0.0.1:$p" --seconds 4
expect "the explorer opens before the first profile" "waiting for the first profile"
expect "its fetch runs in the background" "fetching 127.0.0.1:$p"
# Before: the views asked for sample type UINT32_MAX of an empty data set
# and the status bar kept "no sample type 4294967295 in a data set of 0".
check "nothing is asked of an empty data set" lacks_text "no sample type"
keys '?'                        # a key answered while the profile is taken
expect "a key while the first fetch runs" "Keys"
keys Escape
expect "the first profile lands in the open explorer" "cpu (nanoseconds)"
expect_gone "the waiting screen goes" "waiting for the first profile"

# --- M4: batch output says what it waits for while a fetch runs --------
# Before: one show_line at t=0, under its 0.5 s threshold, and none after:
# a blank terminal for the whole 4 s.
start 120 30 TERM=xterm-256color -- --top "127.0.0.1:$p" --seconds 4
expect "a progress line while the CPU profile is taken" "ember: fetching 127.0.0.1:$p ... "
ticks() { line_of "ember: fetching" | grep -qE ' \.\.\. [1-9][0-9]*\.[0-9]s$'; }
check "its clock runs" ticks
expect "the table once the profile landed" "main.burn"
expect_gone "the progress line is erased" "ember: fetching"

stop_servers
finish
