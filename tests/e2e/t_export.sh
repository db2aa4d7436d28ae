#!/usr/bin/env bash
# Issue 12, the explorer's export (e): the menu with the view's format first,
# the file name that says what it holds, Enter writes, the question before
# an existing file is replaced, Esc, the status line; the file then read by
# go tool pprof (numbers from go tool pprof of the source, not from ember).
# Usage: tests/e2e/t_export.sh path/to/ember
. "$(dirname "$0")/lib.sh"

OUT=$E2E_DIR/out
mkdir -p "$OUT"
cd "$OUT" || exit 2              # the pane starts here: files are written here
PPROF=(go tool pprof -symbolize=none)

# pprof_top FILE TYPE UNIT [FLAGS...]: "self<TAB>total<TAB>name" in exact
# units from go tool pprof -top, sorted by self then name (as --top --raw)
. "$ROOT/tests/pprof_top.sh"   # pprof_top, pprof_rows
size_of() { stat -c %s "$1" 2>/dev/null; }

# The name: source go-cpu, type cpu, the profile's start; go tool pprof
# -top of go-cpu.pb.gz says "Time: Nov 24, 2026 at 5:19am (UTC)"
NAME=go-cpu-cpu-2026-11-24T0519.pb.gz

# --- a table view offers its text first; Esc closes, nothing written -------
start 120 30 TERM=xterm-256color -- --view table "$DATA/go-cpu.pb.gz"
expect "table view" "Function"
keys e
expect "e opens the export menu" "Export (Enter picks, Esc closes)"
check "the table's first format is its text" eval 'screen | grep -A1 "Export (Enter picks" | tail -1 | grep -q "│ text "'
keys Escape
expect "Esc closes the menu" "export cancelled"
[ -z "$(ls -A "$OUT")" ] && ok || ko "a file was written after Esc: $(ls -A "$OUT")"

# --- the flamegraph: pprof first; the name; Enter writes -------------------
start 120 30 TERM=xterm-256color -- --view flame "$DATA/go-cpu.pb.gz"
expect "flame view" "[Flamegraph]"
keys e
expect "menu" "Export (Enter picks, Esc closes)"
check "the flamegraph's first format is pprof" eval 'screen | grep -A1 "Export (Enter picks" | tail -1 | grep -q "│ pprof "'
keys Enter
expect "the file name says what it holds" "$NAME"
expect "the name step says what Enter does" "Enter writes, Esc goes back"
keys Enter
expect "the status line says what was written" "wrote $NAME ("
expect "... its size and format" "wrote $NAME ($(size_of "$NAME") bytes, pprof)"
pprof_top "$NAME" cpu nanoseconds >"$E2E_DIR/got"
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds >"$E2E_DIR/want"
[ -s "$E2E_DIR/want" ] && cmp -s "$E2E_DIR/got" "$E2E_DIR/want" && ok ||
    ko "go tool pprof of the exported file differs from go tool pprof of the source"

# --- an existing file: asked first; n keeps it; y replaces -----------------
echo "not a profile" >"$NAME"
keys e Enter
expect "the name again" "Enter writes, Esc goes back"
keys Enter
expect "an existing file: asked first" "The file exists: replace it? y replaces, n keeps it"
keys n
expect_gone "n: back to the name" "The file exists"
[ "$(cat "$NAME")" = "not a profile" ] && ok || ko "n replaced the file"
keys Escape
expect "Esc on the name: back to the formats" "Export (Enter picks, Esc closes)"
keys Enter Enter
expect "asked again" "The file exists: replace it?"
keys y
expect "y replaces it" "wrote $NAME ("
# the replaced file is the profile again: go tool pprof reads it to the
# source's numbers (the want of the first write, from the source itself)
pprof_top "$NAME" cpu nanoseconds >"$E2E_DIR/got"
[ -s "$E2E_DIR/want" ] && cmp -s "$E2E_DIR/got" "$E2E_DIR/want" && ok ||
    ko "y: go tool pprof of the replaced file differs from go tool pprof of the source"
ls -A "$OUT" | grep -q '^\.ember-export' && ko "a temporary file was left" || ok

# --- an edited name, another format; a name that cannot be written --------
keys e j
expect "j moves down the menu" "Export (Enter picks"
keys Enter
expect "svg's name" "go-cpu-cpu-2026-11-24T0519.svg"
keys C-u m i n e . s v g Enter
expect "the edited name is written" "wrote mine.svg ("
xmllint --noout mine.svg 2>/dev/null && grep -q '<svg' mine.svg && ok || ko "mine.svg is no SVG"
keys e Enter C-u n o d i r / x . p b . g z Enter
expect "a name that cannot be written: why" "not written: nodir/x.pb.gz: cannot write into its folder"

# --- the query and the zoom: the file holds what the pane shows ------------
start 120 30 TERM=xterm-256color -- --view flame -q "'{region=\"eu-north\"}'" "$DATA/go-cpu.pb.gz"
expect "flame view on eu-north" "[Flamegraph]"
keys / '^main\.fib$' Enter n
expect "n selects the first main.fib" " main.fib self"
zoomed() { screen | sed -n 7p | grep -qx 'main.fib *'; }
if zoomed; then ko "main.fib fills row 7 before the zoom: the zoom test proves nothing"; fi
keys Enter
check "Enter zooms: main.fib fills its row (7, under main.busy)" zoomed
keys e Enter
expect "the name has the query's value" "go-cpu-cpu-eu-north-2026-11-24T0519.pb.gz"
keys Enter
expect "written" "wrote go-cpu-cpu-eu-north-2026-11-24T0519.pb.gz ("
# main.fib has one outermost caller path (tests/data/expected/go-cpu.cpu.folded),
# so the zoom on it holds exactly the samples pprof's -focus keeps
pprof_top go-cpu-cpu-eu-north-2026-11-24T0519.pb.gz cpu nanoseconds >"$E2E_DIR/got"
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds -tagfocus=region=eu-north '-focus=^main\.fib$' \
    >"$E2E_DIR/want"
[ -s "$E2E_DIR/want" ] && cmp -s "$E2E_DIR/got" "$E2E_DIR/want" && ok ||
    ko "the zoomed export differs from go tool pprof -tagfocus -focus: $(diff "$E2E_DIR/want" "$E2E_DIR/got" | head -5)"

finish
