#!/usr/bin/env bash
# Issue 12, the review's findings on the explorer's writer (the child that
# e forks): a signal in the child must not touch the explorer's terminal
# (SIGXFSZ under ulimit -f ran the explorer's crash handler, endwin(), on
# the shared terminal), and Ctrl-C during an export must let it finish (the
# child died with the explorer and left a hidden temporary file).
# Usage: tests/e2e/t_exportfix.sh path/to/ember
. "$(dirname "$0")/lib.sh"

OUT=$E2E_DIR/out
mkdir -p "$OUT"
cd "$OUT" || exit 2              # the pane starts here: files are written here
temps() { ls -A "$OUT" | grep -c '^\.ember-export-'; }
has_temp() { [ "$(temps)" -gt 0 ]; }
no_temp() { [ "$(temps)" -eq 0 ]; }

# --- SIGXFSZ in the writer: the explorer keeps its screen and its keys -----
# ulimit -f 1: 1 KiB in bash (1024-byte blocks); go-cpu's export as pprof
# is about 4 KB, so the write goes over the limit
REAL=$EMBER
EMBER=$E2E_DIR/ember-ulimit
printf '#!/usr/bin/env bash\nulimit -f 1\nexec %q "$@"\n' "$REAL" >"$EMBER"
chmod +x "$EMBER"
start 120 30 TERM=xterm-256color -- --view flame "$DATA/go-cpu.pb.gz"
expect "flame view" "[Flamegraph]"
keys e
expect "menu" "Export (Enter picks, Esc closes)"
keys Enter
expect "the name step" "Enter writes, Esc goes back"
keys Enter
expect "the status line says why it was not written" "File too large"
check "the explorer keeps its screen (no endwin from the writer)" has_text "[Flamegraph]"
check "no hidden temporary file is left" no_temp
keys q
expect "the terminal is still raw: q alone quits" "EXITED:0"
EMBER=$REAL
rm -f "$OUT"/* "$OUT"/.ember-export-*

# --- Ctrl-C while the writer runs: the file is still written ---------------
# a profile whose pprof takes a while: 600000 distinct stacks
awk 'BEGIN { for (i = 0; i < 600000; i++)
    printf "main;f%d;g%d;h%d;k%d;leaf%d %d\n", i % 97, i % 1009, i % 10007, i, i * 7, 1 + i % 5 }' \
    >"$E2E_DIR/big.folded"
start 120 30 TERM=xterm-256color -- --view flame "$E2E_DIR/big.folded"
wait_limit=60
expect "flame view" "[Flamegraph]"
wait_limit=$E2E_TIMEOUT
keys e
expect "menu" "Export (Enter picks, Esc closes)"
keys Enter
expect "the name step" "Enter writes, Esc goes back"
keys Enter
wait_limit=30
until_ok has_temp && ok || ko "the writer's temporary file never showed"
keys C-c
expect "Ctrl-C ends the explorer" "EXITED:130"
wait_limit=60
until_ok no_temp && ok || ko "the temporary file is left: $(ls -A "$OUT")"
wait_limit=$E2E_TIMEOUT
name=$(ls "$OUT" | grep '\.pb\.gz$')
[ -n "$name" ] && [ -s "$OUT/$name" ] && ok || ko "no pprof written after Ctrl-C: $(ls -A "$OUT")"
# the pprof whole: go tool pprof reads it, its total is the fixture's
# (sum of 1 + i % 5 over i < 600000: 120000 of each 1..5 = 1800000)
tot=$(go tool pprof -symbolize=none -raw "$OUT/$name" 2>/dev/null |
    awk '/^Samples:/ { s = 1; next } /^Locations/ { s = 0 } s && /^ +[0-9]+:/ { sub(/:.*/, ""); t += $1 } END { print t + 0 }')
[ "$tot" = 1800000 ] && ok || ko "the pprof after Ctrl-C totals $tot, not 1800000"

# --- the diff keeps its zoom: both columns hold the stacks through main.fib -
rm -f "$OUT"/* "$OUT"/.ember-export-*
# pprof_self_sum FILE FLAGS...: the sum of go tool pprof -top's flat column
# in nanoseconds (every sample the flags keep, counted once at its leaf)
. "$ROOT/tests/pprof_top.sh"   # pprof_top, pprof_rows
pprof_self_sum() {
    local f=$1
    shift
    pprof_top "$f" cpu nanoseconds "$@" | awk -F '\t' '{ s += $1 } END { print s + 0 }'
}
start 120 30 TERM=xterm-256color -- --diff "'{region=\"eu-north\"}'" "'{region=\"us-east\"}'" \
    "$DATA/go-cpu.pb.gz"
expect "diff view" "[Diff]"
keys / '^main\.fib$' Enter n
expect "n selects the first main.fib" " main.fib A "
zoomed() { screen | sed -n 9p | grep -q '│main\.fib *$'; }
if zoomed; then ko "main.fib fills a row before the zoom: the zoom test proves nothing"; fi
keys Enter
check "Enter zooms: main.fib fills its row (9, under main.busy)" zoomed
keys Tab
expect "Tab: the table is focused (the zoom stays on screen)" "s sort"
keys e
expect "the diff's menu" "Export (Enter picks, Esc closes)"
keys j j Enter
expect "j j Enter: folded, the two-column form" ".folded"
keys Enter
expect "written" "wrote "
name=$(ls "$OUT" | grep '\.folded$')
awk 'NF != 3 || $1 !~ /(^|;)main\.fib(;|$)/ { bad++ } END { exit bad > 0 || NR == 0 }' \
    "$OUT/$name" && ok || ko "the diff's export holds stacks outside the zoom: $(grep -v main.fib "$OUT/$name" | head -3)"
want=$(pprof_self_sum "$DATA/go-cpu.pb.gz" -tagfocus=region=eu-north '-focus=^main\.fib$')
want=$want\ $(pprof_self_sum "$DATA/go-cpu.pb.gz" -tagfocus=region=us-east '-focus=^main\.fib$')
got=$(awk '{ a += $2; b += $3 } END { print a + 0, b + 0 }' "$OUT/$name")
[ "$got" = "$want" ] && ok || ko "the zoomed diff's columns sum to $got, go tool pprof -focus says $want"

# --- the tags view's text is its tag table, every row ----------------------
rm -f "$OUT"/* "$OUT"/.ember-export-*
start 120 30 TERM=xterm-256color -- --view tags --group-by region "$DATA/go-cpu.pb.gz"
expect "tags view" "group by region"
keys e
expect "the tags' menu" "Export (Enter picks, Esc closes)"
keys Enter
expect "text's name" ".txt"
keys Enter
expect "written" "wrote "
name=$(ls "$OUT" | grep '\.txt$')
# go tool pprof -tags of go-cpu.pb.gz: "1.5s (51.89%): eu-north",
# "1.4s (48.11%): us-east"
row() { grep -E "^ *$1 +$2 " "$OUT/$name" >/dev/null; }
row eu-north 51.89% && row us-east 48.11% && ok ||
    ko "the text export is not the tag table: $(head -4 "$OUT/$name")"
grep -q 'sort\.partition' "$OUT/$name" && ko "the text export holds the function table" || ok
grep -q '^ *value  *share  *total  *mean  *stddev' "$OUT/$name" && ok ||
    ko "the tag table's header is missing: $(head -3 "$OUT/$name")"

finish
