#!/usr/bin/env bash
# The explorer's first tests: table, search, zoom, sandwich, sample types,
# help, resize, queries, the demo's tags, hostile names, monochrome, signals.
# Expected numbers come from go tool pprof (tests/data/expected), not from
# ember. Usage: tests/e2e/t_ui.sh path/to/ember
. "$(dirname "$0")/lib.sh"

# --- the hottest function: first row of the table sorted by self ---------
hottest=$(head -1 "$DATA/expected/go-cpu.cpu.top" | cut -f3)
start 120 30 TERM=xterm-256color -- --view table "$DATA/go-cpu.pb.gz"
expect "table view" "Function"
expect_row "first table row is the hottest" 3 "$hottest"
keys s        # sort by total: the root-most function comes first
first_total=$(sort -t$'\t' -k2,2nr "$DATA/expected/go-cpu.cpu.top" | head -1 | cut -f3)
expect_row "first row sorted by total" 3 "$first_total"

# --- search: count and share (counted once per sample) --------------------
nmatch=$(cut -f3 "$DATA/expected/go-cpu.cpu.top" | grep -c sha256)
share=$(awk -F'\t' '{t += $2} $1 ~ /sha256/ {m += $2} END {printf "%.2f%%", 100 * m / t}' \
    "$DATA/expected/go-cpu.cpu.folded")
keys / s h a 2 5 6 Enter
expect "search count" "/sha256/ $nmatch matches, $share of total"
# the table now lists only matches, and all of them
only_matches() {
    local rows
    rows=$(screen | sed -n "3,$((3 + nmatch))p" | grep -v '^ *$')
    [ "$(grep -c sha256 <<<"$rows")" -eq "$nmatch" ] && ! grep -vq sha256 <<<"$rows"
}
check "the table lists the $nmatch matches only" only_matches

# --- zoom into the hottest function's caller in the flamegraph ------------
caller=$(grep -F ";$hottest"$'\t' "$DATA/expected/go-cpu.cpu.folded" | head -1 |
    sed "s/;$hottest\t.*//" | awk -F';' '{print $NF}')
start 120 30 TERM=xterm-256color -- --view flame "$DATA/go-cpu.pb.gz"
expect "flame view" "[Flamegraph]"
keys / "^${caller//./\\.}\$" Enter n
expect "search selects the caller" " $caller self"
# zoomed: the caller's bar fills its row (before the zoom it shares it) and
# the row below holds the hottest function (its child)
zoomed() {
    local zrow
    zrow=$(screen | grep -n -m1 -x -- "$caller" | cut -d: -f1)
    [ -n "$zrow" ] && screen | sed -n "$((zrow + 1))p" | grep -qF -- "$hottest"
}
whole_row() { screen | grep -qx -- "$caller"; }
if whole_row; then ko "$caller fills its row before the zoom: the zoom test proves nothing"; fi
keys Enter
check "after zooming into $caller, it fills its row and $hottest is below it" zoomed
keys BSpace
check "zoom out: $caller shares its row again" eval '! whole_row'

# --- sandwich: callers above the function ----------------------------------
fib_caller=$(grep -F 'main.fib' "$DATA/expected/go-cpu.cpu.folded" | head -1 |
    sed 's/;main\.fib.*//' | awk -F';' '{print $NF}')
start 120 30 TERM=xterm-256color -- --view table "$DATA/go-cpu.pb.gz"
expect "table" "Function"
keys / "^main\\.fib\$" Enter Enter
expect "sandwich view" "[Sandwich]"
caller_above() {
    local mid
    mid=$(screen | grep -n -m1 '^main\.fib' | cut -d: -f1)
    [ -n "$mid" ] && [ "$mid" -gt 2 ] && screen | sed -n "$((mid - 1))p" | grep -qF -- "$fib_caller"
}
check "sandwich: $fib_caller is right above main.fib" caller_above

# --- sample type: switch to alloc_space on a heap profile ------------------
want=$(awk -F'\t' '{s += $1} END {printf "%.0fMB", s / 1048576}' "$DATA/expected/go-heap.alloc_space.top")
start 120 30 TERM=xterm-256color -- "$DATA/go-heap.pb.gz"
expect "heap default type" "inuse_space (bytes)"
keys t
expect "type menu" "alloc_space (bytes)"
keys k k Enter    # from inuse_space, up past inuse_objects
expect "alloc_space total" "alloc_space (bytes)  total $want"

# --- help overlay ---------------------------------------------------------
keys '?'
expect "help lists search" "search function names"
keys PageDown    # the help scrolls: its first lines go, later ones come
expect_gone "help scrolls" "search function names"
expect "help overlay" "zoom into the selected node"
keys Escape
expect_gone "help closes" "zoom into the selected node"

# --- resize down to 40x10 and below -----------------------------------------
# tmux crops the old screen at once; ember's own 40x10 frame has the status
# bar on line 9 (line 9 of the cropped 120x30 screen is a table row) and
# its header on line 1
tm resize-window -t e -x 40 -y 10
expect_row "40x10 draws the status bar above the hint bar" 9 "self"
expect_row "40x10 still draws the header" 1 " ember"
tm resize-window -t e -x 30 -y 8
expect "below the minimum" "terminal too small"
tm resize-window -t e -x 120 -y 30
expect "back to full size" "alloc_space (bytes)  total $want"

# --- quitting restores the terminal and exits 0 ----------------------------
keys q
expect "exit status" "EXITED:0"

# --- a query selects the samples the explorer shows ----------------------------
qfirst=$(head -1 "$DATA/expected/go-cpu.cpu.q-eu-north.top" | cut -f3)
qtotal=$(awk -F'\t' '{s += $1} END {printf "%.3gs", s / 1e9}' "$DATA/expected/go-cpu.cpu.q-eu-north.top")
start 120 20 TERM=xterm-256color -- --view table --query "'{region=\"eu-north\"}'" "$DATA/go-cpu.pb.gz"
expect "query in the header" '{region="eu-north"}'
expect "query total" "total $qtotal"
expect_row "first row under the query" 3 "$qfirst"

# --- time and labels on the demo: a folder of labelled profiles ----------------
start 140 34 TERM=xterm-256color -- --view tags --group-by region
expect "tag explorer" "group by region"
expect "tag rows: eu-north" "eu-north"
expect "tag rows: us-east" "us-east"
expect "tag rows: ap-south" "ap-south"
expect "timeline over the profiles" "all 8 steps"
keys l
expect_gone "next label" "group by region"
other_label() { line_of "group by " | grep -v "group by region" | grep -q "group by [a-z]"; }
check "next label shown" other_label
keys h
expect "back to region" "group by region"
# put the cursor on eu-north (rows are sorted by total), compare it with
# every other region, then diff them
expect "region rows again" " eu-north "
first=$(screen | grep -n -m1 '  value ' | cut -d: -f1)
target=$(screen | grep -n -m1 ' eu-north ' | cut -d: -f1)
for _ in $(seq 1 $((target - first - 1))); do keys j; done
keys c
expect "comparison: baseline is every other region" 'A {region!="eu-north"}'
expect "comparison: eu-north on the right" 'B {region="eu-north"}'
keys 7
expect "diff view" "[Diff]"
expect "diff legend" "shrank"
new_row() { screen | grep -F -- "main.compressPayload" | grep -qw "new"; }
check "diff: compressPayload is new in eu-north" new_row

# --- the query prompt: completion, a mistake at its column, then applied ------
start 140 30 TERM=xterm-256color -- --view flame
expect "demo flame" "[Flamegraph]"
keys : C-u '{' r e Tab
expect "completes the label name" ': {region="'
keys e Tab
expect "completes the value" ': {region="eu-north"'
keys ', p' Enter
expect "column of a mistake" "query: column 22:"
keys C-u '{region="eu-north"}' Enter
expect "query applied" '{region="eu-north"}  cpu'

# --- hostile names are shown escaped ----------------------------------------
start 120 20 TERM=xterm-256color -- --view table "$DATA/bad/hostile-names.pb"
expect "escaped ESC" '\x1b[31mred\x1b[0m'
expect "escaped BEL" 'bell\x07ring'
expect "escaped invalid UTF-8" 'bad\xff\xfeutf8'
expect "CJK name" '関数名'
if tm capture-pane -p -e -t e | grep -q $'\x07'; then ko "a raw BEL reached the screen"; else ok; fi

# --- eight colors (TERM=xterm): every role readable ------------------------
# Before the fix the header and status bar asked for color 15, which an
# 8-color terminal refuses: black on black. No text may have the color of
# its background, and only the 8 basic colors may be used.
# cells prints "LINE COL FG BG ATTRS CHAR"; a space's color does not show.
same_color() { cells | awk '$6 != "" && $3 != 39 && $3 - 30 == $4 - 40'; }
bright_color() { cells | awk '$3 !~ /^(3[0-7]|39)$/ || $4 !~ /^(4[0-7]|49)$/'; }
start 100 24 TERM=xterm -- "$DATA/go-cpu.pb.gz"
expect_row "8 colors: status bar drawn" 23 "self"
if [ -n "$(same_color)" ]; then ko "8 colors: text in the color of its background: $(same_color | head -3 | tr '\n' ';')"; else ok; fi
if [ -n "$(bright_color)" ]; then ko "8 colors: a color beyond the 8: $(bright_color | head -3 | tr '\n' ';')"; else ok; fi
# the header and the status bar have a background of their own
bg_of_row() { cells "$1" | awk -v bg="$2" '$6 != "" && $4 == bg {n++} END {exit !(n > 10)}'; }
check "8 colors: the header has its background" bg_of_row 1 44
check "8 colors: the status bar has its background" bg_of_row 23 44

# --- monochrome (TERM=vt100, NO_COLOR): told apart without colors -----------
# Bars are plain text ended by a rule '▏', the selection is reverse video,
# matches bold and underlined, a diff's grew bars '+NAME' in bold, shrank
# ones '-NAME' underlined (man page, MONOCHROME).
any_color() { cells | awk '$3 != 39 || $4 != 49'; }
# reversed_rows: the body lines (2 to the status bar) with a reverse cell.
reversed_rows() { cells | awk -v last=$(($1 - 2)) '$1 > 1 && $1 <= last && $5 ~ /7/ {print $1}' | sort -u | tr '\n' ' '; }
only_row_reversed() { [ "$(reversed_rows 24)" = "$1 " ]; }
start 100 24 TERM=vt100 -- --view flame "$DATA/go-cpu.pb.gz"
expect_row "vt100: status bar drawn" 23 "total self"
if [ -n "$(any_color)" ]; then ko "colors on a vt100: $(any_color | head -3 | tr '\n' ';')"; else ok; fi
check "vt100: only the selection (the root, line 2) is reversed" only_row_reversed 2
if screen | sed -n '3,22p' | grep -q '▏'; then ok; else ko "vt100: no rule where bars end"; fi
keys j
check "vt100: the reverse video follows the selection to line 3" only_row_reversed 3
keys / s h a 2 5 6 Enter
expect "vt100: search" "/sha256/"
# every letter of a matching name is bold and underlined
# all_have ATTR TEXT FIRST LAST: TEXT shows there, each time with ATTR on
# every character (attributes as cells prints them: 1 bold, 4 underline).
all_have() {
    local found
    found=$(text_attrs "$2" "$3" "$4")
    [ -n "$found" ] && ! cut -d' ' -f3- <<<"$found" | tr ' ' '\n' | grep -qv "$1"
}
check "vt100: matches are bold and underlined" all_have 1 crypto/sha256 2 22
check "vt100: matches are bold and underlined" all_have 4 crypto/sha256 2 22
start 100 24 TERM=xterm-256color NO_COLOR=1 -- "$DATA/go-cpu.pb.gz"
expect_row "NO_COLOR: status bar drawn" 23 "self"
if [ -n "$(any_color)" ]; then ko "colors with NO_COLOR: $(any_color | head -3 | tr '\n' ';')"; else ok; fi
# the diff: marks in the flamegraph and the legend, in their attributes
start 140 34 TERM=vt100 -- --view tags --group-by region
expect "vt100 tags" "group by region"
expect "vt100 tag rows" " eu-north "
keys c
expect "vt100 comparison" '[Comparison]'
keys 7
expect "vt100 diff legend" "+grew"
# marked CHAR ATTR: a bar of the diff's flamegraph (right of the pane
# border, or of the rule that ends the bar before it) starts with CHAR and
# a letter, both with ATTR
marked() {
    cells | awk -v ch="$1" -v attr="$2" '$1 > 6 && $1 < 33 {
        if ((pp == "▏" || pp == "│") && prev == ch && $6 ~ /[a-z]/ && pattr ~ attr && $5 ~ attr) n++
        pp = prev; prev = $6; pattr = $5 } END { exit !(n > 0) }'
}
check "vt100 diff: grew bars read +NAME in bold" marked + 1
check "vt100 diff: shrank bars read -NAME underlined" marked - 4
check "vt100 diff legend: +grew in bold" all_have 1 "+grew" 5 5
check "vt100 diff legend: -shrank underlined" all_have 4 "-shrank" 5 5

# --- Ctrl-C and SIGTERM restore the terminal --------------------------------
start 100 24 TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
expect "started" "[Both]"
keys C-c
expect "Ctrl-C exits" "EXITED:"
start 100 24 TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
expect "started" "[Both]"
kill -TERM "$(ember_pid)"
expect "SIGTERM exits" "EXITED:"
if tm display -p -t e '#{alternate_on}' | grep -q 1; then ko "still in the alternate screen"; else ok; fi

finish
