#!/usr/bin/env bash
# The review's findings on --base (issue 13, basefix) in the explorer:
# --base - (the base typed on the terminal, ember's standard input)
# survives a granularity switch: r reads every source again, the base
# from the bytes kept (the input is at its end by then).
# Usage: tests/e2e/t_basefix.sh path/to/ember
. "$(dirname "$0")/lib.sh"

printf 'main;a 10\nmain;b 3\n' >"$E2E_DIR/p.folded"
# by hand: a 10 - 4 = 6, b 3, the total 9: a is 6 / 9 = 66.67%
start 120 20 -- --view table --base - "$E2E_DIR/p.folded"
keys 'main;a 4' Enter C-d
expect "the table on a base from standard input" "66.67%"
row_a() { screen | grep -qE '^ *6 +66\.67% +6 +66\.67% +a *$'; }
check "a: 6, of 9" row_a
keys r
expect "r: the next granularity" "filefunctions"
# reading the input again blocked on the terminal ("reading at ..." stayed)
read_done() { row_a && lacks_text "reading at"; }
check "after r a is still 6, of 9, the reading done" read_done
lacks_text "not kept" && lacks_text "no samples" && ok || ko "r: $(screen | tail -3)"
finish
