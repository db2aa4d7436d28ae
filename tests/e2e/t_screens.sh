#!/usr/bin/env bash
# Readable screens (issue 7): a search from a scrolled table, the prompts'
# line editing, a key that closes the help, the hint bar at 80 columns.
# Expected counts come from go tool pprof (tests/data/expected), not from
# ember. Usage: tests/e2e/t_screens.sh path/to/ember
. "$(dirname "$0")/lib.sh"

top=$DATA/expected/go-cpu.cpu.top
nsha=$(cut -f3 "$top" | grep -c sha256)        # 4 functions
# table rows on screen (rows 3 to 28 of a 30-row screen) that hold TEXT
table_rows() { screen | sed -n '3,28p' | grep -c -- "$1"; }

# --- a search typed in a table scrolled to its end shows every match ------
start 120 30 TERM=xterm-256color -- --view table "$DATA/go-cpu.pb.gz"
expect "table view" "[Table]"
last=$(tail -1 "$top" | cut -f3)
snap; keys G; wait_change
expect "the table scrolled to its last row" "$last"
keys / s h a 2 5 6
expect "search count" "/sha256/ $nsha matches"
n=$(table_rows sha256)
[ "$n" = "$nsha" ] && ok || ko "typing the search from a scrolled table shows $n of $nsha matches"
keys Enter
expect_gone "Enter closes the prompt" "/ sha256█"
n=$(table_rows sha256)
[ "$n" = "$nsha" ] && ok || ko "after Enter the table shows $n of $nsha matches"

# --- the prompt: / starts empty, the cursor moves, ^W, history, ^X ---------
keys /
expect "an empty prompt offers the last search" "Enter: /sha256/ again"
keys m a i n . f b Left i
expect "a letter typed left of the cursor" "/main.fib/ 1 match"
keys C-e C-w
expect "^W erases the word before the cursor" "/main./ "
keys Left C-k
expect "^K erases to the end" "/main/ "
keys C-u s o r t
expect "^U erases to the start" "/sort/ "
keys Escape
expect "Esc: back to the search before /" "/sha256/ $nsha matches"
keys / Up
expect "Up brings the last search back" "/ sha256█"
keys C-x
expect_gone "^X clears the search" " matches, "
keys / Enter
expect "Enter on an empty line repeats the last search" "/sha256/ $nsha matches"

# --- a key pressed while the help is open is not lost ----------------------
keys 3
expect "both view" "[Both]"
keys '?'
expect "help" "show every key"
keys 2
expect "? then 2: the table" "[Table]"
expect_gone "? then 2: the help is gone" "show every key"
keys '?'
expect "help again" "show every key"
keys q
expect_gone "q closes the help" "show every key"
keys 1      # still running: the next key switches the view
expect "q in the help did not quit" "[Flamegraph]"

# --- the hint bar keeps ? help and q quit at 80 columns --------------------
start 80 24 TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
expect "both view at 80" "main.cpuProfile.func1"
wait_for "q quit" 5    # the last row is drawn last; on a loaded machine it may lag
hints=$(screen | tail -1)
case $hints in *"? help"*"q quit"*) ok ;; *) ko "the hint bar at 80 columns lost ? help or q quit: $hints" ;; esac

# --- the query prompt edits the same way and completes at the cursor --------
start 140 34 TERM=xterm-256color --
expect "the demo" "[Both]"
keys : C-u '{re}' Left Tab
expect "Tab completes the label before the cursor" ': {region="}'
keys e u - n Tab
expect "Tab completes the value" ': {region="eu-north"}'
keys Enter
expect_gone "Enter applies the query" ': {region="eu-north"}'
line_of " ember " | grep -qF '{region="eu-north"}' && ok || ko "the header lacks the query"

# --- Both at 120 columns: the table's names whole; < > move the split ------
start 120 30 TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
expect "both view" "main.cpuProfile.func1"
# two of the longest names among the first rows (pprof -top): 32 and 30 columns
expect "a long name whole in the table" "crypto/sha256.(*digest).checkSum "
expect "another" "runtime.(*moduledata).textAddr "
border() { local l; l=$(screen | sed -n 4p); l=${l%%│*}; echo ${#l}; }
b0=$(border)
snap; keys '>'; wait_change
b1=$(border)
[ "$b1" -eq $((b0 + 6)) ] && ok || ko "> moved the split from $b0 to $b1, not 5% of 120 further"
keys '<' '<' '<'       # 40%: 48 columns, 31 of them for names
expect_gone "< narrows the table: a name is cut" "crypto/sha256.(*digest).checkSum "
b2=$(border)
[ "$b2" -eq $((b0 - 12)) ] && ok || ko "< < < moved the split to $b2, not $((b0 - 12))"
expect "the cut name keeps its end: 32 into 31, the last 30" "…ypto/sha256.(*digest).checkSum│"

# --- the name sort's arrow points up for A to Z ----------------------------
keys 2 s s
expect "sorted by name, A to Z" "Function▲"
keys S
expect "Z to A" "Function▼"

# --- the sandwich labels its halves and says what a root lacks --------------
keys / '^main\.cpuProfile\.func1$' Enter Enter
expect "sandwich" "callers: who calls it"
expect "callees label" "callees: what it calls"
expect "a root has no callers" "main.cpuProfile.func1 has no callers"

# --- PgDn: ten rows down along the largest child ----------------------------
# By hand from expected/go-cpu.cpu.folded, the largest child at each depth:
# main.cpuProfile.func1, runtime/pprof.Do, main.cpuProfile.func1.1,
# main.busy, main.busy.func1, embergen/work.SortInts, sort.Ints, sort.Sort,
# sort.pdqsort, sort.pdqsort: the stacks under that tenth frame sum to 850ms
# (under the ninth 1.11s, under the eleventh 590ms).
keys 1 g
expect "flamegraph at its root" "[Flamegraph]"
keys PageDown
expect "PgDn: ten rows down" " sort.pdqsort self "
expect "PgDn: the tenth row's total" "total 850ms (28.81%"

# --- the help box is closed on every side ------------------------------------
keys '?'
expect "help" "show every key"
side=$(screen | sed -n 10p)
case $side in *"│ "*"│"*) ok ;; *) ko "the help box has no side edges: $side" ;; esac

# --- a .NET-shaped profile whose default type is empty ------------------------
# By hand from txtpb/dotnet-empty-default.txtpb: cpu 60ms, alloc 5120 bytes
# (pprof: 5kB), lock_time 0.
start 120 30 TERM=xterm-256color -- "$DATA/dotnet-empty-default.pb"
expect "opens on cpu" "cpu (nanoseconds)  total 60ms"
expect "and says why" "default type lock_time has no samples: showing cpu"
keys t
expect "the type picker" "Sample type (Enter picks"
line_of "* cpu (nanoseconds)" | grep -q " 60ms " && ok || ko "the picker's cpu total"
line_of "alloc (bytes)" | grep -q " 5kB " && ok || ko "the picker's alloc total"
line_of "lock_time (nanoseconds)" | grep -q " 0ns (empty) " && ok || ko "the empty type unmarked"

finish
