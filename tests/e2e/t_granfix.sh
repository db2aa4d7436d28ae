#!/usr/bin/env bash
# The review's granularity findings in the explorer: the flamegraph's
# selection follows r by function name (it went to the root). Usage:
# tests/e2e/t_granfix.sh EMBER
. "$(dirname "$0")/lib.sh"

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
finish
