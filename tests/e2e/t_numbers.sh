#!/usr/bin/env bash
# Issue 7, "Wrong numbers": each share of the right side's total, none above
# 100% where it means a share, and each saying whose it is where two sides
# are on screen. Expected numbers come from go tool pprof's tables
# (tests/data/expected), computed here with awk, never from ember.
# Usage: tests/e2e/t_numbers.sh path/to/ember
. "$(dirname "$0")/lib.sh"

X=$DATA/expected
# total of function $2 in pprof table $1, and the table's grand total
tot() { awk -F'\t' -v f="$2" '$3 == f {print $2}' "$1"; }
sum() { awk -F'\t' '{s += $1} END {printf "%.0f", s}' "$1"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f%%", 100 * a / b}'; }
A_ALL=$(sum "$X/go-cpu.cpu.q-eu-north.top")    # side A: region eu-north
B_ALL=$(sum "$X/go-cpu.cpu.top")               # side B: every sample
secs() { awk -v v="$1" 'BEGIN {printf "%.2fs", v / 1e9}'; }

# --- diff: both roots 100% of their own side, the header both totals ---------
# start hands its arguments to a shell: the queries keep their quotes
start 200 40 TERM=xterm-256color -- --diff "'{region=\"eu-north\"}'" "'{}'" "$DATA/go-cpu.pb.gz"
expect "diff opens" "[Diff]"
expect "diff root: each side its own whole" \
    " total A $(secs "$A_ALL") ($(pct "$A_ALL" "$A_ALL"))  B $(secs "$B_ALL") (100.00%)  +0.00pp"
expect "header: each side's total" "total A $(secs "$A_ALL")  B $(secs "$B_ALL")  [Diff]"
expect "diff table columns" "   A %    B %   Δ pp▼ Δ rel  Function"

# --- search in the diff: counted on both sides ---------------------------------
gc=$(tot "$X/go-cpu.cpu.top" runtime.gcBgMarkWorker)       # only in B: no region label
keys / '^runtime\.gcBgMarkWorker$' Enter
expect "search counts on B" "A 0 matches 0.00% of A, B 1 match $(pct "$gc" "$B_ALL") of B"

# --- the diff table's sort by the relative change -------------------------------
keys Escape Tab s
expect "sorted by the relative change" "Δ rel▼"

# --- comparison: side B's shares of B's own total -------------------------------
keys 6
expect "comparison" "[Comparison]"
expect "side A's root" "total $(secs "$A_ALL") (100.00% of A)"
keys Tab
expect "side B's root is 100% of B" "total $(secs "$B_ALL") (100.00% of B)"
keys j
f1=$(tot "$X/go-cpu.cpu.top" main.cpuProfile.func1)
expect "side B's child, of B" " main.cpuProfile.func1 "
expect "its share of B" "($(pct "$f1" "$B_ALL") of B)"

# --- a sample type typed in the query prompt ------------------------------------
alloc=$(awk -F'\t' '{s += $1} END {printf "%.0fMB", s / 1048576}' "$X/go-heap.alloc_space.top")
start 160 30 TERM=xterm-256color -- "$DATA/go-heap.pb.gz"
expect "heap opens on inuse_space" "inuse_space (bytes)"
keys : C-u 'alloc_space{}' Enter
expect "the prompt's type applies" "alloc_space (bytes)  total $alloc"
keys : C-u 'nosuch{}' Enter
expect "an unknown type lists the types" "no sample type 'nosuch'; the data has: alloc_objects/count"

# --- zoom: shares of the zoom only inside it ------------------------------------
path='main.cpuProfile.func1;runtime/pprof.Do;main.cpuProfile.func1.1;main.busy'
busy=$(awk -F'\t' -v p="$path;" 'index($1, p) == 1 || $1 == substr(p, 1, length(p) - 1) {s += $2}
    END {print s}' "$X/go-cpu.cpu.folded")
func1=$(awk -F'\t' -v p="$path;main.busy.func1" 'index($1, p ";") == 1 || $1 == p {s += $2}
    END {print s}' "$X/go-cpu.cpu.folded")
start 160 30 TERM=xterm-256color -- --view flame "$DATA/go-cpu.pb.gz"
expect "flame" "[Flamegraph]"
keys j j j j      # down the only path to main.busy
expect "main.busy selected" " main.busy "
keys Enter j      # zoom into it, select its largest child
expect "inside the zoom: its share of the zoom" "($(pct "$func1" "$B_ALL"), $(pct "$func1" "$busy") of zoom)"
keys k k k k k    # up past the zoom to the root
expect "the root, above the zoom" " total self 0ns (0.00%)  total $(secs "$B_ALL") (100.00%)"
if line_of " total self 0ns" | grep -q "of zoom"; then ko "the root shows a share of the zoom"
else ok; fi

finish
