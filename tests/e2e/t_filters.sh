#!/usr/bin/env bash
# pprof's filters in the explorer (issue 13): f focuses on the selected
# function, x hides it, X ignores it, u undoes the last, F clears them, in
# the flame, table and sandwich views and a comparison. The header says
# them as pprof writes them and what they kept, "showing X, Y% of Z total",
# with Y from go tool pprof itself. A type change and a query change keep
# them; Y's line reopens the same filtered view.
# Usage: tests/e2e/t_filters.sh path/to/ember
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/pprof_top.sh"   # pprof_top

G=$DATA/go-cpu.pb.gz
# pct [PPROF FLAGS...]: go tool pprof's "Showing nodes accounting for X, Y%
# of Z total" for go-cpu's cpu type: Y (the share the filters kept), from
# the exact values (pprof prints 100% where ember prints 100.00%)
pct() { share "$@" --; }
# share KEPT_FLAGS -- WHOLE_FLAGS: KEPT's total over WHOLE's (exact units,
# the sums of pprof_top's self column), as ember's header prints it
share() {
    local k=() w=()
    while [ "$1" != -- ]; do k+=("$1"); shift; done
    shift
    w=("$@")
    paste <(pprof_top "$G" "$T" "$U" "${k[@]}" | awk -F '\t' '{ s += $1 } END { print s }') \
          <(pprof_top "$G" "$T" "$U" "${w[@]}" | awk -F '\t' '{ s += $1 } END { print s }') |
        awk '{ printf "%.2f%%\n", 100 * $1 / $2 }'
}
T=cpu U=nanoseconds
sel() { keys / "$1" Enter n; }
SELECTED='| main.fib '     # the status bar once main.fib is selected

# --- the flamegraph: f, u, x, X, F on main.fib --------------------------------
start 200 40 TERM=xterm-256color -- --view flame "$G"
expect "flame" "[Flamegraph]"
sel '^main\.fib$'
expect "search selects main.fib" "$SELECTED"
has_text "crypto/sha256" && ok || ko "before f: sha256 is in the flamegraph"
keys f
want=$(pct '-focus=^main\.fib$')
[ "$want" = 13.90% ] && ok || ko "pprof's share under -focus=^main\\.fib\$: $want (the fixture's is 13.90%)"
expect "f: the header says the focus and pprof's share" \
    "focus=^main\\.fib\$  showing 410ms, $want of 2.95s total"
expect_gone "f: sha256 is gone (no stack through main.fib holds it)" "crypto/sha256"
keys u
expect_gone "u: the focus is undone" "focus=^main"
expect "u: sha256 is back" "crypto/sha256"
sel '^main\.fib$'
expect "main.fib selected again" "$SELECTED"
keys x
want=$(pct '-hide=^main\.fib$')
expect "x: hide, the share pprof gives" "hide=^main\\.fib\$  showing 2.95s, $want of 2.95s total"
check "x: main.fib is no bar any more" eval '! screen | sed -n 3,38p | grep -q "main\.fib"'
keys F
expect_gone "F: every filter cleared" "hide=^main"
sel '^main\.fib$'
expect "main.fib selected once more" "$SELECTED"
keys X
want=$(pct '-ignore=^main\.fib$')
[ -n "$want" ] && [ "$want" != 100.00% ] && ok || ko "pprof's share under -ignore: $want"
expect "X: ignore, the share pprof gives" "ignore=^main\\.fib\$  showing"
expect "X: ... $want of 2.95s" "$want of 2.95s total"

# --- a query change and a type change keep the filter -----------------------
keys : C-u '{region="eu-north"}' Enter
want=$(share -tagfocus=region=eu-north '-ignore=^main\.fib$' -- -tagfocus=region=eu-north)
expect "the query's header" "{region=\"eu-north\"}  cpu (nanoseconds)  total"
check "a query change keeps the ignore, with pprof's share of the query's total" \
    has_text "ignore=^main\\.fib\$  showing"
check "... $want of the query's total" has_text "$want of"
keys : C-u '{}' Enter t
expect "the type picker" "Sample type (Enter picks"
keys Up Enter
expect "samples: the other type" "samples (count)  total"
T=samples U=count
want=$(share '-ignore=^main\.fib$' --)
check "a type change keeps the ignore, pprof's share of samples" \
    has_text "ignore=^main\\.fib\$  showing"
check "... $want" has_text "$want of"

# --- the table: x hides the selected row's function -------------------------
T=cpu U=nanoseconds
start 200 40 TERM=xterm-256color -- --view table "$G"
expect "table" "Function"
keys / '^main\.busy$' Enter
expect_row "the search leaves main.busy" 3 "main.busy"
keys x
want=$(pct '-hide=^main\.busy$')
expect "table x: hide main.busy" "hide=^main\\.busy\$  showing 2.95s, $want of 2.95s total"
# pprof's hottest function (self) under the hide is the table's first row
hot=$(pprof_top "$G" cpu nanoseconds '-hide=^main\.busy$' | head -1 | cut -f3)
snap
keys /
wait_change
keys C-x
expect_gone "the search cleared: every row" "matches"
expect_row "table: the first row is pprof's hottest under -hide" 3 "$hot"
check "table: main.busy is no row" eval '! screen | sed -n 3,38p | grep -q "main\.busy"'

# --- the sandwich: X there, u, then f ---------------------------------------
keys / '^main\.fib$' Enter Enter
expect "sandwich" "[Sandwich]"
keys X
expect "sandwich X: two filters, as pprof lists them" \
    "hide=^main\\.busy\$ ignore=^main\\.fib\$  showing"
want=$(pct '-hide=^main\.busy$' '-ignore=^main\.fib$')
expect "... pprof's share of both" "$want of 2.95s total"
keys u
expect_gone "u: the ignore is undone" "ignore=^main"
expect "u: the hide stays" "hide=^main\\.busy\$  showing"

# --- Y: the line carries the filters and reopens the same view ---------------
snap
keys f
wait_change
before=$(screen | head -38)
keys Y
expect "Y copied" "copied the command line to the clipboard"
line=$(tm show-buffer 2>/dev/null)
case $line in *"--hide '^main\\.busy\$' --focus '^main\\.fib\$'"*) ok ;;
*) ko "Y's line lacks the filters in order: $line" ;; esac
cd / && start 200 40 TERM=xterm-256color -- "${line#ember }" && cd "$ROOT" || exit 2
expect "the reopened explorer" "[Sandwich]"
same_screen() { [ "$(screen | head -38)" = "$before" ]; }
check "the reopened screen is the same (header, filters, numbers)" same_screen

# --- a comparison: both sides filtered ---------------------------------------
start 200 40 TERM=xterm-256color -- --view compare \
    --diff "'{region=\"eu-north\"}'" "'{region=\"us-east\"}'" "$G"
expect "comparison" "[Comparison]"
has_text "crypto/sha256" && ok || ko "both sides show sha256 before"
sel '^main\.fib$'
expect "main.fib selected on side A" "$SELECTED"
snap
keys f
expect "compare f: the header" "focus=^main\\.fib\$  showing"
want=$(share -tagfocus=region=eu-north '-focus=^main\.fib$' -- -tagfocus=region=eu-north)
check "... side A's share, pprof's" has_text "$want of"
expect_gone "compare f: sha256 gone from both sides" "crypto/sha256"
# B's total is pprof's under -tagfocus=region=us-east -focus (in ms)
b=$(pprof_top "$G" cpu nanoseconds -tagfocus=region=us-east '-focus=^main\.fib$' |
    awk -F '\t' '{ s += $1 } END { printf "%dms", s / 1e6 }')
expect "compare f: B's total is pprof's $b" "B $b"

# --- --show-from opens the explorer filtered; e writes the filtered stacks --
NAME=go-cpu-cpu-2026-11-24T0519.pb.gz    # the export's name (see t_export.sh)
mkdir -p "$E2E_DIR/x" && cd "$E2E_DIR/x" || exit 2
rm -f "$NAME"
start 200 40 TERM=xterm-256color -- --view flame "'--show-from=^main\.busy\$'" "$G"
expect "--show-from in the header" "show_from=^main\\.busy\$  showing"
keys e
expect "menu" "Export (Enter picks, Esc closes)"
keys Enter
expect "the name step" "Enter writes, Esc goes back"
keys Enter
expect "written" "wrote $NAME ("
pprof_top "$NAME" cpu nanoseconds >"$E2E_DIR/got"
pprof_top "$G" cpu nanoseconds '-show_from=^main\.busy$' >"$E2E_DIR/want"
[ -s "$E2E_DIR/want" ] && cmp -s "$E2E_DIR/got" "$E2E_DIR/want" && ok ||
    ko "the export under --show-from: go tool pprof of it differs from -show_from of the source"
cd "$ROOT" || exit 2

finish
