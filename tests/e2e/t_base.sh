#!/usr/bin/env bash
# The explorer on --diff-base and --base (issue 13): the table's signed
# shares equal go tool pprof -diff_base's (pprof prints their size, the
# sign is its flat's), the flamegraph draws what grew and nothing past its
# caller, and a sample type change keeps the base subtracted.
# Usage: tests/e2e/t_base.sh path/to/ember
. "$(dirname "$0")/lib.sh"

B=$DATA/base/cpu-1.pb.gz N=$DATA/base/cpu-2.pb.gz

# "SELF% TOTAL% NAME" of pprof's first -top row, signed as its values
pprof_first() {
    go tool pprof -symbolize=none -top -nodecount=1 -unit=ns "$@" 2>/dev/null | awk '
    /^ +flat +flat%/ { r = 1; next }
    r { s = ($1 ~ /^-/) ? "-" : ""; c = ($4 ~ /^-/) ? "-" : ""
        print s $2 " " c $5 " " $6; exit }'
}

if ! command -v go >/dev/null; then
    echo "t_base: SKIP (go tool pprof missing)"
    finish
    exit 0
fi

# --- the table: main.hash shrank, first by size as pprof -top ---------------
read -r w_self w_total w_name < <(pprof_first -sample_index=cpu -diff_base "$B" "$N")
start 140 30 TERM=xterm-256color -- --view table -t cpu --diff-base "$B" "$N"
expect "table on a diff base" "Function"
# the row as the table draws it: "-35 -42.68%  -36 -43.90%  main.hash" (the
# values when the terminal is wide enough)
v='(-?[0-9.]+[A-Za-z]* +)?'
row_is() {
    screen | sed -n 5p |
        grep -qE -- "^ *$v${w_self//./\\.} +$v${w_total//./\\.} +${w_name//./\\.}( |$)"
}
check "first row is pprof's first, signed: $w_self $w_total $w_name" row_is
[ "${w_self#-}" != "$w_self" ] && ok || ko "the fixture's first row should be a shrink: $w_self $w_name"

# --- the flamegraph: what grew, inside the width, no crash ------------------
grew=$(go tool pprof -symbolize=none -top -nodecount=20 -sample_index=cpu -diff_base "$B" "$N" 2>/dev/null |
    awk '/^ +flat +flat%/ { r = 1; next } r && $1 !~ /^-/ && $1 != "0" { print $6; exit }')
keys 1
expect "flamegraph view" "[Flamegraph]"
# the table's rows are gone: the flamegraph's first row is its root
flame_has() { screen | sed -n '4,28p' | grep -qF -- "$1"; }
check "the flamegraph draws $grew (it grew)" flame_has "$grew"
# the shrink has no box; nothing but text (no replacement character, no
# escape left raw); still running
check "the flamegraph draws no box for $w_name (it shrank)" eval '! flame_has "$w_name"'
clean() { ! screen | grep -qP '\x{FFFD}|\x1b'; }
check "nothing garbled" clean
check "ember is still running" eval '! screen | grep -q EXITED'

# --- a type change keeps the base ------------------------------------------
read -r w_self w_total w_name < <(pprof_first -sample_index=samples -diff_base "$B" "$N")
keys 2
expect "back to the table" "Function"
keys t
expect "type menu" "samples (count)"
keys k Enter    # from cpu up to samples
expect "samples type" "samples (count)  total"
check "after the type change, the first row is pprof's: $w_self $w_total $w_name" row_is

finish
