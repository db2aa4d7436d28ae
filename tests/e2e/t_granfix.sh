#!/usr/bin/env bash
# The review's granularity findings in the explorer: the flamegraph's
# selection follows r by function name (it went to the root). Usage:
# tests/e2e/t_granfix.sh EMBER
. "$(dirname "$0")/lib.sh"

# row_ends NAME: a row of the table ends in two spaces and NAME
row_ends() { screen | awk -v n="  $1" 'substr($0, length($0) - length(n) + 1) == n { f = 1 } END { exit !f }'; }
# grep_status TEXT: the status bar (the last line but one) holds TEXT
grep_status() { screen | tail -n 2 | head -n 1 | grep -qF -- "$1"; }

start 180 30 TERM=xterm-256color -- --view flame -t cpu "$DATA/go-cpu.pb.gz"
expect "flame view" "[Flamegraph]"
# Down takes the largest child: go tool pprof -traces has every stack of
# main.busy under main.cpuProfile.func1 -> runtime/pprof.Do ->
# main.cpuProfile.func1.1 -> main.busy, four rows below the root
for i in 1 2 3 4; do snap; keys Down; wait_change || ko "Down $i: no change"; done
check "Down x4 selects main.busy" grep_status "main.busy"
keys r
expect "r: filefunctions" "go-cpu.pb.gz  filefunctions"
check "the flame's selection follows to filefunctions" grep_status "main.busy embergen/main.go"
keys r r
expect "r r: lines" "go-cpu.pb.gz  lines"
check "the flame's selection follows to lines" grep_status "main.busy embergen/main.go:"

# Standard input as the profile: the explorer opens (its keys from the
# terminal, as less reads them) and r reads the kept bytes again. Before,
# it said "cannot open the terminal UI".
start 180 30 TERM=xterm-256color -- --view table - "<" "$DATA/go-cpu.pb.gz"
expect "stdin: the explorer opens on it" "sort.partition"
keys r
expect "stdin: r reads it again at filefunctions" "ember  -  filefunctions"
check "stdin: rows named at filefunctions" row_ends "sort.partition sort/zsortinterface.go"
finish
